"""Acceptance 1 of issue 11: every reader and the Markdown+math renderer, driven with random and
adversarial text, never raise, report every problem as a Diagnostic with a path and a line >= 1, and take
time linear in the input.

Linearity is asserted on ratios measured in the same test, never on wall-clock thresholds: for each
adversarial family the input is grown until one run takes a few milliseconds, then made four times
longer; linear code takes about 4x as long, quadratic code 16x. The bound (8x) leaves room for noise on
a shared machine, and the best of several runs is compared (interference only ever adds time).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuild import build_site, soup

from papernotes.config import parse_config
from papernotes.diagnostics import Diagnostic
from papernotes.render.markdown import render_markdown
from papernotes.render.math import protect_math
from papernotes.render.tags import expand_tags
from papernotes.render.text import raw_tex, text_with_math
from papernotes.sources.decode import decode_source
from papernotes.sources.detect import READERS, detect_format, read_listing
from papernotes.sources.documents import read_document
from papernotes.sources.scraped_html import join_fragments
from papernotes.sources.text import clean_tex_residue

PATH = "notes/fuzz.md"

# Pieces of every syntax the readers and the renderer look at, so random joins reach deep into them.
ATOMS = [
    *"$`*_[]()<>!#\\|{}%~:^&=-+>'\" \t\n",
    "$$", "$$$", "\\(", "\\)", "\\[", "\\]", "``", "```", "~~~", "\n\n", "    ", "> ", "- ", "* ", "1. ", "2) ",
    "# ", "## ", "### ", "[^1]", "[^1]: n", "![a](b.png)", "[a](http://x.y)", "<div>", "</div>", "<span>", "<!--",
    "-->", "<![CDATA[", "<img src='a.png'>", "<sup>1</sup>", "<tex>x</tex>", "---", "***", "| a | b |", "|---|---|",
    "{% note %}", "{% endnote %}", "{% raw %}", "{% post_link x %}", "{{< details >}}", "{{< /details >}}",
    "\\begin{equation}", "\\end{equation}", "\\frac{a}{b}", "x^2", "PNMATH", "PNTEXT", "Q", "0042X", "$5", "中文",
    "## [1] Title", "**Authors**: A, B", "**Conference**: cvpr 2023", "**URL**: [x](https://doi.org/10.1/x)",
    "**Abstract**: text", "1. ### Title：T （中文）[paper](https://arxiv.org/abs/2104.00567)", "Author：*A,B*",
    ">Abstract：", "# CVPR2022", "CVMar 23, 2022Code", "88.9LGMay 2", "A, B et al.", " · Uni", "Daily Papers",
    "title: T", "date: 2023-13-45", "draft: 'false'", "tags: [a, b]", "a: &x [1]", "b: *x", "\x00", "\x08", "\x0c",
    "\x7f", "\u3000", "\ufeff", "\r\n", "\r", "x" * 60, "y" * 400, "{\\it ", "``a''", "~ruiz2023x", "\\href{", "http://a}{",
]  # fmt: skip
texts = st.lists(st.sampled_from(ATOMS) | st.text(max_size=8), max_size=60).map("".join)
raw_bytes = st.binary(max_size=600)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_diagnostics(diags, path: str = PATH) -> None:
    for d in diags:
        assert isinstance(d, Diagnostic), d
        assert d.path == path and isinstance(d.line, int) and d.line >= 1, d
        assert d.level in ("error", "warning", "info") and d.message, d
        assert d.format().startswith(f"{path}:{d.line}: {d.level}: ")


def _decoded(data: bytes) -> str:
    text, diags = decode_source(PATH, data)
    check_diagnostics(diags)
    return text if text is not None else data.decode("utf-8", "replace")


# -- never raises, every problem a diagnostic -----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READERS))
@SETTINGS
@given(text=texts | raw_bytes.map(_decoded))
def test_every_reader_takes_any_text(name, text):
    result = READERS[name](PATH, text)
    check_diagnostics(result.diagnostics)
    for record in result.records:
        assert record.source.path == PATH and 1 <= record.source.line <= text.count("\n") + 1
        assert record.abstract_line is None or record.abstract_line >= record.source.line


@SETTINGS
@given(text=texts | raw_bytes.map(_decoded), override=st.sampled_from([None, "no_such_format", *sorted(READERS)]))
def test_detection_and_listing_take_any_text(text, override):
    detect_format(PATH, text)
    check_diagnostics(read_listing(PATH, text, override).diagnostics)


@SETTINGS
@given(front=texts, body=texts, kind=st.sampled_from(["post", "note"]))
def test_documents_take_any_front_matter_and_body(front, body, kind):
    doc, diags = read_document(PATH, f"---\n{front}\n---\n{body}", kind)
    check_diagnostics(diags)
    assert isinstance(doc.title, str) and isinstance(doc.draft, bool) and doc.body_line >= 1
    assert all(isinstance(t, str) for t in (*doc.tags, *doc.categories))


@SETTINGS
@given(text=texts)
def test_site_yaml_takes_any_text(text):
    config, diags = parse_config(Path("."), text)
    check_diagnostics(diags, "site.yaml")
    assert isinstance(config.title, str)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts | raw_bytes.map(_decoded), math=st.sampled_from(["auto", "tex", "kramed"]))
def test_the_renderer_takes_any_text(text, math):
    rendered = render_markdown(text, PATH, 3, math=math)
    check_diagnostics(rendered.diagnostics)
    assert isinstance(rendered.html, str)
    assert all(f.line >= 3 for f in rendered.formulas)
    assert [d.level for d in rendered.diagnostics].count("error") <= 1


@SETTINGS
@given(text=texts)
def test_scraped_text_takes_any_text(text):
    html, formulas = text_with_math(text, 5, links=True)
    assert isinstance(html, str) and all(f.line >= 5 for f in formulas)
    check_diagnostics(raw_tex(text, PATH, 5))


@SETTINGS
@given(graph=st.lists(st.tuples(st.integers(0, 6), st.lists(st.integers(0, 6), max_size=9)), min_size=1, max_size=8))
def test_yaml_alias_graphs_are_refused(graph):
    """Anchors and aliases in any shape (a bomb is one): one error at the first alias, never a blow-up."""
    lines, defined = [], set()
    for n, (anchor, uses) in enumerate(graph):
        known = [f"*a{u}" for u in uses if u in defined]
        lines.append(f"k{n}: &a{anchor} [{', '.join(known or ['x'])}]")
        defined.add(anchor)
    yaml_text = "\n".join(lines) + "\n"
    _, diags = read_document(PATH, f"---\n{yaml_text}---\n", "note")
    check_diagnostics(diags)
    _, config_diags = parse_config(Path("."), yaml_text)
    check_diagnostics(config_diags, "site.yaml")
    if "*a" in yaml_text:
        assert [d.message for d in diags] == ["YAML aliases are not allowed"]
        assert [d.message for d in config_diags] == ["YAML aliases are not allowed"]


# -- a document that cannot be rendered is one error, the rest builds ------------------------------------

UNRENDERABLE = "{% note %}\n" * 1500 + "deep\n" + "{% endnote %}\n" * 1500  # md_in_html recurses per level


def test_a_document_that_fails_to_render_is_one_error_and_shows_its_text():
    rendered = render_markdown("Intro $x$\n\n" + UNRENDERABLE, PATH, 4)
    errors = [d for d in rendered.diagnostics if d.level == "error"]
    assert len(errors) == 1 and errors[0].line == 4 and "could not be rendered" in errors[0].message
    assert rendered.html.startswith('<pre class="unrendered"><code>Intro $x$')
    assert render_markdown("*fine*", PATH).html == "<p><em>fine</em></p>"  # the renderer is still usable


@pytest.mark.parametrize(
    "text",
    [
        "".join("  " * i + "- level\n" for i in range(300)),  # the 300 nested list levels
        "* " * 5000 + "x",  # and its 5,000 `*`
        "> " * 5000 + "x",
        "".join(">" * i + " q\n" for i in range(1, 400)),
        "1. " * 3000 + "x",
    ],
    ids=["300 list levels", "5000 stars", "5000 quotes", "400 quote levels", "3000 numbers"],
)
def test_deep_nesting_is_flattened_before_markdown(text):
    """Flattened before Markdown: a warning (the escaped markers may also be too dense a paragraph), no error."""
    rendered = render_markdown(text, PATH)
    assert [d for d in rendered.diagnostics if d.level == "error"] == []
    nesting = [d for d in rendered.diagnostics if "nested deeper than 64 lists and quotes" in d.message]
    assert len(nesting) == 1 and nesting[0].level == "warning"
    assert not rendered.html.startswith('<pre class="unrendered">')


def test_any_exception_inside_markdown_is_one_error(monkeypatch):
    from papernotes.render import markdown as md_module

    def broken(self, text):
        raise ValueError("an extension broke")

    monkeypatch.setattr(md_module.markdown.Markdown, "convert", broken)
    rendered = md_module.MarkdownRenderer().render("# Title\n\n<b>bold</b>", PATH, 7)
    assert [d.format() for d in rendered.diagnostics] == [
        f"{PATH}:7: error: this document could not be rendered (ValueError: an extension broke); "
        "the page shows its text as it is"
    ]
    assert "&lt;b&gt;bold&lt;/b&gt;" in rendered.html


@pytest.mark.slow
def test_the_rest_of_the_site_builds(tmp_path):
    source = tmp_path / "site_src"
    (source / "notes").mkdir(parents=True)
    (source / "site.yaml").write_text("title: Fuzz\n", encoding="utf-8")
    (source / "notes" / "good.md").write_text("---\ntitle: Good\n---\n\nA *good* note.\n", encoding="utf-8")
    (source / "notes" / "deep.md").write_text("---\ntitle: Deep\n---\n" + UNRENDERABLE, encoding="utf-8")
    (source / "notes" / "nested.md").write_text("- " * 3000 + "x\n\n" + "[" * 30000 + "\n", encoding="utf-8")
    (source / "notes" / "dated.md").write_text("---\ntitle: Dated\ndate: 2023-13-45\n---\nText.\n", encoding="utf-8")
    output = tmp_path / "output"
    report = build_site(source, output, search=False)
    shown = sorted(d.format() for d in report.diagnostics if d.level == "error")
    assert len(shown) == 2, shown
    assert shown[0] == "notes/dated.md:3: error: invalid date '2023-13-45': month must be in 1..12"
    assert shown[1].startswith("notes/deep.md:4: error: this document could not be rendered (RecursionError")
    warned = {d.path: d.line for d in report.diagnostics if d.level == "warning"}
    assert warned["notes/nested.md"] in (1, 3)
    assert all(d.line >= 1 for d in report.diagnostics)
    pages = {p.relative_to(output).as_posix() for p in output.rglob("index.html")}
    assert {"notes/good/index.html", "notes/deep/index.html", "notes/nested/index.html"} <= pages
    assert soup(output / "notes/good/index.html").find("em").text == "good"
    assert soup(output / "notes/deep/index.html").find("pre", class_="unrendered") is not None


@pytest.mark.slow
def test_a_formula_error_in_a_listing_abstract_names_its_own_line(tmp_path):
    if not (Path(__file__).resolve().parents[1] / "node_modules" / "katex" / "package.json").is_file():
        pytest.skip("node_modules/katex is not installed (run `npm ci`)")
    source = tmp_path / "site_src"
    (source / "papers").mkdir(parents=True)
    (source / "site.yaml").write_text("title: Fuzz\n", encoding="utf-8")
    entry = "## [1] A $x^2$ title\n**Authors**: A, B\n**Conference**: cvpr 2023\n**URL**: http://a\n\n"
    entry += "**Abstract**: Fine $y$ and broken $\\frac{a$ math.\n"
    (source / "papers" / "list.md").write_text(entry, encoding="utf-8")
    report = build_site(source, tmp_path / "output", search=False)
    katex = [d.format() for d in report.diagnostics if "KaTeX" in d.message]
    assert len(katex) == 1 and katex[0].startswith("papers/list.md:6: warning: KaTeX: "), katex


# -- linear time ----------------------------------------------------------------------------------------

# name -> text of about n characters. Each once made a reader, the scanners or Python-Markdown take
# quadratic (or worse) time, or overflow the stack.
FAMILIES = {
    "brackets": lambda n: "[" * n,
    "images": lambda n: "![" * (n // 2),
    "links": lambda n: "[a](" * (n // 4),
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "tags": lambda n: "<a " * (n // 3),
    "cdata": lambda n: "<![CDATA[" * (n // 9),
    "img tags": lambda n: "<img" * (n // 4),
    "stars": lambda n: "*a" * (n // 2),
    "underscores": lambda n: "_a" * (n // 2),
    "dollar a": lambda n: "$a " * (n // 3),
    "dollars": lambda n: "$$ " * (n // 3),
    "parens": lambda n: "\\(" * (n // 2),
    "backticks": lambda n: "".join("`" * k + "a" for k in range(1, int((2 * n) ** 0.5))),
    "display openers": lambda n: "$$a\n" * (n // 4),
    "unclosed fences": lambda n: "```a\n" * (n // 5),
    "token prefix": lambda n: "PNMATH" + "Q" * n,
    "quote chain": lambda n: "> " * (n // 2) + "a",
    "list chain": lambda n: "- " * (n // 2) + "a",
    "ordered chain": lambda n: "1. " * (n // 3) + "a",
    "nested items": lambda n: "".join("  " * i + "- a\n" for i in range(int(n**0.5))),
    "headings": lambda n: "## h\n" * (n // 5),
    "rules": lambda n: "* * *\n" * (n // 6),
    "definitions": lambda n: "[x]: http://y\n" * (n // 14),
    "comments": lambda n: "<!--" * (n // 4),
    "soft breaks": lambda n: "a\n" * (n // 2),
    "spaces in a heading": lambda n: "# a" + " " * n + "a",
    "spaces in a numbered heading": lambda n: "## [1] a" + " " * n + "!\n**Authors**: a" + " " * n + "!",
    "spaces in a list title": lambda n: "1. ### Title: a" + " " * n + "!\n   Author: a" + " " * n + "!",
    "spaces before et al": lambda n: "CVMar 23, 2022\nT\n\na" + " " * n + "b\n\nabstract",
    "spaces in a venue": lambda n: "# cvpr" + " " * n + "!\n## a",
    "font switch": lambda n: "{\\it " + " " * n,
    "tex quotes": lambda n: "``" * (n // 2),
    "sup tags": lambda n: "<sup>" * (n // 5),
    "urls": lambda n: "http://a" * (n // 8),
    "cite keys": lambda n: " " * n + "x",
    "hexo items without a venue": lambda n: "1. ### Title: T [p](http://a)\n" * (n // 30),
    "note sections": lambda n: "# CVPR2022\n" + "## A paper title\n\ntext\n" * (n // 28),
    "control characters": lambda n: "\x08eta\x0c" * (n // 5),
    "unclosed shortcodes": lambda n: "{% note %}\n" * (n // 11),
    "yaml keys": lambda n: "---\n" + "".join(f"k{i}: v\n" for i in range(n // 8)) + "---\nbody",
    "yaml duplicates": lambda n: "---\n" + "a: 1\n" * (n // 5) + "---\nbody",
    "yaml long value": lambda n: "---\ntitle: " + "x " * (n // 2) + "\n---\nbody",
}


def _render(text: str) -> None:
    render_markdown(text, PATH)


def _read_all(text: str) -> None:
    for reader in READERS.values():
        reader(PATH, text)
    detect_format(PATH, text)
    read_document(PATH, text, "note")


def _scanners(text: str) -> None:
    protect_math(text)
    expand_tags(text, PATH)
    text_with_math(text, 1, links=True)
    clean_tex_residue(text)
    join_fragments(text.split("\n"))


def _best_time(fn, text: str, runs: int = 5) -> float:
    """The best of `runs`, the cyclic GC off while timed (the larger input would pay more collections)."""
    best = float("inf")
    for _ in range(runs):
        gc.disable()
        try:
            started = time.perf_counter()
            fn(text)
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def assert_linear(fn, make, floor: float = 0.004, start: int = 500, cap: int = 1 << 19) -> None:
    """Grow n until fn takes `floor` seconds, then compare with 4n: linear is ~4x, quadratic ~16x. The suite runs a
    worker per core: best of five, so a build beside it rarely interrupts every timing of one input."""
    n = start
    small = make(n)
    t_small = _best_time(fn, small)
    while t_small < floor and n < cap:
        n *= 2
        small = make(n)
        t_small = _best_time(fn, small)
    large = make(4 * n)
    t_large = _best_time(fn, large)
    ratio = t_large / t_small * len(small) / max(len(large), 1) * 4
    if t_small < floor / 4:
        return  # too fast to measure even at the cap: linear for all practical purposes
    assert ratio < 8, f"{4 * n}: {t_large:.3f}s vs {n}: {t_small:.3f}s (x{ratio:.1f}, linear is x4)"


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_time_grows_linearly(family):
    make = FAMILIES[family]
    for fn in (_read_all, _scanners, _render):
        assert_linear(fn, make)


PIECES = st.sampled_from(["[", "](", "<a ", "<", ">", "*", "_", "- ", "  ", "\t", "> ", "1. ", "#", "---", "\n", "a"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=400).map("".join))
def test_the_whole_text_fast_path_skips_only_what_the_full_pass_leaves_alone(text):
    """bound_markdown skips a text within every budget as a whole; the full pass must agree."""
    from papernotes.render import bounds

    if bounds._within_bounds(text):
        full = bounds.bound_all(text, "n.md", 1)
        assert (full.text, full.literals, full.diagnostics) == (text, {}, [])
