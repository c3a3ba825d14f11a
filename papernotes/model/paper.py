"""The merged paper: what model/ makes of the records sources/ read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sources.records import PaperRecord, SourceSpan


@dataclass
class Paper:
    """A merged paper: one per normalized title key."""

    key: str
    title: str
    title_zh: str | None = None
    authors: tuple[str, ...] = ()
    authors_truncated: bool = False
    venue: str | None = None
    year: int | None = None
    date: str | None = None
    url: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    abstract: str | None = None
    has_code: bool = False
    affiliation: str | None = None
    topics: tuple[str, ...] = ()  # its best topics, ranked (model/topics.py)
    mentions: tuple[str, ...] = ()  # every topic it names anywhere: what search finds it by, not what lists show
    keywords: tuple[str, ...] = ()  # a library's keywords, every record's, first spelling kept
    links: tuple[str, ...] = ()  # every distinct URL seen for this paper
    records: tuple[PaperRecord, ...] = field(default_factory=tuple)  # provenance, in source order
    digest: str = ""  # of everything the merge read (records, aliases); topics are set later

    @property
    def sources(self) -> tuple[SourceSpan, ...]:
        return tuple(r.source for r in self.records)
