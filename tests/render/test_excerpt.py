"""The excerpt cut from a document's own parse (render/excerpt.py) is the excerpt rendered on its own.

Property: for any document with `<!--more-->`, either the cut is declined (and the build renders the
excerpt alone, as before) or its HTML, math filled in, is byte for byte what rendering the text before
the marker gives; the document's own HTML is the same with and without the cut."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.render.documents import DocumentRenderer
from papernotes.render.excerpt import SENTINEL, excerpt_allowed
from papernotes.render.katex import MathResult
from papernotes.render.markdown import MarkdownRenderer
from papernotes.render.math import fill_math
from papernotes.sources.documents import MORE_MARK, read_document

MORE = MORE_MARK
renderer = MarkdownRenderer()


def filled(html: str, formulas) -> str:
    results = {(f.tex, f.display): MathResult(f"<m>{f.tex}</m>", None) for f in formulas}
    return fill_math(html, formulas, results, "notes/a.md")[0]


def check(text: str) -> str | None:
    """The cut excerpt (None when declined), after asserting it is the excerpt rendered alone."""
    whole = renderer.render(text, "notes/a.md", 3, more=True)
    plain = renderer.render(text, "notes/a.md", 3)
    assert (whole.html, whole.formulas, whole.toc, whole.diagnostics) == (
        plain.html,
        plain.formulas,
        plain.toc,
        plain.diagnostics,
    )
    assert SENTINEL not in whole.html or SENTINEL in text
    if whole.excerpt is None:
        return None
    alone = renderer.render(text.split(MORE, 1)[0], "notes/a.md", 3)
    assert filled(whole.excerpt, whole.formulas) == filled(alone.html, alone.formulas)
    return whole.excerpt


@pytest.mark.parametrize(
    "text",
    [
        f"A\n\n{MORE}\n\nB",
        f"A\n{MORE}\nB",
        f"# Title\n{MORE}\ntext",
        f"- a\n- b\n\n{MORE}\n\nB",
        f"1. a\n2. b\n{MORE}\nB",
        f"> q\n> r\n\n{MORE}\nB",
        f"A $x_1$ and\n\n$$\na^2\n$$\n\n{MORE}\n\n$y$ B",
        f"| a | b |\n|---|---|\n| 1 | 2 |\n\n{MORE}\n\nafter",
        f"```python\nx = 1\n```\n\n{MORE}\n\nB",
        f"{MORE}\nonly after",
        f"A\n\n{MORE}\n\nB\n\n{MORE}\n\nC",
        f"![pic](a.png)\n\n{MORE}\n\nB",
    ],
)
def test_a_marker_of_its_own_is_cut_from_the_parse(text):
    assert check(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        f"A {MORE} B",  # inside a paragraph
        f"```\n{MORE}\n```\n\nB {MORE}",  # the first one is code: the excerpt alone is an unclosed fence
        f"<div>\n{MORE}\n</div>\n\nB",  # inside a raw HTML block
        f"See [the paper][p].\n\n{MORE}\n\n[p]: https://example.org",  # a reference defined after it
        f"A[^1]\n\n{MORE}\n\n[^1]: a note",  # a footnote
        f"[TOC]\n\n# A\n\n{MORE}\n\n# B",  # the list of every heading
        f"$$\na\n{MORE}\nb\n$$\n\nB",  # inside a formula
        f"> a\n>\n> {MORE}\n\nB",  # inside a quote
        f"A\n\n{MORE}{SENTINEL}\n\nB",  # our own mark written in the text
    ],
)
def test_a_marker_the_parse_cannot_be_cut_at_is_declined(text):
    assert check(text) is None


def test_documents_use_the_cut_and_render_the_rest_alone(tmp_path):
    docs = DocumentRenderer(tmp_path, None)
    cut, _ = read_document("posts/a.md", f"---\ntitle: A\n---\nIntro $x$\n\n{MORE}\n\nRest", "post")
    kept, _ = read_document("posts/b.md", f"---\ntitle: B\n---\nIntro {MORE} rest", "post")
    for doc, excerpt in ((cut, "<p>Intro PNMATH0000X</p>"), (kept, "<p>Intro </p>")):
        body, rendered = docs.render(doc, "digest")
        assert rendered.html == excerpt
        assert filled(rendered.html, rendered.formulas).startswith("<p>Intro")
        assert body.html.startswith("<p>Intro")


# Fragments a note is made of, some that reach across blocks (lists, quotes, fences, math, HTML).
FRAGMENTS = [
    "Plain prose with *emphasis* and `code`.",
    "A line\nand its continuation",
    "- item\n- item two\n  continued",
    "1. one\n2. two",
    "- outer\n    - inner",
    "> a quote\n> more",
    "> quote\nlazy line",
    "```\ncode\n```",
    "```",
    "    indented code",
    "$$\na + b\n$$",
    "$$",
    "Inline $x^2$ math and \\(y\\).",
    "$ 5 and $ 6",
    "# Heading",
    "Setext\n---",
    "Setext\n===",
    "***",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<div>\nraw\n</div>",
    "<div>",
    "</div>",
    '<details markdown="1">\n*md*\n</details>',
    "[link][ref]",
    "[ref]: https://example.org",
    "text[^n]",
    "[^n]: a footnote",
    "[TOC]",
    "![img](missing.png)",
    '<img src="x.png">',
    "{% raw %}",
    "{% endraw %}",
    "`open code",
    "a  \nhard break",
    "- [ ] task",
    "~~gone~~ :smile:",
    "[@key] cited",
    "{% codeblock %}",
    "{% endcodeblock %}",
    "<!-- a comment -->",
    "text <!--more--> inline",
    "<span>inline</span> html",
    "<https://example.org>",
    "\\$ escaped",
    "",
]


@st.composite
def documents(draw):
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=len(parts), max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, seps))
    at = draw(st.integers(0, len(text)))
    around = draw(st.sampled_from(["", "\n", "\n\n"]))
    more = around + MORE + draw(st.sampled_from(["", "\n", "\n\n"]))
    text = text[:at] + more + text[at:]
    if draw(st.booleans()):
        text += draw(st.sampled_from(["\n" + MORE, "\n\n[ref]: https://x.org\n", "\n\n" + MORE + "\n\ntail"]))
    return text


@settings(max_examples=400, deadline=None)
@given(documents())
def test_the_cut_excerpt_is_the_excerpt_rendered_alone(text):
    check(text)


@given(st.text(alphabet="ab\n[]^:<>!-TOC$`#> ", max_size=60))
def test_excerpt_allowed_never_raises(text):
    excerpt_allowed(text + MORE + text)
