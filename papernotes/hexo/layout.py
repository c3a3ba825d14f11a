"""Where each file of a Hexo `source/` folder goes in papernotes' `site_src/` (pure).

- `_posts/<path>.md` -> `posts/<path>.md`; anything else under `_posts/` (asset folders) next to it;
- `_drafts/<path>` -> `posts/_drafts/<path>` (the builder publishes `_drafts` only with `--drafts`);
- other Markdown -> `pages/<path>` (`about/index.md` is published at `/about/`);
- every other file -> `<path>` (`images/logo.png` stays `/images/logo.png`).
Files and folders whose name starts with `_` or `.` are skipped, as Hexo skips them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

POSTS, DRAFTS = "_posts", "_drafts"
MARKDOWN = (".md", ".markdown")
# Rendered by Hexo's plugins, but no Markdown papernotes reads: copied as they are, and reported.
OTHER_RENDERED = (".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext", ".ejs", ".swig", ".njk", ".pug", ".jade", ".styl")
# site_src/ folders that hold papernotes' own content: a static file there would be read as content.
CONTENT_FOLDERS = ("notes", "papers", "pages", "posts")
SITE_CONFIG = "site.yaml"


@dataclass(frozen=True)
class Placement:
    kind: str  # "post", "draft", "asset" (under _posts/_drafts), "page", "static", "skip"
    target: str  # path under site_src/ ("" when skipped)
    note: str = ""  # why it was skipped, or what is not converted


def place(rel: str) -> Placement:
    """Where the file at `rel` (a POSIX path under `source/`) goes."""
    parts = PurePosixPath(rel).parts
    top, inner = parts[0], PurePosixPath(*parts[1:]).as_posix() if len(parts) > 1 else ""
    suffix = posixpath.splitext(rel)[1].lower()
    if top in (POSTS, DRAFTS) and inner:
        if _hidden(parts[1:]):
            return Placement("skip", "", "skipped: Hexo ignores names starting with _ or .")
        prefix = "posts/" if top == POSTS else "posts/_drafts/"
        if suffix in MARKDOWN:
            return Placement("post" if top == POSTS else "draft", prefix + inner)
        note = "copied as it is: papernotes reads posts from .md/.markdown only" if suffix in OTHER_RENDERED else ""
        return Placement("asset", prefix + inner, note)
    if _hidden(parts):
        return Placement("skip", "", "skipped: Hexo ignores names starting with _ or .")
    if suffix in MARKDOWN:
        return Placement("page", "pages/" + rel)
    if top in CONTENT_FOLDERS or rel == SITE_CONFIG:
        return Placement("skip", "", f"not copied: site_src/{top} is papernotes' own content")
    note = "copied unrendered: papernotes does not run Hexo's renderers" if suffix in OTHER_RENDERED else ""
    return Placement("static", rel, note)


def _hidden(parts) -> bool:
    return any(part.startswith(("_", ".")) for part in parts)


def page_url(rel: str) -> str:
    """A page's Hexo URL path: `about/index.md` -> `/about/`, `foo.md` -> `/foo.html`."""
    stem = posixpath.splitext(rel)[0]
    if stem == "index" or stem.endswith("/index"):
        return "/" + stem.removesuffix("index")
    return "/" + stem + ".html"


def builder_page_url(rel: str) -> str:
    """Where papernotes publishes `pages/<rel>`: the folder of its name (`foo.md` -> `/foo/`)."""
    stem = posixpath.splitext(rel)[0]
    return "/" + (stem.removesuffix("index").rstrip("/") + "/").lstrip("/")
