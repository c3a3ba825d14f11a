"""The development HTTP server: serves the output dir, live reload, error overlay.

Generic on purpose: it serves whatever files are in `output_dir` and learns about
builds only through `ReloadHub.publish()`. Everything dev-only (the reload script,
the overlay) is injected into HTML *responses*; the files on disk stay exactly
what `python build.py build` would produce.

Live reload uses Server-Sent Events: the browser keeps one GET open on
`/__papernotes/events` and we push `reload`, `css` or `error` after each build.
"""

from __future__ import annotations

import html
import json
import mimetypes
import os
import queue
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ENDPOINT_PREFIX = "/__papernotes/"
KEEPALIVE_SECONDS = 15.0
OVERLAY_ID = "papernotes-error-overlay"

# Explicit types for what a site ships, so answers do not depend on the host's
# /etc/mime.types. Pagefind's index shards are opaque binary blobs.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
}

OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;"
    "background:rgba(30,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;"
    "white-space:pre-wrap"
)

# The browser side. `build` is the build number this page was served at: if a
# build finished between serving the page and the stream connecting, the
# `hello` event tells us and we reload instead of missing it.
LIVERELOAD_JS = """(function () {
  if (!window.EventSource) return;
  var build = %(build)s, overlayId = %(overlay_id)s, style = %(style)s;
  function hideOverlay() {
    var el = document.getElementById(overlayId);
    if (el) el.remove();
  }
  function showOverlay(messages) {
    hideOverlay();
    var el = document.createElement("div");
    el.id = overlayId;
    el.style.cssText = style;
    el.textContent = "papernotes: build failed \\u2014 showing the last good version\\n\\n"
      + messages.join("\\n");
    document.body.appendChild(el);
  }
  var source = new EventSource("/__papernotes/events");
  source.addEventListener("hello", function (e) {
    if (Number(e.data) !== build) location.reload();
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function (e) {
    build = Number(e.data);
    hideOverlay();
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("papernotes-reload", e.data);
      links[i].href = url.href;
    }
  });
  source.addEventListener("error", function (e) {
    // The same event name is used by EventSource for connection errors; only
    // our own events carry data.
    if (typeof e.data !== "string") return;
    showOverlay(JSON.parse(e.data));
  });
})();
"""


class ReloadHub:
    """The state of the last build and the open event streams that want to hear about the next one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self._closed = False
        self.build = 0
        self.ok = True
        self.messages: list[str] = []

    def snapshot(self) -> tuple[int, bool, list[str]]:
        with self._lock:
            return self.build, self.ok, list(self.messages)

    def publish(self, ok: bool, messages: list[str], changed: list[str]) -> int:
        """Record a finished build and notify every connected browser. Returns the build number."""
        with self._lock:
            self.build += 1
            self.ok, self.messages = ok, list(messages)
            if not ok:
                event = ("error", json.dumps(self.messages))
            elif changed and all(c.endswith(".css") for c in changed):
                event = ("css", str(self.build))
            else:
                event = ("reload", str(self.build))
            for client in self._clients:
                client.put(event)
            return self.build

    def subscribe(self) -> queue.Queue | None:
        with self._lock:
            if self._closed:
                return None
            client: queue.Queue = queue.Queue()
            self._clients.add(client)
            return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def close(self) -> None:
        """End every open stream (each gets a None sentinel)."""
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)
            self._clients.clear()


def inject_dev_html(body: bytes, build: int, ok: bool, messages: list[str]) -> bytes:
    """Add the reload script (and the overlay, if the last build failed) before </body>."""
    snippet = ""
    if not ok:
        lines = "\n".join(html.escape(m) for m in messages)
        snippet += (
            f'<div id="{OVERLAY_ID}" style="{OVERLAY_STYLE}">papernotes: build failed'
            f" \u2014 showing the last good version\n\n{lines}</div>"
        )
    script = LIVERELOAD_JS % {
        "build": build,
        "overlay_id": json.dumps(OVERLAY_ID),
        "style": json.dumps(OVERLAY_STYLE),
    }
    snippet += f"<script>{script}</script>"
    data = snippet.encode("utf-8")
    at = body.lower().rfind(b"</body>")
    if at == -1:
        return body + data
    return body[:at] + data + body[at:]


def normalize_base_path(base_path: str) -> str:
    """'repo', '/repo', '/repo/' -> '/repo/'; '' or '/' -> '/'."""
    inner = base_path.strip("/")
    return f"/{inner}/" if inner else "/"


def _is_inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


NOT_FOUND_PAGE = (
    b"<!doctype html><html><head><meta charset=utf-8><title>404 Not Found</title></head>"
    b"<body><h1>404 Not Found</h1><p>No page at this address (dev server).</p></body></html>"
)


class DevRequestHandler(BaseHTTPRequestHandler):
    server: DevServer
    server_version = "papernotes-dev"

    # Requests are not logged: the terminal is for build results.
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    # --- routing ---------------------------------------------------------

    def _respond(self, send_body: bool) -> None:
        try:
            raw_path = urlsplit(self.path).path
            endpoint = self._endpoint_name(raw_path)
            if endpoint is None:
                self._serve_site(raw_path, send_body)
            elif endpoint == "events" and send_body:
                self._serve_events()
            elif endpoint == "status":
                self._serve_status(send_body)
            else:
                self._not_found(send_body)
        except (TimeoutError, BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the browser went away; nothing to report

    def _endpoint_name(self, raw_path: str) -> str | None:
        # Answered at the root and under the site's base path alike.
        for prefix in (ENDPOINT_PREFIX, self.server.base_path + ENDPOINT_PREFIX[1:]):
            if raw_path.startswith(prefix):
                return raw_path[len(prefix) :]
        return None

    def _serve_site(self, raw_path: str, send_body: bool) -> None:
        base = self.server.base_path
        if base != "/" and raw_path in ("/", base.rstrip("/")):
            return self._redirect(base)
        if not raw_path.startswith(base):
            return self._not_found(send_body)
        target = self.server.resolve(raw_path[len(base) :])
        if target is None:
            return self._not_found(send_body)
        if os.path.isdir(target):
            if not raw_path.endswith("/"):
                query = urlsplit(self.path).query
                return self._redirect(raw_path + "/" + (f"?{query}" if query else ""))
            target = self.server.contained(os.path.join(target, "index.html"))
            if target is None or not os.path.isfile(target):
                return self._not_found(send_body)
        elif raw_path.endswith("/"):
            return self._not_found(send_body)
        with open(target, "rb") as f:
            body = f.read()
        self._send(HTTPStatus.OK, content_type(target), body, send_body)

    # --- responses -------------------------------------------------------

    def _send(self, status: int, ctype: str, body: bytes, send_body: bool) -> None:
        if ctype.startswith("text/html"):
            body = inject_dev_html(body, *self.server.hub.snapshot())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_found(self, send_body: bool) -> None:
        page = self.server.contained(os.path.join(self.server.root, "404.html"))
        body = NOT_FOUND_PAGE
        if page is not None and os.path.isfile(page):
            with open(page, "rb") as f:
                body = f.read()
        self._send(HTTPStatus.NOT_FOUND, CONTENT_TYPES[".html"], body, send_body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _serve_status(self, send_body: bool) -> None:
        build, ok, messages = self.server.hub.snapshot()
        body = json.dumps({"build": build, "ok": ok, "messages": messages}).encode()
        self._send(HTTPStatus.OK, "application/json", body, send_body)

    def _serve_events(self) -> None:
        hub = self.server.hub
        client = hub.subscribe()
        if client is None:
            return self._not_found(send_body=True)
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self._write_event("hello", str(hub.snapshot()[0]))
            while True:
                try:
                    event = client.get(timeout=self.server.keepalive)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")  # also detects dead clients
                    continue
                if event is None:  # the server is shutting down
                    return
                self._write_event(*event)
        finally:
            hub.unsubscribe(client)
            self.close_connection = True

    def _write_event(self, name: str, data: str) -> None:
        lines = "".join(f"data: {line}\n" for line in data.split("\n"))
        self.wfile.write(f"event: {name}\n{lines}\n".encode())
        self.wfile.flush()


def content_type(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext in CONTENT_TYPES:
        return CONTENT_TYPES[ext]
    guessed, _ = mimetypes.guess_type(path)
    return guessed or "application/octet-stream"


class DevServer(ThreadingHTTPServer):
    """Serves `root` under `base_path`; only ever files whose real path is inside `root`."""

    daemon_threads = True  # open event streams must not keep the process alive
    block_on_close = False
    # The listen backlog. socketserver's default of 5 makes a burst (a page with many assets, a
    # link checker) wait for SYN retransmits, a second or more each; the kernel caps this at
    # net.core.somaxconn.
    request_queue_size = 1024

    def __init__(
        self,
        root: Path,
        hub: ReloadHub,
        host: str = "127.0.0.1",
        port: int = 8000,
        base_path: str = "/",
        keepalive: float = KEEPALIVE_SECONDS,
    ):
        self.root = os.path.realpath(root)
        self.hub = hub
        self.base_path = normalize_base_path(base_path)
        self.keepalive = keepalive
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), DevRequestHandler)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def resolve(self, rel_url_path: str) -> str | None:
        """Map a URL path (relative to the base path, still %-encoded) to a real file path, or None.

        Refuses, rather than normalizes, anything that could point elsewhere:
        encoded slashes, backslashes, NUL, '.' / '..' segments, empty segments
        (which is what '//etc/passwd' becomes) and symlinks leading outside.
        """
        lowered = rel_url_path.lower()
        if any(bad in lowered for bad in ("%2f", "%5c", "%00", "\\", "\x00")):
            return None
        try:
            decoded = unquote(rel_url_path, errors="strict")
        except UnicodeDecodeError:
            return None
        segments = decoded.split("/")
        if segments and segments[-1] == "":
            segments.pop()  # a trailing slash names a directory
        if any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
            return None
        return self.contained(os.path.join(self.root, *segments))

    def contained(self, path: str) -> str | None:
        """The real path of `path` if it exists inside the root, else None."""
        real = os.path.realpath(path)
        if not _is_inside(real, self.root) or not os.path.exists(real):
            return None
        return real

    def handle_error(self, request, client_address) -> None:
        # A browser closing a tab mid-response is normal, not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)
