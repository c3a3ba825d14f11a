"""An HTTP crawler over a served site: from the home page it follows every href/src/action (breadth first
over HTML pages, every asset fetched once, url(...) inside stylesheets too) and reports broken links, links
that leave the base path, and fragments with no matching id. External links are not followed."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .conftest import ServedSite

SKIP_SCHEMES = ("mailto:", "javascript:", "data:", "tel:")
LINK_ATTRS = ("href", "src", "action", "poster")
TIMEOUT = 10


# --- parsing -------------------------------------------------------------------------


@dataclass
class Link:
    tag: str
    attr: str
    value: str
    rel: str = ""


class PageParser(HTMLParser):
    """Every URL-bearing attribute of a page, its ids, and its canonical / og:url."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()
        self.canonical: list[str] = []
        self.og_url: list[str] = []
        self.bundles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v for k, v in attrs if v is not None}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        rel = a.get("rel", "")
        for name in LINK_ATTRS:
            if a.get(name):
                self.links.append(Link(tag, name, a[name].strip(), rel))
        if a.get("srcset"):
            for candidate in a["srcset"].split(","):
                if candidate.strip():
                    self.links.append(Link(tag, "srcset", candidate.split()[0], rel))
        if tag == "link" and rel == "canonical":
            self.canonical.append(a.get("href", ""))
        if tag == "meta" and a.get("property") == "og:url":
            self.og_url.append(a.get("content", ""))
        if a.get("data-bundle"):  # the search page loads Pagefind from here
            self.bundles.append(a["data-bundle"])

    handle_startendtag = handle_starttag


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def css_urls(text: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(text)]


# --- fetching and crawling ----------------------------------------------------------------


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    final_url: str


def fetch(url: str) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:  # follows redirects (dir -> dir/)
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read(), resp.geturl())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.headers.get("Content-Type", ""), b"", url)


@dataclass
class Page:
    ids: set[str]
    canonical: list[str]
    og_url: list[str]
    links: list[Link]


@dataclass
class Crawl:
    site: ServedSite
    pages: dict[str, Page] = field(default_factory=dict)  # served URL (no fragment) -> parsed page
    resources: dict[str, Response] = field(default_factory=dict)  # every local URL fetched
    broken: list[str] = field(default_factory=list)
    escaping: list[str] = field(default_factory=list)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  # (page, target, fragment)
    external: set[str] = field(default_factory=set)


def crawl(site: ServedSite, starts: list[str]) -> Crawl:
    """BFS from `starts` over every local URL the pages and stylesheets reference."""
    result = Crawl(site)
    own_host = urlsplit(site.base_url).netloc
    local_host = urlsplit(site.origin).netloc
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque((url, "(start)") for url in starts)
    for url in starts:
        seen.add(url)

    def check(where: str, value: str, base: str) -> str | None:
        """Classify one reference; return the local URL to fetch, if any."""
        if not value or value.lower().startswith(SKIP_SCHEMES):
            return None
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            result.broken.append(f"{where}: {value!r} has an unexpected scheme")
            return None
        if parts.netloc == own_host:
            # The public address of this site: must stay inside the base URL (canonical links, feeds).
            if not absolute.startswith(site.base_url):
                result.escaping.append(f"{where}: {value} leaves {site.base_url}")
                return None
            absolute = site.local(absolute)
            parts = urlsplit(absolute)
        elif parts.netloc != local_host:
            result.external.add(absolute)
            return None
        if not parts.path.startswith(site.base_path):
            result.escaping.append(f"{where}: {value} -> {parts.path} leaves {site.base_path}")
            return None
        target, fragment = urldefrag(absolute)
        if fragment:
            result.fragments.append((where, target, unquote(fragment)))
        return target

    def visit(url: str) -> tuple[str, Response]:
        return url, fetch(url)

    with ThreadPoolExecutor(max_workers=8) as pool:
        while queue:
            batch = [queue.popleft() for _ in range(len(queue))]
            for (url, referrer), (_, resp) in zip(batch, pool.map(visit, [u for u, _ in batch])):
                result.resources[url] = resp
                if resp.status != 200:
                    result.broken.append(f"{referrer}: {url} -> HTTP {resp.status}")
                    continue
                if not urlsplit(resp.final_url).path.startswith(site.base_path):
                    result.escaping.append(f"{referrer}: {url} redirects to {resp.final_url}")
                    continue
                found: list[tuple[str, str]] = []  # (where, value) references to resolve against resp.final_url
                if resp.content_type.startswith("text/html"):
                    parser = PageParser()
                    parser.feed(resp.body.decode("utf-8"))
                    result.pages[url] = Page(parser.ids, parser.canonical, parser.og_url, parser.links)
                    found += [(f"{url} <{ln.tag} {ln.attr}>", ln.value) for ln in parser.links]
                    found += [(f"{url} <data-bundle>", b + "pagefind.js") for b in parser.bundles]
                elif resp.content_type.startswith("text/css"):
                    found += [(f"{url} url()", v) for v in css_urls(resp.body.decode("utf-8"))]
                for where, value in found:
                    target = check(where, value, resp.final_url)
                    if target is not None and target not in seen:
                        seen.add(target)
                        queue.append((target, where))
    return result
