"""Plain data for templates: model objects turned into dicts with URLs resolved."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from markupsafe import Markup

from ..model.paper import Paper
from ..render.citations import Citation, short_label
from ..sources.documents import Document
from .graph import digest_of, digest_text
from .research import paper_slugs
from .urls import Urls

KIND_LABEL = {"post": "文章", "note": "笔记", "page": "页面"}


def link_targets(documents: list[Document], urls: Urls) -> dict[str, tuple[str, str]]:
    """What a `{% post_link name %}` may name: a post (else a note) by file name or slug -> (href, title)."""
    targets: dict[str, tuple[str, str]] = {}
    for doc in sorted(documents, key=lambda d: (d.kind != "post", d.path)):  # posts win a shared name
        target = (urls.href(urls.of_document(doc)), doc.title)
        for name in (posixpath.splitext(posixpath.basename(doc.path))[0], doc.slug):  # its file's stem
            targets.setdefault(name, target)
    return targets


class CitationTargets:
    """Citation key (of a library record: BibTeX key, CSL id) -> render/citations.Citation, made on first use
    (a site without citations never computes the slugs). A key two papers claim goes to the first by key."""

    def __init__(self, papers: list[Paper], urls: Urls):
        self._papers, self._urls, self._index = papers, urls, None

    def get(self, key: str, default=None) -> Citation | None:
        if self._index is None:
            self._index = citation_index(self._papers, self._urls)
        return self._index.get(key, default)


def citation_index(papers: list[Paper], urls: Urls) -> dict[str, Citation]:
    slugs = paper_slugs(papers)  # the slugs the paper pages get (site/assemble.py)
    index: dict[str, Citation] = {}
    for paper in sorted(papers, key=lambda p: p.key):
        for record in paper.records:
            if record.key and record.key not in index:
                label = short_label(paper.authors, paper.year, paper.title, paper.authors_truncated)
                index[record.key] = Citation(urls.href(urls.paper(slugs[paper.key])), label, paper.title, paper.key)
    return index


def _term(name: str, url: str, urls: Urls) -> dict:
    return {"name": name, "url": url, "href": urls.href(url)}


def _category(urls: Urls, path: tuple[str, ...]) -> dict:
    """A category as a document shows it (`CV › Diffusion`), with every level it is listed under."""
    names = urls.categories.names(path)
    levels = [_term(" › ".join(names[: i + 1]), urls.category(path[: i + 1]), urls) for i in range(len(path))]
    return {**levels[-1], "levels": levels}


def document_view(doc: Document, dates: tuple, html: Callable[[], Markup], rendered, urls: Urls) -> dict:
    """`dates`: (date, updated) in the site's zone (site/dates.py);
    `rendered`: the document's render/batch.RenderedDocument (excerpt, summary, and the digest of
    everything its HTML was made from)."""
    date, updated = dates  # site/dates.py
    url = urls.of_document(doc)
    excerpt_html, html_digest = rendered.excerpt_html, rendered.digest
    description = doc.description or rendered.summary
    view = {
        "kind": doc.kind,
        "kind_label": KIND_LABEL.get(doc.kind, doc.kind),
        "title": doc.title,
        "url": url,
        "href": urls.href(url),
        "source": doc.path,
        "date": date,
        "updated": updated,
        "date_iso": date.isoformat(),
        "date_display": date.strftime("%Y-%m-%d"),
        "updated_iso": updated.isoformat(),
        "updated_display": updated.strftime("%Y-%m-%d"),
        "year": date.year,
        "sort_key": (date, doc.path),
        "description": description,
        "words": rendered.words,
        "cites": list(rendered.cites),  # keys of the papers it cites (site/paper_pages.py lists it on theirs)
        "tags": [_term(urls.tags.names(t)[0], urls.tag(t), urls) for t in doc.tags],
        "categories": [_category(urls, path) for path in doc.categories],
        "html": html,  # () -> Markup: our renderer's output, made when the page renders
        # Before <!--more--> when there is a marker, else the description as text.
        "excerpt_html": Markup(excerpt_html) if excerpt_html.strip() else Markup("<p>%s</p>") % description,
        "meta": dict(doc.extra),  # unknown front-matter keys, e.g. comment_title
    }
    view["digest"] = digest_text(html_digest, digest_of({k: v for k, v in view.items() if k != "html"}))
    return view
