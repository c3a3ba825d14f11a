"""Records -> papers: records of one paper grouped by identity, merged field by field.

Identity: records sharing a DOI, an arXiv id or a normalized title (``paper_key``) are one paper, and so
are records linked through a chain of these (a preprint title and the published title joined by their
arXiv id). The paper's key is the title key of its best-ranked record (the title it shows), so a paper
whose records all share one title keeps the key -- and the slug -- it always had.

Field precedence (the first source in the order that has the field wins):

- ``SOURCE_RANK``: paperlist_md (a conference's own list: DOI, venue field,
  full authors) > bibtex, csl_json (a curated library: DOI or arXiv id, venue,
  full authors, citation key) > hexo_paperlist (curated list: arXiv, full
  authors, venue from its heading) > author_profile (dates, truncated authors)
  > hf_papers (title and abstract only) > note_sections (a title, a venue heading).
- authors: a complete list always beats a truncated one, whatever the rank; a
  truncated list is used only when no complete one exists. Names are
  normalized (whitespace, NFC) and site.yaml aliases applied.
- venue: explicit evidence beats none; the year goes with the venue that won.
  Without any venue, the year is the first year any source gives. Two
  different venues for one paper are reported, the higher rank is kept.
- date: an ISO date beats a partial one ("May 2").
- abstract: by rank, cleaned of TeX residue for display ($…$ math kept).
- links: every distinct URL of every record; records: all, in source order.
- has_code: any source says so.
Topics are not decided here (``Paper.topics`` stays empty).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

from papernotes.diagnostics import Diagnostic, warning
from papernotes.model.paper import Paper
from papernotes.sources.authors import normalize_author
from papernotes.sources.records import PaperRecord
from papernotes.sources.text import clean_tex_residue, collapse_ws, repair_controls
from papernotes.sources.venues import normalize_venue

__all__ = ["paper_key", "merge_records", "normalize_author", "normalize_venue", "SOURCE_RANK"]

SOURCE_RANK = {
    "paperlist_md": 0,
    "bibtex": 1,
    "csl_json": 2,
    "hexo_paperlist": 3,
    "author_profile": 4,
    "hf_papers": 5,
    "note_sections": 6,
}
_NON_ALNUM = re.compile(r"[\W_]+")


def paper_key(title: str) -> str:
    """NFKC, casefold, drop ``$`` math delimiters (keep their letters), collapse non-alphanumerics."""
    text = unicodedata.normalize("NFKC", title).replace("$", " ").casefold()
    return _NON_ALNUM.sub(" ", text).strip()


_cached_key = functools.lru_cache(maxsize=200_000)(paper_key)


def _rank(rec: PaperRecord) -> tuple[int, str, int]:
    return (SOURCE_RANK.get(rec.format, len(SOURCE_RANK)), rec.source.path, rec.source.line)


def _first(recs: list[PaperRecord], attr: str):
    for r in recs:
        value = getattr(r, attr)
        if value not in (None, "", ()):
            return value
    return None


def group_digest(key: str, recs: list[PaperRecord], aliases_digest: str) -> str:
    """The merged paper is a function of its records and the aliases: digest exactly those."""
    return hashlib.sha256(repr((key, aliases_digest, tuple(recs))).encode("utf-8")).hexdigest()


def _merge_group(
    key: str, recs: list[PaperRecord], aliases: Mapping[str, str], aliases_digest: str = "", digest: str = ""
) -> tuple[Paper, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    by_rank = sorted(recs, key=_rank)

    complete = [r for r in by_rank if r.authors and not r.authors_truncated]
    partial = [r for r in by_rank if r.authors and r.authors_truncated]
    author_rec = (complete or partial or [None])[0]
    authors = tuple(normalize_author(a, aliases) for a in author_rec.authors) if author_rec else ()

    venue_recs = [r for r in by_rank if r.venue]
    venue = year = None
    if venue_recs:
        venue, year = venue_recs[0].venue, venue_recs[0].year
        for other in venue_recs[1:]:
            if (other.venue, other.year) != (venue, year) and other.year is not None:
                diags.append(
                    warning(
                        other.source.path,
                        other.source.line,
                        f"venue {other.venue} {other.year} conflicts with {venue} {year or ''} "
                        f"from {venue_recs[0].source}; keeping the latter".replace(" ;", ";"),
                    )
                )
    if year is None:
        year = _first(by_rank, "year")

    dates = [r.date for r in by_rank if r.date]
    iso = [d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]
    date = (iso or dates or [None])[0]

    links: list[str] = []
    for r in recs:
        if r.url and r.url not in links:
            links.append(r.url)

    abstract = _first(by_rank, "abstract")
    paper = Paper(
        key=key,
        title=collapse_ws(repair_controls(by_rank[0].title)),
        title_zh=_first(by_rank, "title_zh"),
        authors=authors,
        authors_truncated=bool(author_rec and author_rec.authors_truncated),
        venue=venue,
        year=year,
        date=date,
        url=_first(by_rank, "url"),
        doi=_first(by_rank, "doi"),
        arxiv=_first(by_rank, "arxiv"),
        abstract=clean_tex_residue(abstract) if abstract else None,
        has_code=any(r.has_code for r in recs),
        affiliation=_first(by_rank, "affiliation"),
        topics=(),
        keywords=_keywords(by_rank),
        links=tuple(links),
        records=tuple(recs),
        digest=digest or group_digest(key, recs, aliases_digest),
    )
    return paper, diags


def merge_records(
    records: Iterable[PaperRecord], aliases: Mapping[str, str] | None = None, cache: dict | None = None, stored=None
) -> tuple[list[Paper], list[Diagnostic]]:
    """Merge records of the same paper (same ``paper_key``); papers sorted by key.

    With ``cache`` (a dict the caller keeps between builds), a group whose
    records are the very same as last time reuses its merged paper, so a
    rebuild after one edit re-merges only the papers that edit touched.
    """
    aliases = aliases or {}
    if cache is not None and cache.get("@aliases") != dict(aliases):
        cache.clear()
        cache["@aliases"] = dict(aliases)
    aliases_digest = hashlib.sha256(repr(sorted(aliases.items())).encode("utf-8")).hexdigest()
    by_title: dict[str, list[PaperRecord]] = {}
    diags: list[Diagnostic] = []
    for rec in records:
        key = _cached_key(rec.title or "")
        if not key:
            diags.append(
                warning(
                    rec.source.path, rec.source.line, f"paper title {rec.title!r} has no letters or digits; skipped"
                )
            )
            continue
        by_title.setdefault(key, []).append(rec)
    groups = group_by_identity(by_title)
    papers = []
    for key in sorted(groups):
        recs = groups[key]
        if len(recs) > 1:
            recs.sort(key=_place)
        hit = cache.get(key) if cache is not None else None
        if hit is not None and hit[0] == recs:  # list equality checks identity first: cheap when unchanged
            paper, group_diags = hit[1], hit[2]
        else:
            digest = group_digest(key, recs, aliases_digest)
            if stored is None:
                paper, group_diags = _merge_group(key, recs, aliases, aliases_digest, digest)
            else:  # merged papers kept between processes (a StoredMemo); topics are set afresh each build
                paper, group_diags = stored.get(
                    f"merge\0{digest}", lambda: _merge_group(key, recs, aliases, aliases_digest, digest)
                )
            if cache is not None:
                cache[key] = (recs, paper, group_diags)
        papers.append(paper)
        diags.extend(group_diags)
    diags.extend(shared_citation_keys(papers))
    if cache is not None and len(cache) > len(groups) + 1:
        for stale in set(cache) - set(groups) - {"@aliases"}:
            del cache[stale]
    return papers, diags


def _place(rec: PaperRecord) -> tuple[str, int]:
    return (rec.source.path, rec.source.line)


def shared_citation_keys(papers: list[Paper]) -> list[Diagnostic]:
    """A citation key (BibTeX key, CSL id) that names two papers: `[@key]` cites the first (by paper key)."""
    first: dict[str, Paper] = {}
    diags = []
    for paper in papers:
        for rec in paper.records:
            if not rec.key:
                continue
            owner = first.setdefault(rec.key, paper)
            if owner is not paper:
                message = f"citation key {rec.key!r} also names {owner.title[:60]!r}; [@{rec.key}] cites that one"
                diags.append(warning(rec.source.path, rec.source.line, message))
    return diags


def identifiers(rec: PaperRecord) -> tuple[str, ...]:
    """The ids that make two records one paper whatever their titles: DOI (case-insensitive), arXiv id."""
    ids = []
    if rec.doi:
        ids.append("doi:" + rec.doi.strip().casefold())
    if rec.arxiv:
        ids.append("arxiv:" + rec.arxiv.strip().casefold())
    return tuple(ids)


def group_by_identity(by_title: dict[str, list[PaperRecord]]) -> dict[str, list[PaperRecord]]:
    """Title groups joined when they share a DOI or an arXiv id (a union-find over the title keys): paper key
    -> its records. The key is the title key of the best-ranked record; the result does not depend on the order
    the records came in."""
    parent = {key: key for key in by_title}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    owner: dict[str, str] = {}  # id -> a title key that has it
    for key in sorted(by_title):
        for rec in by_title[key]:
            for ident in identifiers(rec):
                other = owner.setdefault(ident, key)
                a, b = root(key), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the smaller key is the root: deterministic
    if len(owner) == 0:
        return by_title
    joined: dict[str, list[str]] = {}
    for key in sorted(by_title):
        joined.setdefault(root(key), []).append(key)
    groups: dict[str, list[PaperRecord]] = {}
    for keys in joined.values():
        if len(keys) == 1:
            groups[keys[0]] = by_title[keys[0]]
            continue
        recs = [r for k in keys for r in by_title[k]]
        best = min(recs, key=_rank)
        groups[_cached_key(best.title)] = recs
    return groups


def _keywords(records: list[PaperRecord]) -> tuple[str, ...]:
    """Every record's keywords in rank order, one per case-insensitive name (the first spelling)."""
    seen: dict[str, str] = {}
    for rec in records:
        for word in rec.keywords:
            seen.setdefault(collapse_ws(word).casefold(), collapse_ws(word))
    return tuple(seen.values())
