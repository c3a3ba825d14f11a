"""Seed 004: the author-profile scrape."""

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources import author_profile

ROOT = Path(__file__).resolve().parents[2]
PATH = "papers/nannan-wang-profile.txt"
TEXT = (ROOT / "site_src" / PATH).read_text(encoding="utf-8")


def test_counts():
    res = author_profile.read(PATH, TEXT)
    assert res.diagnostics == ()
    recs = res.records
    assert len(recs) == 50
    assert Counter(r.category for r in recs) == {"CV": 44, "LG": 5, "IV": 1}
    assert sum(r.has_code for r in recs) == 20
    assert sum(len(r.authors) for r in recs) == 150
    assert len({a for r in recs for a in r.authors}) == 77
    assert all(r.authors_truncated and len(r.authors) == 3 for r in recs)
    assert all(r.owner == "Nannan Wang" and r.venue is None for r in recs)
    scored = [r for r in recs if r.score is not None]
    assert [(r.score, r.date, r.year) for r in scored] == [
        (88.9, "May 2", None),
        (70.3, "May 18", None),
        (50.9, "May 17", None),
    ]
    assert all(r.year is not None for r in recs if r.score is None)
    assert [r.affiliation for r in recs if r.affiliation] == ["tsinghua"]


def test_first_record_and_dates():
    recs = author_profile.read(PATH, TEXT).records
    first = recs[0]
    assert (first.date, first.year, first.category, first.has_code) == ("2022-03-23", 2022, "CV", True)
    assert first.title.startswith("Towards Semi-Supervised Deep Facial Expression Recognition")
    assert first.authors == ("Hangyu Li", "Nannan Wang", "Xi Yang")
    assert first.source.line == 12
    tsinghua = [r for r in recs if r.affiliation][0]
    assert tsinghua.authors == ("Kun Cheng", "Xiaodong Cun", "Yong Zhang")


def test_tex_residue_cleaned():
    text = "\n".join(r.abstract for r in author_profile.read(PATH, TEXT).records)
    for residue in ("\\textbf", "\\emph", "\\url", "\\href", "}{"):
        assert residue not in text, residue
    assert "Semi-parametric Makeup Transfer (SpMT)" in text
    assert "available at https://github.com/chenboluo/Adversarial-defense." in text


def test_parse_meta():
    assert author_profile.parse_meta("CVMar 4, 2022Code") == {
        "score": None,
        "category": "CV",
        "date": "2022-03-04",
        "year": 2022,
        "has_code": True,
    }
    assert author_profile.parse_meta("88.9LGMay 2")["date"] == "May 2"
    assert author_profile.parse_meta("Nannan Wang") is None


def test_partial_entry_warns():
    res = author_profile.read("p.txt", "Someone\n\nCVMar 4, 2022\nOnly a title\n")
    assert res.records[0].title == "Only a title" and res.records[0].authors == ()
    assert res.diagnostics and res.diagnostics[0].line == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["CV", "Mar 23", ", 2022", "Code", "88.9", "\n", " et al.", " · ", "x", ","])
        | st.text(max_size=5),
        max_size=60,
    )
)
def test_never_raises(tokens):
    author_profile.read("x.txt", "".join(tokens))
