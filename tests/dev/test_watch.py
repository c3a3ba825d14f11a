"""The watcher: ignore rules, the debounce rule (fake clock) and real file events."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from papernotes.dev.watch import Debouncer, Watcher, is_ignored

WAIT = 10.0  # upper bound for anything that should happen "soon"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --- pure rules -------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "4913", "x.tmp", "#a.md#"])
def test_editor_temp_files_are_ignored(name):
    assert is_ignored(Path("/src/notes") / name)


@pytest.mark.parametrize("rel", [".git/index", "node_modules/katex/x.js", ".papernotes-cache/k.json"])
def test_tool_directories_are_ignored(rel):
    assert is_ignored(Path("/src") / rel)


def test_output_dir_is_ignored_but_sources_are_not():
    out = Path("/proj/output")
    assert is_ignored(Path("/proj/output/index.html"), [out])
    assert is_ignored(out, [out])
    assert not is_ignored(Path("/proj/output-notes/a.md"), [out])
    assert not is_ignored(Path("/proj/site_src/notes/a.md"), [out])


def test_debouncer_waits_for_a_quiet_window():
    clock = FakeClock()
    d = Debouncer(window=0.15, clock=clock)
    assert d.take_ready() is None
    for _ in range(5):  # a burst: each event restarts the window
        d.add([Path("/s/a.md")])
        clock.now += 0.1
        assert d.take_ready() is None
    d.add([Path("/s/b.md")])
    clock.now += 0.149
    assert d.take_ready() is None
    clock.now += 0.002
    assert d.take_ready() == {Path("/s/a.md"), Path("/s/b.md")}
    assert d.take_ready() is None  # released exactly once


def test_debouncer_wait_batch_returns_none_after_close():
    d = Debouncer(window=0.01)
    t = threading.Thread(target=d.close)
    t.start()
    assert d.wait_batch() is None
    t.join()


def test_debouncer_wait_batch_releases_after_window():
    d = Debouncer(window=0.02)
    d.add([Path("/s/a.md")])
    assert d.wait_batch() == {Path("/s/a.md")}


# --- real file system events -------------------------------------------------


class Recorder:
    """Collects callback batches; lets a test wait for the n-th one."""

    def __init__(self, block: threading.Event | None = None) -> None:
        self.batches: list[set[Path]] = []
        self._cond = threading.Condition()
        self._block = block

    def __call__(self, paths: set[Path]) -> None:
        with self._cond:
            self.batches.append(set(paths))
            self._cond.notify_all()
        if self._block is not None:
            self._block.wait(WAIT)

    def wait_for(self, n: int, timeout: float = WAIT) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.batches) >= n, timeout)

    def all_paths(self) -> set[Path]:
        with self._cond:
            return set().union(*self.batches) if self.batches else set()


@pytest.fixture
def src(tmp_path):
    root = (tmp_path / "site_src").resolve()
    (root / "notes").mkdir(parents=True)
    (root / "notes" / "a.md").write_text("a\n")
    return root


def start_watcher(paths, recorder, **kw) -> Watcher:
    w = Watcher(paths, recorder, **kw)
    w.start()
    return w


def test_burst_of_writes_gives_one_callback(src):
    rec = Recorder()
    target = src / "notes" / "a.md"
    w = start_watcher([src], rec, window=0.3)
    try:
        for i in range(5):
            target.write_text(f"version {i}\n")
        assert rec.wait_for(1)
        # Nothing else arrives after the burst has been released.
        assert not rec.wait_for(2, timeout=0.9)
        assert rec.batches == [{target}]
    finally:
        w.stop()


def test_temp_files_are_ignored_and_deletions_reported(src):
    rec = Recorder()
    w = start_watcher([src], rec, window=0.1)
    try:
        (src / "notes" / ".a.md.swp").write_text("swap")
        (src / "notes" / "4913").write_text("")
        (src / "notes" / "a.md~").write_text("backup")
        (src / "notes" / "a.md").unlink()
        assert rec.wait_for(1)
        assert not rec.wait_for(2, timeout=0.4)
        assert rec.all_paths() == {src / "notes" / "a.md"}
    finally:
        w.stop()


def test_atomic_save_reports_both_ends_of_a_move(src):
    rec = Recorder()
    w = start_watcher([src], rec, window=0.1)
    try:
        (src / "notes" / "b.md").write_text("b")
        rec.wait_for(1)
        (src / "notes" / "b.md").rename(src / "notes" / "c.md")
        assert rec.wait_for(2)
        assert {src / "notes" / "b.md", src / "notes" / "c.md"} <= rec.all_paths()
    finally:
        w.stop()


def test_single_file_watch_filters_its_siblings(tmp_path):
    root = tmp_path.resolve()
    config = root / "site.yaml"
    config.write_text("title: x\n")
    rec = Recorder()
    w = start_watcher([config], rec, window=0.1)
    try:
        (root / "unrelated.txt").write_text("noise")
        config.write_text("title: y\n")
        assert rec.wait_for(1)
        assert not rec.wait_for(2, timeout=0.3)
        assert rec.all_paths() == {config}
    finally:
        w.stop()


def test_output_dir_inside_watched_tree_is_ignored(src):
    out = src / "output"
    out.mkdir()
    rec = Recorder()
    w = start_watcher([src], rec, ignore_dirs=[out], window=0.1)
    try:
        (out / "index.html").write_text("<p>built</p>")
        (src / "notes" / "a.md").write_text("edited")
        assert rec.wait_for(1)
        assert not rec.wait_for(2, timeout=0.3)
        assert rec.all_paths() == {src / "notes" / "a.md"}
    finally:
        w.stop()


def test_events_during_a_rebuild_cause_exactly_one_more(src):
    release = threading.Event()
    rec = Recorder(block=release)
    w = start_watcher([src], rec, window=0.05)
    try:
        (src / "notes" / "a.md").write_text("1")
        assert rec.wait_for(1)  # first "rebuild" is now running (blocked)
        for i in range(3):
            (src / "notes" / f"n{i}.md").write_text("x")
        assert not rec.wait_for(2, timeout=0.3)  # never two at once
        release.set()
        assert rec.wait_for(2)
        assert not rec.wait_for(3, timeout=0.3)
        assert {src / "notes" / f"n{i}.md" for i in range(3)} <= rec.batches[1]
    finally:
        release.set()
        w.stop()


def test_a_watched_folder_made_later_is_watched_inside(tmp_path):
    """`serve` watches the site's templates/ before it exists: made later, every file in it counts."""
    root = tmp_path.resolve()
    templates = root / "templates"
    rec = Recorder()
    w = start_watcher([templates], rec, window=0.1)
    try:
        templates.mkdir()
        assert rec.wait_for(1)  # the folder's own watch was added when its creation was seen, before this
        (templates / "document.html").write_text("<p>mine</p>\n")
        assert rec.wait_for(2)
        (templates / "document.html").write_text("<p>mine, edited</p>\n")
        assert rec.wait_for(3)
        assert templates / "document.html" in rec.all_paths()
        (root / "elsewhere.txt").write_text("noise")
        assert not rec.wait_for(4, timeout=0.4)
    finally:
        w.stop()
