"""THE place where every URL and slug is made.

Pages and templates ask this module for URLs; nothing else concatenates paths.
Links are root-relative and carry the base path of `base_url`, so a project
site under https://user.github.io/repo/ is one setting, not a search-replace.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import quote, urlsplit


@functools.lru_cache(maxsize=100_000)
def slugify(text: str, max_len: int = 80) -> str:
    """Readable, stable slug: ASCII where the text is Latin, Unicode word chars kept (CJK)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l")
    slug = re.sub(r"[^\w]+", "-", stripped.casefold(), flags=re.UNICODE).strip("-_")
    slug = re.sub(r"[-_]{2,}", "-", slug)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    return slug or "x" + hashlib.sha1(text.encode()).hexdigest()[:8]


def unique_slugs(keys_and_texts: list[tuple[str, str]]) -> dict[str, str]:
    """key -> slug, unique: on a collision every colliding key gets a short hash suffix."""
    by_slug: dict[str, list[str]] = {}
    for key, text in keys_and_texts:
        by_slug.setdefault(slugify(text), []).append(key)
    out: dict[str, str] = {}
    for slug, keys in by_slug.items():
        for key in keys:
            out[key] = slug if len(keys) == 1 else f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return out


class Urls:
    def __init__(self, base_url: str = "/"):
        base_url = (base_url or "/").strip()
        if not base_url.endswith("/"):
            base_url += "/"
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        self.base_path = parts.path if parts.path.startswith("/") else "/" + parts.path
        self._hrefs: dict[str, str] = {}

    def __repr__(self) -> str:  # part of page fingerprints: stable across processes
        return f"Urls({self.base_url!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Urls) and other.base_url == self.base_url

    def __hash__(self) -> int:
        return hash(self.base_url)

    # -- turning a site-relative path ("papers/x/") into links ---------------
    def href(self, rel: str) -> str:
        """Root-relative link under the base path: 'papers/x/' -> '/notes/papers/x/'."""
        cached = self._hrefs.get(rel)
        if cached is None:
            cached = self._hrefs[rel] = self._href(rel)
        return cached

    def _href(self, rel: str) -> str:
        rel, _, fragment = rel.partition("#")
        link = self.base_path + quote(rel.lstrip("/"), safe="/:@!$&'()*+,;=-._~%")
        return link + ("#" + quote(fragment, safe="-._~%") if fragment else "")

    def absolute(self, rel: str) -> str:
        """Absolute URL for feeds, sitemaps and canonical links."""
        return self.origin + self.href(rel) if self.origin else self.href(rel)

    @staticmethod
    def output_file(rel: str) -> str:
        """The file a site-relative URL is written to: 'x/' -> 'x/index.html'."""
        rel = rel.lstrip("/")
        return rel + "index.html" if rel == "" or rel.endswith("/") else rel

    # -- every kind of page ---------------------------------------------------
    home = staticmethod(lambda: "")
    archive = staticmethod(lambda: "archive/")
    notes_index = staticmethod(lambda: "notes/")
    posts_index = staticmethod(lambda: "posts/")
    tags_index = staticmethod(lambda: "tags/")
    categories_index = staticmethod(lambda: "categories/")
    papers_index = staticmethod(lambda: "papers/")
    authors_index = staticmethod(lambda: "authors/")
    venues_index = staticmethod(lambda: "venues/")
    topics_index = staticmethod(lambda: "topics/")
    search = staticmethod(lambda: "search/")
    feed = staticmethod(lambda: "atom.xml")
    sitemap = staticmethod(lambda: "sitemap.xml")
    not_found = staticmethod(lambda: "404.html")

    @staticmethod
    def document(kind: str, slug: str) -> str:
        return f"{kind}s/{slug}/"

    @staticmethod
    def year(year: int) -> str:
        return f"archive/{year}/"

    @staticmethod
    def tag(name: str) -> str:
        return f"tags/{slugify(name)}/"

    @staticmethod
    def category(name: str) -> str:
        return f"categories/{slugify(name)}/"

    @staticmethod
    def papers_page(number: int) -> str:
        return "papers/" if number <= 1 else f"papers/page/{number}/"

    @staticmethod
    def papers_year(year: int) -> str:
        return f"papers/year/{year}/"

    @staticmethod
    def paper(slug: str) -> str:
        return f"papers/{slug}/"

    @staticmethod
    def author(slug: str) -> str:
        return f"authors/{slug}/"

    @staticmethod
    def venue(name: str | None, year: int | None = None) -> str:
        if not name:
            return "venues/unknown/"
        return f"venues/{slugify(name)}/" + (f"{year}/" if year else "")

    @staticmethod
    def topic(slug: str) -> str:
        return f"topics/{slug}/"

    @staticmethod
    def searchable_folders() -> tuple[str, ...]:
        """Top-level folders of the pages with content to search (notes, posts, papers, authors)."""
        return ("notes", "posts", "papers", "authors")

    @staticmethod
    def static(name: str) -> str:
        return f"static/{name}"
