"""YAML front matter: split it from the body, parse it safely and read its values by type.

Shared by posts and notes. MkDocs silently ignores broken front matter; we say
where it broke. The YAML is read by `papernotes.config.load_yaml` (no aliases,
bounded nesting, duplicate keys and impossible dates reported), and every known
key is read by its type: a value of the wrong type is a warning on the key's
line and is ignored, never a traceback and never a silent surprise.

Dates are kept as written: one with an offset (`2024-05-01 10:00:00+08:00`) is an
aware datetime, one without is naive, the wall-clock time of the site's time zone
(`timezone:` in site.yaml, as Hexo reads it). The build puts every date in that zone
(`papernotes.config.in_site_zone`); pages show its date part.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..config import InvalidDate, load_yaml
from ..diagnostics import Diagnostic, error, warning

_FENCE = re.compile(r"^---[ \t]*\r?$")  # a file saved with CRLF line ends too
_TRUE = frozenset(("true", "yes", "on", "1"))
_FALSE = frozenset(("false", "no", "off", "0", ""))
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
)
_DATE_SHAPE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)
YAML_LINE = 2  # the file line of the front matter's first YAML line (after the opening `---`)
EXPECTED_DATE = "expected YYYY-MM-DD [HH:MM[:SS]] with an optional UTC offset (+08:00)"


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based file line on which `body` starts
    present: bool  # the file had a front-matter block (even a broken one)
    lines: dict[str, int] = field(default_factory=dict)  # key -> 1-based file line
    nodes: dict[str, yaml.Node] = field(default_factory=dict, compare=False)  # key -> its YAML value as written

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def front_matter_end(lines: list[str]) -> int:
    """Index of the first body line after a leading ``---`` YAML block (0 when there is none)."""
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def split_front_matter(path: str, text: str) -> tuple[FrontMatter, list[Diagnostic]]:
    """Split `---` YAML front matter from the body.

    A block that is opened but never closed is reported and treated as body,
    so nothing the author wrote disappears.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0].lstrip("\ufeff")):
        return FrontMatter({}, text, 1, False), []
    for end in range(1, len(lines)):
        if _FENCE.match(lines[end]) or lines[end].rstrip() == "...":
            break
    else:
        return FrontMatter({}, text, 1, True), [error(path, 1, "front matter opened with '---' is never closed")]
    yaml_text = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :])
    doc, diags = load_yaml(yaml_text, path, first_line=YAML_LINE, label="invalid YAML front matter")
    if doc.data is None:
        return FrontMatter({}, body, end + 2, True), diags
    if not isinstance(doc.data, dict):
        return FrontMatter({}, body, end + 2, True), [
            *diags,
            error(path, 2, "front matter must be a mapping of keys to values"),
        ]
    meta = {str(k): v for k, v in doc.data.items()}
    return FrontMatter(meta, body, end + 2, True, doc.lines, doc.nodes), diags


def _written(node: yaml.Node | None, value: Any) -> str:
    """A scalar as the author wrote it (`title: 1984`, `slug: 007`, `title: yes`), not as YAML typed it."""
    return node.value if isinstance(node, yaml.ScalarNode) else str(value)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def text_value(path: str, fm: FrontMatter, key: str) -> tuple[str | None, list[Diagnostic]]:
    """title / description / slug: a string; a number, date or yes/no as written; anything else ignored."""
    value = fm.meta.get(key)
    if value is None:
        return None, []
    if isinstance(value, str):
        return value, []
    if isinstance(value, (int, float, dt.date)):
        return _written(fm.nodes.get(key), value), []
    return None, [warning(path, fm.line(key), f"'{key}' should be a string, got {_kind(value)}; ignored")]


def string_list(path: str, fm: FrontMatter, key: str) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """Tags, aliases: a flow list, a block list, a comma string or one value (items as written)."""
    return _strings(path, fm.meta.get(key), fm.nodes.get(key), fm.line(key), key)


def category_paths(path: str, fm: FrontMatter, key: str) -> tuple[tuple[tuple[str, ...], ...], list[Diagnostic]]:
    """Hexo's categories: a flat list is one path from the top (`[CV, Diffusion]` is CV › Diffusion); a
    list holding lists is one path per item (`[[CV, Diffusion], [Notes]]` is two, a plain item one level)."""
    value, node, line = fm.meta.get(key), fm.nodes.get(key), fm.line(key)
    if not isinstance(value, list) or not any(isinstance(item, list) for item in value):
        names, diags = _strings(path, value, node, line, key)
        return ((names,) if names else ()), diags
    items = node.value if isinstance(node, yaml.SequenceNode) and len(node.value) == len(value) else [None] * len(value)
    paths, diags = [], []
    for item, item_node in zip(value, items):
        at = YAML_LINE + item_node.start_mark.line if item_node is not None else line
        names, d = _strings(path, item if isinstance(item, list) else [item], item_node, at, key)
        paths, diags = paths + ([names] if names else []), diags + d
    return tuple(dict.fromkeys(paths)), diags


def _strings(path: str, value: Any, node, line: int, key: str) -> tuple[tuple[str, ...], list[Diagnostic]]:
    if value is None:
        return (), []
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip()), []
    if isinstance(value, (int, float, dt.date)):
        return (_written(node, value).strip(),), []
    if not isinstance(value, list):
        return (), [warning(path, line, f"'{key}' should be a list of strings, got {_kind(value)}; ignored")]
    items = node.value if isinstance(node, yaml.SequenceNode) and len(node.value) == len(value) else [None] * len(value)
    out: list[str] = []
    diags: list[Diagnostic] = []
    for item, item_node in zip(value, items):
        if isinstance(item, list):  # Hexo's hierarchical categories: [[a, b]]
            inner = item_node.value if isinstance(item_node, yaml.SequenceNode) else [None] * len(item)
            pairs = list(zip(item, inner)) if len(inner) == len(item) else [(x, None) for x in item]
        else:
            pairs = [(item, item_node)]
        for x, x_node in pairs:
            if x is None:
                continue
            if isinstance(x, (str, int, float, dt.date)):
                shown = x.strip() if isinstance(x, str) else _written(x_node, x).strip()
                if shown:
                    out.append(shown)
            else:
                at = YAML_LINE + x_node.start_mark.line if x_node is not None else line
                diags.append(warning(path, at, f"'{key}': an item that is {_kind(x)} is not a string; ignored"))
    return tuple(dict.fromkeys(out)), diags


def bool_value(path: str, fm: FrontMatter, key: str) -> tuple[bool | None, list[Diagnostic]]:
    """`draft`: true/false, yes/no, on/off, 1/0 — also quoted (`draft: 'false'` is false)."""
    value = fm.meta.get(key)
    if value is None or isinstance(value, bool):
        return value, []
    if isinstance(value, int) and value in (0, 1):
        return bool(value), []
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE, []
    shown = value if isinstance(value, str) else _kind(value)
    return None, [warning(path, fm.line(key), f"'{key}' should be true or false, got {shown!r}; ignored")]


def parse_date(path: str, line: int, value: Any) -> tuple[dt.datetime | None, list[Diagnostic]]:
    """Front matter dates: YAML dates/datetimes or strings like '2023-04-01 10:20' / ISO 8601 with an offset.

    Returns the datetime as written (aware when it has an offset), or None with an error: the document
    is still built, dated as if it gave no date (git / mtime)."""
    if value is None or value == "":
        return None, []
    if isinstance(value, InvalidDate):
        return None, []  # reported where YAML read it (papernotes.config.load_yaml)
    if isinstance(value, dt.datetime):
        return value, []
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), []
    if not isinstance(value, str):
        return None, [error(path, line, f"invalid date {value!r} ({_kind(value)}); {EXPECTED_DATE}")]
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt), []
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text), []
    except ValueError:
        pass
    return None, [error(path, line, f"invalid date {text[:80]!r}: {_date_problem(text)}")]


def _date_problem(text: str) -> str:
    """Why a date-shaped text is no date (`month must be in 1..12`), else what is expected."""
    m = _DATE_SHAPE.fullmatch(text)
    if m is None:
        return EXPECTED_DATE
    try:
        dt.datetime(*(int(g) for g in m.groups() if g is not None))
    except ValueError as exc:
        return str(exc)
    return EXPECTED_DATE
