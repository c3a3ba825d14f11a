"""Pygments CSS for fenced code: a light style plus a dark one under prefers-color-scheme."""

from __future__ import annotations

import functools

from pygments.formatters import HtmlFormatter

LIGHT_STYLE = "friendly"
DARK_STYLE = "monokai"


@functools.lru_cache(maxsize=4)  # a function of the Pygments version: made once per process
def pygments_css(selector: str = ".highlight") -> str:
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(selector)
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(selector)
    dark = "\n".join("  " + line for line in dark.splitlines())
    return (
        f"/* Pygments {LIGHT_STYLE} (light) and {DARK_STYLE} (dark) */\n{light}\n"
        f"@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    )
