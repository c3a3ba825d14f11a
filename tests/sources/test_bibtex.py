"""The BibTeX reader: the fixture library (tests/fixtures/library/library.bib), hand-written edge cases,
and a property test that no input makes it raise."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.diagnostics import Diagnostic
from papernotes.sources import bibtex
from papernotes.sources.detect import detect_format, read_listing

LIBRARY = Path(__file__).resolve().parents[1] / "fixtures" / "library" / "library.bib"
PATH = "papers/library.bib"


@pytest.fixture(scope="module")
def library():
    text = LIBRARY.read_text(encoding="utf-8")
    result = read_listing(PATH, text)
    return text, result, {r.key: r for r in result.records}


def test_every_entry_is_read_with_the_line_of_its_at_sign(library):
    text, result, by_key = library
    assert result.diagnostics == ()
    assert len(result.records) == 34 == len(by_key)
    lines = text.split("\n")
    for record in result.records:
        assert record.format == "bibtex" and record.source.path == PATH
        assert lines[record.source.line - 1].startswith("@") and f"{{{record.key}," in lines[record.source.line - 1]
    assert [r.source.line for r in result.records] == sorted(r.source.line for r in result.records)


def test_latex_accents_and_braces_are_decoded(library):
    _, _, by_key = library
    assert by_key["muller2022instant"].authors[0] == "Thomas Müller"
    assert by_key["touvron2021training"].authors[-1] == "Hervé Jégou"
    assert by_key["caron2021emerging"].authors[3] == "Hervé Jégou"  # `J\'egou, Herv\'e` without braces
    assert by_key["dai2017scannet"].authors[-1] == "Matthias Nießner"
    assert by_key["vaswani2017attention"].authors[6] == "Łukasz Kaiser"
    assert by_key["higgins2017beta"].authors[1] == "Loïc Matthey"
    assert by_key["han2023autoad"].authors[3] == "Gül Varol"
    assert by_key["karras2019style"].title == "A Style-Based Generator Architecture for Generative Adversarial Networks"
    assert by_key["dai2017scannet"].title == "ScanNet: Richly-Annotated 3D Reconstructions of Indoor Scenes"
    assert by_key["touvron2021training"].title.endswith("Transformers & Distillation through Attention")
    assert by_key["openai2023gpt4"].authors == ("OpenAI",)
    assert by_key["higgins2017beta"].title.startswith("$\\beta$-VAE:")  # math stays for the renderer


def test_both_name_orders_and_truncated_lists(library):
    _, _, by_key = library
    assert by_key["he2016deep"].authors == ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun")
    assert by_key["zhu2017unpaired"].authors[:2] == ("Jun-Yan Zhu", "Taesung Park")  # `First Last and …`
    assert by_key["kingma2013auto"].authors == ("Diederik P. Kingma", "Max Welling")
    radford = by_key["radford2021learning"]
    assert radford.authors_truncated and radford.authors[-1] == "Aditya Ramesh" and "others" not in radford.authors
    assert not by_key["he2016deep"].authors_truncated


@pytest.mark.parametrize(
    "key, venue, year",
    [
        ("he2016deep", "CVPR", 2016),  # through an @string
        ("rombach2022high", "CVPR", 2022),
        ("liu2021swin", "ICCV", 2021),
        ("carion2020end", "ECCV", 2020),
        ("mildenhall2020nerf", "ECCV", 2020),
        ("vaswani2017attention", "NeurIPS", 2017),
        ("dosovitskiy2021image", "ICLR", 2021),
        ("chen2020simple", "ICML", 2020),
        ("radford2021learning", "ICML", 2021),
        ("zhou2021informer", "AAAI", 2021),
        ("ren2017faster", "TPAMI", 2017),
        ("lowe2004distinctive", "IJCV", 2004),
        ("wang2004image", "TIP", 2004),
        ("prajwal2020lip", "ACM MM", 2020),
        ("suvorov2022resolution", "WACV", 2022),
        ("zagoruyko2016wide", "BMVC", 2016),
        ("kingma2014adam", None, 2014),  # arXiv preprint: no venue, as the listings have it
        ("kingma2013auto", None, 2013),  # CoRR
        ("ho2022classifier", None, 2022),
    ],
)
def test_venues_map_onto_the_listings_venues(library, key, venue, year):
    record = library[2][key]
    assert (record.venue, record.year) == (venue, year)


def test_identifiers(library):
    _, _, by_key = library
    assert by_key["he2016deep"].doi == "10.1109/cvpr.2016.90"  # lowercase
    assert by_key["carion2020end"].doi == "10.1007/978-3-030-58452-8_13"  # no https://doi.org/
    assert by_key["han2023autoad"].doi == "10.1109/cvpr52729.2023.01815"
    assert by_key["ho2020denoising"].arxiv == "2006.11239"  # eprint + archivePrefix
    assert by_key["ho2022classifier"].arxiv == "2207.12598"  # … without its version
    assert by_key["kingma2014adam"].arxiv == "1412.6980"  # journal = {arXiv preprint arXiv:…}
    assert by_key["kingma2013auto"].arxiv == "1312.6114"  # DBLP: CoRR, eprinttype
    assert by_key["brown2020language"].arxiv == "2005.14165"  # an arxiv.org URL with a version
    assert by_key["openai2023gpt4"].url == "https://arxiv.org/abs/2303.08774"
    assert by_key["he2016deep"].arxiv is None and by_key["rombach2022high"].doi is None


def test_abstract_keywords_and_key(library):
    _, _, by_key = library
    ddpm = by_key["ho2020denoising"]
    assert ddpm.abstract.startswith("We present high quality image synthesis")
    assert ddpm.abstract_line == ddpm.source.line + 10
    assert ddpm.keywords == ("diffusion", "generative models")
    assert by_key["he2016deep"].keywords == ("residual networks", "image classification")
    assert ddpm.key == "ho2020denoising" and dict(ddpm.extra)["entry_type"] == "inproceedings"


BROKEN = """@article{good1, title = {First Good}, author = {A, B}}

@article{broken, title = {Never closed,
  author = {X}

@article{untitled, author = {Nobody, N}, year = 2020}
@article{good1, title = {Same Key Again}}
@article{names, title = {Odd Names}, author = {One, Two, Three, Four and Fine, Person}}
@article{twice, title = {Old}, title = {New}, author = {M{\\"u}ller, J}}
@comment{anything}
@article{good2, title = {Last Good}}
"""


def test_bad_entries_are_one_diagnostic_each_and_the_rest_is_read():
    result = bibtex.read("lib.bib", BROKEN)
    assert [r.key for r in result.records] == ["good1", "names", "twice", "good2"]
    shown = [d.format() for d in result.diagnostics]
    assert shown[0].startswith("lib.bib:3: error: BibTeX entry could not be parsed (")
    assert shown[1:] == [
        "lib.bib:6: error: entry 'untitled' has no title; skipped",
        "lib.bib:7: warning: duplicate citation key 'good1' (first at line 1); this entry is skipped",
        "lib.bib:8: warning: entry 'names': Cannot split the following name `One, Two, Three, Four` into parts: "
        "Too many commas; read as written",
        "lib.bib:9: warning: entry 'twice' gives title more than once; the last is kept",
    ]
    by_key = {r.key: r for r in result.records}
    assert by_key["names"].authors[-1] == "Person Fine"
    assert by_key["twice"].title == "New" and by_key["twice"].authors == ("J Müller",)


def test_nothing_to_read():
    assert [d.message for d in bibtex.read("a.bib", "").diagnostics] == ["no BibTeX entries (@type{key, …}) found"]
    assert bibtex.read("a.bib", "% just a comment\n@comment{x}\n").records == ()


def test_verbatim_fields_are_not_latex():
    text = "@misc{u, title = {T}, url = {https://x.org/~me/a%20b_c}, doi = {10.1/A\\_B}}"
    record = bibtex.read("a.bib", text).records[0]
    assert record.url == "https://x.org/~me/a%20b_c" and record.doi == "10.1/a_b"


def test_detected_by_content_only():
    text = LIBRARY.read_text(encoding="utf-8")
    assert detect_format("renamed.txt", text) == "bibtex"
    assert detect_format("x.bib", "\ufeff\n% JabRef\n@Article{k,\n title={T}}\n") == "bibtex"
    note = "# Notes\n\nThe entry:\n\n```bibtex\n@article{k, title={T}}\n```\n"
    assert detect_format("n.md", note) is None
    assert not bibtex.looks_like("write to me@example.org\n")


ATOMS = [
    *"@{}()=,#\"%\\ \n\t",
    "@article{", "@inproceedings{k,", "@string{s = ", "@comment{", "@preamble{", "title = ", "author = ",
    " and ", " others", "{\\\"u}", "\\'{e}", "{\\ss}", "$x^2$", "\\", "{GAN}", "booktitle = {CVPR}",
    "journal = {arXiv preprint arXiv:2104.00567}", "eprint = {2104.00567v2}", "archivePrefix = {arXiv}",
    "doi = {https://doi.org/10.1/X}", "year = 2020", "keywords = {a, b; c}", "Last, First", "a, b, c, d",
    "}}}", "{{{", "\\begin{", "%", "\r\n", "\x00", "中文",
]  # fmt: skip
texts = st.lists(st.sampled_from(ATOMS) | st.text(max_size=6), max_size=50).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_no_input_makes_the_reader_raise(text):
    result = bibtex.read("f.bib", text)
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic) and d.path == "f.bib" and d.line >= 1 and d.message
    for record in result.records:
        assert 1 <= record.source.line <= text.count("\n") + 1 and record.title
        assert record.abstract_line is None or record.abstract_line >= record.source.line
    bibtex.looks_like(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        lambda n: "@a{" * (n // 3),
        lambda n: "@article{k,\n" * (n // 12),
        lambda n: "@article{k, title = {" + "{" * n,
        lambda n: '@article{k, title = "' + '"' * n,
        lambda n: "".join(f"@misc{{k{i}, title = {{T {i}}}, author = {{A, B and C D}}}}\n" for i in range(n // 50)),
    ],
    ids=["openers", "unclosed entries", "braces", "quotes", "entries"],
)
def test_time_grows_linearly(make):
    from test_fuzz_inputs import assert_linear

    assert_linear(lambda text: bibtex.read("f.bib", text), make)
