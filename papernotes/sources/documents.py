"""Posts and notes: Markdown files with optional Hexo-style YAML front matter.

Pure: (path, text, kind) -> Document + diagnostics. Dates the file itself does
not give (git / mtime fallback) are the build's business, not the reader's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..config import math_convention
from ..diagnostics import Diagnostic
from .frontmatter import bool_value, category_paths, parse_date, split_front_matter, string_list, text_value
from .text import heading_text

MORE_MARK = "<!--more-->"
_KNOWN_KEYS = {"title", "date", "updated", "description", "slug", "draft", "math", "permalink", "aliases"}
_KNOWN_KEYS |= {"tags", "tag", "categories", "category"}  # Hexo reads the singular spellings too
DRAFTS = "_drafts"  # a folder of drafts (Hexo's source/_drafts), anywhere below posts/ or notes/


@dataclass(frozen=True)
class Document:
    kind: str  # "post", "note" or "page" (a standalone page: pages/about.md)
    path: str  # site-relative source path, e.g. "posts/cvpr2022-papers.md"
    slug: str
    title: str
    date: dt.datetime | None  # from front matter; None -> the build supplies git/mtime date
    updated: dt.datetime | None
    tags: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]  # each a path from the top: ("CV", "Diffusion") is CV › Diffusion
    description: str
    body: str  # Markdown after the front matter
    body_line: int  # file line where `body` starts
    excerpt: str | None  # Markdown before <!--more-->, None when there is no marker
    draft: bool = False
    math: str = ""  # front matter `math:` (a convention of papernotes.config.MATH_CONVENTIONS); "" = the site's
    permalink: str = ""  # front matter `permalink:` (the page's URL path, as Hexo and Jekyll read it)
    aliases: tuple[str, ...] = ()  # old URL paths that redirect here (Hugo's `aliases:`)
    extra: tuple[tuple[str, Any], ...] = ()  # unknown front-matter keys (e.g. comment_title, abbrlink)

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.extra)


def slug_from_path(path: str) -> str:
    return PurePosixPath(path).stem


def read_document(path: str, text: str, kind: str) -> tuple[Document, list[Diagnostic]]:
    fm, diags = split_front_matter(path, text)
    meta = fm.meta
    values: dict[str, Any] = {}
    for key in ("title", "description", "slug", "permalink"):
        values[key], d = text_value(path, fm, key)
        diags += d
    for key in ("tags", "tag", "aliases"):
        values[key], d = string_list(path, fm, key)
        diags += d
    values["categories"], d = category_paths(path, fm, "categories")
    diags += d
    singular, d = category_paths(path, fm, "category")
    values["categories"], diags = tuple(dict.fromkeys(values["categories"] + singular)), diags + d
    for key in ("date", "updated"):
        values[key], d = parse_date(path, fm.line(key), meta.get(key))
        diags += d
    draft, d = bool_value(path, fm, "draft")
    diags += d

    math = ""
    if meta.get("math") is not None:
        math, d = math_convention(meta["math"], path, fm.line("math"), "the site's convention")
        math, diags = math or "", diags + d
    title = (values["title"] or "").strip() or _first_h1(fm.body) or slug_from_path(path)
    slug = (values["slug"] or "").strip() or slug_from_path(path)
    excerpt = fm.body.split(MORE_MARK, 1)[0] if MORE_MARK in fm.body else None
    extra = tuple(sorted((k, v) for k, v in meta.items() if k not in _KNOWN_KEYS))
    doc = Document(
        kind=kind,
        path=path,
        slug=slug,
        title=title,
        date=values["date"],
        updated=values["updated"],
        tags=tuple(dict.fromkeys(values["tags"] + values["tag"])),
        categories=values["categories"],
        description=(values["description"] or "").strip(),
        body=fm.body,
        body_line=fm.body_line,
        excerpt=excerpt,
        draft=bool(draft) or DRAFTS in PurePosixPath(path).parts[:-1],
        math=math,
        permalink=(values["permalink"] or "").strip(),
        aliases=values["aliases"],
        extra=extra,
    )
    return doc, diags


def _first_h1(body: str) -> str | None:
    in_fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        title = None if in_fence else heading_text(line, 1)
        if title:
            return title
    return None
