"""What a rendered document says, as data: its visible text (for summaries), word count and links.

Read from the HTML Python-Markdown made, here in render/ where that HTML's shape is known, so nothing
downstream parses it.  Math tokens are left out of the text (a formula is not prose), and so are
permalink anchors, code and footnote back-references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_SKIPPED = {"script", "style", "pre", "code"}


@dataclass(frozen=True)
class Outline:
    text: str  # the visible prose, whitespace collapsed
    words: int  # CJK characters count one each, Latin words one each (what a reader would call length)
    links: tuple[str, ...]  # every href, in order


def outline(html: str, math_token: re.Pattern | None = None) -> Outline:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    if math_token is not None:
        text = " ".join(math_token.sub(" ", text).split())
    return Outline(text, count_words(text), tuple(parser.links))


def count_words(text: str) -> int:
    return len(_CJK.findall(text)) + len(_WORD.findall(_CJK.sub(" ", text)))


def summary(text: str, limit: int = 120) -> str:
    return text[:limit] + ("…" if len(text) > limit else "")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip: list[str] = []  # open elements whose text is not prose

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        classes = (attributes.get("class") or "").split()
        if tag in _SKIPPED or {"headerlink", "footnote-backref", "missing-image"} & set(classes):
            self._skip.append(tag)
        elif self._skip and tag == self._skip[-1]:
            self._skip.append(tag)  # the same tag nested inside a skipped one
        if tag in {"p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div", "blockquote"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
