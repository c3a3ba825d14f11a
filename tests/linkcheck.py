"""A link checker over a built output folder: every internal href/src must resolve to a file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.links.append(attrs[name])


def parse_links(html: str) -> tuple[list[str], set[str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links, parser.ids


def resolve(output: Path, base_path: str, page_url: str, link: str) -> tuple[Path | None, str]:
    """The file a link points at (None for external links) and its fragment."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None, ""
    if parts.path.startswith("/"):
        path = unquote(parts.path)
        if not path.startswith(base_path):
            raise AssertionError(f"{page_url}: link {link} escapes the base path {base_path}")
        rel = path[len(base_path) :]
    elif parts.path == "":
        rel = page_url
    else:
        rel = (Path(page_url.rstrip("/") if not page_url.endswith("/") else page_url) / unquote(parts.path)).as_posix()
        if page_url.endswith("/"):
            rel = (Path(page_url) / unquote(parts.path)).as_posix()
        else:
            rel = (Path(page_url).parent / unquote(parts.path)).as_posix()
    target = output / rel
    if rel == "" or rel.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    problems = []
    id_cache: dict[Path, set[str]] = {}
    for page in sorted(output.rglob("*.html")):
        rel_dir = page.relative_to(output).parent.as_posix()
        page_url = "" if rel_dir == "." else rel_dir + "/"
        links, ids = parse_links(page.read_text(encoding="utf-8"))
        id_cache[page] = ids
        for link in links:
            if link.startswith(("mailto:", "javascript:", "data:")):
                continue
            try:
                target, fragment = resolve(output, base_path, page_url, link)
            except AssertionError as exc:
                problems.append(str(exc))
                continue
            if target is None:
                continue
            if not target.is_file():
                problems.append(f"{page.relative_to(output)}: {link} -> missing {target.relative_to(output)}")
                continue
            if fragment and target.suffix == ".html":
                if target not in id_cache:
                    id_cache[target] = parse_links(target.read_text(encoding="utf-8"))[1]
                if unquote(fragment) not in id_cache[target]:
                    problems.append(f"{page.relative_to(output)}: {link} -> no id {fragment}")
    return problems
