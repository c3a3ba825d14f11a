"""Shortcuts of render/math.py (issue 13) give what the full passes give: text without a delimiter
character is returned as it is, and a display formula is split out of its paragraph only where a <br>
is next to it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from papernotes.render import math
from papernotes.render.delimiters import Delimiters
from papernotes.render.katex import MathResult


@given(st.text(alphabet=st.characters(blacklist_characters="$\\")), st.sampled_from(["auto", "tex", "kramed"]))
def test_text_without_dollar_or_backslash_has_no_math(text, convention):
    full = math._Protector(text, 1, Delimiters(convention)).run()
    assert math.protect_math(text, 1, convention) == full == (text, [])


def _all_passes(html_text: str, display_tokens: list[str]) -> str:
    """_own_paragraphs without its shortcut (the passes as they were)."""
    if not display_tokens:
        return html_text
    tokens = "|".join(re.escape(t) for t in display_tokens)
    line = re.compile(rf"(?P<open><p>|{math._BR})(?P<token>{tokens})(?P<close>{math._BR}|</p>)")

    def split(m: re.Match) -> str:
        before = "<p>" if m.group("open") == "<p>" else "</p>\n<p>"
        after = "</p>" if m.group("close") == "</p>" else "</p>\n<p>"
        return f"{before}{m.group('token')}{after}"

    previous = None
    while previous != html_text:
        previous, html_text = html_text, line.sub(split, html_text)
    return html_text


TOKENS = [f"PNMATH{i:04d}X" for i in range(4)]
PIECES = [*TOKENS, "<p>", "</p>", "<br>", "<br>\n", "<br />", "<br/>\n", "\n", "x", "<br class=a>"]


@given(st.lists(st.sampled_from(PIECES), max_size=12), st.sets(st.sampled_from(TOKENS)))
def test_display_tokens_get_their_own_paragraph_as_before(pieces, display):
    html_text = "".join(pieces)
    wanted = [t for t in TOKENS if t in display]
    assert math._own_paragraphs(html_text, wanted) == _all_passes(html_text, wanted)


def test_tokens_in_attributes_of_any_case_are_still_replaced():
    formulas = [math.Formula("a<b", False, 1, "PNMATH0000X"), math.Formula("c", True, 1, "PNMATH0001X")]
    results = {("a<b", False): MathResult("<i>a</i>", None), ("c", True): MathResult("<b>c</b>", None)}
    html_text = '<p><img alt="pnmath0000x" title="PNMATH0001X">PNMATH0000X</p>\n<p>PNMATH0001X</p><a href="#x">y</a>'
    out, _ = math.fill_math(html_text, formulas, results, "notes/a.md")
    assert out == (
        '<p><img alt="a&lt;b" title="c"><span class="math-inline"><i>a</i></span></p>\n'
        '<div class="math-display"><b>c</b></div><a href="#x">y</a>'
    )
