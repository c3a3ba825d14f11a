"""serve(): the generic build loop behind the dev server -- a fake builder, the watcher, the hub, a real
browser reloading, swapping CSS and showing the error overlay."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest
from devclient import EventStream, parse
from sitebuild import raw_get

from papernotes.dev.run import BuildOutcome, serve
from papernotes.dev.server import OVERLAY_ID

WAIT = 10.0
INDEX = "<!doctype html><html><head><link rel=stylesheet href=/style.css></head><body><h1>Home</h1></body></html>"


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
    stream = EventStream(port, WAIT)
    try:
        assert stream.next() == ("hello", "1")

        note.write_text("b")
        assert stream.next() == ("reload", "2")
        assert builder.calls[-1] == {note.resolve()}

        builder.next = BuildOutcome(ok=False, messages=["notes/a.md:7: error: unclosed $math"], changed=[])
        note.write_text("c")
        name, data = stream.next()
        assert name == "error" and json.loads(data) == ["notes/a.md:7: error: unclosed $math"]
        page = parse(raw_get(port, "/")[2])
        assert "notes/a.md:7: error: unclosed $math" in page.overlay
        assert b"<h1>Home</h1>" in raw_get(port, "/")[2]  # still the last good page
        status = json.loads(raw_get(port, "/__papernotes/status")[2])
        assert status == {"build": 3, "ok": False, "messages": ["notes/a.md:7: error: unclosed $math"]}

        builder.next = RuntimeError("boom")
        note.write_text("d")
        name, data = stream.next()
        assert name == "error" and "RuntimeError: boom" in json.loads(data)[0]
        assert raw_get(port, "/")[0] == 200  # the server survived

        builder.next = BuildOutcome(ok=True, messages=[], changed=["index.html"])
        note.write_text("e")
        assert stream.next() == ("reload", "5")
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
        streams.append(EventStream(ports[0], WAIT))  # a browser tab is listening ...
        assert streams[0].next() == ("hello", "1")
        stop.set()  # ... when the server is told to stop

    before = set(threading.enumerate())
    assert serve(lambda changed: BuildOutcome(True, [], []), out, [tmp_path], port=0, ready=ready, stop_event=stop) == 0
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not [t for t in leftover if not t.daemon]
    for t in leftover:  # daemon helpers (watchdog, request threads) finish promptly too
        t.join(WAIT)
        assert not t.is_alive(), t.name
    assert streams[0].next() is None  # the stream was ended, not left hanging
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
