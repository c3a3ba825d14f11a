"""What helps a reader through one note or post: its table of contents (read off its finished HTML), the
reading time, and the notes or posts before and after it.

Graph values made here: `nav:<path>` (a listed document's previous and next of its kind)."""

from __future__ import annotations

import math
import re

from markupsafe import Markup

from .graph import Graph, digest_of

TOC_MIN_HEADINGS = 3  # fewer headings need no contents list
CHARS_PER_MINUTE = 400  # Chinese, read by the character; an English word counts as one (render/outline.py)

_HEADING = re.compile(r'<h(?P<level>[2-6]) id="(?P<id>[^"]+)">(?P<inner>.*?)</h(?P=level)>', re.S)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_LINK_TAG = re.compile(r"</?a\b[^>]*>")  # a link inside a heading: its words stay, the contents entry is the link
_IDS = re.compile(r'\sid="[^"]*"')  # footnote references and KaTeX ids are not repeated in the contents


def page_toc(html: str) -> list[dict]:
    """The contents of a document's HTML (our renderer's `<hN id="…">` headings, N ≥ 2: the page's title is
    its only <h1>), with depth 0 for the shallowest level present; [] when it has fewer than three."""
    found = [(int(m["level"]), m["id"], m["inner"]) for m in _HEADING.finditer(html)]
    if len(found) < TOC_MIN_HEADINGS:
        return []
    top = min(level for level, _, _ in found)
    return [
        {"depth": min(level - top, 3), "href": f"#{anchor}", "html": Markup(_entry_html(inner))}
        for level, anchor, inner in found
    ]


def _entry_html(inner: str) -> str:
    return _IDS.sub("", _LINK_TAG.sub("", _HEADERLINK.sub("", inner))).strip()


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / CHARS_PER_MINUTE))


def add_neighbour_values(graph: Graph, entries: list[dict]) -> None:
    """`nav:<path>` for every document: the note (post) published before and after it, among those its list
    shows (newest first in `entries`); empty for a standalone page. Its own value, so a page is drawn again
    only when a neighbour's title or address changes."""
    chains: dict[str, list[dict]] = {}
    for e in entries:
        chains.setdefault(e["kind"], []).append(e)
    for kind, chain in chains.items():
        for at, e in enumerate(chain):
            value = {"previous": None, "next": None}
            if kind != "page":
                older = chain[at + 1] if at + 1 < len(chain) else None
                value = {"previous": _link(older), "next": _link(chain[at - 1] if at else None)}
            graph.add(f"nav:{e['source']}", digest_of(value), value)


def _link(entry: dict | None) -> dict | None:
    return None if entry is None else {"title": entry["title"], "href": entry["href"]}
