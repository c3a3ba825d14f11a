"""A page per paper, and the paginated /papers/ index with filter links."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from markupsafe import Markup

from ..model.link import NoteRef
from ..model.paper import Paper
from ..render.text import text_with_math
from .graph import Graph, digest_text
from .page import Page
from .research import PaperIndex

RELATED = 5  # title links on every paper page: a few, they add up over 27,000 pages
ITEM = "_paper_item.html"


def add_paper_values(
    graph: Graph,
    papers: list[Paper],
    abstracts: dict[str, tuple[str, str]],
    notes: dict[str, list[NoteRef]],
    docs: dict[str, dict],
    citing: dict[str, list[str]],
    bibtex: Callable[[Paper], str],
    bibkeys: dict[str, str],
) -> None:
    """The `paper:<key>` values: what only a paper's own page shows, made when that page is fingerprinted.

    `abstracts`: key -> (abstract html, digest of what made it); `docs`: document path -> its entry.
    `citing`: paper key -> the paths of the documents whose `[@key]` citations name it, in path order.
    """
    by_key = {p.key: p for p in papers}

    def resolve(key: str) -> tuple[str, tuple]:
        paper = by_key[key]
        html, html_digest = abstracts.get(key, ("", ""))
        refs = []
        for ref in notes.get(key, ()):
            doc = docs.get(ref.doc_path)
            if doc is not None:
                refs.append(
                    {
                        "title": doc["title"],
                        "kind_label": doc["kind_label"],
                        "heading": ref.heading,
                        "href": doc["href"] + (f"#{ref.anchor}" if ref.anchor else ""),
                    }
                )
        cited_in = [
            {"title": doc["title"], "kind_label": doc["kind_label"], "href": doc["href"]}
            for doc in (docs[path] for path in citing.get(key, ()) if path in docs)
        ]
        # Digests of what the value is made of, joined: the fingerprint hashes them (one sha per page, not two).
        digest = "|".join((paper.digest or digest_text(repr(paper)), ",".join(paper.topics), html_digest,
                           bibkeys.get(key, ""), *("\0".join(r.values()) for r in refs),
                           "cited", *("\0".join(c.values()) for c in cited_in)))  # fmt: skip
        return digest, (paper, html, refs, bibtex, cited_in)

    graph.add_family("paper:", resolve)


def _related(index: PaperIndex, summary: dict) -> list[dict]:
    """Papers sharing authors (strongest) or topics; deterministic, a handful, as summaries."""
    scores: Counter = Counter()
    for name in summary["all_authors"]:
        for other in index.by_author.get(name, ()):
            if other["key"] != summary["key"]:
                scores[other["key"]] += 10
    if len(scores) < RELATED and summary["topics"] != ["other"]:
        # Same venue, shared topics: look only near this paper in each (venue, topic) list.
        for topic in summary["topics"]:
            for other_key in index.venue_topic_neighbours(summary, topic, 3 * RELATED):
                scores[other_key] += 1
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED]
    return [index.by_key[k] for k, _ in best]


def _shows_math(*texts: str) -> bool:
    """Whether render/text.py makes formulas of any of these scraped texts (the page needs KaTeX's CSS)."""
    return any(text_with_math(text)[1] for text in texts if text)


def _links(paper: Paper) -> list[dict]:
    links = []
    if paper.arxiv:
        links.append({"label": "arXiv", "href": f"https://arxiv.org/abs/{paper.arxiv}"})
        links.append({"label": "PDF", "href": f"https://arxiv.org/pdf/{paper.arxiv}"})
    if paper.doi:
        links.append({"label": "DOI", "href": f"https://doi.org/{paper.doi}"})
    seen = {link["href"] for link in links}
    for url in paper.links:
        if url not in seen and url.startswith(("http://", "https://")):
            label = "arXiv" if "arxiv.org" in url else "DOI" if "doi.org" in url else "来源"
            links.append({"label": label, "href": url})
            seen.add(url)
    return links


def _paper_context(get, key: str) -> dict:
    index: PaperIndex = get("papers")
    paper, abstract_html, notes, bibtex, cited_in = get(f"paper:{key}")
    abstract_html = Markup(abstract_html)  # scraped text escaped by render/text.py, math by KaTeX
    summary = index.by_key[key]
    urls = index.urls
    related = _related(index, summary)
    view = {
        **summary,
        "authors": summary["author_links"],
        "more_authors": 0,
        "topics": summary["topic_links"],
        "links": _links(paper),
        "abstract_html": abstract_html,
        "date": paper.date or "",
        "has_code": paper.has_code,
        "keywords": list(paper.keywords),
        "affiliation": paper.affiliation or "",
        "bibtex": bibtex(paper),
        "notes": notes,
        "cited_in": cited_in,  # the posts and notes whose `[@key]` citations name it
        "related": [{k: r[k] for k in ("href", "title_html", "venue_label")} for r in related],
        "listed_in": [{"where": f"{r.source.path}:{r.source.line}", "format": r.format} for r in paper.records],
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
            "math": _shows_math(paper.title, paper.abstract or "", *(r["title"] for r in related)),
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
            {"label": str(y), "count": years[y], "href": urls.href(urls.papers_year(y))}
            for y in sorted(years, reverse=True)
        ],
        "topics": [
            {"label": index.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
            for t, c in sorted(topics.items(), key=lambda kv: (kv[0] == "other", -kv[1], kv[0]))
        ],
    }


def _label(venue: str | None, year: int | None) -> str:
    return (f"{venue} {year}" if year else venue) if venue else "未知"


def _papers_index(index: PaperIndex) -> list[Page]:
    urls = index.urls
    total_pages = max(1, -(-len(index.summaries) // index.per_page))
    pages = [
        Page(urls.papers_page(n), "papers.html", _index_context, (n,), ("papers",), f"papers:{n}", (ITEM,))
        for n in range(1, total_pages + 1)
    ]
    years = sorted({s["year"] for s in index.summaries if s["year"]})
    pages += [
        Page(urls.papers_year(y), "papers.html", _year_context, (y,), ("papers",), f"papers-year:{y}", (ITEM,))
        for y in years
    ]
    return pages


def _index_context(get, number: int) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    total = len(index.summaries)
    total_pages = max(1, -(-total // index.per_page))
    chunk = index.summaries[(number - 1) * index.per_page : number * index.per_page]
    url = urls.papers_page(number)
    return {
        "page": {
            "title": "论文" if number == 1 else f"论文 · 第 {number} 页",
            "description": f"全部 {total} 篇论文，按年份与会议排序",
            "kind": "list",
            "url": url,
            "math": _shows_math(*(s["title"] for s in chunk)),
            "code": False,
        },
        "heading": "全部论文",
        "total": total,
        "papers": index.listed(chunk),
        "filters": _filters(index),
        "pagination": {
            "number": number,
            "total": total_pages,
            "prev": urls.href(urls.papers_page(number - 1)) if number > 1 else "",
            "next": urls.href(urls.papers_page(number + 1)) if number < total_pages else "",
            "pages": [{"number": n, "href": urls.href(urls.papers_page(n))} for n in range(1, total_pages + 1)],
        },
    }


def _year_context(get, year: int) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    chunk = [s for s in index.summaries if s["year"] == year]
    return {
        "page": {
            "title": f"{year} 年的论文",
            "description": f"{year} 年的 {len(chunk)} 篇论文",
            "kind": "list",
            "url": urls.papers_year(year),
            "breadcrumbs": [{"label": "论文", "href": urls.href(urls.papers_index())}],
            "math": _shows_math(*(s["title"] for s in chunk)),
            "code": False,
        },
        "heading": f"{year} 年的论文",
        "total": len(chunk),
        "papers": index.listed(chunk),
        "filters": _filters(index),
        "pagination": None,
    }
