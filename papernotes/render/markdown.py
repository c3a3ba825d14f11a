"""The Markdown pipeline: notes and posts -> HTML fragments with math tokens.

Math is protected before Markdown sees the text (render/math.py) and filled in
after every document of the build is rendered, so KaTeX runs in one batch.
Everything here is pure apart from the `resolve` callback (which image files exist) the build gives.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape as escape_html
from html import unescape as unescape_html

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.emoji import gemoji, to_alt

from ..diagnostics import Diagnostic, error
from ..memo import Memo
from ..sources.documents import MORE_MARK
from ..sources.note_sections import join_broken_headings
from .blocks import normalize_blocks
from .bounds import LiteralTreeprocessor, bound_markdown
from .citations import CiteResolver, expand_citations
from .excerpt import MorePostprocessor, MoreTreeprocessor, excerpt_allowed, same_start
from .highlight import MemoHighlightExtension
from .images import HtmlImagePostprocessor, ImageRef, ImageTreeprocessor
from .math import Formula, leftover_tex, protect_math
from .outline import Outline, count_words, outline_of
from .tags import expand_tags

# Linear: a scan from `<img` stops at the next `<`, one from `![` at the next `![` (many openers before
# one `>` or `]` would each rescan to it); the images they find are the same.
_HTML_IMAGE_SRC = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_IMAGE_SRC = re.compile(r"!\[((?:[^\]!]|!(?!\[))*+)\]\(\s*+<?((?:[^)\s>!]|!(?!\[))++)>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    name: str  # HTML-escaped heading text (may hold math tokens)


@dataclass(frozen=True)
class Protected:
    """A text after `protect`: its tags expanded (TagResult), the text then, that text with math tokens and
    the formulas the tokens stand for."""

    tags: object
    text: str
    protected: str
    formulas: list[Formula]


@dataclass
class RenderedMarkdown:
    html: str  # still holds math tokens; fill them with render.math.fill_math
    formulas: list[Formula]
    toc: list[TocEntry]
    images: list[ImageRef]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    post_links: tuple = ()  # every `{% post_link %}` name asked and what it resolved to
    outline: Outline = Outline("", 0, ())  # the visible text, word count and links
    citations: tuple = ()  # every `[@key]` cited and what it resolved to (render/citations.py)
    excerpt: str | None = None  # with `more=True`: the HTML before `<!--more-->`, when cut from this parse


class _BlocksPreprocessor(Preprocessor):
    """CommonMark's lists and quotes in Python-Markdown's four-space dialect (render/blocks.py)."""

    def run(self, lines: list[str]) -> list[str]:
        return normalize_blocks("\n".join(lines)).split("\n")


_MATH_TOKEN = re.compile(r"PNMATHQ*\d+X")


class _OutlineTreeprocessor(Treeprocessor):
    """The document's text, words and links, read off the finished tree (render/outline.py)."""

    def __init__(self, md, renderer: MarkdownRenderer):
        super().__init__(md)
        self.renderer = renderer

    def run(self, root):
        self.renderer._state["outline"] = outline_of(root, _MATH_TOKEN)


class _HeadingsTreeprocessor(Treeprocessor):
    """One <h1> a page: the page's own title. A document's body whose first heading is an <h1> that says its
    title (Typora's `# Title` line, where the title came from) loses it; the body's other headings go down a
    level when it has an <h1> (`# 方法` under the title is a section, an <h2>). Only for a document given
    its `title`; before "toc" (5), which lists and numbers what is left."""

    def run(self, root):
        title = getattr(self.md, "papernotes_title", None)
        if title is None:
            return
        first = next((e for e in root if e.tag in _LEVELS), None)  # after a [TOC] line, say
        if first is not None and first.tag == "h1" and " ".join("".join(first.itertext()).split()) == title:
            root.remove(first)
        headings = [e for e in root.iter() if e.tag in _LEVELS]
        if any(e.tag == "h1" for e in headings):
            for e in headings:
                e.tag = _LEVELS[e.tag]


_LEVELS = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h5", "h5": "h6", "h6": "h6"}


class _PapernotesExtension(Extension):
    def __init__(self, renderer: MarkdownRenderer):
        super().__init__()
        self.renderer = renderer

    def extendMarkdown(self, md):
        if "$" not in md.ESCAPED_CHARS:  # `\$` is a literal dollar sign, as in TeX-aware editors
            md.ESCAPED_CHARS.append("$")
        # After "normalize_whitespace" (30, tabs expanded), before fences (25) and raw HTML (20) are stashed.
        md.preprocessors.register(_BlocksPreprocessor(md), "papernotes_blocks", 28)
        # After "inline" (20), before "toc" (5) reads the headings: a paragraph too long to format is text again.
        md.treeprocessors.register(LiteralTreeprocessor(md, self.renderer.literals), "papernotes_literals", 7)
        md.treeprocessors.register(_HeadingsTreeprocessor(md), "papernotes_headings", 6)
        md.treeprocessors.register(ImageTreeprocessor(md, self.renderer), "papernotes_images", 5)
        md.treeprocessors.register(_OutlineTreeprocessor(md, self.renderer), "papernotes_outline", 1)
        # After "raw_html" (30) has put HTML blocks back, before "amp_substitute" (20).
        md.postprocessors.register(HtmlImagePostprocessor(md, self.renderer), "papernotes_html_images", 25)
        # The excerpt from the same parse (render/excerpt.py): marked once the tree is done, cut last.
        md.treeprocessors.register(MoreTreeprocessor(md, self.renderer), "papernotes_more", 3)
        md.postprocessors.register(MorePostprocessor(md, self.renderer), "papernotes_more", 0)


@functools.cache
def _gemoji() -> dict:
    """pymdownx's Gemoji index, once per process: its own `gemoji` deep-copies the 1,800-entry index for every
    Markdown instance (~60 ms, paid by every new build), and the extension only reads it."""
    return gemoji({}, None)


def _shared_gemoji(options, md) -> dict:
    return _gemoji()


class MarkdownRenderer:
    """One configured Python-Markdown instance, reset between documents."""

    def __init__(self):
        self._state: dict = {}
        self.literals: dict[str, str] = {}  # this document's plain-text tokens (render/bounds.py)
        self.highlighted = Memo(limit=2_000)  # a fenced code block's every input -> its Pygments HTML
        self.md = markdown.Markdown(
            extensions=[
                "tables",
                "pymdownx.superfences",  # fences inside list items and quotes, as CommonMark has them
                MemoHighlightExtension(
                    self.highlighted,
                    css_class="highlight",
                    guess_lang=False,
                    use_pygments=True,
                    pygments_lang_class=True,
                ),
                "pymdownx.tasklist",
                "pymdownx.tilde",
                "pymdownx.emoji",
                "footnotes",
                "sane_lists",
                "nl2br",
                "md_in_html",
                "toc",
                _PapernotesExtension(self),
            ],
            extension_configs={
                "pymdownx.tilde": {"subscript": False},  # `~~gone~~` only: a lone `~` is text ("6 ~ 10")
                "pymdownx.emoji": {"emoji_index": _shared_gemoji, "emoji_generator": to_alt},  # :smile: -> the char
                "toc": {
                    "slugify": slugify_unicode,
                    "marker": "[TOC]",
                    "toc_class": "toc",
                    "permalink": "#",
                    "permalink_class": "headerlink",
                    "permalink_title": "本节链接",
                },
            },
            lazy_ol=False,
            output_format="html",
        )

    def render(
        self,
        text: str,
        path: str,
        first_line: int = 1,
        resolve: Callable[[str], str | None] = lambda src: None,
        base_path: str = "/",
        math: str = "auto",
        resolve_post: Callable[[str], tuple[str, str] | None] = lambda name: None,
        explain: Callable[[str], str] = lambda src: "image not found",
        resolve_cite: CiteResolver = lambda key: None,
        protected: Protected | None = None,
        more: bool = False,
        title: str | None = None,
    ) -> RenderedMarkdown:
        """`resolve(src)`: the site-relative file an image names, or None; `base_path`: where the site is
        served (a /root-absolute image's src is rewritten under it); `math`: the delimiter convention
        (render/delimiters.py); `resolve_post(name)`: (url, title) of the post a `{% post_link %}` names;
        `explain(src)`: why an image has no file (the start of its warning); `resolve_cite(key)`: the paper a
        `[@key]` citation names (render/citations.py); `protected`: `protect` of this text with these
        arguments, when it was made already (render/documents.py makes it to start KaTeX early); `more`: cut
        the excerpt (before `<!--more-->`) from this parse where that is what rendering it alone gives;
        `title`: the page's own title, when the text is a document's body (one <h1> a page).

        Never raises: a document Python-Markdown (or an extension) fails on is one error, and the page shows
        its text as it is, escaped, in a <pre>."""
        self.md.papernotes_title = title
        try:
            return self._render(
                text, path, first_line, resolve, base_path, math, resolve_post, explain, resolve_cite, protected, more
            )
        except Exception as exc:  # RecursionError too: what the bounds before Markdown did not foresee
            self._state = {}
            self.literals.clear()
            return _unrendered(text, path, first_line, exc)
        finally:
            self.md.papernotes_title = None

    def _render(
        self, text, path, first_line, resolve, base_path, math, resolve_post, explain, resolve_cite, done, more
    ) -> RenderedMarkdown:
        written = text
        tags, text, protected, formulas, cites = prepare(text, path, first_line, math, resolve_post, resolve_cite, done)
        bounded = bound_markdown(protected, path, first_line, frozenset(self.md.block_level_elements))
        # Budgets met as a whole (nothing changed) hold for the part before the marker too.
        unbounded = bounded.text == protected and not bounded.literals and not bounded.diagnostics
        if more and unbounded and excerpt_allowed(written):
            alone = prepare(written.split(MORE_MARK, 1)[0], path, first_line, math, resolve_post, resolve_cite)
            more = same_start(protected, alone[2])
        else:
            more = False
        image_lines: dict[str, list[int]] = defaultdict(list)
        for no, line in enumerate(text.split("\n"), first_line):
            for m in _IMAGE_SRC.finditer(line):
                image_lines[m.group(2)].append(no)
            for m in _HTML_IMAGE_SRC.finditer(line):
                image_lines[unescape_html(next(g for g in m.groups() if g is not None))].append(no)
        self._state = {
            "path": path,
            "first_line": first_line,
            "base_path": base_path,
            "resolve": resolve,
            "explain": explain,
            "image_lines": image_lines,
            "images": [],
            "diagnostics": [*tags.diagnostics, *cites.diagnostics, *bounded.diagnostics],
            "more": written.count(MORE_MARK) if more else 0,
        }
        self.literals.clear()
        self.literals.update(bounded.literals)
        self.md.reset()
        html = _ignore_permalinks(self.md.convert(bounded.text))
        toc = [TocEntry(t["level"], t["id"], t["name"]) for t in _flatten(getattr(self.md, "toc_tokens", []))]
        state, self._state = self._state, {}
        shown = state.get("outline", Outline("", 0, ()))
        diagnostics = [*state["diagnostics"], *leftover_tex(protected, shown.text, path, first_line)]
        excerpt = state.get("excerpt")
        excerpt = None if excerpt is None else _ignore_permalinks(excerpt.strip())
        rendered = RenderedMarkdown(html, formulas, toc, state["images"], diagnostics, tags.links, shown, cites.cited)
        rendered.excerpt = excerpt
        return rendered


def _ignore_permalinks(html: str) -> str:
    """Permalink "#" signs are navigation, not content: keep them out of the search index."""
    return html.replace('<a class="headerlink"', '<a class="headerlink" data-pagefind-ignore="all"')


def _unrendered(text: str, path: str, first_line: int, exc: Exception) -> RenderedMarkdown:
    """A document that could not be rendered: its text as it is, and one error saying why."""
    why = f"{type(exc).__name__}: {str(exc)[:200]}" if str(exc) else type(exc).__name__
    message = f"this document could not be rendered ({why}); the page shows its text as it is"
    visible = " ".join(text.split())
    html = f'<pre class="unrendered"><code>{escape_html(text, quote=False)}</code></pre>'
    return RenderedMarkdown(
        html, [], [], [], [error(path, first_line, message)], (), Outline(visible, count_words(visible), ()), ()
    )


def protect(text: str, path: str, first_line: int, math: str, resolve_post=lambda name: None) -> Protected:
    """The first steps before Markdown: tags expanded, broken headings joined, math cut out."""
    tags = expand_tags(text, path, first_line, resolve_post)
    text = join_broken_headings(tags.text)
    protected, formulas = protect_math(text, first_line, math)
    return Protected(tags, text, protected, formulas)


def prepare(
    text: str,
    path: str,
    first_line: int,
    math: str,
    resolve_post=lambda name: None,
    resolve_cite=None,
    protected: Protected | None = None,
):
    """What runs before Markdown: `protect`, then citations (on the text without math, so no formula is
    touched). Returns (TagResult, the text, the text with math tokens and citations, the formulas,
    CitationResult). `protected`: what `protect` made of these same arguments already (it is not redone)."""
    done = protected or protect(text, path, first_line, math, resolve_post)
    cites = expand_citations(done.protected, path, first_line, resolve_cite or (lambda key: None))
    return done.tags, done.text, cites.text, done.formulas, cites


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))


_default: MarkdownRenderer | None = None


def render_markdown(
    text: str,
    path: str,
    first_line: int = 1,
    resolve: Callable[[str], str | None] = lambda src: None,
    math: str = "auto",
) -> RenderedMarkdown:
    global _default
    if _default is None:
        _default = MarkdownRenderer()
    return _default.render(text, path, first_line, resolve, math=math)
