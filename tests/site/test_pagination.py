"""Issue 13 "Lighter pages": every list of papers (venue, venue-year, venue unknown, topic, author) and
every long tag or category list is paginated -- at most 50 items a page, each item once per list, page N
at `<list>page/N/` with prev/next links and "page N of M" -- and one-paper author pages stay light."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from linkcheck import broken_links
from sitebuild import build_site, soup

from papernotes.site.paging import MAX_PER_PAGE, pagination, per_page
from papernotes.site.urls import Urls

BASE = "https://example.github.io"  # site_src/site.yaml's base_url: canonical links are absolute
PAGE_OF = re.compile(r"第 (\d+) 页，共 (\d+) 页")


def _file(output: Path, href: str) -> Path:
    return output / href.lstrip("/") / "index.html"


def _items(page) -> list[str]:
    """The hrefs of the items a list page lists (papers, or posts and notes), in page order."""
    items = "[data-list] .paper-item > a.paper-title, [data-list] .entry-title a, .archive-list > li > a"
    return [a["href"] for a in page.select(items)]


def walk(output: Path, root: str, base: str = BASE) -> list[list[str]]:
    """Follow a list from its page 1 at `root` ('/venues/cvpr/') through its rel=next links, checking
    the pager of each page on the way; returns the item hrefs of each page."""
    pages, href, expected_prev = [], root, ""
    total = None
    while href:
        number = len(pages) + 1
        assert href == (root if number == 1 else f"{root}page/{number}/"), href
        page = soup(_file(output, href))
        assert page.select_one('link[rel="canonical"]')["href"] == base + href  # its own URL, also on page 2..M
        nav = page.select_one("nav.pagination")
        if nav is None:  # a one-page list shows no pager, and has no page/ folder
            assert number == 1 and not (_file(output, root).parent / "page").exists(), root
            return [_items(page)]
        got = PAGE_OF.search(nav.get_text())
        assert got and int(got[1]) == number, (href, nav.get_text())
        total = total or int(got[2])
        assert int(got[2]) == total > 1
        prev = nav.select_one('a[rel="prev"]')
        assert (prev["href"] if prev else "") == expected_prev, href
        assert nav.select_one('strong[aria-current="page"]').get_text() == str(number)
        for link in nav.select("a[href]"):  # every page number shown leads to that page of this list
            assert link["href"] in (root, *(f"{root}page/{n}/" for n in range(2, total + 1))), link["href"]
        pages.append(_items(page))
        expected_prev, nxt = href, nav.select_one('a[rel="next"]')
        href = nxt["href"] if nxt else ""
    assert len(pages) == total, root
    assert sorted(p.name for p in (_file(output, root).parent / "page").iterdir()) == sorted(
        str(n) for n in range(2, total + 1)
    )
    return pages


def _check_sizes(pages: list[list[str]], size: int, root: str) -> list[str]:
    """Full pages but the last, none over `size`, no item twice: the items of the whole list."""
    assert all(len(p) == size for p in pages[:-1]), (root, [len(p) for p in pages])
    assert 0 < len(pages[-1]) <= size or len(pages) == 1, root
    listed = [href for p in pages for href in p]
    assert len(listed) == len(set(listed)), f"{root} lists a paper twice"
    return listed


def _list_roots(output: Path, folder: str) -> list[str]:
    """Page 1 of every list under output/<folder>/ (not the folder's own index, not a page/N/)."""
    roots = []
    for path in sorted((output / folder).rglob("index.html")):
        rel = path.parent.relative_to(output).as_posix()
        if rel != folder and "/page/" not in f"/{rel}/":
            roots.append(f"/{rel}/")
    return roots


@pytest.fixture(scope="module")
def seed_papers(seed_site):
    """What the seed's paper pages say of each paper: href -> (venue badge href or None, topic hrefs)."""
    output, _ = seed_site
    papers = {}
    for path in sorted((output / "papers").iterdir()):
        if path.is_dir() and path.name not in ("page", "year"):
            page = soup(path / "index.html")
            badge = page.select_one(".paper-facts a.venue-badge")
            topics = {a["href"] for a in page.select(".topic-row a.topic")}
            papers[f"/papers/{path.name}/"] = (badge["href"] if badge else None, topics)
    assert len(papers) == 371
    return papers


def test_venue_pages_list_each_paper_of_the_venue_exactly_once(seed_site, seed_papers):
    output, _ = seed_site
    expected: dict[str, set[str]] = defaultdict(set)
    for href, (venue, _) in seed_papers.items():
        if venue is None:
            expected["/venues/unknown/"].add(href)
        else:
            expected[venue].add(href)  # its venue-year page
            expected["/" + "/".join(venue.strip("/").split("/")[:2]) + "/"].add(href)  # its venue's page
    roots = _list_roots(output, "venues")
    assert set(roots) == set(expected)
    paginated = 0
    for root in roots:
        pages = walk(output, root)
        paginated += len(pages) > 1
        first = soup(_file(output, root))
        count = int(first.select_one("h1 .count").get_text())
        assert count == len(expected[root]), root
        years = first.select("p.year-links a")
        if root.count("/") == 3 and years:  # /venues/cvpr/: its years, with counts; it lists none of them
            assert [a["href"] for a in years] == sorted((a["href"] for a in years), reverse=True)
            assert {h for a in years for h in expected[a["href"]]} == expected[root], root
            counts = [int(a.find_next_sibling("span", class_="count").get_text()) for a in years]
            assert counts == [len(expected[a["href"]]) for a in years] and sum(counts) == count, root
            assert _check_sizes(pages, MAX_PER_PAGE, root) == [], root  # every seed paper has a year
            assert not first.select("[data-list]"), root
        else:
            assert set(_check_sizes(pages, MAX_PER_PAGE, root)) == expected[root], root
    assert paginated >= 2  # CVPR 2023 and the unknown venue are long lists
    cvpr23 = walk(output, "/venues/cvpr/2023/")
    assert len(cvpr23) == 4 and sum(map(len, cvpr23)) >= 200


def test_venue_page_shows_topics_once_as_a_filter_row_not_on_every_item(seed_site, seed_papers):
    output, _ = seed_site
    page = soup(output / "venues/cvpr/2023/index.html")
    assert not page.select("section.topic-group")  # no repeated section per topic
    row = page.select("nav.list-filter a")
    counts = [int(a.find_next_sibling("span", class_="count").get_text()) for a in row]
    in_venue = [topics for venue, topics in seed_papers.values() if venue == "/venues/cvpr/2023/"]
    assert {a["href"]: c for a, c in zip(row, counts)} == {
        t: sum(t in topics for topics in in_venue) for t in set().union(*in_venue)
    }
    for a in row:
        assert _file(output, a["href"]).is_file()
    items = page.select("[data-list] .paper-item")
    assert len(items) == 50
    for item in items:  # an item links its paper, venue and authors; its topics are on the paper's page
        assert not item.select('a[href^="/topics/"]'), item
        assert seed_papers[item.select_one("a.paper-title")["href"]][0] == "/venues/cvpr/2023/"


def test_topic_pages_list_each_paper_once_with_a_venue_filter_row(seed_site, seed_papers):
    output, _ = seed_site
    expected: dict[str, list[str]] = defaultdict(list)
    for href, (_, topics) in seed_papers.items():
        for topic in topics:
            expected[topic].append(href)
    roots = _list_roots(output, "topics")
    assert set(roots) == set(expected) and len(roots) >= 5
    for root in roots:
        pages = walk(output, root)
        assert sorted(_check_sizes(pages, MAX_PER_PAGE, root)) == sorted(expected[root])
        first = soup(_file(output, root))
        assert not first.select("section.venue-group")
        row = first.select("nav.list-filter a")
        counts = {a["href"]: int(a.find_next_sibling("span", class_="count").get_text()) for a in row}
        assert sum(counts.values()) == len(expected[root])
        for venue_href, count in counts.items():
            assert count == sum((seed_papers[h][0] or "/venues/unknown/") == venue_href for h in expected[root]), (
                venue_href
            )
    # The usual order: newest first (the items' years never go up along the list), across its pages.
    root, years = "/topics/representation-learning/", []
    for n in range(1, len(walk(output, root)) + 1):
        page = soup(_file(output, root if n == 1 else f"{root}page/{n}/"))
        years += [int(a.get("data-year", 0)) for a in page.select("[data-list] .paper-item > a.paper-title")]
    assert years == sorted(years, reverse=True) and len(years) > 2 * MAX_PER_PAGE


def test_author_pages_of_the_seed_and_one_paper_authors_are_light(seed_site):
    output, _ = seed_site
    roots = _list_roots(output, "authors")
    assert len(roots) == 1269
    single = multi_year = 0
    for root in roots:
        page = soup(_file(output, root))
        count = int(re.match(r"\d+", page.select_one(".lead").get_text())[0])
        assert len(_items(page)) == min(count, MAX_PER_PAGE)
        years = {a.get("data-year") for a in page.select("[data-list] .paper-item > a.paper-title")}
        has_chart = page.select_one(".chart-box svg") is not None
        assert has_chart == (len(years - {None}) > 1), root
        coauthors = [h for h in page.select(".side-facts h2") if h.get_text() == "合作者"]
        assert bool(coauthors) == bool(page.select(".side-facts a[href^='/authors/']"))
        if count == 1:
            single += 1
            assert not coauthors and not has_chart
            assert page.select(".side-facts a[href^='/topics/']")  # the topic(s) stay
            assert page.select_one("script[src$='lists.js']") is None  # nothing to filter
        multi_year += has_chart
    assert single > 600 and multi_year > 10
    wang = soup(output / "authors/nannan-wang/index.html")
    assert [h.get_text() for h in wang.select(".side-facts h2")] == ["合作者", "主题"]


def _oversized(output: Path, folder: str) -> list[str]:
    return [
        path.parent.relative_to(output).as_posix()
        for path in sorted((output / folder).rglob("index.html"))
        if len(soup(path).select(".paper-list > .paper-item, .entry-list > .entry, .archive-list > li")) > MAX_PER_PAGE
    ]


def test_every_list_page_has_at_most_50_items_and_no_link_is_broken(seed_site):
    output, _ = seed_site
    for folder in ("venues", "topics", "authors", "tags", "categories", "papers", "notes", "posts", "archive"):
        assert _oversized(output, folder) == [], folder
    assert broken_links(output) == []


def test_papers_list_is_its_own_year_index(seed_site, seed_papers):
    output, _ = seed_site
    pages = walk(output, "/papers/")
    everything = _check_sizes(pages, MAX_PER_PAGE, "/papers/")
    assert sorted(everything) == sorted(seed_papers)  # /papers/ lists every paper once, 50 a page
    assert not (output / "papers/year").exists()  # no second copy of the list by year
    years = []  # the data-year of every item, in list order (newest first)
    for n in range(1, len(pages) + 1):
        page = soup(_file(output, "/papers/" if n == 1 else f"/papers/page/{n}/"))
        for section in page.select("[data-list] section.year-group"):
            marks = {a.get("data-year") for a in section.select(".paper-item > a.paper-title")}
            assert marks == {section.get("id", "year-").removeprefix("year-") or None}, marks
            assert section.h2.get_text() == (section["id"][5:] if section.get("id") else "年份未知")
        years += [a.get("data-year") for a in page.select("[data-list] .paper-item > a.paper-title")]
    assert [int(y) for y in years if y] == sorted((int(y) for y in years if y), reverse=True)
    links = soup(_file(output, "/papers/page/3/")).select("details.filters p:nth-of-type(2) a")
    assert len(links) >= 3
    for link in links:  # each year's filter link opens the page where that year starts, at its heading
        href, _, anchor = link["href"].partition("#")
        year = link.get_text()
        start = years.index(year)
        assert href == ("/papers/" if start < MAX_PER_PAGE else f"/papers/page/{start // MAX_PER_PAGE + 1}/"), year
        assert anchor == f"year-{year}" and soup(_file(output, href)).select_one(f"section#{anchor}"), year
        assert int(link.find_next_sibling("span", class_="count").get_text()) == years.count(year)


def test_list_pages_load_lists_js_deferred_and_show_no_controls_without_it(seed_site):
    output, _ = seed_site
    assert (output / "static/lists.js").is_file()
    for rel in ("venues/cvpr/2023/index.html", "topics/video/index.html", "authors/nannan-wang/index.html"):
        page = soup(output / rel)
        script = page.select_one("script[src='/static/lists.js']")
        assert script is not None and script.has_attr("defer"), rel
        assert not page.select("main input, main select, .list-controls"), rel  # the script inserts its controls
    assert soup(output / "index.html").select_one("script[src$='lists.js']") is None  # not in base.html


def test_paging_urls_and_pager_window():
    urls = Urls("/notes/")
    assert urls.paged("venues/cvpr/", 1) == "venues/cvpr/"
    assert urls.paged("venues/cvpr/", 3) == "venues/cvpr/page/3/"
    assert urls.papers_page(2) == "papers/page/2/"
    shown = [p["number"] for p in pagination(urls, "topics/x/", 9, 40)["pages"]]
    assert shown == [1, None, 7, 8, 9, 10, 11, None, 40]
    assert [p["number"] for p in pagination(urls, "topics/x/", 1, 5)["pages"]] == [1, 2, 3, 4, 5]
    four = pagination(urls, "topics/x/", 4, 4)
    assert [p["number"] for p in four["pages"]] == [1, 2, 3, 4]
    assert (four["prev"], four["next"]) == ("/notes/topics/x/page/3/", "")
    assert pagination(urls, "topics/x/", 2, 4)["prev"] == "/notes/topics/x/"
    assert (per_page(20), per_page(50), per_page(500)) == (20, 50, 50)


def _paper(n: int, authors: str, year: int) -> str:
    return (
        f"## [{n}] Synthetic Study Number {n:03d} of Diffusion Models\n\n**Authors**: *{authors}*\n\n"
        f"**Conference**: *cvpr {year}*\n\n**URL**: [https://doi.org/10.1/x{n}](https://doi.org/10.1/x{n})\n\n"
        f"**Abstract**:\n\nWe study diffusion models, sample {n}.\n\n----\n\n"
    )


def test_long_author_list_and_long_tag_are_paginated(tmp_path):
    """120 papers by one author over three years, 60 posts with one tag; papers_per_page 20 is used as is."""
    src = tmp_path / "site_src"
    (src / "papers").mkdir(parents=True)
    (src / "posts").mkdir()
    (src / "site.yaml").write_text("title: T\nbase_url: https://t.example/\npapers_per_page: 20\n", encoding="utf-8")
    listing = "".join(_paper(n, f"Ada Lovelace, Coauthor {n % 7}", 2021 + n % 3) for n in range(120))
    undated = (
        _paper(998, "Una Dated", 2020)
        .replace("cvpr 2020", "cvpr")
        .replace("Synthetic Study Number 998 of Diffusion Models", "An Undated CVPR Study")
    )
    (src / "papers/list.md").write_text(listing + _paper(999, "Solo Person", 2020) + undated, encoding="utf-8")
    for n in range(60):
        post = f"---\ntitle: Post {n:02d}\ndate: 2024-01-{1 + n % 28:02d} 10:{n:02d}:00\ntags: [long]\n---\nText {n}.\n"
        (src / "posts" / f"p{n:02d}.md").write_text(post, encoding="utf-8")
    out = tmp_path / "out"
    report = build_site(src, out, search=False)
    assert report.errors == 0

    pages = walk(out, "/authors/ada-lovelace/", "https://t.example")
    assert len(pages) == 6 and len(set(_check_sizes(pages, 20, "ada"))) == 120
    first = soup(out / "authors/ada-lovelace/index.html")
    assert first.select_one(".chart-box svg") is not None and first.select(".side-facts a[href^='/authors/']")
    years = [h.contents[0].strip() for h in first.select(".year-group h2")]
    assert years == sorted(years, reverse=True)
    second = soup(out / "authors/ada-lovelace/page/2/index.html")
    assert second.select_one("title").get_text().startswith("Ada Lovelace · 第 2 页")
    assert not second.select(".side-facts")  # the author's facts are on page 1
    solo = soup(out / "authors/solo-person/index.html")
    assert solo.select_one(".chart-box") is None and "合作者" not in solo.get_text()
    assert len(walk(out, "/venues/cvpr/2021/", "https://t.example")) == 2  # 40 papers, 20 a page
    venue = soup(out / "venues/cvpr/index.html")  # the venue's page: its years, and its papers without one
    assert [a.get_text() for a in venue.select("p.year-links a")] == [f"CVPR {y}" for y in (2023, 2022, 2021, 2020)]
    assert int(venue.select_one("h1 .count").get_text()) == 122
    assert walk(out, "/venues/cvpr/", "https://t.example") == [["/papers/an-undated-cvpr-study/"]]

    tag = walk(out, "/tags/long/", "https://t.example")
    assert [len(p) for p in tag] == [50, 10]
    assert len(set(_check_sizes(tag, MAX_PER_PAGE, "tag"))) == 60
    # The posts' own index and the archive (all years, and 2024's) are paginated the same way.
    for root in ("/posts/", "/archive/", "/archive/2024/"):
        pages = walk(out, root, "https://t.example")
        assert [len(p) for p in pages] == [50, 10] and _check_sizes(pages, MAX_PER_PAGE, root) == tag[0] + tag[1]
    archive = soup(out / "archive/page/2/index.html")
    assert [h.get_text(" ", strip=True) for h in archive.select(".archive-year h2")] == ["2024 60"]  # all of 2024
    assert [a.get_text() for a in archive.select("nav.breadcrumbs a")] == ["首页", "归档"]
    assert len(soup(out / "index.html").select(".entry-list > .entry")) == MAX_PER_PAGE  # the home: the newest
    assert broken_links(out) == []


def test_coauthor_cloud_keeps_the_frequent_ones_and_counts_the_rest(tmp_path):
    """A prolific author: 40 one-paper co-authors and 25 repeat ones. The cloud shows the repeat ones by count
    (up to 30 while they shared two papers or more, at least 20 in all when the list is longer than a page) and
    says how many are left out."""
    src = tmp_path / "site_src"
    (src / "papers").mkdir(parents=True)
    (src / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n", encoding="utf-8")
    listing = "".join(_paper(n, f"Ada Lovelace, Once {n:02d}", 2022) for n in range(40))
    listing += "".join(_paper(100 + n, f"Ada Lovelace, Often {n % 25:02d}", 2023) for n in range(25 * 3))
    (src / "papers/list.md").write_text(listing, encoding="utf-8")
    out = tmp_path / "out"
    assert build_site(src, out, search=False).errors == 0
    page = soup(out / "authors/ada-lovelace/index.html")
    cloud = [a.get_text() for a in page.select(".side-facts a[href^='/authors/']")]
    assert cloud == [f"Often {n:02d}" for n in range(25)]  # all repeat ones, by count then name; no one-timer
    counts = {int(c.get_text()) for c in page.select(".side-facts .term-cloud")[0].select(".count")}
    assert counts == {3}
    assert page.select_one(".more-coauthors").get_text() == "另有 40 位合作者，见论文列表。"
    # Fewer repeat co-authors than 20 on a list longer than a page: the cloud is filled up to 20 with the
    # others, by name (page 1 does not show them all).
    few = tmp_path / "few"
    (few / "papers").mkdir(parents=True)
    (few / "site.yaml").write_text("title: T\nbase_url: https://t.example/\npapers_per_page: 20\n", encoding="utf-8")
    listing = "".join(_paper(n, f"Ada Lovelace, Once {n:02d}", 2022) for n in range(30))
    (few / "papers/list.md").write_text(listing + _paper(99, "Ada Lovelace, Once 05", 2023), encoding="utf-8")
    assert build_site(few, tmp_path / "few-out", search=False).errors == 0
    page = soup(tmp_path / "few-out/authors/ada-lovelace/index.html")
    cloud = [a.get_text() for a in page.select(".side-facts a[href^='/authors/']")]
    assert cloud == ["Once 05"] + [f"Once {n:02d}" for n in range(30) if n != 5][:19]
    assert page.select_one(".more-coauthors").get_text() == "另有 10 位合作者，见论文列表。"
    # The same list on one page names every co-author in its items: the cloud keeps the repeat one only.
    (few / "site.yaml").write_text("title: T\nbase_url: https://t.example/\n", encoding="utf-8")
    assert build_site(few, tmp_path / "one-page", search=False).errors == 0
    page = soup(tmp_path / "one-page/authors/ada-lovelace/index.html")
    assert [a.get_text() for a in page.select(".side-facts a[href^='/authors/']")] == ["Once 05"]
    assert page.select_one(".more-coauthors").get_text() == "另有 29 位合作者，见论文列表。"
    assert broken_links(out) == [] and broken_links(tmp_path / "few-out") == []


def test_pages_of_a_list_come_and_go_incrementally_as_in_a_clean_build(tmp_path):
    """papers_per_page 1: every list of two papers or more is paginated; papers come, go and move
    between lists, and the dev builder's output stays byte for byte that of a clean build."""
    from oracle_site import SITE_YAML, apply, clean_build, differences, make_site, options

    from papernotes.pipeline import Builder

    site = make_site(tmp_path / "site", tmp_path / "katex")
    site.write("site.yaml", SITE_YAML.replace("papers_per_page: 50", "papers_per_page: 1"))
    dev = Builder(options(site, tmp_path / "dev-out", dev=True))
    try:
        assert dev.build().errors == 0
        assert (tmp_path / "dev-out/venues/cvpr/2023/page/2/index.html").is_file()
        for edit in [("listing", 3, 0), ("listing", 2, 0), ("listing", 4, 1), ("listing", 2, 1), ("listing", 1, 0)]:
            dev.build(apply(site, edit))
            _, clean = clean_build(site, tmp_path / "katex", tmp_path / "clean")
            assert differences(clean, tmp_path / "dev-out") == [], edit
    finally:
        dev.close()
