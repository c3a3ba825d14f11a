"""What is not about one thing: the site-wide template context, the search page, the feed, the
sitemap, robots.txt."""

from __future__ import annotations

from ..config import SiteConfig
from .feeds import atom_feed, robots_txt, sitemap_xml
from .page import Page
from .urls import Urls

NAV = (
    ("笔记", "notes_index", "notes"),
    ("文章", "posts_index", "posts"),
    ("论文", "papers_index", "papers"),
    ("作者", "authors_index", "authors"),
    ("会议", "venues_index", "venues"),
    ("主题", "topics_index", "topics"),
    ("标签", "tags_index", "tags"),
    ("分类", "categories_index", "categories"),
    ("归档", "archive", "archive"),
)


def site_context(config: SiteConfig, urls: Urls, graph=None) -> dict:
    """`site` in every template; its digest (with the config's) is part of every page's fingerprint.
    `graph`: this build's (site/graph.py), whose paper index names the owner's (`me:`) author pages."""
    slugs = graph.value("papers").author_slug if graph is not None and "papers" in graph else {}
    owner = {config.aliases.get(n, n) for n in config.me}
    return {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "author": config.author,
        "home_href": urls.href(urls.home()),
        "nav": [
            {"label": label, "href": urls.href(getattr(urls, url)()), "section": section} for label, url, section in NAV
        ],
        # style.css on every page; the math and Pygments ones on pages that may show math / code (page.math, page.code)
        "stylesheets": {
            "math": urls.href(urls.static("math/math.css")),
            "code": urls.href(urls.static("pygments.css")),
            "site": urls.href(urls.static("style.css")),
        },
        "feed_href": urls.href(urls.feed()),
        "search_href": urls.href(urls.search()),
        "favicon_href": urls.href(urls.static("favicon.svg")),
        "script_href": urls.href(urls.static("site.js")),  # theme, copy buttons, contents, back-to-top
        # the owner's author pages: every link to one is marked (base.html), in every author list
        "me_hrefs": sorted(urls.href(urls.author(slugs[n])) for n in owner if n in slugs),
        "comments": dict(config.comments),  # {} = off: no request to a comments service
        "extra": dict(config.extra),
        "config": repr(config),  # any setting may show somewhere: a config change re-renders every page
    }


def _search_context(get, urls: Urls) -> dict:
    return {
        "page": {
            "title": "搜索",
            "description": "全文搜索笔记、文章、论文与作者",
            "kind": "search",
            "url": urls.search(),
        },
        "search": {
            "bundle_href": urls.href("pagefind/"),
            "query_param": "q",
            "script_href": urls.href(urls.static("search.js")),
            "stylesheet_href": urls.href(urls.static("search.css")),
        },
    }


def search_page(urls: Urls) -> Page:
    return Page(urls.search(), "search.html", _search_context, (urls,), (), "search")


REDIRECT = "redirect.html"


def _redirect_context(get, urls: Urls, url: str, target: str, title: str) -> dict:
    page = {"title": title, "description": "", "kind": "redirect", "url": url}
    return {"page": page, "target": {"href": urls.href(target), "absolute": urls.absolute(target), "title": title}}


def redirect_pages(documents, urls: Urls) -> list[Page]:
    """An old URL of a document (front matter `aliases:`, an imported blog's permalinks) -> a small page
    that sends the reader on (canonical link, meta refresh), listed nowhere and not indexed."""
    pages = []
    for doc in documents:
        target = urls.of_document(doc)
        for alias in doc.aliases:
            url = urls.site_path(alias)
            if url and url != target:
                pages.append(Page(url, REDIRECT, _redirect_context, (urls, url, target, doc.title), (), doc.path))
    return pages


def feed_files(config: SiteConfig, urls: Urls, entries: list[dict], pages: list[Page]) -> dict[str, bytes]:
    """atom.xml (posts and notes), sitemap.xml (every HTML page but redirects, documents with their
    `updated`) and robots.txt. `entries`: the listed documents' entries."""
    items = [
        {
            "title": d["title"],
            "url": urls.absolute(d["url"]),
            "published": d["date"],
            "updated": d["updated"],
            "summary_html": str(d["excerpt_html"]),
            "kind": d["kind"],
            "categories": [t["name"] for t in d["tags"]],
        }
        for d in entries
    ]
    feed = atom_feed(
        title=config.title,
        subtitle=config.description,
        author=config.author,
        site_url=urls.absolute(urls.home()),
        feed_url=urls.absolute(urls.feed()),
        entries=items,
        language=config.language,
    )
    updated = {d["url"]: d["updated"] for d in entries}
    html_pages = [
        (urls.absolute(p.url), updated.get(p.url))
        for p in pages
        if urls.output_file(p.url).endswith(".html") and p.url != urls.not_found() and p.template != REDIRECT
    ]
    return {
        urls.feed(): feed,
        urls.sitemap(): sitemap_xml(html_pages),
        "robots.txt": robots_txt(urls.absolute(urls.sitemap())),
    }
