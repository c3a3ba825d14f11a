"""Images in a note: Markdown's `![]()` and Typora's `<img src>`, each resolved to a file of the site (and
recorded with its line), or a visible placeholder and a warning instead of a broken <img>. The processors read
the document's state from the renderer (render/markdown.py) that runs them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from html import escape as escape_html
from html import unescape as unescape_html

from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..diagnostics import warning


@dataclass(frozen=True)
class ImageRef:
    src: str  # as written: relative to the source file (or its Hexo asset folder), or /root-absolute
    line: int
    exists: bool
    resolved: str | None = None  # the file it names, relative to site_src/ (None: missing)


_SEEN = "data-pn-seen"


class ImageTreeprocessor(Treeprocessor):
    """Markdown images (`![]()`, reference-style): resolved, or a visible placeholder instead of a broken <img>."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        state = self.renderer._state
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img" or not is_local(child.get("src", "")):
                    continue
                src = child.get("src", "")
                child.set(_SEEN, "")  # the HTML-image pass below leaves it alone
                shown = _resolve(state, src)
                if shown is not None:
                    child.set("src", shown)
                    child.set("loading", "lazy")
                    continue
                holder = _placeholder(child.get("alt", ""), src)
                holder.tail = child.tail
                parent.remove(child)
                parent.insert(index, holder)


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_IMG_ATTR_SRC = re.compile(r"""(\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_IMG_ATTR_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def _resolve(state: dict, src: str) -> str | None:
    """Record the image; return the src to show (rewritten for a /root image), or None when it is missing."""
    lines = state["image_lines"].get(src)
    line = lines.pop(0) if lines else state["first_line"]
    resolved = state["resolve"](src)
    state["images"].append(ImageRef(src, line, resolved is not None, resolved))
    if resolved is None:
        state["diagnostics"].append(warning(state["path"], line, f"{state['explain'](src)}: {src}"))
        return None
    return state["base_path"] + resolved if src.startswith("/") else src


def _placeholder(alt: str, src: str) -> etree.Element:
    holder = etree.Element(
        "span", {"class": "missing-image", "role": "img", "aria-label": f"missing image: {alt or src}"}
    )
    label = etree.SubElement(holder, "span", {"class": "missing-image-alt"})
    label.text = alt or "image"
    code = etree.SubElement(holder, "code")
    code.text = src
    return holder


class HtmlImagePostprocessor(Postprocessor):
    """`<img src>` written as HTML (Typora inserts them), once Python-Markdown has put raw HTML back."""

    def __init__(self, md, renderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, text: str) -> str:
        return _IMG_TAG.sub(self._image, text)

    def _image(self, m: re.Match) -> str:
        tag = m.group(0)
        if _SEEN in tag:
            return tag.replace(f' {_SEEN}=""', "")
        src_m = _IMG_ATTR_SRC.search(tag)
        src = unescape_html(next((g for g in (src_m.groups()[1:] if src_m else ()) if g is not None), ""))
        if not is_local(src):
            return tag
        shown = _resolve(self.renderer._state, src)
        if shown is None:
            alt_m = _IMG_ATTR_ALT.search(tag)
            alt = unescape_html(next((g for g in (alt_m.groups() if alt_m else ()) if g is not None), ""))
            return etree.tostring(_placeholder(alt, src), encoding="unicode", method="html")
        if shown == src:
            return tag
        start, end = src_m.span()
        return f'{tag[:start]}{src_m.group(1)}"{escape_html(shown, quote=True)}"{tag[end:]}'


def is_local(src: str) -> bool:
    """A file of the site (relative, or /root-absolute), not a URL, data: URI or fragment."""
    return bool(src) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", src, re.I)
