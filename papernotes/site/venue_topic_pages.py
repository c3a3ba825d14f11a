"""Venue pages (per venue and per venue-year, plus an honest "venue unknown") and topic pages."""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial

from ..model.records import Paper
from .charts import heat_map
from .page import Page

# List pages show paper summaries only, which change only with the model's shape (a full render).
LISTS = frozenset()
from .research import Research, venue_label


def _by_topic(research: Research, papers: list[Paper]) -> list[dict]:
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        for slug in paper.topics:
            groups[slug].append(paper)
    order = [slug for slug in research.topics if slug in groups]
    return [{"name": research.topics[s].name, "name_zh": research.topics[s].name_zh,
             "href": research.urls.href(research.urls.topic(s)), "id": f"topic-{s}",
             "papers": [research.summary(p) for p in groups[s]]} for s in order]


def venue_pages(research: Research) -> list[Page]:
    urls = research.urls
    pages = []
    by_venue: dict[str | None, list[Paper]] = defaultdict(list)
    for paper in research.papers:
        by_venue[paper.venue].append(paper)
    index = []
    for venue in sorted((v for v in by_venue if v), key=str.casefold):
        papers = by_venue[venue]
        years = sorted({p.year for p in papers if p.year}, reverse=True)
        url = urls.venue(venue)
        year_links = [{"label": f"{venue} {y}", "year": y, "href": urls.href(urls.venue(venue, y)),
                       "count": sum(p.year == y for p in papers)} for y in years]
        index.append({"label": venue, "href": urls.href(url), "count": len(papers), "years": year_links})
        pages.append(_venue_page(research, url, venue, papers, year_links,
                                 [{"label": "会议", "href": urls.href(urls.venues_index())}]))
        for y in years:
            chosen = [p for p in papers if p.year == y]
            pages.append(_venue_page(research, urls.venue(venue, y), f"{venue} {y}", chosen, [],
                                     [{"label": "会议", "href": urls.href(urls.venues_index())},
                                      {"label": venue, "href": urls.href(url)}]))
    unknown = by_venue.get(None, [])
    pages.append(_venue_page(research, urls.venue(None), "会议未知", unknown, [],
                             [{"label": "会议", "href": urls.href(urls.venues_index())}],
                             note="这些论文的来源没有给出会议或期刊信息（例如 Hugging Face 每日论文、作者主页抓取），"
                                  "papernotes 不会猜测。"))
    pages.append(Page(urls.venues_index(), "venues.html", {
        "page": {"title": "会议", "description": f"{len(index)} 个会议/期刊", "kind": "list", "url": urls.venues_index()},
        "venues": index,
        "unknown": {"href": urls.href(urls.venue(None)), "count": len(unknown)},
    }, LISTS, "venues"))
    return pages


def _venue_page(research, url, title, papers, year_links, crumbs, note="") -> Page:
    def context() -> dict:
        return {
            "page": {"title": title, "description": f"{title}：{len(papers)} 篇论文", "kind": "venue", "url": url,
                     "breadcrumbs": crumbs},
            "venue": {"title": title, "count": len(papers), "years": year_links, "note": note,
                      "topics": _by_topic(research, papers)},
        }
    return Page(url, "venue.html", context, LISTS, f"venue:{title}")


def topic_pages(research: Research) -> list[Page]:
    urls = research.urls
    pages = []
    by_topic: dict[str, list[Paper]] = defaultdict(list)
    for paper in research.papers:
        for slug in paper.topics:
            by_topic[slug].append(paper)
    slugs = [s for s in research.topics if s in by_topic]
    for slug in slugs:
        pages.append(Page(urls.topic(slug), "topic.html", partial(_topic_context, research, slug, by_topic[slug]),
                          LISTS, f"topic:{slug}"))
    pages.append(Page(urls.topics_index(), "topics.html", partial(_topics_index_context, research, slugs, by_topic),
                      LISTS, "topics"))
    return pages


def _topic_context(research: Research, slug: str, papers: list[Paper]) -> dict:
    urls = research.urls
    rule = research.topics[slug]
    url = urls.topic(slug)
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        groups[venue_label(paper) or "会议未知"].append(paper)
    return {
        "page": {"title": rule.name + (f"（{rule.name_zh}）" if rule.name_zh else ""),
                 "description": f"主题 {rule.name}：{len(papers)} 篇论文", "kind": "topic", "url": url,
                 "breadcrumbs": [{"label": "主题", "href": urls.href(urls.topics_index())}]},
        "topic": {"name": rule.name, "name_zh": rule.name_zh, "keywords": list(rule.keywords), "count": len(papers),
                  "groups": [{"label": g, "papers": [research.summary(p) for p in groups[g]]}
                             for g in sorted(groups, key=lambda g: (g == "会议未知", g))]},
    }


def _topics_index_context(research: Research, slugs: list[str], by_topic: dict) -> dict:
    urls = research.urls
    columns = sorted({venue_label(p) for p in research.papers if p.venue})
    if any(not p.venue for p in research.papers):
        columns.append("未知")
    cells = Counter((t, venue_label(p) or "未知") for p in research.papers for t in p.topics)
    return {
        "page": {"title": "主题", "description": f"{len(slugs)} 个研究主题", "kind": "list", "url": urls.topics_index()},
        "topics": [{"name": research.topics[s].name, "name_zh": research.topics[s].name_zh,
                    "href": urls.href(urls.topic(s)), "count": len(by_topic[s])} for s in slugs],
        "heat_map": heat_map([(s, research.topics[s].name) for s in slugs], columns, cells, "主题 × 会议年份 论文数热力图"),
    }
