"""Issue 14: a `.bib` download of every list of papers on the seed site -- each venue and venue-year, topic,
author of two papers or more, and tag -- holding exactly the papers the list shows, as the BibTeX of their
own pages (parsed back with bibtexparser), linked from the list's page."""

from __future__ import annotations

import bibtexparser
import pytest
from sitebuild import soup


@pytest.fixture(scope="module")
def bibs(seed_site) -> dict[str, str]:
    output, _ = seed_site
    return {p.parent.relative_to(output).as_posix() + "/": p.read_text("utf-8") for p in output.rglob("papers.bib")}


def _page_keys(output, page) -> list[str]:
    """The BibTeX keys of the papers a list page shows, from each paper's own page."""
    keys = []
    for a in page.select("li.paper-item a.paper-title"):
        paper = soup(output / a["href"].lstrip("/") / "index.html")
        keys.append(paper.select_one("#cite-bibtex").get_text().split("{", 1)[1].split(",", 1)[0])
    return keys


def test_every_list_of_papers_has_its_bib(seed_site, bibs):
    output, _ = seed_site
    kinds = {kind: [u for u in bibs if u.startswith(kind)] for kind in ("venues/", "topics/", "authors/", "tags/")}
    assert len(kinds["venues/"]) == 3  # CVPR, CVPR 2022, CVPR 2023
    assert len(kinds["topics/"]) >= 10 and len(kinds["tags/"]) >= 1 and len(kinds["authors/"]) >= 20
    for url, text in bibs.items():
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == [], url
        keys = [e.key for e in library.entries]
        assert len(keys) == len(set(keys)) and keys, url
        assert text.startswith(f"% {len(keys)} papers: https://example.github.io/{url}\n"), url
        page = soup(output / url / "index.html")
        link = page.select_one(".bib-download a")
        assert link["href"] == f"/{url}papers.bib" and link["download"].endswith(".bib"), url
        assert all("abstract" not in e.fields_dict for e in library.entries)


def test_a_bib_holds_the_papers_its_list_shows(seed_site, bibs):
    output, _ = seed_site
    for url in ("venues/cvpr/2022/", "topics/deepfake-detection/", "authors/nannan-wang/"):
        page = soup(output / url / "index.html")
        assert page.select_one(".pagination .page-of") is None, url  # one page: the list is all of it
        shown = _page_keys(output, page)
        assert sorted(e.key for e in bibtexparser.parse_string(bibs[url]).entries) == sorted(shown), url


def test_a_one_paper_author_links_the_papers_cite_box(seed_site, bibs):
    output, _ = seed_site
    singles = 0
    for path in sorted((output / "authors").glob("*/index.html")):
        page = soup(path)
        if page.select_one("p.lead") and page.select_one("p.lead").get_text().startswith("1 篇论文"):
            singles += 1
            link = page.select_one(".bib-download a")
            assert link["href"].endswith("/#cite") and not link.has_attr("download")
            assert path.parent.relative_to(output).as_posix() + "/" not in bibs
    assert singles > 100
