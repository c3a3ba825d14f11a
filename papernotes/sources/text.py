"""Plain-text helpers shared by the readers and the merge step.

Everything here is pure string -> string. ``$…$`` math is treated as opaque:
TeX residue cleaning never touches what sits between a pair of dollars, because
the renderer shows that as math.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a Chinese character (CJK unified or compatibility ideograph)
EAST_ASIAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")  # kana, Han, Hangul
# $$…$$ or $…$ (no newline inside inline math); a backslash-escaped \$ is not a delimiter.
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$", re.S)


def heading_text(line: str, level: int) -> str | None:
    """The text of `line` when it is a heading of exactly `level` hashes at its start (`## Title ##`).

    What ``^#{level}\\s+(.+?)\\s*#*\\s*$`` matched, in one pass: that pattern is cubic on a long line of
    spaces or hashes. A heading with no text is None."""
    if not line.startswith("#" * level) or not line[level : level + 1].isspace():
        return None
    text = line[level:].strip()
    return (text.rstrip("#").rstrip() or text[:1]) or None


def collapse_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def split_math(text: str) -> list[tuple[bool, str]]:
    """Split *text* into (is_math, piece) pairs; math pieces keep their dollars."""
    if "$" not in text:  # most text: no regex scan
        return [(False, text)] if text else []
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _MATH.finditer(text):
        if m.start() > pos:
            out.append((False, text[pos : m.start()]))
        out.append((True, m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


def outside_math(text: str, fn) -> str:
    """Apply *fn* to the non-math parts of *text* only."""
    return "".join(piece if is_math else fn(piece) for is_math, piece in split_math(text))


# --- TeX residue --------------------------------------------------------------

# The URL patterns start only where a run without spaces or braces starts (`(?<![^\s{}])`) and take
# the run's first URL atomically: a long run holding many `http://` is scanned once, not once per URL.
_URL_IN_RUN = r"(?<![^\s{}])(?>([^\s{}]*?)(https?://[^\s{}]++))"
# A scraped "\href{url}}{url" lost its command: keep one copy of the URL.
_BROKEN_HREF = re.compile(_URL_IN_RUN + r"\}\{(?=https?://)")
# "\href{url}{text}" that lost its command: "url{text}" -> "text (url)".
_URL_THEN_TEXT = re.compile(_URL_IN_RUN + r"\{([^{}\s/][^{}]*)\}")
_HREF2 = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
_ONE_ARG = re.compile(r"\\(?:emph|textbf|textit|texttt|textrm|textsf|underline|url|href|mbox|text)\{([^{}]*)\}")
_UNCLOSED = re.compile(r"\\(?:emph|textbf|textit|texttt|textrm|textsf|underline|url|href|mbox|text)\{")
# "~ruiz2023dreambooth": an author-year-word BibTeX key left where \cite{} was.
_CITE_KEY = re.compile(r"(?<!\s)\s*+~[a-z][a-z-]*\d{4}[a-z0-9]*\b(?:\s++(?=[,.;:]))?")  # never starts mid-run
_ABBREV = {r"\eg": "e.g.", r"\ie": "i.e.", r"\etal": "et al.", r"\vs": "vs."}
_ABBREV_RE = re.compile(r"\\(eg|ie|etal|vs)\b\.?")
_ESCAPES = {r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#"}
_ESCAPE_RE = re.compile(r"\\[%&_#]")


# "{\it x}", "{\bf x}", "{\em x}": old-style font switches.
_FONT_SWITCH = re.compile(r"\{\\(?:it|bf|em|sl|sc|tt|rm|sf)\s++([^{}]*)\}")
_CITE = re.compile(r"\\cite[pt]?\*?(?:\[[^\]]*\])?\{([^{}]*)\}")
# JSON escapes that ate the backslash of a TeX command: "\beta" read as backspace + "eta".
_EATEN = {"\x08": "\\b", "\x0c": "\\f"}
_EATEN_RE = re.compile(r"[\x08\x0c](?=[A-Za-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def repair_controls(text: str) -> str:
    """`\x08eta` -> `\beta`, `\x0crac` -> `\frac`; other control characters removed (sources/decode.py
    reports each line that had them)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _EATEN_RE.sub(lambda m: _EATEN[m.group(0)], text))


def _tilde(m: re.Match) -> str:
    """`a~b` is a TeX tie (a no-break space); `6~10` between numbers means "to" and stays."""
    before, after = m.string[m.start() - 1], m.string[m.end()]
    return "~" if before.isdigit() and after.isdigit() else "\u00a0"


_TIE = re.compile(r"(?<=\S)~(?=\S)")


def _tex_quotes(text: str) -> str:
    """````x''`` -> “x”: each opening quote looks for its closing one once (a regex would rescan the rest
    of the text from every unclosed ``````)."""
    out, pos = [], 0
    while (start := text.find("``", pos)) != -1 and (end := text.find("''", start + 2)) != -1:
        out += [text[pos:start], "\u201c", text[start + 2 : end], "\u201d"]
        pos = end + 2
    return "".join(out) + text[pos:] if out else text


_TEX_MARKS = re.compile(r"[\\~{`]")  # every rewrite below needs one of these; most abstracts have none
_SPACE_RUN = re.compile(r"[ \t]{2,}")


def _clean_tex_plain(text: str) -> str:
    if not _TEX_MARKS.search(text):
        return _SPACE_RUN.sub(" ", text)
    text = _BROKEN_HREF.sub(lambda m: m.group(1), text)
    text = _HREF2.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1) != m.group(2) else m.group(1), text)
    text = _FONT_SWITCH.sub(lambda m: m.group(1), text)
    text = _tex_quotes(text)
    text = _CITE.sub(lambda m: "[" + ", ".join(k.strip() for k in m.group(1).split(",") if k.strip()) + "]", text)
    text = _URL_THEN_TEXT.sub(lambda m: f"{m.group(1)}{m.group(3)} ({m.group(2)})", text)
    for _ in range(3):  # nested \textbf{\emph{x}}
        new = _ONE_ARG.sub(lambda m: m.group(1), text)
        if new == text:
            break
        text = new
    text = _UNCLOSED.sub("", text)
    text = _CITE_KEY.sub("", text)
    text = _ABBREV_RE.sub(lambda m: _ABBREV["\\" + m.group(1)], text)
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)
    text = _TIE.sub(_tilde, text)  # a "~" next to a space ("6 ~ 10", "~5") means "about" or "to": kept
    return _SPACE_RUN.sub(" ", text)


def clean_tex_residue(text: str) -> str:
    """Clean LaTeX left in scraped abstracts, for display.

    ``\\emph{x}``/``\\textbf{x}``/``\\url{u}``/``{\\it x}`` -> their argument, ``\\href{u}{t}``
    -> "t (u)" (the page links the URL), ````x''`` -> “x”, ``\\cite{a,b}`` -> [a, b], a ``~`` tie -> a
    no-break space (``6~10`` and ``~`` beside a space stay), ``\\%`` -> %, ``\\&`` -> &, ``\\eg`` -> e.g.,
    ``\\ie`` -> i.e.; ``~ruiz2023dreambooth`` cite keys are removed (they point
    at a bibliography the scrape does not have). ``$…$`` math is left untouched.
    Idempotent.
    """
    return outside_math(repair_controls(text), _clean_tex_plain).strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
