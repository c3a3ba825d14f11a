"""The records that flow from sources/ into model/.

Readers produce these; they are frozen, plain and carry their SourceSpan so any
later message can point at the text they came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class SourceSpan:
    path: str  # path relative to the site root, with forward slashes
    line: int  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class PaperRecord:
    """One mention of a paper in one source (a list item, a note section, ...)."""

    source: SourceSpan
    format: str  # reader name: "hexo_paperlist", "paperlist_md", "hf_papers", "author_profile", "note_sections",
    # "bibtex", "csl_json"
    title: str  # display title, cleaned of scraped HTML; may contain $...$ math
    title_zh: str | None = None
    authors: tuple[str, ...] = ()
    authors_truncated: bool = False  # the list ends in "et al." or is otherwise partial
    venue: str | None = None  # normalized short name, e.g. "CVPR"
    year: int | None = None
    date: str | None = None  # ISO "2022-03-23", or partial as found ("May 2") when no year is known
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None  # bare id without version, e.g. "2104.00567"
    abstract: str | None = None  # cleaned text; may contain $...$ math
    abstract_line: int | None = None  # the 1-based line where the abstract's text starts (formula messages)
    index: int | None = None  # the list index in the source (e.g. 1800, or 1..16)
    category: str | None = None  # arXiv-style category from a profile (CV, LG, IV)
    has_code: bool = False
    affiliation: str | None = None
    score: float | None = None
    anchor: str | None = None  # for note sections: the heading id in the note page
    owner: str | None = None  # author-profile owner, when the source is a profile
    keywords: tuple[str, ...] = ()  # a library's keywords (BibTeX `keywords`, CSL `keyword`), as written
    key: str | None = None  # a library's citation key (BibTeX entry key, CSL `id`), what `[@key]` names
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ReadResult:
    """What a reader returns: records plus diagnostics, never an exception."""

    records: tuple[PaperRecord, ...] = ()
    diagnostics: tuple = ()  # tuple[Diagnostic, ...]
