"""Pagefind over a tiny hand-written site: bundle, no stale files, failures as diagnostics,
Chinese search in real Chromium, and the /search/ page UI (templates/search.html + static/search.js).

The site lives under a sub-path (/sub/) as a GitHub project site would, so nothing may assume /pagefind/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from sitebuild import CHROMIUM, CHROMIUM_ARGS

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


# --- in the browser --------------------------------------------------------------


def _browser_available() -> bool:
    if Path(CHROMIUM).exists():
        return True
    if os.environ.get("CI"):
        return True  # on CI a missing browser must fail, not skip
    return False


needs_browser = pytest.mark.skipif(not _browser_available(), reason=f"{CHROMIUM} not installed (and CI unset)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """Serve tmp_path (which holds the site under /sub/) on 127.0.0.1; yields the origin."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, url: str):
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url)
    return page, problems


PROBE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module">
const pagefind = await import("/sub/pagefind/pagefind.js");
await pagefind.init();
const out = {};
// Chinese as static/search.js asks for it: by character, in order (the documents are indexed so).
const asked = {"损失函数": '"损 失 函 数"', "感知损失": '"感 知 损 失"', "talking head": "talking head", "导航专用词": '"导 航 专 用 词"'};
for (const q of Object.keys(asked)) {
  const found = await pagefind.search(asked[q]);
  out[q] = await Promise.all(found.results.map(async (r) => { const d = await r.data();
    return {url: d.url, title: d.meta.title, excerpt: d.excerpt, filters: d.filters}; }));
}
out.filters = await pagefind.filters();
window.searchDone = out;
</script></body></html>
"""


@needs_browser
def test_chinese_search_in_chromium(site, served, browser):
    assert index_site(site) == []
    (site / "probe.html").write_text(PROBE, encoding="utf-8")
    page, problems = open_page(browser, served + "/sub/probe.html")
    page.wait_for_function("window.searchDone !== undefined", timeout=20_000)
    out = page.evaluate("window.searchDone")
    assert [r["url"] for r in out["损失函数"]] == ["/sub/notes/loss/"]  # base path comes from the bundle's URL
    assert out["损失函数"][0]["title"] == "扩散模型损失函数笔记"
    assert "<mark>" in out["损失函数"][0]["excerpt"]
    assert [r["url"] for r in out["感知损失"]] == ["/sub/notes/loss/"]
    assert [r["url"] for r in out["talking head"]] == ["/sub/papers/talking-heads/"]
    assert out["导航专用词"] == []  # navigation is outside data-pagefind-body
    assert out["filters"]["type"] == {"note": 1, "post": 1, "paper": 1}
    assert set(out["filters"]) == {"type", "venue", "year", "topic"}
    assert problems == []


def render_search_page(site: Path) -> None:
    """templates/search.html through the real base.html, with the context pipeline.py gives it."""
    from papernotes.config import SiteConfig
    from papernotes.site.special import site_context as make_site_context
    from papernotes.site.urls import Urls
    from papernotes.write import make_environment

    urls = Urls("https://example.github.io/sub/")
    site_context = make_site_context(SiteConfig(root=ROOT / "site_src", base_url=urls.base_url), urls)
    html = (
        make_environment([ROOT / "templates"])
        .get_template("search.html")
        .render(
            site=site_context,
            page={
                "title": "搜索",
                "description": "",
                "kind": "search",
                "section": "search",
                "breadcrumbs": [],
                "canonical": urls.absolute(urls.search()),
            },
            search={
                "bundle_href": urls.href("pagefind/"),
                "query_param": "q",
                "script_href": urls.href(urls.static("search.js")),
                "stylesheet_href": urls.href(urls.static("search.css")),
            },
        )
    )
    target = site / "search" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    (site / "static").mkdir(exist_ok=True)
    for name in ("search.js", "search.css", "style.css", "site.js", "favicon.svg"):
        shutil.copyfile(ROOT / "static" / name, site / "static" / name)
    for href in site_context["stylesheets"].values():  # the build's generated CSS (KaTeX, Pygments): empty stand-ins
        stand_in = site / href.removeprefix(urls.base_path)
        if not stand_in.exists():
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text("", encoding="utf-8")


@needs_browser
def test_search_page_reads_q_shows_results_and_filters(site, served, browser):
    render_search_page(site)
    assert index_site(site, per_bundle=1) == []  # three bundles: search.js merges the other two into the first
    assert json.loads((site / BUNDLE_DIR / MANIFEST).read_text()) == ["part-2/", "part-3/"]
    page, problems = open_page(browser, served + "/sub/search/?q=" + "损失函数")
    page.wait_for_selector("#search-results .search-result", timeout=20_000)
    assert page.input_value("#search-input") == "损失函数"
    results = page.locator("#search-results .search-result")
    assert results.count() == 1
    assert results.first.locator(".badge").inner_text() == "笔记"
    link = results.first.locator("a.search-result-title")
    assert link.inner_text() == "扩散模型损失函数笔记"
    assert link.get_attribute("href") == "/sub/notes/loss/"
    marks = results.first.locator(".search-result-excerpt mark").all_inner_texts()
    assert "".join(marks).count("损失函数") >= 1  # its characters, each highlighted, in order

    groups = page.locator("#search-filters details[data-filter]")
    assert [groups.nth(i).get_attribute("data-filter") for i in range(groups.count())] == [
        "type",
        "venue",
        "year",
        "topic",
    ]
    assert page.locator("#search-filters details[data-filter=type] summary").inner_text() == "类型"

    # Filters alone (no words) list what they match, and the URL keeps the state.
    page.fill("#search-input", "")
    page.locator("#search-filters details[data-filter=type] input[value=paper]").check()
    page.wait_for_function(
        "document.querySelectorAll('#search-results .search-result').length === 1 && "
        "document.querySelector('#search-results a').getAttribute('href') === "
        "'/sub/papers/talking-heads/'",
        timeout=10_000,
    )
    assert page.locator("#search-results .badge").inner_text() == "论文"
    assert page.locator("#search-results .search-result-meta").inner_text() == "ICCV · 2021"
    assert page.evaluate("location.search") == "?type=paper"
    assert problems == []


@needs_browser
def test_search_page_without_index_says_so(site, served, browser):
    render_search_page(site)
    page, problems = open_page(browser, served + "/sub/search/?q=x")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('pagefind')", timeout=10_000)
    # The only console complaint is the browser's own 404 for the missing bundle.
    assert problems and all("404" in p for p in problems), problems
    assert any(p.startswith("HTTP 404:") and p.endswith("/sub/pagefind/pagefind.js") for p in problems), problems
