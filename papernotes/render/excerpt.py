"""A document's excerpt (its part before `<!--more-->`) taken from the document's own parse.

Rendering the excerpt on its own meant converting the start of every such document twice. When the
marker is a block of its own at the top level of the document, the HTML before it is what the excerpt
alone renders to, provided nothing after the marker reaches back into the part before it (a reference
or footnote definition, `[TOC]`'s list of every heading, the budgets of render/bounds.py). Where that
cannot be told from the text, `excerpt_allowed` says no and the excerpt is rendered on its own as
before; tests/render/test_excerpt.py checks the two agree.

What comes before Markdown (tags, math, citations) is made of the excerpt alone as well, cheaply, and
must give the start of the document's (`same_start`).

How the place is found: a tree processor marks the marker's stashed HTML with SENTINEL, and a last
post-processor cuts the finished HTML there and takes SENTINEL out again (the document's HTML is
unchanged). The cut is used only when that marker is the first one the text holds and every marker
of the text is still raw HTML (none went into code or a formula).
"""

from __future__ import annotations

import re

from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ..sources.documents import MORE_MARK

SENTINEL = "<!--papernotes:excerpt-end-->"
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)  # with its data-pagefind-ignore
_HEADING = re.compile(r"<h[1-6](?:\s[^>]*)?>(.*?)</h[1-6]>", re.S)
_REFERENCE = re.compile(r"^[ \t]*\[[^\]\n]*\]:", re.M)  # a link reference or footnote definition


def excerpt_allowed(text: str) -> bool:
    """Can the excerpt of `text` (Markdown as written) be cut from the document's own parse?"""
    if MORE_MARK not in text or SENTINEL in text:
        return False
    before, after = text.split(MORE_MARK, 1)
    # A marker sharing its line with HTML may be put back elsewhere by Python-Markdown (`</div><!--more-->`
    # comes out after the paragraph below it): only one on a line of its own is where it was written.
    alone = not before[before.rfind("\n") + 1 :].strip() and not after.split("\n", 1)[0].strip()
    return alone and "[^" not in before and "[TOC]" not in before and _REFERENCE.search(after) is None


def same_start(whole: str, alone: str) -> bool:
    """Is `alone` (the text before the marker as render/markdown.prepare makes it on its own) the start of
    `whole` (the document so prepared)? Then no tag, formula or code span reaches across the marker.
    Both keep the lines of what they were made from: compare line by line up to the marker's."""
    start = alone.split("\n")
    return whole.split("\n", len(start) - 1)[: len(start) - 1] == start[:-1] and not start[-1].strip()


class MoreTreeprocessor(Treeprocessor):
    """Marks the first top-level block that is the marker alone, when the document's state asks for it
    (state["more"]: how many markers the text holds)."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer  # its `_state` is the document's

    def run(self, root):
        if not self.renderer._state.get("more"):
            return
        blocks = self.md.htmlStash.rawHtmlBlocks
        for child in root:
            m = HTML_PLACEHOLDER_RE.fullmatch((child.text or "").strip()) if child.tag == "p" else None
            at = int(m.group(1)) if m and not len(child) else len(blocks)
            stashed = blocks[at] if at < len(blocks) else None
            if isinstance(stashed, str) and stashed.strip() == MORE_MARK:
                blocks[at] = stashed.replace(MORE_MARK, MORE_MARK + SENTINEL, 1)
                return


class MorePostprocessor(Postprocessor):
    """Cuts the HTML at SENTINEL (state["excerpt"]: the HTML before the marker) and removes it."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, text: str) -> str:
        state = self.renderer._state
        if not state.get("more") or SENTINEL not in text:
            return text
        before, after = text.split(SENTINEL, 1)
        whole = before + after
        first = before.find(MORE_MARK)
        if first == len(before) - len(MORE_MARK) and whole.count(MORE_MARK) == state["more"]:
            state["excerpt"] = before[:first]
        return whole


def excerpt_html(html: str) -> str:
    """An excerpt is shown inside a list entry: no permalinks, and its headings become bold
    paragraphs so the list page keeps one <h1> and no ids that would clash there."""
    return _HEADING.sub(r'<p class="excerpt-heading"><strong>\1</strong></p>', _HEADERLINK.sub("", html))
