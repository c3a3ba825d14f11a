"""Notes <-> papers: which document sections are about which paper."""

from __future__ import annotations

import functools
import html
import re
from collections import defaultdict
from dataclasses import dataclass

from ..sources.note_sections import join_broken_headings
from .merge import paper_key
from .paper import Paper

_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_TAGS = re.compile(r"<[^>]+>")


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
        m = _H2.match(line)
        if m:
            current = paper_key(m.group(1))
            out.setdefault(current, [])
        elif current is not None:
            out[current].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


@functools.lru_cache(maxsize=100_000)
def _heading_key(name: str) -> str:
    return paper_key(html.unescape(_TAGS.sub("", name)))


def link_documents(papers: list[Paper], doc_paths: set[str], tocs: dict[str, list]) -> dict[str, list[NoteRef]]:
    """paper key -> the document places about it, from the records each document produced.

    The anchor is the heading whose text is the paper's title (a note section)
    or contains it (seed 000's `### Title：… （中文）[paper]` list items).
    """
    refs: dict[str, list[NoteRef]] = defaultdict(list)
    for paper in papers:
        for record in paper.records:
            path = record.source.path
            if path not in doc_paths or any(r.doc_path == path for r in refs[paper.key]):
                continue
            anchor, heading = None, paper.title
            for entry in tocs.get(path, ()):
                key = _heading_key(entry.name)
                if key == paper.key or (paper.key and f" {paper.key} " in f" {key} "):
                    anchor = entry.id
                    break
            refs[paper.key].append(NoteRef(path, anchor, heading))
    return dict(refs)
