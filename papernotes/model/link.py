"""Notes <-> papers: which document sections are about which paper."""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from ..memo import Memo
from ..sources.note_sections import join_broken_headings
from ..sources.text import heading_text
from .merge import paper_key
from .paper import Paper

_TAGS = re.compile(r"<[^<>]+>")  # the names are escaped HTML: a `<` is always a tag (and no rescan)


@dataclass(frozen=True)
class NoteRef:
    """A place in a post or note that is about a paper."""

    doc_path: str
    anchor: str | None  # heading id in the rendered page, when the place is a heading
    heading: str


def section_texts(body: str) -> dict[str, str]:
    """paper key of each `##` heading -> the text of its section (for topic matching)."""
    out: dict[str, list[str]] = {}
    current = None
    for line in join_broken_headings(body).split("\n"):
        heading = heading_text(line, 2)
        if heading is not None:
            current = paper_key(heading)
            out.setdefault(current, [])
        elif current is not None:
            out[current].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


@functools.lru_cache(maxsize=100_000)
def _heading_key(name: str) -> str:
    return paper_key(html.unescape(_TAGS.sub("", name)))


def link_documents(
    papers: list[Paper], doc_paths: set[str], tocs: dict[str, list], memo: Memo | None = None
) -> dict[str, list[NoteRef]]:
    """paper key -> the document places about it, from the records each document produced.

    The anchor is the heading whose text is the paper's title (a note section)
    or contains it (seed 000's `### Title：… （中文）[paper]` list items).
    `memo` keeps each document's headings between builds.
    """
    memo = memo if memo is not None else Memo(limit=10_000)
    refs: dict[str, list[NoteRef]] = defaultdict(list)
    headings: dict[str, tuple] = {}
    for paper in papers:
        for record in paper.records:
            path = record.source.path
            if path not in doc_paths or any(r.doc_path == path for r in refs[paper.key]):
                continue
            if path not in headings:
                toc = tuple(tocs.get(path, ()))
                headings[path] = memo.get(("headings", toc), lambda: _headings(toc))  # noqa: B023
            # The paper's title, else the title this document gave it (a paper joined by its DOI or arXiv id
            # may show another record's title than the note's heading).
            keys = dict.fromkeys([paper.key, *(paper_key(r.title) for r in paper.records if r.source.path == path)])
            anchor = next((a for k in keys if (a := _anchor(headings[path], k)) is not None), None)
            refs[paper.key].append(NoteRef(path, anchor, paper.title))
    return dict(refs)


def _anchor(headings: tuple, key: str) -> str | None:
    """The id of the first heading that is the title `key`, or of one before it that holds it."""
    ordered, first, having = headings
    exact = first.get(key)
    padded = f" {key} "
    limit = len(ordered) if exact is None else exact
    # Only headings holding the key's rarest word can hold the key: not every heading for every paper.
    words = key.split()
    rarest = min((having.get(w, ()) for w in words), key=len) if words else ()
    before = itertools.takewhile(lambda n: n < limit, rarest)
    anchor = next((ordered[n][1] for n in before if padded in ordered[n][0]), None)
    if anchor is None and exact is not None:
        anchor = ordered[exact][1]
    return anchor


def _headings(toc: tuple) -> tuple[list[tuple[str, str]], dict[str, int], dict[str, list[int]]]:
    """(" heading key ", id) in page order, where each key first occurs, and which headings hold each word."""
    keys = [_heading_key(entry.name) for entry in toc]
    first: dict[str, int] = {}
    having: dict[str, list[int]] = defaultdict(list)
    for n, key in enumerate(keys):
        first.setdefault(key, n)
        for word in dict.fromkeys(key.split()):
            having[word].append(n)
    return [(f" {key} ", entry.id) for key, entry in zip(keys, toc)], first, dict(having)
