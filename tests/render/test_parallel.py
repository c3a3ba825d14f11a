"""Markdown in a forked worker (render/parallel.py): the same site as on one core, and a worker that dies
costs time, never a document."""

from __future__ import annotations

import importlib.util
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papernotes.render import parallel
from papernotes.render.documents import DocumentRenderer
from papernotes.sources.documents import read_document

ROOT = Path(__file__).resolve().parents[2]

# A build in its own (single-threaded) process, forking for any number of documents or for none.
BUILD = """
import sys
import papernotes.render.parallel as parallel
parallel.MIN_DOCUMENTS = int(sys.argv[1])
shares = []
start = parallel.MarkdownShare.__init__
def counted(self, *args):
    start(self, *args)
    shares.append(len(self.there))
parallel.MarkdownShare.__init__ = counted
from papernotes.cli import main
code = main(["build", "--no-search", "--progress", "never", "--output", sys.argv[2]])
print("worker rendered", sum(shares))
sys.exit(code)
"""


def _project(where: Path, notes: Path) -> Path:
    """The seed site plus the bench corpus's notes (Chinese prose, formulas, code) in `notes`."""
    where.mkdir()
    for name in ("templates", "static", "node_modules", "package.json"):
        (where / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "site_src", where / "site_src")
    shutil.copytree(notes, where / "site_src" / "notes" / "bench")
    return where


@pytest.fixture(scope="module")
def bench_notes(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder = tmp_path_factory.mktemp("corpus")
    corpus.generate(folder, 40, 0)
    return folder / "notes"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(project: Path, min_documents: int) -> tuple[Path, int]:
    output = project / "out"
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(min_documents), str(output)], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return output, int(done.stdout.split("worker rendered")[-1])


FORKS = "fork" in multiprocessing.get_all_start_methods() and len(os.sched_getaffinity(0)) > 1


@pytest.mark.skipif(not FORKS, reason="needs fork and two cores")
def test_a_forked_worker_builds_the_very_same_site(tmp_path, bench_notes):
    forked, shared = _build(_project(tmp_path / "forked", bench_notes), 1)
    alone, none = _build(_project(tmp_path / "alone", bench_notes), 10**9)
    assert shared >= 20 and none == 0  # the worker really rendered documents, and the other build none
    files = _files(forked)
    assert len([f for f in files if f.startswith("notes/")]) >= 40
    assert files == _files(alone)


def _documents(source: Path) -> list:
    docs = []
    for path in sorted(source.rglob("*.md")):
        doc, _ = read_document(path.relative_to(source).as_posix(), path.read_text("utf-8"), "note")
        docs.append(doc)
    return docs


def _renderer(source: Path) -> DocumentRenderer:
    renderer = DocumentRenderer(source, None)
    renderer.begin("auto", {}, {})
    return renderer


def test_a_worker_that_dies_leaves_its_share_to_this_process(monkeypatch, bench_notes):
    source = bench_notes.parent
    docs = _documents(source)
    digests = {d.path: "digest" for d in docs}
    alone = parallel.MarkdownShare(_renderer(source), docs, digests, "/").results()
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS", 1)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel, "_render_share", lambda: os._exit(3))  # the worker dies at once
    share = parallel.MarkdownShare(_renderer(source), docs, digests, "/")
    assert len(share.there) >= 20  # it was handed a share
    results = share.results()
    assert len(results) == len(docs) == 40
    assert {path: (body.html, excerpt and excerpt.html) for path, (body, excerpt) in results.items()} == {
        path: (body.html, excerpt and excerpt.html) for path, (body, excerpt) in alone.items()
    }
