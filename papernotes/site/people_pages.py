"""Author pages and the alphabetical author index."""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial

from .charts import bar_chart
from .page import Page

# List pages show paper summaries only, which change only with the model's shape (a full render).
LISTS = frozenset()
from .research import Research, initial, venue_label, year_counts


def author_pages(research: Research) -> list[Page]:
    pages = []
    for name, papers in research.by_author.items():
        url = research.author_url(name)
        pages.append(Page(url, "author.html", partial(_author_context, research, name, papers, url),
                          LISTS, f"author:{name}"))
    pages.append(_index(research))
    return pages


def _author_context(research: Research, name: str, papers: list, url: str) -> dict:
    urls = research.urls
    by_year = defaultdict(list)
    for paper in papers:
        by_year[paper.year].append(paper)
    years = sorted((y for y in by_year if y), reverse=True) + ([None] if None in by_year else [])
    coauthors = Counter(a for p in papers for a in dict.fromkeys(p.authors) if a != name)
    venues = Counter(venue_label(p) for p in papers if p.venue)
    topics = Counter(t for p in papers for t in p.topics)
    return {
        "page": {"title": name, "description": f"{name} 的 {len(papers)} 篇论文", "kind": "author", "url": url,
                 "breadcrumbs": [{"label": "作者", "href": urls.href(urls.authors_index())}]},
        "author": {
            "name": name, "count": len(papers),
            "years": [{"year": y or "年份未知", "papers": [research.summary(p) for p in by_year[y]]} for y in years],
            "coauthors": [{"name": a, "count": c, "href": urls.href(research.author_url(a))}
                          for a, c in sorted(coauthors.items(), key=lambda kv: (-kv[1], kv[0]))],
            "venues": [{"label": v, "count": c} for v, c in sorted(venues.items())],
            "topics": [{"name": research.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
                       for t, c in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))],
            "truncated": sum(p.authors_truncated for p in papers),
            "chart": bar_chart(year_counts(papers), f"{name} 每年的论文数"),
        },
    }


def _index(research: Research) -> Page:
    return Page(research.urls.authors_index(), "authors.html", partial(_index_context, research), LISTS, "authors")


def _index_context(research: Research) -> dict:
    urls = research.urls
    groups: dict[str, list[dict]] = defaultdict(list)
    for name, papers in research.by_author.items():
        groups[initial(name)].append({"name": name, "count": len(papers), "href": urls.href(research.author_url(name))})
    letters = sorted(groups, key=lambda letter: (letter == "#", letter))
    return {
        "page": {"title": "作者", "description": f"{len(research.by_author)} 位作者，按字母排序", "kind": "list",
                 "url": urls.authors_index()},
        "total": len(research.by_author),
        "letters": [{"letter": letter, "id": "letter-" + ("other" if letter == "#" else letter.lower()),
                     "authors": groups[letter]} for letter in letters],
    }
