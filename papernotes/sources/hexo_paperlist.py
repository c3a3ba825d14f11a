"""Reader for the numbered paper list inside a Hexo post (seed 000).

Each item is a heading inside a list item::

    1. ### Title：English title （中文标题）[paper](https://arxiv.org/abs/2104.00567)
       Author：*Name, Name,Name*
       >Abstract：
       >
       > abstract text

Colons are full-width or ASCII, the translation sits in full-width or ASCII
parentheses, spaces around it are optional. The post itself is rendered by
documents.py; this reader only extracts the paper records. The venue comes
from the enclosing ``# CVPR2022`` heading, when there is one.
"""

from __future__ import annotations

import re

from papernotes.diagnostics import error, warning
from papernotes.sources.authors import split_authors
from papernotes.sources.frontmatter import front_matter_end
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import collapse_ws, heading_text
from papernotes.sources.venues import venue_from_heading

FORMAT = "hexo_paperlist"

# Linear on any line: no lazy group before trailing spaces (the caller strips them), possessive runs.
ITEM = re.compile(r"^\s{0,3}(\d+)[.)]\s++#{1,6}\s++Title\s*+[:：]\s*+(.*)$")
_AUTHOR = re.compile(r"^\s*+Authors?\s*+[:：]\s*+(.*)$")
_ABSTRACT = re.compile(r"^\s*+>\s*+Abstract\s*+[:：]\s*+(.*)$")
_QUOTE = re.compile(r"^\s*+>\s?(.*)$")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/([0-9]{4}\.[0-9]{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CLOSE_OPEN = {"）": "（", ")": "("}


def looks_like(text: str) -> bool:
    return any(ITEM.match(line) for line in text.split("\n"))


def trailing_link(text: str) -> tuple[int, str] | None:
    """(where its `[` is, url) of the Markdown link that ends `text`: what the search of
    ``\\[[^\\]]*\\]\\(\\s*(\\S+?)\\s*\\)\\s*$`` finds, in one pass (that search is quadratic on `[[[…`)."""
    t = text.rstrip()
    if not t.endswith(")"):
        return None
    close = len(t) - 1
    end = len(t[:close].rstrip())  # the url: one word before the `)`, spaces around it allowed
    word = end
    while word > 0 and not t[word - 1].isspace():
        word -= 1
    spaces = word
    while spaces > 0 and t[spaces - 1].isspace():
        spaces -= 1
    previous, bracket = -1, t.find("]")
    while bracket != -1:  # the leftmost `[` whose first `]` is followed by `(` and the url
        if t.startswith("](", bracket) and spaces <= bracket + 2 < end:
            opening = t.find("[", previous + 1, bracket)
            if opening != -1:
                return opening, t[max(bracket + 2, word) : end]
        previous, bracket = bracket, t.find("]", bracket + 1)
    return None


def split_title(text: str) -> tuple[str, str | None, str | None]:
    """``English （中文）[paper](url)`` -> (english, chinese, url)."""
    url = None
    link = trailing_link(text)
    if link:
        text, url = text[: link[0]], link[1]
    text = text.rstrip()
    zh = None
    if text and text[-1] in _CLOSE_OPEN:
        close, open_ = text[-1], _CLOSE_OPEN[text[-1]]
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            if text[i] == close:
                depth += 1
            elif text[i] == open_:
                depth -= 1
                if depth == 0:
                    inner = text[i + 1 : -1].strip()
                    if _CJK.search(inner):  # a translation, not part of the English title
                        zh, text = inner, text[:i]
                    break
    return collapse_ws(text), zh, url


def read(path: str, text: str) -> ReadResult:
    lines = text.split("\n")
    body = front_matter_end(lines)
    starts, venues, venue = [], [], (None, None)
    for i in range(body, len(lines)):  # one pass: each item's nearest enclosing level-1 heading
        if (h1 := heading_text(lines[i], 1)) is not None:
            venue = venue_from_heading(h1)
        elif ITEM.match(lines[i]):
            starts.append(i)
            venues.append(venue)
    records, diags = [], []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        venue, year = venues[n]
        rec, rec_diags = _read_item(path, lines, start, end, venue, year)
        diags.extend(rec_diags)
        if rec is not None:
            records.append(rec)
    return ReadResult(tuple(records), tuple(diags))


def _read_item(path, lines, start, end, venue, year):
    lineno = start + 1
    m = ITEM.match(lines[start])
    index = int(m.group(1))
    title, zh, url = split_title(m.group(2).rstrip())
    diags = []
    if not title:
        return None, [error(path, lineno, f"list item {index} has a 'Title' heading but no title; skipped")]
    authors: tuple[str, ...] = ()
    abstract_parts: list[str] | None = None
    abstract_line = None
    for i in range(start + 1, end):
        line = lines[i]
        if abstract_parts is not None:
            q = _QUOTE.match(line)
            if q:
                abstract_parts.append(q.group(1).strip())
                abstract_line = abstract_line or (i + 1 if q.group(1).strip() else None)
                continue
            if line.strip():
                break  # the quote ended
            continue
        if am := _AUTHOR.match(line):
            names = am.group(1).strip().strip("*_").strip()
            authors = tuple(split_authors(names))
        elif ab := _ABSTRACT.match(line):
            abstract_parts = [ab.group(1).strip()]
            abstract_line = i + 1 if abstract_parts[0] else None
        elif heading_text(line, 1) is not None:
            break
    abstract = collapse_ws(" ".join(p for p in (abstract_parts or []) if p)) or None
    arxiv = None
    if url and (am := _ARXIV.search(url)):
        arxiv = am.group(1)
    missing = [name for name, v in (("authors", authors), ("abstract", abstract), ("paper link", url)) if not v]
    if missing:
        diags.append(warning(path, lineno, f"list item {index} ({title[:40]!r}) has no {', '.join(missing)}"))
    rec = PaperRecord(
        source=SourceSpan(path, lineno),
        format=FORMAT,
        title=title,
        title_zh=zh,
        authors=authors,
        venue=venue,
        year=year,
        url=url,
        arxiv=arxiv,
        abstract=abstract,
        abstract_line=abstract_line if abstract else None,
        index=index,
    )
    return rec, diags
