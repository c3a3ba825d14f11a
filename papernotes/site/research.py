"""The research index: slugs, labels and summary views shared by paper, author, venue and topic pages."""
from __future__ import annotations

import functools
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from markupsafe import Markup, escape

from ..config import TopicRule
from ..model.link import NoteRef
from ..model.records import Paper
from .urls import Urls, unique_slugs


def venue_label(paper: Paper) -> str:
    if paper.venue:
        return f"{paper.venue} {paper.year}" if paper.year else paper.venue
    return ""


def sort_key(paper: Paper) -> tuple:
    """Newest first, then venue, then title: the order of every paper list."""
    return (-(paper.year or 0), paper.venue or "~", paper.key)


@dataclass
class Research:
    papers: list[Paper]
    topics: dict[str, TopicRule]  # slug -> rule (incl. "other")
    notes: dict[str, list[NoteRef]]  # paper key -> places in documents
    docs: dict[str, dict]  # document path -> document view
    html: dict[str, tuple[str, str]]  # paper key -> (title html, abstract html), math rendered
    urls: Urls
    per_page: int = 50
    render_item: Callable[[dict], str] | None = None  # the _paper_item.html template, set by the build
    item_cache: dict | None = None  # rendered list items kept between builds, keyed by what they show
    summaries: dict | None = None  # paper key -> summary; the caller may keep it while the model's shape stays
    paper_slug: dict[str, str] = field(default_factory=dict)
    author_slug: dict[str, str] = field(default_factory=dict)
    by_author: dict[str, list[Paper]] = field(default_factory=dict)

    def __post_init__(self):
        self.papers = sorted(self.papers, key=sort_key)
        self.by_key = {p.key: p for p in self.papers}
        self.paper_slug = unique_slugs([(p.key, p.title) for p in sorted(self.papers, key=lambda p: p.key)])
        authors: dict[str, list[Paper]] = defaultdict(list)
        for paper in self.papers:
            for name in dict.fromkeys(paper.authors):
                authors[name].append(paper)
        self.by_author = dict(sorted(authors.items(), key=lambda kv: author_sort_key(kv[0])))
        self.author_slug = unique_slugs([(name, name) for name in sorted(self.by_author)])
        self._summaries: dict[str, dict] = {} if self.summaries is None else self.summaries

    # -- links ------------------------------------------------------------------
    def paper_url(self, paper: Paper) -> str:
        return self.urls.paper(self.paper_slug[paper.key])

    def author_url(self, name: str) -> str:
        return self.urls.author(self.author_slug[name])

    def topic_links(self, paper: Paper) -> list[dict]:
        return [{"slug": s, "name": self.topics[s].name, "name_zh": self.topics[s].name_zh,
                 "href": self.urls.href(self.urls.topic(s))} for s in paper.topics if s in self.topics]

    def venue_link(self, paper: Paper) -> dict | None:
        if not paper.venue:
            return None
        return {"label": venue_label(paper), "name": paper.venue, "href": self.urls.href(self.urls.venue(paper.venue, paper.year)),
                "venue_href": self.urls.href(self.urls.venue(paper.venue))}

    def summary(self, paper: Paper) -> dict:
        """The one-line view of a paper used by every list (made once per paper; pages share it)."""
        cached = self._summaries.get(paper.key)
        if cached is None:
            cached = self._summaries[paper.key] = self._summary(paper)
            if self.render_item is not None:
                shown = (cached["title_html"], cached["title_zh"], cached["href"], cached["venue_label"],
                         cached["year"], tuple((a["name"], a["href"]) for a in cached["authors"]),
                         cached["more_authors"], cached["authors_truncated"], cached["has_notes"])
                item = self.item_cache.get(paper.key) if self.item_cache is not None else None
                if item is None or item[0] != shown:
                    item = (shown, Markup(self.render_item(cached)))
                    if self.item_cache is not None:
                        self.item_cache[paper.key] = item
                cached["html"] = item[1]
        return cached

    def _summary(self, paper: Paper) -> dict:
        title_html, _ = self.html.get(paper.key, (escape(paper.title), ""))
        return {
            "key": paper.key, "title": paper.title, "title_html": Markup(title_html),
            "title_zh": paper.title_zh or "", "href": self.urls.href(self.paper_url(paper)),
            "venue": self.venue_link(paper), "venue_label": venue_label(paper), "year": paper.year,
            "authors": [{"name": a, "href": self.urls.href(self.author_url(a))} for a in paper.authors[:6]],
            "more_authors": max(0, len(paper.authors) - 6), "authors_truncated": paper.authors_truncated,
            "has_notes": bool(self.notes.get(paper.key)),
        }

    def venue_topic_neighbours(self, paper: Paper, topic: str, limit: int) -> list[str]:
        """Keys of papers with the same venue and topic, nearest to `paper` in key order."""
        if not hasattr(self, "_vt_index"):
            index: dict[tuple, list[str]] = defaultdict(list)
            for p in sorted(self.papers, key=lambda p: p.key):
                for t in p.topics:
                    index[(p.venue, t)].append(p.key)
            self._vt_index = index
        keys = self._vt_index.get((paper.venue, topic), [])
        from bisect import bisect_left

        at = bisect_left(keys, paper.key)
        lo = max(0, at - limit // 2)
        return [k for k in keys[lo:lo + limit + 1] if k != paper.key]

    def deps(self, papers) -> frozenset[str]:
        paths: set[str] = set()
        for p in papers:
            paths.update(r.source.path for r in p.records)
        return frozenset(paths)


@functools.lru_cache(maxsize=200_000)
def author_sort_key(name: str) -> tuple[str, str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return (folded.casefold(), name)


def initial(name: str) -> str:
    first = author_sort_key(name)[0][:1].upper()
    return first if "A" <= first <= "Z" else "#"


def year_counts(papers: list[Paper]) -> list[tuple[str, int]]:
    counts = Counter(p.year for p in papers if p.year)
    return [(str(y), counts[y]) for y in sorted(counts)]
