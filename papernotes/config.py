"""site_src/site.yaml -> SiteConfig: defaults, validation, file:line errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, error, warning

CONFIG_NAME = "site.yaml"


@dataclass(frozen=True)
class TopicRule:
    slug: str
    name: str
    name_zh: str
    keywords: tuple[str, ...]  # matched case-insensitively as words/phrases


@dataclass(frozen=True)
class SiteConfig:
    root: Path  # the folder that holds site.yaml
    title: str = "papernotes"
    description: str = ""
    language: str = "zh-CN"
    author: str = ""
    base_url: str = "/"
    cname: str | None = None
    papers_per_page: int = 50
    posts_dir: str = "posts"
    notes_dir: str = "notes"
    papers_dir: str = "papers"
    formats: tuple[tuple[str, str], ...] = ()  # (glob, format name)
    author_aliases: tuple[tuple[str, str], ...] = ()
    topics: tuple[TopicRule, ...] | None = None  # None: use the built-in default topic set
    math: str = "auto"  # the math delimiter convention of every document (front matter `math:` overrides)
    extra: tuple[tuple[str, Any], ...] = ()  # unknown keys, available to templates

    @property
    def aliases(self) -> dict[str, str]:
        return dict(self.author_aliases)

    def with_base_url(self, base_url: str) -> SiteConfig:
        from dataclasses import replace

        return replace(self, base_url=base_url)


_STR_KEYS = ("title", "description", "language", "author", "base_url", "posts_dir", "notes_dir", "papers_dir")
_KNOWN = set(_STR_KEYS) | {"cname", "papers_per_page", "formats", "author_aliases", "topics", "math"}
# Which math delimiters a document uses (papernotes/render/delimiters.py says what each accepts).
MATH_CONVENTIONS = ("auto", "tex", "kramed")


def math_convention(value: Any, path: str, line: int, instead: str = "auto") -> tuple[str | None, list[Diagnostic]]:
    """A `math:` value from site.yaml or front matter: the convention, or None with a warning saying
    what is used `instead`."""
    name = str(value).strip().lower()
    if name in MATH_CONVENTIONS:
        return name, []
    choices = ", ".join(MATH_CONVENTIONS)
    return None, [warning(path, line, f"math: {value!r} is not one of {choices}; using {instead}")]


def _line_of_key(text: str, key: str) -> int:
    for no, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return no
    return 1


def parse_config(root: Path, text: str, path: str = CONFIG_NAME) -> tuple[SiteConfig, list[Diagnostic]]:
    """Parse site.yaml text. Bad values fall back to defaults with a diagnostic."""
    diags: list[Diagnostic] = []
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        diags.append(error(path, line, f"invalid YAML: {getattr(exc, 'problem', exc)}"))
        return SiteConfig(root=root), diags
    if data is None:
        data = {}
    if not isinstance(data, dict):
        diags.append(error(path, 1, "site.yaml must be a mapping of keys to values"))
        return SiteConfig(root=root), diags

    values: dict[str, Any] = {}
    for key in _STR_KEYS:
        if key in data and data[key] is not None:
            if isinstance(data[key], (str, int, float)):
                values[key] = str(data[key])
            else:
                diags.append(error(path, _line_of_key(text, key), f"'{key}' must be a string"))
    if data.get("cname"):
        values["cname"] = str(data["cname"]).strip()
    if "math" in data:
        convention, d = math_convention(data["math"], path, _line_of_key(text, "math"))
        diags += d
        if convention:
            values["math"] = convention
    if "papers_per_page" in data:
        ppp = data["papers_per_page"]
        if isinstance(ppp, int) and ppp > 0:
            values["papers_per_page"] = ppp
        else:
            diags.append(
                error(path, _line_of_key(text, "papers_per_page"), "'papers_per_page' must be a positive integer")
            )
    values["formats"] = _string_pairs(data.get("formats"), "formats", text, path, diags)
    values["author_aliases"] = _string_pairs(data.get("author_aliases"), "author_aliases", text, path, diags)
    if "topics" in data and data["topics"] is not None:
        values["topics"] = _topics(data["topics"], text, path, diags)
    extra = tuple(sorted((k, v) for k, v in data.items() if k not in _KNOWN and isinstance(k, str)))
    values["extra"] = extra
    return SiteConfig(root=root, **values), diags


def _string_pairs(value, key, text, path, diags) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        diags.append(error(path, _line_of_key(text, key), f"'{key}' must be a mapping"))
        return ()
    pairs = []
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            diags.append(error(path, _line_of_key(text, key), f"'{key}': entry {k!r} must map a string to a string"))
            continue
        pairs.append((k, v))
    return tuple(sorted(pairs))


def _topics(value, text, path, diags) -> tuple[TopicRule, ...]:
    line = _line_of_key(text, "topics")
    if not isinstance(value, list):
        diags.append(error(path, line, "'topics' must be a list of {slug, name, name_zh, keywords}"))
        return ()
    rules = []
    for item in value:
        if not isinstance(item, dict) or not item.get("slug") or not item.get("name"):
            diags.append(error(path, line, f"topic {item!r} needs at least 'slug' and 'name'"))
            continue
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list):
            diags.append(warning(path, line, f"topic {item['slug']}: 'keywords' must be a list"))
            keywords = []
        rules.append(
            TopicRule(
                str(item["slug"]), str(item["name"]), str(item.get("name_zh") or ""), tuple(str(k) for k in keywords)
            )
        )
    return tuple(rules)


def load_config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read root/site.yaml; a missing file means all defaults."""
    cfg_path = root / CONFIG_NAME
    if not cfg_path.exists():
        return SiteConfig(root=root), []
    try:
        text = cfg_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return SiteConfig(root=root), [error(CONFIG_NAME, 1, f"cannot read site.yaml: {exc}")]
    return parse_config(root, text)
