"""Export merged papers as JSON, CSV or BibTeX (``build.py export --format …``).

Every format carries the same fields (``FIELDS``). Output is deterministic:
papers in key order, stable BibTeX keys (``hu2022text``; a collision gets
``b``, ``c``… in paper-key order, so the first paper keeps the plain key).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata

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


def _csv(papers: list[Paper]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    for p in papers:
        row = paper_fields(p)
        writer.writerow(
            _LIST_SEP.join(v)
            if isinstance(v, list)
            else ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
            for v in (row[f] for f in FIELDS)
        )
    return buf.getvalue()


# --- BibTeX -----------------------------------------------------------------------


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode("ascii"))


def _base_key(paper: Paper) -> str:
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
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX specials outside ``$…$`` math; math is kept as math."""
    out = []
    for is_math, piece in split_math(text):
        if is_math:
            out.append(piece)
        else:
            out.append("".join(_BIB_SPECIAL.get(ch, ch) for ch in piece))
    return "".join(out)


def bibtex_entry(paper: Paper, key: str) -> str:
    fields: list[tuple[str, str]] = []
    authors = list(paper.authors) + (["others"] if paper.authors_truncated and paper.authors else [])
    if authors:
        fields.append(("author", " and ".join(bibtex_escape(a) if a != "others" else a for a in authors)))
    fields.append(("title", "{" + bibtex_escape(paper.title) + "}"))
    if paper.venue:
        kind = "inproceedings"
        fields.append(("booktitle", bibtex_escape(paper.venue)))
    elif paper.arxiv:
        kind = "article"
        fields.append(("journal", f"arXiv preprint arXiv:{paper.arxiv}"))
    else:
        kind = "misc"
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.doi:
        fields.append(("doi", bibtex_escape(paper.doi)))
    if paper.arxiv:
        fields.append(("eprint", paper.arxiv))
        fields.append(("archiveprefix", "arXiv"))
    if paper.url:
        fields.append(("url", bibtex_escape(paper.url)))
    if paper.abstract:
        fields.append(("abstract", bibtex_escape(paper.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"
