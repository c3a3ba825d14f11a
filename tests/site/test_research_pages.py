"""Issue 4 acceptance: a page per paper, author, venue and topic, linked both ways."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from linkcheck import broken_links
from sitebuild import SEED_SOURCE, build_site, soup

from papernotes.site.urls import slugify

SSA_GAN = "papers/text-to-image-generation-with-semantic-spatial-aware-gan/index.html"
NOTE = "notes/cvpr2022-generative-models/index.html"


def test_one_page_per_paper_and_author_and_no_broken_links(seed_site):
    output, report = seed_site
    assert report.errors == 0
    papers = [p for p in (output / "papers").iterdir() if p.is_dir() and p.name not in ("page", "year")]
    assert len(papers) == 371
    authors = [p for p in (output / "authors").iterdir() if p.is_dir()]
    assert len(authors) == 1269
    assert broken_links(output) == []


def test_paper_page_of_ssa_gan_and_its_note_section(seed_site):
    output, _ = seed_site
    page = soup(output / SSA_GAN)
    assert page.select_one(".title-zh-main").get_text() == "使用语义空间感知 GAN 生成文本到图像"
    authors = [a.get_text() for a in page.select(".paper-authors a")]
    assert authors == ["Kai Hu", "Wentong Liao", "Michael Ying Yang", "Bodo Rosenhahn"]
    assert all(a["href"].startswith("/authors/") for a in page.select(".paper-authors a"))
    assert page.select_one(".paper-facts .venue-badge").get_text() == "CVPR 2022"
    assert any(a["href"] == "https://arxiv.org/abs/2104.00567" for a in page.select(".paper-links a"))
    assert "Text-to-image synthesis (T2I)" in page.select_one(".abstract").get_text()
    assert page.select_one("#cite-bibtex").get_text().startswith("@inproceedings{hu2022text,")
    note_links = [a["href"] for a in page.select(".paper-notes a")]
    section = [h for h in note_links if h.startswith("/notes/cvpr2022-generative-models/#")]
    assert len(section) == 1
    anchor = section[0].split("#", 1)[1]
    note = soup(output / NOTE)
    heading = note.find(id=anchor)
    assert heading is not None and heading.name == "h2"
    back = heading.find_next_sibling("p", class_="paper-link").a
    assert back["href"] == "/papers/text-to-image-generation-with-semantic-spatial-aware-gan/"
    # seed 000's list item links to the paper page too
    post = soup(output / "posts/cvpr2022-papers/index.html")
    assert post.select('.paper-link a[href="/papers/text-to-image-generation-with-semantic-spatial-aware-gan/"]')


def test_every_note_section_and_list_item_links_to_its_paper(seed_site):
    output, _ = seed_site
    note = soup(output / NOTE)
    assert len(note.select(".prose h2 + .paper-link a")) == 8
    post = soup(output / "posts/cvpr2022-papers/index.html")
    assert len(post.select(".prose .paper-link a")) == 16


def test_author_pages_nannan_wang_and_chen_change_loy(seed_site):
    output, _ = seed_site
    page = soup(output / "authors" / slugify("Nannan Wang") / "index.html")
    listed = page.select(".year-group .paper-item")
    from sitebuild import SEED_SOURCE

    from papernotes.config import load_config
    from papernotes.content import load_content
    from papernotes.model.merge import merge_records

    config, _ = load_config(SEED_SOURCE)
    papers, _ = merge_records(load_content(config).records, config.aliases)
    expected = [p for p in papers if "Nannan Wang" in p.authors]
    assert len(listed) == len(expected) >= 10
    years = [h.contents[0].strip() for h in page.select(".year-group h2")]
    assert years == sorted(years, reverse=True)
    assert page.select(".side-facts a[href^='/authors/']")
    assert page.select_one(".chart-box svg") is not None
    loy = soup(output / "authors" / slugify("Chen Change Loy") / "index.html")
    venues = {b.get_text() for b in loy.select(".paper-item .venue-badge")}
    assert {"CVPR 2022", "CVPR 2023"} <= venues


def test_lior_wol_alias_applies(seed_site):
    output, _ = seed_site
    assert (output / "authors/lior-wolf/index.html").is_file()
    assert not (output / "authors/lior-wol/index.html").exists()


def test_venue_and_topic_pages(seed_site):
    output, _ = seed_site
    cvpr23 = soup(output / "venues/cvpr/2023/index.html")
    assert int(cvpr23.select_one("h1 .count").get_text()) >= 200
    cvpr22 = soup(output / "venues/cvpr/2022/index.html")
    assert int(cvpr22.select_one("h1 .count").get_text()) == 21
    unknown = soup(output / "venues/unknown/index.html")
    assert int(unknown.select_one("h1 .count").get_text()) == 371 - 221
    topics = [p for p in (output / "topics").iterdir() if p.is_dir()]
    assert len(topics) >= 5
    for paper_dir in (output / "papers").iterdir():
        if paper_dir.is_dir() and paper_dir.name not in ("page", "year"):
            page = soup(paper_dir / "index.html")
            assert page.select(".topic-row .topic"), paper_dir.name


def test_scraped_script_title_is_escaped_everywhere(tmp_path):
    src = tmp_path / "site_src"
    (src / "papers").mkdir(parents=True)
    text = (SEED_SOURCE / "papers/cvpr-2023-list19.md").read_text("utf-8")
    text = text.replace("## [1800] ", "## [1800] <script>alert(1)</script> ", 1)
    (src / "papers/list.md").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build_site(src, out)
    shown = 0
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html, page
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
            shown += 1
    assert shown >= 3  # the paper page, its authors' pages, venue and topic lists


def test_charts_are_valid_svg_with_text_alternative(seed_site):
    output, _ = seed_site
    pages = [output / "topics/index.html", output / "authors" / slugify("Nannan Wang") / "index.html"]
    for path in pages:
        svgs = soup(path).find_all("svg")
        assert svgs, path
        for svg in svgs:
            root = ET.fromstring(str(svg))
            assert root.get("aria-label") and root.find("{http://www.w3.org/2000/svg}title") is not None
            links = root.findall(".//{http://www.w3.org/2000/svg}a")
            # an image, or (the heat map, issue 14) a group of links each named by its row, column and count
            assert root.get("role") == ("group" if links else "img"), path
            for link in links:
                assert re.fullmatch(r".+ × .+：\d+ 篇", link.get("aria-label")) and link.get("href").startswith("/")
    heat = soup(pages[0]).select("svg.heat-map a")
    assert len(heat) >= 20 and all(a.select_one("rect.value-bg") and a.select_one("text.value") for a in heat)


def test_a_list_item_names_six_authors_and_counts_the_rest_but_never_one(seed_site):
    """Issue 14: "…, 等 1 人" was longer than the one name it left out; a seventh author is named."""
    output, _ = seed_site
    seven = counted = 0
    for path in sorted((output / "venues").rglob("index.html")):
        for item in soup(path).select("[data-list] .paper-item .authors"):
            names, text = item.select("a"), item.get_text()
            more = re.search(r"等 (\d+) 人", text)
            if more:
                assert len(names) == 6 and int(more[1]) >= 2, text
                counted += 1
            seven += len(names) == 7
            assert len(names) <= 7, text
    assert seven > 10 and counted > 10
