"""Scraped text (titles, abstracts) to HTML: always escaped, `$…$` math kept as math, URLs as links."""

from __future__ import annotations

import html
import re

from ..diagnostics import Diagnostic
from .math import Formula, leftover_tex, protect_math

# A URL in escaped text, without the punctuation that usually follows one in prose.
_URL = re.compile(r"https?://[^\s<>\"'\u00a0]+[^\s<>\"'\u00a0.,;:!?)\]}]")


def text_with_math(text: str, first_line: int = 1, links: bool = False) -> tuple[str, list[Formula]]:
    """Escape everything; math becomes tokens for render.math.fill_math. Never Markdown.
    With `links` (abstracts, not titles, which are links themselves) every http(s) URL becomes a link."""
    protected, formulas = protect_math(text, first_line)
    if not links:
        return html.escape(protected, quote=False), formulas
    out, pos = [], 0
    for m in _URL.finditer(protected):
        url = html.escape(m.group(0), quote=True)
        out += [
            html.escape(protected[pos : m.start()], quote=False),
            f'<a href="{url}" rel="nofollow noopener">{url}</a>',
        ]
        pos = m.end()
    out.append(html.escape(protected[pos:], quote=False))
    return "".join(out), formulas


def raw_tex(text: str, path: str, line: int) -> list[Diagnostic]:
    """Scraped text shows everything outside math as it is: TeX there is a warning (render/math.py)."""
    protected, _ = protect_math(text, line)
    return leftover_tex(protected, protected, path, line)
