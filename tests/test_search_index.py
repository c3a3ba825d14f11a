"""Pagefind over a tiny hand-written site: bundle, no stale files, failures as diagnostics. (Chinese search
in real Chromium and the /search/ page UI over this site: tests/test_search_page.py.)

The site lives under a sub-path (/sub/) as a GitHub project site would, so nothing may assume /pagefind/.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from papernotes import search_index
from papernotes.search_index import BUNDLE_DIR, MANIFEST, UNUSED_FILES, write_index
from papernotes.site.search_docs import by_character

ROOT = Path(__file__).resolve().parents[1]
CHINESE = "本文的损失函数由三部分组成"
NAV_ONLY = "导航专用词"  # appears only outside data-pagefind-body

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>{nav}</nav>
<main data-pagefind-body>
<div data-pagefind-ignore><span data-pagefind-meta="title">{title}</span></div>
<h1>{words}</h1>
{filters}
{body}
</main>
<footer>页脚 {nav}</footer></body></html>
"""

PAGES = {
    "notes/loss/index.html": dict(
        title="扩散模型损失函数笔记",
        filters='<span data-pagefind-filter="type:note"></span><span data-pagefind-filter="topic:Diffusion"></span>',
        body=f"<p>{CHINESE}：重建损失、感知损失与对抗损失。</p><h2 id='recon'>重建损失</h2><p>像素级 L2。</p>",
    ),
    "posts/faces/index.html": dict(
        title="Face generation roundup",
        filters='<span data-pagefind-filter="type:post"></span>'
        '<span data-pagefind-filter="venue:CVPR"></span><span data-pagefind-filter="year:2023"></span>',
        body="<p>StyleGAN based face generation and deepfake detection, &lt;script&gt; is text here.</p>",
    ),
    "papers/talking-heads/index.html": dict(
        title="Talking Heads",
        filters='<span data-pagefind-filter="type:paper"></span>'
        '<span data-pagefind-filter="venue:ICCV"></span><span data-pagefind-filter="year:2021"></span>'
        '<span data-pagefind-filter="topic:Face Generation"></span>',
        body="<p>One-shot talking head synthesis with a keypoint-based generator.</p>",
    ),
}


def documents(pages: dict[str, dict] = PAGES) -> list[tuple[str, str]]:
    """The search documents of `pages` (site/search_docs.py makes them from the model): (URL, HTML)."""
    return [
        (
            "/" + rel.removesuffix("index.html"),
            PAGE.format(nav=NAV_ONLY, words=by_character(f["title"]), **{**f, "body": by_character(f["body"])}),
        )
        for rel, f in pages.items()
    ]


def index_site(site: Path, pages: dict[str, dict] = PAGES, per_bundle: int = 0) -> list:
    """Index `pages` into site/pagefind/: in one bundle, or `per_bundle` documents per bundle."""
    docs = documents(pages)
    size = per_bundle or len(docs)
    return write_index(site, [docs[i : i + size] for i in range(0, len(docs), size)])


def bundle_files(site: Path) -> dict[str, bytes]:
    bundle = site / BUNDLE_DIR
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "sub"
    site.mkdir()
    return site


# --- the index on disk ---------------------------------------------------------


def test_bundle_is_written_and_reruns_are_stable(site):
    assert index_site(site) == []
    for name in ("pagefind.js", "pagefind-entry.json"):
        assert (site / BUNDLE_DIR / name).is_file(), name
    # Pagefind's own search UIs are not published: static/search.js uses its API alone.
    assert not [name for name in UNUSED_FILES if (site / BUNDLE_DIR / name).exists()]
    assert "pagefind-ui.js" in UNUSED_FILES
    assert len(list((site / BUNDLE_DIR / "fragment").iterdir())) == 3  # the three documents
    assert json.loads((site / BUNDLE_DIR / MANIFEST).read_text()) == []  # one bundle: nothing to merge
    first = bundle_files(site)
    assert index_site(site) == []
    assert bundle_files(site) == first  # the same documents: the index is kept byte for byte
    assert not [p for p in site.iterdir() if p.name.startswith(".pagefind-")]


def test_changed_site_leaves_no_stale_files(site, tmp_path):
    assert index_site(site) == []
    before = set(bundle_files(site))
    changed = {rel: dict(f) for rel, f in PAGES.items() if not rel.startswith("posts/")}
    paper = changed["papers/talking-heads/index.html"]
    paper["body"] = paper["body"].replace("One-shot", "Few-shot")
    assert index_site(site, changed) == []
    after = set(bundle_files(site))
    assert after != before

    # A clean index of the same documents, built elsewhere, has exactly the same fragments and index chunks.
    clean = tmp_path / "clean"
    clean.mkdir()
    assert index_site(clean, changed) == []
    content = lambda files: {f for f in files if f.startswith(("fragment/", "index/"))}
    assert content(after) == content(bundle_files(clean))
    assert len([f for f in after if f.startswith("fragment/")]) == 2
    assert not [p for p in site.iterdir() if p.name.startswith(".pagefind-")]


def test_every_file_is_whole_when_the_index_is_in_place(site):
    """Pagefind's `WriteFiles` answers before its writes are flushed, so under load a build once published a
    cut-short `wasm.unknown.pagefind`. The index is written here from what Pagefind hands over: every file on
    disk is byte for byte what the service answered, whatever happens to the service afterwards."""
    binary, _ = search_index._pagefind_executable()
    service = search_index.Service(binary, "zh-cn")
    try:
        last = None
        for url, html in documents():
            last = service.add(url, html)
        answered = dict(service.files(last))
    finally:
        service.close()
    assert index_site(site) == []
    on_disk = bundle_files(site)
    for name in ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"):
        assert on_disk[name] == answered[name], name  # files that never change: identical, whole
    # Hashed names differ between runs (Rust hash-map order), so the rest is compared kind by kind.
    kinds = lambda names: sorted(n.split("/")[0] if "/" in n else n.rsplit(".", 1)[-1] for n in names)
    assert kinds(on_disk) == kinds(
        [*(n for n in answered if n not in UNUSED_FILES), search_index.MANIFEST, search_index.STAMP]
    )
    assert kinds(n for n in on_disk if n.startswith("fragment/")) == ["fragment"] * 3
    assert all(on_disk.values())


@pytest.mark.parametrize("name", ["../escape.js", "/tmp/escape.js", "fragment/../../escape.js", ""])
def test_a_file_named_outside_its_bundle_is_refused(site, monkeypatch, name):
    real = search_index.Service.files
    monkeypatch.setattr(search_index.Service, "files", lambda self, last: [*real(self, last), (name, b"x")])
    diags = index_site(site)
    assert [d.level for d in diags] == ["error"] and "outside its bundle" in diags[0].message
    assert not (site.parent / "escape.js").exists() and not Path("/tmp/escape.js").exists()
    assert not (site / BUNDLE_DIR).exists()


def test_leftovers_of_a_killed_run_are_removed(site):
    (site / ".pagefind-tmp-dead").mkdir()
    (site / ".pagefind-tmp-dead" / "pagefind.js").write_text("old")
    (site / ".pagefind-tmp-dead.lock").write_text("")  # what a killed run leaves: its lock file, unlocked
    assert index_site(site) == []
    assert not (site / ".pagefind-tmp-dead").exists() and not (site / ".pagefind-tmp-dead.lock").exists()


def test_the_folder_of_a_run_still_going_is_kept(site):
    """Two builds share a project's cache (serve and build, or two sites): one swept the other's index away."""
    import fcntl

    live = site / ".pagefind-tmp-live"
    live.mkdir()
    (live / "pagefind.js").write_text("being made")
    young = site / ".pagefind-tmp-young"  # no lock file yet: just made by a run about to claim it
    young.mkdir()
    with open(site / ".pagefind-tmp-live.lock", "w") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # as the other run holds it
        assert index_site(site) == []
        assert (live / "pagefind.js").read_text() == "being made" and young.is_dir()
    old = time.time() - search_index.TIMEOUT_SECONDS - 60
    os.utime(young, (old, old))  # a folder no run claimed, long ago
    assert index_site(site) == []
    assert not young.exists() and not live.exists()  # the live one's lock was let go


def test_missing_pagefind_is_a_diagnostic(site, monkeypatch):
    monkeypatch.setattr(search_index, "_pagefind_executable", lambda: (None, False))
    diags = index_site(site)
    assert [d.level for d in diags] == ["error"]
    assert "pip install 'pagefind[extended]'" in diags[0].message
    assert not (site / BUNDLE_DIR).exists()


def test_failing_pagefind_keeps_the_previous_index(site, monkeypatch):
    assert index_site(site) == []
    before = bundle_files(site)
    changed = {**PAGES, "notes/loss/index.html": dict(title="changed", filters="", body="x")}
    monkeypatch.setattr(search_index, "_pagefind_executable", lambda: (Path("/bin/false"), True))
    diags = index_site(site, changed)
    assert [d.level for d in diags] == ["error"] and "Pagefind failed" in diags[0].message
    assert bundle_files(site) == before
    assert not [p for p in site.iterdir() if p.name.startswith(".pagefind-")]


def test_non_extended_binary_warns_about_chinese(site, monkeypatch):
    binary, _ = search_index._pagefind_executable()
    monkeypatch.setattr(search_index, "_pagefind_executable", lambda: (binary, False))
    diags = index_site(site)
    assert [d.level for d in diags] == ["warning"] and "segment Chinese" in diags[0].message
