"""The dev server: safe static serving, injected reload script, SSE events, overlay, serve()."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitebuild import raw_get

from papernotes.dev.run import BuildOutcome, serve
from papernotes.dev.server import OVERLAY_ID, DevServer, ReloadHub

WAIT = 10.0
SECRET = "TOP-SECRET-OUTSIDE-CONTENT"
INDEX = "<!doctype html><html><head><link rel=stylesheet href=/style.css></head><body><h1>Home</h1></body></html>"


# --- helpers ------------------------------------------------------------------


class PageParser(HTMLParser):
    """Collects the text of the overlay element and of inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.overlay: str | None = None
        self.scripts: list[str] = []
        self._in_overlay = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == OVERLAY_ID:
            self.overlay = ""
            self._in_overlay = 1
        elif self._in_overlay:
            self._in_overlay += 1
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if self._in_overlay:
            self._in_overlay -= 1
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_overlay:
            self.overlay += data
        if self._in_script:
            self.scripts[-1] += data


def parse(body: bytes) -> PageParser:
    p = PageParser()
    p.feed(body.decode("utf-8"))
    return p


class EventStream:
    """A client of /__papernotes/events reading one SSE event at a time."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
        self.conn.request("GET", "/__papernotes/events")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type") == "text/event-stream"

    def next_event(self) -> tuple[str, str] | None:
        name, data = None, []
        while True:
            line = self.resp.readline()
            if not line:
                return None  # stream closed
            line = line.decode("utf-8").rstrip("\n")
            if line.startswith(":"):
                continue  # keep-alive comment
            if line == "":
                if name is not None:
                    return name, "\n".join(data)
                continue
            field, _, value = line.partition(": ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)

    def close(self) -> None:
        self.conn.close()


# --- static serving ---------------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "out"
    (out / "papers" / "x").mkdir(parents=True)
    (out / "pagefind").mkdir()
    (out / "index.html").write_text(INDEX)
    (out / "papers" / "x" / "index.html").write_text("<html><body><p>paper x</p></body></html>")
    (out / "404.html").write_text("<html><body><p>SITE-404-PAGE</p></body></html>")
    for name in [
        "style.css",
        "app.js",
        "data.json",
        "feed.xml",
        "logo.svg",
        "f.woff2",
        "i.png",
        "i.jpg",
        "m.wasm",
        "pagefind/a.pf_meta",
        "pagefind/b.pf_index",
        "pagefind/c.pf_fragment",
    ]:
        (out / name).write_bytes(b"x")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    os.symlink(outside / "secret.txt", out / "leak.txt")
    os.symlink(outside, out / "linkdir")
    return out


def start_server(root: Path, base_path: str = "/") -> tuple[DevServer, ReloadHub, threading.Thread]:
    hub = ReloadHub()
    server = DevServer(root, hub, host="127.0.0.1", port=0, base_path=base_path)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, hub, thread


@pytest.fixture
def server(site):
    srv, hub, thread = start_server(site)
    try:
        yield srv
    finally:
        hub.close()
        srv.shutdown()
        srv.server_close()
        thread.join(WAIT)


def test_pages_are_served_with_injected_script_not_on_disk(server, site):
    status, headers, body = raw_get(server.port, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    page = parse(body)
    assert any('EventSource("/__papernotes/events")' in s for s in page.scripts)
    assert page.overlay is None
    assert body.index(b"<script>") < body.index(b"</body>")
    assert "__papernotes" not in (site / "index.html").read_text()

    status, _, body = raw_get(server.port, "/papers/x/")
    assert status == 200 and b"paper x" in body


def test_directory_without_slash_redirects(server):
    status, headers, _ = raw_get(server.port, "/papers/x")
    assert status == 301
    assert headers["location"] == "/papers/x/"


def test_unknown_path_gets_the_sites_404_page(server):
    status, headers, body = raw_get(server.port, "/no/such/page/")
    assert status == 404
    assert b"SITE-404-PAGE" in body
    assert headers["content-type"].startswith("text/html")


def test_builtin_404_without_site_page(server, site):
    (site / "404.html").unlink()
    status, _, body = raw_get(server.port, "/missing.css")
    assert status == 404 and b"404" in body


@pytest.mark.parametrize(
    "path, ctype",
    [
        ("/style.css", "text/css"),
        ("/app.js", "text/javascript"),
        ("/data.json", "application/json"),
        ("/feed.xml", "application/xml"),
        ("/logo.svg", "image/svg+xml"),
        ("/f.woff2", "font/woff2"),
        ("/i.png", "image/png"),
        ("/i.jpg", "image/jpeg"),
        ("/m.wasm", "application/wasm"),
        ("/pagefind/a.pf_meta", "application/octet-stream"),
        ("/pagefind/b.pf_index", "application/octet-stream"),
        ("/pagefind/c.pf_fragment", "application/octet-stream"),
    ],
)
def test_content_types(server, path, ctype):
    status, headers, body = raw_get(server.port, path)
    assert status == 200
    assert headers["content-type"].split(";")[0] == ctype
    assert headers["cache-control"] == "no-store"
    assert body == b"x"  # non-HTML is never rewritten


@pytest.mark.parametrize(
    "path",
    [
        "/../outside/secret.txt",
        "/papers/../../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/%2E%2E/outside/secret.txt",
        "/%2e%2e%2foutside%2fsecret.txt",
        "/..%5coutside%5csecret.txt",
        "/..\\outside\\secret.txt",
        "/leak.txt",
        "/linkdir/secret.txt",
        "/linkdir/",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/outside/secret.txt",
        "//etc/passwd",
        "/%2fetc/passwd",
    ],
)
def test_requests_cannot_escape_the_output_dir(server, site, path):
    status, _, body = raw_get(server.port, path)
    assert status in (403, 404)
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_absolute_path_to_the_secret_is_refused(server, site):
    secret = site.parent / "outside" / "secret.txt"
    for path in ("/" + str(secret), "/" + str(secret).lstrip("/")):
        status, _, body = raw_get(server.port, path)
        assert status in (403, 404)
        assert SECRET.encode() not in body


def test_base_path_prefix(site):
    srv, hub, thread = start_server(site, base_path="/repo/")
    try:
        status, _, body = raw_get(srv.port, "/repo/papers/x/")
        assert status == 200 and b"paper x" in body
        assert raw_get(srv.port, "/repo")[1]["location"] == "/repo/"
        assert raw_get(srv.port, "/")[1]["location"] == "/repo/"
        assert raw_get(srv.port, "/papers/x/")[0] == 404
        assert raw_get(srv.port, "/repo/../outside/secret.txt")[0] == 404
        for endpoint in ("/__papernotes/status", "/repo/__papernotes/status"):
            status, _, body = raw_get(srv.port, endpoint)
            assert status == 200 and json.loads(body)["ok"] is True
    finally:
        hub.close()
        srv.shutdown()
        srv.server_close()
        thread.join(WAIT)


def test_hub_events_and_overlay(server):
    stream = EventStream(server.port)
    try:
        assert stream.next_event() == ("hello", "0")
        server.hub.publish(False, ["notes/a.md:3: error: bad <tag>"], [])
        name, data = stream.next_event()
        assert name == "error" and json.loads(data) == ["notes/a.md:3: error: bad <tag>"]
        _, _, body = raw_get(server.port, "/")
        assert b"bad &lt;tag&gt;" in body
        assert "notes/a.md:3: error: bad <tag>" in parse(body).overlay
        server.hub.publish(True, [], ["style.css", "css/more.css"])
        assert stream.next_event() == ("css", "2")
        server.hub.publish(True, [], ["index.html", "style.css"])
        assert stream.next_event() == ("reload", "3")
        assert parse(raw_get(server.port, "/")[2]).overlay is None
    finally:
        stream.close()


def test_event_stream_ends_when_hub_closes(server):
    stream = EventStream(server.port)
    try:
        assert stream.next_event()[0] == "hello"
        server.hub.close()
        assert stream.next_event() is None
    finally:
        stream.close()


# --- serve(): the whole loop with a fake builder ---------------------------------------


class FakeBuilder:
    """Writes a page on the full build; returns whatever outcome the test sets next."""

    def __init__(self, out: Path):
        self.out = out
        self.calls: list[set[Path] | None] = []
        self.next: BuildOutcome | Exception = BuildOutcome(ok=True, messages=[], changed=["index.html"])

    def __call__(self, changed):
        self.calls.append(changed)
        if changed is None:
            (self.out / "index.html").write_text(INDEX)
        if isinstance(self.next, Exception):
            raise self.next
        return self.next


@pytest.fixture
def served(tmp_path):
    src = tmp_path / "site_src"
    (src / "notes").mkdir(parents=True)
    note = src / "notes" / "a.md"
    note.write_text("a")
    out = tmp_path / "output"
    builder = FakeBuilder(out)
    stop = threading.Event()
    urls: list[str] = []
    is_ready = threading.Event()
    result: list[int] = []

    def ready(url):
        urls.append(url)
        is_ready.set()

    thread = threading.Thread(
        target=lambda: result.append(serve(builder, out, [src], port=0, ready=ready, stop_event=stop, debounce=0.05)),
        name="test-serve",
    )
    thread.start()
    try:
        assert is_ready.wait(WAIT)
        port = int(urls[0].rsplit(":", 1)[1].strip("/"))
        yield port, builder, note
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive()
        assert result == [0]


def test_serve_reports_real_port_and_serves_first_build(served):
    port, builder, _ = served
    assert port != 0
    assert builder.calls == [None]
    status, _, body = raw_get(port, "/")
    assert status == 200 and b"<h1>Home</h1>" in body


def test_serve_rebuilds_on_change_and_reports_errors(served):
    port, builder, note = served
    stream = EventStream(port)
    try:
        assert stream.next_event() == ("hello", "1")

        note.write_text("b")
        assert stream.next_event() == ("reload", "2")
        assert builder.calls[-1] == {note.resolve()}

        builder.next = BuildOutcome(ok=False, messages=["notes/a.md:7: error: unclosed $math"], changed=[])
        note.write_text("c")
        name, data = stream.next_event()
        assert name == "error" and json.loads(data) == ["notes/a.md:7: error: unclosed $math"]
        page = parse(raw_get(port, "/")[2])
        assert "notes/a.md:7: error: unclosed $math" in page.overlay
        assert b"<h1>Home</h1>" in raw_get(port, "/")[2]  # still the last good page
        status = json.loads(raw_get(port, "/__papernotes/status")[2])
        assert status == {"build": 3, "ok": False, "messages": ["notes/a.md:7: error: unclosed $math"]}

        builder.next = RuntimeError("boom")
        note.write_text("d")
        name, data = stream.next_event()
        assert name == "error" and "RuntimeError: boom" in json.loads(data)[0]
        assert raw_get(port, "/")[0] == 200  # the server survived

        builder.next = BuildOutcome(ok=True, messages=[], changed=["index.html"])
        note.write_text("e")
        assert stream.next_event() == ("reload", "5")
        assert parse(raw_get(port, "/")[2]).overlay is None
    finally:
        stream.close()


def test_serve_stops_cleanly_with_open_stream(tmp_path):
    out = tmp_path / "out"
    stop = threading.Event()
    ports: list[int] = []
    streams: list[EventStream] = []

    def ready(url):
        ports.append(int(url.rsplit(":", 1)[1].strip("/")))
        streams.append(EventStream(ports[0]))  # a browser tab is listening ...
        assert streams[0].next_event() == ("hello", "1")
        stop.set()  # ... when the server is told to stop

    before = set(threading.enumerate())
    assert serve(lambda changed: BuildOutcome(True, [], []), out, [tmp_path], port=0, ready=ready, stop_event=stop) == 0
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not [t for t in leftover if not t.daemon]
    for t in leftover:  # daemon helpers (watchdog, request threads) finish promptly too
        t.join(WAIT)
        assert not t.is_alive(), t.name
    assert streams[0].next_event() is None  # the stream was ended, not left hanging
    streams[0].close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", ports[0]), timeout=1).close()


def test_ctrl_c_returns_zero(tmp_path):
    def ready(url):
        raise KeyboardInterrupt

    before = set(threading.enumerate())
    assert serve(lambda changed: BuildOutcome(True, [], []), tmp_path / "out", [tmp_path], port=0, ready=ready) == 0
    assert not [t for t in threading.enumerate() if t not in before and not t.daemon and t.is_alive()]


def test_busy_port_returns_one(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert (
            serve(
                lambda changed: BuildOutcome(True, [], []),
                tmp_path / "out",
                [tmp_path],
                port=port,
                stop_event=threading.Event(),
            )
            == 1
        )


# --- the browser side, in real Chromium ---------------------------------------------------


def _chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            return candidate
    return None


def test_browser_reloads_swaps_css_and_shows_overlay(served):
    sync_api = pytest.importorskip("playwright.sync_api")
    port, builder, note = served
    url = f"http://127.0.0.1:{port}/"
    try:
        pw = sync_api.sync_playwright().start()
    except Exception as exc:  # pragma: no cover - environment without a driver
        pytest.skip(f"playwright unavailable: {exc}")
    try:
        try:
            browser = pw.chromium.launch(executable_path=_chromium_path())
        except Exception as exc:  # pragma: no cover - environment without chromium
            pytest.skip(f"chromium unavailable: {exc}")
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("document.readyState === 'complete'")
        assert page.locator(f"#{OVERLAY_ID}").count() == 0

        # A failed build: the overlay appears live, over the last good page.
        builder.next = BuildOutcome(ok=False, messages=["notes/a.md:7: error: unclosed <b>"], changed=[])
        note.write_text("broken")
        overlay = page.wait_for_selector(f"#{OVERLAY_ID}", timeout=WAIT * 1000)
        assert "notes/a.md:7: error: unclosed <b>" in overlay.text_content()
        assert page.locator("h1").text_content() == "Home"

        # A good build reloads the page, which clears the overlay.
        page.evaluate("window.__marker = 1")
        builder.next = BuildOutcome(ok=True, messages=[], changed=["index.html"])
        note.write_text("fixed")
        page.wait_for_function("window.__marker === undefined", timeout=WAIT * 1000)
        page.wait_for_function("document.readyState === 'complete'")
        assert page.locator(f"#{OVERLAY_ID}").count() == 0

        # A CSS-only build swaps the stylesheet without reloading.
        page.evaluate("window.__marker = 2")
        builder.next = BuildOutcome(ok=True, messages=[], changed=["style.css"])
        note.write_text("css")
        page.wait_for_function(
            "document.querySelector('link[rel=stylesheet]').href.includes('papernotes-reload=')", timeout=WAIT * 1000
        )
        assert page.evaluate("window.__marker") == 2
        browser.close()
    finally:
        pw.stop()
