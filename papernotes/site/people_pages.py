"""Author pages and the alphabetical author index."""

from __future__ import annotations

from collections import Counter, defaultdict

from .charts import bar_chart
from .page import Page
from .research import PaperIndex, initial, year_counts

ITEM = "_paper_item.html"


def author_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    pages = [
        Page(
            urls.author(index.author_slug[name]),
            "author.html",
            _author_context,
            (name,),
            ("papers",),
            f"author:{name}",
            (ITEM,),
        )
        for name in index.by_author
    ]
    pages.append(Page(urls.authors_index(), "authors.html", _index_context, (), ("papers",), "authors"))
    return pages


def _author_context(get, name: str) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    papers = index.by_author[name]
    by_year = defaultdict(list)
    for s in papers:
        by_year[s["year"]].append(s)
    years = sorted((y for y in by_year if y), reverse=True) + ([None] if None in by_year else [])
    coauthors = Counter(a for s in papers for a in dict.fromkeys(s["all_authors"]) if a != name)
    venues = Counter(s["venue_label"] for s in papers if s["venue_name"])
    topics = Counter(t for s in papers for t in s["topics"])
    return {
        "page": {
            "title": name,
            "description": f"{name} 的 {len(papers)} 篇论文",
            "kind": "author",
            "url": urls.author(index.author_slug[name]),
            "breadcrumbs": [{"label": "作者", "href": urls.href(urls.authors_index())}],
        },
        "author": {
            "name": name,
            "count": len(papers),
            "years": [{"year": y or "年份未知", "papers": index.listed(by_year[y])} for y in years],
            "coauthors": [
                {"name": a, "count": c, "href": index.author_href(a)}
                for a, c in sorted(coauthors.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "venues": [{"label": v, "count": c} for v, c in sorted(venues.items())],
            "topics": [
                {"name": index.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
                for t, c in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
            "truncated": sum(s["authors_truncated"] for s in papers),
            "chart": bar_chart(year_counts(papers), f"{name} 每年的论文数"),
        },
    }


def _index_context(get) -> dict:
    index: PaperIndex = get("papers")
    urls = index.urls
    groups: dict[str, list[dict]] = defaultdict(list)
    for name, papers in index.by_author.items():
        groups[initial(name)].append({"name": name, "count": len(papers), "href": index.author_href(name)})
    letters = sorted(groups, key=lambda letter: (letter == "#", letter))
    return {
        "page": {
            "title": "作者",
            "description": f"{len(index.by_author)} 位作者，按字母排序",
            "kind": "list",
            "url": urls.authors_index(),
        },
        "total": len(index.by_author),
        "letters": [
            {
                "letter": letter,
                "id": "letter-" + ("other" if letter == "#" else letter.lower()),
                "authors": groups[letter],
            }
            for letter in letters
        ],
    }
