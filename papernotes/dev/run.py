"""`serve()`: build once, serve the output, rebuild on change, tell the browser.

The glue between the builder (a callback, so this layer knows nothing about
notes or papers), the watcher and the HTTP server -- the shape of MkDocs'
`serve`. A failing or even crashing build never stops the server: the browser
keeps the last good pages and shows the errors over them.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from papernotes.dev.server import DevServer, ReloadHub
from papernotes.dev.watch import DEFAULT_WINDOW, Watcher

# How many diagnostics of a failed build to repeat in the terminal; the rest
# are in the browser overlay.
MAX_TERMINAL_MESSAGES = 20


@dataclass
class BuildOutcome:
    """What one (re)build reports; the real builder returns this."""

    ok: bool  # False if the build had errors (or raised)
    messages: list[str] = field(default_factory=list)  # "path:line: level: message", errors first
    changed: list[str] = field(default_factory=list)  # output-relative paths (re)written or removed


Rebuild = Callable[[set[Path] | None], BuildOutcome]


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _printable(text: str) -> str:
    """An exception's text (it may hold a file name) safe for a terminal and one line long."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def run_rebuild(rebuild: Rebuild, changed: set[Path] | None) -> BuildOutcome:
    """Call the builder; an exception becomes a failed outcome (and a traceback on stderr)."""
    try:
        outcome = rebuild(changed)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        summary = _printable(f"{type(exc).__name__}: {exc}".rstrip(": "))
        return BuildOutcome(ok=False, messages=[f"build crashed: {summary}"], changed=[])
    if not isinstance(outcome, BuildOutcome):
        return BuildOutcome(ok=False, messages=[f"builder returned {type(outcome).__name__}, not BuildOutcome"])
    return outcome


class _BuildLoop:
    """Runs builds one at a time and publishes each outcome to the browsers."""

    def __init__(self, rebuild: Rebuild, hub: ReloadHub):
        self._rebuild = rebuild
        self._hub = hub
        self._lock = threading.Lock()  # the initial build and watcher builds never overlap

    def __call__(self, changed: set[Path] | None) -> BuildOutcome:
        with self._lock:
            started = time.perf_counter()
            outcome = run_rebuild(self._rebuild, changed)
            number = self._hub.publish(outcome.ok, outcome.messages, outcome.changed)
            took = time.perf_counter() - started
        what = "full build" if changed is None else f"{len(changed)} changed source(s)"
        if outcome.ok:
            _log(f"papernotes: build {number} ok ({what}, {len(outcome.changed)} output file(s) written, {took:.2f}s)")
        else:
            _log(
                f"papernotes: build {number} FAILED ({what}, {len(outcome.messages)} message(s), {took:.2f}s)"
                " - still serving the last good pages"
            )
            for message in outcome.messages[:MAX_TERMINAL_MESSAGES]:
                _log(f"  {message}")
        return outcome


def serve(
    rebuild: Rebuild,
    output_dir: Path,
    watch_paths: list[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    ready: Callable[[str], None] | None = None,
    stop_event: threading.Event | None = None,
    base_path: str = "/",
    debounce: float = DEFAULT_WINDOW,
) -> int:
    """Build, serve `output_dir` with live reload, rebuild on changes until stopped.

    `rebuild(None)` is the full build (once, at start); `rebuild(paths)` an
    incremental one after a quiet burst of changes. Returns 0 when stopped by
    `stop_event` or Ctrl-C, 1 if the address cannot be bound or the output folder cannot be made.
    """
    output_dir = Path(output_dir).resolve()
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _log(_printable(f"papernotes: cannot use {output_dir} as the output folder: {exc.strerror or exc}"))
        return 1
    stop_event = stop_event or threading.Event()
    hub = ReloadHub()

    # Bind first: a busy port should fail now, not after a long build.
    try:
        server = DevServer(output_dir, hub, host=host, port=port, base_path=base_path)
    except OSError as exc:
        _log(f"papernotes: cannot listen on {host}:{port}: {exc}")
        return 1

    build = _BuildLoop(rebuild, hub)
    watcher = Watcher(watch_paths, build, ignore_dirs=[output_dir], window=debounce)
    server_thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="papernotes-http", daemon=True
    )
    try:
        # Watch before the first build so edits made during it are not lost;
        # the build lock makes the watcher wait for the initial build.
        try:
            watcher.start()
        except OSError as exc:  # e.g. the inotify watch limit; serving is still useful
            _log(f"papernotes: cannot watch for changes ({exc}); serving without rebuilds")
        build(None)
        server_thread.start()
        url_host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)
        url = f"http://{url_host}:{server.port}{server.base_path}"
        _log(f"papernotes: serving {output_dir} at {url} (Ctrl-C to stop)")
        if ready is not None:
            ready(url)
        if open_browser:
            webbrowser.open(url)
        # A timed wait keeps the main thread responsive to Ctrl-C.
        while not stop_event.wait(0.25):
            pass
    except KeyboardInterrupt:
        _log("papernotes: stopping")
    finally:
        watcher.stop()
        hub.close()  # ends open event streams
        if server_thread.is_alive():
            server.shutdown()
            server_thread.join(5)
        server.server_close()
    return 0
