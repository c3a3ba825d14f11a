"""Every math delimiter convention notes are written in, checked on the corpus of math_cases.py.

Each case is checked twice: the formulas protect_math and render_markdown find (how many, display or
inline, the TeX byte for byte, the line), and the final HTML after real KaTeX (every annotation equals
its formula's TeX in order, display math in <div class="math-display">, no delimiter left visible, no
emphasis made from `_` / `*`).  All formulas of all cases go to KaTeX in one batch (a module fixture).
Needs `npm ci` for the HTML half: skipped locally when node_modules/katex is missing, a failure in CI.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from math_cases import CASES, CONVENTIONS, OVERRIDES, Case

from papernotes.render.katex import KatexRenderer
from papernotes.render.markdown import render_markdown
from papernotes.render.math import fill_math, protect_math

ROOT = Path(__file__).resolve().parents[2]
HAVE_KATEX = (ROOT / "node_modules" / "katex" / "package.json").is_file()
IDS = [case.id for case in CASES]


def find_math(case: Case):
    """protect_math with the case's convention ("auto" is the default, so it is not passed)."""
    return protect_math(case.text) if case.math == "auto" else protect_math(case.text, convention=case.math)


def render(case: Case):
    if case.math == "auto":
        return render_markdown(case.text, "t.md")
    return render_markdown(case.text, "t.md", math=case.math)


def group(case: Case) -> str:
    return case.id.rsplit("-", 1)[0]


# -- the corpus itself --------------------------------------------------------------------------------------------


def test_every_convention_has_at_least_40_cases_and_each_override_10():
    counts = Counter(group(case) for case in CASES)
    assert set(counts) == set(CONVENTIONS) | set(OVERRIDES)
    assert {name: counts[name] for name in CONVENTIONS if counts[name] < 40} == {}
    assert {name: counts[name] for name in OVERRIDES if counts[name] < 10} == {}
    assert len(set(IDS)) == len(IDS)


CONTAINER_PREFIX = re.compile(r"(?:> ?)*(?: {2,4})?")  # what a quote or list item puts before a line


def test_the_corpus_is_consistent():
    """Expected TeX is in the source: as is, or (quotes, list items) line by line after a container's prefix."""
    for case in CASES:
        lines = case.text.split("\n")
        for tex, _ in case.formulas:
            if case.inside in ("blockquote", "li") and "\n" in tex:
                for part in filter(None, tex.split("\n")):
                    prefixes = [line[: -len(part)] for line in lines if line.endswith(part)]
                    assert any(CONTAINER_PREFIX.fullmatch(p) for p in prefixes), (case.id, part)
            else:
                assert tex in case.text, case.id
        assert len(case.lines) in (0, len(case.formulas)), case.id
        assert not case.visible or all(shown.count("$") for shown in case.visible), case.id


# -- finding the formulas -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_formulas_found(case):
    _, formulas = find_math(case)
    assert [(f.tex, f.display) for f in formulas] == list(case.formulas)
    if case.lines:
        assert [f.line for f in formulas] == list(case.lines)
    assert len({f.token for f in formulas}) == len(formulas)
    rendered = render(case)
    assert [(f.tex, f.display, f.line) for f in rendered.formulas] == [(f.tex, f.display, f.line) for f in formulas]
    assert all(f.token in rendered.html for f in rendered.formulas)


# -- the final HTML -----------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
MATH = {"math-inline", "math-display", "math-error"}  # fill_math's wrappers around KaTeX (or its error box)


class MathElement:
    def __init__(self, tag: str, classes: set[str], inside: set[str]):
        self.tag, self.classes, self.inside = tag, classes, inside
        self.annotations: list[str] = []  # KaTeX's <annotation encoding="application/x-tex">, unescaped
        self.code = ""  # the source shown in an error box

    @property
    def kind(self) -> str:
        return "math-display" if self.classes & {"math-display", "math-error-display"} else "math-inline"

    @property
    def tex(self) -> str | None:
        if "math-error" in self.classes:
            return self.code
        return self.annotations[0] if len(self.annotations) == 1 else None


class MathHtml(HTMLParser):
    """The math elements of a page in order, and the text a reader sees outside of them."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.math: list[MathElement] = []
        self.current: MathElement | None = None
        self.depth = 0  # len(stack) outside the current math element
        self.visible: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self.current is None and classes & MATH:
            self.current = MathElement(tag, classes, set(self.stack))
            self.math.append(self.current)
            self.depth = len(self.stack)
        elif self.current is not None and tag == "annotation":
            self.current.annotations.append("")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if len(self.stack) == self.depth:
                self.current = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is None:
            self.visible.append(data)
        elif self.stack[-1] == "annotation":
            self.current.annotations[-1] += data
        elif "math-error" in self.current.classes:
            self.current.code += data


@pytest.fixture(scope="module")
def katex_pages(tmp_path_factory):
    """Every case rendered (or the exception its convention raises today) and one KaTeX batch for all."""
    if not HAVE_KATEX and not os.environ.get("CI"):
        pytest.skip("node_modules/katex is not installed (run `npm ci`)")
    rendered = {}
    for case in CASES:
        try:
            rendered[case.id] = render(case)
        except Exception as exc:  # a convention not implemented yet fails its own cases only
            rendered[case.id] = exc
    items = {(f.tex, f.display) for r in rendered.values() if not isinstance(r, Exception) for f in r.formulas}
    items |= {formula for case in CASES for formula in case.formulas}  # what the cases expect, found or not
    with KatexRenderer(ROOT, tmp_path_factory.mktemp("katex")) as renderer:
        results = renderer.render(items)
    return rendered, results


def test_every_expected_formula_renders_with_its_tex_as_annotation(katex_pages):
    """The corpus is renderable: once a case's formulas are found, only the finding can fail it."""
    _, results = katex_pages
    unsupported = {formula for case in CASES if case.unsupported for formula in case.formulas}
    for case in CASES:
        for tex, display in case.formulas:
            result = results[(tex, display)]
            if (tex, display) in unsupported:
                assert "No such environment" in result.error, case.id
                continue
            assert result.error is None, (case.id, result.error)
            [element] = MathHtml(f'<span class="math-inline">{result.html}</span>').math
            assert element.tex == tex, case.id
            assert ('class="katex-display"' in result.html) == display, case.id


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_final_html(case, katex_pages):
    rendered, results = katex_pages
    rendered = rendered[case.id]
    if isinstance(rendered, Exception):
        raise rendered
    page, diagnostics = fill_math(rendered.html, rendered.formulas, results, "t.md")
    parsed = MathHtml(page)
    expected = [("math-display" if display else "math-inline", tex) for tex, display in case.formulas]
    assert [(m.kind, m.tex) for m in parsed.math] == expected
    for m, (_, display) in zip(parsed.math, case.formulas):
        if not case.in_text:
            assert m.tag == ("div" if display else "span"), (m.tag, m.classes)
        if case.inside:
            assert case.inside in m.inside, m.inside
    errors = [m for m in parsed.math if "math-error" in m.classes]
    if case.unsupported:  # the error box shows the source; the warning names the formula's line
        assert len(errors) == len(expected)
        assert [d.line for d in diagnostics] == [f.line for f in rendered.formulas]
    else:
        assert errors == [] and diagnostics == []
    assert "PNMATH" not in page
    assert "<em>" not in page and "<strong>" not in page
    if case.inside == "td":
        assert "<table>" in page
    visible = "".join(parsed.visible)
    assert "\\(" not in visible and "\\[" not in visible
    if case.visible:
        assert all(shown in visible for shown in case.visible), visible
    else:
        assert "$" not in visible, visible
