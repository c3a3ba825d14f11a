"""Issue 14, acceptance 4: on the seed site every paper whose sources hold an arXiv id, a DOI, a URL or a code
URL shows it exactly once (two spellings of one thing are one link), every github.com URL written in the
sources is a Code link of one paper, and no paper page is a dead end."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from sitebuild import SEED_SOURCE, seed_records, soup

from papernotes.model.merge import merge_records
from papernotes.model.paper import Paper
from papernotes.site.paper_links import code_urls, identity, paper_links
from papernotes.site.research import paper_slugs

# Independent of papernotes' own pattern: a URL, then what ends a sentence or a TeX group is not part of it.
GITHUB = re.compile(r"https?://github\.com/[^\s)\]{}>\"]+")  # a repository name holds no brace


@pytest.fixture(scope="module")
def pages(seed_site) -> dict[str, object]:
    output, _ = seed_site
    found = {}
    for path in sorted((output / "papers").glob("*/index.html")):
        if path.parent.name != "page":
            found[path.parent.name] = soup(path)
    return found


def _links(page) -> list[str]:
    return [a["href"] for a in page.select(".paper-links a")]


def test_every_identifier_and_url_of_a_paper_shows_once(pages):
    papers = merge_records(seed_records(), {"Lior Wol": "Lior Wolf"})[0]
    slugs = paper_slugs(papers)  # the slugs the paper pages get
    checked = Counter()
    for paper in papers:
        links = _links(pages[slugs[paper.key]])
        idents = Counter(identity(h) for h in links)
        assert all(n == 1 for n in idents.values()), (paper.title, links)  # nothing twice
        if paper.arxiv:
            assert idents[("arxiv-abs", paper.arxiv)] == idents[("arxiv-pdf", paper.arxiv)] == 1
            assert idents[("hf", paper.arxiv)] == 1
            checked["arxiv"] += 1
        if paper.doi:
            assert idents[("doi", paper.doi.lower())] == 1
            checked["doi"] += 1
        for url in {r.url for r in paper.records if r.url}:
            assert idents[identity(url)] == 1, (url, links)
            checked["url"] += 1
        assert any("scholar.google.com" in h for h in links)  # no dead end
    assert checked["arxiv"] >= 16 and checked["doi"] >= 200 and checked["url"] >= 216, checked


def test_papers_with_code_links_match_the_github_urls_in_the_sources(pages):
    written = set()
    for path in sorted(SEED_SOURCE.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".bib", ".json", ".html"):
            for url in GITHUB.findall(path.read_text(encoding="utf-8", errors="replace")):
                written.add(url.rstrip(".,;:"))
    assert len(written) == 120
    code = Counter()
    for _, links in _all(pages):
        shown = [h for h in links if identity(h)[0] == "code"]
        assert len(shown) == len(set(shown))
        code.update(shown)
    assert set(code) == written  # each URL, cleaned of the sentence around it ...
    assert all(n == 1 for n in code.values())  # ... on one paper's page
    assert sum(1 for _, links in _all(pages) if any(identity(h)[0] == "code" for h in links)) == 120


def test_identities_and_code_urls():
    assert identity("https://arxiv.org/abs/2203.08422v2") == identity("http://arxiv.org/abs/2203.08422/")
    assert identity("https://arxiv.org/pdf/2203.08422v1.pdf") == ("arxiv-pdf", "2203.08422")
    assert identity("https://dx.doi.org/10.1109/CVPR.X") == identity("https://doi.org/10.1109/cvpr.x")
    assert identity("https://github.com/A/B.git") == identity("https://www.github.com/a/b/")
    assert code_urls(["code: \\emph{https://github.com/G/PFR.}", "at https://github.com/a/b. And https://x.org"]) == [
        "https://github.com/G/PFR",
        "https://github.com/a/b",
    ]
    paper = Paper(key="k", title="T", arxiv="2203.08422", links=("https://arxiv.org/abs/2203.08422v3",))
    assert [link["label"] for link in paper_links(paper)] == ["arXiv", "PDF", "HF Papers", "Google Scholar"]


def _all(pages):
    return [(page, _links(page)) for page in pages.values()]


def test_paper_pages_carry_scholar_meta_and_json_ld(pages):
    page = pages["text-to-image-generation-with-semantic-spatial-aware-gan"]
    meta = [(m["name"], m["content"]) for m in page.select("head meta[name^=citation_]")]
    assert ("citation_title", "Text to Image Generation with Semantic-Spatial Aware GAN") in meta
    assert [c for n, c in meta if n == "citation_author"] == [
        "Kai Hu",
        "Wentong Liao",
        "Michael Ying Yang",
        "Bodo Rosenhahn",
    ]
    assert ("citation_pdf_url", "https://arxiv.org/pdf/2104.00567") in meta
    assert ("citation_publication_date", "2022") in meta
    data = json.loads(page.select_one('head script[type="application/ld+json"]').string)
    assert data["@type"] == "ScholarlyArticle" and data["headline"].startswith("Text to Image")
    assert [a["name"] for a in data["author"]][0] == "Kai Hu" and data["isPartOf"]["name"].endswith("Recognition")
    assert data["url"] == "https://example.github.io/papers/text-to-image-generation-with-semantic-spatial-aware-gan/"
    with_doi = 0
    for page in pages.values():
        names = {m["name"] for m in page.select("head meta[name^=citation_]")}
        assert "citation_title" in names
        with_doi += "citation_doi" in names
    assert with_doi >= 200
