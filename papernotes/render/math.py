"""Math in Markdown: stash `$…$` / `$$…$$` before Markdown runs, fill it in after.

Markdown engines mangle TeX (`_` becomes emphasis, `\\` an escape, a display
block glued to a text line becomes part of the paragraph), so math is cut out
first and replaced by an alphanumeric placeholder token that every Markdown
pattern leaves alone.  After Markdown, `fill_math` swaps the tokens for the
KaTeX HTML (rendered by `papernotes.render.katex`, the only module that knows
node exists).

Both functions are pure: no I/O, problems come back as `Diagnostic` values.

Decisions worth knowing (see tests/render/test_math.py for each):
- Output has exactly as many lines as the input, so any later line number still
  points into the source; a multi-line display block becomes
  ``blank / TOKEN / blank…`` on its own lines.
- A display block may not contain a blank line (TeX would reject it anyway), so
  a `$$` that is never closed stays literal text instead of swallowing the rest
  of the document.  The same goes for an unclosed `$` (it never spans lines).
- Fenced code (``` / ~~~ at any indentation) is only code when it is closed,
  which is what Python-Markdown does; indented code blocks are not detected.
- `\\$` is left as is: the Markdown stage should list `$` among its escapable
  characters so it shows up as a plain dollar.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from papernotes.diagnostics import Diagnostic, warning


@dataclass(frozen=True)
class Formula:
    tex: str  # the exact source text between the delimiters, byte for byte
    display: bool
    line: int  # 1-based line of the opening delimiter in the source file
    token: str  # the placeholder that replaced it, e.g. "PNMATH0007X"


_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+)\S")
# Python-Markdown needs four columns of indentation to keep a block inside a list item.
_LIST_CONTENT_INDENT = 4


def protect_math(text: str, first_line: int = 1) -> tuple[str, list[Formula]]:
    """Replace math by placeholder tokens; return the new text and the formulas in order."""
    return _Protector(text, first_line).run()


class _Protector:
    """One pass over the lines: fences and display blocks are line-level, the rest
    is scanned for inline math one paragraph ("text run") at a time, because a
    code span may cross a line break inside a paragraph."""

    def __init__(self, text: str, first_line: int):
        self.lines = text.split("\n")
        self.out = list(self.lines)
        self.first_line = first_line
        self.formulas: list[Formula] = []
        # A prefix absent from the text guarantees tokens never collide with prose.
        self.prefix = "PNMATH"
        while self.prefix in text:
            self.prefix += "Q"

    def run(self) -> tuple[str, list[Formula]]:
        lines, i, run_start = self.lines, 0, None
        while i < len(lines):
            end = self._fence_end(i)
            if end is None:
                end = self._display_end(i)
                if end is not None:
                    self._flush(run_start, i)
                    self._emit_display_block(i, end, run_start)
                    run_start, i = None, end + 1
                    continue
            else:
                self._flush(run_start, i)
                run_start, i = None, end + 1  # code stays byte for byte
                continue
            if _blank(lines[i]):
                self._flush(run_start, i)
                run_start = None
            elif run_start is None:
                run_start = i
            i += 1
        self._flush(run_start, len(lines))
        return "\n".join(self.out), self.formulas

    # -- line-level blocks -------------------------------------------------

    def _fence_end(self, i: int) -> int | None:
        """Index of the closing fence line of a fence opened at line i, if any."""
        m = _FENCE_OPEN.match(self.lines[i].rstrip("\r"))
        if not m:
            return None
        fence = m.group("fence")
        if fence[0] == "`" and "`" in m.group("info"):
            return None  # CommonMark: a backtick fence's info string has no backticks
        for j in range(i + 1, len(self.lines)):
            close = self.lines[j].strip()
            if close and set(close) == {fence[0]} and len(close) >= len(fence):
                return j
        return None  # unclosed: not code (as in Python-Markdown)

    def _display_end(self, i: int) -> int | None:
        """Index of the line closing a `$$` block opened at line i (no blank line inside)."""
        opener = self.lines[i].strip()
        if not opener.startswith("$$") or _find_unescaped(opener, "$$", 2) != -1:
            return None  # not an opener, or a one-line `$$…$$` (handled inline)
        for j in range(i + 1, len(self.lines)):
            if _blank(self.lines[j]):
                return None
            if _closing_dollars(self.lines[j]) != -1:
                return j
        return None

    def _emit_display_block(self, i: int, j: int, run_start: int | None) -> None:
        opener, closer = self.lines[i], self.lines[j]
        open_at = opener.index("$$") + 2
        close_at = _closing_dollars(closer)
        tex = "\n".join([opener[open_at:], *self.lines[i + 1 : j], closer[:close_at]])
        token = self._add(tex, True, i)
        indent = self._block_indent(opener, run_start)
        eol = "\r" if closer.endswith("\r") else ""
        block = ["\r" if line.endswith("\r") else "" for line in self.lines[i : j + 1]]
        # The token needs a blank line on each side to be its own paragraph; with
        # only two lines available, give up the side that already has one.
        after_blank = j + 1 >= len(self.lines) or _blank(self.lines[j + 1])
        before_blank = i == 0 or _blank(self.out[i - 1])
        slot = 0 if before_blank and len(block) == 2 and not after_blank else 1
        block[slot] = indent + token + eol
        self.out[i : j + 1] = block

    def _block_indent(self, opener: str, run_start: int | None) -> str:
        """Indentation for the token line: the opener's own, unless the block is a
        lazy continuation of a list item, where it must be indented into the item."""
        own = opener[: len(opener) - len(opener.lstrip())]
        if run_start is None:
            return own
        first = self.lines[run_start]
        m = _LIST_ITEM.match(first)
        if m:
            lead = len(m.group("indent"))
            need = max(lead + len(m.group("marker")) + len(m.group("gap")), lead + _LIST_CONTENT_INDENT)
        else:
            need = len(first) - len(first.lstrip())
        return own if len(own) >= need else " " * need

    # -- inline math -------------------------------------------------------

    def _flush(self, start: int | None, stop: int) -> None:
        """Scan lines[start:stop] (one paragraph) for inline math and code spans."""
        if start is None:
            return
        s = "\n".join(self.lines[start:stop])
        pieces, done, pos = [], 0, 0
        while pos < len(s):
            c = s[pos]
            if c == "\\":
                pos += 2  # an escaped char (`\$`, `\``) is literal text
            elif c == "`":
                pos = _skip_code_span(s, pos)
            elif c == "$":
                found = _match_math(s, pos)
                if found is None:
                    pos += 2 if s.startswith("$$", pos) else 1
                    continue
                tex, display, end = found
                line = start + s.count("\n", 0, pos)
                pieces += [s[done:pos], self._add(tex, display, line)]
                done = pos = end
            else:
                pos += 1
        pieces.append(s[done:])
        self.out[start:stop] = "".join(pieces).split("\n")

    def _add(self, tex: str, display: bool, index: int) -> str:
        token = f"{self.prefix}{len(self.formulas):04d}X"
        self.formulas.append(Formula(tex, display, self.first_line + index, token))
        return token


def _blank(line: str) -> bool:
    return not line.strip()


def _find_unescaped(s: str, needle: str, start: int) -> int:
    """First index >= start of needle not preceded by an odd number of backslashes."""
    pos = s.find(needle, start)
    while pos != -1 and _escaped(s, pos):
        pos = s.find(needle, pos + 1)
    return pos


def _escaped(s: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and s[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _closing_dollars(line: str) -> int:
    """Index of the `$$` that ends this line (ignoring trailing space), or -1."""
    body = line.rstrip()
    if body.endswith("$$") and not _escaped(body, len(body) - 2):
        return len(body) - 2
    return -1


def _skip_code_span(s: str, pos: int) -> int:
    """Position after the code span opened at pos, or after the backtick run if unmatched."""
    run = len(s) - pos - len(s[pos:].lstrip("`"))
    m = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(s, pos + run)
    return m.end() if m else pos + run


def _match_math(s: str, pos: int) -> tuple[str, bool, int] | None:
    """Math starting at s[pos] == "$": (tex, display, end) or None if it is text.

    Inline rules follow Pandoc's tex_math_dollars so prices stay prices: the
    opening `$` is not followed by whitespace, the closing one is not preceded by
    whitespace nor followed by a digit.  Math never crosses a line break."""
    line_end = s.find("\n", pos)
    line_end = len(s) if line_end == -1 else line_end
    if s.startswith("$$", pos):
        close = _find_unescaped(s, "$$", pos + 2)
        if close == -1 or close > line_end or not s[pos + 2 : close].strip():
            return None
        return s[pos + 2 : close], True, close + 2
    if pos + 1 >= line_end or s[pos + 1].isspace():
        return None
    close = pos + 1
    while True:
        close = _find_unescaped(s, "$", close + 1)
        if close == -1 or close > line_end:
            return None
        after = s[close + 1] if close + 1 < len(s) else ""
        if not s[close - 1].isspace() and not after.isdigit():
            return s[pos + 1 : close], False, close + 1


# -- after Markdown ---------------------------------------------------------


def fill_math(html_text: str, formulas: list[Formula], results: dict, source_path: str) -> tuple[str, list[Diagnostic]]:
    """Swap the tokens in Markdown's HTML for rendered math.

    `results` maps (tex, display) to an object with `.html` / `.error` (a
    `katex.MathResult`); a missing entry means KaTeX was unavailable and the TeX
    source is shown as code.  Returns the HTML and one warning per bad formula.
    """
    if not formulas:
        return html_text, []
    by_token = {f.token: f for f in formulas}
    prefix = re.match(r"(.*?)\d+X$", formulas[0].token).group(1)
    token_re = re.escape(prefix) + r"\d+X"
    # One pass so inserted KaTeX HTML is never scanned again: a display token alone
    # in a paragraph, a tag (tokens in attributes), or a token in text.
    scanner = re.compile(rf"<p>\s*(?P<block>{token_re})\s*</p>|(?P<tag><[^>]*>)|(?P<inline>{token_re})")
    in_attr = re.compile(token_re, re.IGNORECASE)

    def attr_text(m: re.Match) -> str:
        f = by_token.get(m.group(0).upper())
        return html.escape(" ".join(f.tex.split()), quote=True) if f else m.group(0)

    def replace(m: re.Match) -> str:
        if m.group("tag"):
            return in_attr.sub(attr_text, m.group("tag"))
        token = m.group("block") or m.group("inline")
        f = by_token.get(token)
        if f is None:
            return m.group(0)
        html_math = _math_html(f, results.get((f.tex, f.display)), source_path, block=bool(m.group("block")))
        if m.group("block") and not f.display:
            return f"<p>{html_math}</p>"  # an inline formula that is a paragraph by itself
        return html_math

    diagnostics = [
        warning(source_path, f.line, "KaTeX: " + _katex_message(r.error))
        for f in formulas
        if (r := results.get((f.tex, f.display))) is not None and r.error
    ]
    return scanner.sub(replace, html_text), diagnostics


def _math_html(f: Formula, result, source_path: str, block: bool) -> str:
    tag = "div" if block and f.display else "span"
    kind = "math-display" if f.display else "math-inline"
    source = html.escape(f.tex, quote=False)
    if result is not None and result.error:
        title = html.escape(f"{source_path}:{f.line}: KaTeX: {_katex_message(result.error)}", quote=True)
        classes = "math-error math-error-display" if f.display else "math-error"
        return f'<{tag} class="{classes}" title="{title}"><code>{source}</code></{tag}>'
    if result is None or result.html is None:
        return f'<{tag} class="{kind}"><code class="math-source">{source}</code></{tag}>'
    return f'<{tag} class="{kind}">{result.html}</{tag}>'


def _katex_message(error: str) -> str:
    # Our prefix already says KaTeX; drop KaTeX's own so messages read once.
    return error.removeprefix("KaTeX parse error: ")
