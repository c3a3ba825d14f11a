"""CommonMark's container structure, written the way Python-Markdown reads it.

Typora, VS Code's preview, Hexo (marked) and markdown-it follow CommonMark: a
list item's content starts at the column after its marker (2, 3 or 4 spaces
in), nesting follows that column, lazy lines continue a paragraph, a bullet
list (or one starting at 1) may interrupt a paragraph, and a line that opens
another block closes the list or quote before it.  Python-Markdown knows one
rule: every level is four spaces, and blocks are separated by blank lines.

`normalize_blocks` reads the containers (lists, items, blockquotes) as
CommonMark does and writes the same structure back in Python-Markdown's
dialect: every item's content re-indented to four spaces per level, `1)`
markers as `1.`, and a blank line wherever CommonMark ends a block without
one.  Leaf blocks (paragraphs, headings, code, tables, HTML) are copied as
they are, so no text changes, only indentation and blank lines.  Pure, and
linear in the text: each line is visited once per container it sits in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .math import fence_ends

_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])(?=[ \t]|$)( *)(.*)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_HR = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_IMAGE_LINE = re.compile(r"^ {0,3}(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)\s*$", re.I)
_HTML_BLOCK = re.compile(r"^ {0,3}<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|!--)")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
# Possessive runs: linear on a long line of spaces.
TABLE_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+$")
_OPEN_TAG = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9]*)(?=[\s>])[^>]*>")
_MARKDOWN_CONTAINERS = {"div", "details", "section", "article", "aside", "center", "figure", "blockquote"}
_MAY_OPEN_BLOCK = set("`~>-*+<#=_|0123456789")  # a line starting otherwise is paragraph text
# Deeper than this, containers are left as written (Python-Markdown itself gives up long before).
MAX_DEPTH = 64


@dataclass(frozen=True)
class _Marker:
    indent: int
    marker: str
    content: str  # the first line's content, after the marker and its spaces
    column: int  # where the item's content starts (CommonMark's W + N)

    @property
    def ordered(self) -> bool:
        return self.marker[0].isdigit()

    def same_list(self, other: _Marker) -> bool:
        return self.ordered == other.ordered and self.marker[-1] == other.marker[-1]


def normalize_blocks(text: str) -> str:
    return "\n".join(_normalize(text.split("\n"), 0))


def _item(line: str) -> _Marker | None:
    m = _ITEM.match(line)
    if not m:
        return None
    indent, marker, spaces, content = m.group(1), m.group(2), m.group(3), m.group(4)
    width = len(indent) + len(marker)
    if not content.strip() or len(spaces) > 4:  # empty item, or indented code: content one column on
        return _Marker(len(indent), marker, (spaces[1:] + content).rstrip() if content.strip() else "", width + 1)
    return _Marker(len(indent), marker, content, width + len(spaces))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _starts_block(line: str) -> bool:
    """Would this line open a block of its own (so it cannot be a lazy paragraph continuation)?"""
    return bool(
        _QUOTE.match(line)
        or _ATX.match(line)
        or _HR.match(line)
        or _FENCE.match(line)
        or _HTML_BLOCK.match(line)
        or _interrupts(_item(line))
    )


def _interrupts(item: _Marker | None) -> bool:
    """CommonMark: a list item may interrupt a paragraph if it is not empty and, when ordered, starts at 1."""
    return item is not None and bool(item.content.strip()) and (not item.ordered or item.marker[:-1] == "1")


def _normalize(lines: list[str], depth: int, in_item: bool = False) -> list[str]:
    if depth >= MAX_DEPTH or len(lines) == 1 and lines[0].lstrip(" ")[:1] not in _MAY_OPEN_BLOCK:
        return lines  # too deep, or one line of prose (most list items): nothing to rewrite
    return _Container(lines, depth, in_item).run()


class _Container:
    """The blocks of one container (the document, a quote's or an item's content), written out in order."""

    def __init__(self, lines: list[str], depth: int, in_item: bool):
        self.lines, self.depth, self.in_item = lines, depth, in_item
        self.out: list[str] = []
        self.paragraph: int | None = None  # where the open paragraph starts in `out` (lazy lines continue it)
        self.last_list: _Marker | None = None  # the list just closed (only blank lines since)
        self.fence_closes: dict[int, int] | None = None  # made when first needed (most containers have no code)
        self.last_close: dict[str, int] = {}  # HTML container tag -> the last line that closes one

    def run(self) -> list[str]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if _blank(line):
                self.out.append("")
                self.paragraph = None
                i += 1
                continue
            i = self._block(i, line)
        return self.out

    def _block(self, i: int, line: str) -> int:
        lines, out = self.lines, self.out
        after_list, self.last_list = self.last_list, None
        lead = line.lstrip(" ")
        if lead[:1] not in _MAY_OPEN_BLOCK and (self.paragraph is not None or len(line) - len(lead) < 4):
            if "|" not in line:  # prose, what most lines are: nothing opens or closes here
                if self.paragraph is None:
                    self.paragraph = len(out)
                out.append(line)
                return i + 1
        if self.fence_closes is None:
            self.fence_closes = fence_ends(lines, _FENCE, closing_indent=3)
        close = self.fence_closes.get(i)
        if close is not None:
            self._end_paragraph()
            out.extend(lines[i : close + 1])
            return _close_block(lines, close + 1, out)
        if _QUOTE.match(line):
            self._end_paragraph()
            end, body = _quote(lines, i)
            out.extend(">" + (" " + b if b else "") for b in _normalize(body, self.depth + 1))
            return _close_block(lines, end, out)
        item = _item(line)
        # Deliberately not CommonMark: a numbered line right after an image line continues the numbering
        # (seed 001's "![…](…)⏎2. …" — a paragraph there would print "2." as text).
        after_image = self.paragraph is not None and bool(_IMAGE_LINE.match(out[-1]))
        if item is not None and (self.paragraph is None or _interrupts(item) or after_image and item.content.strip()):
            if not self.in_item:  # inside an item, the four-space indent alone opens the sublist
                self._end_paragraph()
            self.paragraph = None
            if after_list is not None and after_list.ordered == item.ordered and not after_list.same_list(item):
                out.extend(("<!-- -->", ""))  # CommonMark starts a new list here; Python-Markdown would merge them
            end = _list(lines, i, item, self.depth, out)
            self.last_list = item
            return _close_block(lines, end, out)
        if self.paragraph is None and _HTML_BLOCK.match(line):
            return self._html(i)
        if self.paragraph is None and _indent(line) >= 4:  # indented code, up to the next unindented line
            while i < len(lines) and (_blank(lines[i]) or _indent(lines[i]) >= 4):
                out.append(lines[i])
                i += 1
            return i
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if self.paragraph is not None and "|" in below and TABLE_DELIMITER.match(below):
            if "|" in line:
                self._end_paragraph()  # GFM: a table may interrupt a paragraph
        elif self.paragraph is not None and _SETEXT.match(line) and len(out) - self.paragraph > 1:
            return self._setext(i, line)
        if self.paragraph is None and not (_ATX.match(line) or _HR.match(line)):
            self.paragraph = len(out)
        elif _ATX.match(line) or self.paragraph is not None and _HR.match(line) and not _SETEXT.match(line):
            self.paragraph = None
        out.append(line)
        return i + 1

    def _end_paragraph(self) -> None:
        if self.paragraph is not None:
            self.out.append("")
            self.paragraph = None

    def _setext(self, i: int, line: str) -> int:
        """A paragraph of several lines underlined: one heading (Python-Markdown would take the last line only)."""
        start = self.paragraph
        text = " ".join(part.strip() for part in self.out[start:])
        level = "#" if line.strip()[0] == "=" else "##"
        count = len(self.out) - start
        self.out[start:] = [f"{level} {text}", *([""] * count)]  # the same number of lines
        self.paragraph = None
        return i + 1

    def _html(self, i: int) -> int:
        """Raw HTML up to the blank line that ends it; an element left open there holds Markdown (CommonMark
        parses what follows the blank line), which Python-Markdown's md_in_html does with markdown="1"."""
        lines = self.lines
        start = i
        while i < len(lines) and not _blank(lines[i]):
            self.out.append(lines[i])
            i += 1
        m = _OPEN_TAG.match(lines[start])
        if m and m.group(1).lower() in _MARKDOWN_CONTAINERS and "markdown=" not in m.group(0):
            tag = m.group(1).lower()
            chunk = "\n".join(lines[start:i]).lower()
            if tag not in self.last_close:
                self.last_close[tag] = max((n for n, later in enumerate(lines) if _closes(later, tag)), default=-1)
            closed_later = self.last_close[tag] >= i
            if chunk.count(f"<{tag}") > chunk.count(f"</{tag}") and closed_later:
                at = len(self.out) - (i - start)
                self.out[at] = self.out[at][: m.end(1)] + ' markdown="1"' + self.out[at][m.end(1) :]
        return i


def _closes(line: str, tag: str) -> bool:
    return line.strip().lower().startswith(f"</{tag}")


def _close_block(lines: list[str], i: int, out: list[str]) -> int:
    """A container ended at lines[i] without a blank line: Python-Markdown needs one to end it too."""
    if i < len(lines) and not _blank(lines[i]):
        out.append("")
    return i


def _quote(lines: list[str], i: int) -> tuple[int, list[str]]:
    """The blockquote starting at lines[i]: (index after it, its content with one `>` level removed)."""
    body: list[str] = []
    in_fence = False
    while i < len(lines):
        line = lines[i]
        m = _QUOTE.match(line)
        if m:
            inner = line[m.end() :]
            body.append(inner)
            if _FENCE.match(inner):
                in_fence = not in_fence
        elif _blank(line) or in_fence or not _lazy(body[-1] if body else "", line):
            break
        else:
            body.append(line)
        i += 1
    return i, body


def _lazy(previous: str, line: str) -> bool:
    """A lazy continuation line: it follows paragraph text and would open no block of its own."""
    inner = previous
    while _QUOTE.match(inner):
        inner = inner[_QUOTE.match(inner).end() :]
    item = _item(inner)
    if item is not None:
        inner = item.content
    if _blank(inner) or _ATX.match(inner) or _HR.match(inner) or _FENCE.match(inner):
        return False
    return not _starts_block(line)


def _list(lines: list[str], i: int, first: _Marker, depth: int, out: list[str]) -> int:
    """Write the list starting at lines[i] (items of one kind) to `out`; return the index after it."""
    item: _Marker | None = first
    number = first.marker[:-1] if first.ordered else ""
    while item is not None:
        end, body = _item_body(lines, i, item)
        content = _normalize(body, depth + 1, in_item=True)
        while len(content) > 1 and not content[0].strip():
            content.pop(0)  # an item may start with one blank line; Python-Markdown wants content on the marker line
        marker = f"{number}." if item.ordered else item.marker
        number = number and "1"  # only the first number counts (the list's start)
        last = content[-1]
        if _FENCE.match(content[0]):  # Python-Markdown's item needs its first line; the fence goes below it
            out.extend((f"{marker} ", ""))
        else:
            out.append(f"{marker} {content[0]}".rstrip())
            content = content[1:]
        out.extend(("    " + c) if c.strip() else "" for c in content)
        i, item = end, None
        j = i
        while j < len(lines) and _blank(lines[j]):
            j += 1
        if j < len(lines):
            nxt = _item(lines[j])
            if nxt is not None and nxt.same_list(first) and _indent(lines[j]) <= 3:
                # After code or a table, Python-Markdown needs a blank line to see the next item.
                gap = j - i or int(bool(_FENCE.match(last) or last.lstrip().startswith("|")))
                out.extend("" for _ in range(gap))
                i, item = j, nxt
    return i


def _item_body(lines: list[str], i: int, item: _Marker) -> tuple[int, list[str]]:
    """The content lines of the item at lines[i], its content column removed; and the index after it."""
    body = [item.content]
    in_fence = _FENCE.match(item.content) is not None
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if _blank(line):
            k = j
            while k < len(lines) and _blank(lines[k]):
                k += 1
            if k == len(lines) or _indent(lines[k]) < item.column or (not body[0].strip() and len(body) == 1):
                break  # the blank lines end the item (an empty first line allows only one)
            body.extend("" for _ in range(k - j))
            j = k
            continue
        if _indent(line) >= item.column:
            inner = line[item.column :]
            body.append(inner)
            if _FENCE.match(inner):
                in_fence = not in_fence
        elif in_fence or _indent(line) <= 3 and _item(line) is not None or not _lazy(body[-1], line):
            break
        else:
            body.append(line.strip())
        j += 1
    return j, body
