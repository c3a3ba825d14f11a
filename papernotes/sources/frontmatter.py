"""YAML front matter: split it from the body and parse it, reporting errors by line.

Shared by posts and notes. MkDocs silently ignores broken front matter; we say
where it broke.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from ..diagnostics import Diagnostic, error, warning

_FENCE = re.compile(r"^---[ \t]*$")


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based file line on which `body` starts
    present: bool  # the file had a front-matter block (even a broken one)


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
    meta, diags = parse_yaml_mapping(path, yaml_text, first_line=2)
    return FrontMatter(meta, body, end + 2, True), diags


def parse_yaml_mapping(path: str, text: str, first_line: int) -> tuple[dict[str, Any], list[Diagnostic]]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return {}, [error(path, line, f"invalid YAML front matter: {problem}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [error(path, first_line, "front matter must be a mapping of keys to values")]
    return {str(k): v for k, v in data.items()}, []


def string_list(path: str, line: int, key: str, value: Any) -> tuple[tuple[str, ...], list[Diagnostic]]:
    """Tags/categories: a flow list, a block list, a comma string or one value."""
    if value is None:
        return (), []
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip()), []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            if isinstance(item, (list, tuple)):  # Hexo's hierarchical categories: [[a, b]]
                out.extend(str(x).strip() for x in item if str(x).strip())
            elif item is not None and str(item).strip():
                out.append(str(item).strip())
        return tuple(dict.fromkeys(out)), []
    if isinstance(value, (int, float)):
        return (str(value),), []
    return (), [warning(path, line, f"'{key}' should be a list of strings, got {type(value).__name__}")]


def parse_date(path: str, line: int, value: Any) -> tuple[dt.datetime | None, list[Diagnostic]]:
    """Front matter dates: YAML dates/datetimes or strings like '2023-04-01 10:20'."""
    if value is None or value == "":
        return None, []
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None), []
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), []
    text = str(value).strip()
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d",
    ):
        try:
            return dt.datetime.strptime(text, fmt), []
        except ValueError:
            continue
    return None, [warning(path, line, f"cannot read date {text!r}; expected YYYY-MM-DD [HH:MM[:SS]]")]
