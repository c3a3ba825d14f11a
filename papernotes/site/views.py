"""Plain data for templates: model objects turned into dicts with URLs resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from markupsafe import Markup

from ..sources.documents import Document
from .graph import digest_of, digest_text
from .urls import Urls

KIND_LABEL = {"post": "文章", "note": "笔记"}


def document_view(
    doc: Document, date: dt.datetime, html: Callable[[], Markup], excerpt_html: str, html_digest: str, urls: Urls
) -> dict:
    """`html_digest`: a digest of everything the rendered HTML was made from (see render/batch.py)."""
    url = urls.document(doc.kind, doc.slug)
    description = doc.description or _plain_excerpt(doc)
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
        "tags": [{"name": t, "href": urls.href(urls.tag(t))} for t in doc.tags],
        "categories": [{"name": c, "href": urls.href(urls.category(c))} for c in doc.categories],
        "html": html,  # () -> Markup: our renderer's output, made when the page renders
        # Before <!--more--> when there is a marker, else the description as text.
        "excerpt_html": Markup(excerpt_html) if excerpt_html.strip() else Markup("<p>%s</p>") % description,
        "meta": dict(doc.extra),  # unknown front-matter keys, e.g. comment_title
    }
    view["digest"] = digest_text(html_digest, digest_of({k: v for k, v in view.items() if k != "html"}))
    return view


def _plain_excerpt(doc: Document, limit: int = 120) -> str:
    import re

    text = doc.excerpt if doc.excerpt is not None else doc.body
    text = re.sub(
        r"\$\$.*?\$\$|\$[^$\n]*\$|!\[[^\]]*\]\([^)]*\)|\[TOC\]|<[^>]+>|[#>*`_\[\]()|-]+", " ", text, flags=re.S
    )
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")
