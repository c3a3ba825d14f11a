"""Author pages and the alphabetical author index."""

from __future__ import annotations

from collections import Counter, defaultdict

from .bib_files import AUTHOR_MIN, bib_link, list_slug
from .charts import bar_chart
from .page import Page
from .paging import list_pages, lists_script, page_count, page_of, paged_title, pagination, per_page
from .paper_pages import NO_MATH_OR_CODE, list_flags
from .research import PaperIndex, initial, year_counts

ITEM = "_paper_item.html"
NO_FACTS = {"coauthors": [], "more_coauthors": 0, "topics": [], "chart": None, "truncated": 0}  # pages 2..
# The co-author cloud: the co-authors of two papers or more, up to COAUTHORS_REPEAT, most frequent first; an
# author whose list goes on past page 1 gets it filled up to COAUTHORS_SHOWN with the others. One-paper
# co-authors of a one-page list are each named in the item on the same page: at 27,000 papers full clouds
# were 55 MB of author pages, filled ones 27 MB.
COAUTHORS_SHOWN, COAUTHORS_REPEAT = 20, 30


def author_pages(index: PaperIndex) -> list[Page]:
    urls = index.urls
    size = per_page(index.per_page)
    pages = []
    for name, papers in index.by_author.items():
        pages += list_pages(urls, urls.author(index.author_slug[name]), len(papers), size, "author.html",
                            _author_context, (name,), ("papers",), f"author:{name}", (ITEM,))  # fmt: skip
    pages.append(Page(urls.authors_index(), "authors.html", _index_context, (), ("papers",), "authors"))
    return pages


def _author_context(get, name: str, number: int) -> dict:
    """Page `number` of an author's papers, by year. The facts about the author (papers per year,
    co-authors, topics) are on page 1 only, and only where they say something: a chart for papers in
    two years or more, a co-author cloud for two papers or more (one paper's item lists its authors)."""
    index: PaperIndex = get("papers")
    urls = index.urls
    papers = index.by_author[name]
    url = urls.author(index.author_slug[name])
    size = per_page(index.per_page)
    shown = index.listed(page_of(papers, number, size))
    by_year = defaultdict(list)
    for s in shown:
        by_year[s["year"]].append(s)
    years = sorted((y for y in by_year if y), reverse=True) + ([None] if None in by_year else [])
    venues = Counter(s["venue_label"] for s in papers if s["venue_name"])
    crumbs = [{"label": "作者", "href": urls.href(urls.authors_index())}]
    if number > 1:
        crumbs.append({"label": name, "href": urls.href(url)})
    return {
        "page": {
            "title": paged_title(name, number),
            "description": f"{name} 的 {len(papers)} 篇论文",
            "kind": "author",
            "url": urls.paged(url, number),
            "breadcrumbs": crumbs,
            **list_flags(shown),
        },
        "author": {
            "name": name,
            "count": len(papers),
            "years": [{"year": y or "年份未知", "papers": by_year[y]} for y in years],
            "venues": [{"label": v, "count": c} for v, c in sorted(venues.items())],
            **(_facts(index, name, papers) if number == 1 else NO_FACTS),
        },
        "bib": _bib(urls, url, papers),
        "pagination": pagination(urls, url, number, page_count(len(papers), size)),
        "lists_js": lists_script(urls, shown),
    }


def _bib(urls, url: str, papers: list[dict]) -> dict:
    """The author's papers as a .bib; one paper's author: that paper's cite box."""
    if len(papers) >= AUTHOR_MIN:
        return bib_link(urls, url, len(papers), list_slug(url))
    return {"href": papers[0]["href"] + "#cite", "count": 1, "name": ""}


def _facts(index: PaperIndex, name: str, papers: list[dict]) -> dict:
    urls = index.urls
    coauthors = Counter(a for s in papers for a in dict.fromkeys(s["all_authors"]) if a != name)
    topics = Counter(t for s in papers for t in s["topics"])
    per_year = year_counts(papers)
    ranked = sorted(coauthors.items(), key=lambda kv: (-kv[1], kv[0])) if len(papers) > 1 else []
    repeated = sum(c > 1 for c in coauthors.values())
    filled = COAUTHORS_SHOWN if len(papers) > per_page(index.per_page) else 0
    shown = ranked[: max(filled, min(COAUTHORS_REPEAT, repeated))]
    return {
        "coauthors": [{"name": a, "count": c, "href": index.author_href(a)} for a, c in shown],
        "more_coauthors": len(ranked) - len(shown),
        "topics": [
            {"name": index.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
            for t, c in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "truncated": sum(s["authors_truncated"] for s in papers),
        "chart": bar_chart(per_year, f"{name} 每年的论文数") if len(per_year) > 1 else None,
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
            **NO_MATH_OR_CODE,
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
