"""Finding math in a Markdown note: every delimiter convention real notes are written in.

`Delimiters(convention)` says which openers count:

- ``auto`` (the default, no configuration needed): `$…$` (also Typora's space-padded `$ x $`, never a
  price: the first `$` after an opener is the only possible closer, as in Pandoc, so `$5 and $10`
  stays text), `$$…$$` (display alone on its line or paragraph, inline inside a line of text — the
  kramdown rule), `$$$…$$$` (kramed/pandoc Hexo blogs), `\\(…\\)`, `\\[…\\]`, and a standalone
  `\\begin{equation|align|gather|…}` environment;
- ``tex``: LaTeX's own habits: `$…$` without padding, `$$…$$` always display, `\\(…\\)`, `\\[…\\]`,
  environments;
- ``kramed``: only doubled dollars (`$$`, `$$$`); a single `$` is always text.

Display blocks are found line by line, through blockquote markers (with lazy continuation lines) and
list indentation; the formula's TeX is its source with those container prefixes removed, byte for
byte.  Inline math is found one paragraph at a time and never crosses a line.  Everything is linear in
the text: each opener looks for its closer once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENVIRONMENTS = ("equation", "align", "gather", "multline", "alignat", "flalign", "eqnarray")
_QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
_QUOTE_MARK = re.compile(r"[ ]{0,3}>[ ]?")
_ENV_OPEN = re.compile(r"\\begin\{(" + "|".join(ENVIRONMENTS) + r")(\*?)\}")


@dataclass(frozen=True)
class Delimiters:
    convention: str = "auto"

    @property
    def single_dollar(self) -> bool:
        return self.convention != "kramed"

    @property
    def padded_dollar(self) -> bool:
        return self.convention == "auto"

    @property
    def backslash(self) -> bool:  # \( \) \[ \] and environments
        return self.convention != "kramed"

    @property
    def double_inline(self) -> bool:  # `$$…$$` inside a line of text is inline (kramdown)
        return self.convention != "tex"


@dataclass(frozen=True)
class Block:
    """A display formula spanning whole lines: lines[start..end] (inclusive)."""

    start: int
    end: int
    tex: str
    prefix: str  # what every emitted line starts with (quote markers), and the token line's indent
    indent: str
    delimiters: tuple[str, str]


def split_prefix(line: str) -> tuple[str, str]:
    """(blockquote markers, the rest) of a line."""
    m = _QUOTE_PREFIX.match(line)
    return (m.group(0), line[m.end() :]) if m else ("", line)


def _depth(prefix: str) -> int:
    return prefix.count(">")


def _strip_container(line: str, depth: int, indent: int) -> str:
    """A line of a display block without its container: `depth` quote markers and up to `indent` spaces."""
    for _ in range(depth):
        m = _QUOTE_MARK.match(line)
        if not m:
            break  # a lazy line: no markers to remove
        line = line[m.end() :]
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


def find_block(lines: list[str], i: int, delims: Delimiters, unclosed: dict | None = None) -> Block | None:
    """The display block whose opening delimiter starts lines[i] (after its container prefix), if any.

    `unclosed` (one dict per text) remembers where a search for a closer failed: the next opener in the
    same paragraph fails at once instead of scanning it again (`$$a` on every line would be quadratic)."""
    if not lines[i].lstrip(" >").startswith(("$$", "\\[", "\\begin")):
        return None  # what nearly every line is: not a display opener
    prefix, rest = split_prefix(lines[i])
    body = rest.lstrip(" ")
    indent = len(rest) - len(body)
    opener = _opener(body, delims)
    if opener is None:
        return None
    open_len, closer = opener
    depth = _depth(prefix)
    first = body[open_len:]
    close = _closing(first, closer, 0)
    if close is not None:  # one line: the formula must be all there is on it
        if close + len(closer) != len(first.rstrip()) or not first[:close].strip():
            return None
        if closer.startswith("\\end"):
            return Block(i, i, body[: close + open_len + len(closer)], prefix, " " * indent, ("", ""))
        return Block(i, i, first[:close], prefix, " " * indent, (body[:open_len], closer))
    key = (closer, depth, indent)
    if unclosed is not None and key in unclosed and unclosed[key][0] <= i + 1 <= unclosed[key][1]:
        return None
    parts = [first]
    for j in range(i + 1, len(lines)):
        line = lines[j]
        inner = _strip_container(line, depth, indent)
        if not inner.strip() or (split_prefix(line)[0] and not split_prefix(line)[1].strip()):
            if unclosed is not None:
                unclosed[key] = (i + 1, j)
            return None  # a blank line (or an empty quote line) ends the paragraph: no display block
        body_end = inner.rstrip()
        if body_end.endswith(closer) and not _escaped(body_end, len(body_end) - len(closer)):
            parts.append(body_end[: len(body_end) - len(closer)])
            tex = "\n".join(parts)
            if closer.startswith("\\end"):
                return Block(i, j, body[:open_len] + tex + closer, prefix, " " * indent, ("", ""))
            return Block(i, j, tex, prefix, " " * indent, (body[:open_len], closer))
        parts.append(inner)
    if unclosed is not None:
        unclosed[key] = (i + 1, len(lines))
    return None


def _opener(body: str, delims: Delimiters) -> tuple[int, str] | None:
    """(length of the opening delimiter, the closing one) when a line's content opens display math."""
    if body.startswith("$$$"):
        return 3, "$$$"
    if body.startswith("$$"):
        return 2, "$$"
    if delims.backslash and body.startswith("\\["):
        return 2, "\\]"
    if delims.backslash:
        m = _ENV_OPEN.match(body)
        if m:
            return m.end(), f"\\end{{{m.group(1)}{m.group(2)}}}"
    return None


def _closing(text: str, closer: str, start: int) -> int | None:
    pos = text.find(closer, start)
    while pos != -1 and _escaped(text, pos):
        pos = text.find(closer, pos + 1)
    if pos != -1 and closer == "$$" and text.startswith("$$$", pos):
        return None
    return None if pos == -1 else pos


def _escaped(s: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and s[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def find_unescaped(s: str, needle: str, start: int, stop: int) -> int:
    """First index in [start, stop) of needle not preceded by an odd number of backslashes, or -1."""
    pos = s.find(needle, start, stop)
    while pos != -1 and _escaped(s, pos):
        pos = s.find(needle, pos + 1, stop)
    return pos


class UnescapedFinder:
    """`find_unescaped` over one text, remembering its last answer per (needle, stop): an answer found
    from `start` holds for every later start up to it, and "none" holds for every later start. So a closer
    missing from a line is looked for once, not once per opener (`\\(` × n would be quadratic)."""

    def __init__(self) -> None:
        self._answers: dict[tuple[str, int], tuple[int, int]] = {}

    def __call__(self, s: str, needle: str, start: int, stop: int) -> int:
        searched, found = self._answers.get((needle, stop), (stop + 1, -1))
        if searched <= start and (found == -1 or found >= start):
            return found
        found = find_unescaped(s, needle, start, stop)
        self._answers[needle, stop] = (start, found)
        return found


def match_inline(
    s: str, pos: int, line_end: int, alone: bool, delims: Delimiters, find=find_unescaped
) -> tuple[str, bool, int] | None:
    """Math starting at s[pos] (a `$` or a backslash): (tex, display, end) or None when it is text.

    `alone`: the paragraph is nothing but this one line (so a `$$…$$` on it is display); `find`:
    `find_unescaped` or an `UnescapedFinder` of `s` (what keeps a scan of many openers linear)."""
    if s[pos] == "\\":
        if not delims.backslash or pos + 1 >= line_end or s[pos + 1] not in "([":
            return None
        closer = "\\)" if s[pos + 1] == "(" else "\\]"
        close = find(s, closer, pos + 2, line_end)
        if close == -1:
            return None
        tex = s[pos + 2 : close]
        if not tex.strip() or not _looks_like_tex(tex, closer == "\\]"):
            return None
        return tex, closer == "\\]", close + 2
    for run in ("$$$", "$$"):
        if s.startswith(run, pos):
            close = find(s, run, pos + len(run), line_end)
            if close == -1 or not s[pos + len(run) : close].strip():
                return None
            end = close + len(run)
            whole = alone and not s[:pos].strip(" >") and not s[end:line_end].strip()
            return s[pos + len(run) : close], whole or not delims.double_inline, end
    if not delims.single_dollar:
        return None
    return _single_dollar(s, pos, line_end, delims, find)


def _single_dollar(s: str, pos: int, line_end: int, delims: Delimiters, find) -> tuple[str, bool, int] | None:
    """`$…$`: the first unescaped `$` after the opener is the only closer (so prices stay prices)."""
    if pos + 1 >= line_end:
        return None
    close = find(s, "$", pos + 1, line_end)
    if close == -1 or s.startswith("$$", close):
        return None
    tex = s[pos + 1 : close]
    after = s[close + 1 : close + 3]
    if not tex.strip() or after[:1].isdigit():
        return None
    padded = s[pos + 1].isspace()
    if padded:  # Typora's `$ x $`: padded on both sides, set off from words, and not `$ 5 and $ 10`
        before = s[pos - 1] if pos else " "
        if not (delims.padded_dollar and tex[-1].isspace()) or after.lstrip()[:1].isdigit():
            return None
        if _word_char(before) or _word_char(after[:1]):
            return None
    elif tex[-1].isspace():
        return None
    return tex, False, close + 1


def _looks_like_tex(tex: str, bracket: bool) -> bool:
    """`\\[1\\]` and `\\(注意\\)` inside a sentence are Markdown escapes of brackets (Typora writes them),
    not math: bracketed math needs some TeX (a command, script, brace or relation), parenthesised math
    some Latin letter, digit or command."""
    if bracket:
        return any(c in tex for c in "\\^_{}=<>")
    return any(c.isascii() and (c.isalnum() or c == "\\") for c in tex)


def _word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "$\\")
