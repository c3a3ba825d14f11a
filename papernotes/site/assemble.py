"""The site stage: the model and its rendered HTML -> the graph values and every page.

One function, `assemble`, in the order the values depend on each other: the
paper index (every list of papers), each paper's own value, the documents' views
and list entries, then the page families, each declaring what it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from typing import NamedTuple

from ..config import SiteConfig
from ..memo import Memo
from ..model.link import link_documents
from ..model.paper import Paper
from ..model.topics import TopicSet
from .bib_files import add_bib_values, bib_lists, bib_pages, tag_papers
from .blog import add_document_values, blog_pages, notes_by_document
from .graph import Graph, digest_text
from .page import Page
from .paper_pages import add_paper_values, paper_pages
from .people_pages import author_pages
from .reading import add_neighbour_values
from .research import PaperIndex, build_index, paper_slugs
from .search_docs import bundles, search_documents
from .special import redirect_pages, search_page
from .urls import Urls
from .venue_topic_pages import topic_pages, venue_pages
from .views import document_view


def assemble(
    config: SiteConfig,
    content,
    dates: dict[str, tuple],
    papers: list[Paper],
    topics: TopicSet,
    rendered_docs: dict,
    rendered_papers: dict,
    html_of: Callable,
    urls: Urls,
    fragment: Callable,
    bibtex: tuple[Callable, dict],
    memo: Memo,
    whole: Memo,
) -> tuple[Graph, list[Page], list[dict], SearchSource]:
    """`dates`: each document's (date, updated) (site/dates.py);
    `html_of(doc)` makes a document's full HTML (called when its page renders);
    `fragment(template, name)` renders list items (the writer's); `bibtex`: (entry maker, paper key -> bib key);
    `memo` keeps values per item, `whole` per collection."""
    graph = Graph()
    tocs = {path: tuple(r.toc) for path, r in rendered_docs.items()}
    refs = whole.get(
        ("refs", Same(papers), tuple(sorted(tocs.items()))),
        lambda: link_documents(papers, {d.path for d in content.documents}, tocs, memo),
    )
    slugs = whole.get(  # the very same papers (a note's prose edited) have the same slugs
        ("slugs", Same(papers)),
        lambda: whole.get(("slugs", tuple((p.key, p.title) for p in papers)), lambda: paper_slugs(papers)),
    )
    title_html, abstracts = whole.get(("paper html", Same(rendered_papers)), lambda: _paper_html(rendered_papers))
    index = build_index(
        papers,
        topics.by_slug(),
        set(refs),
        title_html,
        urls,
        config.papers_per_page,
        slugs,
        memo,
        whole,
        render_item=_item_renderer(fragment("_paper_item.html", "p")),
    )
    graph.add("papers", index.digest, index)

    views = []
    for doc in content.documents:
        r, when = rendered_docs[doc.path], dates[doc.path]
        views.append(
            memo.get(
                ("view", doc, when, r.digest, urls),
                lambda: document_view(doc, when, partial(html_of, doc), r, urls),
            )
        )
    views.sort(key=lambda v: v["sort_key"], reverse=True)
    per_doc = whole.get(("notes by document", Same(refs), Same(index)), lambda: notes_by_document(refs, index))
    entries = add_document_values(graph, views, per_doc, fragment("_entry_item.html", "e"), memo)
    add_neighbour_values(graph, entries)

    make_bibtex, bibkeys = bibtex
    add_paper_values(
        graph,
        whole.get(("by key", Same(papers)), lambda: {p.key: p for p in papers}),
        abstracts,
        refs,
        {e["source"]: e for e in entries},
        citing_documents(rendered_docs),
        lambda p: make_bibtex(p, bibkeys[p.key]),
        bibkeys,
    )
    doc_papers = {v["source"]: [s["key"] for s, _ in per_doc.get(v["source"], ())] + v["cites"] for v in views}
    tags = tag_papers(entries, doc_papers)
    lists = whole.get(("bib lists", index.digest, repr(sorted(tags.items()))), lambda: bib_lists(index, tags))
    entries_of = whole.get(("bibtex", Same(papers), Same(bibkeys)), lambda: _bibtex(papers, bibtex))
    add_bib_values(graph, entries_of, lists, tags, whole.get(("bib digests", Same(lists), Same(entries_of)), dict))
    # Each family of pages is a function of the one value it lists.
    blog = whole.get(("blog pages", graph.digest("docs"), urls), lambda: blog_pages(entries, urls))
    research = whole.get(
        ("research pages", index.digest, Same(lists)),
        lambda: paper_pages(index) + author_pages(index) + venue_pages(index) + topic_pages(index)
        + bib_pages(lists),
    )  # fmt: skip
    pages = blog + research + [search_page(urls)] + redirect_pages(content.documents, urls)
    return graph, pages, entries, _search_source(index, papers, views)


class SearchSource(NamedTuple):
    """What the search index is made from: `key()` digests it, `make()` gives the bundles (site/search_docs.py).
    Both are called only when the build indexes (the dev server's rebuilds do not)."""

    key: Callable[[], str]
    make: Callable[[], list]


def _search_source(index: PaperIndex, papers: list[Paper], views: list[dict]) -> SearchSource:
    def key() -> str:
        # a paper's digest is of what the merge read; the topics it names (search words) are set after it
        mentions = (",".join(p.mentions) for p in papers)
        return digest_text(index.digest, *(p.digest for p in papers), *mentions, *(v["digest"] for v in views))

    def make() -> list:
        paper_text = {p.key: (p.abstract, p.arxiv, p.doi, (*p.mentions, *p.keywords)) for p in papers}
        return bundles(search_documents(index, paper_text, views, lambda v: v["html"]()))

    return SearchSource(key, make)


def citing_documents(rendered_docs: dict) -> dict[str, list[str]]:
    """paper key -> the paths of the documents citing it (`[@key]`, render/citations.py), in path order."""
    out: dict[str, list[str]] = {}
    for path in sorted(rendered_docs):
        for key in rendered_docs[path].cites:
            out.setdefault(key, []).append(path)
    return out


class Same:
    """A memo key part that matches only the very same object (and keeps it alive, so its id is not reused)."""

    def __init__(self, value) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other) -> bool:
        return isinstance(other, Same) and other.value is self.value


def _bibtex(papers: list[Paper], bibtex: tuple[Callable, dict]) -> tuple[Callable[[str], str], dict[str, str]]:
    """Paper key -> its entry (each made once a build); key -> the digest of what the entry shows (export.py's
    bibtex_entry: no abstract, no source lines), so a note edited above a paper's section changes no .bib."""
    make, keys = bibtex
    by_key = {p.key: p for p in papers}
    entry = lru_cache(maxsize=None)(lambda key: make(by_key[key], keys[key]))
    shown = lambda p: (p.title, p.authors, p.authors_truncated, p.venue, p.year, p.doi, p.arxiv, p.url)  # noqa: E731
    return entry, {p.key: digest_text(repr(shown(p)), keys[p.key]) for p in papers}


def _paper_html(rendered_papers: dict) -> tuple[dict, dict]:
    """Paper key -> its title's HTML; key -> (its abstract's HTML, the digest of what made it)."""
    titles = {key: r.title_html for key, r in rendered_papers.items()}
    return titles, {key: (r.abstract_html, r.digest) for key, r in rendered_papers.items()}


def _item_renderer(render: Callable) -> Callable[[dict], object]:
    return lambda summary: render(summary, summary["digest"])
