"""KaTeX's MathML made to look right in MathML Core browsers (Chromium 109+, Firefox, Safari).

KaTeX renders formulas as MathML only (render/katex.py): the `<annotation>` keeps the TeX for
copy/paste and invariant 4, and a note is a quarter of the bytes of KaTeX's HTML+MathML (whose
HTML half is layout spans). MathML Core leaves out `mathvariant` other than "normal", so
`\\mathcal{L}`, `\\mathbb{R}` or `\\mathbf{W}` (KaTeX: `<mi mathvariant="script">L</mi>`) would show
as plain letters in Chromium. MathML Core's answer is the Unicode Mathematical Alphanumeric
Symbols: `<mi>ℒ</mi>`, `<mi>ℝ</mi>`, `<mi>𝐖</mi>`, which every browser shows alike. Text
(`\\textbf{...}`, an `<mtext>`) gets CSS instead, so Chinese and spaces keep their font.

Display formulas get KaTeX's own wrapper, `<span class="katex-display">`, as its HTML output has.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Unicode's style words (after "MATHEMATICAL ") -> MathML's mathvariant names.
_STYLES = {
    "BOLD": "bold",
    "ITALIC": "italic",
    "BOLD ITALIC": "bold-italic",
    "SCRIPT": "script",
    "BOLD SCRIPT": "bold-script",
    "FRAKTUR": "fraktur",
    "BOLD FRAKTUR": "bold-fraktur",
    "DOUBLE-STRUCK": "double-struck",
    "SANS-SERIF": "sans-serif",
    "SANS-SERIF BOLD": "bold-sans-serif",
    "SANS-SERIF ITALIC": "sans-serif-italic",
    "SANS-SERIF BOLD ITALIC": "sans-serif-bold-italic",
    "MONOSPACE": "monospace",
}
_ALIASES = {"sans-serif-bold": "bold-sans-serif", "bold-sans-serif-italic": "sans-serif-bold-italic"}
# The letters the block leaves out because Letterlike Symbols had them first.
_HOLES = {
    "script": dict(zip("BEFHILMReog", "ℬℰℱℋℐℒℳℛℯℊℴ")),
    "fraktur": dict(zip("CHIRZ", "ℭℌℑℜℨ")),
    "double-struck": dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ")),
    "italic": {"h": "ℎ"},
}
# What CSS does for text (MathML Core styles <mtext> like any text).
_TEXT_STYLES = {
    "bold": "font-weight:bold",
    "italic": "font-style:italic",
    "bold-italic": "font-weight:bold;font-style:italic",
    "sans-serif": "font-family:sans-serif",
    "bold-sans-serif": "font-family:sans-serif;font-weight:bold",
    "sans-serif-italic": "font-family:sans-serif;font-style:italic",
    "sans-serif-bold-italic": "font-family:sans-serif;font-weight:bold;font-style:italic",
    "monospace": "font-family:monospace",
}
_TOKEN = re.compile(
    r'<(mi|mn|mo|mtext)((?: [a-z-]+="[^"]*")*) mathvariant="([a-z-]+)"((?: [a-z-]+="[^"]*")*)>([^<]*)</\1>'
)
_CHAR_OR_ENTITY = re.compile(r"&[#a-zA-Z0-9]+;|.", re.S)


@cache
def alphabets() -> dict[str, dict[str, str]]:
    """mathvariant -> {plain character: its styled character}, read from Unicode's own names and
    compatibility mappings (𝐀 is "MATHEMATICAL BOLD CAPITAL A", NFKC "A")."""
    table: dict[str, dict[str, str]] = {variant: {} for variant in _STYLES.values()}
    by_length = sorted(_STYLES, key=len, reverse=True)
    for code in range(0x1D400, 0x1D800):
        char = chr(code)
        name = unicodedata.name(char, "")
        if not name.startswith("MATHEMATICAL "):
            continue
        rest = name.removeprefix("MATHEMATICAL ")
        style = next((s for s in by_length if rest.startswith(s + " ")), None)
        plain = unicodedata.normalize("NFKC", char)
        if style and len(plain) == 1 and "DOTLESS" not in rest:
            table[_STYLES[style]].setdefault(plain, char)
    for variant, letters in _HOLES.items():
        table[variant].update(letters)
    return table


def _styled(text: str, letters: dict[str, str]) -> str:
    return "".join(letters.get(c, c) for c in (m.group() for m in _CHAR_OR_ENTITY.finditer(text)))


def _token(m: re.Match) -> str:
    tag, before, variant, after, text = m.groups()
    variant = _ALIASES.get(variant, variant)
    if tag == "mtext" and variant in _TEXT_STYLES:
        return f'<mtext{before}{after} style="{_TEXT_STYLES[variant]}">{text}</mtext>'
    letters = alphabets().get(variant)
    styled = _styled(text, letters) if letters else text
    if styled == text:  # "normal", or nothing it could style: as KaTeX made it
        return m.group()
    return f"<{tag}{before}{after}>{styled}</{tag}>"


def for_mathml_core(html: str, display: bool) -> str:
    """KaTeX's MathML output of one formula as MathML Core shows it."""
    html = _TOKEN.sub(_token, html)
    return f'<span class="katex-display">{html}</span>' if display else html
