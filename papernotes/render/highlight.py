"""Pygments for fenced code: its CSS (a light style plus a dark one for the dark theme), and the
highlighter of the Markdown pipeline, memoized by content."""

from __future__ import annotations

import functools
import inspect

from pygments.formatters import HtmlFormatter
from pymdownx.highlight import Highlight, HighlightExtension

from ..memo import Memo

# accessible-pygments' styles: every token at least 4.5:1 against the style's own background (WCAG AA).
LIGHT_STYLE = "a11y-light"
DARK_STYLE = "a11y-dark"
# The dark style applies when the reader chose it (data-theme, static/site.js), or follows a dark system.
_DARK_CHOSEN = ':root[data-theme="dark"] '
_DARK_SYSTEM = ':root:not([data-theme="light"]) '


@functools.lru_cache(maxsize=4)  # a function of the Pygments version: made once per process
def pygments_css(selector: str = ".highlight") -> str:
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(selector)
    chosen = HtmlFormatter(style=DARK_STYLE).get_style_defs(_DARK_CHOSEN + selector)
    system = HtmlFormatter(style=DARK_STYLE).get_style_defs(_DARK_SYSTEM + selector)
    system = "\n".join("  " + line for line in system.splitlines())
    return (
        f"/* Pygments {LIGHT_STYLE} (light) and {DARK_STYLE} (dark) */\n{light}\n{chosen}\n"
        f"@media (prefers-color-scheme: dark) {{\n{system}\n}}\n"
    )


# The settings of pymdownx's Highlight that shape its output (its constructor's arguments).
_SETTINGS = (
    "guess_lang pygments_style use_pygments noclasses linenums linenums_style linenums_special linenums_class "
    "extend_pygments_lang language_prefix code_attr_on_pre auto_title auto_title_map line_spans line_anchors "
    "anchor_linenums pygments_lang_class stripnl default_lang title_mode"
).split()


_SIGNATURE = inspect.signature(Highlight.highlight)


class MemoHighlightExtension(HighlightExtension):
    """pymdownx.highlight whose fenced code blocks are highlighted once per content: notes repeat the same
    snippets, and a Pygments formatter costs more to set up than a short block costs to colour.

    The memo's key is every input of the result (the block's code, language and options, and the
    highlighter's settings), so a hit is what Pygments would have made; a block whose output depends on
    more than that (an HTML title goes to Markdown's stash; inline code is a tree element) is not memoized."""

    def __init__(self, memo: Memo, **kwargs):
        super().__init__(**kwargs)
        self.memo = memo

        class MemoHighlight(Highlight):
            def highlight(self, src, language, *args, **kwargs):
                call = _SIGNATURE.bind(self, src, language, *args, **kwargs)
                call.apply_defaults()
                given = dict(call.arguments)
                del given["self"]
                if given["inline"] or self.title_mode == "html":
                    return super().highlight(src, language, *args, **kwargs)
                if not (self.line_spans or self.line_anchors):
                    given["code_block_count"] = 0  # only line ids (off here) name the block's number
                settings = tuple((name, repr(getattr(self, name))) for name in _SETTINGS)
                key = repr((settings, sorted((k, repr(v)) for k, v in given.items())))
                return memo.get(key, lambda: super(MemoHighlight, self).highlight(src, language, *args, **kwargs))

        self._highlighter = MemoHighlight

    def get_pymdownx_highlighter(self):
        return self._highlighter
