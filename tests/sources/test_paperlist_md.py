"""Seed 003: the conference paper-list page, in both layouts."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources import paperlist_md
from papernotes.sources.scraped_html import clean_html, join_fragments

ROOT = Path(__file__).resolve().parents[2]
PATH = "papers/cvpr-2023-list19.md"
TEXT = (ROOT / "site_src" / PATH).read_text(encoding="utf-8")


def flat(text: str) -> str:
    return "\n".join(line[8:] if line.startswith(" " * 8) else line for line in text.split("\n"))


def by_index(result):
    return {r.index: r for r in result.records}


def test_counts_and_fields():
    res = paperlist_md.read(PATH, TEXT)
    assert res.diagnostics == ()
    recs = res.records
    assert len(recs) == 200
    assert [r.index for r in recs] == list(range(1800, 2000))
    assert sum(len(r.authors) for r in recs) == 1162
    assert len({a for r in recs for a in r.authors}) == 1117
    assert all((r.venue, r.year) == ("CVPR", 2023) for r in recs)
    assert all(r.doi.endswith(f".{r.index + 13:05d}") for r in recs)
    assert all(r.url == "https://doi.org/" + r.doi for r in recs)
    assert recs[0].source.line == 1 and recs[1].source.line == 15
    assert "Gül Varol" in by_index(res)[1802].authors


def test_flat_layout_is_field_for_field_identical():
    indented = paperlist_md.read(PATH, TEXT)
    flattened = paperlist_md.read(PATH, flat(TEXT))
    assert flat(TEXT) != TEXT
    assert flattened.records == indented.records
    assert flattened.diagnostics == ()


def test_no_raw_html_and_multiline_abstracts_whole():
    recs = paperlist_md.read(PATH, TEXT).records
    for r in recs:
        for bad in ("<sup", "<tex", "<inf", "xmlns", "</"):
            assert bad not in r.abstract and bad not in r.title
    # 29 abstracts were split over several lines by stray HTML
    lines = TEXT.split("\n")
    split = set()
    current = None
    for line in lines:
        if m := paperlist_md.HEADING.match(line):
            current = int(m.group(1))
        elif line.strip() and not line.startswith(" ") and not line.startswith("[Go to") and current:
            split.add(current)
        elif line.strip() and line.startswith(" ") and not line.startswith("        ") and current:
            split.add(current)
    assert len(split) == 29


def test_footnote_splices_keep_following_text():
    d = by_index(paperlist_md.read(PATH, TEXT))
    a1999 = d[1999].abstract
    assert "per scan¹ ¹ We will publicly release our dataset" in a1999
    assert a1999.endswith("fitting error and reconstruction quality.")
    a1892 = d[1892].abstract
    assert "a simple but effective L₂-norm based feature normalization" in a1892
    assert "Bi-VAEGAN¹ ¹ Code is available at https://github.com/Zhicaiwww/Bi-VAEGAN achieves the new state" in a1892


def test_tex_and_sup_conversions():
    d = by_index(paperlist_md.read(PATH, TEXT))
    assert d[1843].title.startswith("$R^{2}$ Former")
    assert "named $R^{2}$ Former. The proposed" in d[1843].abstract
    assert "attention value, and $xy$ coordinates" in d[1843].abstract
    assert "we propose D²Zero" in d[1855].abstract
    assert "Pascal-5ⁱ and COCO-20ⁱ demonstrate" in d[1867].abstract
    assert "ranks 1st and sets" in d[1860].abstract  # no superscript s/t: plain text
    assert "project page†" in d[1984].abstract


def test_clean_html_unit():
    assert clean_html('x<sup a="b">2</sup>') == "x²"
    assert clean_html("H<inf>2</inf>O") == "H₂O"
    assert clean_html('<tex xmlns:m="u">$a_b$</tex>') == "$a_b$"
    assert clean_html("<b>bold</b> <i>it</i>") == "bold it"
    assert clean_html("cut <sup xmlns=") == "cut "
    assert join_fragments(["a b ", "<sup>1</sup>", " c"]) == "a b ¹ c"
    assert join_fragments(["one", "two"]) == "one two"


def test_broken_input_gives_diagnostics():
    res = paperlist_md.read("x.md", "## [5] Only a title\n\n**Authors**: *A B*\n")
    assert len(res.records) == 1 and res.records[0].title == "Only a title"
    assert any("no conference, url, abstract" in d.message for d in res.diagnostics)
    res = paperlist_md.read("x.md", "## [6] \n")
    assert res.records == () and res.diagnostics[0].level == "error"
    assert paperlist_md.read("x.md", "").diagnostics


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("## [12]*:Authors Conference URL Abstract<sup>tex</>$\n -()")) | st.characters(),
        max_size=400,
    )
)
def test_never_raises(text):
    paperlist_md.read("x.md", text)


def test_the_abstract_knows_its_own_line():
    """Formula messages in an abstract name the abstract's line, not the entry heading (issue 11)."""
    text = "## [1] A title\n**Authors**: A\n**Conference**: cvpr 2023\n**URL**: x\n\n**Abstract**: $\\frac{a$ bad.\n"
    rec = paperlist_md.read("p.md", text).records[0]
    assert (rec.source.line, rec.abstract_line) == (1, 6)
    rec = paperlist_md.read("p.md", text.replace("**Abstract**: ", "**Abstract**:\n\n")).records[0]
    assert rec.abstract_line == 8
    assert all(r.abstract_line and r.abstract_line > r.source.line for r in paperlist_md.read(PATH, TEXT).records)


def test_nips_is_neurips_whatever_the_spelling():
    """Renamed in 2018; collections still file it as `nips 2022`: one venue (one page), named NeurIPS."""
    from papernotes.sources.venues import normalize_venue

    for text in ("nips 2022", "NIPS2021", "NeurIPS 2023", "neurips 2024"):
        assert normalize_venue(text)[0] == "NeurIPS"
