"""Clients the dev-server tests share: the SSE event stream a browser tab opens, and a page parser
that finds the error overlay and the injected scripts."""

from __future__ import annotations

import contextlib
import http.client
import queue
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

from papernotes.dev.server import OVERLAY_ID, DevServer, ReloadHub

WAIT = 60.0


@contextlib.contextmanager
def running_server(root: Path, base_path: str = "/"):
    """The dev server on 127.0.0.1 (a free port) serving `root`, in a thread; stopped on exit."""
    hub = ReloadHub()
    server = DevServer(root, hub, host="127.0.0.1", port=0, base_path=base_path)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server, hub
    finally:
        hub.close()
        server.shutdown()
        server.server_close()
        thread.join(10)


def wait_until(probe, timeout: float = WAIT, what: str = "condition"):
    """Poll `probe()` until it returns something truthy; fail with the last value after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last value: {last!r}"[:2000])


class EventStream:
    """A client of /__papernotes/events; a thread reads events into a queue as they arrive."""

    def __init__(self, port: int, wait: float = WAIT):
        self.wait = wait
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=wait + 30)
        self.conn.request("GET", "/__papernotes/events")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type") == "text/event-stream"
        self.events: queue.Queue = queue.Queue()  # (name, data), then None when the stream ends
        self.seen: list[tuple[str, str]] = []
        threading.Thread(target=self._read, daemon=True, name="sse-reader").start()

    def _read(self) -> None:
        name, data = None, []
        try:
            while line := self.resp.readline():
                line = line.decode("utf-8").rstrip("\n")
                if line.startswith(":"):
                    continue  # keep-alive comment
                if line == "":
                    if name is not None:
                        self.events.put((name, "\n".join(data)))
                    name, data = None, []
                    continue
                key, _, value = line.partition(": ")
                if key == "event":
                    name = value
                elif key == "data":
                    data.append(value)
        except (OSError, ValueError, http.client.HTTPException):
            pass
        self.events.put(None)

    def next(self, timeout: float | None = None) -> tuple[str, str] | None:
        """The next event, None once the stream has ended; fails after `timeout` of silence."""
        timeout = self.wait if timeout is None else timeout
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no SSE event within {timeout}s; seen so far: {self.seen}") from None
        if event is not None:
            self.seen.append(event)
        return event

    def wait_for(self, name: str, timeout: float | None = None) -> tuple[str, str]:
        """Read events until one called `name`; fail if the stream ends or goes quiet first."""
        deadline = time.monotonic() + (self.wait if timeout is None else timeout)
        while True:
            event = self.next(max(0.01, deadline - time.monotonic()))
            if event is None:
                raise AssertionError(f"event stream closed before {name!r}; seen: {self.seen}")
            if event[0] == name:
                return event

    def close(self) -> None:
        self.conn.close()


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
