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


# How much a word counts where it is found (Pagefind's data-pagefind-weight; an <h1> counts 7, text 1): a
# paper's title above its authors, its authors above its abstract. An author's own document names them at
# AUTHOR_NAME, below a paper title: `GAN` finds the GAN papers before "Zhe Gan".
TITLE_ZH, AUTHORS, IDS, AUTHOR_NAME = 6, 3, 5, 3


# Between two Chinese characters: a zero-width space, so Pagefind's indexer (jieba) keeps each character a
# word of its own, as static/search.js searches them. The browser's segmenter (ICU) and jieba cut Chinese
# differently (人脸 is one word to jieba and two to ICU), and a query found no page that jieba had cut
# otherwise: 人脸 found 1 of 59 papers. The space is not seen in titles or excerpts.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs: extension A, unified, compatibility
_HAN_PAIR = re.compile(f"([{_HAN}])(?=[{_HAN}])")
CHARACTER_BREAK = "\u200b"


def by_character(markup: str) -> str:
    """`markup` with a zero-width space between adjacent Chinese characters."""
    return _HAN_PAIR.sub(r"\1" + CHARACTER_BREAK, markup)


def _page(title: str, filters: str, body: str, title_weight: int | None = None) -> str:
    """A search document. Its title (as shown) and filters are in an ignored block: Pagefind keeps them as
    meta and filters, and a filter's value (a year, "paper") stays out of the words and the excerpts ("CVPR
    2022 2022"). The words are the title -- an <h1>, or a line of `title_weight` -- and the body."""
    words = by_character(escape(title))
    head = f"<h1>{words}</h1>" if title_weight is None else f'<p data-pagefind-weight="{title_weight}">{words}</p>'
    ignored = f'<div data-pagefind-ignore><span data-pagefind-meta="title">{escape(title)}</span>{filters}</div>'
    return f"<html><body><main data-pagefind-body>{ignored}{head}{by_character(body)}</main></body></html>"


def _line(text: str, weight: int | None = None) -> str:
    if not text:
        return ""
    return f'<p data-pagefind-weight="{weight}">{text}</p>' if weight else f"<p>{text}</p>"


def _text(markup: str | None) -> str:
    """Source text with IEEE-style tags (<sup>, <tex>) taken out, escaped for HTML."""
    return escape(_TAG.sub(" ", markup or ""))


def paper_document(
    summary: dict,
    abstract: str | None,
    ids: dict[str, str | None],
    topics: dict[str, tuple[str, str]],
    mentions: tuple[str, ...] = (),
) -> str:
    """A paper's search document: title, Chinese title, authors, venue, its topics' English and Chinese
    names (扩散模型 finds the papers of Diffusion Models), arXiv id and DOI, abstract. `ids`: "arXiv"/"DOI"
    -> value or None; `topics`: slug -> (name, Chinese name); `mentions`: every topic the paper names (its words
    are searched; the filter is its ranked topics only), then its library keywords (BibTeX `keywords`)."""
    names = [topics[t] for t in summary["topics"] if t in topics]
    words = names + [topics.get(t, (t, "")) for t in mentions if t not in summary["topics"]]
    filters = (
        _filters("type", ["paper"])
        + _filters("venue", [summary["venue_name"]])
        + _filters("year", [summary["year"]])
        + _filters("topic", [name for name, _ in names])
    )
    body = [
        _line(escape(summary["title_zh"]), TITLE_ZH),
        _line(escape(", ".join(summary["all_authors"])), AUTHORS),
        _line(escape(summary["venue_label"] or "")),
        _line(escape(" · ".join(n for pair in words for n in pair if n))),
        _line(escape(" · ".join(f"{label} {value}" for label, value in ids.items() if value)), IDS),
        _line(_text(abstract)),
    ]
    return _page(summary["title"], filters, "".join(body))


def author_document(name: str, papers: list[dict]) -> str:
    venues = sorted({s["venue_label"] for s in papers if s["venue_name"]})
    body = f"<p>{len(papers)} 篇论文{' · ' if venues else ''}{escape(' · '.join(venues))}</p>"
    return _page(name, _filters("type", ["author"]), body, AUTHOR_NAME)


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
    """A note's or post's search document: its title, its text (formulas as their TeX), its tags (as words
    too: a tag is what its author would search for)."""
    kind = view["kind"]
    tags = [t["name"] for t in view["tags"]]
    filters = ("" if kind == "page" else _filters("type", [kind])) + _filters("tag", tags)
    return _page(view["title"], filters, f"<div>{without_katex(html)}</div>{_line(escape(' · '.join(tags)))}")


def search_documents(index: PaperIndex, papers: dict, views: list[dict], html_of: Callable[[dict], str]) -> list[Doc]:
    """Every searchable page's document: documents (newest first), papers (list order), authors (A–Z).
    `papers`: key -> (abstract, arXiv id, DOI, topics named); `html_of(view)`: a document's rendered HTML."""
    names = {slug: (rule.name, rule.name_zh) for slug, rule in index.topics.items()}
    docs = [("/" + v["url"], document_document(v, str(html_of(v)))) for v in views]
    for s in index.summaries:
        abstract, arxiv, doi, mentions = papers.get(s["key"], (None, None, None, ()))
        docs.append(("/" + s["url"], paper_document(s, abstract, {"arXiv": arxiv, "DOI": doi}, names, mentions)))
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
