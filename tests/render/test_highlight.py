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
