"""Render posts and notes to HTML with math tokens, cached in memory and on disk by content hash."""

from __future__ import annotations

import hashlib
import os
import pickle
import posixpath
import re
import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from ..memo import Memo
from ..sources.documents import Document
from .citations import Citation, cited_keys
from .markdown import MarkdownRenderer, Protected, RenderedMarkdown, protect
from .tags import expand_tags


def _code_version() -> str:
    """Cached results are only valid for the code that made them: every module of render/ (so no new
    module can be forgotten), the note-section rules and the versions of the Markdown packages."""
    from importlib.metadata import version

    here = Path(__file__).resolve().parent
    versions = "\0".join(version(p) for p in ("markdown", "pygments", "pymdown-extensions"))
    digest = hashlib.sha256(versions.encode())
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update((here.parent / "sources" / "note_sections.py").read_bytes())
    return digest.hexdigest()[:16]


CACHE_VERSION = _code_version()
_IMAGE = re.compile(r"!\[(?:[^\]!]|!(?!\[))*+\]\(\s*+<?([^)\s>]+)")  # linear: see markdown._IMAGE_SRC


def prepare_tags(doc: Document):
    try:
        return expand_tags(doc.body, doc.path, doc.body_line)
    except Exception:  # only the key needs it here; the render reports what went wrong
        return expand_tags("", doc.path, doc.body_line)


class DocumentRenderer:
    def __init__(self, source: Path, cache_dir: Path | None):
        self.source = source.resolve()
        self.cache_dir = cache_dir
        self.markdown = MarkdownRenderer()
        self._memory = Memo(limit=5_000)
        self._images = Memo(limit=50_000)  # (path, file digest) -> the image paths its text names
        self._post_names = Memo(limit=50_000)  # (path, file digest) -> the posts its `{% post_link %}`s name
        self._cite_keys = Memo(limit=50_000)  # (path, file digest) -> the keys its `[@key]`s may name
        self.math = "auto"  # the site's math convention (a document's front matter overrides it)
        self.posts: dict[str, tuple[str, str]] = {}  # post name (file stem or slug) -> (url, title)
        self.citations = {}  # citation key -> Citation (a mapping; the site makes it: site/views.py)
        # `protect` of a body, made by `formulas` (to start KaTeX early) and taken by `render`; only for one
        # batch (`begin` forgets it): what a `{% post_link %}` resolves to is part of it.
        self._protected: dict[tuple, Protected] = {}

    def begin(self, math: str, posts: dict[str, tuple[str, str]], citations) -> None:
        """A new batch: the site's math convention, the posts and the papers citations may name."""
        self.math, self.posts, self.citations = math, posts, citations
        self._protected.clear()

    def convention(self, doc: Document) -> str:
        return doc.math or self.math

    def resolve_post(self, name: str) -> tuple[str, str] | None:
        return self.posts.get(name)

    def resolve_cite(self, key: str) -> Citation | None:
        return self.citations.get(key)

    def resolve_image(self, doc: Document, src: str) -> str | None:
        """The file an image names, relative to site_src/, or None.

        `/images/x.png` is from site_src/'s root; anything else is relative to the document, else to its
        Hexo asset folder (`Post.md` with `Post/1.png`, written `1.png`). Never a file outside site_src/.
        """
        for rel in _candidates(doc, src):
            if rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
                continue
            target = (self.source / rel).resolve()
            if self.source in target.parents and target.is_file():
                return rel
        return None

    def image_problem(self, doc: Document, src: str) -> str:
        """Why `resolve_image` found no file: none there, or one that is a link out of site_src/."""
        for rel in _candidates(doc, src):
            if rel.startswith("../") or rel == "..":
                return "image refused (outside site_src/)"
            if os.path.lexists(self.source / rel):
                return "image refused (a link to a file outside site_src/)"
        return "image not found"

    def key(self, doc: Document, digest: str, base_path: str = "/") -> str:
        # Which file each referenced image names (or that none exists) is part of the input.
        images = self._images.get((doc.path, digest), lambda: sorted({m.group(1) for m in _IMAGE.finditer(doc.body)}))
        state = "\0".join(f"{src}={self.resolve_image(doc, src)}" for src in images)
        # ... and so is what each post a `{% post_link %}` names is (its URL and title), or that it is missing.
        names = self._post_names.get((doc.path, digest), lambda: sorted({n for n, _ in prepare_tags(doc).links}))
        links = "\0".join(f"{name}={self.resolve_post(name)}" for name in names)
        # ... and what each key a `[@key]` may cite resolves to (the paper's page, label, title), or that none does.
        keys = self._cite_keys.get((doc.path, digest), lambda: cited_keys(doc.body))
        cites = "\0".join(f"{key}={tuple(self.resolve_cite(key) or ())}" for key in keys)
        parts = (CACHE_VERSION, doc.path, digest, str(doc.body_line), base_path, state, self.convention(doc), links)
        parts += (cites, doc.title)  # the body's headings follow the page's title (one <h1> a page)
        raw = "\0".join(parts)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def render(
        self, doc: Document, digest: str, base_path: str = "/"
    ) -> tuple[RenderedMarkdown, RenderedMarkdown | None]:
        key = self.key(doc, digest, base_path)
        hit = self._memory.peek(key) or self._load(key)
        if hit is not None and not self.images_unchanged(doc, hit[0].images):
            hit = None
        if hit is None:
            resolve = lambda src: self.resolve_image(doc, src)  # noqa: E731
            render = partial(
                self.markdown.render,
                path=doc.path,
                first_line=doc.body_line,
                resolve=resolve,
                base_path=base_path,
                math=self.convention(doc),
                resolve_post=self.resolve_post,
                explain=lambda src: self.image_problem(doc, src),
                resolve_cite=self.resolve_cite,
            )
            protected = self._protected.pop(self._protect_key(doc), None)
            body = render(doc.body, protected=protected, more=doc.excerpt is not None, title=doc.title)
            excerpt = None
            if doc.excerpt is not None and body.excerpt is not None:  # cut from the body's own parse
                excerpt = RenderedMarkdown(body.excerpt, body.formulas, [], [])
            elif doc.excerpt is not None:
                excerpt = render(doc.excerpt, title=doc.title)
            hit = (body, excerpt)
            self._store(key, hit)
        return self._memory.get(key, lambda: hit)

    def adopt(self, doc: Document, digest: str, base_path: str, result: tuple) -> tuple:
        """`render`'s result for `doc` made by another process (render/parallel.py), kept as if made here."""
        self._protected.pop(self._protect_key(doc), None)
        return self._memory.get(self.key(doc, digest, base_path), lambda: result)

    def images_unchanged(self, doc: Document, images) -> bool:
        """Does every image a rendering checked still name the same file (or still none)? The key sees
        only `![](src)` images; this catches every other kind (HTML, reference-style) that came or went."""
        return all(self.resolve_image(doc, i.src) == i.resolved for i in images)

    def formulas(self, doc: Document) -> set[tuple[str, bool]]:
        """The formulas a document will need, without running Markdown (to start KaTeX early)."""
        try:
            done = protect(doc.body, doc.path, doc.body_line, self.convention(doc), self.resolve_post)
        except Exception:  # the render says why, as the document's one error (render/markdown.py)
            return set()
        self._protected[self._protect_key(doc)] = done
        return {(f.tex, f.display) for f in done.formulas}

    def _protect_key(self, doc: Document) -> tuple:
        return (doc.path, doc.body_line, self.convention(doc), doc.body)

    def _path(self, key: str) -> Path | None:
        return self.cache_dir / key[:2] / f"{key}.pickle" if self.cache_dir else None

    def _load(self, key: str):
        path = self._path(key)
        if path is None:
            return None
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # a damaged or foreign file (any unpickling error): a cache only ever costs time
            return None

    def _store(self, key: str, value) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def _candidates(doc: Document, src: str) -> list[str]:
    """The site-relative paths an image's src may name, in the order they are tried (resolve_image)."""
    path = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return []
    if path.startswith("/"):
        return [posixpath.normpath(path.lstrip("/"))]
    folder, stem = posixpath.dirname(doc.path), posixpath.splitext(posixpath.basename(doc.path))[0]
    return [posixpath.normpath(posixpath.join(folder, path)), posixpath.normpath(posixpath.join(folder, stem, path))]
