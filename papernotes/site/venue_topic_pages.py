"""Venue pages (per venue and per venue-year, plus an honest "venue unknown") and topic pages."""

from __future__ import annotations

from collections import Counter

from .bib_files import bib_link, list_slug
from .charts import heat_map
from .page import Page
from .paging import list_pages, paged_title, paper_list, per_page
from .paper_pages import NO_MATH_OR_CODE, list_flags
from .research import PaperIndex

ITEM = "_paper_item.html"
UNKNOWN_NOTE = "这些论文的来源没有给出会议或期刊信息（例如 Hugging Face 每日论文、作者主页抓取），papernotes 不会猜测。"


def _topic_filter(index: PaperIndex, summaries: list[dict]) -> list[dict]:
    """The topics of a list of papers with how many of them each has: a row of links to the topic pages, in
    the order of the topics' rules (the items do not repeat them; each paper's page shows its own)."""
    counts = Counter(slug for s in summaries for slug in s["topics"])
    return [{**index.topic_link(slug), "count": counts[slug]} for slug in index.topics if slug in counts]


def venue_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    size = per_page(index.per_page)
    by_venue, by_venue_year = index.by_venue, index.by_venue_year
    pages = []

    def add(venue: str | None, year: int | None, count: int, origin: str) -> None:
        url = urls.venue(venue, year)
        pages.extend(list_pages(urls, url, count, size, "venue.html", _venue_context, (venue, year), ("papers",),
                                origin, (ITEM,)))  # fmt: skip

    for venue in sorted((v for v in by_venue if v), key=str.casefold):
        add(venue, None, len(_undated(index, venue)), f"venue:{venue}")
        for year in sorted({s["year"] for s in by_venue[venue] if s["year"]}, reverse=True):
            add(venue, year, len(by_venue_year[venue, year]), f"venue:{venue} {year}")
    add(None, None, len(by_venue.get(None, [])), "venue:会议未知")
    pages.append(Page(urls.venues_index(), "venues.html", _venues_index_context, (), ("papers",), "venues"))
    return pages


def _undated(index: PaperIndex, venue: str) -> list[dict]:
    """What a venue's own page lists: its papers without a year. The dated ones are listed by the pages of
    their venue-years, which this page links with their counts (27,000 papers are not listed twice)."""
    return index.shared(("venue undated", venue), lambda: [s for s in index.by_venue[venue] if not s["year"]])


def _year_links(index: PaperIndex, venue: str, summaries: list[dict]) -> list[dict]:
    years = sorted({s["year"] for s in summaries if s["year"]}, reverse=True)
    return [
        {
            "label": f"{venue} {y}",
            "year": y,
            "href": index.urls.href(index.urls.venue(venue, y)),
            "count": len(index.by_venue_year[venue, y]),
        }
        for y in years
    ]


def _venue_context(get, venue: str | None, year: int | None, number: int) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    url = urls.venue(venue, year)
    crumbs = [{"label": "会议", "href": urls.href(urls.venues_index())}]
    if venue is None:
        title, everything = "会议未知", index.by_venue.get(None, [])
        chosen = everything
    elif year is None:
        title, everything = venue, index.by_venue.get(venue, [])
        chosen = _undated(index, venue)
    else:
        title, everything = f"{venue} {year}", index.by_venue_year.get((venue, year), [])
        chosen = everything
        crumbs.append({"label": venue, "href": urls.href(urls.venue(venue))})
    if number > 1:
        crumbs.append({"label": title, "href": urls.href(url)})
    facts = index.shared(
        ("venue", venue, year),
        lambda: {
            "years": _year_links(index, venue, everything) if venue and year is None else [],
            "topics": _topic_filter(index, everything),
        },
    )
    listed = paper_list(index, url, chosen, number)
    return {
        "page": {
            "title": paged_title(title, number),
            "description": f"{title}：{len(everything)} 篇论文",
            "kind": "venue",
            "url": urls.paged(url, number),
            "breadcrumbs": crumbs,
            **list_flags(listed["papers"]),
        },
        "venue": {
            "title": title,
            "count": len(everything),
            "undated": len(chosen),
            "years": facts["years"],
            "note": UNKNOWN_NOTE if venue is None else "",
            "topics": facts["topics"],
        },
        "bib": bib_link(urls, url, len(everything), list_slug(url)) if venue else None,
        **listed,
    }


def _venues_index_context(get) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    by_venue = index.by_venue
    venues = [
        {
            "label": v,
            "href": urls.href(urls.venue(v)),
            "count": len(by_venue[v]),
            "years": _year_links(index, v, by_venue[v]),
        }
        for v in sorted((v for v in by_venue if v), key=str.casefold)
    ]
    return {
        "page": {
            "title": "会议",
            "description": f"{len(venues)} 个会议/期刊",
            "kind": "list",
            "url": urls.venues_index(),
            **NO_MATH_OR_CODE,
        },
        "venues": venues,
        "unknown": {"href": urls.href(urls.venue(None)), "count": len(by_venue.get(None, []))},
    }


def topic_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    size = per_page(index.per_page)
    present = index.by_topic
    pages = []
    for slug in index.topics:
        if slug in present:
            pages += list_pages(urls, urls.topic(slug), len(present[slug]), size, "topic.html", _topic_context,
                                (slug,), ("papers",), f"topic:{slug}", (ITEM,))  # fmt: skip
    pages.append(Page(urls.topics_index(), "topics.html", _topics_index_context, (), ("papers",), "topics"))
    return pages


def _venue_filter(index: PaperIndex, summaries: list[dict]) -> list[dict]:
    """The venue-years of a list of papers with how many of them each has (unknown last): links to their pages."""
    counts: Counter = Counter()
    hrefs: dict[str, str] = {}
    for s in summaries:
        label = s["venue_label"] or "会议未知"
        counts[label] += 1
        hrefs.setdefault(label, s["venue"]["href"] if s["venue"] else index.urls.href(index.urls.venue(None)))
    return [
        {"label": label, "href": hrefs[label], "count": counts[label]}
        for label in sorted(counts, key=lambda g: (g == "会议未知", g))
    ]


def _topic_context(get, slug: str, number: int) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    rule = index.topics[slug]
    chosen = index.by_topic[slug]
    url = urls.topic(slug)
    title = rule.name + (f"（{rule.name_zh}）" if rule.name_zh else "")
    crumbs = [{"label": "主题", "href": urls.href(urls.topics_index())}]
    if number > 1:
        crumbs.append({"label": rule.name, "href": urls.href(url)})
    listed = paper_list(index, url, chosen, number)
    return {
        "page": {
            "title": paged_title(title, number),
            "description": f"主题 {rule.name}：{len(chosen)} 篇论文",
            "kind": "topic",
            "url": urls.paged(url, number),
            "breadcrumbs": crumbs,
            **list_flags(listed["papers"]),
        },
        "topic": {
            "name": rule.name,
            "name_zh": rule.name_zh,
            "keywords": list(rule.keywords),
            "count": len(chosen),
            "venues": index.shared(("topic", slug), lambda: _venue_filter(index, chosen)),
        },
        "bib": bib_link(urls, url, len(chosen), list_slug(url)),
        **listed,
    }


def _topics_index_context(get) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    by_slug = index.by_topic
    slugs = [s for s in index.topics if s in by_slug]
    columns = sorted({s["venue_label"] for s in index.summaries if s["venue_name"]})
    if any(not s["venue_name"] for s in index.summaries):
        columns.append("未知")
    cells = Counter((t, s["venue_label"] or "未知") for s in index.summaries for t in s["topics"])
    return {
        "page": {
            "title": "主题",
            "description": f"{len(slugs)} 个研究主题",
            "kind": "list",
            "url": urls.topics_index(),
            **NO_MATH_OR_CODE,
        },
        "topics": [
            {
                "name": index.topics[s].name,
                "name_zh": index.topics[s].name_zh,
                "href": urls.href(urls.topic(s)),
                "count": len(by_slug[s]),
            }
            for s in slugs
        ],
        "heat_map": heat_map(
            [(s, index.topics[s].name) for s in slugs],
            columns,
            cells,
            "主题 × 会议年份 论文数热力图",
            lambda slug, _column: urls.href(urls.topic(slug)),  # the topic's list, with its venue filter
        ),
    }
