"""render/mathml.py on KaTeX-shaped MathML, without node: what changes and what must not."""

from papernotes.render.mathml import alphabets, for_mathml_core


def test_letters_digits_and_greek_of_every_variant_become_unicode_math_letters():
    table = alphabets()
    assert table["script"]["L"] == "ℒ" and table["script"]["A"] == "𝒜"  # a Letterlike hole and the block
    assert table["double-struck"]["R"] == "ℝ" and table["double-struck"]["1"] == "𝟙"
    assert table["fraktur"]["g"] == "𝔤" and table["italic"]["h"] == "ℎ"
    assert table["bold"]["θ"] == "𝛉" and table["bold-italic"]["θ"] == "𝜽" and table["bold"]["0"] == "𝟎"
    for variant in ("bold", "italic", "bold-italic", "script", "fraktur", "double-struck", "sans-serif", "monospace"):
        assert all(chr(c) in table[variant] for c in range(ord("a"), ord("z") + 1)), variant
        assert all(chr(c) in table[variant] for c in range(ord("A"), ord("Z") + 1)), variant


def test_entities_attributes_and_what_cannot_be_styled_stay_as_katex_made_them():
    katex = (
        '<mi mathvariant="double-struck">&lt;R</mi><mo mathvariant="bold" stretchy="false">(</mo>'
        '<mi mathvariant="normal">∇</mi><mi mathvariant="script">∂</mi><mi>x</mi>'
    )
    out = for_mathml_core(katex, False)
    assert (
        out
        == '<mi>&lt;ℝ</mi><mo mathvariant="bold" stretchy="false">(</mo>'
        + katex[katex.index('<mi mathvariant="normal"') :]
    )


def test_text_gets_css_and_display_formulas_katexs_wrapper():
    text = '<mtext mathvariant="bold">粗体 text</mtext><mtext mathvariant="monospace">code</mtext>'
    assert for_mathml_core(text, False) == (
        '<mtext style="font-weight:bold">粗体 text</mtext><mtext style="font-family:monospace">code</mtext>'
    )
    assert for_mathml_core("<math></math>", True) == '<span class="katex-display"><math></math></span>'
    assert for_mathml_core('<mi mathvariant="sans-serif-bold">W</mi>', False) == "<mi>𝗪</mi>"  # an alias
