"""Watch source files and turn bursts of file events into one rebuild call.

Editors save in bursts (write temp file, rename, touch, write a swap file), and
a `git checkout` touches hundreds of files at once. We collect the changed paths
until the file system has been quiet for a short window and only then hand the
whole set to the callback -- once, from a single worker thread, so two rebuilds
never overlap. Events that arrive while a rebuild runs are simply collected and
released as one more batch after it.

This module is generic: it knows paths and a callback, nothing about notes.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

# Quiet time before a batch is built: an editor's save (write, or write + rename) is events within a few
# milliseconds; every millisecond more is waited on each save (the edit -> page budget is 300 ms).
DEFAULT_WINDOW = 0.05

# Directories whose contents are never sources: our own output and cache, the
# JS toolchain and version control. A change there must not trigger a rebuild
# (and the output dir would otherwise make every build trigger the next one).
IGNORED_DIR_NAMES = frozenset({".papernotes-cache", "node_modules", ".git"})

# Editor droppings: vim swap/backup files and its "4913" write probe, emacs
# lock and backup files, generic temp files written before an atomic rename.
IGNORED_NAME_PATTERNS = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", "*.tmp")

# Only events that can change what a build reads; watchdog >= 5 also reports
# opened/closed events, which are noise here.
_RELEVANT_EVENTS = {EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED}


def is_ignored(path: Path, ignore_dirs: Iterable[Path] = ()) -> bool:
    """True if a change to `path` should never cause a rebuild."""
    if any(part in IGNORED_DIR_NAMES for part in path.parts):
        return True
    if any(fnmatch.fnmatchcase(path.name, pattern) for pattern in IGNORED_NAME_PATTERNS):
        return True
    return any(path == d or path.is_relative_to(d) for d in ignore_dirs)


class Debouncer:
    """Collects paths and releases them as one batch after `window` quiet seconds.

    The clock is injectable so the batching rule can be tested without sleeping.
    """

    def __init__(self, window: float = DEFAULT_WINDOW, clock: Callable[[], float] = time.monotonic):
        self.window = window
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._closed = False

    def add(self, paths: Iterable[Path]) -> None:
        paths = set(paths)
        if not paths:
            return
        with self._cond:
            self._pending |= paths
            self._last_event = self._clock()
            self._cond.notify_all()

    def take_ready(self) -> set[Path] | None:
        """The pending batch if the quiet window has passed, else None."""
        with self._cond:
            return self._take_ready_locked()

    def _take_ready_locked(self) -> set[Path] | None:
        if self._pending and self._clock() - self._last_event >= self.window:
            batch, self._pending = self._pending, set()
            return batch
        return None

    def wait_batch(self) -> set[Path] | None:
        """Block until a batch is ready (returned) or close() was called (None)."""
        with self._cond:
            while not self._closed:
                batch = self._take_ready_locked()
                if batch is not None:
                    return batch
                # Sleep until the window could have passed; a new event wakes us
                # early and we recompute from its timestamp.
                timeout = None
                if self._pending:
                    timeout = max(0.0, self.window - (self._clock() - self._last_event)) + 0.001
                self._cond.wait(timeout)
            return None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class _EventFilter(FileSystemEventHandler):
    """Turns watchdog events into paths for the debouncer, dropping noise."""

    def __init__(self, accept: Callable[[Path], bool], debouncer: Debouncer, appeared=lambda path: None):
        self._accept = accept
        self._debouncer = debouncer
        self._appeared = appeared  # a folder was created: the watcher may want to watch inside it

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _RELEVANT_EVENTS:
            return
        # A directory's mtime changes whenever a file inside it does; the file's
        # own event already tells us what changed.
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return
        raw = [event.src_path]
        if event.event_type == EVENT_TYPE_MOVED:
            raw.append(event.dest_path)
        paths = {Path(os.fsdecode(p)) for p in raw if p}
        if event.is_directory:
            for path in paths:
                self._appeared(path)
        self._debouncer.add(p for p in paths if self._accept(p))


class Watcher:
    """Watches files and directories; calls `on_change(paths)` once per quiet burst.

    `paths` may mix directories (watched recursively) and single files such as
    `site.yaml` (their directory is watched and other files in it filtered out).
    A path that does not exist yet is watched for: when it appears as a folder
    (a site's `templates/` made while `serve` runs), everything in it is watched.
    Paths handed to `on_change` are absolute.
    """

    def __init__(
        self,
        paths: Iterable[Path],
        on_change: Callable[[set[Path]], None],
        ignore_dirs: Iterable[Path] = (),
        window: float = DEFAULT_WINDOW,
    ):
        self._on_change = on_change
        self._ignore_dirs = [Path(d).resolve() for d in ignore_dirs]
        self._dirs: list[Path] = []
        self._files: set[Path] = set()
        for p in paths:
            p = Path(p).resolve()
            if p.is_dir():
                self._dirs.append(p)
            else:  # a file, or one that does not exist yet
                self._files.add(p)
        self.debouncer = Debouncer(window)
        self._observer = Observer()
        self._worker = threading.Thread(target=self._run, name="papernotes-rebuild", daemon=True)

    def accepts(self, path: Path) -> bool:
        """True if a change to `path` concerns one of the watched paths."""
        if is_ignored(path, self._ignore_dirs):
            return False
        if path in self._files or any(path == d or path.is_relative_to(d) for d in self._dirs):
            return True
        return any(path.is_relative_to(f) for f in self._files)  # inside a watched path that became a folder

    def _appeared(self, path: Path) -> None:
        """A folder was created (or moved in): watch inside it if it is one of the watched paths."""
        path = path.resolve()
        if path in self._files and path not in self._dirs and path.is_dir():
            self._dirs.append(path)
            try:
                self._observer.schedule(self._handler, str(path), recursive=True)
            except OSError:  # gone again already
                pass

    def start(self) -> None:
        handler = self._handler = _EventFilter(self.accepts, self.debouncer, self._appeared)
        scheduled: set[tuple[Path, bool]] = set()
        for d in self._dirs:
            scheduled.add((d, True))
        for f in self._files:
            parent = f.parent
            # Already covered by a recursive watch: no second watch needed.
            if any(parent == d or parent.is_relative_to(d) for d in self._dirs):
                continue
            if parent.is_dir():
                scheduled.add((parent, False))
        for path, recursive in sorted(scheduled):
            self._observer.schedule(handler, str(path), recursive=recursive)
        self._observer.start()
        self._worker.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._observer.stop()
        self.debouncer.close()
        if self._observer.is_alive():
            self._observer.join(timeout)
        # The worker may be inside a rebuild; let it finish that build.
        if self._worker.is_alive():
            self._worker.join(timeout)

    def _run(self) -> None:
        while True:
            batch = self.debouncer.wait_batch()
            if batch is None:
                return
            try:
                self._on_change(batch)
            except Exception:  # the watcher must outlive a broken callback
                traceback.print_exc(file=sys.stderr)
