"""What search finds: one small HTML document per searchable page, in bundles Pagefind indexes one at a time.

A paper's document carries its title (and Chinese title), authors, venue, year, topics, arXiv id and
abstract; an author's their name, paper count and venues; a note's or post's its title, tags and text.
Filters (`type`, `venue`, `year`, `topic`, `tag`) and the result title are `data-pagefind-*` attributes,
so Pagefind ranks a title match (an <h1>) above a word in an abstract. List pages are not searchable:
their papers are. The documents are plain functions of the model, so an unchanged site makes the very
same bundles (papernotes/search_index.py then keeps its index as it is).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape

from .research import PaperIndex

# Pagefind 1.5 holds ~140 bytes per byte of document it indexes plus ~5 KB per document (measured: 3,500
# paper documents, 510 MB; 52,000 author documents, 343 MB). Bundles are cut at an estimate of 100 B a
# byte against 250 MB: each bundle is one more index the search page merges (27,000 papers + 52,000
# authors: 29), and 45 smaller ones made the first query too slow. At 280 MB (26 bundles) Pagefind's
# ~300 MiB a bundle put the build's process tree at its peak over 1 GiB.
BUNDLE_MEMORY = 250_000_000
PER_DOCUMENT, PER_BYTE = 5_000, 100
_TAG = re.compile(r"<[^>]*>")
_KATEX = re.compile(r'<span class="katex(?:-display)?">')
_SPAN = re.compile(r"<span\b|</span>")
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)

Doc = tuple[str, str]  # (site-relative URL path starting with '/', HTML)


def _filters(name: str, values: Iterable) -> str:
    return "".join(f'<span data-pagefind-filter="{name}">{escape(str(v))}</span>' for v in values if v)


def _page(title: str, filters: str, body: str) -> str:
    return (
        f'<html><body><main data-pagefind-body><h1 data-pagefind-meta="title">{escape(title)}</h1>'
        f"{filters}{body}</main></body></html>"
    )


def _text(markup: str | None) -> str:
    """Source text with IEEE-style tags (<sup>, <tex>) taken out, escaped for HTML."""
    return escape(_TAG.sub(" ", markup or ""))


def paper_document(summary: dict, abstract: str | None, arxiv: str | None, topic_names: dict[str, str]) -> str:
    filters = (
        _filters("type", ["paper"])
        + _filters("venue", [summary["venue_name"]])
        + _filters("year", [summary["year"]])
        + _filters("topic", [topic_names[t] for t in summary["topics"] if t in topic_names])
    )
    body = [
        f"<p>{escape(summary['title_zh'])}</p>" if summary["title_zh"] else "",
        f"<p>{escape(', '.join(summary['all_authors']))}</p>",
        f"<p>{escape(summary['venue_label'])}</p>" if summary["venue_label"] else "",
        f"<p>arXiv {escape(arxiv)}</p>" if arxiv else "",
        f"<p>{_text(abstract)}</p>" if abstract else "",
    ]
    return _page(summary["title"], filters, "".join(body))


def author_document(name: str, papers: list[dict]) -> str:
    venues = sorted({s["venue_label"] for s in papers if s["venue_name"]})
    body = f"<p>{len(papers)} 篇论文{' · ' if venues else ''}{escape(' · '.join(venues))}</p>"
    return _page(name, _filters("type", ["author"]), body)


def without_katex(html: str) -> str:
    """Rendered HTML with each KaTeX formula replaced by its TeX source (its annotation): the words of a
    formula are searchable as written, and KaTeX's layout spans (most of a note's bytes) are not indexed."""
    out, at = [], 0
    while (found := _KATEX.search(html, at)) is not None:
        out.append(html[at : found.start()])
        depth, end = 0, len(html)
        for tag in _SPAN.finditer(html, found.start()):
            depth += 1 if tag.group() != "</span>" else -1
            if depth == 0:
                end = tag.end()
                break
        tex = _TEX.search(html, found.start(), end)
        out.append(f" {tex.group(1)} " if tex else " ")
        at = end
    out.append(html[at:])
    return "".join(out)


def document_document(view: dict, html: str) -> str:
    kind = view["kind"]
    filters = "" if kind == "page" else _filters("type", [kind])
    filters += _filters("tag", [t["name"] for t in view["tags"]])
    return _page(view["title"], filters, f"<div>{without_katex(html)}</div>")


def search_documents(index: PaperIndex, papers: dict, views: list[dict], html_of: Callable[[dict], str]) -> list[Doc]:
    """Every searchable page's document: documents (newest first), papers (list order), authors (A–Z).
    `papers`: key -> (abstract, arXiv id); `html_of(view)`: a document's rendered HTML."""
    names = {slug: rule.name for slug, rule in index.topics.items()}
    docs = [("/" + v["url"], document_document(v, str(html_of(v)))) for v in views]
    for s in index.summaries:
        abstract, arxiv = papers.get(s["key"], (None, None))
        docs.append(("/" + s["url"], paper_document(s, abstract, arxiv, names)))
    for name, listed in index.by_author.items():
        docs.append(("/" + index.urls.author(index.author_slug[name]), author_document(name, listed)))
    return docs


def bundles(docs: list[Doc], memory: int = BUNDLE_MEMORY) -> list[list[Doc]]:
    """`docs` cut in order into bundles whose estimated Pagefind memory stays under `memory`."""
    out: list[list[Doc]] = [[]]
    used = 0
    for doc in docs:
        cost = PER_DOCUMENT + PER_BYTE * len(doc[1])
        if out[-1] and used + cost > memory:
            out.append([])
            used = 0
        out[-1].append(doc)
        used += cost
    return out
