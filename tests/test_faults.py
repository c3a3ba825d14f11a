"""Issue 11: faults are messages and no fault loses a page.

Missing or mistyped source folders stop build, serve and deploy with exit 2 before output/ is touched; a
KaTeX worker that never answers, corrupt or locked caches and two builds at once cost time, never the build;
every printed diagnostic is `path:line: level: message` in printable characters; SIGTERM and Ctrl-C stop a
build with one line and no saved state. Builds run the real CLI from a project folder (its own templates and
cache), except where a deadline or a lock has to be shortened in-process.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import ROOT, build_site, project_copy, soup

from papernotes.commands.common import printable
from papernotes.pipeline import Builder, BuildOptions
from papernotes.render import katex

DIAGNOSTIC = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+): (?P<level>error|warning|info): \S")


def _project(where: Path, source: bool = True) -> Path:
    """A folder the CLI takes as the project (it holds site_src/): templates, static, KaTeX, a cache of its own."""
    where.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", where / "templates")
    for name in ("static", "node_modules"):
        (where / name).symlink_to(ROOT / name)
    if source:
        shutil.copytree(ROOT / "site_src", where / "site_src")
    return where


def _cli(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=project, capture_output=True, text=True, timeout=timeout
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file below `folder`: relative path -> (sha256, mtime in ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return found


def _pages(folder: Path) -> dict[str, str]:
    """The pages and assets (not Pagefind's index, whose filter files are not byte-stable) by content."""
    return {rel: digest for rel, (digest, _) in _tree(folder).items() if not rel.startswith("pagefind/")}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A project and its output after one good build (no search: faster, and nothing here needs it)."""
    project = _project(tmp_path_factory.mktemp("built") / "project")
    done = _cli(project, "build", "--output", str(project / "output"), "--no-search")
    assert done.returncode == 0, done.stderr[-2000:]
    return project, project / "output"


# -- 1. a source that cannot be built stops everything before output/ -------------------------------


def _configure(config: Path, key: str, folder: str) -> str:
    """Point `key` of site.yaml at `folder`; the start of the message that names its line."""
    lines = config.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))
    lines[number - 1] = f"{key}: {folder}"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"site.yaml:{number}: error: {key}: {folder!r}"


def _break(project: Path, fault: str) -> tuple[list[str], str]:
    """Make the project's sources unbuildable one way: the CLI arguments that meet the fault, and what the
    one message about it must say."""
    config = project / "site_src" / "site.yaml"
    if fault == "typo":
        return ["--source", "site_scr"], "site_scr: error: the source folder does not exist"
    if fault == "file":
        (project / "notes.txt").write_text("not a folder\n", encoding="utf-8")
        return ["--source", "notes.txt"], "notes.txt: error: the source folder is a file"
    if fault == "not-a-site":  # the project folder itself: it holds none of posts/, notes/, papers/
        return ["--source", "."], "none of posts/, notes/, papers/"
    if fault == "notes_dir":
        return [], _configure(config, "notes_dir", "notez") + " ("
    if fault == "papers_dir":
        (project / "site_src" / "lists").write_text("a file\n", encoding="utf-8")
        return [], _configure(config, "papers_dir", "lists") + " ("
    raise AssertionError(fault)


FAULTS = ["typo", "file", "not-a-site", "notes_dir", "papers_dir"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("command", ["build", "serve", "deploy"])
def test_a_source_that_cannot_be_built_exits_2_and_leaves_output_alone(built, tmp_path, fault, command):
    project = _project(tmp_path / "project")
    shutil.copytree(built[1], project / "output")  # the real site, with its manifest
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)  # deploy has a repository to publish to
    before = _tree(project / "output")
    args, said = _break(project, fault)
    done = _cli(project, command, *args, "--output", "output", *(["--no-push"] if command == "deploy" else []))
    assert done.returncode == 2, done.stderr
    problems = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(problems) == 1 and said in problems[0], done.stderr
    assert _tree(project / "output") == before  # not pruned, not rewritten
    assert not (project / "fresh").exists()
    if command == "build":  # an output folder that did not exist is not created either
        assert _cli(project, command, *args, "--output", "fresh").returncode == 2
        assert not (project / "fresh").exists()


def test_a_missing_default_folder_is_an_empty_section(tmp_path):
    project = _project(tmp_path / "project")
    shutil.rmtree(project / "site_src" / "notes")  # site.yaml names it, with its default name
    done = _cli(project, "build", "--output", "output", "--no-search")
    assert done.returncode == 0, done.stderr[-2000:]
    assert (project / "output" / "index.html").is_file() and not (
        project / "output" / "notes" / "cvpr2022-generative-models"
    ).exists()


def test_deploy_never_publishes_an_empty_site(tmp_path):
    project = _project(tmp_path / "project", source=False)
    for folder in ("posts", "notes", "papers"):
        (project / "site_src" / folder).mkdir(parents=True)
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path), "HOME": str(tmp_path)}
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    done = _cli(project, "deploy", "--output", "output", "--no-push", "--no-search")
    assert done.returncode == 1 and "empty site" in done.stderr, done.stderr
    branches = subprocess.run(["git", "branch", "--list", "gh-pages"], cwd=project, capture_output=True, text=True)
    assert branches.stdout.strip() == ""


# -- 2. what a builder remembers of output/ is dropped when another build wrote it --------------------


def test_a_dev_builder_redraws_what_another_build_wrote_over(tmp_path):
    project, source = project_copy(tmp_path)
    output, clean = tmp_path / "out", tmp_path / "clean"
    dev = Builder(BuildOptions(project=project, source=source, output=output, search=False, dev=True))
    try:
        dev.build()
        other = build_site(source, output, base_url="https://elsewhere.example/sub/", project=project, search=False)
        assert other.errors == 0 and other.rendered_pages == other.pages
        again = dev.build()
    finally:
        dev.close()
    assert again.rendered_pages == again.pages  # nothing of its memory is trusted
    build_site(source, clean, project=project, search=False)
    assert _pages(output) == _pages(clean)


# -- 3. KaTeX that never answers, caches that are corrupt or locked, two builds at once ------------

HUNG_KATEX = """
class ParseError extends Error {}
module.exports = {
  ParseError,
  // Never returns, without burning a core: the worker is alive but mute.
  renderToString() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); },
};
"""


def _math_site(tmp_path: Path) -> Path:
    source = tmp_path / "site_src"
    (source / "notes").mkdir(parents=True)
    text = "---\ntitle: 公式\ndate: 2024-03-04\n---\n\n不等式 $a<b$ 与 $$\\frac{1}{2}$$。\n"
    (source / "notes" / "math.md").write_text(text, encoding="utf-8")
    return source


def test_a_katex_worker_that_never_answers_is_killed_and_the_tex_is_shown(tmp_path, monkeypatch):
    project = tmp_path / "project"
    package = project / "node_modules" / "katex"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"name": "katex", "version": "0.0.0-hung", "main": "hung.js"}\n')
    (package / "hung.js").write_text(HUNG_KATEX, encoding="utf-8")
    (package / "dist").symlink_to(ROOT / "node_modules" / "katex" / "dist")
    (project / "node_modules" / "@fontsource").mkdir()  # the math font is there: only KaTeX hangs
    (project / "node_modules" / "@fontsource" / "stix-two-math").symlink_to(
        ROOT / "node_modules" / "@fontsource" / "stix-two-math"
    )
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "static").symlink_to(ROOT / "static")
    monkeypatch.setattr(katex, "BATCH_SECONDS", 1.0)
    monkeypatch.setattr(katex, "SECONDS_PER_FORMULA", 0.0)
    started = time.monotonic()
    report = build_site(_math_site(tmp_path), tmp_path / "out", project=project, search=False)
    assert time.monotonic() - started < 60
    errors = [d for d in report.diagnostics if d.level == "error"]
    assert len(errors) == 1 and "did not answer" in errors[0].message, errors
    assert report.node_processes == 2  # the first worker killed at the deadline, one more tried, then TeX
    sources = [s.get_text() for s in soup(tmp_path / "out" / "notes/math/index.html").select(".math-source")]
    assert sources == ["a<b", "\\frac{1}{2}"]
    alive = subprocess.run(["pgrep", "-f", str(package.resolve())], capture_output=True, text=True)
    assert alive.stdout == "", "a KaTeX worker was left running"


def _katex_cache(project: Path) -> Path:
    return project / ".papernotes-cache" / "katex" / "katex.sqlite3"


def test_a_corrupt_katex_cache_is_rebuilt(built, tmp_path):
    project = _project(tmp_path / "project")
    cache = _katex_cache(project)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"this is not a database" * 100)
    done = _cli(project, "build", "--output", "output", "--no-search")
    assert done.returncode == 0 and "Database" not in done.stderr, done.stderr[-2000:]
    assert _pages(project / "output") == _pages(built[1])
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT count(*) FROM math").fetchone()[0] > 0


def test_a_katex_cache_another_build_keeps_locked_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(katex, "LOCK_SECONDS", 0.2)
    cache = tmp_path / "cache"
    (cache / "katex").mkdir(parents=True)
    other = sqlite3.connect(cache / "katex" / "katex.sqlite3", isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")
    other.execute("CREATE TABLE math (key TEXT PRIMARY KEY, html TEXT, error TEXT)")
    other.execute("BEGIN EXCLUSIVE")  # another build in the middle of its write, for longer than we wait
    try:
        with katex.KatexRenderer(ROOT, cache / "katex") as renderer:
            results = renderer.render([("a<b", False), ("x^2", True)])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert all(r.html and r.error is None for r in results.values())


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty"])
def test_a_damaged_stored_memo_or_state_reads_as_empty(built, tmp_path, damage):
    project = _project(tmp_path / "project")
    shutil.copytree(built[0] / ".papernotes-cache", project / ".papernotes-cache")
    files = [
        *(project / ".papernotes-cache").glob("memo-*.pickle"),
        *(project / ".papernotes-cache" / "state").glob("*.json"),
    ]
    assert len(files) == 2
    for path in files:
        data = path.read_bytes()
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "flipped":
            middle = len(data) // 2
            data = data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :]
        elif damage == "garbage":
            data = os.urandom(len(data))
        else:
            data = b""
        path.write_bytes(data)
    done = _cli(project, "build", "--output", "output", "--no-search")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _pages(project / "output") == _pages(built[1])


def test_two_builds_at_once_both_finish(built, tmp_path):
    project = _project(tmp_path / "project")
    command = [sys.executable, str(ROOT / "build.py"), "build", "--output", "output"]
    builds = [subprocess.Popen(command, cwd=project, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(b.wait(timeout=300), b.stderr.read()) for b in builds]
    for code, stderr in outcomes:
        assert code == 0 and "Traceback" not in stderr and "locked" not in stderr, stderr[-2000:]
    assert _pages(project / "output") == _pages(built[1])
    assert (project / "output" / "pagefind" / "pagefind.js").is_file()
    assert not [p for p in (project / "output").iterdir() if p.name.startswith(".pagefind-")]


# -- 4. messages: path:line, printable; SIGTERM and Ctrl-C stop cleanly -----------------------------


def test_printable_escapes_control_characters_and_keeps_text():
    assert printable("notes/笔记 a.md") == "notes/笔记 a.md"
    assert (
        printable("a\x1b[31mred\x1b[0m\nnext\u202etxt.md\udcff") == "a\\x1b[31mred\\x1b[0m\\nnext\\u202etxt.md\\udcff"
    )


def test_every_diagnostic_has_a_line_and_escaped_names(tmp_path):
    project = _project(tmp_path / "project")
    hostile = project / "site_src" / "notes" / "bad\x1b[2J\x07name.md"
    hostile.write_text("---\ntitle: [broken\n---\n正文\n", encoding="utf-8")
    (project / "site_src" / "notes" / "unreadable.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe bad bytes\n")
    done = _cli(project, "build", "--output", "output", "--no-search")
    assert done.returncode == 1, done.stderr[-2000:]
    # The last line is the summary; a slow machine may also show stage lines (commands/progress.py).
    lines = [line for line in done.stderr.splitlines()[:-1] if not line.startswith("papernotes: ")]
    assert lines and all(DIAGNOSTIC.match(line) for line in lines), [
        line for line in lines if not DIAGNOSTIC.match(line)
    ]
    assert not [line for line in lines if re.search(r":0: ", line)]
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert any("bad\\x1b[2J\\x07name.md:" in line for line in lines), lines


@pytest.mark.parametrize(
    ("signum", "code", "said"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "interrupted")]
)
def test_a_signal_during_a_build_stops_it_cleanly_without_saving_state(built, tmp_path, signum, code, said):
    project = _project(tmp_path / "project")
    output = project / "output"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--output", str(output), "--no-search"]
    # As from a terminal: a shell's background job (how CI may run us) starts with SIGINT ignored.
    terminal = lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)  # noqa: E731
    build = subprocess.Popen(command, cwd=project, stderr=subprocess.PIPE, text=True, preexec_fn=terminal)
    deadline = time.monotonic() + 120
    while not output.is_dir() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # the writer has started: pages are being written
    build.send_signal(signal.SIGSTOP)  # frozen mid-write, so the signal cannot come after the build ended
    assert build.poll() is None, "the build ended before it could be stopped"
    build.send_signal(signum)
    build.send_signal(signal.SIGCONT)
    stderr = build.stderr.read()
    assert build.wait(timeout=60) == code, stderr
    assert "Traceback" not in stderr and f"stopped ({said})" in stderr, stderr
    assert not list((project / ".papernotes-cache" / "state").glob("*.json"))  # nothing is trusted
    again = _cli(project, "build", "--output", str(output), "--no-search")
    summary = re.match(r"built (\d+) pages \((\d+) rendered", again.stderr.splitlines()[-1])
    assert again.returncode == 0 and summary and summary[1] == summary[2], again.stderr[-500:]  # all drawn again
    assert _pages(output) == _pages(built[1])
