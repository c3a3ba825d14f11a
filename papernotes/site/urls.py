"""THE place where every URL and slug is made.

Pages and templates ask this module for URLs; nothing else concatenates paths.
Links are root-relative and carry the base path of `base_url`, so a project
site under https://user.github.io/repo/ is one setting, not a search-replace.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from urllib.parse import quote, unquote, urlsplit

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


def term_key(name: str) -> str:
    """The identity of a tag or category name: `Docker` and `docker` are one tag."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def _as_path(path) -> tuple[str, ...]:
    return (path,) if isinstance(path, str) else tuple(path)


class Terms:
    """Tag (or category) names as entities: one per case-insensitive name (per path, for Hexo's nested
    categories), shown in its most used spelling (ties: the first in sort order), with a stable slug
    (that of the name; names that slugify alike, `C++`/`C#`, get a short hash of their key each).

    `uses`: every use of a name in the documents, as a path (`("CV", "Diffusion")`; a tag is a 1-path).
    Only what cannot be derived from a name alone is kept (several spellings, shared slugs), so a new
    tag nobody else spells differently leaves the Terms, and every page's fingerprint, as they were."""

    def __init__(self, uses=()) -> None:
        spellings: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for path in map(_as_path, uses):
            for depth in range(1, len(path) + 1):
                spellings[tuple(map(term_key, path[:depth]))][path[depth - 1]] += 1
        shown = {key: min(c, key=lambda n: (-c[n], n)) for key, c in spellings.items()}
        by_slug: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for key in sorted(shown):
            by_slug[tuple(slugify(k) for k in key)].append(key)
        segment: dict[tuple[str, ...], str] = {}  # key -> its last slug segment, where not slugify(last name)
        for slugs, keys in by_slug.items():
            if len(keys) > 1:
                cut = slugs[-1] if len(slugs[-1]) <= MAX_SEGMENT - 7 else slugs[-1][: MAX_SEGMENT - 7].rstrip("-_")
                segment |= {key: f"{cut}-{_short_hash(key[-1])}" for key in keys}
        self._shown = {key: name for key, name in shown.items() if len(spellings[key]) > 1}
        self._segment = segment
        self.state = (tuple(sorted(self._shown.items())), tuple(sorted(segment.items())))

    def names(self, path) -> tuple[str, ...]:
        """The shown spelling of each level of `path`."""
        path = _as_path(path)
        key = tuple(map(term_key, path))
        return tuple(self._shown.get(key[: i + 1], name) for i, name in enumerate(path))

    def slug_path(self, path) -> str:
        path = _as_path(path)
        key = tuple(map(term_key, path))
        return "/".join(self._segment.get(key[: i + 1]) or slugify(name) for i, name in enumerate(path))


class Urls:
    """Every URL of the site. Knowing the documents (`Urls.for_documents`), it knows their tags and
    categories as entities (`Terms`) and the documents whose URL is not `<kind>s/<slug>/` (front matter
    `permalink:`, site.yaml's permalink pattern, standalone pages)."""

    def __init__(self, base_url: str = "/", tags=(), categories=(), documents: dict[str, str] | None = None):
        base_url = (base_url or "/").strip()
        if not base_url.endswith("/"):
            base_url += "/"
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        self.base_path = parts.path if parts.path.startswith("/") else "/" + parts.path
        self._hrefs: dict[str, str] = {}
        self.tags, self.categories = Terms(tags), Terms(categories)
        self._documents = dict(documents or {})  # source path -> its URL, where it is not the default
        self._terms = (self.tags.state, self.categories.state, tuple(sorted(self._documents.items())))
        self._plain = not any(map(any, (*self.tags.state, *self.categories.state, self._documents)))

    @classmethod
    def for_documents(cls, base_url: str, documents, pages_dir: str = "pages", pattern=None) -> Urls:
        """The site's URLs, knowing its documents: their tags and categories, and each one's own URL
        (`pattern(doc)`: the URL site.yaml's permalink pattern gives a post, or None)."""
        tags = [t for d in documents for t in d.tags]
        own = {}
        for doc in documents:
            url = cls._own_url(doc, pages_dir, pattern)
            if url is not None and url != cls.document(doc.kind, doc.slug):
                own[doc.path] = url
        return cls(base_url, tags, [c for d in documents for c in d.categories], own)

    @classmethod
    def _own_url(cls, doc, pages_dir: str, pattern) -> str | None:
        if doc.permalink:
            return cls.site_path(doc.permalink) or None
        if doc.kind == "page":
            rel = posixpath.splitext(doc.path.removeprefix(pages_dir.strip("/") + "/"))[0]
            return cls.site_path(rel.removesuffix("index").rstrip("/") + "/")
        made = pattern(doc) if pattern and doc.kind == "post" else None
        return cls.site_path(made) if made else None

    @staticmethod
    def site_path(text: str) -> str:
        """A URL path an author wrote (`/2019/05/01/foo/`, `posts/1a2b.html`, `https://old.blog/a/`,
        percent-encoded or not) as a site-relative URL of safe segments; one without a file extension
        is a folder (`a/b` is `a/b/`). "" when nothing is left."""
        path = urlsplit(text.strip()).path if "://" in text else text.strip().split("?")[0].split("#")[0]
        segments = [safe_segment(unquote(seg)) for seg in path.split("/") if unquote(seg) not in ("", ".")]
        if not segments:
            return ""
        is_file = not path.endswith("/") and posixpath.splitext(segments[-1])[1].lower() in (".html", ".htm")
        return "/".join(segments) + ("" if is_file else "/")

    def of_document(self, doc) -> str:
        """A post, note or page's URL."""
        return self._documents.get(doc.path) or self.document(doc.kind, doc.slug)

    def __repr__(self) -> str:  # part of page fingerprints: stable across processes
        if self._plain:
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
        return f"tags/{self.tags.slug_path(name)}/"

    def category(self, path) -> str:
        """A category: a name, or a path from the top (`("CV", "Diffusion")` is categories/cv/diffusion/)."""
        return f"categories/{self.categories.slug_path(path)}/"

    @staticmethod
    def paged(url: str, number: int) -> str:
        """Page `number` of a paginated list at `url` (a folder URL): page 1 is the list's own URL."""
        return url if number <= 1 else f"{url}page/{int(number)}/"

    @classmethod
    def papers_page(cls, number: int) -> str:
        return cls.paged("papers/", number)

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
    def static(name: str) -> str:
        return f"static/{name}"
