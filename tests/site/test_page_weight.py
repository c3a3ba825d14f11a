"""Issue 13: pages carry what a reader or a search engine needs and no more (27,000 paper pages add up).

The head keeps title, description, canonical and the og: tags previews read; KaTeX's stylesheet only on
pages that show math, Pygments' only where highlighted code may be; a paper's related papers are a few
title links; the markup is not indented.
"""

from __future__ import annotations

import re

from bs4 import NavigableString
from sitebuild import soup

from papernotes.site.paper_pages import RELATED
from papernotes.site.urls import slugify

SSA_GAN = "papers/text-to-image-generation-with-semantic-spatial-aware-gan/index.html"
NOTE = "notes/cvpr2022-generative-models/index.html"  # has formulas and a fenced code block
HEAD_META = {
    ("charset", "utf-8"),
    ("name", "viewport"),
    ("name", "description"),
    ("property", "og:type"),
    ("property", "og:title"),
    ("property", "og:description"),
    ("property", "og:url"),
}
SCHOLAR_META = {  # Highwire tags of a paper with an arXiv id (tests/site/test_paper_links.py reads their values)
    ("name", "citation_title"),
    ("name", "citation_author"),
    ("name", "citation_publication_date"),
    ("name", "citation_conference_title"),
    ("name", "citation_pdf_url"),
    ("name", "citation_arxiv_id"),
}


def _paper_pages(output):
    return sorted(
        p / "index.html" for p in (output / "papers").iterdir() if p.is_dir() and p.name not in ("page", "year")
    )


def _stylesheets(page) -> list[str]:
    return [link["href"] for link in page.head.find_all("link", rel="stylesheet")]


def _meta(page) -> set[tuple[str, str]]:
    found = set()
    for meta in page.head.find_all("meta"):
        if meta.get("charset"):
            found.add(("charset", meta["charset"]))
        for attr in ("name", "property"):
            if meta.get(attr):
                found.add((attr, meta[attr]))
    return found


def test_a_paper_page_head_has_what_search_engines_and_previews_read_and_nothing_twice(seed_site):
    output, _ = seed_site
    page = soup(output / SSA_GAN)
    assert _meta(page) == HEAD_META | SCHOLAR_META  # no twitter:* (X reads og:*), no color-scheme (style.css says it)
    assert page.head.title.get_text().startswith("Text to Image Generation with Semantic-Spatial Aware GAN · ")
    canonical = page.head.find("link", rel="canonical")["href"]
    assert canonical.endswith("/papers/text-to-image-generation-with-semantic-spatial-aware-gan/")
    assert page.head.find("meta", property="og:url")["content"] == canonical
    assert page.head.find("meta", property="og:type")["content"] == "article"
    description = page.head.find("meta", attrs={"name": "description"})["content"]
    assert description and page.head.find("meta", property="og:description")["content"] == description
    assert page.head.find("link", rel="alternate", type="application/atom+xml")["href"] == "/atom.xml"
    assert page.head.find("link", rel="icon")["href"] == "/static/favicon.svg"
    assert _stylesheets(page) == ["/static/style.css"]  # no formula, no highlighted code
    assert "color-scheme: light dark" in (output / "static/style.css").read_text(encoding="utf-8")


def test_link_previews_and_feed_discovery_on_what_is_shared_not_on_author_and_list_pages(seed_site):
    output, _ = seed_site
    og = {m for m in HEAD_META if m[0] == "property"}
    for rel in (NOTE, "posts/cvpr2022-papers/index.html", "index.html"):
        assert og <= _meta(soup(output / rel)), rel
    for rel in (
        "authors/nannan-wang/index.html",
        "venues/cvpr/2023/index.html",
        "papers/index.html",
        "topics/index.html",
    ):
        page = soup(output / rel)
        assert not og & _meta(page), rel  # ~80,000 such pages at 27,000 papers
        assert page.head.find("link", rel="alternate") is None, rel  # the footer links the feed
        assert page.select_one('footer a[href="/atom.xml"]'), rel


def test_math_stylesheet_exactly_on_the_paper_pages_that_show_math(seed_site):
    output, _ = seed_site
    with_math = without = 0
    for path in _paper_pages(output):
        page = soup(path)
        sheets = _stylesheets(page)
        assert "/static/pygments.css" not in sheets, path
        if page.select(".katex"):
            assert sheets == ["/static/math/math.css", "/static/style.css"], path
            with_math += 1
        else:
            assert sheets == ["/static/style.css"], path
            without += 1
    assert with_math >= 5 and without >= 300  # the seed has both kinds


def test_a_note_with_math_links_the_math_stylesheet_and_documents_keep_pygments(seed_site):
    output, _ = seed_site
    page = soup(output / NOTE)
    assert page.select(".katex")
    # Document pages do not say yet whether they show highlighted code: they link Pygments' CSS as before.
    assert _stylesheets(page) == ["/static/math/math.css", "/static/pygments.css", "/static/style.css"]
    assert (output / "static/math/math.css").is_file() and (output / "static/pygments.css").is_file()


def test_related_papers_are_a_few_title_links(seed_site):
    output, _ = seed_site
    sizes = set()
    for path in _paper_pages(output):
        related = soup(path).select_one("section.related")
        if related is None:
            continue
        items = related.select("li")
        sizes.add(len(items))
        assert 1 <= len(items) <= RELATED == 5, path
        for li in items:
            links = li.find_all("a")
            assert len(links) == 1 and links[0]["href"].startswith("/papers/"), path  # no author links
            assert links[0]["href"] != "/" + path.parent.relative_to(output).as_posix() + "/"  # not itself
    assert RELATED in sizes


def test_related_papers_of_a_prolific_author_are_their_own_first(seed_site):
    output, _ = seed_site
    author = "/authors/" + slugify("Nannan Wang") + "/"
    theirs = {a["href"] for a in soup(output / author.strip("/") / "index.html").select(".paper-item a.paper-title")}
    assert len(theirs) >= RELATED + 1
    paper = soup(output / sorted(theirs)[0].strip("/") / "index.html")
    assert author in {a["href"] for a in paper.select(".paper-authors a")}
    authors = {a["href"] for a in paper.select(".paper-authors a")}
    related = [a["href"] for a in paper.select("section.related a")]
    assert len(related) == RELATED
    for href in related:  # each shares an author with it
        assert authors & {a["href"] for a in soup(output / href.strip("/") / "index.html").select(".paper-authors a")}


_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_INDENTED = re.compile(r">\n[ \t]+<")


def _indentation(path) -> list[str]:
    """Whitespace-only text between tags that is more than a line break (never inside <pre>). Read from the
    file itself: html.parser hands "\\n  " between tags back as "\\n", so a parsed page cannot show it."""
    page = soup(path)
    parsed = [
        repr(s)
        for s in page.find_all(string=True)
        if isinstance(s, NavigableString) and not s.strip() and s not in ("", "\n", " ")
        and s.find_parent("pre") is None
    ]  # fmt: skip
    text = _PRE.sub("", path.read_text(encoding="utf-8"))
    return parsed + [repr(text[max(0, m.start() - 40) : m.end() + 20]) for m in _INDENTED.finditer(text)]


def test_pages_are_not_indented(seed_site):
    output, _ = seed_site
    lists = ("authors/nannan-wang/index.html", "papers/index.html", "venues/cvpr/2023/index.html")
    for rel in (
        SSA_GAN,
        NOTE,
        "posts/cvpr2022-papers/index.html",
        "index.html",
        "archive/index.html",
        "404.html",
        *lists,
    ):
        assert _indentation(output / rel) == [], rel
    bibtex = soup(output / SSA_GAN).select_one("#cite-bibtex").get_text()
    assert "\n  author = {" in bibtex  # <pre> keeps its own layout
