"""What keeps Python-Markdown within bounds: time linear in a document's size, and no deep recursion.

Python-Markdown recurses once per container level (300 nested list levels overflow the stack), its link
patterns rescan the rest of a paragraph from every `[` and every `](` that closes nothing, the raw-HTML
parser (Python's html.parser) rescans the rest of the document from every `<tag` that never ends, its
block parser retests the rest of a block after each heading or rule in it, and every inline match copies
the whole paragraph (a long paragraph dense with markup is quadratic). `bound_markdown` rewrites the text
Python-Markdown is given (math cut out) so that none of this grows past a budget that grows with the
text (a text within all of them as a whole is left as it is at once), one warning per rewrite and place:

- a line inside more than MAX_NESTING containers (its quote and list markers, plus its indentation / 2
  once it has a list marker: an upper bound of CommonMark's depth) keeps MAX_NESTING of them; the deeper
  markers are escaped and shown as text (one warning per document);
- a paragraph whose length × Markdown marks exceeds INLINE_BUDGET is shown as plain text (it becomes one
  token, put back as text after Markdown by `LiteralTreeprocessor`);
- in a paragraph where the link patterns would scan each character more than LINK_SCANS times, the
  brackets that cannot open a link (no `]`, nested deeper than MAX_BRACKET_DEPTH) and the `(` of a `](`
  that is never closed are escaped: the same text, nothing rescanned;
- when the raw-HTML parser would scan the document more than HTML_SCANS times over for tags, comments or
  CDATA that never end, those `<` become `&lt;` (the same text on the page: an unended tag is text);
- a block of more than MAX_SPLITS headings, rules or definitions gets a blank line after each.

Each bound acts only past a limit far beyond real notes, so a normal document's HTML is byte for byte what
Python-Markdown alone makes of it (the seeds are). Code (fenced and inline) is never touched; an indented
code block past a bound may be (before Markdown it cannot be told from a list's continuation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from xml.etree import ElementTree as etree

from markdown.blockprocessors import HRProcessor
from markdown.treeprocessors import Treeprocessor

from ..diagnostics import Diagnostic, warning
from .blocks import TABLE_DELIMITER
from .math import CodeSpans, fence_ends, token_prefix

MAX_NESTING = 64
INLINE_BUDGET = 50_000_000  # characters × marks in one paragraph (a 7,000-character line of pure markup)
# The scanning budgets grow with the text (so what stays within them is linear): a paragraph's link
# patterns may scan each of its characters LINK_SCANS times, the HTML parser each character of the
# document HTML_SCANS times, plus a little for short texts. A real note needs a small fraction of that.
LINK_SCANS, LINK_SLACK = 32, 20_000
MAX_BRACKET_DEPTH = 3  # when brackets are escaped: those nested deeper than this
HTML_SCANS, HTML_SLACK = 32, 100_000

_CONTAINER = re.compile(r"[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_MAY_NEST = frozenset(" \t>-*+0123456789")
_MARKS = str.maketrans("", "", "`\\*_[]!<>&:~\n")  # what starts an inline pattern (and nl2br's line breaks)
_BRACKETS = re.compile(r"\\[\s\S]|`+|[\[\]()]")
_HTML_OPEN = re.compile(r"<(?:!--|!\[CDATA\[|[!?/]?[A-Za-z])")
_HTML_END = {"<!--": "-->", "<![CDATA[": "]]>"}  # anything else ends at `>`
_HTML_BLOCK = re.compile(r"<(?:!--|/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
_HEADING_MARK = re.compile(r"#{1,6}(?=[ \t]|$)[ \t]*")
MAX_SPLITS = 32
# Where Python-Markdown's block processors cut a block: a heading, a rule, a reference or footnote definition.
_SPLITS = re.compile(rf"#|{HRProcessor.RE[1:]}|[ ]{{0,3}}\[[^\]]*\]:")
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-0-9.)]{16}", re.M)  # lines that may nest deep (see _within_bounds)
_SPLIT_LINE = re.compile(r"^ {0,3}(?:#|\[|[-*_][ \t]*[-*_][ \t]*[-*_])", re.M)  # and that may split a block


@dataclass
class Bounded:
    text: str
    literals: dict[str, str] = field(default_factory=dict)  # token -> the text it stands for
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Paragraph:
    lines: list[int]  # indices into the text's lines
    starts: list[int]  # where each line's content starts (after its container prefix)
    html: bool = False  # a raw HTML block: Python-Markdown stashes it, no inline patterns
    table: bool = False


def bound_markdown(text: str, path: str, first_line: int, block_tags: frozenset[str] = frozenset()) -> Bounded:
    """The text to give Python-Markdown; `block_tags`: the tags that open a raw HTML block."""
    return Bounded(text) if _within_bounds(text) else bound_all(text, path, first_line, block_tags)


def bound_all(text: str, path: str, first_line: int, block_tags: frozenset[str] = frozenset()) -> Bounded:
    lines, out = text.split("\n"), Bounded(text)
    code = _fenced(lines)
    flat = [line if i in code else _flatten(line) for i, line in enumerate(lines)]
    deep = [i for i, (old, new) in enumerate(zip(lines, flat)) if old is not new]
    if deep:
        where, many = first_line + deep[0], f" (and {len(deep) - 1} more lines)" if len(deep) > 1 else ""
        message = f"nested deeper than {MAX_NESTING} lists and quotes{many}: the deeper ones are shown as text"
        out.diagnostics.append(warning(path, where, message))
    lines = flat
    prefix = token_prefix("PNTEXT", text)
    for para in _paragraphs(lines, code, block_tags):
        if not para.html:
            _bound_paragraph(lines, para, path, first_line, prefix, out)
    _bound_html(lines, code, path, first_line, out)
    out.text = "\n".join(_bound_splits(lines, code, path, first_line, out))
    return out


def _within_bounds(text: str) -> bool:
    size = len(text) + 1
    marks = size - len(text.translate(_MARKS))
    brackets = text.count("[") + text.count("](")
    return (
        size * marks <= INLINE_BUDGET  # a paragraph's size × marks is at most the text's
        and (brackets <= LINK_SCANS or brackets * size <= LINK_SLACK)  # each bracket scans ≤ its paragraph
        and (text.count("<") <= HTML_SCANS or text.count("<") * size <= HTML_SLACK)
        and _DEEP_PREFIX.search(text) is None  # 15 prefix characters nest at most 15 + 4 * 15 / 2 deep
        and len(_SPLIT_LINE.findall(text)) <= MAX_SPLITS
    )


# -- nesting -----------------------------------------------------------------------------------------


def _container_prefix(line: str) -> tuple[list[tuple[str, str]], int]:
    """The container marks that start a line, each as (the spaces before it, the mark), and where the
    line's content starts."""
    marks, pos = [], 0
    while (m := _CONTAINER.match(line, pos)) is not None:
        piece = line[pos : m.end()]
        mark = piece.lstrip(" \t")
        marks.append((piece[: len(piece) - len(mark)], mark))
        pos = m.end()
    return marks, len(line) - len(line[pos:].lstrip(" \t"))


def _columns(spaces: str) -> int:
    return len(spaces) + 3 * spaces.count("\t")


def _is_list_mark(mark: str) -> bool:
    return mark != ">"


def _depth(level: int, columns: int, listed: bool) -> int:
    """At most how many containers hold a line: its marks, and (once it has a list marker) the lists its
    indentation may sit in, each at least two columns in. Indentation alone is code, not nesting."""
    return level + (columns // 2 if listed else 0)


def _flatten(line: str) -> str:
    """The line itself, or with the containers beyond MAX_NESTING shown as text."""
    if not line or line[0] not in _MAY_NEST:
        return line  # prose: no container prefix at all
    marks, content = _container_prefix(line)
    lead = line[len("".join(s + m for s, m in marks)) : content]
    listed = any(_is_list_mark(m) for _, m in marks)
    columns = sum(_columns(s) for s, _ in marks) + _columns(lead)
    if _depth(len(marks), columns, listed) <= MAX_NESTING:
        return line
    kept, level, columns, listed, escaped = [], 0, 0, False, False
    for spaces, mark in marks:
        if escaped or _depth(level + 1, columns, listed or _is_list_mark(mark)) > MAX_NESTING:
            escaped = True  # this mark and every deeper one are text
            kept.append(" " + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark))
            continue
        level, listed = level + 1, listed or _is_list_mark(mark)
        room = 2 * (MAX_NESTING - level) - columns if listed else _columns(spaces)
        need = 1 if kept and _is_list_mark(kept[-1].strip()[-1:]) else 0  # a list marker needs its space
        spaces = spaces if _columns(spaces) <= room else " " * max(need, room)
        columns += _columns(spaces)
        kept.append(spaces + mark)
    room = 2 * (MAX_NESTING - level) - columns if listed and not escaped else 1
    if _columns(lead) > room:
        lead = " " * max(1 if kept else 0, room)
    return "".join(kept) + lead + line[content:]


# -- paragraphs ---------------------------------------------------------------------------------------


def _fenced(lines: list[str]) -> set[int]:
    """The lines of closed fences (at the top level, and in quotes and items: after their markers)."""
    inside: set[int] = set()
    for source in (lines, [line[_container_prefix(line)[1] :] for line in lines]):
        ends, i = fence_ends(source), 0
        while i < len(source):  # a forward walk: a fence line inside code opens nothing
            if i in ends and i not in inside:
                inside.update(range(i, ends[i] + 1))
                i = ends[i]
            i += 1
    return inside


def _paragraphs(lines: list[str], code: set[int], block_tags: frozenset[str]):
    """Runs of lines that may be one inline block: split at blank lines and code, before a list item that
    may interrupt a paragraph, around headings, and into rows in a table (each cell is one). A cover of
    Python-Markdown's paragraphs: splitting anywhere else could hide a long one."""
    para: _Paragraph | None = None
    for i, line in enumerate(lines):
        marks, content = _container_prefix(line)
        rest = line[content:]
        if i in code or not rest.strip():
            if para is not None:
                yield para
            para = None
            continue
        items = [m for _, m in marks if _is_list_mark(m)]
        interrupts = bool(items) and (not items[0][0].isdigit() or items[0][:-1] == "1")
        heading = _HEADING_MARK.match(rest) is not None
        if para is not None and (interrupts or heading or para.table):
            yield para
            para = None
        if para is None:
            tag = _HTML_BLOCK.match(rest)
            # Python-Markdown stashes a raw HTML block only when its tag (or comment) ends: else it is text.
            ends = tag is not None and ("-->" if tag.group(1) is None else ">") in rest
            html = ends and (tag.group(1) is None or tag.group(1).lower() in block_tags)
            para = _Paragraph([], [], html=html and not marks)
        elif len(para.lines) == 1 and "|" in lines[para.lines[0]] and TABLE_DELIMITER.match(rest):
            para.table = True
        para.lines.append(i)
        para.starts.append(content)
        if heading:
            yield para
            para = None
    if para is not None:
        yield para


def _bound_paragraph(lines: list[str], para: _Paragraph, path: str, first_line: int, prefix: str, out: Bounded):
    if para.table:
        for i, start in zip(para.lines, para.starts):
            _bound_paragraph(lines, _Paragraph([i], [start]), path, first_line, prefix, out)
        return
    contents = [lines[i][start:] for i, start in zip(para.lines, para.starts)]
    size = sum(len(c) + 1 for c in contents)
    marks = sum(len(c) - len(c.translate(_MARKS)) + 1 for c in contents)
    where = first_line + para.lines[0]
    if size * marks > INLINE_BUDGET:
        # One token for the whole paragraph (a token per line would leave Python-Markdown a line break to
        # match on every line); the other lines keep only their container prefix.
        heading = _HEADING_MARK.match(contents[0])
        keep = para.starts[0] + (heading.end() if heading else 0)
        token = f"{prefix}{len(out.literals):04d}X"
        text = "\n".join([lines[para.lines[0]][keep:], *contents[1:]])
        out.literals[token] = text.replace("\x02", "").replace("\x03", "")
        lines[para.lines[0]] = lines[para.lines[0]][:keep] + token
        for i, start in zip(para.lines[1:], para.starts[1:]):
            lines[i] = lines[i][:start].rstrip()
        message = f"a paragraph of {size:,} characters with {marks:,} Markdown marks is shown as plain text"
        out.diagnostics.append(warning(path, where, message + " (formatting it would take too long)"))
        return
    joined = "\n".join(contents)
    fixed = _bound_links(joined)
    if fixed is not joined:
        for i, start, content in zip(para.lines, para.starts, fixed.split("\n")):
            lines[i] = lines[i][:start] + content
        message = "brackets that open no link are escaped (each would make Python-Markdown rescan the paragraph)"
        out.diagnostics.append(warning(path, where, message))


# -- links --------------------------------------------------------------------------------------------


def _bound_links(text: str) -> str:
    """`text` with its hopeless brackets escaped when the link patterns would scan too much, else `text`.

    Python-Markdown's link patterns read `[text]` from each `[` to its `]` (to the end when there is
    none) and `(url)` from each `](` to its `)`: the sum of those spans is what they cost."""
    if "[" not in text:
        return text
    spans = CodeSpans(text)
    pairs: dict[int, int] = {}  # an opening bracket -> its closing one
    depth: dict[int, int] = {}  # an opening bracket -> how many of its kind it sits in
    open_: dict[str, list[int]] = {"[": [], "(": []}
    pos = 0
    while (m := _BRACKETS.search(text, pos)) is not None:
        c, pos = m.group(0), m.end()
        if c[0] == "`":
            pos = spans.end(m.start())  # code spans are not Markdown
        elif c in "[(":
            depth[m.start()] = len(open_[c])
            open_[c].append(m.start())
        elif c in "])" and open_["[" if c == "]" else "("]:
            pairs[open_["[" if c == "]" else "("].pop()] = m.start()
    end = len(text)
    squares = [p for p in depth if text[p] == "["]
    links = [pairs[p] + 1 for p in squares if p in pairs and text.startswith("(", pairs[p] + 1)]
    if sum(pairs.get(p, end) - p for p in squares + links) <= LINK_SCANS * end + LINK_SLACK:
        return text
    escape = set(open_["["]) | {p for p in links if p not in pairs}  # they open nothing
    deep = {p for p, d in depth.items() if d >= MAX_BRACKET_DEPTH and p in pairs}
    escape |= deep | {pairs[p] for p in deep}
    pieces, done = [], 0
    for p in sorted(escape):
        pieces += [text[done:p], "\\"]
        done = p
    return "".join(pieces) + text[done:]


# -- raw HTML -----------------------------------------------------------------------------------------


def _code_ranges(line: str) -> list[tuple[int, int]]:
    """The code spans of one line (Python-Markdown's HTML parser skips them too)."""
    spans, ranges, pos = CodeSpans(line), [], 0
    while (start := line.find("`", pos)) != -1:
        close = spans.close(start)
        pos = close if close is not None else spans.end(start)
        if close is not None:
            ranges.append((start, close))
    return ranges


def _bound_html(lines: list[str], code: set[int], path: str, first_line: int, out: Bounded) -> None:
    """`<` of tags, comments and CDATA that never end become `&lt;` when the parser would rescan too much."""
    last_end: dict[str, tuple[int, int]] = {}  # terminator -> (line, column) of its last occurrence
    for i in range(len(lines) - 1, -1, -1):
        for term in (">", "-->", "]]>"):
            if term not in last_end and i not in code and (col := lines[i].rfind(term)) != -1:
                last_end[term] = (i, col)
        if len(last_end) == 3:
            break
    total, seen = sum(len(line) + 1 for line in lines), 0
    hopeless: list[tuple[int, int]] = []
    scanned = 0
    for i, line in enumerate(lines):
        if i not in code and "<" in line:
            ranges = _code_ranges(line) if "`" in line else []
            for m in _HTML_OPEN.finditer(line):
                k = bisect_right(ranges, (m.start(), len(line)))
                if k and ranges[k - 1][1] > m.start():
                    continue  # inside a code span
                if last_end.get(_HTML_END.get(m.group(0), ">"), (-1, -1)) < (i, m.start()):
                    hopeless.append((i, m.start()))
                    scanned += total - seen - m.start()
        seen += len(line) + 1
    if scanned <= HTML_SCANS * total + HTML_SLACK:
        return
    by_line: dict[int, list[int]] = {}
    for i, col in hopeless:
        by_line.setdefault(i, []).append(col)
    for i, cols in by_line.items():  # each line rebuilt once
        pieces, done = [], 0
        for col in cols:
            pieces += [lines[i][done:col], "&lt;"]
            done = col + 1
        lines[i] = "".join(pieces) + lines[i][done:]
    message = "tags that never end are escaped (each would make the HTML parser rescan the rest of the document)"
    out.diagnostics.append(warning(path, first_line + hopeless[0][0], message))


# -- blocks -----------------------------------------------------------------------------------------


def _bound_splits(lines: list[str], code: set[int], path: str, first_line: int, out: Bounded) -> list[str]:
    """Python-Markdown cuts a block (lines between blank lines) at each heading, rule or definition in it
    and tests the rest again: a block of many of them is quadratic. Past MAX_SPLITS in one block, a blank
    line goes after each (the same HTML, outside lists); the text's own lines keep their numbers above."""
    splits: list[int] = []
    crowded: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if not line.strip():
            if len(splits) > MAX_SPLITS:
                crowded += splits
            splits = []
        elif i not in code and line[:1] in "#-*_[ " and _SPLITS.match(line):
            splits.append(i)
    if not crowded:
        return lines
    message = f"a block of more than {MAX_SPLITS} headings, rules or definitions without blank lines is split"
    out.diagnostics.append(
        warning(path, first_line + crowded[0], message + " (each would make Python-Markdown rescan it)")
    )
    spaced, after = [], set(crowded)
    for i, line in enumerate(lines):
        spaced.append(line)
        if i in after:
            spaced.append("")
    return spaced


# -- after Markdown -------------------------------------------------------------------------------------


class LiteralTreeprocessor(Treeprocessor):
    """Puts the plain text of a paragraph that was too long to format back in place of its tokens."""

    def __init__(self, md, literals: dict[str, str]):
        super().__init__(md)
        self.literals = literals  # the renderer's: filled for each document

    def run(self, root: etree.Element) -> None:
        if not self.literals:
            return
        prefix = next(iter(self.literals))[:-5]
        token = re.compile(re.escape(prefix) + r"\d{4,}X")
        swap = lambda m: self.literals.get(m.group(0), m.group(0))  # noqa: E731
        for el in root.iter():
            if el.text and prefix in el.text:
                el.text = token.sub(swap, el.text)
            if el.tail and prefix in el.tail:
                el.tail = token.sub(swap, el.tail)
