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

from ..content import MAX_SEGMENT, MAX_SEGMENT_BYTES, RESERVED_NAMES, slug_problem


def _short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


@functools.lru_cache(maxsize=100_000)
def slugify(text: str, max_len: int = MAX_SEGMENT) -> str:
    """Readable, stable slug: ASCII where the text is Latin, Unicode word chars kept (CJK).

    Always one safe path segment (see `slug_problem`): a Windows device name gets a short hash.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("ł", "l")
    slug = re.sub(r"[^\w]+", "-", stripped.casefold(), flags=re.UNICODE).strip("-_")
    slug = re.sub(r"[-_]{2,}", "-", slug)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0] or slug[:max_len]
    while len(slug.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:  # astral characters take 4 bytes
        slug = slug[:-1].rstrip("-_")
    if slug in RESERVED_NAMES:
        slug = f"{slug}-{_short_hash(text)}"
    return slug or "x" + _short_hash(text, 8)


@functools.lru_cache(maxsize=100_000)
def safe_segment(text: str) -> str:
    """`text` itself when it is one safe path segment (a slug stays as its author wrote it), else its
    slug; one cut to length keeps a hash of the whole text, so two long slugs stay apart."""
    if slug_problem(text) is None:
        return text
    slug = slugify(text, 10_000)
    if len(slug) > MAX_SEGMENT or len(slug.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
        slug = f"{slugify(text, MAX_SEGMENT - 7)}-{_short_hash(text)}"
    return slug


def unique_slugs(keys_and_texts: list[tuple[str, str]]) -> dict[str, str]:
    """key -> slug, unique: on a collision every colliding key gets a short hash suffix."""
    by_slug: dict[str, list[str]] = {}
    for key, text in keys_and_texts:
        by_slug.setdefault(slugify(text), []).append(key)
    out: dict[str, str] = {}
    for slug, keys in by_slug.items():
        for key in keys:
            cut = slug if len(slug) <= MAX_SEGMENT - 7 else slug[: MAX_SEGMENT - 7].rstrip("-_")  # stays one segment
            out[key] = slug if len(keys) == 1 else f"{cut}-{_short_hash(key)}"
    return out


def _term_overrides(names) -> tuple[tuple[str, str], ...]:
    """The tag (or category) names that slugify alike (`Docker`/`docker`, `C++`/`C#`) -> their own slugs."""
    names = sorted(set(names))
    return tuple(sorted((n, s) for n, s in unique_slugs([(n, n) for n in names]).items() if s != slugify(n)))


class Urls:
    """Every URL of the site. Tag and category names that slugify alike get their own slugs (a short
    hash of the name each, as `unique_slugs` gives), when the names are given: `Urls.for_documents`."""

    def __init__(self, base_url: str = "/", tags=(), categories=()):
        base_url = (base_url or "/").strip()
        if not base_url.endswith("/"):
            base_url += "/"
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        self.base_path = parts.path if parts.path.startswith("/") else "/" + parts.path
        self._hrefs: dict[str, str] = {}
        self._terms = (_term_overrides(tags), _term_overrides(categories))
        self._tag_slugs, self._category_slugs = dict(self._terms[0]), dict(self._terms[1])

    @classmethod
    def for_documents(cls, base_url: str, documents) -> Urls:
        """The site's URLs, knowing every tag and category name its documents use."""
        tags = {t for d in documents for t in d.tags}
        return cls(base_url, tags, {c for d in documents for c in d.categories})

    def __repr__(self) -> str:  # part of page fingerprints: stable across processes
        if not any(self._terms):
            return f"Urls({self.base_url!r})"
        return f"Urls({self.base_url!r}, terms={hashlib.sha256(repr(self._terms).encode()).hexdigest()[:16]})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Urls) and (other.base_url, other._terms) == (self.base_url, self._terms)

    def __hash__(self) -> int:
        return hash((self.base_url, self._terms))

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
        """Inside its section whatever `slug` is: an unsafe one (`..`, `a/b`, `CON`, 300 characters) is slugified."""
        return f"{kind}s/{safe_segment(slug)}/"

    @staticmethod
    def year(year: int) -> str:
        return f"archive/{int(year)}/"

    def tag(self, name: str) -> str:
        return f"tags/{self._tag_slugs.get(name) or slugify(name)}/"

    def category(self, name: str) -> str:
        return f"categories/{self._category_slugs.get(name) or slugify(name)}/"

    @staticmethod
    def papers_page(number: int) -> str:
        return "papers/" if number <= 1 else f"papers/page/{int(number)}/"

    @staticmethod
    def papers_year(year: int) -> str:
        return f"papers/year/{int(year)}/"

    @staticmethod
    def paper(slug: str) -> str:
        return f"papers/{safe_segment(slug)}/"

    @staticmethod
    def author(slug: str) -> str:
        return f"authors/{safe_segment(slug)}/"

    @staticmethod
    def venue(name: str | None, year: int | None = None) -> str:
        if not name:
            return "venues/unknown/"
        return f"venues/{slugify(name)}/" + (f"{int(year)}/" if year else "")

    @staticmethod
    def topic(slug: str) -> str:
        """A topic's slug may come from site.yaml: made safe like a document's."""
        return f"topics/{safe_segment(slug)}/"

    @staticmethod
    def searchable_folders() -> tuple[str, ...]:
        """Top-level folders of the pages with content to search (notes, posts, papers, authors)."""
        return ("notes", "posts", "papers", "authors")

    @staticmethod
    def static(name: str) -> str:
        return f"static/{name}"
