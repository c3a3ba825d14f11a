"""Venue pages (per venue and per venue-year, plus an honest "venue unknown") and topic pages."""

from __future__ import annotations

from collections import Counter, defaultdict

from .charts import heat_map
from .page import Page
from .research import PaperIndex

ITEM = "_paper_item.html"
UNKNOWN_NOTE = "这些论文的来源没有给出会议或期刊信息（例如 Hugging Face 每日论文、作者主页抓取），papernotes 不会猜测。"


def _by_topic(index: PaperIndex, summaries: list[dict]) -> list[dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for s in summaries:
        for slug in s["topics"]:
            groups[slug].append(s)
    return [
        {**index.topic_link(slug), "id": f"topic-{slug}", "papers": index.listed(groups[slug])}
        for slug in index.topics
        if slug in groups
    ]


def venue_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    pages = []
    by_venue = index.by_venue
    for venue in sorted((v for v in by_venue if v), key=str.casefold):
        pages.append(
            Page(urls.venue(venue), "venue.html", _venue_context, (venue, None), ("papers",), f"venue:{venue}", (ITEM,))
        )
        for year in sorted({s["year"] for s in by_venue[venue] if s["year"]}, reverse=True):
            pages.append(
                Page(
                    urls.venue(venue, year),
                    "venue.html",
                    _venue_context,
                    (venue, year),
                    ("papers",),
                    f"venue:{venue} {year}",
                    (ITEM,),
                )
            )
    pages.append(
        Page(urls.venue(None), "venue.html", _venue_context, (None, None), ("papers",), "venue:会议未知", (ITEM,))
    )
    pages.append(Page(urls.venues_index(), "venues.html", _venues_index_context, (), ("papers",), "venues"))
    return pages


def _year_links(index: PaperIndex, venue: str, summaries: list[dict]) -> list[dict]:
    years = sorted({s["year"] for s in summaries if s["year"]}, reverse=True)
    return [
        {
            "label": f"{venue} {y}",
            "year": y,
            "href": index.urls.href(index.urls.venue(venue, y)),
            "count": sum(s["year"] == y for s in summaries),
        }
        for y in years
    ]


def _venue_context(get, venue: str | None, year: int | None) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    chosen = index.by_venue.get(venue, [])
    crumbs = [{"label": "会议", "href": urls.href(urls.venues_index())}]
    year_links = []
    if venue is None:
        title = "会议未知"
    elif year is None:
        title, year_links = venue, _year_links(index, venue, chosen)
    else:
        title = f"{venue} {year}"
        chosen = [s for s in chosen if s["year"] == year]
        crumbs.append({"label": venue, "href": urls.href(urls.venue(venue))})
    return {
        "page": {
            "title": title,
            "description": f"{title}：{len(chosen)} 篇论文",
            "kind": "venue",
            "url": urls.venue(venue, year),
            "breadcrumbs": crumbs,
        },
        "venue": {
            "title": title,
            "count": len(chosen),
            "years": year_links,
            "note": UNKNOWN_NOTE if venue is None else "",
            "topics": _by_topic(index, chosen),
        },
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
        },
        "venues": venues,
        "unknown": {"href": urls.href(urls.venue(None)), "count": len(by_venue.get(None, []))},
    }


def topic_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    present = index.by_topic
    pages = [
        Page(urls.topic(slug), "topic.html", _topic_context, (slug,), ("papers",), f"topic:{slug}", (ITEM,))
        for slug in index.topics
        if slug in present
    ]
    pages.append(Page(urls.topics_index(), "topics.html", _topics_index_context, (), ("papers",), "topics"))
    return pages


def _topic_context(get, slug: str) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    rule = index.topics[slug]
    chosen = index.by_topic[slug]
    groups: dict[str, list[dict]] = defaultdict(list)
    for s in chosen:
        groups[s["venue_label"] or "会议未知"].append(s)
    return {
        "page": {
            "title": rule.name + (f"（{rule.name_zh}）" if rule.name_zh else ""),
            "description": f"主题 {rule.name}：{len(chosen)} 篇论文",
            "kind": "topic",
            "url": urls.topic(slug),
            "breadcrumbs": [{"label": "主题", "href": urls.href(urls.topics_index())}],
        },
        "topic": {
            "name": rule.name,
            "name_zh": rule.name_zh,
            "keywords": list(rule.keywords),
            "count": len(chosen),
            "groups": [
                {"label": g, "papers": index.listed(groups[g])}
                for g in sorted(groups, key=lambda g: (g == "会议未知", g))
            ],
        },
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
            [(s, index.topics[s].name) for s in slugs], columns, cells, "主题 × 会议年份 论文数热力图"
        ),
    }
