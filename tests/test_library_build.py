"""Acceptance 3 of issue 12: the seed site plus a BibTeX and a CSL-JSON library and a note that cites.

The library's AutoAD entry (another title, the seed's DOI) merges into seed 003's paper; the note's
`[@han2023autoad]` links to that paper's page, which lists the note as citing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from oracle_site import differences
from sitebuild import ROOT, build_site, soup

from papernotes.pipeline import Builder, BuildOptions

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "library"
AUTOAD = "papers/autoad-movie-description-in-context/"  # the seed paper's page: its slug is unchanged
NOTE = """---
title: 读论文：电影音频描述
date: 2024-05-02
---

AutoAD 为电影生成音频描述 [@han2023autoad]，骨干是残差网络 [@he2016deep; see @ho2020denoising, p. 3]。

还没读的 [@nobody2020]；代码里的 `[@he2016deep]` 和公式 $[@x]$ 不是引用。
"""


def add_library(source: Path) -> None:
    for name in ("library.bib", "library.json"):
        shutil.copy(FIXTURES / name, source / "papers" / name)
    (source / "notes" / "library-reading.md").write_text(NOTE, encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    source = tmp_path_factory.mktemp("library") / "site_src"
    shutil.copytree(ROOT / "site_src", source)
    add_library(source)
    output = source.parent / "output"
    return output, build_site(source, output, search=False)


def test_builds_without_errors_and_every_diagnostic_has_a_line(built):
    _, report = built
    assert report.errors == 0, [d.format() for d in report.diagnostics if d.level == "error"]
    assert all(d.line >= 1 for d in report.diagnostics)
    library = [d.format() for d in report.diagnostics if d.path.startswith(("papers/library", "notes/library"))]
    assert library == ["notes/library-reading.md:8: warning: unknown citation key 'nobody2020'"]


def test_the_duplicate_is_merged_into_the_seed_paper(built):
    output, _ = built
    page = soup(output / AUTOAD / "index.html")
    assert page.find("h1").get_text(strip=True) == "AutoAD: Movie Description in Context"
    listed = [li.get_text(" ", strip=True) for li in page.select("section.listed-in li")]
    assert listed == [
        "来自 CVPR 2023 论文列表，第 1802 条 papers/cvpr-2023-list19.md:29",
        "来自 BibTeX 文献库 papers/library.bib:293",
    ]
    ddpm = soup(output / "papers/denoising-diffusion-probabilistic-models/index.html")
    formats = [li.get_text(" ", strip=True) for li in ddpm.select("section.listed-in li")]
    assert [f.split(" papers/")[0] for f in formats] == ["来自 BibTeX 文献库", "来自 CSL JSON 文献库（Zotero 导出）"]
    assert [a["href"] for a in ddpm.select(".paper-links a")][:1] == ["https://arxiv.org/abs/2006.11239"]


def test_the_note_links_to_the_paper_and_the_paper_lists_the_note(built):
    output, _ = built
    note = soup(output / "notes/library-reading/index.html")
    citations = note.select("span.citation")
    assert [c.get_text() for c in citations] == [
        "(Han et al., 2023)",
        "(He et al., 2016; see Ho et al., 2020, p. 3)",
        "(@nobody2020)",
    ]
    assert citations[0].find("a")["href"] == "/" + AUTOAD
    assert (output / AUTOAD / "index.html").is_file()
    assert note.find("code").get_text() == "[@he2016deep]"
    cited_in = soup(output / AUTOAD / "index.html").select("section.paper-cited-in li a")
    assert [(a.get_text(), a["href"]) for a in cited_in] == [("读论文：电影音频描述", "/notes/library-reading/")]
    resnet = soup(output / "papers/deep-residual-learning-for-image-recognition/index.html")
    assert [a["href"] for a in resnet.select("section.paper-cited-in a")] == ["/notes/library-reading/"]
    assert resnet.select_one(".venue-badge").get_text() == "CVPR 2016"


def test_the_library_keeps_its_keywords_and_citation_keys(built):
    output, _ = built
    resnet = soup(output / "papers/deep-residual-learning-for-image-recognition/index.html")
    assert [k.get_text() for k in resnet.select(".keyword-row .keyword")] == [
        "residual networks",
        "image classification",
    ]
    bibtex = resnet.select_one("#cite-bibtex").get_text()
    assert bibtex.startswith("@inproceedings{he2016deep,")  # the library's key
    ddpm = soup(output / "papers/denoising-diffusion-probabilistic-models/index.html")
    assert ddpm.select_one(".abstract") and "abstract =" not in ddpm.select_one("#cite-bibtex").get_text()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.slow
def test_edits_rebuilt_incrementally_equal_a_clean_build(tmp_path):
    """A cited paper's title changes, a merge comes apart, a citation goes: the long-lived builder's output
    must equal a clean build's byte for byte after each."""
    source = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", source)
    add_library(source)
    bib, note = source / "papers/library.bib", source / "notes/library-reading.md"
    edits = [
        lambda: _edit(bib, "title = {Deep Residual Learning for Image Recognition}", "title = {Deep Residual Nets}"),
        lambda: _edit(bib, "doi = {10.1109/CVPR52729.2023.01815},", ""),  # AutoAD's entry is its own paper now
        lambda: _edit(note, "[@he2016deep; see @ho2020denoising, p. 3]", "[see @ho2020denoising]"),
        lambda: _edit(bib, "Ho, Jonathan and Jain, Ajay and Abbeel, Pieter", "Ho, Jonathan"),  # the label
    ]
    options = dict(project=ROOT, source=source, search=False)
    dev = Builder(BuildOptions(output=tmp_path / "dev", dev=True, cache=tmp_path / "dev-cache", **options))
    try:
        assert dev.build().errors == 0
        for n, edit in enumerate(edits):
            edit()
            report = dev.build()
            clean = tmp_path / f"clean-{n}"
            expected = build_site_clean(source, clean)
            assert [d.format() for d in report.diagnostics] == [d.format() for d in expected.diagnostics]
            assert differences(clean / "out", tmp_path / "dev") == [], f"after edit {n}"
    finally:
        dev.close()
    page = soup(tmp_path / "dev" / "notes/library-reading/index.html")
    assert [c.get_text() for c in page.select("span.citation")][:2] == ["(Han et al., 2023)", "(see Ho, 2020)"]
    assert page.select_one("span.citation a")["href"] == "/papers/autoad-movie-audio-description-in-context/"


def build_site_clean(source: Path, where: Path):
    builder = Builder(BuildOptions(ROOT, source, where / "out", search=False, cache=where / "cache"))
    try:
        return builder.build()
    finally:
        builder.close()
