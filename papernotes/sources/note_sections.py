"""Reader for study notes where each ``##`` section is a note on one paper (seed 001).

The records are the sections: title = the ``##`` heading text, venue/year from
the enclosing ``# CVPR2022``-style heading, ``anchor=None`` (documents.py
fills it from the rendered page), source line = the heading line.

``join_broken_headings`` is shared with the Markdown renderer: an editor
wrapped ``## Styleformer: … with Style`` and put ``Vector`` on the next line.
"""

from __future__ import annotations

import re

from papernotes.sources.frontmatter import front_matter_end
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import collapse_ws
from papernotes.sources.venues import venue_from_heading

FORMAT = "note_sections"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A continuation: 1–4 Latin words, no sentence punctuation, not a block start
# (it must begin with a letter, so no list marker, quote, heading, rule, table, math).
_CONTINUATION = re.compile(r"^[A-Za-z][A-Za-z0-9'’-]*(?: [A-Za-z0-9][A-Za-z0-9'’-]*){0,3}$")
# Only long headings were wrapped by an editor; a short "## Intro" followed by
# a two-word line is more likely a heading and a paragraph.
MIN_BROKEN_HEADING = 50


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (`## Title ##`), closing hashes and spaces removed.

    What ``^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$`` matched, in one pass (that pattern is
    quadratic on a long run of spaces)."""
    rest = line.lstrip(" ")
    if len(line) - len(rest) > 3:
        return None
    text = rest.lstrip("#")
    level = len(rest) - len(text)
    if not 1 <= level <= 6 or text[:1] not in (" ", "\t"):
        return None
    text = text.lstrip(" \t").rstrip(" \t")
    unclosed = text.rstrip("#")
    if len(unclosed) < len(text) and unclosed[-1:] in (" ", "\t"):
        text = unclosed.rstrip(" \t")
    return level, text


def _block_mask(lines: list[str]) -> list[bool]:
    """True for lines inside fenced code or ``$$`` display math (never headings)."""
    mask, fence, math = [], None, False
    for line in lines:
        stripped = line.strip()
        if fence:
            mask.append(True)
            if stripped.startswith(fence):
                fence = None
            continue
        if math:
            mask.append(True)
            if stripped.endswith("$$"):
                math = False
            continue
        if m := _FENCE.match(line):
            fence = m.group(1)[0] * 3
            mask.append(True)
        elif stripped == "$$" or (stripped.startswith("$$") and not stripped[2:].rstrip().endswith("$$")):
            math = True
            mask.append(True)
        else:
            mask.append(False)
    return mask


def join_broken_headings(text: str) -> str:
    """Join a heading broken across two lines; the line count stays the same.

    ``## A long heading … with Style`` + ``Vector`` + blank line becomes
    ``## A long heading … with Style Vector`` + empty line + blank line. The
    heading must be at least ``MIN_BROKEN_HEADING`` characters and end in a
    letter or digit; the continuation must be 1–4 Latin words without
    sentence punctuation, start with a letter, and be followed by a blank line
    or the end of the text.
    """
    lines = text.split("\n")
    mask = _block_mask(lines)
    for i in range(len(lines) - 1):
        if mask[i] or mask[i + 1]:
            continue
        heading = atx_heading(lines[i])
        if not heading or len(heading[1]) < MIN_BROKEN_HEADING or not heading[1][-1:].isalnum():
            continue
        nxt = lines[i + 1]
        if not _CONTINUATION.match(nxt):  # no leading/trailing space either
            continue
        if i + 2 < len(lines) and lines[i + 2].strip():
            continue
        lines[i] = lines[i].rstrip() + " " + nxt
        lines[i + 1] = ""
    return "\n".join(lines)


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every ATX heading outside code/math and front matter."""
    lines = join_broken_headings(text).split("\n")
    mask = _block_mask(lines)
    out = []
    for i in range(front_matter_end(lines), len(lines)):
        if not mask[i] and (heading := atx_heading(lines[i])):
            out.append((i, heading[0], collapse_ws(heading[1])))
    return out


def looks_like(text: str) -> bool:
    """Paper notes: a ``# CVPR2022``-style venue heading with ``##`` sections under it."""
    in_venue = False
    for _, level, title in headings(text):
        if level == 1:
            in_venue = venue_from_heading(title)[0] is not None
        elif level == 2 and in_venue and title:
            return True
    return False


def read(path: str, text: str) -> ReadResult:
    records = []
    venue = year = None
    for i, level, title in headings(text):
        if level == 1:
            venue, year = venue_from_heading(title)
        elif level == 2 and title:
            records.append(
                PaperRecord(
                    source=SourceSpan(path, i + 1),
                    format=FORMAT,
                    title=title,
                    venue=venue,
                    year=year,
                    anchor=None,
                )
            )
    return ReadResult(tuple(records), ())
