"""Turn the stray IEEE Xplore MathML/HTML found in scraped abstracts into text.

Choices (readable text, never raw HTML):
- ``<sup>x</sup>``: Unicode superscript when every character has one
  (``1`` -> ``¹``, ``i`` -> ``ⁱ``); otherwise the plain text (``1<sup>st</sup>``
  -> ``1st``, ``<sup>†</sup>`` -> ``†``).
- ``<inf>x</inf>`` / ``<sub>x</sub>``: Unicode subscript when one exists
  (``L<inf>2</inf>`` -> ``L₂``), else the plain text.
- ``<tex>$…$</tex>``: the ``$…$`` is kept as math for the renderer.
- the other formatting tags IEEE pages use (``<i>``, ``<b>``, ``<mml:…>``, …)
  are stripped to their text; attributes (``xmlns:…``) go with them.
- any tag we do not know (``<script>``) is NOT markup we understand: it stays
  in the text as written and templates show it escaped, so nothing is silently
  dropped and nothing runs.
"""

from __future__ import annotations

import html
import re

_SUP = dict(zip("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ"))
_SUB = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))

_PAIRED = re.compile(r"<(sup|inf|sub|tex)\b[^<>]*>(.*?)</\1\s*>", re.S | re.I)  # fullmatch of one line only
_PAIRED_OPEN = re.compile(r"<(sup|inf|sub|tex)\b[^<>]*>", re.I)
_PAIRED_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("sup", "inf", "sub", "tex")}
_ANY_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_FORMAT_TAGS = r"(?:sup|sub|inf|tex|i|b|u|em|strong|span|br|p|italic|bold|formula|inline-formula|mml:[\w.-]+|math)"
_KNOWN_TAG = re.compile(rf"</?{_FORMAT_TAGS}(?:\s[^<>]*)?/?>", re.I)
# A tag cut off at the end of a line/text ("<sup xmlns=…" with no ">").
_CUT_TAG = re.compile(rf"</?{_FORMAT_TAGS}(?:\s[^<>]*)?$", re.I)


def _script(text: str, table: dict[str, str]) -> str:
    if text and all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    return text


def _paired_text(name: str, body: str) -> str:
    body = _KNOWN_TAG.sub("", body)
    if name == "sup":
        return _script(body.strip(), _SUP)
    if name in ("inf", "sub"):
        return _script(body.strip(), _SUB)
    body = body.strip()  # tex: keep the math, make sure it is delimited
    if body and not body.startswith("$"):
        body = f"${body}$"
    return body


def _replace_paired(text: str) -> str:
    """`_PAIRED.sub(_paired, text)` in linear time: each tag name's closing tag is searched for once per
    stretch of text (the regex would rescan the rest of the text from every unclosed `<sup>`)."""
    out, pos, found = [], 0, {}  # found: name -> (searched from, the closing match or None)
    for m in _PAIRED_OPEN.finditer(text):
        if m.start() < pos:
            continue  # inside the previous pair
        name = m.group(1).lower()
        searched, close = found.get(name, (len(text) + 1, None))
        if not (searched <= m.end() and (close is None or close.start() >= m.end())):
            close = _PAIRED_CLOSE[name].search(text, m.end())
            found[name] = (m.end(), close)
        if close is None:
            continue
        out += [text[pos : m.start()], _paired_text(name, text[m.end() : close.start()])]
        pos = close.end()
    return "".join(out) + text[pos:] if out else text


def clean_html(text: str) -> str:
    """Replace sup/inf/tex markup by text or math and strip other formatting tags."""
    if "<" not in text:
        return text
    text = _replace_paired(text)
    text = _KNOWN_TAG.sub("", text)
    text = _CUT_TAG.sub("", text)
    return html.unescape(text) if "&" in text else text


def is_markup_line(line: str) -> bool:
    """A line that is one stray tag (with its content), e.g. ``<sup …>1</sup>``."""
    s = line.strip()
    return s.startswith("<") and s.endswith(">") and bool(_PAIRED.fullmatch(s) or _ANY_TAG.fullmatch(s))


def join_fragments(lines: list[str]) -> str:
    """Join an abstract that stray HTML split over several lines.

    The scrape put each tag on its own line, so a line break next to a tag line
    is an artefact: the tag joins directly to the text before it, and the text
    after it starts exactly where the source had it (a leading space means a
    space, none means the word continues: ``L₂`` + ``-norm``). A doubled
    footnote mark (``<sup>1</sup>`` twice) is the marker followed by the
    spliced-in footnote text, so the second mark is set off by spaces:
    ``per scan¹ ¹ We will publicly release …``. Two plain text lines are joined
    by one space (a soft line break).
    """
    # Pieces in a list (joined once: linear in the lines); trailing spaces need no stripping as they go,
    # since every run of white space becomes one space at the end.
    out: list[str] = []
    filled = False  # does "".join(out) hold anything yet
    prev_tag: str | None = None
    for raw in lines:
        if not raw.strip():
            continue
        if is_markup_line(raw):
            piece = clean_html(raw.strip())
            if prev_tag is not None and raw.strip() == prev_tag and piece:
                out += [" ", piece, " "]
            else:
                out.append(piece)
            filled, prev_tag = filled or bool(piece), raw.strip()
            continue
        if prev_tag is not None or not filled:
            out.append(clean_html(raw) if filled else clean_html(raw.lstrip()))
        else:
            out += [" ", clean_html(raw.strip())]
        filled, prev_tag = filled or bool(out[-1]), None
    return re.sub(r"\s+", " ", "".join(out)).strip()
