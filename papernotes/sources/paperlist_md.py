"""Reader for a conference paper-list page (seed 003).

Each record is ``## [N] Title`` followed by ``**Authors**:``, ``**Conference**:``,
``**URL**:`` and ``**Abstract**:`` blocks, records separated by ``----``. The
page comes in two layouts: indented by 8 spaces after the first heading, and
flat. Every structural line is therefore matched after stripping its leading
whitespace, so both layouts give the same records. Stray IEEE HTML that split
an abstract over column-0 lines is joined back (see ``scraped_html``).
"""

from __future__ import annotations

import re

from papernotes.diagnostics import error, warning
from papernotes.sources.authors import split_authors
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.scraped_html import clean_html, join_fragments
from papernotes.sources.venues import normalize_venue

FORMAT = "paperlist_md"

# Linear on any line: the fields take the rest of the line and `_field` strips it (a lazy group before
# trailing spaces, as in ``(.*?)\s*$``, is quadratic on a long run of spaces).
HEADING = re.compile(r"^\s*+##\s++\[(\d+)\]\s*+(.*)$")
_AUTHORS = re.compile(r"^\s*+\*\*Authors\*\*\s*+:\s*+\*?(.*)$")
_CONF = re.compile(r"^\s*+\*\*Conference\*\*\s*+:\s*+\*?(.*)$")
_URL = re.compile(r"^\s*\*\*URL\*\*\s*:\s*(?:\[([^\]]*)\]\(([^)]*)\)|(\S+))\s*$")
_ABSTRACT = re.compile(r"^\s*\*\*Abstract\*\*\s*:\s*(.*)$")
_SEP = re.compile(r"^\s*-{3,}\s*$")
_NAV = re.compile(r"^\s*\[Go to [^\]]*\]\([^)]*\)\s*$")
_DOI = re.compile(r"(?:doi\.org/|doi:\s*)(10\.\d{4,9}/\S+)", re.I)


_LOOKS_LIKE = re.compile(r"^[^\S\n]*+##\s++\[\d+\]\s++\S", re.M)  # `^\s*` would rescan blank lines from each


def looks_like(text: str) -> bool:
    """Content check for detect.py: numbered ``## [N]`` headings with an Authors field."""
    return "**Authors**" in text and bool(_LOOKS_LIKE.search(text))


def _field(value: str) -> str:
    """A field's text without its trailing spaces and one closing `*` (``*Name, Name*``)."""
    value = value.rstrip()
    return value[:-1] if value.endswith("*") else value


def read(path: str, text: str) -> ReadResult:
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if HEADING.match(line)]
    records: list[PaperRecord] = []
    diags = []
    if not starts:
        return ReadResult((), (warning(path, 1, "no '## [N] Title' paper entries found"),))
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        rec, rec_diags = _read_record(path, lines, start, end)
        diags.extend(rec_diags)
        if rec is not None:
            records.append(rec)
    return ReadResult(tuple(records), tuple(diags))


def _read_record(path: str, lines: list[str], start: int, end: int):
    lineno = start + 1
    m = HEADING.match(lines[start])
    index = int(m.group(1))
    title = re.sub(r"\s+", " ", clean_html(m.group(2).rstrip())).strip()
    diags = []
    if not title:
        return None, [error(path, lineno, f"paper [{index}] has no title; entry skipped")]
    authors: list[str] = []
    venue = year = url = doi = None
    abstract_lines: list[str] | None = None
    abstract_line = None
    seen = set()
    for i in range(start + 1, end):
        line = lines[i]
        if abstract_lines is not None:
            if _SEP.match(line) or _NAV.match(line):
                break
            abstract_lines.append(line)
            if abstract_line is None and line.strip():
                abstract_line = i + 1
            continue
        if not line.strip() or _SEP.match(line) or _NAV.match(line):
            continue
        if am := _AUTHORS.match(line):
            authors = split_authors(clean_html(_field(am.group(1))))
            seen.add("authors")
        elif cm := _CONF.match(line):
            conference = _field(cm.group(1))
            venue, year = normalize_venue(conference)
            seen.add("conference")
            if venue is None:
                diags.append(warning(path, i + 1, f"unrecognized conference {conference[:80]!r}"))
        elif um := _URL.match(line):
            url = (um.group(2) or um.group(3) or um.group(1) or "").strip() or None
            if url and (dm := _DOI.search(url)):
                doi = dm.group(1)
            seen.add("url")
        elif abm := _ABSTRACT.match(line):
            abstract_lines = [abm.group(1)] if abm.group(1).strip() else []
            abstract_line = i + 1 if abstract_lines else None
            seen.add("abstract")
        else:
            diags.append(warning(path, i + 1, f"unexpected line in paper [{index}]: {line.strip()[:60]!r}"))
    abstract = join_fragments(abstract_lines) if abstract_lines else None
    missing = [f for f in ("authors", "conference", "url", "abstract") if f not in seen]
    if missing:
        diags.append(warning(path, lineno, f"paper [{index}] has no {', '.join(missing)}"))
    rec = PaperRecord(
        source=SourceSpan(path, lineno),
        format=FORMAT,
        title=title,
        authors=tuple(authors),
        venue=venue,
        year=year,
        url=url,
        doi=doi,
        abstract=abstract or None,
        abstract_line=abstract_line if abstract else None,
        index=index,
    )
    return rec, diags
