r"""Export merged papers as JSON, CSV or BibTeX (``build.py export --format …``).

Every format carries the same fields (``FIELDS``). Output is deterministic:
papers in key order, stable BibTeX keys (``hu2022text``; a collision gets
``b``, ``c``… in paper-key order, so the first paper keeps the plain key).

The fields are scraped text, so the two formats that other programs interpret
are made safe here:

* **CSV** follows the OWASP CSV-injection rule: a cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return (and, as ASVS adds, NUL) could
  be read by a spreadsheet as a formula, so it gets a leading ``'``. So do the
  full-width forms ``＝＋－＠``, which some spreadsheets (and IMEs) accept too.
  Like OWASP we prefix *every* such cell, negative numbers included (``-1``
  becomes ``'-1``): telling a number from a formula is the spreadsheet's guess
  we do not want to rely on. Separators and quotes are the csv module's job.
* **BibTeX**: no value can close its field or start another. Field values have
  no line breaks or control characters (so an ``@`` never starts a line), never
  end in a backslash, and their braces balance both the way BibTeX counts them
  (every brace) and the way most parsers do (``\{`` is not a brace): balanced
  pairs stay (``\{x\}`` in text, ``x_{1}`` in math), an unmatched one becomes
  ``\textbraceleft{}`` in text and ``\lbrace`` in ``$…$`` math. ``%`` is
  escaped inside math too, so LaTeX does not read the rest of a line as a comment.

JSON is ``json.dumps`` of the plain fields and needs nothing more.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

from papernotes.citation import booktitle, venue_name
from papernotes.model.paper import Paper
from papernotes.sources.text import split_math

FIELDS = (
    "title",
    "title_zh",
    "authors",
    "authors_truncated",
    "venue",
    "year",
    "date",
    "url",
    "doi",
    "arxiv",
    "abstract",
    "topics",
    "sources",
)
FORMATS = ("json", "csv", "bibtex")
_LIST_SEP = "; "
_STOPWORDS = {
    "a",
    "an",
    "the",
    "on",
    "of",
    "for",
    "with",
    "to",
    "in",
    "and",
    "from",
    "by",
    "via",
    "towards",
    "toward",
    "is",
    "are",
    "your",
    "what",
    "how",
    "when",
    "do",
    "does",
    "can",
    "all",
}


def paper_fields(paper: Paper) -> dict:
    """The exported view of one paper: plain values, lists for multi-valued fields."""
    return {
        "title": paper.title,
        "title_zh": paper.title_zh,
        "authors": list(paper.authors),
        "authors_truncated": paper.authors_truncated,
        "venue": paper.venue,
        "year": paper.year,
        "date": paper.date,
        "url": paper.url,
        "doi": paper.doi,
        "arxiv": paper.arxiv,
        "abstract": paper.abstract,
        "topics": list(paper.topics),
        "sources": [str(s) for s in paper.sources],
    }


def export_papers(papers: list[Paper], fmt: str) -> str:
    papers = sorted(papers, key=lambda p: p.key)
    if fmt == "json":
        return json.dumps([paper_fields(p) for p in papers], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(papers)
    if fmt == "bibtex":
        keys = bibtex_keys(papers)
        return "\n".join(bibtex_entry(p, keys[p.key]) for p in papers)
    raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


# --- CSV --------------------------------------------------------------------------

# OWASP's list, NUL from ASVS 1.2.10, and the full-width forms of the four signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """One field as CSV text that no spreadsheet evaluates (see the module docstring)."""
    if isinstance(value, list):
        text = _LIST_SEP.join(value)
    elif value is None:
        text = ""
    elif isinstance(value, bool):
        text = str(value).lower()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(papers: list[Paper]) -> str:
    # Rows end in a newline, but the writer is told CRLF: it quotes only cells holding a character of
    # its terminator, and an unquoted lone CR is where a spreadsheet starts a new row (and a formula).
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    lines = []
    for row in [FIELDS, *(paper_fields(p) for p in papers)]:
        buf.seek(0)
        buf.truncate()
        writer.writerow(row if row is FIELDS else [csv_cell(row[f]) for f in FIELDS])
        lines.append(buf.getvalue()[:-2] + "\n")
    return "".join(lines)


# --- BibTeX -----------------------------------------------------------------------


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode("ascii"))


def _base_key(paper: Paper) -> str:
    """The library's own citation key when a record has one (Better BibTeX's, a CSL id), else author-year-word."""
    own = next((r.key for r in paper.records if r.key and re.fullmatch(r"[^\s,{}()=#%\\\"']+", r.key)), None)
    if own:
        return own
    last = ""
    if paper.authors:
        parts = paper.authors[0].split()
        last = _ascii_word(parts[-1]) if parts else ""
    last = re.sub(r"\d", "", last) or "anon"
    word = ""
    for token in re.findall(r"[^\W_]+", paper.title.replace("$", " ")):
        w = _ascii_word(token)
        if len(w) >= 3 and w.isalpha() and w not in _STOPWORDS:
            word = w
            break
    return f"{last}{paper.year or ''}{word or 'paper'}"


def bibtex_keys(papers: list[Paper]) -> dict[str, str]:
    """paper.key -> unique BibTeX key; depends only on the set of papers, not their order."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    by_base: dict[str, list[Paper]] = {}
    for p in sorted(papers, key=lambda p: p.key):
        by_base.setdefault(_base_key(p), []).append(p)
    for base in sorted(by_base):
        for n, p in enumerate(by_base[base]):
            key = base if n == 0 else base + _suffix(n)
            while key in used or (n and key in by_base):
                n += 1
                key = base + _suffix(n)
            used.add(key)
            keys[p.key] = key
    return keys


def _suffix(n: int) -> str:
    """1 -> b, 2 -> c, … 25 -> z, 26 -> ba … (the unsuffixed key is the implicit 'a')."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = chr(ord("a") + r) + letters
        if n == 0:
            return letters


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Braces in text: a matched pair stays a pair of escaped braces; a lone one has no brace character left.
_TEXT_BRACES = {"{": (r"\{", r"\textbraceleft{}"), "}": (r"\}", r"\textbraceright{}")}
_TEXT_SPECIAL = re.compile("[" + re.escape("".join([*_BIB_SPECIAL, *_TEXT_BRACES])) + "]")
# In math, a lone group brace or a lone \{ \} becomes the control word meaning the same (a space ends it).
_MATH_BRACES = {"{": r"\lbrace ", "}": r"\rbrace ", r"\{": r"\lbrace ", r"\}": r"\rbrace "}
_MATH_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|\\|[{}]|[^\\{}]+", re.S)
# Line breaks and tabs become a space (a field stays on one line); other control characters go.
_LINE_SPACES = "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_CONTROLS = {c: None for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} | {ord(c): " " for c in _LINE_SPACES}


def _matched(tokens: list[str], opening: str, closing: str) -> set[int]:
    """Indexes of the `opening`/`closing` tokens that pair up (a stack, so nesting is respected)."""
    stack: list[int] = []
    paired: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok == opening:
            stack.append(i)
        elif tok == closing and stack:
            paired.update((stack.pop(), i))
    return paired


def _escape_text(piece: str) -> str:
    if not _TEXT_SPECIAL.search(piece):  # most titles and names: nothing to escape
        return piece
    chars = list(piece)
    paired = _matched(chars, "{", "}")
    out = []
    for i, ch in enumerate(chars):
        if ch in _TEXT_BRACES:
            out.append(_TEXT_BRACES[ch][0 if i in paired else 1])
        else:
            out.append(_BIB_SPECIAL.get(ch, ch))
    return "".join(out)


def _escape_math(piece: str) -> str:
    """``$…$`` stays TeX; only what could unbalance the field (or comment out the line) is rewritten."""
    fence = "$$" if piece.startswith("$$") and len(piece) >= 4 else "$"
    tokens = _MATH_TOKEN.findall(piece[len(fence) : -len(fence)])
    paired = _matched(tokens, "{", "}") | _matched(tokens, r"\{", r"\}")
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _MATH_BRACES and i not in paired:
            tok = _MATH_BRACES[tok]
        elif tok in ("{", "}") and out and out[-1].endswith("\\"):
            tok = " " + tok  # after "\\" a parser would take "\{" for an escaped brace
        elif tok == "\\":
            tok = r"\backslash "  # a lone backslash at the end of the formula
        elif tok[0] != "\\":
            tok = tok.replace("%", r"\%")
        out.append(tok)
    return fence + "".join(out) + fence


def bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX specials outside ``$…$`` math and balance braces everywhere (module docstring)."""
    pieces = split_math(text.translate(_CONTROLS))
    return "".join(_escape_math(piece) if is_math else _escape_text(piece) for is_math, piece in pieces)


def bibtex_entry(paper: Paper, key: str, abstract: bool = True) -> str:
    """One BibTeX entry; `abstract=False` for a paper's page, which shows the abstract above it (at 27,000
    papers the repeated abstracts alone are tens of MB of output), while the export keeps it."""
    fields: list[tuple[str, str]] = []
    authors = list(paper.authors) + (["others"] if paper.authors_truncated and paper.authors else [])
    if authors:
        fields.append(("author", " and ".join(bibtex_escape(a) if a != "others" else a for a in authors)))
    fields.append(("title", "{" + bibtex_escape(paper.title) + "}"))
    if paper.venue:
        full, journal = venue_name(paper.venue)  # a journal by its name; proceedings with the short name
        kind = "article" if journal else "inproceedings"
        fields.append(("journal", full) if journal else ("booktitle", booktitle(paper.venue)))
        fields[-1] = (fields[-1][0], bibtex_escape(fields[-1][1]))
    elif paper.arxiv:
        kind = "article"
        fields.append(("journal", f"arXiv preprint arXiv:{bibtex_escape(paper.arxiv)}"))
    else:
        kind = "misc"
    if paper.year:
        fields.append(("year", bibtex_escape(str(paper.year))))
    if paper.doi:
        fields.append(("doi", bibtex_escape(paper.doi)))
    if paper.arxiv:
        fields.append(("eprint", bibtex_escape(paper.arxiv)))
        fields.append(("archiveprefix", "arXiv"))
    if paper.url:
        fields.append(("url", bibtex_escape(paper.url)))
    if paper.abstract and abstract:
        fields.append(("abstract", bibtex_escape(paper.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"
