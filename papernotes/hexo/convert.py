"""One Hexo post -> the same post for papernotes (pure): only the keys it needs are added.

The text is kept byte for byte; new keys (`date:`, `aliases:`, `permalink:`) go right after the
opening `---` line, or into a new block when there is none. Hexo's old style — YAML first, then a
`---` line, no opening one — gets its opening line. Diagnostics name the written file and its lines.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from ..config import InvalidDate, load_yaml
from ..diagnostics import Diagnostic, error, warning
from ..render.tags import expand_tags
from ..site.permalinks import (
    PLACEHOLDER,
    PermalinkFields,
    date_from_post_name,
    expand_permalink,
    post_slug,
    site_path,
    unresolved,
)
from ..sources.frontmatter import split_front_matter
from .config import HexoConfig

_SEPARATOR = re.compile(r"-{3,}[ \t]*")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")
# What papernotes' builder makes its own way (its slugs, its ids), so a site-wide pattern may not match.
_OWN_SLUGS = {"category", "post_title", "id"}
_FILE_NAME = {"title", "name", "hash"}  # Hexo reads these off the file name through new_post_name


@dataclass(frozen=True)
class PostSource:
    """A post's front matter as Hexo reads it."""

    style: str  # "yaml" (a --- block), "bare" (YAML, then ---), "none", "broken"
    meta: dict[str, Any]
    lines: dict[str, int]  # key -> file line
    body: str
    body_line: int
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_post(path: str, text: str) -> PostSource:
    """The front matter of a post, `path` being the name to report (the written file)."""
    plain = text.replace("\r\n", "\n")  # same lines; papernotes' reader wants \n
    fm, diags = split_front_matter(path, plain)
    if fm.present:
        broken = any(d.level == "error" for d in diags) or not isinstance(fm.meta, dict)
        return PostSource("broken" if broken else "yaml", fm.meta, dict(fm.lines), fm.body, fm.body_line, diags)
    lines = plain.lstrip("\ufeff").split("\n")
    end = next((i for i, line in enumerate(lines) if _SEPARATOR.fullmatch(line)), None)
    if end:
        doc, bare_diags = load_yaml("\n".join(lines[:end]), path, first_line=1)
        if isinstance(doc.data, dict) and doc.data and not bare_diags:
            meta = {str(k): v for k, v in doc.data.items()}
            return PostSource("bare", meta, dict(doc.lines), "\n".join(lines[end + 1 :]), end + 2, [])
    return PostSource("none", {}, {}, plain, 1, [])


def hexo_categories(meta: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """Hexo's categories (`category:` when there is no `categories:`): a flat list is one hierarchy
    (`[A, B]` is A › B); a list holding a list is one hierarchy per item (`[[A], [B]]` is A and B)."""
    value = meta.get("categories") or meta.get("category")
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, list) for item in items):
        chains = [_names(item if isinstance(item, list) else [item]) for item in items]
        return tuple(dict.fromkeys(chain for chain in chains if chain))
    chain = _names(items)
    return (chain,) if chain else ()


def hexo_tags(meta: dict[str, Any]) -> tuple[str, ...]:
    value = meta.get("tags") or meta.get("tag")
    return _names(value if isinstance(value, list) else [value])


def _names(items: list) -> tuple[str, ...]:
    return tuple(str(x).strip() for x in items if x is not None and not isinstance(x, (list, dict)) and str(x).strip())


def wall_clock(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    """A front-matter date as the blog's wall-clock time: naive values are that zone's, as Hexo reads them."""
    moment = None
    if isinstance(value, InvalidDate):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        for fmt in _DATE_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            try:
                moment = dt.datetime.fromisoformat(text)
            except ValueError:
                return None
    if moment is None:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def written_date(source: PostSource, rel: str, config: HexoConfig) -> tuple[dt.datetime | None, str]:
    """The post's date and where it came from: "front matter", "file name" (new_post_name), or
    ("", None) when Hexo took the file's date (then ask git, else the file's mtime)."""
    zone = config.zone()
    if source.meta.get("date") not in (None, ""):
        return wall_clock(source.meta["date"], zone), "front matter"
    day = date_from_post_name(config.new_post_name, rel)
    if day is not None:
        return dt.datetime(day.year, day.month, day.day, tzinfo=zone), "file name"
    return None, ""


@dataclass(frozen=True)
class PostPlan:
    text: str  # what to write
    old_url: str | None  # the site-relative path Hexo published it at ("/2019/05/01/foo/")
    kept_by: str  # how old_url keeps working: "alias" (a redirect page), "pattern", "permalink", "" (it does not)
    tags: tuple[str, ...]
    categories: tuple[tuple[str, ...], ...]
    diagnostics: list[Diagnostic]


def plan_post(
    source: PostSource,
    text: str,
    rel: str,
    out_path: str,
    config: HexoConfig,
    date: dt.datetime | None,
    keep_urls: bool,
    draft: bool = False,
    known_posts: frozenset[str] = frozenset(),
    alias: bool = True,
) -> PostPlan:
    """`rel`: the path under `_posts/`; `date`: the post's date (front matter, file name, git or mtime);
    `alias=False` leaves the old URL out (another post had it first)."""
    meta, diags = source.meta, []
    tags, categories = hexo_tags(meta), hexo_categories(meta)
    if source.style == "broken":
        return PostPlan(text, None, "", tags, categories, [*source.diagnostics, *_tag_problems(source, out_path)])
    keys: list[str] = []
    if not draft and date is not None and meta.get("date") in (None, ""):
        if "date" in meta:
            empty = "date: is empty; Hexo dated the post by its file"
            diags.append(warning(out_path, source.lines.get("date", 1), empty))
        else:
            keys.append(f"date: {date.isoformat(sep=' ')}")
    old_url, kept_by = None, ""
    if not draft:
        old_url, kept_by, more_keys, more_diags = _old_url(source, rel, out_path, config, date, keep_urls)
        if not alias:
            kept_by, more_keys = "", [k for k in more_keys if not k.startswith(("aliases:", "permalink:"))]
        keys, diags = keys + more_keys, diags + more_diags
    shift = len(keys) + (1 if source.style == "bare" else 0) + (2 if source.style == "none" and keys else 0)
    below = 2 if source.style == "yaml" else 1  # the first line that moves down
    new_text = insert_front_matter(text, keys, source.style)
    moved = [_shifted(d, shift, below) for d in source.diagnostics + diags]
    problems = _tag_problems(source, out_path, shift, known_posts)
    return PostPlan(new_text, old_url, kept_by, tags, categories, moved + problems)


def _old_url(source: PostSource, rel: str, out_path: str, config: HexoConfig, date, keep_urls: bool):
    """(old URL, how it is kept, keys to add, diagnostics) for a published post."""
    meta, line = source.meta, source.lines.get
    if meta.get("permalink"):  # Hexo's own per-post URL; papernotes honours `permalink:` too
        return "/" + site_path(str(meta["permalink"])), "permalink", [], []
    if date is None:
        return None, "", [], [error(out_path, line("date", 1), "unreadable date: its old URL is unknown")]
    fields = permalink_fields(source, rel, config, date)
    missing = unresolved(config.permalink, fields)
    if missing:
        names = ", ".join(f":{m}" for m in missing)
        unknown = f"no value for {names} of permalink {config.permalink}; its old URL is unknown"
        return None, "", [], [warning(out_path, 1, unknown)]
    old = "/" + expand_permalink(config.permalink, fields)
    if keep_urls:  # the site-wide pattern keeps it, unless it needs what only Hexo knew: then pin it
        used = set(PLACEHOLDER.findall(config.permalink))
        renamed = fields.title != posixpath.splitext(rel)[0] or "slug" in meta
        if used & _OWN_SLUGS or (used & _FILE_NAME and renamed):
            return old, "permalink", [f"permalink: {json.dumps(old, ensure_ascii=False)}"], []
        return old, "pattern", [], []
    aliases = meta.get("aliases")
    if aliases is not None:
        listed = aliases if isinstance(aliases, list) else [aliases]
        if old in map(str, listed):
            return old, "alias", [], []
        return old, "", [], [warning(out_path, line("aliases", 1), f"has aliases: of its own; add {old} to keep it")]
    return old, "alias", [f"aliases: [{json.dumps(old, ensure_ascii=False)}]"], []


def plan_page(source: PostSource, text: str, out_path: str, old_url: str, new_url: str, known_posts=frozenset()):
    """A page: an `aliases:` entry when Hexo published it elsewhere (`/foo.html`, now `/foo/`)."""
    keys = []
    if source.style != "broken" and old_url != new_url and not source.meta.get("permalink"):
        if source.meta.get("aliases") is None:
            keys.append(f"aliases: [{json.dumps(old_url, ensure_ascii=False)}]")
    shift = len(keys) + (1 if source.style == "bare" else 0) + (2 if source.style == "none" and keys else 0)
    below = 2 if source.style == "yaml" else 1
    moved = [_shifted(d, shift, below) for d in source.diagnostics]
    problems = _tag_problems(source, out_path, shift, known_posts)
    kept_by = "alias" if keys else ""
    return PostPlan(insert_front_matter(text, keys, source.style), old_url, kept_by, (), (), moved + problems)


def permalink_fields(source: PostSource, rel: str, config: HexoConfig, date: dt.datetime) -> PermalinkFields:
    meta = source.meta
    chains = hexo_categories(meta)
    extra = dict(config.permalink_defaults)
    extra |= {k: str(v) for k, v in meta.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    return PermalinkFields(
        date=date,
        title=post_slug(config.new_post_name, rel),
        post_title=str(meta.get("title") or ""),
        categories=chains[-1] if chains else (),
        abbrlink=str(meta["abbrlink"]) if meta.get("abbrlink") not in (None, "") else None,
        id=str(meta["id"]) if meta.get("id") not in (None, "") else None,
        default_category=config.default_category,
        category_map=config.category_map,
        filename_case=config.filename_case,
        extra=tuple(sorted(extra.items())),
    )


def insert_front_matter(text: str, keys: list[str], style: str) -> str:
    """`keys` (whole lines) right after the opening `---`; a new block when there is none."""
    if not keys and style != "bare":
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    rest = text[len(bom) :]
    first = rest.find("\n")
    newline = "\r\n" if first > 0 and rest[first - 1] == "\r" else "\n"
    added = "".join(key + newline for key in keys)
    if style == "yaml":
        return bom + rest[: first + 1] + added + rest[first + 1 :]
    if style == "bare":
        return bom + "---" + newline + added + rest
    return bom + "---" + newline + added + "---" + newline + rest


def _shifted(diag: Diagnostic, shift: int, below: int) -> Diagnostic:
    return Diagnostic(diag.path, diag.line + shift, diag.level, diag.message) if diag.line >= below else diag


def _tag_problems(source: PostSource, out_path: str, shift: int = 0, known: frozenset[str] = frozenset()):
    """The Hexo tags papernotes does not convert (render/tags.py says which), at their written lines."""

    def resolve(name: str) -> tuple[str, str] | None:
        return ("", name) if name in known else None

    result = expand_tags(source.body, out_path, source.body_line + shift, resolve)
    return list(result.diagnostics)
