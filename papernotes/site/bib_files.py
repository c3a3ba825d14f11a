"""A `.bib` of every list of papers: each venue (all years, and each year), topic, author of two papers or
more (one paper's author has that paper's cite box), and tag (the papers its notes and posts are about or
cite). Each is a page like the list it belongs to -- `<list>/papers.bib`, rendered from templates/papers.bib
-- so it is made again exactly when what it lists changes.

Graph values made here: `bib:<list URL>` (the BibTeX entries of its papers, as on their pages: no abstract).
and `tag papers` (a tag's URL -> the keys of the papers its documents are about or cite)."""

from __future__ import annotations

from collections.abc import Callable

from .graph import Graph, digest_text
from .page import Page
from .research import PaperIndex
from .urls import Urls

FILE = "papers.bib"
TEMPLATE = "papers.bib"
AUTHOR_MIN = 2


def add_bib_values(graph: Graph, bibtex: tuple[Callable, dict], lists: dict, tags: dict, known: dict) -> None:
    """`bib:<list URL>` for each of `lists` (URL -> paper keys, `bib_lists`): its papers' entries, with a digest of
    theirs only (`digests`: paper key -> that of its entry's inputs), so a `.bib` is made again exactly when one
    of its entries changes. `bibtex`: (key -> a paper's BibTeX, `digests`); `known`: the digests of `lists` made
    so far, kept while `lists` and `digests` are the same (a rebuild does not go over every list's papers)."""
    entry, digests = bibtex

    def resolve(url: str) -> tuple[str, Callable[[], list[str]]]:
        keys = lists[url]
        if url not in known:
            known[url] = digest_text(*(digests[k] for k in keys))
        return known[url], lambda: [entry(k) for k in keys]

    graph.add_family("bib:", resolve)
    graph.add("tag papers", digest_text(*(f"{url}={','.join(keys)}" for url, keys in sorted(tags.items()))), tags)


def tag_papers(entries: list[dict], doc_papers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Tag URL -> the papers of its documents (`doc_papers`: document path -> paper keys), each once, in order."""
    out: dict[str, dict[str, None]] = {}
    for e in entries:
        for tag in e["tags"]:
            out.setdefault(tag["url"], {}).update(dict.fromkeys(doc_papers.get(e["source"], ())))
    return {url: list(keys) for url, keys in out.items() if keys}


def bib_link(urls: Urls, list_url: str, count: int, name: str) -> dict:
    """What a list page shows of its `.bib` (templates/_bib.html)."""
    return {"href": urls.href(list_url + FILE), "count": count, "name": f"{name}.bib"}


def list_slug(list_url: str) -> str:
    return list_url.strip("/").replace("/", "-") or "papers"


def bib_lists(index: PaperIndex, tags: dict[str, list[str]]) -> dict[str, list[str]]:
    """List URL -> the keys of the papers it shows, for every list that has a `.bib`."""
    urls = index.urls
    lists = {}
    for venue in sorted((v for v in index.by_venue if v), key=str.casefold):
        lists[urls.venue(venue)] = _keys(index.by_venue[venue])
        for year in sorted({s["year"] for s in index.by_venue[venue] if s["year"]}, reverse=True):
            lists[urls.venue(venue, year)] = _keys(index.by_venue_year[venue, year])
    for slug in index.topics:
        if slug in index.by_topic:
            lists[urls.topic(slug)] = _keys(index.by_topic[slug])
    for name, papers in index.by_author.items():
        if len(papers) >= AUTHOR_MIN:
            lists[urls.author(index.author_slug[name])] = _keys(papers)
    return {**lists, **tags}


def _keys(summaries: list[dict]) -> list[str]:
    return [s["key"] for s in summaries]


def bib_pages(lists: dict[str, list[str]]) -> list[Page]:
    return [Page(url + FILE, TEMPLATE, _bib_context, (url,), (f"bib:{url}",), f"bib:{url}") for url in lists]


def _bib_context(get, url: str) -> dict:
    page = {"title": list_slug(url), "description": "", "kind": "bib", "url": url + FILE}
    return {"page": page, "list_url": url, "entries": get(f"bib:{url}")()}
