"""Blog pages: home, each post and note, tags, categories, the year archive, 404.

Graph values made here: `doc:<path>` (a document's own page: its HTML, the
papers it is about) and `docs` (every document's list entry, newest first).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from markupsafe import Markup

from ..memo import Memo
from ..model.link import NoteRef
from .bib_files import bib_link, list_slug
from .graph import Graph, digest_of, digest_text
from .page import Page
from .paging import MAX_PER_PAGE, list_pages, lists_script, page_count, page_of, paged_title, pagination
from .reading import page_toc, reading_minutes
from .research import PaperIndex
from .urls import Urls

ENTRY = "_entry_item.html"
ENTRY_FIELDS = (
    "kind",
    "kind_label",
    "title",
    "href",
    "url",
    "source",
    "date",
    "updated",
    "date_iso",
    "date_display",
    "year",
    "excerpt_html",
    "tags",
    "categories",
)


def notes_by_document(notes: dict[str, list[NoteRef]], index: PaperIndex) -> dict[str, list[tuple[dict, NoteRef]]]:
    """Document path -> (summary, note reference) of each paper it has a section about, by paper key."""
    per_doc: dict[str, list] = defaultdict(list)
    for key in sorted(notes):
        for ref in notes[key]:
            per_doc[ref.doc_path].append((index.by_key[key], ref))
    return dict(per_doc)


def add_document_values(
    graph: Graph,
    views: list[dict],
    per_doc: dict[str, list[tuple[dict, NoteRef]]],
    render_entry: Callable[[dict, str], Markup],
    memo: Memo,
) -> list[dict]:
    """`views`: document views (site/views.py), newest first; `per_doc`: `notes_by_document`. Adds `doc:<path>`
    and `docs`; returns the entries."""
    entries, digests = [], []
    for view in views:
        pairs = per_doc.get(view["source"], ())
        key = ("doc value", view["source"])
        last = memo.peek(key)
        if last is None or last[0] is not view or last[1] is not pairs:  # else: this very view and pair list
            entry = memo.get(("entry", view["digest"]), lambda: _entry(view))
            last = memo.put(key, (view, pairs, *_document_value(view, pairs), *entry))
        _, _, digest, value, entry, entry_digest = last
        graph.add(f"doc:{view['source']}", digest, value)
        entries.append({**entry, "html": render_entry(entry, entry_digest)})
        digests.append(entry_digest if entry["kind"] != "page" else "")
    graph.add("docs", digest_text(*digests), listed(entries))
    return entries


def listed(entries: list[dict]) -> list[dict]:
    """The entries lists show (home, archive, tags, the feed): posts and notes, not standalone pages."""
    return [e for e in entries if e["kind"] != "page"]


def _document_value(view: dict, pairs) -> tuple[str, dict]:
    """The `doc:<path>` value (the view with the papers its sections are about) and its digest."""
    links = {ref.anchor: (s["href"], s["title"]) for s, ref in pairs if ref.anchor}
    papers = [s for s, _ in pairs]
    shown = [f"{anchor}={href}={title}" for anchor, (href, title) in sorted(links.items())]
    digest = digest_text(view["digest"], *shown, *(s["digest"] for s in papers))
    return digest, {**view, "paper_links": links, "papers": papers}


def _entry(view: dict) -> tuple[dict, str]:
    entry = {k: view[k] for k in ENTRY_FIELDS}
    return entry, digest_of(entry)


def _document_context(get, urls: Urls, path: str) -> dict:
    doc = get(f"doc:{path}")
    html = after_headings(doc["html"](), _paper_links(doc["paper_links"]))
    crumbs = []  # after 首页, which base.html puts first
    if doc["kind"] != "page":  # a standalone page (About) belongs to no section: no trail
        index = urls.notes_index() if doc["kind"] == "note" else urls.posts_index()
        crumbs.append({"label": doc["kind_label"], "href": urls.href(index)})
    return {
        "page": {
            "title": doc["title"],
            "description": doc["description"],
            "kind": doc["kind"],
            "url": doc["url"],
            "breadcrumbs": crumbs,
        },
        "doc": {
            **doc,
            "html": Markup(html),
            "toc": page_toc(html) if doc["kind"] != "page" and doc["meta"].get("toc") is not False else [],
            "minutes": reading_minutes(doc["words"]),
            **get(f"nav:{path}"),
        },
    }


def _paper_links(targets: dict[str, tuple[str, str]]) -> dict[str, str]:
    """heading id -> a link to the paper that section is about (href, title)."""
    return {
        heading: "\n"
        + Markup('<p class="paper-link">📄 <a href="{}" title="{}">论文页面：{}</a></p>').format(href, title, title)
        for heading, (href, title) in targets.items()
    }


def _home_context(get, urls: Urls) -> dict:
    entries = get("docs")
    index: PaperIndex = get("papers")
    stats = [
        {"label": label, "count": count, "href": urls.href(url)}
        for label, count, url in (
            ("篇笔记与文章", len(entries), urls.archive()),
            ("篇论文", len(index.summaries), urls.papers_index()),
            ("位作者", len(index.by_author), urls.authors_index()),
            ("个主题", len(index.by_topic), urls.topics_index()),
        )
    ]
    return {
        "page": {"title": "", "description": "", "kind": "home", "url": urls.home()},
        "entries": entries[:MAX_PER_PAGE],  # the newest; the archive has them all
        "stats": stats,
    }


def _kind_context(get, urls: Urls, kind: str, number: int) -> dict:
    title = "笔记" if kind == "note" else "文章"
    url = urls.notes_index() if kind == "note" else urls.posts_index()
    chosen = [e for e in get("docs") if e["kind"] == kind]
    shown = page_of(chosen, number, MAX_PER_PAGE)
    return {
        "page": {
            "title": paged_title(title, number),
            "description": f"全部{title}（{len(chosen)}）",
            "kind": "list",
            "url": urls.paged(url, number),
            "breadcrumbs": [{"label": title, "href": urls.href(url)}] if number > 1 else [],
        },
        "heading": title,
        "entries": shown,
        "pagination": pagination(urls, url, number, page_count(len(chosen), MAX_PER_PAGE)),
        "lists_js": lists_script(urls, shown),
    }


TERMS = {"tags": ("标签", "tags_index"), "categories": ("分类", "categories_index")}


def _levels(entry: dict, key: str) -> list[dict]:
    """The tags of an entry, or every category level it is listed under (CV and CV › Diffusion)."""
    return entry[key] if key == "tags" else [level for c in entry[key] for level in c["levels"]]


def _term_context(get, urls: Urls, key: str, url: str, name: str, number: int) -> dict:
    label, index_url = TERMS[key]
    chosen = [e for e in get("docs") if any(t["url"] == url for t in _levels(e, key))]
    shown = page_of(chosen, number, MAX_PER_PAGE)
    crumbs = [{"label": label, "href": urls.href(getattr(urls, index_url)())}]
    if number > 1:
        crumbs.append({"label": name, "href": urls.href(url)})
    return {
        "page": {
            "title": paged_title(f"{label}：{name}", number),
            "description": f"{label} {name} 下的 {len(chosen)} 篇文章与笔记",
            "kind": "list",
            "url": urls.paged(url, number),
            "breadcrumbs": crumbs,
        },
        "heading": f"{label}：{name}",
        "entries": shown,
        "pagination": pagination(urls, url, number, page_count(len(chosen), MAX_PER_PAGE)),
        "lists_js": lists_script(urls, shown),
        "bib": _tag_bib(get, urls, url) if key == "tags" else None,
    }


def _tag_bib(get, urls: Urls, url: str) -> dict | None:
    """A tag's papers (those its notes and posts are about or cite) as a .bib, when it has any."""
    keys = get("tag papers").get(url)
    return bib_link(urls, url, len(keys), list_slug(url)) if keys else None


def _terms(entries: list[dict], key: str) -> dict[tuple[str, str], int]:
    """(url, name) -> how many entries are listed under it, in name order (a category after its parent)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for e in entries:
        for t in {t["url"]: t for t in _levels(e, key)}.values():
            counts[t["url"], t["name"]] += 1
    return {term: counts[term] for term in sorted(counts, key=lambda t: (t[1].casefold(), t))}


def _terms_index_context(get, urls: Urls, key: str) -> dict:
    label, index_url = TERMS[key]
    counts = _terms(get("docs"), key)
    most = max(counts.values(), default=1)
    terms = [
        {"name": name, "href": urls.href(url), "count": count, "depth": name.count(" › "),
         "leaf": name.rsplit(" › ", 1)[-1], "weight": _weight(count, most)}
        for (url, name), count in counts.items()
    ]  # fmt: skip
    return {
        "page": {
            "title": label,
            "description": f"全部{label}",
            "kind": "list",
            "url": getattr(urls, index_url)(),
            "math": False,  # names and counts
            "code": False,
        },
        "heading": label,
        "terms": terms,
        "tree": key == "categories",  # nested categories: a level under its parent; tags: sized by use
    }


def _weight(count: int, most: int) -> int:
    """1..5: a term's size in the tag index, by the log of its use against the most used term's."""
    return 1 + round(4 * math.log(count) / math.log(most)) if most > 1 else 1


def _archive_context(get, urls: Urls, year: int | None, number: int) -> dict:
    """Page `number` of the archive (every year, newest first) or of one year's: at most MAX_PER_PAGE
    entries, under the heading of their year, which counts all of that year's entries."""
    chosen = [e for e in get("docs") if year is None or e["year"] == year]
    counts = Counter(e["year"] for e in chosen)
    on_page: dict[int, list[dict]] = defaultdict(list)
    for e in page_of(chosen, number, MAX_PER_PAGE):
        on_page[e["year"]].append(e)
    url = urls.archive() if year is None else urls.year(year)
    title = "归档" if year is None else f"{year} 年归档"
    crumbs = [] if year is None else [{"label": "归档", "href": urls.href(urls.archive())}]
    if number > 1:
        crumbs.append({"label": title, "href": urls.href(url)})
    what = "按年份归档的" if year is None else f"{year} 年的"
    return {
        "page": {
            "title": paged_title(title, number),
            "description": f"{what} {len(chosen)} 篇文章与笔记",
            "kind": "list",
            "url": urls.paged(url, number),
            "breadcrumbs": crumbs,
            "math": False,  # dates and titles: no formula, no code
            "code": False,
        },
        "heading": paged_title(title, number),
        "years": [
            {"year": y, "href": urls.href(urls.year(y)), "count": counts[y], "entries": entries}
            for y, entries in on_page.items()
        ],
        "pagination": pagination(urls, url, number, page_count(len(chosen), MAX_PER_PAGE)),
    }


def _not_found_context(get, urls: Urls) -> dict:
    page = {"title": "页面不存在", "description": "404", "kind": "404", "url": urls.not_found()}
    return {"page": {**page, "math": False, "code": False}}


def blog_pages(entries: list[dict], urls: Urls) -> list[Page]:
    """entries: every document's entry (newest first); the lists show those of `listed`."""
    docs, shown = ("docs",), listed(entries)
    pages = [Page(urls.home(), "home.html", _home_context, (urls,), ("docs", "papers"), "home", (ENTRY,))]
    pages += [
        Page(
            e["url"],
            "document.html",
            _document_context,
            (urls, e["source"]),
            (f"doc:{e['source']}", f"nav:{e['source']}"),
            e["source"],
        )  # fmt: skip
        for e in entries
    ]
    for kind, url in (("note", urls.notes_index()), ("post", urls.posts_index())):
        count = sum(e["kind"] == kind for e in shown)
        pages += list_pages(urls, url, count, MAX_PER_PAGE, "list.html", _kind_context, (urls, kind), docs,
                            f"{kind} index", (ENTRY,))  # fmt: skip
    for key, (_, index_url) in TERMS.items():
        for (url, name), count in _terms(shown, key).items():
            inputs = (*docs, "tag papers") if key == "tags" else docs
            pages += list_pages(urls, url, count, MAX_PER_PAGE, "list.html", _term_context, (urls, key, url, name),
                                inputs, f"{key}:{name}", (ENTRY,))  # fmt: skip
        pages.append(
            Page(getattr(urls, index_url)(), "terms.html", _terms_index_context, (urls, key), docs, f"{key} index")
        )
    pages += list_pages(urls, urls.archive(), len(shown), MAX_PER_PAGE, "archive.html", _archive_context,
                        (urls, None), docs, "archive")  # fmt: skip
    for year, count in sorted(Counter(e["year"] for e in shown).items(), reverse=True):
        pages += list_pages(urls, urls.year(year), count, MAX_PER_PAGE, "archive.html", _archive_context,
                            (urls, year), docs, f"archive:{year}")  # fmt: skip
    pages.append(Page(urls.not_found(), "404.html", _not_found_context, (urls,), (), "404"))
    return pages


_HEADING_WITH_ID = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)">.*?</h(?P=level)>', re.S)


def after_headings(html: str, inserts: dict[str, str]) -> str:
    """Put HTML right after the headings with these ids (the Markdown renderer's headings: `<hN id="…">…</hN>`)."""
    if not inserts:
        return str(html)
    return _HEADING_WITH_ID.sub(lambda m: m.group(0) + str(inserts.get(m.group("id"), "")), str(html))
