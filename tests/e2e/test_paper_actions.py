"""Issue 14 in real Chromium: the copy buttons put exactly the shown text on the clipboard -- BibTeX, GB/T 7714
and APA on a paper page (acceptance 5), a fenced code block with its language shown above it -- and a task
list shows its boxes, on a small site built for it (the seed notes hold no code)."""

from __future__ import annotations

import pytest
from sitebuild import build_site
from test_note_features import make_site

from .conftest import CHROMIUM, browser_available

pytestmark = pytest.mark.skipif(not browser_available(), reason=f"{CHROMIUM} not installed (and CI unset)")

PAPER = "papers/text-to-image-generation-with-semantic-spatial-aware-gan/"
NOTE = """---
title: 代码与清单
date: 2024-01-02
---

## 训练

```python
import torch
loss = torch.nn.functional.l1_loss(x, y)  # L1
```

- [x] 读论文
- [ ] 复现
"""


def _clipboard(tab) -> str:
    return tab.page.evaluate("navigator.clipboard.readText()")


def _allow_clipboard(tab) -> None:
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.site.origin)


def test_each_citation_copy_button_copies_its_reference(open_tab):
    tab = open_tab(width=1280, height=900)
    _allow_clipboard(tab)
    tab.goto(PAPER)
    page = tab.page
    buttons = page.locator(".cite button.copy-button")
    assert buttons.count() == 3
    for n, style in enumerate(("bibtex", "gbt7714", "apa")):
        button = buttons.nth(n)
        assert button.is_visible() and button.get_attribute("data-copy-target") == f"cite-{style}"
        button.click()
        page.wait_for_function("b => b.textContent === '已复制'", arg=button.element_handle())
        assert _clipboard(tab) == page.locator(f"#cite-{style}").text_content()
    assert _clipboard(tab).startswith("Hu, K., Liao, W., Yang, M. Y., & Rosenhahn, B. (2022).")
    assert tab.problems == []


@pytest.fixture(scope="module")
def code_site(tmp_path_factory, serve_folder):
    root = tmp_path_factory.mktemp("code-site")
    project, source = make_site(root, {"notes/code.md": NOTE})
    webroot = root / "www"
    report = build_site(source, webroot, project=project, search=False)
    assert report.errors == 0
    return serve_folder(webroot, "https://example.github.io/", webroot)


def test_a_code_block_shows_its_language_and_copies_its_code(open_tab, code_site):
    tab = open_tab(width=375, height=800, site=code_site)
    _allow_clipboard(tab)
    tab.goto("notes/code/")
    page = tab.page
    bar = page.locator(".prose .highlight .code-bar")
    assert bar.count() == 1 and bar.locator(".code-lang").text_content() == "python"
    bar.locator("button").click()
    code = page.locator(".prose .highlight code").text_content()
    page.wait_for_function("() => document.querySelector('.code-bar button').textContent === '已复制'")
    assert _clipboard(tab) == code and code.startswith("import torch\nloss = ")
    boxes = page.locator(".prose li.task-list-item input[type=checkbox]")
    assert boxes.count() == 2 and boxes.nth(0).is_checked() and not boxes.nth(1).is_checked()
    assert tab.problems == []
