"""`python build.py serve` end to end: the real Builder behind the dev server, on a copy of site_src/.

Each test edits a temporary copy of the seed site while `run_serve()` runs in a
thread, and watches what the browser would see: the served pages, the SSE
events and the status endpoint. Waits are bounded polls; nothing asserts on
wall-clock time.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import socket
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from devclient import EventStream, wait_until
from sitebuild import raw_get

from papernotes.commands.serve import run_serve
from papernotes.dev.server import OVERLAY_ID
from papernotes.pipeline import Builder, BuildOptions

ROOT = Path(__file__).resolve().parents[2]
SEED_SOURCE = ROOT / "site_src"
NOTE = "notes/cvpr2022-generative-models.md"
NOTE_URL = "/notes/cvpr2022-generative-models/"
NOTE_PAGE = "notes/cvpr2022-generative-models/index.html"
STARTUP = 180.0  # the first build with cold caches (KaTeX, Markdown) on a slow machine
WAIT = 60.0  # one incremental rebuild, generously


# --- helpers ------------------------------------------------------------------


def overlay_text(body: bytes) -> str | None:
    element = BeautifulSoup(body.decode("utf-8"), "html.parser").find(id=OVERLAY_ID)
    return None if element is None else element.get_text()


def links_to(body: bytes, url_path: str) -> bool:
    """Does the page have an <a> whose href ends with this site path (absolute or relative URLs)?"""
    page = BeautifulSoup(body.decode("utf-8"), "html.parser")
    return any(a["href"].split("#")[0].endswith(url_path.lstrip("/")) for a in page.find_all("a", href=True))


@dataclass
class Served:
    """A running `run_serve()` on a copy of the seed site."""

    source: Path
    output: Path
    port: int
    thread: threading.Thread
    stop_event: threading.Event
    result: dict = field(default_factory=dict)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return raw_get(self.port, path, timeout=WAIT)

    def status(self) -> dict:
        code, _, body = self.get("/__papernotes/status")
        assert code == 200
        return json.loads(body)

    def stop(self) -> int | None:
        self.stop_event.set()
        self.thread.join(WAIT)
        assert not self.thread.is_alive(), "run_serve() did not return after stop_event was set"
        return self.result.get("rc")


def start_serve(source: Path, output: Path) -> Served:
    ready: queue.Queue = queue.Queue()
    stop_event = threading.Event()
    result: dict = {}
    options = BuildOptions(project=ROOT, source=source, output=output)

    def run() -> None:
        try:
            result["rc"] = run_serve(
                options, host="127.0.0.1", port=0, ready=ready.put, stop_event=stop_event, debounce=0.05
            )
        except BaseException as exc:  # surfaced by the fixture, not lost in the thread
            result["exc"] = exc
            raise

    thread = threading.Thread(target=run, daemon=True, name="run_serve")
    thread.start()
    url = wait_until(
        lambda: (not ready.empty() and ready.get()) or (not thread.is_alive() and result or None),
        STARTUP,
        "run_serve() to call ready()",
    )
    if not isinstance(url, str):
        raise AssertionError(f"run_serve() ended before it was ready: {url!r}")
    port = int(url.split(":")[2].split("/")[0])
    return Served(source, output, port, thread, stop_event, result)


@pytest.fixture
def source(tmp_path) -> Path:
    target = tmp_path / "site_src"
    shutil.copytree(SEED_SOURCE, target)
    return target


@pytest.fixture
def served(source, tmp_path):
    server = start_server_or_fail(source, tmp_path / "out")
    try:
        yield server
    finally:
        server.stop_event.set()
        server.thread.join(WAIT)


def start_server_or_fail(source: Path, output: Path) -> Served:
    server = start_serve(source, output)
    status = server.status()
    assert status["ok"], f"the first build of the seed site failed: {status['messages']}"
    return server


def wait_for_build_after(server: Served, build: int, ok: bool) -> dict:
    """The status once a build newer than `build` finished with this outcome."""
    return wait_until(
        lambda: (s := server.status())["build"] > build and s["ok"] is ok and s,
        what=f"a build after #{build} with ok={ok}",
    )


# --- 1. an edit is served and announced ----------------------------------------


def test_note_edit_is_served_and_announced_by_a_reload_event(served):
    events = EventStream(served.port)
    try:
        assert events.next()[0] == "hello"
        code, _, body = served.get(NOTE_URL)
        assert code == 200
        marker = f"LIVE-EDIT-{uuid.uuid4().hex}"
        assert marker.encode() not in body

        note = served.source / NOTE
        note.write_text(note.read_text(encoding="utf-8") + f"\n\n新的一句话 {marker}.\n", encoding="utf-8")

        wait_until(
            lambda: (r := served.get(NOTE_URL))[0] == 200 and marker.encode() in r[2],
            what="the edited note to be served",
        )
        events.wait_for("reload")
        assert not [e for e in events.seen if e[0] == "error"], events.seen
        assert served.status()["ok"] is True
    finally:
        events.close()


# --- 2. broken front matter: last good page + overlay, then recovery ------------


def test_broken_front_matter_keeps_last_good_page_with_overlay_until_fixed(served):
    note = served.source / NOTE
    original = note.read_text(encoding="utf-8")
    good_file = (served.output / NOTE_PAGE).read_bytes()
    build = served.status()["build"]
    events = EventStream(served.port)
    try:
        assert events.next()[0] == "hello"
        broken_marker = f"BROKEN-{uuid.uuid4().hex}"
        note.write_text(f"---\ntitle: [broken\n---\n{broken_marker}\n\n{original}", encoding="utf-8")

        status = wait_for_build_after(served, build, ok=False)
        assert any(f"{NOTE}:2:" in m for m in status["messages"]), status["messages"]
        name, data = events.wait_for("error")
        assert any(f"{NOTE}:2:" in m for m in json.loads(data)), data

        assert served.thread.is_alive()
        code, _, body = served.get(NOTE_URL)
        assert code == 200
        assert (served.output / NOTE_PAGE).read_bytes() == good_file  # the last good page, untouched
        assert broken_marker.encode() not in body
        assert "Depth-Aware Generative Adversarial Network" in body.decode("utf-8")
        overlay = overlay_text(body)
        assert overlay is not None, "no error overlay while the last build failed"
        assert f"{NOTE}:2:" in overlay  # the file and the line of the YAML error
        assert "YAML" in overlay or "front matter" in overlay

        build = served.status()["build"]
        fixed_marker = f"FIXED-{uuid.uuid4().hex}"
        note.write_text(original + f"\n\n{fixed_marker}\n", encoding="utf-8")
        wait_for_build_after(served, build, ok=True)
        events.wait_for("reload")
        code, _, body = wait_until(
            lambda: (r := served.get(NOTE_URL))[0] == 200 and fixed_marker.encode() in r[2] and r,
            what="the fixed note to be served",
        )
        assert overlay_text(body) is None
        status = served.status()
        assert status["ok"] is True
        assert not [m for m in status["messages"] if ": error: " in m], status["messages"]
    finally:
        events.close()


# --- 3. a one-note edit rewrites only what lists the note -----------------------


def git_commit_all(source: Path) -> None:
    """Make the copy a git work tree, as site_src/ is in the project: undated notes take their commit date."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2023-04-11T12:00:00",
        "GIT_COMMITTER_DATE": "2023-04-11T12:00:00",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "seed"]):
        subprocess.run(["git", *args], cwd=source, env=env, check=True, capture_output=True)


def mtimes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}


@pytest.mark.parametrize("tracked", [True, False], ids=["git-tracked-source", "plain-copy"])
def test_one_note_edit_rewrites_only_the_note_and_pages_that_list_it(source, tmp_path, tracked):
    """A plain copy has no git dates: the undated note then takes its file's mtime as its date."""
    if tracked:
        git_commit_all(source)
    output = tmp_path / "out"
    builder = Builder(BuildOptions(project=ROOT, source=source, output=output, dev=True))
    try:
        full = builder.build()
        assert full.errors == 0, [d.format() for d in full.diagnostics]
        before = mtimes(output)
        note = source / NOTE
        saved_at = note.stat().st_mtime_ns + 60 * 10**9  # a save a minute later, not within the same second
        note.write_text(note.read_text(encoding="utf-8") + f"\n\n补充一句 EDIT-{uuid.uuid4().hex}.\n", encoding="utf-8")
        os.utime(note, ns=(saved_at, saved_at))
        report = builder.build({note})
    finally:
        builder.close()
    assert report.errors == 0, [d.format() for d in report.diagnostics]
    after = mtimes(output)
    changed = {path for path, ns in after.items() if before.get(path) != ns}
    assert NOTE_PAGE in changed

    note_ref = NOTE_URL.strip("/")  # how any page that lists the note links to it
    html_pages = [p for p in after if p.endswith(".html")]
    mentions = {p for p in html_pages if note_ref in (output / p).read_text(encoding="utf-8")}
    unrelated_papers = [p for p in html_pages if p.startswith("papers/") and p.count("/") == 2 and p not in mentions]
    unrelated_authors = [p for p in html_pages if p.startswith("authors/") and p.count("/") == 2 and p not in mentions]
    assert len(unrelated_papers) > 300 and len(unrelated_authors) > 300  # the seed site, not an empty one
    assert not [p for p in unrelated_papers if p in changed]
    assert not [p for p in unrelated_authors if p in changed]
    assert sorted(p for p in changed if p.endswith(".html") and p not in mentions) == []
    assert {p for p in after if p.endswith(".html")} == {
        p for p in before if p.endswith(".html")
    }  # no page came or went

    assert report.pages == full.pages > 1000
    assert report.rendered_pages < 100, (
        f"a one-note edit re-rendered {report.rendered_pages} of {report.pages} pages ({report.summary()})"
    )


def isolated_project(tmp_path: Path) -> Path:
    """The project's templates, static files and node_modules with an empty cache: a fresh checkout."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("templates", "static", "node_modules"):
        (project / name).symlink_to(ROOT / name, target_is_directory=True)
    return project


def test_rebuild_without_new_formulas_starts_no_node_process(source, tmp_path):
    git_commit_all(source)
    builder = Builder(
        BuildOptions(project=isolated_project(tmp_path), source=source, output=tmp_path / "out", dev=True)
    )
    try:
        full = builder.build()
        assert full.errors == 0, [d.format() for d in full.diagnostics]
        assert full.node_processes >= 1  # a cold KaTeX cache: the seed note's formulas need node
        note = source / NOTE
        note.write_text(note.read_text(encoding="utf-8") + "\n\n没有新公式的一句话。\n", encoding="utf-8")
        report = builder.build({note})
    finally:
        builder.close()
    assert report.errors == 0
    assert report.node_processes == 0, (
        f"the rebuild after a text-only edit reports {report.node_processes} node process(es) "
        f"(the full build before it reported {full.node_processes})"
    )


# --- 4. path traversal against the real server -----------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/..%2fsite.yaml",
        "/../site_src/site.yaml",
        "/notes/../../site.yaml",
        "//etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../../../../../../../../etc/passwd",
        "/%2E%2E/site.yaml",
        "/.%2e/site.yaml",
        "/..\\site.yaml",
    ],
)
def test_path_traversal_never_leaves_the_output_dir(served, tmp_path, path):
    # A file next to output/ with the site.yaml text: what a `..` would reach.
    site_yaml = (served.source / "site.yaml").read_bytes()
    (tmp_path / "site.yaml").write_bytes(site_yaml)
    code, _, body = served.get(path)
    assert code in (400, 403, 404), (code, body[:200])
    assert b"root:" not in body
    assert b"papers_per_page" not in body and b"author_aliases" not in body
    assert site_yaml not in body


# --- 5. deleting and renaming notes --------------------------------------------------


def test_deleted_note_loses_its_page_and_its_home_link(served):
    assert served.get(NOTE_URL)[0] == 200
    assert links_to(served.get("/")[2], NOTE_URL)
    build = served.status()["build"]
    (served.source / NOTE).unlink()

    wait_for_build_after(served, build, ok=True)
    wait_until(lambda: not (served.output / NOTE_PAGE).exists(), what="the note page to be removed")
    assert served.get(NOTE_URL)[0] == 404
    code, _, home = served.get("/")
    assert code == 200 and not links_to(home, NOTE_URL)


def test_renamed_note_moves_its_page(served):
    new_url, new_page = "/notes/renamed-generative-models/", "notes/renamed-generative-models/index.html"
    build = served.status()["build"]
    (served.source / NOTE).rename(served.source / "notes" / "renamed-generative-models.md")

    wait_for_build_after(served, build, ok=True)
    wait_until(
        lambda: (served.output / new_page).exists() and not (served.output / NOTE_PAGE).exists(),
        what="the page to move",
    )
    assert served.get(NOTE_URL)[0] == 404
    code, _, body = served.get(new_url)
    assert code == 200 and "Depth-Aware Generative Adversarial Network" in body.decode("utf-8")
    code, _, home = served.get("/")
    assert links_to(home, new_url) and not links_to(home, NOTE_URL)


# --- 6. stopping -------------------------------------------------------------------------


def test_stop_returns_zero_closes_streams_and_the_port(source, tmp_path):
    server = start_server_or_fail(source, tmp_path / "out")
    events = EventStream(server.port)
    try:
        assert events.next()[0] == "hello"
        assert server.stop() == 0
        assert "exc" not in server.result
        assert events.next() is None  # the open event stream was ended, not left hanging
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=5).close()
    finally:
        events.close()
        server.stop_event.set()
        server.thread.join(WAIT)
