"""What every page of the seed site shows around its content: one breadcrumb trail starting at 首页 (and
only one 首页), no `data-pagefind-*` attributes from the templates (search is fed site/search_docs.py's
documents, not the pages), and the stylesheets of list pages decided by what they show."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import soup

LISTS = ("papers", "authors", "venues", "topics")  # the folders of the research pages


@pytest.fixture(scope="module")
def pages(seed_site) -> dict[str, object]:
    """Every written page of the seed site but the paper pages (test_page_weight.py reads those): URL -> soup."""
    output, _ = seed_site
    found = {}
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if rel.startswith("pagefind/") or _is_paper_page(output, path):
            continue
        found["/" + rel.removesuffix("index.html")] = soup(path)
    assert len(found) > 1200
    return found


def _is_paper_page(output: Path, path: Path) -> bool:
    parts = path.relative_to(output).parts
    return len(parts) == 3 and parts[0] == "papers" and parts[1] not in ("page", "year")


def test_breadcrumbs_start_at_home_once_and_lead_to_other_pages(seed_site, pages):
    output, _ = seed_site
    trails = 0
    for url, page in pages.items():
        nav = page.select_one("nav.breadcrumbs")
        if nav is None:
            continue
        trails += 1
        links = nav.find_all("a")
        assert [a.get_text() for a in links].count("首页") == 1 and links[0]["href"] == "/", url
        assert len(links) > 1, url  # a trail of 首页 alone is no trail
        for a in links[1:]:
            assert a["href"] != url and (output / a["href"].lstrip("/") / "index.html").is_file(), (url, a["href"])
    assert trails > 1000


def test_document_pages_show_home_then_their_section(pages):
    note = pages["/notes/cvpr2022-generative-models/"].select_one("nav.breadcrumbs")
    assert [(a.get_text(), a["href"]) for a in note.find_all("a")] == [("首页", "/"), ("笔记", "/notes/")]
    assert note.get_text(" ", strip=True) == "首页 › 笔记"
    post = pages["/posts/cvpr2022-papers/"].select_one("nav.breadcrumbs")
    assert [a.get_text() for a in post.find_all("a")] == ["首页", "文章"]


def test_no_page_carries_search_index_attributes(pages):
    """Only rendered Markdown (`.prose`, also part of the search documents) may keep one."""
    for url, page in pages.items():
        marked = [
            el.name
            for el in page.find_all(True)
            if any(name.startswith("data-pagefind") for name in el.attrs) and el.find_parent(class_="prose") is None
        ]
        assert marked == [], url
    search = pages["/search/"].select_one("#search")
    assert search["data-bundle"] == "/pagefind/" and search["data-query-param"] == "q"  # the search page's own


def test_list_pages_link_the_math_stylesheet_only_for_formulas_in_titles_and_never_pygments(pages):
    with_math = 0
    for url, page in pages.items():
        if url.split("/")[1] not in LISTS:
            continue
        sheets = [link["href"] for link in page.head.find_all("link", rel="stylesheet")]
        assert "/static/pygments.css" not in sheets, url
        shows_math = page.select_one("main .katex") is not None
        assert ("/static/math/math.css" in sheets) == shows_math, url
        with_math += shows_math
    assert with_math >= 5  # a few titles of the seed have formulas (venue, topic, author and /papers/ pages)
    for url in ("/venues/", "/topics/", "/authors/", "/archive/", "/tags/", "/404.html"):
        sheets = [link["href"] for link in pages[url].head.find_all("link", rel="stylesheet")]
        assert sheets == ["/static/style.css"], url


def test_every_page_has_one_h1_its_title(pages):
    """Issue 14: a note's `# Title` line was a second <h1> under the page's own (render/markdown.py)."""
    counted = 0
    for url, page in pages.items():
        if page.body is None or "kind-redirect" in (page.body.get("class") or []):
            continue  # an alias: a meta refresh to the page itself
        assert len(page.find_all("h1")) == 1, url
        counted += 1
    assert counted > 1200
    note = pages["/notes/cvpr2022-generative-models/"]
    assert note.h1.get_text(strip=True) == "CVPR2022" and not note.select(".prose h1")
    assert (
        note.select_one(".prose h2")["id"]
        == "depth-aware-generative-adversarial-network-for-talking-head-video-generation"
    )
