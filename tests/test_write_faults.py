"""Issue 11, acceptance 4 (the writer's half): a write that fails is one message, never a traceback.

The real command line builds a small site into an output folder that is read-only, on a full file system
(a tiny tmpfs, when running as root and `mount` works), a file, or has a file where a folder must be: one
error naming the output path and the OS error, exit status 1, no traceback, no `.tmp-*` left behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT

from papernotes.diagnostics import Diagnostics
from papernotes.site.graph import Graph
from papernotes.site.urls import Urls
from papernotes.write import SiteWriter


def _project(tmp_path: Path) -> Path:
    """A project folder the CLI can run in: build.py, templates, static, node_modules and a small site_src/."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "build.py", project / "build.py")
    shutil.copytree(ROOT / "templates", project / "templates")
    for name in ("static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    src = project / "site_src"
    for folder in ("posts", "notes", "papers"):
        (src / folder).mkdir(parents=True)
    (src / "site.yaml").write_text("title: 故障\n", encoding="utf-8")
    for kind in ("posts", "notes"):
        text = f"---\ntitle: {kind}\ndate: 2024-01-02\ntags: [a]\n---\n\n正文。\n"
        (src / kind / f"{kind[:-1]}.md").write_text(text, encoding="utf-8")
    return project


def _build(project: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py", "build", "--source", "site_src", "--output", str(output), "--no-search"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _errors(proc: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return [line for line in proc.stderr.splitlines() if ": error: " in line]


def _leftovers(output: Path) -> list[Path]:
    return list(output.rglob(".tmp-*")) if output.is_dir() else []


@pytest.fixture
def tmpfs(tmp_path):
    """mount(path, size, read_only): a tmpfs at path (as root, where `mount` works; else the test is skipped)."""
    mounted: list[Path] = []

    def mount(path: Path, size: str = "64m", read_only: bool = False) -> None:
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("needs root and mount(8) for a small file system")
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
        mounted.append(path)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)

    yield mount
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_output_that_is_a_file_is_one_message(tmp_path):
    project = _project(tmp_path)
    output = tmp_path / "output"
    output.write_text("not a folder\n", encoding="utf-8")
    proc = _build(project, output)
    (message,) = _errors(proc)
    assert proc.returncode == 1
    assert "output" in message and "is a file, not a folder" in message, message
    assert output.read_text(encoding="utf-8") == "not a folder\n"


def test_a_file_where_a_folder_must_be_is_one_message_and_the_rest_builds(tmp_path):
    project = _project(tmp_path)
    output = tmp_path / "output"
    output.mkdir()
    (output / "posts").write_text("in the way\n", encoding="utf-8")  # posts/index.html, posts/post/index.html
    proc = _build(project, output)
    (message,) = _errors(proc)
    assert proc.returncode == 1
    assert "cannot write posts/" in message and "posts is a file, not a folder" in message, message
    assert "(and 1 more files)" in message
    assert (output / "index.html").is_file() and (output / "notes/note/index.html").is_file()
    assert _leftovers(output) == []


def test_a_folder_where_a_file_must_be_is_one_message(tmp_path):
    project = _project(tmp_path)
    output = tmp_path / "output"
    (output / "404.html").mkdir(parents=True)
    proc = _build(project, output)
    (message,) = _errors(proc)
    assert proc.returncode == 1 and "cannot write 404.html" in message and "directory" in message, message
    assert (output / "index.html").is_file() and _leftovers(output) == []


def test_read_only_output_is_one_message(tmp_path, tmpfs):
    project = _project(tmp_path)
    output = tmp_path / "output"
    if os.geteuid() == 0:  # chmod does not stop root: a read-only file system does
        tmpfs(output, read_only=True)
    else:
        output.mkdir()
        output.chmod(0o555)
    try:
        proc = _build(project, output)
    finally:
        if os.geteuid() != 0:
            output.chmod(0o755)
    (message,) = _errors(proc)
    assert proc.returncode == 1
    assert str(output) in message and "cannot write" in message, message
    assert "Read-only file system" in message or "Permission denied" in message, message
    assert "more files)" in message
    assert list(output.iterdir()) == []


def test_full_file_system_is_one_message_and_leaves_no_temporary_file(tmp_path, tmpfs):
    project = _project(tmp_path)
    output = tmp_path / "output"
    tmpfs(output, size="200k")  # the KaTeX fonts alone need more
    proc = _build(project, output)
    (message,) = _errors(proc)
    assert proc.returncode == 1
    assert str(output) in message and "No space left on device" in message, message
    assert _leftovers(output) == []


def test_a_name_too_long_is_one_message(tmp_path):
    writer = SiteWriter(ROOT / "templates", tmp_path / "output")
    diags = Diagnostics()
    assets = {"static/" + "x" * 300 + ".css": b"a", "static/ok.css": b"b"}
    report = writer.write([], Graph(), Urls(), {}, diags, {}, assets)
    (message,) = [d.format() for d in diags.errors]
    assert "cannot write static/xxx" in message and "File name too long" in message, message
    assert report.written == ["static/ok.css"] and _leftovers(tmp_path / "output") == []


def test_leftovers_of_a_killed_build_are_swept_and_nothing_else(tmp_path):
    output = tmp_path / "output"
    (output / "posts").mkdir(parents=True)
    ours = [output / ".tmp-abcd1234", output / "posts" / ".tmp-x_y9z0w1"]  # what tempfile.mkstemp names
    theirs = [output / ".tmp-notes.txt", output / "posts" / "tmp-abcd1234", output / "keep.html"]
    for path in ours + theirs:
        path.write_text("half a page", encoding="utf-8")
    SiteWriter(ROOT / "templates", output).write([], Graph(), Urls(), {}, Diagnostics(), {}, {"a.txt": b"a"})
    assert [p for p in ours if p.exists()] == [] and all(p.exists() for p in theirs)


def test_a_write_that_raises_leaves_the_collector_unfrozen(tmp_path, monkeypatch):
    """Outside dev the heap is frozen while pages are written; a write that raises (a bug, not an OS error:
    those are diagnostics) must not leave a long-lived process with the collector blind to the whole heap."""
    import gc

    from papernotes.pipeline import Builder, BuildOptions

    project = _project(tmp_path)

    def broken(*args, **kwargs):
        assert gc.get_freeze_count() > 0  # frozen while writing
        raise RuntimeError("a bug in the writer")

    builder = Builder(BuildOptions(project=project, source=project / "site_src", output=tmp_path / "out", search=False))
    monkeypatch.setattr(builder.writer, "write", broken)
    try:
        with pytest.raises(RuntimeError, match="a bug in the writer"):
            builder.build()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        builder.close()
