"""`[@key]` citations (render/citations.py): what becomes a link, what is left alone, and the render key."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.render.citations import Citation, cited_keys, expand_citations, short_label
from papernotes.render.documents import DocumentRenderer
from papernotes.render.markdown import MarkdownRenderer
from papernotes.sources.documents import read_document

HE = Citation("/papers/resnet/", "He et al., 2016", "Deep Residual Learning", "deep residual learning")
HO = Citation("/papers/ddpm/", "Ho et al., 2020", "Denoising Diffusion", "denoising diffusion")
KNOWN = {"he2016deep": HE, "ho2020denoising": HO}


def render(text: str, known=KNOWN):
    return MarkdownRenderer().render(text, "notes/n.md", 5, resolve_cite=known.get)


def test_pandoc_forms_become_links():
    html = BeautifulSoup(
        render("A [@he2016deep]; B [@he2016deep; @ho2020denoising]; C [see @he2016deep, p. 3].").html, "html.parser"
    )
    spans = html.select("span.citation")
    assert [s.get_text() for s in spans] == [
        "(He et al., 2016)",
        "(He et al., 2016; Ho et al., 2020)",
        "(see He et al., 2016, p. 3)",
    ]
    assert [a["href"] for a in html.select("span.citation a")] == [
        "/papers/resnet/",
        "/papers/resnet/",
        "/papers/ddpm/",
        "/papers/resnet/",
    ]
    assert BeautifulSoup(render("[-@ho2020denoising]").html, "html.parser").get_text() == "(2020)"


def test_unknown_keys_stay_visible_with_a_warning():
    result = render("intro\n\nSee [@nobody2020] here.")
    assert "(@nobody2020)" in BeautifulSoup(result.html, "html.parser").get_text()
    assert [d.format() for d in result.diagnostics] == ["notes/n.md:7: warning: unknown citation key 'nobody2020'"]
    assert result.citations == (("nobody2020", None),)


def test_code_math_links_and_addresses_are_left_alone():
    text = "\n".join(
        [
            "`[@he2016deep]` and ``x [@he2016deep] ``",
            "",
            "```",
            "[@he2016deep]",
            "```",
            "",
            "[@he2016deep](https://example.org) [@he2016deep][ref] ![@he2016deep](a.png) \\[@he2016deep]",
            "",
            "mail [me at a@b.org] or me@he2016deep.org",
            "",
            "[ref]: https://example.org",
        ]
    )
    result = expand_citations(text, "n.md", 1, KNOWN.get)
    assert result.text == text and result.cited == () and result.diagnostics == []
    # Math is cut out before the pass runs (render/markdown.py `prepare`), so formulas are never touched.
    assert render(text + "\n\n$[@he2016deep]$ and $$[@ho2020denoising]$$").citations == ()


def test_a_definition_is_not_a_citation_but_a_colon_after_one_is():
    result = expand_citations("[@he2016deep]: https://x\n\nas [@he2016deep]: the model", "n.md", 1, KNOWN.get)
    assert result.text.startswith("[@he2016deep]: https://x\n\nas <span")


def test_lines_are_kept():
    text = "a [@he2016deep]\n\nb\n```\nc\n```\n[@x] d"
    result = expand_citations(text, "n.md", 10, KNOWN.get)
    assert result.text.count("\n") == text.count("\n")
    assert [d.line for d in result.diagnostics] == [16]


def test_labels():
    assert short_label(("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren"), 2016, "T") == "He et al., 2016"
    assert short_label(("Jonathan Ho", "Tim Salimans"), 2022, "T") == "Ho and Salimans, 2022"
    assert short_label(("David G. Lowe",), 2004, "T") == "Lowe, 2004"
    assert short_label(("A B", "C D"), None, "T", truncated=True) == "B et al."
    assert short_label((), 2023, "GPT-4 Technical Report") == "GPT-4 Technical Report, 2023"
    assert short_label((), None, "One Two Three Four Five") == "One Two Three Four…"


def test_cited_keys_cover_every_citation():
    text = "[@a] [see @b, p. 1; -@c] [@{d.e}] me@f.org `[@g]`"
    assert cited_keys(text) == ["a", "b", "c", "d.e", "g"]


def test_the_render_key_follows_what_a_cited_key_names(tmp_path: Path):
    doc, _ = read_document("notes/n.md", "---\ntitle: N\n---\nSee [@he2016deep].\n", "note")
    renderer = DocumentRenderer(tmp_path, None)
    renderer.citations = dict(KNOWN)
    first = renderer.key(doc, "digest")
    renderer.citations = {"he2016deep": HE._replace(label="He and Zhang, 2016")}  # the authors changed
    second = renderer.key(doc, "digest")
    renderer.citations = {}  # the paper went away
    third = renderer.key(doc, "digest")
    renderer.citations = {"ho2020denoising": HO}  # a key the note does not cite
    assert len({first, second, third}) == 3 and renderer.key(doc, "digest") == third


ATOMS = [*"[]@;,-`$\\!(): \n", "[@a]", "[see @b, p. 3]", "@{x}", "```\n", "a@b.c", "[@", "PNMATH0001X", "中"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ATOMS) | st.text(max_size=4), max_size=60).map("".join))
def test_any_text(text):
    result = expand_citations(text, "n.md", 3, {"a": HE}.get)
    assert result.text.count("\n") == text.count("\n")
    assert all(d.line >= 3 for d in result.diagnostics)
    assert {k for k, _ in result.cited} <= set(cited_keys(text))


def test_time_grows_linearly():
    from test_fuzz_inputs import assert_linear

    for make in (
        lambda n: "[" + "@" * n,
        lambda n: "[@a] " * (n // 5),
        lambda n: "[@a]: " * (n // 6),
        lambda n: "`" * (n // 2) + "[@a]" + "`" * (n // 2),
        lambda n: "".join("`" * k + "[@a]" for k in range(1, int((2 * n) ** 0.5))),
    ):
        assert_linear(lambda text: expand_citations(text, "n.md", 1, KNOWN.get), make)
