"""A page per paper, and the paginated /papers/ index with filter links."""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from typing import Callable

from markupsafe import Markup

from ..model.records import Paper
from .page import Page

# List pages show paper summaries only, which change only with the model's shape (a full render).
LISTS = frozenset()
from .research import Research, venue_label

RELATED = 6


def _related(research: Research, paper: Paper) -> list[dict]:
    """Papers sharing authors (strongest) or topics; deterministic, a handful."""
    scores: Counter = Counter()
    for name in paper.authors:
        for other in research.by_author.get(name, ()):
            if other.key != paper.key:
                scores[other.key] += 10
    if len(scores) < RELATED and paper.topics != ("other",):
        # Same venue, shared topics: look only near this paper in each (venue, topic) list.
        for topic in paper.topics:
            for other_key in research.venue_topic_neighbours(paper, topic, 3 * RELATED):
                scores[other_key] += 1
    best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED]
    return [research.summary(research.by_key[k]) for k, _ in best]


def _links(paper: Paper) -> list[dict]:
    links = []
    if paper.arxiv:
        links.append({"label": "arXiv", "href": f"https://arxiv.org/abs/{paper.arxiv}"})
        links.append({"label": "PDF", "href": f"https://arxiv.org/pdf/{paper.arxiv}"})
    if paper.doi:
        links.append({"label": "DOI", "href": f"https://doi.org/{paper.doi}"})
    seen = {link["href"] for link in links}
    for url in paper.links:
        if url not in seen and url.startswith(("http://", "https://")):
            label = "arXiv" if "arxiv.org" in url else "DOI" if "doi.org" in url else "来源"
            links.append({"label": label, "href": url})
            seen.add(url)
    return links


def paper_view(research: Research, paper: Paper, bibtex: Callable[[Paper], str]) -> dict:
    urls = research.urls
    view = dict(research.summary(paper))  # a copy: the summary is shared by every list
    view.pop("html", None)
    _, abstract_html = research.html.get(paper.key, ("", ""))
    notes = []
    for ref in research.notes.get(paper.key, ()):
        doc = research.docs.get(ref.doc_path)
        if doc is None:
            continue
        notes.append({"title": doc["title"], "kind_label": doc["kind_label"], "heading": ref.heading,
                      "href": doc["href"] + (f"#{ref.anchor}" if ref.anchor else "")})
    view.update({
        "authors": [{"name": a, "href": urls.href(research.author_url(a))} for a in paper.authors],
        "more_authors": 0,
        "topics": research.topic_links(paper),
        "links": _links(paper),
        "abstract_html": Markup(abstract_html),
        "date": paper.date or "",
        "has_code": paper.has_code,
        "affiliation": paper.affiliation or "",
        "bibtex": bibtex(paper),
        "notes": notes,
        "listed_in": [{"where": f"{r.source.path}:{r.source.line}", "format": r.format} for r in paper.records],
        "related": _related(research, paper),
    })
    return view


def paper_pages(research: Research, bibtex: Callable[[Paper], str]) -> list[Page]:
    pages = []
    for paper in research.papers:
        url = research.paper_url(paper)
        pages.append(Page(url, "paper.html", partial(_paper_context, research, paper, url, bibtex),
                          research.deps([paper]) | frozenset(r.doc_path for r in research.notes.get(paper.key, ())),
            f"paper:{paper.key}"))
    return pages + _papers_index(research)


def _paper_context(research: Research, paper: Paper, url: str, bibtex) -> dict:
    urls = research.urls
    view = paper_view(research, paper, bibtex)
    crumbs = [{"label": "论文", "href": urls.href(urls.papers_index())}]
    if view["venue"]:
        crumbs.append({"label": view["venue_label"], "href": view["venue"]["href"]})
    description = (paper.title_zh + " · " if paper.title_zh else "") + ", ".join(paper.authors[:3])
    return {"page": {"title": paper.title, "description": description or venue_label(paper) or "论文",
                     "kind": "paper", "url": url, "breadcrumbs": crumbs},
            "paper": view}


def _papers_index(research: Research) -> list[Page]:
    urls = research.urls
    per_page = research.per_page
    papers = research.papers
    total_pages = max(1, -(-len(papers) // per_page))
    venues = Counter(venue_label(p) or "未知" for p in papers)
    topics = Counter(t for p in papers for t in p.topics)
    years = Counter(p.year for p in papers if p.year)
    filters = {
        "venues": [{"label": v, "count": c, "href": urls.href(_venue_url(research, v))}
                   for v, c in sorted(venues.items(), key=lambda kv: (kv[0] == "未知", kv[0]))],
        "years": [{"label": str(y), "count": years[y], "href": urls.href(urls.papers_year(y))}
                  for y in sorted(years, reverse=True)],
        "topics": [{"label": research.topics[t].name, "count": c, "href": urls.href(urls.topic(t))}
                   for t, c in sorted(topics.items(), key=lambda kv: (kv[0] == "other", -kv[1], kv[0]))],
    }
    pages = []
    for number in range(1, total_pages + 1):
        chunk = papers[(number - 1) * per_page: number * per_page]
        url = urls.papers_page(number)
        pages.append(Page(url, "papers.html", partial(_index_context, research, url, number, total_pages, chunk,
                                                      filters), LISTS, f"papers:{number}"))
    by_year: dict[int, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.year:
            by_year[paper.year].append(paper)
    for year, chunk in sorted(by_year.items()):
        url = urls.papers_year(year)
        pages.append(Page(url, "papers.html", partial(_year_context, research, url, year, chunk, filters),
                          LISTS, f"papers-year:{year}"))
    return pages


def _index_context(research: Research, url: str, number: int, total_pages: int, chunk, filters) -> dict:
    urls = research.urls
    return {
        "page": {"title": "论文" if number == 1 else f"论文 · 第 {number} 页",
                 "description": f"全部 {len(research.papers)} 篇论文，按年份与会议排序", "kind": "list", "url": url},
        "heading": "全部论文", "total": len(research.papers), "papers": [research.summary(p) for p in chunk],
        "filters": filters,
        "pagination": {"number": number, "total": total_pages,
                       "prev": urls.href(urls.papers_page(number - 1)) if number > 1 else "",
                       "next": urls.href(urls.papers_page(number + 1)) if number < total_pages else "",
                       "pages": [{"number": n, "href": urls.href(urls.papers_page(n))} for n in range(1, total_pages + 1)]},
    }


def _year_context(research: Research, url: str, year: int, chunk, filters) -> dict:
    urls = research.urls
    return {
        "page": {"title": f"{year} 年的论文", "description": f"{year} 年的 {len(chunk)} 篇论文", "kind": "list",
                 "url": url, "breadcrumbs": [{"label": "论文", "href": urls.href(urls.papers_index())}]},
        "heading": f"{year} 年的论文", "total": len(chunk), "papers": [research.summary(p) for p in chunk],
        "filters": filters, "pagination": None,
    }


def _venue_url(research: Research, label: str) -> str:
    if label == "未知":
        return research.urls.venue(None)
    name, _, year = label.rpartition(" ")
    if year.isdigit() and name:
        return research.urls.venue(name, int(year))
    return research.urls.venue(label)
