"""Seed 002: the Hugging Face papers text scrape."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources import hf_papers

ROOT = Path(__file__).resolve().parents[2]
PATH = "papers/hf-daily-papers.txt"
TEXT = (ROOT / "site_src" / PATH).read_text(encoding="utf-8")


def test_hundred_pairs_nothing_invented():
    res = hf_papers.read(PATH, TEXT)
    assert res.diagnostics == ()
    recs = res.records
    assert len(recs) == 100
    assert recs[0].title.startswith("Motion Consistency Model") and recs[0].source.line == 11
    assert all(37 <= len(r.title) <= 128 for r in recs)
    assert all(len(r.abstract) > 1000 for r in recs)
    assert all(r.authors == () and r.venue is None and r.year is None and r.date is None for r in recs)
    assert not any(r.title in {"new", "Subscribe", "Daily Papers"} for r in recs)


def test_tex_residue_cleaned_math_and_titles_plain():
    recs = hf_papers.read(PATH, TEXT).records
    text = "\n".join(r.abstract for r in recs)
    for residue in ("\\eg", "\\ie", "~ruiz2023dreambooth", "\\%", "\\&", "\\url{", "}{https", "~"):
        assert residue not in text, residue
    assert "such as DreamBooth, InstantBooth, or other LoRA-only approaches." in text
    assert "relative 10% improvements" in text and "image&text-to-video" in text
    # "Interest~(RoIs)", "generation.~Specifically": TeX ties, kept as no-break spaces (issue 10)
    assert "Regions of Interest\u00a0(RoIs)" in text and "generation.\u00a0Specifically" in text
    assert "(e.g., which object" in text
    assert any("W_+ Adapter" in r.title for r in recs)  # titles stay plain text


def test_malformed_input_is_reported():
    res = hf_papers.read("h.txt", "Daily Papers\n\nA title\n\nB title\n\n" + "x" * 500)
    assert [r.title for r in res.records] == ["A title", "B title"]
    assert res.records[0].abstract is None
    assert any(d.line == 3 and "no abstract" in d.message for d in res.diagnostics)
    res = hf_papers.read("h.txt", "y" * 400)
    assert res.records == () and res.diagnostics


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_never_raises(text):
    hf_papers.read("x.txt", text)


def test_every_abstract_knows_its_own_line():
    res = hf_papers.read(PATH, TEXT)
    assert all(r.abstract_line == r.source.line + 2 for r in res.records if r.abstract)
