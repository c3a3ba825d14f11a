"""The block structure of rendered Markdown, for comparing papernotes with a CommonMark/GFM reference.

Both renderings are parsed with the stdlib `html.parser` into a small DOM, then reduced to a tree of
BLOCK nodes only: `(label, children)` tuples, where a document is the tuple of its top-level nodes. Labels
are tag names (`ul`, `li`, `p`, `h3`, `blockquote`, `pre`, `hr`, `div`, `details`, `summary`, `center`)
plus `ol start=N` (N != 1), `table RxC` (rows x columns), `footnotes` and `toc`. Everything inline is
dropped. Each normalization below is a difference of presentation, not of structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import unified_diff
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from papernotes.render.markdown import render_markdown

Node = tuple  # (label: str, children: tuple[Node, ...])

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Tags that end an open <p> (HTML5 "p end tag omitted" rule) — raw HTML blocks may leave a <p> open.
_CLOSES_P = {"blockquote", "center", "details", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre"}
_CLOSES_P |= {"section", "summary", "table", "ul"}
_HEADINGS = {f"h{n}" for n in range(1, 7)}
# Containers whose children are blocks; `summary`, headings and `p` hold inline content only.
_FLOW = {"blockquote", "center", "details", "div", "li"}
_BLOCK = _FLOW | _HEADINGS | {"hr", "ol", "p", "pre", "section", "summary", "table", "ul"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Element | str

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str):
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag:
                    yield child
                yield from child.find_all(tag)


class _DomBuilder(HTMLParser):
    """A forgiving DOM: unmatched end tags are ignored, unclosed elements end with their parent."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in _CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop()
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):  # `<img ... />`, `<hr />`
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    # Comments (`<!--more-->`, Typora notes-to-self), doctype and processing instructions are not content.


def parse_html(html: str) -> Element:
    builder = _DomBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _kind(element: Element) -> str | None:
    """The block label of an element, or None when it is inline (or dropped: a.headerlink is inline anyway)."""
    tag, classes = element.tag, element.classes()
    if tag == "div" and classes & {"highlight", "codehilite"}:
        return "pre"  # Python-Markdown's codehilite wraps <pre> in <div class="highlight">
    if tag == "div" and "toc" in classes:
        return "toc"  # the table of contents Python-Markdown's toc extension makes for a `[TOC]` line
    if tag == "div" and "footnote" in classes or tag == "section" and "footnotes" in classes:
        return "footnotes"  # Python-Markdown's <div class="footnote"><hr><ol> / markdown-it's <section>
    if tag == "hr" and "footnotes-sep" in classes:
        return None  # markdown-it's separator before <section class="footnotes">; the <div> above holds its own
    if tag == "p" and element.text().strip() == "[TOC]":
        return "toc"  # CommonMark has no [TOC]: the line stays a paragraph, which is the same place
    if tag in _BLOCK:
        return tag
    return None


def _has_content(item) -> bool:
    """Inline content that makes a paragraph: visible text or an image (a `<br>` or whitespace does not)."""
    if isinstance(item, str):
        return bool(item.strip())
    return item.tag == "img" or any(_has_content(c) for c in item.children)


def _has_block(element: Element) -> bool:
    return any(isinstance(c, Element) and (_kind(c) or _has_block(c)) for c in element.children)


def _flow(children: list, implicit_paragraphs: bool) -> tuple:
    """The block nodes among `children`. In a list item, each run of inline content between blocks is an
    implicit paragraph: a tight item's bare text and a loose item's <p> are the same structure. Elsewhere
    bare inline content only comes from raw HTML blocks (`<img>` on its own line, text inside `<div>`),
    which CommonMark does not wrap in <p> — so there it is not a paragraph. A <p> with nothing in it but
    `<br>` or whitespace is no paragraph either: it shows the same as the bare `<br>` CommonMark passes on."""
    nodes: list[Node] = []
    run = False
    for child in children:
        if isinstance(child, Element) and not _kind(child) and _has_block(child):
            child_nodes = _flow(child.children, implicit_paragraphs)  # an inline wrapper around blocks
        elif isinstance(child, Element) and _kind(child) == "p" and not _has_content(child):
            continue  # `<p><br></p>`: Typora's `<br>` spacer line, a raw HTML block in CommonMark
        elif isinstance(child, Element) and _kind(child):
            child_nodes = (_node(child),)
        else:
            run = run or _has_content(child)
            continue
        if run and implicit_paragraphs:
            nodes.append(("p", ()))
        run = False
        nodes.extend(child_nodes)
    if run and implicit_paragraphs:
        nodes.append(("p", ()))
    return tuple(nodes)


def _node(element: Element) -> Node:
    kind = _kind(element)
    if kind in ("pre", "toc", "hr", "p", "summary") or kind in _HEADINGS:
        return (kind, ())  # code text, heading text (and its headerlink permalink) are inline
    if kind == "table":
        rows = list(element.find_all("tr"))  # thead/tbody are presentation
        cells = [[c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")] for row in rows]
        return (f"table {len(rows)}x{max(map(len, cells), default=0)}", ())
    if kind == "footnotes":
        items = next(element.find_all("ol"), Element("ol", {})).children
        return ("footnotes", tuple(_node(li) for li in items if isinstance(li, Element) and li.tag == "li"))
    if kind in ("ul", "ol"):
        start = element.attrs.get("start", "1") if kind == "ol" else "1"
        label = kind if start in ("", "1") else f"ol start={start}"
        items = _flow(element.children, implicit_paragraphs=False)
        return (label, items)
    if kind == "section":
        return ("section", _flow(element.children, implicit_paragraphs=False))
    # li, blockquote, div, details, center; task-list checkboxes are inline <input>s and vanish here.
    return (kind, _flow(element.children, implicit_paragraphs=kind == "li"))


def block_tree(html: str) -> tuple:
    """The block tree of an HTML fragment: the tuple of its top-level block nodes."""
    return _flow(parse_html(html).children, implicit_paragraphs=False)


def papernotes_tree(text: str) -> tuple:
    # Math placeholder tokens (PNMATH0001X) in the HTML are plain inline text.
    return block_tree(render_markdown(text, "corpus/x.md").html)


_reference = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .enable("strikethrough")
    .use(tasklists_plugin)
    .use(footnote_plugin)
)


def reference_html(text: str) -> str:
    return _reference.render(text)


def reference_tree(text: str) -> tuple:
    return block_tree(reference_html(text))


def format_tree(tree: tuple, indent: int = 0) -> str:
    """One node a line, children indented two spaces: readable in an assertion message."""
    lines = []
    for label, children in tree:
        lines.append("  " * indent + label)
        if children:
            lines.append(format_tree(children, indent + 1))
    return "\n".join(lines) if lines else "  " * indent + "(empty)"


def describe_difference(ours: tuple, reference: tuple) -> str:
    a, b = format_tree(ours).splitlines(), format_tree(reference).splitlines()
    diff = "\n".join(unified_diff(a, b, "papernotes", "commonmark", lineterm="", n=2))
    left = max(len(line) for line in a + ["papernotes"]) + 4
    rows = [f"{'papernotes'.ljust(left)}commonmark"]
    for n in range(max(len(a), len(b))):
        rows.append(f"{(a[n] if n < len(a) else '').ljust(left)}{b[n] if n < len(b) else ''}")
    return "\n".join(rows) + "\n\n" + diff
