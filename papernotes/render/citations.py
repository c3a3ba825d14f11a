"""Pandoc-style citations -> links to paper pages, before Python-Markdown runs.

Pure, like render/tags.py: ``[@he2016deep]``, ``[@a; @b]``, ``[see @a, p. 3]`` and ``[-@a]`` (the year only)
become ``(He et al., 2016)`` with each label a link to the paper's page; the build gives `resolve(key)`, the
paper a key names (its library records' citation keys). A key no paper has stays visible (``@key``) with a
warning. It runs on the text whose math is already cut out (render/math.py), so formulas are never touched;
fenced code (closed fences, math.py's rule) and code spans are skipped; so are links (``[@a](url)``,
``[@a][ref]``), reference definitions, images, ``\\[@a]`` and e-mail addresses (``[x a@b.c]`` names no key).
As many lines out as in, and linear time: every search moves forward.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..diagnostics import Diagnostic, warning
from .math import fence_ends


class Citation(NamedTuple):
    """What a citation key resolves to: the paper page's href, the short label, the paper's title and key."""

    href: str
    label: str
    title: str
    paper: str


CiteResolver = Callable[[str], "Citation | None"]


@dataclass(frozen=True)
class CitationResult:
    text: str
    diagnostics: list[Diagnostic]
    cited: tuple[tuple[str, Citation | None], ...]  # every key cited, in order, and what `resolve` gave


_KEY = r"(?:\{(?P<braced>[^{}\s]{1,200})\}|(?P<key>\w(?:\w|[:.#$%&+?<>~/-](?=\w))*+))"
_ITEM = re.compile(r"(?P<prefix>(?:[^@]*[\s(])?)(?P<minus>-?)@" + _KEY + r"(?P<suffix>[^@]*)", re.S)
_GROUP = re.compile(r"\[(?P<body>[^\[\]\n]*+)\]")
_ANY_KEY = re.compile(r"(?:^|(?<=[\s\[;(-]))@" + _KEY)
_BACKTICKS = re.compile(r"`+")
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in '&<>`*_[]\\$"|@~^'})


def cited_keys(text: str) -> list[str]:
    """Every key that may be cited (a superset: code is not skipped), sorted: what a render key must cover."""
    if "@" not in text:
        return []
    return sorted({m.group("braced") or m.group("key") for m in _ANY_KEY.finditer(text)})


def expand_citations(text: str, path: str, first_line: int = 1, resolve: CiteResolver = lambda key: None):
    """Replace every citation group in `text` (Markdown with math cut out); `resolve(key)` -> Citation or None."""
    if "[" not in text or "@" not in text:
        return CitationResult(text, [], ())
    out: list[str] = []
    diags: list[Diagnostic] = []
    cited: list[tuple[str, Citation | None]] = []
    lines = text.split("\n")
    fences = fence_ends(lines)
    n = 0
    while n < len(lines):
        if n in fences:  # code stays as it is
            out.extend(lines[n : fences[n] + 1])
            n = fences[n] + 1
            continue
        end = n
        while end < len(lines) and lines[end].strip() and end not in fences:
            end += 1
        end = max(end, n + 1)  # a paragraph (code spans do not cross a blank line), or one blank line
        paragraph = "\n".join(lines[n:end])
        out.append(_paragraph(paragraph, path, first_line + n, resolve, diags, cited))
        n = end
    return CitationResult("\n".join(out), diags, tuple(cited))


def _paragraph(text: str, path: str, line: int, resolve: CiteResolver, diags: list, cited: list) -> str:
    if "@" not in text or "[" not in text:
        return text
    pieces, done = [], 0
    cursor = [0, line, 0]  # a position, its line and the start of that line: moved forward only
    for start, stop in _code_spans(text):
        pieces.append(_prose(text[done:start], text, done, cursor, path, resolve, diags, cited))
        pieces.append(text[start:stop])
        done = stop
    pieces.append(_prose(text[done:], text, done, cursor, path, resolve, diags, cited))
    return "".join(pieces)


def _advance(text: str, cursor: list, to: int) -> None:
    pos, line, line_start = cursor
    cursor[:] = [to, line + text.count("\n", pos, to), max(line_start, text.rfind("\n", pos, to) + 1)]


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span: a backtick run up to the next run of the same length (CommonMark)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, stop) in enumerate(runs):
        by_length.setdefault(stop - start, []).append(index)
    behind = dict.fromkeys(by_length, 0)  # per length: how many of its runs we have passed (moves forward only)
    spans, index = [], 0
    while index < len(runs):
        start, stop = runs[index]
        same = by_length[stop - start]
        while behind[stop - start] < len(same) and same[behind[stop - start]] <= index:
            behind[stop - start] += 1
        if text[start - 1 : start] != "\\" and behind[stop - start] < len(same):
            close = same[behind[stop - start]]
            spans.append((start, runs[close][1]))
            index = close + 1
        else:  # an escaped run, or one nothing closes: text
            index += 1
    return spans


def _prose(piece, text, offset, cursor, path, resolve, diags, cited) -> str:
    if "@" not in piece or "[" not in piece:
        return piece
    pieces, done = [], 0
    for m in _GROUP.finditer(piece):
        if "@" not in m.group("body"):
            continue
        start, stop = offset + m.start(), offset + m.end()
        _advance(text, cursor, start)
        before, after = text[start - 1 : start] if start else "", text[stop : stop + 1]
        definition = after == ":" and not text[cursor[2] : start].strip()
        if before in ("\\", "!") or after in ("(", "[") or definition:
            continue  # escaped, an image, a link, a reference definition
        items = [_ITEM.fullmatch(part) for part in m.group("body").split(";")]
        if not all(items):
            continue  # not every part names a key: brackets around prose (or an e-mail address)
        shown = [_item(i, path, cursor[1], resolve, diags, cited) for i in items]
        pieces += [piece[done : m.start()], '<span class="citation">(', "; ".join(shown), ")</span>"]
        done = m.end()
    pieces.append(piece[done:])
    return "".join(pieces)


def _item(m: re.Match, path: str, line: int, resolve: CiteResolver, diags: list, cited: list) -> str:
    key = m.group("braced") or m.group("key")
    found = resolve(key)
    cited.append((key, found))
    prefix, suffix = m.group("prefix").strip(), m.group("suffix").rstrip()
    if found is None:
        diags.append(warning(path, line, f"unknown citation key {key!r}"))
        label = _literal("@" + key)
    else:
        text = found.label.rsplit(", ", 1)[-1] if m.group("minus") and ", " in found.label else found.label
        label = f"[{_literal(text)}]({_md_url(found.href)})"
    return (prefix + " " if prefix else "") + label + suffix


def _literal(s: str) -> str:
    """Text Markdown shows as written: entities, so no emphasis, code, link, HTML or math."""
    return s.translate(_LITERAL)


def _md_url(url: str) -> str:
    return url if url and not set(url) & set(" \t()<>") else "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def short_label(authors: tuple[str, ...], year: int | None, title: str, truncated: bool = False) -> str:
    """`He et al., 2016` (three or more authors, or a truncated list), `Ho and Salimans, 2022`, `He, 2016`;
    a paper without authors by the start of its title."""
    family = [_family(a) for a in authors if a.strip()]
    if not family:
        words = title.split()
        who = " ".join(words[:4]) + ("…" if len(words) > 4 else "")
    elif len(family) >= 3 or truncated:
        who = f"{family[0]} et al."
    elif len(family) == 2:
        who = f"{family[0]} and {family[1]}"
    else:
        who = family[0]
    return f"{who}, {year}" if year else who


def _family(name: str) -> str:
    """The family name as a label shows it: the last word (`Kaiming He` -> `He`; `Müller, Jr` -> `Müller`)."""
    name = name.split(",", 1)[0].strip()
    return name.rsplit(None, 1)[-1] if " " in name else name
