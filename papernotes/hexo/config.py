"""A Hexo blog's `_config.yml` -> HexoConfig (pure): the keys an import needs, with Hexo's defaults.

Read with papernotes' one YAML reader (`papernotes.config.load_yaml`: safe, no aliases); a value of the
wrong type is a warning on its line and Hexo's default is used.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..config import load_yaml
from ..diagnostics import Diagnostic, warning
from ..site.permalinks import DEFAULT_NEW_POST_NAME, DEFAULT_PERMALINK

CONFIG_NAME = "_config.yml"


@dataclass(frozen=True)
class HexoConfig:
    title: str = "Hexo"
    subtitle: str = ""
    description: str = ""
    author: str = ""
    language: str = ""
    url: str = "http://example.com"
    root: str = "/"
    permalink: str = DEFAULT_PERMALINK
    permalink_defaults: tuple[tuple[str, str], ...] = ()
    timezone: str = ""  # IANA name; "" = the machine's, as Hexo does
    post_asset_folder: bool = False
    new_post_name: str = DEFAULT_NEW_POST_NAME
    default_category: str = "uncategorized"
    category_map: tuple[tuple[str, str], ...] = ()
    filename_case: int = 0
    trailing_index: bool = True  # pretty_urls
    trailing_html: bool = True

    @property
    def base_url(self) -> str:
        """The blog's public address: `url`, plus `root` when `url` has no path of its own."""
        url = self.url.strip().rstrip("/")
        root = "/" + self.root.strip().strip("/") + "/" if self.root.strip().strip("/") else "/"
        if urlsplit(url).path.strip("/"):
            return url + "/"
        return url + root

    def zone(self) -> dt.tzinfo:
        """The blog's time zone: `timezone:`, else the machine's (what Hexo used when it built the blog)."""
        if self.timezone:
            try:
                return zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        return dt.datetime.now().astimezone().tzinfo or dt.UTC


_TEXT = ("title", "subtitle", "description", "author", "url", "root", "permalink", "timezone", "new_post_name")
_TEXT += ("default_category",)


def read_config(text: str, path: str = CONFIG_NAME) -> tuple[HexoConfig, list[Diagnostic]]:
    """Parse `_config.yml`; what is missing or unusable keeps Hexo's default."""
    doc, diags = load_yaml(text, path, label=f"invalid YAML in {CONFIG_NAME}")
    data = doc.data if isinstance(doc.data, dict) else {}
    line = doc.lines.get
    values: dict[str, Any] = {}

    def wrong(key: str, expected: str) -> None:
        diags.append(warning(path, line(key, 1), f"{key}: expected {expected}; using Hexo's default"))

    for key in _TEXT:
        value = data.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            values[key] = str(value).strip()
        elif value not in (None, ""):
            wrong(key, "a string")
    language = data.get("language")
    if isinstance(language, list):  # Hexo's multi-language sites: the first is the default
        language = next((x for x in language if isinstance(x, str) and x != "default"), None)
    if isinstance(language, str) and language.strip() and language != "default":
        values["language"] = language.strip()
    for key in ("post_asset_folder",):
        if isinstance(data.get(key), bool):
            values[key] = data[key]
        elif data.get(key) is not None:
            wrong(key, "true or false")
    if isinstance(data.get("filename_case"), int) and data["filename_case"] in (0, 1, 2):
        values["filename_case"] = data["filename_case"]
    for key in ("permalink_defaults", "category_map"):
        mapping = data.get(key)
        if isinstance(mapping, dict):
            values[key] = tuple(sorted((str(k), str(v)) for k, v in mapping.items() if v is not None))
        elif mapping is not None:
            wrong(key, "a mapping")
    pretty = data.get("pretty_urls")
    if isinstance(pretty, dict):
        for key in ("trailing_index", "trailing_html"):
            if isinstance(pretty.get(key), bool):
                values[key] = pretty[key]
    zone = values.get("timezone")
    if zone:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            diags.append(warning(path, line("timezone", 1), f"timezone: {zone!r} is no IANA zone; using the machine's"))
            del values["timezone"]
    return HexoConfig(**values), diags
