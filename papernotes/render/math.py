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
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from papernotes.diagnostics import Diagnostic, warning

from ..config import MATH_CONVENTIONS as CONVENTIONS
from .delimiters import Block, Delimiters, UnescapedFinder, find_block, match_inline, split_prefix


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
    if "$" not in text and "\\" not in text:  # every delimiter has one: most titles and abstracts
        return text, []
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
        self.prefix = token_prefix("PNMATH", text)
        self.fence_ends = fence_ends(self.lines)
        self.unclosed: dict = {}  # display-block searches that failed (render/delimiters.py)

    def run(self) -> tuple[str, list[Formula]]:
        lines, i, run_start = self.lines, 0, None
        while i < len(lines):
            end = self.fence_ends.get(i)
            if end is not None:
                self._flush(run_start, i)
                run_start, i = None, end + 1  # code stays byte for byte
                continue
            block = find_block(lines, i, self.delims, self.unclosed)
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
        # A one-line block keeps its trailing blanks, so the text round-trips (they carry no meaning here).
        last = self.lines[j].rstrip("\r")
        tail = last[len(last.rstrip(" \t")) :] if len(lines) == 1 else ""
        lines[slot] = (block.prefix if quote else "") + indent + token + tail + eol
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
        find, code_spans = UnescapedFinder(), CodeSpans(s)
        counted, line = 0, start  # `line` holds s[counted]: counted on as pos moves, never from 0 again
        line_end = -1  # the end of the line holding pos (found again only when pos has passed it)
        while True:
            m = _SPECIAL.search(s, pos)
            if m is None:
                break
            pos, c = m.start(), m.group(0)
            if c == "`":
                pos = code_spans.end(pos)
                continue
            if pos > line_end:
                line_end = s.find("\n", pos) % (len(s) + 1)  # -1 (the last line) -> len(s)
            found = match_inline(s, pos, line_end, alone, self.delims, find)
            if found is None:
                # an escaped char (`\$`, `\``) is literal text; an unmatched run of dollars is skipped whole
                pos = pos + 2 if c == "\\" else _DOLLARS.match(s, pos).end()
                continue
            tex, display, end = found
            line, counted = line + s.count("\n", counted, pos), pos
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
_DOLLARS = re.compile(r"\$+")
_BACKTICKS = re.compile(r"`+")


def _blank(line: str) -> bool:
    return not line.strip()


def token_prefix(base: str, text: str) -> str:
    """`base` + as many `Q` as make a prefix that is nowhere in `text`, so tokens never collide with prose
    (one pass: the longest `Q` run after `base` in the text, plus one)."""
    runs = [len(m.group(1)) for m in re.finditer(re.escape(base) + "(Q*)", text)]
    return base + "Q" * (max(runs) + 1 if runs else 0)


def fence_ends(
    lines: list[str], opening: re.Pattern | None = None, closing_indent: int | None = None
) -> dict[int, int]:
    """Opening fence line -> its closing line (only closed fences are code, as in Python-Markdown).

    `opening` (groups: the fence, its info string) says which lines open a fence, `closing_indent` how far a
    closing line may be indented (any, by default). One backward sweep keeping, per fence character, the
    closing lines below that no nearer one outdoes (nearer and at least as long), longest last: the next
    closer at least n long is a binary search, and a long closer line costs its length once."""
    ends: dict[int, int] = {}
    below: dict[str, tuple[list[int], list[int]]] = {"`": ([], []), "~": ([], [])}  # (-lengths, lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i].rstrip("\r")
        m = (opening or _FENCE_OPEN).match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):  # CommonMark: no backtick in the info
            lengths, at = below[m.group(1)[0]]
            k = bisect_right(lengths, -len(m.group(1)))  # the closers at least this long: lengths[:k]
            if k:
                ends[i] = at[k - 1]
        close = line.strip()
        if len(close) >= 3 and close[0] in "`~" and close.count(close[0]) == len(close):
            if closing_indent is None or len(line) - len(line.lstrip(" ")) <= closing_indent:
                lengths, at = below[close[0]]
                while lengths and -lengths[-1] <= len(close):  # outdone by this nearer, longer one
                    lengths.pop()
                    at.pop()
                lengths.append(-len(close))
                at.append(i)
    return ends


class CodeSpans:
    """Where the code span opened by a backtick run ends: the next run of the same length (CommonMark),
    found through a table of runs by length built once per paragraph, not by a search per run."""

    def __init__(self, s: str):
        self.s = s
        self._runs: dict[int, list[int]] | None = None

    def end(self, pos: int) -> int:
        """Position after the code span opened at pos, or after the backtick run if unmatched."""
        close = self.close(pos)
        return close if close is not None else _BACKTICKS.match(self.s, pos).end()

    def close(self, pos: int) -> int | None:
        """Position after the code span opened at pos, or None when the run opens none."""
        run_end = _BACKTICKS.match(self.s, pos).end()
        if self._runs is None:
            self._runs = defaultdict(list)
            for m in _BACKTICKS.finditer(self.s):
                self._runs[m.end() - m.start()].append(m.start())
        same = self._runs.get(run_end - pos, [])
        k = bisect_right(same, run_end - 1)
        return same[k] + run_end - pos if k < len(same) else None


# -- what is left --------------------------------------------------------

_TEX_COMMANDS = (
    "frac|dfrac|sqrt|sum|prod|int|oint|lim|log|exp|min|max|arg|argmin|argmax|mathcal|mathbf|mathbb|mathrm|"
    "mathit|boldsymbol|operatorname|text|left|right|cdot|cdots|ldots|times|partial|nabla|infty|leq|geq|neq|"
    "approx|sim|mid|quad|qquad|hat|bar|tilde|vec|overline|underline|alpha|beta|gamma|delta|epsilon|varepsilon|"
    "theta|lambda|mu|sigma|phi|varphi|omega|Omega|Sigma|Delta|Phi|Theta|Lambda|mathop|underset|overset"
)
_LEFTOVER = re.compile(rf"\\(?:begin|end)\{{[A-Za-z*]+\}}|\\(?:{_TEX_COMMANDS})(?![A-Za-z])|\$\$")
_CODE_OPEN = re.compile(r"`|<code\b[^>]*>", re.I)
_CODE_CLOSE = re.compile(r"</code>", re.I)


def _without_code(line: str) -> str:
    """The line without its code spans (`` `…` `` and ``<code>…</code>``), in one pass: each closer is
    looked for once (a regex with a lazy body rescans the rest of the line from every unclosed opener)."""
    if "`" not in line and "<" not in line:
        return line
    spans, out, pos, at = CodeSpans(line), [], 0, 0
    closing: re.Match | None = None  # the last </code> found, and from where it was searched
    searched = len(line) + 1
    while (m := _CODE_OPEN.search(line, at)) is not None:
        if m.group(0) == "`":
            end = spans.close(m.start())
            at = end if end is not None else _BACKTICKS.match(line, m.start()).end()
        else:
            if not (searched <= m.end() and (closing is None or closing.start() >= m.end())):
                searched, closing = m.end(), _CODE_CLOSE.search(line, m.end())
            end, at = (closing.end(), closing.end()) if closing else (None, m.end())
        if end is not None:
            out.append(line[pos : m.start()])
            pos = end
    return "".join(out) + line[pos:]


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
        hit = next((h for h in _LEFTOVER.findall(_without_code(line)) if h in shown), None)
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
    folded = prefix.casefold()  # what a tag holding a token holds, whatever its case

    def attr_text(m: re.Match) -> str:
        f = by_token.get(m.group(0).upper())
        return html.escape(" ".join(f.tex.split()), quote=True) if f else m.group(0)

    def replace(m: re.Match) -> str:
        if m.group("tag"):
            tag = m.group("tag")
            return in_attr.sub(attr_text, tag) if folded in tag.casefold() else tag
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
    # Only a display token next to a <br> changes (`<p>TOKEN</p>` stays): most pages have none.
    prefix, wanted = re.escape(re.match(r"(.*?)\d+X$", display_tokens[0]).group(1)), set(display_tokens)
    near_br = re.compile(rf"{_BR}({prefix}\d+X)|({prefix}\d+X)(?=<br\b)")  # takes no <br> from the next
    if not any((m.group(1) or m.group(2)) in wanted for m in near_br.finditer(html_text)):
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
