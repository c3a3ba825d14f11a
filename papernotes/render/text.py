"""Scraped text (titles, abstracts) to HTML: always escaped, `$…$` math kept as math."""

from __future__ import annotations

import html

from .math import Formula, protect_math


def text_with_math(text: str, first_line: int = 1) -> tuple[str, list[Formula]]:
    """Escape everything; math becomes tokens for render.math.fill_math. Never Markdown."""
    protected, formulas = protect_math(text, first_line)
    return html.escape(protected, quote=False), formulas
