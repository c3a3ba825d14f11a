"""What a rendered document says, as data: its visible text (for summaries), word count and links.

Read from Python-Markdown's element tree once inline Markdown is done (a tree processor), here in
render/ where that tree is known, so nothing downstream parses the HTML.  Math tokens are left out of
the text (a formula is not prose), and so are code, permalink anchors and missing-image placeholders;
raw HTML the author wrote is not in the tree, so its text and links are not counted.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_STASHED = re.compile("\x02[^\x03]*\x03")  # Python-Markdown's placeholders for raw HTML
_SKIPPED_TAGS = {"pre", "code", "script", "style"}
_SKIPPED_CLASSES = {"headerlink", "footnote-backref", "footnote-ref", "missing-image", "toc"}


@dataclass(frozen=True)
class Outline:
    text: str  # the visible prose, whitespace collapsed
    words: int  # CJK characters count one each, Latin words one each (what a reader would call length)
    links: tuple[str, ...]  # every Markdown link's href, in order


def outline_of(root: etree.Element, math_token: re.Pattern) -> Outline:
    parts: list[str] = []
    links: list[str] = []
    _walk(root, parts, links)
    text = " ".join(math_token.sub(" ", _STASHED.sub(" ", "".join(parts))).split())
    return Outline(text, count_words(text), tuple(links))


def _walk(element: etree.Element, parts: list[str], links: list[str]) -> None:
    for child in element:
        if child.tag == "a" and child.get("href"):
            links.append(child.get("href"))
        skipped = child.tag in _SKIPPED_TAGS or bool(_SKIPPED_CLASSES & set((child.get("class") or "").split()))
        if not skipped:
            parts.append(" " if child.tag in _BLOCKS else "")
            parts.append(child.text or "")
            _walk(child, parts, links)
        parts.append(child.tail or "")


_BLOCKS = {"p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div", "blockquote", "dt", "dd"}


def count_words(text: str) -> int:
    return len(_CJK.findall(text)) + len(_WORD.findall(_CJK.sub(" ", text)))


def summary(text: str, limit: int = 120) -> str:
    return text[:limit] + ("…" if len(text) > limit else "")
