"""Issue 10, scraped text: made readable, nothing lost (ties, control characters, TeX markup, links)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from papernotes.diagnostics import Diagnostics
from papernotes.model.merge import merge_records
from papernotes.render.text import text_with_math
from papernotes.sources import hf_papers
from papernotes.sources.decode import decode_source
from papernotes.sources.text import clean_tex_residue

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nby AK and the research community\n\n"
PAD = " We evaluate on many benchmarks." * 12  # HF abstracts are long: that is how they differ from titles


def test_tilde_is_a_tie_between_words_and_kept_for_ranges_and_approximations():
    assert clean_tex_residue("Regions of Interest~(RoIs).") == "Regions of Interest\u00a0(RoIs)."
    assert clean_tex_residue("generation.~Specifically") == "generation.\u00a0Specifically"
    assert clean_tex_residue("groups of 6 ~ 10 persons") == "groups of 6 ~ 10 persons"
    assert clean_tex_residue("groups of 6~10 persons, ~5% better") == "groups of 6~10 persons, ~5% better"
    assert clean_tex_residue("DreamBooth ~ruiz2023dreambooth , InstantBooth") == "DreamBooth, InstantBooth"
    assert clean_tex_residue("keep $a~b$ in math") == "keep $a~b$ in math"


def test_control_characters_repaired_or_removed():
    # A JSON "\b" / "\f" that ate the backslash of \beta / \frac comes back as TeX, in and out of math.
    assert clean_tex_residue("with $\x08eta$ and $\x0crac{1}{2}$") == r"with $\beta$ and $\frac{1}{2}$"
    assert clean_tex_residue("a\x00b\x07c \x08 d") == "abc d"


def test_old_style_tex_markup_becomes_readable_text():
    assert clean_tex_residue(r"{\it Italic} and {\bf bold} and {\em em}") == "Italic and bold and em"
    assert clean_tex_residue("the ``best'' model") == "the \u201cbest\u201d model"
    assert (
        clean_tex_residue(r"as in \cite{he2016, ho2020} and \citep[p.~3]{song}") == "as in [he2016, ho2020] and [song]"
    )


def test_href_keeps_its_url_and_abstract_urls_are_links():
    text = clean_tex_residue(r"Code: \href{https://github.com/a/b}{our repository}.")
    assert text == "Code: our repository (https://github.com/a/b)."
    html, _ = text_with_math(text, links=True)
    assert '<a href="https://github.com/a/b" rel="nofollow noopener">https://github.com/a/b</a>).' in html
    title, _ = text_with_math("A title https://x.y", links=False)  # titles are links themselves: no nesting
    assert "<a" not in title


def test_records_from_a_scrape_with_damage_are_readable_and_the_damage_is_reported():
    body = (
        "Tied Words\n\nRegions of Interest~(RoIs) with $\x08eta$ noise and 6 ~ 10 persons, {\\it italic}, ``q'' "
        "and \\cite{k} and \\href{https://u.v/w}{code}." + PAD
    )
    text, diags = decode_source("papers/hf.txt", (HEADER + body).encode("utf-8"))
    assert [(d.line, d.level) for d in diags] == [(13, "warning")] and "backspace" in diags[0].message
    result = hf_papers.read("papers/hf.txt", text)
    papers, _ = merge_records(result.records)
    abstract = papers[0].abstract
    assert "Interest\u00a0(RoIs)" in abstract and r"$\beta$" in abstract and "6 ~ 10 persons" in abstract
    assert "italic, \u201cq\u201d and [k] and code (https://u.v/w)." in abstract
    assert not any(ch in abstract for ch in "\x08{}`") and abstract.count("\\") == 1  # only \beta's


@given(st.text(alphabet=st.sampled_from(list("~{}\\`'$ab6 \x08\x00itcef")), max_size=200))
def test_cleaning_never_raises_and_is_idempotent(text):
    once = clean_tex_residue(text)
    assert clean_tex_residue(once) == once
    Diagnostics().extend(decode_source("x.txt", text.encode("utf-8"))[1])
