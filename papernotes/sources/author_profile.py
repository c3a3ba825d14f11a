"""Reader for a text scrape of a researcher's profile page (seed 004).

Header: the owner's name on the first line, then stats. Then per paper::

    [score]CAT DATE[Code]        e.g. "CVMar 23, 2022Code", "88.9LGMay 2"
    Title
    (blank)
    Name, Name, Name et al.[ · affiliation]
    (blank)
    Abstract

The author lists are truncated ("et al."), so records say so. A date without
a year is kept as written ("May 2", year None): the scrape year is unknown.
"""

from __future__ import annotations

import re

from papernotes.diagnostics import warning
from papernotes.sources.authors import split_authors
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import clean_tex_residue, collapse_ws

FORMAT = "author_profile"

META = re.compile(
    r"^(?P<score>\d+\.\d)?(?P<cat>[A-Z]{2})(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?P<code>Code)?$"
)
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
# A match never starts inside a run of spaces (a comma or the run's start comes first), so the lookbehind
# only skips starts that cannot win, in O(1) each: without it the search is quadratic on a long run.
_ET_AL = re.compile(r"(?:,|(?<!\s))\s*+et\s++al\.?\s*+$", re.I)
_HEADER_HINT = re.compile(r"^(?:h-index\s*\d+|\d[\d,]*\s*(?:papers|citations)|\d+ Papers)$", re.I)


def looks_like(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n")]
    metas = sum(1 for line in lines if META.match(line))
    return metas >= 2 or (metas >= 1 and any(_HEADER_HINT.match(line) for line in lines))


def parse_meta(line: str) -> dict | None:
    m = META.match(line.strip())
    if not m:
        return None
    day, mon = int(m.group("day")), m.group("mon")
    year = int(m.group("year")) if m.group("year") else None
    date = f"{year:04d}-{_MONTHS[mon]:02d}-{day:02d}" if year else f"{mon} {day}"
    return {
        "score": float(m.group("score")) if m.group("score") else None,
        "category": m.group("cat"),
        "date": date,
        "year": year,
        "has_code": bool(m.group("code")),
    }


def read(path: str, text: str) -> ReadResult:
    lines = text.split("\n")
    owner = next((collapse_ws(line) for line in lines if line.strip()), None)
    starts = [i for i, line in enumerate(lines) if META.match(line.strip())]
    records, diags = [], []
    if not starts:
        return ReadResult((), (warning(path, 1, "no paper entries (e.g. 'CVMar 23, 2022Code') found"),))
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        meta = parse_meta(lines[start])
        body = [(i + 1, lines[i].strip()) for i in range(start + 1, end) if lines[i].strip()]
        if not body:
            diags.append(warning(path, start + 1, "paper entry without a title; skipped"))
            continue
        title_line, title = body[0]
        authors: tuple[str, ...] = ()
        truncated = False
        affiliation = None
        abstract = abstract_line = None
        if len(body) >= 2:
            author_text = body[1][1]
            if " · " in author_text:
                author_text, affiliation = (s.strip() for s in author_text.split(" · ", 1))
            truncated = bool(_ET_AL.search(author_text))
            authors = tuple(split_authors(_ET_AL.sub("", author_text)))
        if len(body) >= 3:
            abstract = clean_tex_residue(collapse_ws(" ".join(t for _, t in body[2:])))
            abstract_line = body[2][0]
        missing = [name for name, v in (("authors", authors), ("abstract", abstract)) if not v]
        if missing:
            diags.append(warning(path, start + 1, f"paper {title[:50]!r} has no {', '.join(missing)}"))
        records.append(
            PaperRecord(
                source=SourceSpan(path, start + 1),
                format=FORMAT,
                title=clean_tex_residue(collapse_ws(title)),
                authors=authors,
                authors_truncated=truncated,
                year=meta["year"],
                date=meta["date"],
                abstract=abstract,
                abstract_line=abstract_line if abstract else None,
                category=meta["category"],
                has_code=meta["has_code"],
                affiliation=affiliation or None,
                score=meta["score"],
                owner=owner,
            )
        )
    return ReadResult(tuple(records), tuple(diags))
