"""Reader for a BibTeX / BibLaTeX library (a Zotero or Better BibTeX export, JabRef, DBLP, Google Scholar).

bibtexparser v2 splits the file into blocks (with their lines), resolves ``@string``s and drops the enclosing
braces; its middlewares normalise field keys, split ``and``-separated names into parts and decode LaTeX
(``{\\"u}`` -> ü, ``{\\ss}`` -> ß, ``{GAN}`` -> GAN; ``$…$`` math is kept for the renderer). Two things it
does not do, done here: its LaTeX decoding skips a name list once it is split (so each name part is decoded
with the same decoder), and it decodes every field (``url``, ``doi`` and ``eprint`` are verbatim in BibTeX:
a ``%`` or ``~`` in a URL is not LaTeX), so those are kept as written.

Every record carries the line of its ``@type{``. A block that does not parse, an entry without a title and a
second entry with the same key are each one diagnostic; the rest of the file is read.
"""

from __future__ import annotations

import logging
import re

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import NameParts, parse_single_name_into_parts
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from papernotes.diagnostics import Diagnostic, error, warning
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import collapse_ws
from papernotes.sources.venues import venue_from_container

FORMAT = "bibtex"
VERBATIM = frozenset({"url", "doi", "eprint", "file", "pdf", "archiveprefix", "eprinttype", "urldate"})
VENUE_FIELDS = ("booktitle", "journal", "journaltitle", "eventtitle")
# Readers are pure: bibtexparser reports what it skips through `logging`; we report it as diagnostics.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_ENTRY_START = re.compile(r"@[ \t]*[A-Za-z]\w*[ \t]*[{(]")
_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf|html)/" + _ARXIV_ID, re.I)
_ARXIV_TEXT = re.compile(r"(?:arxiv\s*:?\s*|\babs/)" + _ARXIV_ID, re.I)  # `arXiv preprint arXiv:…`, CoRR `abs/…`
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\." + _ARXIV_ID, re.I)
_BARE_ARXIV = re.compile(_ARXIV_ID + r"\Z")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class _WordwiseDecoder(LatexNodes2Text):
    """pylatexenc reads a value character by character (milliseconds for an abstract): only the words that
    hold LaTeX go through it. A "word" ends at a space outside braces and `$…$` math, and a control word
    keeps the word after it (`stra\\ss e` -> straße); plain words are already text."""

    def latex_to_text(self, latex, **kwargs):
        if not _SPECIAL.search(latex):
            return latex
        words = _latex_words(" ".join(latex.split()))
        special = list(dict.fromkeys(w for w in words if _SPECIAL.search(w)))
        decode = super().latex_to_text
        # One call for all of them, a line each (a call costs more than its text): the words are whole groups,
        # so the line breaks come out as they went in -- else (a `%` comment ate one) each word on its own.
        decoded = decode("\n".join(special), **kwargs).split("\n")
        if len(decoded) != len(special):
            decoded = [decode(w, **kwargs) for w in special]
        text = {w: d.strip() for w, d in zip(special, decoded)}
        return " ".join(text.get(w, w) for w in words)


_SPECIAL = re.compile(r"[\\{}$~%`']|--")


def _latex_words(text: str) -> list[str]:
    words, start, depth, math = [], 0, 0, False
    for m in re.finditer(r"\\[A-Za-z]+|\\.|[{}$]|\s+", text):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif token == "$" and not depth:
            math = not math
        elif token[0].isspace() and not depth and not math and m.start() > start:
            before = text[start : m.start()]
            if not re.search(r"\\[A-Za-z]+\Z|\\\Z", before):  # `\ss e`, `\LaTeX\ is`: one word
                words.append(before)
                start = m.end()
    words.append(text[start:])
    return [w for w in words if w.strip()]


def _decoder() -> LatexNodes2Text:
    """bibtexparser's own LaTeX decoder settings (LatexDecodingMiddleware's defaults), kept to decode names."""
    context = get_default_latex_context_db()
    context.add_context_category("papernotes-bibtex", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return _WordwiseDecoder(latex_context=context, keep_braced_groups=False, math_mode="verbatim")


DECODER = _decoder()


class _DecodeText(middlewares.LatexDecodingMiddleware):
    """LaTeX decoding of the text fields only: verbatim fields stay as written."""

    def transform_entry(self, entry, library):
        kept = [f for f in entry.fields if f.key in VERBATIM]
        for f in kept:
            entry.pop(f.key)
        block = super().transform_entry(entry, library)
        for f in kept:
            entry.set_field(f)
        return block


def _stack() -> list:
    return [
        middlewares.NormalizeFieldKeys(),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
        _DecodeText(decoder=DECODER),
    ]


def looks_like(text: str) -> bool:
    """A BibTeX file starts (after blank and `%` comment lines) with an entry: `@article{key,`."""
    for line in text[:20_000].split("\n"):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("%"):
            continue
        return bool(_ENTRY_START.match(stripped))
    return False


def read(path: str, text: str) -> ReadResult:
    if "@" not in text:
        return ReadResult((), (warning(path, 1, "no BibTeX entries (@type{key, …}) found"),))
    try:
        library = bibtexparser.parse_string(text, append_middleware=_stack())
    except (Exception, RecursionError) as exc:  # bibtexparser is not ours: one error for the file, never a crash
        return ReadResult((), (error(path, 1, f"BibTeX could not be read: {type(exc).__name__}: {exc}"[:300]),))
    last = text.count("\n") + 1
    records: list[PaperRecord] = []
    diags: list[Diagnostic] = []
    for block in library.blocks:
        line = min(max(1, (block.start_line or 0) + 1), last)
        try:
            entry = _entry_of(block, path, line, diags)
            if entry is not None:
                record = _record(entry, path, line, last, diags)
                if record is not None:
                    records.append(record)
        except (Exception, RecursionError) as exc:  # one entry, one error: the rest of the file is read
            diags.append(error(path, line, f"BibTeX entry could not be read ({type(exc).__name__}); skipped"))
    if not records and not diags:
        diags.append(warning(path, 1, "no BibTeX entries (@type{key, …}) found"))
    return ReadResult(tuple(records), tuple(diags))


def _entry_of(block, path: str, line: int, diags: list[Diagnostic]) -> Entry | None:
    """The entry a block holds (possibly with a middleware's work undone), or None with a diagnostic."""
    if isinstance(block, DuplicateBlockKeyBlock):
        first = block.previous_block.start_line
        where = f" (first at line {first + 1})" if first is not None else ""
        diags.append(warning(path, line, f"duplicate citation key {block.key!r}{where}; this entry is skipped"))
        return None
    if isinstance(block, MiddlewareErrorBlock):
        entry = block.ignore_error_block
        if not isinstance(entry, Entry):
            return None
        diags.append(warning(path, line, f"entry {entry.key!r}: {_reason(block.error)}; read as written"))
        _decode_fields(entry)
        return entry
    if isinstance(block, DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, Entry):
        entry = block.ignore_error_block  # whole, but no middleware ran on it: decode it here
        twice = ", ".join(sorted(block.duplicate_keys))
        diags.append(warning(path, line, f"entry {entry.key!r} gives {twice} more than once; the last is kept"))
        _decode_fields(entry)
        return entry
    if isinstance(block, ParsingFailedBlock):
        diags.append(error(path, line, f"BibTeX entry could not be parsed ({_reason(block.error)}); skipped"))
        return None
    return block if isinstance(block, Entry) else None


def _reason(exc) -> str:
    text = getattr(exc, "abort_reason", None) or getattr(exc, "message", None) or str(exc)
    return collapse_ws(str(text) or type(exc).__name__)[:160].rstrip(".")


def _decode_fields(entry: Entry) -> None:
    """What the middlewares did not get to do, done leniently (for an entry one of them stopped on)."""
    for field in entry.fields:
        if isinstance(field.value, str) and field.key.lower() not in VERBATIM:
            field.value = _latex(field.value)


def _latex(value: str) -> str:
    try:
        return DECODER.latex_to_text(value)
    except Exception:  # pylatexenc gave up on this value: show it as written
        return value


def _field(entry: Entry, name: str) -> str:
    field = entry.fields_dict.get(name) or next((f for f in entry.fields if f.key.lower() == name), None)
    if field is None or not isinstance(field.value, str):
        return ""
    return collapse_ws(field.value)


def _record(entry: Entry, path: str, line: int, last: int, diags: list[Diagnostic]) -> PaperRecord | None:
    key = collapse_ws(str(entry.key or ""))
    title = _field(entry, "title")
    if not title:
        diags.append(error(path, line, f"entry {key!r} has no title; skipped"))
        return None
    authors, truncated = _authors(entry)
    venue = year = None
    for name in VENUE_FIELDS:
        venue, year = venue_from_container(_field(entry, name))
        if venue or _field(entry, name):
            break
    date = _field(entry, "date")
    found = _YEAR.search(_field(entry, "year") or date)
    year = int(found.group(1)) if found else year
    iso = _ISO_DATE.match(date)
    abstract_field = entry.fields_dict.get("abstract")
    abstract = _field(entry, "abstract") or None
    abstract_line = None
    if abstract and abstract_field is not None and abstract_field.start_line is not None:
        abstract_line = min(max(line, abstract_field.start_line + 1), last)
    url = _field(entry, "url") or None
    doi = normalize_doi(_field(entry, "doi")) or (normalize_doi(url) if url and "doi.org/" in url else None)
    return PaperRecord(
        source=SourceSpan(path, line),
        format=FORMAT,
        title=title,
        authors=authors,
        authors_truncated=truncated,
        venue=venue,
        year=year,
        date=iso.group(0) if iso else None,
        url=url,
        doi=doi,
        arxiv=_arxiv(entry, url, doi),
        abstract=abstract,
        abstract_line=abstract_line,
        keywords=split_keywords(_field(entry, "keywords")),
        key=key or None,
        extra=(("entry_type", str(entry.entry_type or "").lower()),),
    )


def _authors(entry: Entry) -> tuple[tuple[str, ...], bool]:
    """`First von Last, Jr` for each name; `and others` (or `et al.`) marks the list as truncated."""
    field = entry.fields_dict.get("author")
    value = field.value if field is not None else None
    if isinstance(value, str):  # a middleware stopped on this entry: split leniently
        value = [n for n in middlewares.names.split_multiple_persons_names(value)]
    names, truncated = [], False
    for item in value or ():
        parts = item if isinstance(item, NameParts) else _lenient_parts(str(item))
        if parts is None:
            continue
        words = [_latex(w) for w in (*parts.first, *parts.von, *parts.last)]
        name = collapse_ws(" ".join(words) + (", " + " ".join(_latex(w) for w in parts.jr) if parts.jr else ""))
        if name.casefold() in ("others", "et al.", "et al"):
            truncated = True
        elif name:
            names.append(name)
    return tuple(names), truncated


def _lenient_parts(name: str) -> NameParts | None:
    try:
        return parse_single_name_into_parts(name, strict=False)
    except Exception:
        return NameParts(first=[], von=[], last=[name], jr=[]) if name.strip() else None


def normalize_doi(text: str | None) -> str | None:
    """`https://doi.org/10.1109/CVPR.2016.90` -> `10.1109/cvpr.2016.90` (DOIs are case-insensitive)."""
    doi = _DOI_PREFIX.sub("", (text or "").strip()).replace("\\_", "_").strip().rstrip(".").casefold()
    return doi if doi.startswith("10.") and "/" in doi and " " not in doi else None


def arxiv_from(*texts: str | None) -> str | None:
    """The bare arXiv id (no version) an arxiv.org URL, an `arXiv:…` mention or an arXiv DOI names."""
    for text in texts:
        if not text:
            continue
        found = _ARXIV_URL.search(text) or _ARXIV_DOI.search(text) or _ARXIV_TEXT.search(text)
        if found:
            return found.group(1)
    return None


def _arxiv(entry: Entry, url: str | None, doi: str | None) -> str | None:
    prefix = (_field(entry, "archiveprefix") or _field(entry, "eprinttype")).casefold()
    eprint = _field(entry, "eprint")
    if prefix == "arxiv" and eprint:
        found = _BARE_ARXIV.match(eprint.removeprefix("arXiv:").strip()) or _ARXIV_TEXT.search(eprint)
        if found:
            return found.group(1)
    journal = _field(entry, "journal") or _field(entry, "journaltitle")
    corr = journal if journal.casefold() in ("corr", "arxiv", "arxiv e-prints") else ""
    return arxiv_from(url, doi, journal, corr and _field(entry, "volume"), _field(entry, "note"))


def split_keywords(text: str | None) -> tuple[str, ...]:
    """`diffusion, GAN; face` -> ("diffusion", "GAN", "face"), each once."""
    words = (collapse_ws(w) for w in re.split(r"[,;]", text or ""))
    return tuple(dict.fromkeys(w for w in words if w))
