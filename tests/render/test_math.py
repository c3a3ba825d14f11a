"""Math protection on seed 001 and on hand-written edge cases (pure, no node needed)."""

from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papernotes.render.katex import MathResult
from papernotes.render.math import Formula, fill_math, leftover_tex, protect_math

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "site_src" / "notes" / "cvpr2022-generative-models.md"


def offset_of_line(text: str, line: int) -> int:
    return sum(len(part) + 1 for part in text.split("\n")[: line - 1])


# -- seed 001 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    out, formulas = protect_math(text)
    return text, out, formulas


def test_seed_counts_match_readme(seed):
    text, out, formulas = seed
    assert len(formulas) == 50
    assert sum(f.display for f in formulas) == 23
    assert sum(not f.display for f in formulas) == 27
    assert len({f.token for f in formulas}) == 50
    assert out.count("\n") == text.count("\n")


def test_seed_tex_is_byte_exact_at_its_line(seed):
    text, _, formulas = seed
    cursor = 0
    for f in formulas:  # in document order, each delimited source starts on its line
        delim = "$$" if f.display else "$"
        at = text.find(delim + f.tex + delim, max(cursor, offset_of_line(text, f.line)))
        assert at != -1 and text.count("\n", 0, at) + 1 == f.line, f
        cursor = at + len(f.tex) + 2 * len(delim)


def test_seed_lines_checked_by_hand(seed):
    _, _, formulas = seed
    by_line = {}
    for f in formulas:
        by_line.setdefault(f.line, []).append(f)
    assert [f.tex for f in by_line[14]] == ["x_{d,n}，n-第n个关键点，d表示时刻"]
    assert [f.tex for f in by_line[119]] == [r"\|.\|_0", "L_0", r"\boldsymbol{A}"]
    assert [f.tex for f in by_line[241]] == [r"f_{LRA}，f_{\theta}"]
    first = by_line[25][0]
    assert first.display and first.tex.startswith("\n\\begin{aligned}\n") and first.tex.endswith("\\end{aligned}\n")
    assert by_line[246][0].display  # the last block, at the end of a file without a final newline


def test_seed_display_blocks_under_text_become_paragraphs(seed):
    _, out, formulas = seed
    html = markdown.markdown(out)
    for f in formulas:
        assert (f"<p>{f.token}</p>" in html) == f.display, f
    assert "<em>" not in html  # without protection, `$\|.\|_0$ … $L_0$` turns into emphasis


def test_first_line_offsets_line_numbers():
    _, formulas = protect_math("a $x$\n\n$$\ny\n$$", first_line=10)
    assert [(f.line, f.display) for f in formulas] == [(10, False), (12, True)]


# -- edge cases ----------------------------------------------------------------


def texts(text):
    return [(f.tex, f.display) for f in protect_math(text)[1]]


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10 today.",
        r"A literal \$ sign and \$x\$ too.",
        "Code `$x$` and ``a ` $y$`` here.",
        "```python\nprice = $x$\n$$\ny\n$$\n```",
        "  ~~~\n  $x$\n  ~~~~",
        "$ x$ and $x $ are not math",
        "an unclosed $x_1 on one line\nand $ later",
        "$x\n$",  # inline math never crosses a line
    ],
)
def test_text_that_is_not_math_is_untouched(text):
    out, formulas = protect_math(text)
    assert formulas == [] and out == text


def test_escapes_and_currency_next_to_real_math():
    assert texts(r"\$5 costs $a_1$ and \\$b$") == [("a_1", False), ("b", False)]
    assert texts(r"$\$5$ is math with a dollar") == [(r"\$5", False)]
    # Pandoc's rule: a $ before a digit or after a space does not close.
    # Pandoc: the first `$` after an opener is its only possible closer; `$5 and $` is not math either.
    assert texts("$x$5 and $y$") == [("y", False)]


def test_cjk_and_fullwidth_commas_are_math():
    assert texts("得到$x_{d,n}，n-第n个关键点，d表示时刻$，该") == [("x_{d,n}，n-第n个关键点，d表示时刻", False)]


def test_underscores_in_math_do_not_reach_markdown():
    out, formulas = protect_math(r"where $\|.\|_0$ is the $L_0$ constraint")
    html = markdown.markdown(out)
    assert "<em>" not in html and "_" not in out
    assert [f.tex for f in formulas] == [r"\|.\|_0", "L_0"]


def test_code_span_unmatched_backticks_are_text():
    assert texts("a ` b $x$") == [("x", False)]
    assert texts("a `code\nspans lines $x$` b $y$") == [("y", False)]


def test_unclosed_fence_is_not_code():
    assert texts("```\n$x$") == [("x", False)]


def test_math_in_heading_list_and_table():
    text = "## Loss $L_0$\n\n- item $a_i$\n\n| a | b |\n|---|---|\n| $x_1$ | $$y$$ |\n"
    out, formulas = protect_math(text)
    assert [(f.tex, f.display, f.line) for f in formulas] == [
        ("L_0", False, 1),
        ("a_i", False, 3),
        ("x_1", False, 7),
        ("y", False, 7),  # the kramdown rule: `$$…$$` inside a line of text (a table row) is inline
    ]
    html = markdown.markdown(out, extensions=["tables", "toc"])
    for f in formulas:
        assert f.token in html


def test_display_block_directly_under_text_gets_blank_lines():
    text = "Loss:\n$$\na_1\n$$\nwhere a is x."
    out, [f] = protect_math(text)
    assert f == Formula("\na_1\n", True, 2, "PNMATH0000X")
    assert out.split("\n") == ["Loss:", "", "PNMATH0000X", "", "where a is x."]
    assert "<p>PNMATH0000X</p>" in markdown.markdown(out)


def test_display_block_in_indented_list_item_keeps_indentation():
    text = "1. item\n\n    $$\n    x\n    $$\n2. next"
    out, [f] = protect_math(text)
    assert f.tex == "\nx\n" and f.line == 3  # the TeX without the item's indentation; the token keeps it
    assert out.split("\n")[3] == "    PNMATH0000X"


def test_display_block_lazily_continuing_a_list_item_stays_in_the_item():
    # Typora/CommonMark: the unindented $$ right under "1. …" belongs to item 1.
    text = "1. first\n$$\nx\n$$\n\n2. second"
    out, [f] = protect_math(text)
    html = markdown.markdown(out)
    assert html.count("<ol>") == 1 and f"<p>{f.token}</p>\n</li>" in html


def test_back_to_back_display_blocks_and_one_line_display():
    assert texts("$$\na\n$$\n$$\nb\n$$\n\n$$c$$") == [("\na\n", True), ("\nb\n", True), ("c", True)]


def test_never_closed_display_stays_text_and_does_not_eat_the_document():
    text = "$$\nx = 1\n\nLater $y$ and\n$$\nz\n$$"
    out, formulas = protect_math(text)
    # The first $$ is text; the block at the end is still found, and so is $y$.
    assert [(f.tex, f.display, f.line) for f in formulas] == [("y", False, 4), ("\nz\n", True, 5)]
    assert out.split("\n")[:3] == ["$$", "x = 1", ""]


def test_tokens_avoid_text_that_looks_like_a_token():
    out, [f] = protect_math("PNMATH0000X is prose, $x$ is math")
    assert f.token != "PNMATH0000X" and f.token.isalnum() and out.startswith("PNMATH0000X is prose")


def test_crlf_line_endings():
    out, formulas = protect_math("a $x$\r\n$$\r\ny\r\n$$\r\nb")
    assert [(f.tex, f.line) for f in formulas] == [("x", 1), ("\r\ny\r\n", 2)]
    assert out.count("\n") == 4 and "\r" in out


# -- property ----------------------------------------------------------------

alphabet = st.sampled_from(list("ab $$$\\`_*~\n\n 5") + ["```", "$$\n", "    ", "1. ", "，", "中"])


@settings(max_examples=400, deadline=None)
@given(st.lists(alphabet, max_size=60).map("".join), st.integers(1, 50))
@example("$$a$$ ", 1)  # found by a CI run: a one-line display block dropped its trailing blank
@example("> $$a$$ \t\r\nb", 3)
def test_protect_math_never_raises_and_round_trips(text, first_line):
    out, formulas = protect_math(text, first_line)
    assert out.count("\n") == text.count("\n")
    for f in formulas:
        assert f.token.isalnum() and out.count(f.token) == 1
        assert first_line <= f.line <= first_line + text.count("\n")
    if all("\n" not in f.tex for f in formulas):  # no multi-line block was rewritten
        restored = out
        for f in formulas:
            opener, closer = f.delimiters
            restored = restored.replace(f.token, opener + f.tex + closer)
        assert restored == text


# -- fill_math (results given by hand; real KaTeX is in test_katex.py) -----------


def test_fill_math_replaces_blocks_inline_errors_and_missing():
    text = "## Head $h$\n\nSee $a$ and $b$.\n\n$$\nd\n$$\n\n$$\ne\n$$"
    out, fs = protect_math(text)
    html = markdown.markdown(out, extensions=["toc"])
    results = {
        ("h", False): MathResult('<span class="katex">H</span>', None),
        ("a", False): MathResult('<span class="katex">A</span>', None),
        ("b", False): MathResult(None, "KaTeX parse error: Bad <b>"),
        ("\nd\n", True): MathResult('<span class="katex-display">D</span>', None),
    }
    filled, diags = fill_math(html, fs, results, "notes/x.md")
    assert "PNMATH" not in filled.upper()
    assert '<div class="math-display"><span class="katex-display">D</span></div>' in filled
    assert "<p>" + "<div" not in filled
    assert '<span class="math-inline"><span class="katex">A</span></span>' in filled
    assert '<span class="math-error" title="notes/x.md:3: KaTeX: Bad &lt;b&gt;"><code>b</code></span>' in filled
    assert '<div class="math-display"><code class="math-source">\ne\n</code></div>' in filled
    assert 'id="head-h"' in filled  # the slugged token became the plain TeX
    assert [d.format() for d in diags] == ["notes/x.md:3: warning: KaTeX: Bad <b>"]


def test_escaped_brackets_and_parentheses_in_prose_are_not_math():
    # Typora escapes brackets it did not mean as links: `\[1\]` is a citation, `\(注意\)` a remark.
    assert texts(r"见文献\[1\]和\[12, 13\]。") == []
    assert texts(r"\(注意\)：这里不是公式") == []
    assert texts(r"其中 \[x_i^2\] 与 \(a\) 是公式") == [("x_i^2", True), ("a", False)]
    assert texts("\\[\n1\n\\]") == [("\n1\n", True)]  # on lines of its own it is display math whatever it holds


def test_leftover_tex_is_reported_once_per_line_outside_code():
    text = "损失 \\frac{a}{b} 和 \\alpha\n`\\frac{x}{y}` 是代码\n```\n\\sum_i x_i\n```\n价格 $5 和 $10，$x$ 已渲染"
    protected, _ = protect_math(text, 10)
    found = leftover_tex(protected, "损失 \\frac{a}{b} 和 \\alpha 是代码 价格 $5 和 $10， 已渲染", "n.md", 10)
    assert [(d.path, d.line, d.level) for d in found] == [("n.md", 10, "warning")]
    assert "\\frac" in found[0].message


def test_leftover_tex_only_where_a_reader_sees_it():
    from papernotes.render.markdown import render_markdown

    for hidden in ("````md\n```\n\\frac{a}{b}\n```\n````\n", "para\n\n    \\frac{a}{b}\n", "<!-- \\frac{a}{b} -->\n",
                   "<code>\\frac{a}{b}</code>\n"):  # fmt: skip
        assert render_markdown(hidden, "n.md").diagnostics == [], hidden
    [shown] = render_markdown("正文\n\n用 \\frac{a}{b} 表示\n", "n.md", first_line=5).diagnostics
    assert (shown.line, shown.level) == (7, "warning") and "\\frac" in shown.message


def test_raw_tex_in_scraped_text_is_a_warning_at_its_record():
    from papernotes.render.text import raw_tex

    [found] = raw_tex(r"We blend with \alpha weights and $\beta$ terms", "papers/list.md", 7)
    assert (found.path, found.line, found.level) == ("papers/list.md", 7, "warning") and r"\alpha" in found.message
    assert raw_tex(r"We blend with $\alpha$ weights, costing $5", "papers/list.md", 7) == []
