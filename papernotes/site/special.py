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
    ("归档", "archive", "archive"),
)


def site_context(config: SiteConfig, urls: Urls) -> dict:
    """`site` in every template; its digest (with the config's) is part of every page's fingerprint."""
    return {
        "title": config.title,
        "description": config.description,
        "language": config.language,
        "author": config.author,
        "home_href": urls.href(urls.home()),
        "nav": [
            {"label": label, "href": urls.href(getattr(urls, url)()), "section": section} for label, url, section in NAV
        ],
        "stylesheets": [
            urls.href(urls.static("katex/katex.min.css")),
            urls.href(urls.static("pygments.css")),
            urls.href(urls.static("style.css")),
        ],
        "feed_href": urls.href(urls.feed()),
        "search_href": urls.href(urls.search()),
        "favicon_href": urls.href(urls.static("favicon.svg")),
        "copy_js_href": urls.href(urls.static("copy.js")),
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


def feed_files(config: SiteConfig, urls: Urls, entries: list[dict], page_urls: list[str]) -> dict[str, bytes]:
    """atom.xml (posts and notes), sitemap.xml (every HTML page) and robots.txt."""
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
    html_pages = [
        urls.absolute(u) for u in page_urls if urls.output_file(u).endswith(".html") and u != urls.not_found()
    ]
    return {
        urls.feed(): feed,
        urls.sitemap(): sitemap_xml(html_pages),
        "robots.txt": robots_txt(urls.absolute(urls.sitemap())),
    }
