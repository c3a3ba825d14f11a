"""site_src/site.yaml -> SiteConfig: defaults, validation, file:line errors.

Also the one way papernotes reads YAML (site.yaml here, front matter in sources/frontmatter.py):
`load_yaml` is PyYAML's safe loader that refuses aliases (an alias bomb cannot grow: the text's size
bounds the data's), refuses nesting deeper than MAX_YAML_DEPTH, warns about duplicate keys, keeps an
impossible date (`2023-13-45`) as an `InvalidDate` string with an error, and never raises.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

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
    pages_dir: str = "pages"  # standalone pages: pages/about.md or pages/about/index.md -> /about/
    timezone: str = ""  # IANA name (Asia/Shanghai) of the dates written without an offset; "" = the machine's
    permalink: str = ""  # a Hexo permalink pattern for posts (":year/:month/:day/:title/"); "" = posts/<slug>/
    formats: tuple[tuple[str, str], ...] = ()  # (glob, format name)
    author_aliases: tuple[tuple[str, str], ...] = ()
    topics: tuple[TopicRule, ...] | None = None  # None: use the built-in default topic set
    math: str = "auto"  # the math delimiter convention of every document (front matter `math:` overrides)
    me: tuple[str, ...] = ()  # the site owner's name(s): highlighted in every author list
    comments: tuple[tuple[str, str], ...] = ()  # (setting, value) of a comments service; () = off
    extra: tuple[tuple[str, Any], ...] = ()  # unknown keys, available to templates

    @property
    def aliases(self) -> dict[str, str]:
        return dict(self.author_aliases)

    def with_base_url(self, base_url: str) -> SiteConfig:
        from dataclasses import replace

        return replace(self, base_url=base_url)


_STR_KEYS = (
    "title",
    "description",
    "language",
    "author",
    "base_url",
    "posts_dir",
    "notes_dir",
    "papers_dir",
    "pages_dir",
    "permalink",
)
_KNOWN = set(_STR_KEYS) | {"cname", "papers_per_page", "formats", "author_aliases", "topics", "math", "timezone"}
_KNOWN |= {"me", "comments"}
# A comments service (off by default; nothing is loaded from it when off) and the settings it needs.
COMMENT_SERVICES = {"giscus": ("repo", "repo_id", "category", "category_id"), "waline": ("server_url",)}
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


# -- YAML -------------------------------------------------------------------------------------------

MAX_YAML_DEPTH = 64  # nested lists/mappings; deeper is refused before anything is built
_YAML_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: same results, faster


class InvalidDate(str):
    """A YAML timestamp that is no date (`2023-13-45`): kept as the text written, `reason` says why."""

    reason: str = ""


class _YamlLoader(_YAML_BASE):
    """The safe loader, noting duplicate keys and keeping impossible dates as InvalidDate strings."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # (key, first line, repeated line), 0-based
        self.bad_dates: list[tuple[InvalidDate, int]] = []

    def construct_mapping(self, node, deep=False):
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key, line = (key_node.tag, key_node.value), key_node.start_mark.line
                if key in seen:
                    self.duplicates.append((key_node.value, seen[key], line))
                seen[key] = line
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError, TypeError) as exc:
            bad = InvalidDate(node.value)
            bad.reason = str(exc) or type(exc).__name__
            self.bad_dates.append((bad, node.start_mark.line))
            return bad


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _YamlLoader.construct_yaml_timestamp)


@dataclass(frozen=True)
class YamlDocument:
    data: Any  # the document's value (None when empty or refused)
    lines: dict[str, int]  # top-level key -> the 1-based file line of its (last) occurrence
    nodes: dict[str, yaml.Node]  # top-level key -> its value node (what was written, for typed reading)


def load_yaml(text: str, path: str, first_line: int = 1, label: str = "invalid YAML"):
    """Read a YAML text whose first line is file line `first_line`: (YamlDocument, diagnostics).

    Refused (an error, `data` None): aliases, nesting deeper than MAX_YAML_DEPTH, invalid YAML (reported as
    `label: problem` at its line). Duplicate keys are a warning (the last one counts, as in PyYAML); an
    impossible date is an error and stays an `InvalidDate` string."""
    empty = YamlDocument(None, {}, {})
    if not text.strip():
        return empty, []
    try:
        refused = _refused(text)
        if refused is not None:
            line, message = refused
            return empty, [error(path, first_line + line, message)]
        loader = _YamlLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        line = first_line + _yaml_error_line(exc, text)
        if "nesting depth" in _yaml_problem(exc):  # libyaml's own limit (PyYAML >= 6.0.4) may come first
            return empty, [error(path, line, f"YAML nested deeper than {MAX_YAML_DEPTH} levels")]
        return empty, [error(path, line, f"{label}: {_yaml_problem(exc)}")]
    except Exception as exc:  # an explicit tag on a wrong value (`!!int x`): PyYAML raises ValueError & co.
        return empty, [error(path, first_line, f"{label}: {type(exc).__name__}: {exc}")]
    diags = [
        warning(
            path,
            first_line + again,
            f"duplicate key {key!r} (first on line {first_line + first}); the last one is used",
        )
        for key, first, again in loader.duplicates
    ]
    diags += [
        error(path, first_line + line, f"invalid date {str(bad)!r}: {bad.reason}") for bad, line in loader.bad_dates
    ]
    lines, nodes = {}, {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                lines[key_node.value] = first_line + key_node.start_mark.line
                nodes[key_node.value] = value_node
    return YamlDocument(data, lines, nodes), diags


def _refused(text: str) -> tuple[int, str] | None:
    """The first alias or too-deep collection in the event stream (0-based line, message), before anything is
    built: the parser alone is linear in the text."""
    depth = 0
    for event in yaml.parse(text, Loader=_YAML_BASE):
        if isinstance(event, AliasEvent):
            return event.start_mark.line, "YAML aliases are not allowed"
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return event.start_mark.line, f"YAML nested deeper than {MAX_YAML_DEPTH} levels"
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return None


def _yaml_error_line(exc: yaml.YAMLError, text: str) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        # At the end of the text ("did not find expected ']'"), point at what was left open, else at the
        # last line that holds anything, not at the line after it.
        context = getattr(exc, "context_mark", None)
        if mark.index >= len(text.rstrip()) and context is not None:
            return context.line
        return min(mark.line, text.rstrip().count("\n"))
    position = getattr(exc, "position", None)  # a ReaderError: an unacceptable character
    return text.count("\n", 0, position) if isinstance(position, int) else 0


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    if problem:
        return problem
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


# -- site.yaml -------------------------------------------------------------------------------------


def parse_config(root: Path, text: str, path: str = CONFIG_NAME) -> tuple[SiteConfig, list[Diagnostic]]:
    """Parse site.yaml text. Bad values fall back to defaults with a diagnostic."""
    doc, diags = load_yaml(text, path)
    if any(d.level == "error" and "invalid date" not in d.message for d in diags):
        return SiteConfig(root=root), diags
    data = {} if doc.data is None else doc.data
    if not isinstance(data, dict):
        diags.append(error(path, 1, "site.yaml must be a mapping of keys to values"))
        return SiteConfig(root=root), diags

    lines = doc.lines
    values: dict[str, Any] = {}
    for key in _STR_KEYS:
        if key in data and data[key] is not None:
            if isinstance(data[key], (str, int, float)):
                values[key] = str(data[key])
            else:
                diags.append(error(path, lines.get(key, 1), f"'{key}' must be a string"))
    if data.get("cname"):
        values["cname"] = str(data["cname"]).strip()
    if "math" in data:
        convention, d = math_convention(data["math"], path, lines.get("math", 1))
        diags += d
        if convention:
            values["math"] = convention
    if data.get("timezone"):
        zone = str(data["timezone"]).strip()
        if _zone(zone) is None:
            where = lines.get("timezone", 1)
            diags.append(warning(path, where, f"timezone: {zone!r} is no IANA time zone name; using the machine's"))
        else:
            values["timezone"] = zone
    if "papers_per_page" in data:
        ppp = data["papers_per_page"]
        if isinstance(ppp, int) and not isinstance(ppp, bool) and ppp > 0:
            values["papers_per_page"] = ppp
        else:
            diags.append(error(path, lines.get("papers_per_page", 1), "'papers_per_page' must be a positive integer"))
    values["formats"] = _string_pairs(data.get("formats"), "formats", lines, path, diags)
    values["author_aliases"] = _string_pairs(data.get("author_aliases"), "author_aliases", lines, path, diags)
    if "topics" in data and data["topics"] is not None:
        values["topics"] = _topics(data["topics"], _item_lines(doc, "topics"), path, diags)
    me = data.get("me")
    if me is not None:
        names = [me] if isinstance(me, str) else me if isinstance(me, list) else None
        if names is None or not all(isinstance(n, str) for n in names):
            diags.append(error(path, lines.get("me", 1), "'me' must be a name or a list of names"))
        else:
            values["me"] = tuple(n.strip() for n in names if n.strip())
    values["comments"] = _comments(data.get("comments"), lines.get("comments", 1), path, diags)
    values["extra"] = tuple(sorted((k, v) for k, v in data.items() if k not in _KNOWN and isinstance(k, str)))
    return SiteConfig(root=root, **values), diags


def _item_lines(doc: YamlDocument, key: str) -> list[int]:
    """The file line of each item of a top-level list (the key's line when it is no block list)."""
    node, line = doc.nodes.get(key), doc.lines.get(key, 1)
    if not isinstance(node, yaml.SequenceNode):
        return [line]
    return [1 + item.start_mark.line for item in node.value] or [line]  # site.yaml starts on line 1


def _comments(value, line, path, diags) -> tuple[tuple[str, str], ...]:
    """`comments: {service: giscus, repo: …, …}`; a service without its settings is a warning and stays off."""
    if not value:
        return ()
    service = value.get("service") if isinstance(value, dict) else None
    if service not in COMMENT_SERVICES:
        diags.append(warning(path, line, f"comments: 'service' must be one of {', '.join(COMMENT_SERVICES)}; off"))
        return ()
    missing = [k for k in COMMENT_SERVICES[service] if not isinstance(value.get(k), str) or not value[k].strip()]
    if missing:
        diags.append(warning(path, line, f"comments: {service} needs {', '.join(missing)}; off"))
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in value.items() if isinstance(v, (str, int, float, bool))))


def _string_pairs(value, key, lines, path, diags) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    line = lines.get(key, 1)
    if not isinstance(value, dict):
        diags.append(error(path, line, f"'{key}' must be a mapping"))
        return ()
    pairs = []
    for k, v in value.items():
        if not isinstance(k, str) or not isinstance(v, str):
            diags.append(error(path, line, f"'{key}': entry {k!r} must map a string to a string"))
            continue
        pairs.append((k, v))
    return tuple(sorted(pairs))


def _topics(value, item_lines: list[int], path, diags) -> tuple[TopicRule, ...]:
    if not isinstance(value, list):
        diags.append(error(path, item_lines[0], "'topics' must be a list of {slug, name, name_zh, keywords}"))
        return ()
    rules = []
    for n, item in enumerate(value):
        line = item_lines[n] if n < len(item_lines) else item_lines[0]
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


def _zone(name: str) -> dt.tzinfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def site_timezone(config: SiteConfig) -> dt.tzinfo:
    """The zone of the site's dates: site.yaml's `timezone`, else the machine's (TZ, /etc/localtime), else UTC."""
    if config.timezone:
        return _zone(config.timezone) or dt.UTC
    return _machine_zone()


def in_site_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """An aware datetime in the site's zone: a naive one is that zone's wall-clock time."""
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


@functools.cache
def _machine_zone() -> dt.tzinfo:
    names = [os.environ.get("TZ", "").lstrip(":")]
    try:
        names.append(os.path.realpath("/etc/localtime").split("/zoneinfo/", 1)[1])
    except (IndexError, OSError):
        pass
    for name in names:
        zone = _zone(name) if name and not name.startswith("/") else None
        if zone is not None:
            return zone
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


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
