"""Seed 001: study notes, one ``##`` section per paper."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources import note_sections
from papernotes.sources.note_sections import join_broken_headings

ROOT = Path(__file__).resolve().parents[2]
PATH = "notes/cvpr2022-generative-models.md"
TEXT = (ROOT / "site_src" / PATH).read_text(encoding="utf-8")


def test_eight_sections_with_venue():
    res = note_sections.read(PATH, TEXT)
    assert res.diagnostics == ()
    assert len(res.records) == 8
    assert all((r.venue, r.year, r.anchor) == ("CVPR", 2022, None) for r in res.records)
    assert all(r.authors == () and r.abstract is None for r in res.records)
    styleformer = [r for r in res.records if r.title.startswith("Styleformer")][0]
    assert styleformer.title == "Styleformer: Transformer based Generative Adversarial Networks with Style Vector"
    assert styleformer.source.line == 66
    assert res.records[0].source.line == 5


def test_join_broken_heading_keeps_line_count():
    joined = join_broken_headings(TEXT)
    assert joined.count("\n") == TEXT.count("\n")
    lines = joined.split("\n")
    assert lines[65].endswith("with Style Vector") and lines[66] == ""
    assert joined.replace(" Vector\n\n", "\nVector\n", 1) == TEXT


def test_join_is_conservative():
    long = "## " + "A heading that is certainly long enough to wrap in an editor"
    assert join_broken_headings(long + "\nVector") == long + " Vector\n"
    for text in (
        "## Intro\nHello world\n",  # short heading: a heading and a paragraph
        long + "\nThis is a sentence.\n",  # sentence punctuation
        long + "\nfive words are too many\n",
        long + "\nVector\nmore paragraph text\n",  # not followed by a blank line
        long + "\n- list item\n",  # block start
        long + "\n    code\n",
        long + ".\nVector\n",  # heading ends in punctuation
        "```\n" + long + "\nVector\n```\n",  # inside a code fence
        "Paragraph text that is long enough to matter here and more\nVector\n",
    ):
        assert join_broken_headings(text) == text, text


def test_plain_note_is_not_paper_notes():
    text = "# My note\n\n## Intro\n\nSome text.\n\n## Method\n\nMore.\n"
    assert not note_sections.looks_like(text)
    res = note_sections.read("n.md", "## Intro\n\ntext\n")
    assert res.diagnostics == () and res.records[0].venue is None


def test_venue_heading_variants():
    text = "# ICCV 2023\n\n## Paper A\n\n# Misc\n\n## Paper B\n"
    recs = note_sections.read("n.md", text).records
    assert [(r.title, r.venue, r.year) for r in recs] == [("Paper A", "ICCV", 2023), ("Paper B", None, None)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#$`~ Vector\n-*.ab")) | st.characters(), max_size=400))
def test_never_raises_and_line_count_kept(text):
    note_sections.read("x.md", text)
    assert join_broken_headings(text).count("\n") == text.count("\n")
