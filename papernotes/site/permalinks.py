"""Hexo's permalink patterns and post file names, as Hexo 4–7 expand them (pure): for site.yaml's
`permalink:` (posts keep the URLs of the blog they came from: `post_pattern`) and for `import hexo`
(the old URL of each post, which becomes a redirect).

`expand_permalink(":year/:month/:day/:title/", fields)` is what Hexo's `post_permalink` filter
(hexo/lib/plugins/filter/post_permalink.js) and hexo-util's `Permalink.stringify` give, made a
site-relative URL path the way the builder writes pages:

- every `:name` (`\\w*[^_\\W]` in ASCII: `:year_:month` is `:year`, then `_`) is replaced by its value;
  a name with no value becomes `undefined`, as JavaScript writes it (`unresolved` names them);
- leading slashes go (Hexo's router strips them); a path ending in `/` is a folder, one ending in
  `.html`/`.htm` a file, anything else a folder too (`:year/:title` is `2019/foo/`): Hexo wrote an
  extension-less file that browsers download, and GitHub Pages redirects `/2019/foo` to `/2019/foo/`.

The date is the post's wall-clock time in the site's time zone (`timezone:` of `_config.yml`); make it
aware so that `:timestamp` and `:hash` (which hash the Unix time) are right — a naive one counts as UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

PLACEHOLDER = re.compile(r":(\w*[^_\W])", re.ASCII)
DEFAULT_PERMALINK = ":year/:month/:day/:title/"
DEFAULT_NEW_POST_NAME = ":title.md"
# hexo-util slugize: control characters go, runs of these become one separator, none at the ends.
_SPECIAL = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""")
_CONTROL = re.compile(r"[\u0000-\u001f]")
# parseFilename's segments: what a date placeholder of `new_post_name` matches in a file name.
_NAME_SEGMENTS = {
    "year": r"(\d{4})",
    "month": r"(\d{2})",
    "day": r"(\d{2})",
    "i_month": r"(\d{1,2})",
    "i_day": r"(\d{1,2})",
    "hash": r"([0-9a-f]{12})",
}


@dataclass(frozen=True)
class PermalinkFields:
    """What a post's permalink can say.

    title: Hexo's `:title`, the post's slug: its path under `_posts/` without the extension, read
        through `new_post_name` (`post_slug`): `2019-05-01-foo.md` is `foo` with `:year-:month-:day-:title.md`,
        `lorem/hello-world.md` is `lorem/hello-world` with `:title.md`. (Hexo ignores a front-matter
        `slug:`; a caller that honours one passes it here.)
    post_title: the front-matter `title` (slugized, lower-cased for `:post_title`).
    categories: the names of the post's last category, from the top (`("A", "B")` for `categories: [A, B]`);
        `:category` is their slugs joined by `/`, or `default_category` when empty.
    abbrlink, id: front-matter values (hexo-abbrlink's `abbrlink:`; `id:` — Hexo's own ids do not last).
    extra: any other front-matter key a pattern may name (`:lang`), and `permalink_defaults`.
    """

    date: dt.datetime
    title: str
    post_title: str = ""
    categories: tuple[str, ...] = ()
    abbrlink: str | None = None
    id: str | None = None
    default_category: str = "uncategorized"
    category_map: tuple[tuple[str, str], ...] = ()  # _config.yml's category_map: name -> slug
    filename_case: int = 0  # _config.yml's filename_case: 1 lower-cases category slugs, 2 upper-cases
    extra: tuple[tuple[str, str], ...] = ()


def slugize(text: str, transform: int = 0) -> str:
    """hexo-util's slugize: diacritics dropped, punctuation and spaces to `-`; Chinese stays as it is."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SPECIAL.sub("-", _CONTROL.sub("", text)).strip("-")
    return text.lower() if transform == 1 else text.upper() if transform == 2 else text


def category_slug(fields: PermalinkFields) -> str:
    """`:category`: the last category's slug with its parents' (`A/B`), Hexo's Category.slug."""
    if not fields.categories:
        return fields.default_category
    mapped = dict(fields.category_map)
    return "/".join(slugize(str(mapped.get(name, name)), fields.filename_case) for name in fields.categories)


def field_values(fields: PermalinkFields) -> dict[str, str | None]:
    """Every placeholder's value (None: the post has none)."""
    d = fields.date
    stamp = int(d.timestamp() if d.tzinfo else d.replace(tzinfo=dt.UTC).timestamp())
    digest = hashlib.sha1(f"{fields.title}{stamp}".encode()).hexdigest()[:12] if fields.title else None
    values: dict[str, str | None] = dict(fields.extra)
    values |= {
        "year": f"{d.year:04d}",
        "month": f"{d.month:02d}",
        "day": f"{d.day:02d}",
        "i_month": str(d.month),
        "i_day": str(d.day),
        "hour": f"{d.hour:02d}",
        "minute": f"{d.minute:02d}",
        "second": f"{d.second:02d}",
        "timestamp": str(stamp),
        "title": fields.title,
        "name": posixpath.basename(fields.title),
        "post_title": slugize(fields.post_title, 1),
        "id": fields.id,
        "category": category_slug(fields),
        "hash": digest,
    }
    if fields.abbrlink is not None or "abbrlink" not in values:  # a front-matter value beats a default
        values["abbrlink"] = fields.abbrlink
    return values


def hexo_path(pattern: str, fields: PermalinkFields) -> str:
    """The pattern expanded exactly as Hexo does (leading slashes stripped), before folder/file rules."""
    values = field_values(fields)

    def value(m: re.Match) -> str:
        found = values.get(m.group(1))
        return "undefined" if found is None else found

    return PLACEHOLDER.sub(value, pattern).lstrip("/")


def site_path(path: str) -> str:
    """A Hexo output path as the site-relative path of a page: `a/b/`, or `a/b.html` for a file."""
    path = path.lstrip("/")
    if path.endswith("/index.html") or path == "index.html":
        return path.removesuffix("index.html")
    if not path or path.endswith("/"):
        return path
    return path if posixpath.splitext(path)[1].lower() in (".html", ".htm") else path + "/"


def expand_permalink(pattern: str, fields: PermalinkFields) -> str:
    """The site-relative URL path of a post (`2019/05/01/foo/`, `posts/1a2b.html`); see the module doc."""
    return site_path(hexo_path(pattern, fields))


def unresolved(pattern: str, fields: PermalinkFields) -> list[str]:
    """The placeholders of `pattern` this post has no value for (its old URL held `undefined` there)."""
    values = field_values(fields)
    return [name for name in PLACEHOLDER.findall(pattern) if values.get(name) is None]


def parse_post_name(new_post_name: str, rel_path: str) -> dict[str, str] | None:
    """hexo's parseFilename: the placeholders `new_post_name` finds in a post's path under `_posts/`
    (both without their extension), or None when the path does not match it."""
    rule = new_post_name[: len(new_post_name) - len(posixpath.splitext(new_post_name)[1])]
    path = rel_path[: len(rel_path) - len(posixpath.splitext(rel_path)[1])]
    names: list[str] = []
    regex, done = [], 0
    for m in PLACEHOLDER.finditer(rule):
        regex += [re.escape(rule[done : m.start()]), _NAME_SEGMENTS.get(m.group(1), "(.+?)")]
        names.append(m.group(1))
        done = m.end()
    regex.append(re.escape(rule[done:]))
    match = re.fullmatch("".join(regex), path, re.DOTALL)
    return dict(zip(names, match.groups())) if match else None


def post_slug(new_post_name: str, rel_path: str) -> str:
    """Hexo's slug (`:title`) of the post at `rel_path` under `_posts/`: `title` of `parse_post_name`,
    else the whole path slugized (`lorem/foo` becomes `lorem-foo` when the name does not match)."""
    info = parse_post_name(new_post_name, rel_path)
    if info is not None and "title" in info:
        return info["title"]
    return slugize(rel_path[: len(rel_path) - len(posixpath.splitext(rel_path)[1])])


def date_from_post_name(new_post_name: str, rel_path: str) -> dt.date | None:
    """The date a file name gives (`2019-05-01-foo.md` with `:year-:month-:day-:title.md`), Hexo's
    date for a post whose front matter has none."""
    info = parse_post_name(new_post_name, rel_path) or {}
    month, day = info.get("month") or info.get("i_month"), info.get("day") or info.get("i_day")
    if not (info.get("year") and month and day):
        return None
    try:
        return dt.date(int(info["year"]), int(month), int(day))
    except ValueError:
        return None


# -- site.yaml's `permalink:` -------------------------------------------------------------------


def post_fields(doc, date: dt.datetime, posts_dir: str, default_category: str = "uncategorized") -> PermalinkFields:
    """A post's placeholders. `:title` is its path below the posts folder without the extension, or the
    front matter's `slug` when it has one (a post written here later may name its URL so)."""
    meta = dict(doc.extra)
    below = posixpath.splitext(doc.path.removeprefix(posts_dir.strip("/") + "/"))[0]
    title = doc.slug if doc.slug != posixpath.basename(below) else below
    return PermalinkFields(
        date=date,
        title=title,
        post_title=doc.title,
        categories=doc.categories[-1] if doc.categories else (),
        abbrlink=str(meta["abbrlink"]) if meta.get("abbrlink") is not None else None,
        id=str(meta["id"]) if meta.get("id") is not None else None,
        default_category=default_category,
    )


def post_pattern(config, dates: dict[str, tuple]) -> Callable | None:
    """doc -> the path site.yaml's `permalink:` gives it (None without a pattern; an `undefined` left in it,
    a placeholder the post has no value for, gives None: the post keeps posts/<slug>/).
    `dates`: (date, updated) per document, site/dates.py."""
    if not config.permalink:
        return None
    default = str(dict(config.extra).get("default_category") or "uncategorized")

    def url(doc) -> str | None:
        fields = post_fields(doc, dates[doc.path][0], config.posts_dir, default)
        return None if unresolved(config.permalink, fields) else expand_permalink(config.permalink, fields)

    return url
