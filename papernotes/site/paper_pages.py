"""A page per paper; the paginated /papers/ list (by year, with filter links); and the page flags (math,
code) of every page listing papers."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable

from markupsafe import Markup

from ..citation import apa, gbt7714, venue_name
from ..model.link import NoteRef
from ..model.paper import Paper
from ..render.text import text_with_math
from .graph import Graph, digest_text
from .page import Page
from .paging import list_pages, paged_title, paper_list, per_page
from .paper_links import citation_meta, json_ld, paper_links
from .research import PaperIndex, text_lang

RELATED = 5  # title links on every paper page: a few, they add up over 27,000 pages
ITEM = "_paper_item.html"
NO_MATH_OR_CODE = {"math": False, "code": False}  # the flags of a page of names and counts


def add_paper_values(
    graph: Graph,
    by_key: dict[str, Paper],
    abstracts: dict[str, tuple[str, str]],
    notes: dict[str, list[NoteRef]],
    docs: dict[str, dict],
    citing: dict[str, list[str]],
    bibtex: Callable[[Paper], str],
    bibkeys: dict[str, str],
) -> None:
    """The `paper:<key>` values: what only a paper's own page shows, made when that page is fingerprinted.

    `by_key`: paper key -> the paper; `abstracts`: key -> (abstract html, digest of what made it);
    `docs`: document path -> its entry.
    `citing`: paper key -> the paths of the documents whose `[@key]` citations name it, in path order.
    """

    def resolve(key: str) -> tuple[str, tuple]:
        paper = by_key[key]
        html, html_digest = abstracts.get(key, ("", ""))
        # Digests of what the value is made of, joined: the fingerprint hashes them (one sha per page, not two).
        # Every paper is resolved on every rebuild, and most have no notes and no citations: those cost nothing.
        parts = [paper.digest or digest_text(repr(paper)), ",".join(paper.topics), html_digest, bibkeys.get(key, "")]
        refs, cited_in = [], []
        for ref in notes.get(key) or ():
            doc = docs.get(ref.doc_path)
            if doc is not None:
                href = doc["href"] + (f"#{ref.anchor}" if ref.anchor else "")
                shown = {"title": doc["title"], "kind_label": doc["kind_label"], "heading": ref.heading, "href": href}
                refs.append(shown)
                parts.append("\0".join(shown.values()))
        parts.append("cited")
        for path in citing.get(key) or ():
            doc = docs.get(path)
            if doc is not None:
                shown = {"title": doc["title"], "kind_label": doc["kind_label"], "href": doc["href"]}
                cited_in.append(shown)
                parts.append("\0".join(shown.values()))
        return "|".join(parts), (paper, html, refs, bibtex, cited_in)

    graph.add_family("paper:", resolve)


def _related(index: PaperIndex, summary: dict) -> list[dict]:
    """Papers sharing authors (10 a shared author, strongest) or topics (1 a neighbour in a venue's topic
    list, looked at only when authors give too few); deterministic, a handful, as summaries."""
    shared: Counter = Counter()
    for name in summary["all_authors"]:
        shared.update(index.author_keys.get(name, ()))  # a prolific author's thousand papers: counted in C
    shared.pop(summary["key"], None)
    if len(shared) >= RELATED or summary["topics"] == ["other"]:
        best = heapq.nsmallest(RELATED, shared.items(), key=lambda kv: (-kv[1], kv[0]))
    else:
        scores = Counter({key: 10 * count for key, count in shared.items()})
        # Same venue, shared topics: look only near this paper in each (venue, topic) list.
        for topic in summary["topics"]:
            for other_key in index.venue_topic_neighbours(summary, topic, 3 * RELATED):
                scores[other_key] += 1
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED]
    return [index.by_key[k] for k, _ in best]


def shows_math(*texts: str) -> bool:
    """Whether render/text.py makes formulas of any of these scraped texts (the page needs KaTeX's CSS)."""
    return any(text_with_math(text)[1] for text in texts if text)


def list_flags(shown: list[dict]) -> dict:
    """The page flags (templates/base.html) of a page listing these papers: KaTeX's CSS if one of their
    titles shows a formula, never Pygments' (a list highlights no code)."""
    return {"math": any(s["title_math"] for s in shown), "code": False}


_FORMATS = {  # a reader (sources/) -> what its file is, in words
    "paperlist_md": "论文列表",
    "hexo_paperlist": "博客文章里的论文列表",
    "hf_papers": "Hugging Face 每日论文",
    "author_profile": "作者主页",
    "note_sections": "笔记",
    "bibtex": "BibTeX 文献库",
    "csl_json": "CSL JSON 文献库（Zotero 导出）",
}


def provenance(record) -> str:
    """Where a record comes from, in words: "来自 CVPR 2023 论文列表，第 1835 条", "来自 Nannan Wang 的作者主页"."""
    what = _FORMATS.get(record.format, record.format)
    if record.format == "author_profile" and record.owner:
        what = f"{record.owner} 的{what}"
    elif record.format in ("paperlist_md", "hexo_paperlist") and record.venue:
        what = " ".join(str(x) for x in (record.venue, record.year) if x) + " " + what
    what = f"{what}，第 {record.index} 条" if record.index is not None else what
    return "来自" + (" " if what[0].isascii() else "") + what  # a space between Chinese and Latin words


def _paper_context(get, key: str) -> dict:
    index: PaperIndex = get("papers")
    paper, abstract_html, notes, bibtex, cited_in = get(f"paper:{key}")
    abstract_html = Markup(abstract_html)  # scraped text escaped by render/text.py, math by KaTeX
    summary = index.by_key[key]
    urls = index.urls
    related = _related(index, summary)
    links, venue = paper_links(paper), venue_name(paper.venue)
    view = {
        **summary,
        "authors": summary["author_links"],
        "more_authors": 0,
        "topics": summary["topic_links"],
        "links": links,
        "abstract_html": abstract_html,
        "abstract_lang": text_lang(paper.abstract or ""),
        "date": paper.date or "",
        "has_code": paper.has_code and not any(link["kind"] == "code" for link in links),  # else: its link
        "keywords": list(paper.keywords),
        "affiliation": paper.affiliation or "",
        "citation_meta": citation_meta(paper, links, venue),
        "jsonld": json_ld(paper, links, venue, urls.absolute(summary["url"])),
        "cite": [
            {"id": "bibtex", "label": "BibTeX", "text": bibtex(paper), "lang": "en"},
            {"id": "gbt7714", "label": "GB/T 7714-2015", "text": gbt7714(paper), "lang": ""},
            {"id": "apa", "label": "APA", "text": apa(paper), "lang": "en"},
        ],
        "notes": notes,
        "cited_in": cited_in,  # the posts and notes whose `[@key]` citations name it
        "related": [{k: r[k] for k in ("href", "title_html", "venue_label")} for r in related],
        "listed_in": [{"where": f"{r.source.path}:{r.source.line}", "words": provenance(r)} for r in paper.records],
    }
    crumbs = [{"label": "论文", "href": urls.href(urls.papers_index())}]
    if summary["venue"]:
        crumbs.append({"label": summary["venue_label"], "href": summary["venue"]["href"]})
    description = (paper.title_zh + " · " if paper.title_zh else "") + ", ".join(paper.authors[:3])
    return {
        "page": {
            "title": paper.title,
            "description": description or summary["venue_label"] or "论文",
            "kind": "paper",
            "url": summary["url"],
            "breadcrumbs": crumbs,
            "math": any(r["title_math"] for r in (summary, *related)) or shows_math(paper.abstract or ""),
            "code": False,  # no Pygments output: the BibTeX box is plain text
        },
        "paper": view,
    }


def paper_pages(index: PaperIndex) -> list[Page]:
    pages = [
        Page(
            s["url"],
            "paper.html",
            _paper_context,
            (s["key"],),
            ("papers", f"paper:{s['key']}"),
            f"paper:{s['key']}",
        )
        for s in index.summaries
    ]
    return pages + _papers_index(index)


def _filters(index: PaperIndex) -> dict:
    urls = index.urls
    venues, topics, years = index.counts  # counted once per index, shown on each of its pages
    return {
        "venues": [
            {
                "label": (f"{v} {y}" if y else v) if v else "未知",
                "count": c,
                "href": urls.href(urls.venue(v, y if v else None)),
            }
            for (v, y), c in sorted(venues.items(), key=lambda kv: (kv[0][0] is None, _label(*kv[0])))
        ],
        "years": [
            {"label": str(y), "count": years[y], "href": _year_start(index, y)} for y in sorted(years, reverse=True)
        ],
        "topics": [
            {"label": index.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
            for t, c in sorted(topics.items(), key=lambda kv: (kv[0] == "other", -kv[1], kv[0]))
        ],
    }


def _year_start(index: PaperIndex, year: int) -> str:
    """Where /papers/ (newest first) reaches `year`: the page of its first paper, at that year's heading. The
    list is its own year index: no second copy of 27,000 items in /papers/year/<y>/ pages."""
    starts = index.shared(("papers year starts",), lambda: _first_positions(index.summaries))
    urls, number = index.urls, starts[year] // per_page(index.per_page) + 1
    return urls.href(urls.paged(urls.papers_index(), number)) + f"#year-{year}"


def _first_positions(summaries: list[dict]) -> dict[int, int]:
    starts: dict[int, int] = {}
    for position, s in enumerate(summaries):
        starts.setdefault(s["year"], position)
    return starts


def _label(venue: str | None, year: int | None) -> str:
    return (f"{venue} {year}" if year else venue) if venue else "未知"


def _papers_index(index: PaperIndex) -> list[Page]:
    """/papers/, paginated like every list of papers (site/paging.py)."""
    urls = index.urls
    return list_pages(urls, urls.papers_index(), len(index.summaries), per_page(index.per_page), "papers.html",
                      _index_context, (), ("papers",), "papers", (ITEM,))  # fmt: skip


def _index_context(get, number: int) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    url, total = urls.papers_index(), len(index.summaries)
    listed = paper_list(index, url, index.summaries, number)
    return {
        "page": {
            "title": paged_title("论文", number),
            "description": f"全部 {total} 篇论文，按年份与会议排序",
            "breadcrumbs": [{"label": "论文", "href": urls.href(url)}] if number > 1 else [],
            "kind": "list",
            "url": urls.paged(url, number),
            **list_flags(listed["papers"]),
        },
        "heading": "全部论文",
        "total": total,
        "filters": _filters(index),
        "years": _year_groups(listed["papers"]),
        **listed,
    }


def _year_groups(items: list[dict]) -> list[dict]:
    """A page's items under a heading per year (the year filter's anchors), in list order."""
    groups: list[dict] = []
    for item in items:
        if not groups or groups[-1]["year"] != item["year"]:
            groups.append({"year": item["year"], "papers": []})
        groups[-1]["papers"].append(item)
    return groups
