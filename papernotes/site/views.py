"""Plain data for templates: model objects turned into dicts with URLs resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import PurePosixPath

from markupsafe import Markup

from ..sources.documents import Document
from .graph import digest_of, digest_text
from .urls import Urls

KIND_LABEL = {"post": "文章", "note": "笔记"}


def link_targets(documents: list[Document], urls: Urls) -> dict[str, tuple[str, str]]:
    """What a `{% post_link name %}` may name: a post (else a note) by file name or slug -> (href, title)."""
    targets: dict[str, tuple[str, str]] = {}
    for doc in sorted(documents, key=lambda d: (d.kind != "post", d.path)):  # posts win a shared name
        target = (urls.href(urls.document(doc.kind, doc.slug)), doc.title)
        for name in (PurePosixPath(doc.path).stem, doc.slug):
            targets.setdefault(name, target)
    return targets


def document_view(doc: Document, date: dt.datetime, html: Callable[[], Markup], rendered, urls: Urls) -> dict:
    """`rendered`: the document's render/batch.RenderedDocument (excerpt, summary, and the digest of
    everything its HTML was made from)."""
    url = urls.document(doc.kind, doc.slug)
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
        "updated": doc.updated or date,
        "date_iso": date.isoformat(),
        "date_display": date.strftime("%Y-%m-%d"),
        "year": date.year,
        "sort_key": (date, doc.path),
        "description": description,
        "words": rendered.words,
        "tags": [{"name": t, "href": urls.href(urls.tag(t))} for t in doc.tags],
        "categories": [{"name": c, "href": urls.href(urls.category(c))} for c in doc.categories],
        "html": html,  # () -> Markup: our renderer's output, made when the page renders
        # Before <!--more--> when there is a marker, else the description as text.
        "excerpt_html": Markup(excerpt_html) if excerpt_html.strip() else Markup("<p>%s</p>") % description,
        "meta": dict(doc.extra),  # unknown front-matter keys, e.g. comment_title
    }
    view["digest"] = digest_text(html_digest, digest_of({k: v for k, v in view.items() if k != "html"}))
    return view
