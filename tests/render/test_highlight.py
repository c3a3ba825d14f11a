"""Fenced code highlighted once per content (render/highlight.py): the same HTML as pymdownx's own
highlighter, block options included, and a repeated block is a memo hit."""

from __future__ import annotations

import re

import markdown
import pytest

from papernotes.render.markdown import MarkdownRenderer

BLOCKS = [
    "```python\nimport torch\nx = torch.zeros(3)\n```",
    '```python hl_lines="2"\na = 1\nb = 2\n```',
    '```python linenums="3"\na = 1\nb = 2\n```',
    '```python title="train.py"\nprint(1)\n```',
    "```\nno language\n```",
    "```nosuchlanguage\nstill shown\n```",
    "~~~js\nconst a = 1;\n~~~",
    "- in a list\n\n    ```bash\n    echo hi\n    ```",
]


def plain_pymdownx(text: str) -> str:
    """pymdownx's highlighter with our settings, no memo."""
    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={
            "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "pygments_lang_class": True}
        },
    )
    return md.convert(text)


def ours(renderer: MarkdownRenderer, text: str) -> str:
    renderer.md.reset()
    return renderer.md.convert(text)


@pytest.mark.parametrize("block", BLOCKS)
def test_memoized_highlighting_is_pymdownx_highlighting(block):
    renderer = MarkdownRenderer()
    first, again = ours(renderer, block), ours(renderer, block)
    assert first == again
    expected = plain_pymdownx(block)
    blocks = lambda html: re.findall(r'<div class="(?:language-\S+ )?highlight">', html)  # noqa: E731
    assert len(blocks(first)) == len(blocks(expected)) >= 1
    pick = lambda html: re.search(r'<div class="[^"]*highlight">.*?</div>', html, re.S).group(0)  # noqa: E731
    assert pick(first) == pick(expected)


def test_a_repeated_block_is_highlighted_once_and_options_are_part_of_the_key():
    renderer = MarkdownRenderer()
    for _ in range(3):
        renderer.render(BLOCKS[0], "notes/a.md")
    assert (renderer.highlighted.misses, renderer.highlighted.hits) == (1, 2)
    renderer.render(BLOCKS[1], "notes/a.md")
    renderer.render(BLOCKS[1].replace('"2"', '"1"'), "notes/a.md")
    assert renderer.highlighted.misses == 3


def test_two_blocks_of_one_document_keep_their_own_html():
    renderer = MarkdownRenderer()
    text = "```python\na = 1\n```\n\ntext\n\n```python\na = 1\n```\n\n```python\nb = 2\n```"
    html = renderer.render(text, "notes/a.md").html
    assert html.count('<div class="language-python highlight">') == 3  # the language names the block (site.js)
    assert html.count('<span class="n">a</span>') == 2 and html.count('<span class="n">b</span>') == 1


def _luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_every_code_colour_reads_at_4_5_to_1_in_both_themes():
    """Issue 14: Pygments' light tokens were 3.0-3.9:1 ("friendly"); each style's every token against its own
    background (which the code block shows: style.css leaves it to Pygments) is WCAG AA."""
    from pygments.styles import get_style_by_name

    from papernotes.render.highlight import DARK_STYLE, LIGHT_STYLE, pygments_css

    for name in (LIGHT_STYLE, DARK_STYLE):
        style = get_style_by_name(name)
        for token, spec in style:
            if spec["color"]:
                a, b = sorted((_luminance(spec["color"]), _luminance(spec["bgcolor"] or style.background_color)))
                assert (b + 0.05) / (a + 0.05) >= 4.5, (name, token, spec["color"])
    css = pygments_css()
    assert ':root[data-theme="dark"] .highlight .k ' in css  # the reader's choice ...
    assert "@media (prefers-color-scheme: dark)" in css and ':root:not([data-theme="light"]) .highlight' in css
