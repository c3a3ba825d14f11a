"""The research index: the `papers` graph value, shared by every list of papers.

It holds one *summary* per paper (plain data: title, links, venue, year, authors,
topics) and the groupings the list pages use (by author, venue, topic), made
from the summaries alone. It never hands out a Paper object, so its digest --
the digests of all summaries, the topic rules and the page size -- covers all
that a list page can show. What only a paper's own page shows (abstract,
BibTeX, notes, sources) is the `paper:<key>` value (site/paper_pages.py).
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup, escape

from ..config import TopicRule
from ..memo import Memo
from ..model.paper import Paper
from ..render.text import text_with_math
from ..sources.text import EAST_ASIAN
from .urls import Urls, unique_slugs

SHOWN_AUTHORS = 6


def venue_label(venue: str | None, year: int | None) -> str:
    if venue:
        return f"{venue} {year}" if year else venue
    return ""


def sort_key(paper: Paper) -> tuple:
    """Newest first, then venue, then title: the order of every paper list."""
    return (-(paper.year or 0), paper.venue or "~", paper.key)


@dataclass
class PaperIndex:
    summaries: list[dict]  # in list order (sort_key)
    topics: dict[str, TopicRule]  # slug -> rule (incl. "other")
    urls: Urls
    per_page: int
    digest: str
    author_slug: dict[str, str]
    render_item: Callable[[dict], Markup]  # a summary -> its <li> (the _paper_item.html fragment)

    def __post_init__(self) -> None:
        self.by_key = {s["key"]: s for s in self.summaries}
        authors: dict[str, list[dict]] = defaultdict(list)
        for s in self.summaries:
            for name in dict.fromkeys(s["all_authors"]):
                authors[name].append(s)
        self.by_author = dict(sorted(authors.items(), key=lambda kv: author_sort_key(kv[0])))
        self._vt_index: dict[tuple, list[str]] | None = None

    @functools.cached_property
    def author_keys(self) -> dict[str, list[str]]:
        """Author name -> the keys of their papers (by_author's, as keys: counted in C)."""
        return {name: [s["key"] for s in listed] for name, listed in self.by_author.items()}

    @functools.cached_property
    def counts(self) -> tuple[Counter, Counter, Counter]:
        """How many papers per (venue, year), per topic and per year: the filters of every /papers/ page."""
        venues = Counter((s["venue_name"], s["year"]) if s["venue_name"] else (None, None) for s in self.summaries)
        topics = Counter(t for s in self.summaries for t in s["topics"])
        return venues, topics, Counter(s["year"] for s in self.summaries if s["year"])

    @functools.cached_property
    def by_venue(self) -> dict[str | None, list[dict]]:
        out: dict[str | None, list[dict]] = defaultdict(list)
        for s in self.summaries:
            out[s["venue_name"]].append(s)
        return out

    @functools.cached_property
    def by_topic(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for s in self.summaries:
            for slug in s["topics"]:
                out[slug].append(s)
        return out

    @functools.cached_property
    def by_venue_year(self) -> dict[tuple[str, int], list[dict]]:
        """(venue, year) -> its papers in list order: the venue-year pages, one slice per page."""
        out: dict[tuple[str, int], list[dict]] = defaultdict(list)
        for s in self.summaries:
            if s["venue_name"] and s["year"]:
                out[s["venue_name"], s["year"]].append(s)
        return out

    def shared(self, key: tuple, make: Callable[[], object]):
        """A value made from this index once and shared by the pages showing it: the filter row of a
        paginated list is counted once per list, not once per page of it."""
        cache = self.__dict__.setdefault("_shared", {})
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def listed(self, summaries) -> list[dict]:
        """Summaries as list items: their pre-rendered `html` (made once, shared by every list), and what the
        list pages group and flag them by (not a copy of every field: ~250,000 list items at 27,000 papers)."""
        render = self.render_item
        return [{"html": render(s), "year": s["year"], "title_math": s["title_math"]} for s in summaries]

    def author_href(self, name: str) -> str:
        return self.urls.href(self.urls.author(self.author_slug[name]))

    def topic_link(self, slug: str) -> dict:
        rule = self.topics[slug]
        return {"slug": slug, "name": rule.name, "name_zh": rule.name_zh, "href": self.urls.href(self.urls.topic(slug))}

    def venue_topic_neighbours(self, summary: dict, topic: str, limit: int) -> list[str]:
        """Keys of papers with the same venue and topic, nearest to this one in key order."""
        if self._vt_index is None:
            index: dict[tuple, list[str]] = defaultdict(list)
            for s in sorted(self.summaries, key=lambda s: s["key"]):
                for t in s["topics"]:
                    index[(s["venue_name"], t)].append(s["key"])
            self._vt_index = index
        keys = self._vt_index.get((summary["venue_name"], topic), [])
        at = bisect_left(keys, summary["key"])
        lo = max(0, at - limit // 2)
        return [k for k in keys[lo : lo + limit + 1] if k != summary["key"]]


def paper_slugs(papers: list[Paper]) -> dict[str, str]:
    return unique_slugs([(p.key, p.title) for p in sorted(papers, key=lambda p: p.key)])


def build_index(
    papers: list[Paper],
    topics: dict[str, TopicRule],
    noted: set[str],
    title_html: dict[str, str],
    urls: Urls,
    per_page: int,
    slugs: dict[str, str],
    memo: Memo,
    whole: Memo,
    render_item: Callable[[dict], Markup],
) -> PaperIndex:
    """`noted`: keys of papers some document is about; `title_html`: key -> title with math rendered.
    `memo` keeps each paper's summary, `whole` what depends on all papers (order, author slugs, the index)."""
    rules = hashlib.sha256(
        repr(sorted((s, r.name, r.name_zh, r.keywords) for s, r in topics.items())).encode()
    ).hexdigest()
    # A rebuild after a note's prose changed has the very same papers (the merge's list), topics and titles:
    # the index is the last one, without going over 27,000 papers (what every summary below is made of).
    same = (papers, [p.topics for p in papers], frozenset(noted), title_html, (urls, per_page, rules), slugs)
    last = whole.peek(("last index",))
    if last is not None and _same_inputs(last[0], same):
        return last[1]
    identity = tuple(p.digest or repr(p) for p in papers)
    order, author_slug, authors_digest = whole.get(("authors", identity), lambda: _order_and_authors(papers))
    by_key = {p.key: p for p in papers}
    summaries, digests = [], []
    for key in order:
        paper = by_key[key]
        html = title_html.get(key) or str(escape(paper.title))
        # _summary sees these fields of the paper and nothing else, so a change elsewhere in it (its
        # abstract, where it was read) leaves every list of papers as it was.
        shown = Shown(key, paper.title, paper.title_zh, paper.venue, paper.year, paper.authors,
                      paper.authors_truncated, paper.topics)  # fmt: skip
        inputs = (shown, slugs[key], key in noted, html, authors_digest, rules)
        summary, digest = memo.get(
            ("summary", urls.base_url, inputs),
            lambda: _summary(shown, html, slugs, author_slug, key in noted, topics, urls, (urls.base_url, inputs)),
        )
        summaries.append(summary)
        digests.append(digest)
    digest = hashlib.sha256("\0".join([rules, str(per_page), urls.base_url, *digests]).encode()).hexdigest()
    index = whole.get(
        ("index", digest), lambda: PaperIndex(summaries, topics, urls, per_page, digest, author_slug, render_item)
    )
    whole.put(("last index",), (same, index))
    return index


def _same_inputs(old: tuple, new: tuple) -> bool:
    """The same list of papers (not equal: the very same objects), and equal topics (classify sets them on
    those objects), noted set, titles, rules and slugs."""
    return old[0] is new[0] and old[1:] == new[1:]


def _order_and_authors(papers: list[Paper]) -> tuple[list[str], dict[str, str], str]:
    """Paper keys in list order, author name -> slug, and a digest of those slugs."""
    order = [p.key for p in sorted(papers, key=sort_key)]
    names = sorted({a for p in papers for a in p.authors})
    author_slug = unique_slugs([(n, n) for n in names])
    digest = hashlib.sha256(repr(sorted(author_slug.items())).encode("utf-8")).hexdigest()
    return order, author_slug, digest


class Shown(NamedTuple):
    """The fields of a paper its summary shows."""

    key: str
    title: str
    title_zh: str | None
    venue: str | None
    year: int | None
    authors: tuple[str, ...]
    authors_truncated: bool
    topics: tuple[str, ...]


def _summary(
    paper: Shown,
    title_html: str,
    slugs: dict[str, str],
    author_slug: dict[str, str],
    has_notes: bool,
    topics: dict[str, TopicRule],
    urls: Urls,
    inputs: tuple,
) -> tuple[dict, str]:
    """The one-line view of a paper every list shows, and its digest: that of its inputs (the summary is a
    function of them and of this code, which the build state is keyed by)."""
    label = venue_label(paper.venue, paper.year)
    venue = None
    if paper.venue:
        venue = {
            "label": label,
            "name": paper.venue,
            "href": urls.href(urls.venue(paper.venue, paper.year)),
            "venue_href": urls.href(urls.venue(paper.venue)),
        }
    authors = [{"name": a, "href": urls.href(urls.author(author_slug[a]))} for a in paper.authors]
    # A list item names SHOWN_AUTHORS and says how many more, unless that is one: "等 1 人" is longer than the name.
    shown = SHOWN_AUTHORS if len(authors) > SHOWN_AUTHORS + 1 else len(authors)
    summary = {
        "key": paper.key,
        "title": paper.title,
        "title_html": Markup(title_html),
        "title_zh": paper.title_zh or "",
        "title_math": bool(text_with_math(paper.title)[1]),  # the title shows a formula: KaTeX's CSS
        "title_lang": text_lang(paper.title),  # "en" inside a zh-CN page: fonts, hyphenation, screen readers
        "url": urls.paper(slugs[paper.key]),
        "href": urls.href(urls.paper(slugs[paper.key])),
        "venue": venue,
        "venue_name": paper.venue,
        "venue_label": label,
        "year": paper.year,
        "authors": authors[:shown],
        "all_authors": list(paper.authors),
        "author_links": authors,
        "more_authors": len(paper.authors) - shown,
        "authors_truncated": paper.authors_truncated,
        "has_notes": has_notes,
        "topics": list(paper.topics),
        "topic_links": [
            {"slug": s, "name": topics[s].name, "name_zh": topics[s].name_zh, "href": urls.href(urls.topic(s))}
            for s in paper.topics
            if s in topics
        ],
    }
    digest = hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()
    summary["digest"] = digest  # what the pre-rendered list item is keyed by
    return summary, digest


def text_lang(text: str) -> str:
    """'en' for a text without Chinese, Japanese or Korean characters (a scraped title or abstract), else ''."""
    return "" if EAST_ASIAN.search(text or "") else "en"


@functools.lru_cache(maxsize=200_000)
def author_sort_key(name: str) -> tuple[str, str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return (folded.casefold(), name)


def initial(name: str) -> str:
    first = author_sort_key(name)[0][:1].upper()
    return first if "A" <= first <= "Z" else "#"


def year_counts(summaries: list[dict]) -> list[tuple[str, int]]:
    counts = Counter(s["year"] for s in summaries if s["year"])
    return [(str(y), counts[y]) for y in sorted(counts)]
