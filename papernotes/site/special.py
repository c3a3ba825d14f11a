"""Pages and files that are not about one thing: the search page, the feed, the sitemap, robots.txt."""
from __future__ import annotations

from ..config import SiteConfig
from .feeds import atom_feed, robots_txt, sitemap_xml
from .page import Page
from .urls import Urls


def search_page(urls: Urls) -> Page:
    return Page(urls.search(), "search.html", {
        "page": {"title": "搜索", "description": "全文搜索笔记、文章、论文与作者", "kind": "search", "url": urls.search()},
        "search": {"bundle_href": urls.href("pagefind/"), "query_param": "q",
                   "script_href": urls.href(urls.static("search.js")),
                   "stylesheet_href": urls.href(urls.static("search.css"))},
    }, frozenset(), "search")


def feed_files(config: SiteConfig, urls: Urls, docs: list[dict], pages: list[Page]) -> dict[str, bytes]:
    """atom.xml (posts and notes), sitemap.xml (every HTML page) and robots.txt."""
    entries = [{"title": d["title"], "url": urls.absolute(d["url"]), "published": d["date"], "updated": d["updated"],
                "summary_html": str(d["excerpt_html"]), "kind": d["kind"],
                "categories": [t["name"] for t in d["tags"]]} for d in docs]
    feed = atom_feed(title=config.title, subtitle=config.description, author=config.author,
                     site_url=urls.absolute(urls.home()), feed_url=urls.absolute(urls.feed()), entries=entries,
                     language=config.language)
    html_pages = [urls.absolute(p.url) for p in pages
                  if urls.output_file(p.url).endswith(".html") and p.url != urls.not_found()]
    return {urls.feed(): feed, urls.sitemap(): sitemap_xml(html_pages),
            "robots.txt": robots_txt(urls.absolute(urls.sitemap()))}
