"""Issue 14: one <h1> a page. A document's page shows its title as the <h1>; its body's headings follow."""

from __future__ import annotations

import re

from papernotes.render.markdown import MarkdownRenderer

renderer = MarkdownRenderer()


def headings(html: str) -> list[tuple[str, str]]:
    return [
        (tag, re.sub(r"<a class=\"headerlink\".*?</a>|<[^>]+>", "", text).strip())
        for tag, text in re.findall(r"<(h\d)[^>]*>(.*?)</\1>", html)
    ]


def test_the_typora_title_line_goes_and_the_rest_stays_at_its_level():
    text = "[TOC]\n\n# CVPR2022\n\n## Depth-Aware GAN\n\n### Method\n\n## Styleformer\n"
    out = renderer.render(text, "notes/a.md", title="CVPR2022")
    assert headings(out.html) == [("h2", "Depth-Aware GAN"), ("h3", "Method"), ("h2", "Styleformer")]
    assert [(t.level, t.name) for t in out.toc] == [(2, "Depth-Aware GAN"), (3, "Method"), (2, "Styleformer")]
    assert 'href="#depth-aware-gan"' in out.html  # the [TOC] lists what is left


def test_a_body_with_sections_as_h1_goes_down_one_level_under_the_page_title():
    text = "# 方法\n\n## 损失函数\n\n###### 小节\n\n# 实验\n"
    out = renderer.render(text, "posts/p.md", title="CVPR2022论文梳理")
    assert headings(out.html) == [("h2", "方法"), ("h3", "损失函数"), ("h6", "小节"), ("h2", "实验")]


def test_a_body_without_h1_and_text_that_is_not_a_document_keep_their_headings():
    assert headings(renderer.render("## A\n\n### B\n", "notes/a.md", title="T").html) == [("h2", "A"), ("h3", "B")]
    assert headings(renderer.render("# T\n\n## A\n", "x.md").html) == [("h1", "T"), ("h2", "A")]
    # A first heading that is not the title stays (as a section).
    out = renderer.render("# Intro\n\n# T\n", "notes/a.md", title="T")
    assert headings(out.html) == [("h2", "Intro"), ("h2", "T")]
