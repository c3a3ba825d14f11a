"""KaTeX through node: real rendering, the cache, errors, assets.

Needs `npm ci`; skipped locally when node_modules/katex is missing, but in CI
(env CI set) a missing KaTeX is a failure, not a skip.
"""

import html
import os
import re
from pathlib import Path

import markdown
import pytest

from papernotes.render.katex import KatexRenderer, KatexUnavailable, math_assets
from papernotes.render.math import fill_math, protect_math

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "site_src" / "notes" / "cvpr2022-generative-models.md"

if not (ROOT / "node_modules" / "katex" / "package.json").is_file() and not os.environ.get("CI"):
    pytest.skip("node_modules/katex is not installed (run `npm ci`)", allow_module_level=True)

ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


@pytest.fixture(scope="module")
def seed_formulas():
    return protect_math(SEED.read_text(encoding="utf-8"))[1]


def test_seed_formulas_render_without_errors(tmp_path, seed_formulas):
    with KatexRenderer(ROOT, tmp_path) as renderer:
        results = renderer.render((f.tex, f.display) for f in seed_formulas)
        assert renderer.processes_started == 1
    assert len(results) == len({(f.tex, f.display) for f in seed_formulas})
    for f in seed_formulas:
        result = results[(f.tex, f.display)]
        assert result.error is None, (f.line, result.error)
        assert html.unescape(ANNOTATION.search(result.html).group(1)) == f.tex
        assert ('class="katex-display"' in result.html) == f.display


def test_errors_come_back_per_formula_and_the_process_survives(tmp_path):
    with KatexRenderer(ROOT, tmp_path) as renderer:
        results = renderer.render([(r"\frac{1}{", False), ("x^2", False), (r"\badmacro", True)])
        assert results[(r"\frac{1}{", False)].html is None
        assert "KaTeX parse error" in results[(r"\frac{1}{", False)].error
        assert results[("x^2", False)].error is None
        assert "badmacro" in results[(r"\badmacro", True)].error
        assert renderer.render([("y", False)])[("y", False)].html  # same process, next batch
        assert renderer.processes_started == 1


def test_warm_cache_starts_no_process(tmp_path, seed_formulas):
    items = [(f.tex, f.display) for f in seed_formulas] + [(r"\frac{1}{", False)]
    with KatexRenderer(ROOT, tmp_path) as cold:
        first = cold.render(items)
    with KatexRenderer(ROOT, tmp_path) as warm:
        assert warm.render(items) == first  # errors are cached too
        assert warm.processes_started == 0
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))] == ["katex.sqlite3"]


def test_dead_node_raises_katex_unavailable(tmp_path):
    renderer = KatexRenderer(ROOT, tmp_path)
    renderer.render([("a", False)])
    renderer._proc.kill()
    renderer._proc.wait()
    with pytest.raises(KatexUnavailable, match="worker exited"):
        renderer.render([("b", False)])
    renderer.close()


def test_missing_node_and_missing_package_say_how_to_fix(tmp_path, monkeypatch):
    with pytest.raises(KatexUnavailable, match="run `npm ci` in"):
        KatexRenderer(tmp_path, tmp_path / "cache")
    monkeypatch.setenv("PATH", str(tmp_path))
    with KatexRenderer(ROOT, tmp_path) as renderer:
        with pytest.raises(KatexUnavailable, match="node not found on PATH: install Node.js 18"):
            renderer.render([("a", False)])


def test_close_leaves_no_process(tmp_path):
    renderer = KatexRenderer(ROOT, tmp_path)
    renderer.render([("a", False)])
    proc = renderer._proc
    renderer.close()
    assert proc.poll() is not None


def test_fill_math_with_real_katex_shows_error_box(tmp_path):
    text = "# Note\n\nGood $a^2$ and bad $\\frac{1}{$.\n\n$$\n\\frac{1}{\n$$\n"
    out, formulas = protect_math(text, first_line=5)
    with KatexRenderer(ROOT, tmp_path) as renderer:
        results = renderer.render((f.tex, f.display) for f in formulas)
    filled, diags = fill_math(markdown.markdown(out), formulas, results, "site_src/notes/x.md")
    assert "PNMATH" not in filled
    assert re.search(r'<span class="math-inline"><span class="katex">', filled)
    assert '<span class="math-error" title="site_src/notes/x.md:7: KaTeX: ' in filled
    assert '<div class="math-error math-error-display" title="site_src/notes/x.md:9: KaTeX: ' in filled
    assert "<code>\\frac{1}{</code>" in filled
    assert [(d.line, d.level) for d in diags] == [(7, "warning"), (9, "warning")]
    assert all(d.message.startswith("KaTeX: ") for d in diags)


def test_missing_results_show_source_without_error_box():
    out, formulas = protect_math("a $x<y$ b")
    filled, diags = fill_math(markdown.markdown(out), formulas, {}, "n.md")
    assert filled == '<p>a <span class="math-inline"><code class="math-source">x&lt;y</code></span> b</p>'
    assert diags == []


def test_math_assets_are_a_stylesheet_the_font_and_its_licence(tmp_path):
    assets = math_assets(ROOT)
    assert sorted(assets) == ["math/OFL.txt", "math/math.css", "math/stix-two-math.woff2"]
    font = assets["math/stix-two-math.woff2"]
    assert font.read_bytes()[:4] == b"wOF2"
    assert "SIL Open Font License" in assets["math/OFL.txt"].read_text("utf-8")
    css = assets["math/math.css"].decode("utf-8")
    assert css.count("@font-face") == 1 and 'src:url(stix-two-math.woff2) format("woff2")' in css
    assert 'math{font-family:"STIX Two Math",math}' in css
    with pytest.raises(KatexUnavailable, match="stix-two-math is not installed"):
        math_assets(tmp_path)


def test_mathml_core_letters_styles_and_wrapper(tmp_path):
    """What MathML Core leaves out (mathvariant other than normal) comes back as Unicode letters, text
    styles as CSS; display formulas keep KaTeX's wrapper; the annotation stays the source."""
    tex = r"\mathcal{L}_{\text{adv}} + \mathbb{E}[\mathbf{W}\boldsymbol{\theta}] + \mathfrak{g}\mathsf{A}\mathtt{b}"
    items = [(tex, True), (r"\textbf{粗体} \mathrm{d}x \mathbf{1}", False)]
    with KatexRenderer(ROOT, tmp_path) as renderer:
        results = renderer.render(items)
    display, inline = results[items[0]].html, results[items[1]].html
    assert display.startswith('<span class="katex-display"><span class="katex"><math ')
    assert 'display="block"' in display and "katex-html" not in display
    for shown in ("<mi>ℒ</mi>", "<mi>𝔼</mi>", "<mi>𝐖</mi>", "<mi>𝜽</mi>", "<mi>𝔤</mi>", "<mi>𝖠</mi>", "<mi>𝚋</mi>"):
        assert shown in display
    assert '<mtext style="font-weight:bold">粗体</mtext>' in inline
    assert '<mi mathvariant="normal">d</mi>' in inline and "<mn>𝟏</mn>" in inline
    assert not re.search(r'mathvariant="(?!normal")', display + inline)
    assert html.unescape(ANNOTATION.search(display).group(1)) == tex
