"""Chinese search in real Chromium and the /search/ page UI (templates/search.html + static/search.js), over
the tiny hand-written site of tests/test_search_index.py, indexed by Pagefind under a sub-path (/sub/).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from sitebuild import CHROMIUM, CHROMIUM_ARGS
from test_search_index import ROOT, index_site

from papernotes.search_index import BUNDLE_DIR, MANIFEST


@pytest.fixture
def site(tmp_path) -> Path:
    """The site's folder under the served root: /sub/, as a GitHub project site."""
    site = tmp_path / "sub"
    site.mkdir()
    return site


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
