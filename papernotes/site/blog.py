"""Blog pages: home, each post and note, tags, categories, the year archive, 404."""
from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any

from markupsafe import Markup

from .links import add_paper_links
from .page import Page
from .urls import Urls

ALL = frozenset({"*"})
KIND_LABEL = {"post": "文章", "note": "笔记"}


def _document_context(doc: dict, urls: Urls) -> dict:
    index = urls.notes_index() if doc["kind"] == "note" else urls.posts_index()
    return {
        "page": {"title": doc["title"], "description": doc["description"], "kind": doc["kind"], "url": doc["url"],
                 "breadcrumbs": [{"label": "首页", "href": urls.href(urls.home())},
                                 {"label": "笔记" if doc["kind"] == "note" else "文章", "href": urls.href(index)}]},
        "doc": {**doc, "html": Markup(add_paper_links(doc["html"], doc["paper_links"]))},
    }


ENTRY_FIELDS = ("kind", "kind_label", "title", "href", "date_iso", "date_display", "excerpt_html", "tags")


def _listing(entries: list[dict]) -> list[dict]:
    return [{"html": e["entry_html"], **{k: e[k] for k in ENTRY_FIELDS}} for e in entries]


def blog_pages(docs: list[dict[str, Any]], urls: Urls, stats: list[dict] | None = None) -> list[Page]:
    """docs: document views (see pipeline.document_view), newest first, each with its list item
    already rendered as `entry_html` (the _entry_item.html template)."""
    pages: list[Page] = []
    every_doc = frozenset(d["source"] for d in docs)
    pages.append(Page(urls.home(), "home.html", {
        "page": {"title": "", "description": "", "kind": "home", "url": urls.home()},
        "entries": _listing(docs), "stats": stats or [],
    }, every_doc, "home"))

    for doc in docs:
        pages.append(Page(doc["url"], "document.html", partial(_document_context, doc, urls),
                          frozenset({doc["source"]}) | frozenset(doc.get("deps", ())), doc["source"]))

    for kind, index_url, title in (("note", urls.notes_index(), "笔记"), ("post", urls.posts_index(), "文章")):
        chosen = [d for d in docs if d["kind"] == kind]
        pages.append(Page(index_url, "list.html", {
            "page": {"title": title, "description": f"全部{title}（{len(chosen)}）", "kind": "list", "url": index_url},
            "heading": title, "entries": _listing(chosen),
        }, every_doc, f"{kind} index"))

    for label, key, make_url, index_url in (("标签", "tags", urls.tag, urls.tags_index()),
                                            ("分类", "categories", urls.category, urls.categories_index())):
        groups: dict[str, list[dict]] = defaultdict(list)
        for doc in docs:
            for item in doc[key]:
                groups[item["name"]].append(doc)
        for name in sorted(groups, key=str.casefold):
            pages.append(Page(make_url(name), "list.html", {
                "page": {"title": f"{label}：{name}", "description": f"{label} {name} 下的 {len(groups[name])} 篇文章与笔记",
                         "kind": "list", "url": make_url(name),
                         "breadcrumbs": [{"label": label, "href": urls.href(index_url)}]},
                "heading": f"{label}：{name}", "entries": _listing(groups[name]),
            }, every_doc, f"{key}:{name}"))
        pages.append(Page(index_url, "terms.html", {
            "page": {"title": label, "description": f"全部{label}", "kind": "list", "url": index_url},
            "heading": label,
            "terms": [{"name": n, "href": urls.href(make_url(n)), "count": len(groups[n])}
                      for n in sorted(groups, key=str.casefold)],
        }, every_doc, f"{key} index"))

    by_year: dict[int, list[dict]] = defaultdict(list)
    for doc in docs:
        by_year[doc["year"]].append(doc)
    years = sorted(by_year, reverse=True)
    pages.append(Page(urls.archive(), "archive.html", {
        "page": {"title": "归档", "description": f"按年份归档的 {len(docs)} 篇文章与笔记", "kind": "list",
                 "url": urls.archive()},
        "years": [{"year": y, "href": urls.href(urls.year(y)), "entries": _listing(by_year[y])} for y in years],
    }, every_doc, "archive"))
    for y in years:
        pages.append(Page(urls.year(y), "archive.html", {
            "page": {"title": f"{y} 年归档", "description": f"{y} 年的 {len(by_year[y])} 篇文章与笔记", "kind": "list",
                     "url": urls.year(y), "breadcrumbs": [{"label": "归档", "href": urls.href(urls.archive())}]},
            "years": [{"year": y, "href": urls.href(urls.year(y)), "entries": _listing(by_year[y])}],
        }, every_doc, f"archive:{y}"))

    pages.append(Page(urls.not_found(), "404.html", {
        "page": {"title": "页面不存在", "description": "404", "kind": "404", "url": urls.not_found()},
    }, frozenset(), "404"))
    return pages
