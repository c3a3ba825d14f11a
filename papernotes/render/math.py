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
from dataclasses import dataclass, field

from papernotes.diagnostics import Diagnostic, warning

from ..config import MATH_CONVENTIONS as CONVENTIONS
from .delimiters import Block, Delimiters, find_block, match_inline, split_prefix


@dataclass(frozen=True)
class Formula:
    tex: str  # the exact source text between the delimiters, byte for byte
    display: bool
    line: int  # 1-based line of the opening delimiter in the source file
    token: str  # the placeholder that replaced it, e.g. "PNMATH0007X"
    delimiters: tuple[str, str] = field(default=("$", "$"), compare=False)  # as written ("", "" for \\begin{…})


_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+)\S")
# Python-Markdown needs four columns of indentation to keep a block inside a list item.
_LIST_CONTENT_INDENT = 4


def protect_math(text: str, first_line: int = 1, convention: str = "auto") -> tuple[str, list[Formula]]:
    """Replace math by placeholder tokens; return the new text and the formulas in order.

    `convention`: "auto", "tex" or "kramed" (render/delimiters.py says what each accepts)."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown math convention {convention!r} (one of {', '.join(CONVENTIONS)})")
    return _Protector(text, first_line, Delimiters(convention)).run()


class _Protector:
    """One pass over the lines: fences and display blocks are line-level, the rest
    is scanned for inline math one paragraph ("text run") at a time, because a
    code span may cross a line break inside a paragraph."""

    def __init__(self, text: str, first_line: int, delims: Delimiters):
        self.lines = text.split("\n")
        self.out = list(self.lines)
        self.first_line = first_line
        self.delims = delims
        self.formulas: list[Formula] = []
        # A prefix absent from the text guarantees tokens never collide with prose.
        self.prefix = "PNMATH"
        while self.prefix in text:
            self.prefix += "Q"

    def run(self) -> tuple[str, list[Formula]]:
        lines, i, run_start = self.lines, 0, None
        while i < len(lines):
            end = self._fence_end(i)
            if end is not None:
                self._flush(run_start, i)
                run_start, i = None, end + 1  # code stays byte for byte
                continue
            block = find_block(lines, i, self.delims)
            if block is not None:
                self._flush(run_start, i)
                self._emit_display_block(block, run_start)
                run_start, i = None, block.end + 1
                continue
            if _blank(split_prefix(lines[i])[1]):
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

    def _emit_display_block(self, block: Block, run_start: int | None) -> None:
        i, j = block.start, block.end
        token = self._add(block.tex, True, i, block.delimiters)
        quote = block.prefix.rstrip()
        indent = self._block_indent(block, run_start)
        lines = [(quote + ("\r" if line.endswith("\r") else "")) for line in self.lines[i : j + 1]]
        # The token needs a blank line on each side to be its own paragraph; with only two lines
        # available, give up the side that already has one (with one line, fill_math splits the paragraph).
        after_blank = j + 1 >= len(self.lines) or _blank(split_prefix(self.lines[j + 1])[1])
        before_blank = i == 0 or _blank(split_prefix(self.out[i - 1])[1])
        slot = 0 if len(lines) == 1 or (before_blank and len(lines) == 2 and not after_blank) else 1
        eol = "\r" if self.lines[i + slot].endswith("\r") else ""
        lines[slot] = (block.prefix if quote else "") + indent + token + eol
        self.out[i : j + 1] = lines

    def _block_indent(self, block: Block, run_start: int | None) -> str:
        """Indentation for the token line: the opener's own, unless the block is a
        lazy continuation of a list item, where it must be indented into the item."""
        own = block.indent
        if run_start is None or block.prefix:
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
        alone = stop - start == 1
        pieces, done, pos = [], 0, 0
        while True:
            m = _SPECIAL.search(s, pos)
            if m is None:
                break
            pos, c = m.start(), m.group(0)
            if c == "`":
                pos = _skip_code_span(s, pos)
                continue
            line_end = s.find("\n", pos)
            found = match_inline(s, pos, len(s) if line_end == -1 else line_end, alone, self.delims)
            if found is None:
                # an escaped char (`\$`, `\``) is literal text; an unmatched run of dollars is skipped whole
                pos += 2 if c == "\\" else len(s) - pos - len(s[pos:].lstrip("$"))
                continue
            tex, display, end = found
            line = start + s.count("\n", 0, pos)
            opener = s[pos : s.index(tex, pos)] if tex else s[pos : pos + 1]
            pieces += [s[done:pos], self._add(tex, display, line, (opener, _CLOSERS.get(opener, opener)))]
            done = pos = end
        pieces.append(s[done:])
        self.out[start:stop] = "".join(pieces).split("\n")

    def _add(self, tex: str, display: bool, index: int, delimiters: tuple[str, str]) -> str:
        token = f"{self.prefix}{len(self.formulas):04d}X"
        self.formulas.append(Formula(tex, display, self.first_line + index, token, delimiters))
        return token


_SPECIAL = re.compile(r"[`$\\]")  # where inline math or a code span may start
_CLOSERS = {"\\(": "\\)", "\\[": "\\]"}


def _blank(line: str) -> bool:
    return not line.strip()


def _skip_code_span(s: str, pos: int) -> int:
    """Position after the code span opened at pos, or after the backtick run if unmatched."""
    run = len(s) - pos - len(s[pos:].lstrip("`"))
    m = re.compile(rf"(?<!`)`{{{run}}}(?!`)").search(s, pos + run)
    return m.end() if m else pos + run


# -- what is left --------------------------------------------------------

_TEX_COMMANDS = (
    "frac|dfrac|sqrt|sum|prod|int|oint|lim|log|exp|min|max|arg|argmin|argmax|mathcal|mathbf|mathbb|mathrm|"
    "mathit|boldsymbol|operatorname|text|left|right|cdot|cdots|ldots|times|partial|nabla|infty|leq|geq|neq|"
    "approx|sim|mid|quad|qquad|hat|bar|tilde|vec|overline|underline|alpha|beta|gamma|delta|epsilon|varepsilon|"
    "theta|lambda|mu|sigma|phi|varphi|omega|Omega|Sigma|Delta|Phi|Theta|Lambda|mathop|underset|overset"
)
_LEFTOVER = re.compile(rf"\\(?:begin|end)\{{[A-Za-z*]+\}}|\\(?:{_TEX_COMMANDS})(?![A-Za-z])|\$\$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1|<code\b[^>]*>.*?</code>", re.I)


def leftover_tex(protected: str, visible: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    """TeX a reader would see raw: commands or `$$` left in the `visible` text of the page (code, raw
    HTML and comments are not visible text), reported once per source line that holds them outside
    code.  Escaped dollars and prices are text, not TeX, and are not reported."""
    shown = {m.group(0) for m in _LEFTOVER.finditer(visible)}
    if not shown:
        return []
    found: list[Diagnostic] = []
    fence: str | None = None
    for no, line in enumerate(protected.split("\n"), first_line):
        m = _FENCE_OPEN.match(line)
        if m and fence is None:
            fence = m.group("fence")
            continue
        if fence is not None:
            if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
                fence = None
            continue
        hit = next((h for h in _LEFTOVER.findall(_CODE_SPAN.sub("", line)) if h in shown), None)
        if hit:
            found.append(warning(path, no, f"TeX outside math delimiters is shown as text: {hit!r}"))
    return found


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
    html_text = _own_paragraphs(html_text, [f.token for f in formulas if f.display])
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


_BR = r"<br\s*/?>\n?"


def _own_paragraphs(html_text: str, display_tokens: list[str]) -> str:
    """A display formula alone on a line of a paragraph (`text⏎$$x$$⏎text`) becomes a paragraph of its own,
    so it is drawn as a block between the text before and after it."""
    if not display_tokens:
        return html_text
    tokens = "|".join(re.escape(t) for t in display_tokens)
    line = re.compile(rf"(?P<open><p>|{_BR})(?P<token>{tokens})(?P<close>{_BR}|</p>)")

    def split(m: re.Match) -> str:
        before = "<p>" if m.group("open") == "<p>" else "</p>\n<p>"
        after = "</p>" if m.group("close") == "</p>" else "</p>\n<p>"
        return f"{before}{m.group('token')}{after}"

    previous = None
    while previous != html_text:  # adjacent formulas share a <br>: one more pass takes the next
        previous, html_text = html_text, line.sub(split, html_text)
    return html_text


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
