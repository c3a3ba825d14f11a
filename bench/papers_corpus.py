"""Paper-list pages of the benchmark corpus, shaped like the public collection seed 003 comes from.

That collection (github.com/hzxwonder/Conference-Paper) has 145 pages of 200 papers, 27,179 papers in
all, in 15 venue-years: AAAI 2022-2024, CVPR 2022-2023, ICLR 2021, ICML 2021-2023, IJCAI 2021-2023 and
NeurIPS 2021-2023 (filed as NIPS). ``VENUE_YEARS`` holds each one's size there; ``--papers N`` shares N
out in those proportions. Each venue-year is written as its generator wrote it:

- ``papers/<CONF>/<YEAR>/<CONF>-<YEAR>-listNN.md``, NN from 01, 200 papers a page, ``## [i]`` numbered
  from 0 through the venue-year, nav links to the previous and next page and ``README.md``;
- ``**Conference**: *<conf> <year>*`` in lower case (``nips 2022`` for NeurIPS, as the collection has it);
- the URL each venue's proceedings use: DOIs for AAAI, CVPR and IJCAI, OpenReview for ICLR, PMLR for
  ICML, papers.nips.cc for NeurIPS (its pages sorted by that hash, ICML's and IJCAI's by first author);
- the indented layout (8 spaces after the first heading) or the flat one, as the collection's pages at
  different times were.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

import authors_corpus
import paper_text

RECORDS_PER_FILE = 200
IND = " " * 8
IEEE_SHARE = 0.10  # abstracts split by stray IEEE markup (seed 003: 29 of 200 CVPR abstracts)


@dataclass(frozen=True)
class VenueYear:
    conf: str  # the folder and file prefix; its lower case is the page's conference field
    year: int
    papers: int  # in the real collection
    fields: tuple[tuple[str, int], ...]  # vocabulary -> weight
    indented: bool

    @property
    def conference(self) -> str:
        return f"{self.conf.lower()} {self.year}"


_VISION, _ML, _AI = (("vision", 1),), (("ml", 75), ("vision", 15), ("ai", 10)), (("ai", 50), ("vision", 30), ("ml", 20))
_IJ = (("ai", 60), ("ml", 25), ("vision", 15))
VENUE_YEARS = (
    VenueYear("AAAI", 2022, 1650, _AI, False),
    VenueYear("AAAI", 2023, 2050, _AI, True),
    VenueYear("AAAI", 2024, 2840, _AI, False),
    VenueYear("CVPR", 2022, 2070, _VISION, True),
    VenueYear("CVPR", 2023, 2355, _VISION, True),
    VenueYear("ICLR", 2021, 860, _ML, False),
    VenueYear("ICML", 2021, 1183, _ML, False),
    VenueYear("ICML", 2022, 1233, _ML, True),
    VenueYear("ICML", 2023, 1827, _ML, True),
    VenueYear("IJCAI", 2021, 720, _IJ, False),
    VenueYear("IJCAI", 2022, 860, _IJ, False),
    VenueYear("IJCAI", 2023, 823, _IJ, False),
    VenueYear("NIPS", 2021, 2334, _ML, False),
    VenueYear("NIPS", 2022, 2834, _ML, True),
    VenueYear("NIPS", 2023, 3540, _ML, False),
)
CVPR_PROCEEDINGS = {2021: "CVPR46437", 2022: "CVPR52688", 2023: "CVPR52729", 2024: "CVPR52733"}
AAAI_FIRST_ID = {2021: 16044, 2022: 19873, 2023: 25070, 2024: 27749}
PMLR_VOLUME = {2021: 139, 2022: 162, 2023: 202, 2024: 235}
OPENREVIEW = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


@dataclass
class Paper:
    title: str
    authors: list[str]
    lines: list[str]  # the abstract: first line, then column-0 lines split off by stray markup
    sort_key: str = ""
    url: str = ""


def share(papers: int) -> list[int]:
    """`papers` split over ``VENUE_YEARS`` in proportion to their real sizes (largest remainder)."""
    total = sum(v.papers for v in VENUE_YEARS)
    exact = [papers * v.papers / total for v in VENUE_YEARS]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: papers - sum(counts)]:
        counts[i] += 1
    return counts


def _surname_key(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_name.split(" ")[-1].lower() if ch.isalpha()) or "anon"


def _urls(r: random.Random, venue: VenueYear, papers: list[Paper]) -> None:
    """Give each paper (in page order) its proceedings URL; unique, so no two papers share a DOI."""
    n, year = len(papers), venue.year
    if venue.conf == "NIPS":  # the pages list NeurIPS papers by the hash in their URL
        hashes = sorted({f"{r.getrandbits(128):032x}" for _ in range(n + 8)})[:n]  # (128 bits: no repeats)
        kind = "Abstract" if year == 2021 else "Abstract-Conference"
        for paper, h in zip(papers, hashes):
            paper.url = f"http://papers.nips.cc/paper_files/paper/{year}/hash/{h}-{kind}.html"
        return
    ids: set[str] = set()
    letters: dict[str, int] = {}
    for i, paper in enumerate(papers):
        if venue.conf == "AAAI":
            issue = 1 + i * 20 // max(1, n)
            paper.url = f"https://doi.org/10.1609/aaai.v{year - 1986}i{issue}.{AAAI_FIRST_ID[year] + i}"
        elif venue.conf == "CVPR":
            paper.url = f"https://doi.org/10.1109/{CVPR_PROCEEDINGS[year]}.{year}.{i + 13:05d}"
        elif venue.conf == "IJCAI":
            paper.url = f"https://doi.org/10.24963/ijcai.{year}/{i + 1}"
        elif venue.conf == "ICML":
            key = _surname_key(paper.authors[0] if paper.authors else "anon")
            k = letters[key] = letters.get(key, -1) + 1
            suffix = "abcdefghijklmnopqrstuvwxyz"[k % 26] * (1 + k // 26)
            scheme = "http" if year == 2021 else "https"
            paper.url = f"{scheme}://proceedings.mlr.press/v{PMLR_VOLUME[year]}/{key}{year % 100}{suffix}.html"
        else:  # ICLR: an OpenReview forum id
            while True:
                forum = "".join(r.choice(OPENREVIEW) for _ in range(r.choice((10, 11))))
                if forum not in ids:
                    ids.add(forum)
                    break
            paper.url = f"https://openreview.net/forum?id={forum}"


def venue_papers(r: random.Random, venue: VenueYear, count: int, authors, seen_titles: set[str]) -> list[Paper]:
    """`count` papers of one venue-year in page order, with distinct titles (across the whole corpus)."""
    names, weights = zip(*venue.fields)
    out = []
    for _ in range(count):
        vocab = paper_text.FIELDS[r.choices(names, weights)[0]]
        while True:
            head = paper_text.title(r, vocab)
            key = "".join(ch for ch in head.text.casefold() if ch.isalnum())
            if key not in seen_titles:
                seen_titles.add(key)
                break
        sentences = paper_text.abstract(r, vocab, head)
        if r.random() < IEEE_SHARE:
            sentences = paper_text.with_ieee_markup(r, sentences, head.name)
        out.append(Paper(head.text, next(authors), paper_text.abstract_lines(sentences)))
    if venue.conf in ("ICML", "IJCAI"):  # proceedings order: by first author's surname
        for paper in out:
            paper.sort_key = _surname_key(paper.authors[0]) if paper.authors else ""
        out.sort(key=lambda p: p.sort_key)
    _urls(r, venue, out)
    return out


def page_text(venue: VenueYear, page: int, pages: int, papers: list[Paper], first_index: int) -> str:
    """One ``<CONF>-<YEAR>-listNN.md`` (page from 1), byte for byte as the collection's generator writes it."""
    ind = IND if venue.indented else ""
    blocks = []
    for k, paper in enumerate(papers):
        head = "" if k == 0 else ind
        lines = [
            f"{head}## [{first_index + k}] {paper.title}",
            "",
            f"{ind}**Authors**: *{', '.join(paper.authors)}*",
            "",
            f"{ind}**Conference**: *{venue.conference}*",
            "",
            f"{ind}**URL**: [{paper.url}]({paper.url})",
            "",
            f"{ind}**Abstract**:",
            "",
            ind + paper.lines[0],
            *paper.lines[1:],
            "",
            f"{ind}----",
            "",
        ]
        blocks.append("\n".join(lines))
    stem = f"{venue.conf}-{venue.year}-list"
    if page == 1:  # the generator's first page links to a next page whether or not there is one
        nav = [f"[Go to the next page]({stem}{page + 1:02d}.md)"]
    elif page == pages:
        nav = [f"[Go to the previous page]({stem}{page - 1:02d}.md)"]
    else:
        nav = [f"[Go to the previous page]({stem}{page - 1:02d}.md)", f"[Go to the next page]({stem}{page + 1:02d}.md)"]
    nav.append("[Go to the catalog section](README.md)")
    return "\n".join(blocks) + "\n" + ind + "\n\n" + "\n\n".join(nav)


def paper_pages(r: random.Random, papers: int) -> tuple[dict[str, str], list[tuple[VenueYear, list[str]]]]:
    """(path under papers/ -> text, [(venue-year, its titles)]) for `papers` papers."""
    counts = share(papers)
    authors = iter(authors_corpus.author_lists(r, papers))
    seen: set[str] = set()
    files: dict[str, str] = {}
    groups = []
    for venue, count in zip(VENUE_YEARS, counts):
        if not count:
            continue
        listed = venue_papers(r, venue, count, authors, seen)
        pages = (count + RECORDS_PER_FILE - 1) // RECORDS_PER_FILE
        for page in range(1, pages + 1):
            start = (page - 1) * RECORDS_PER_FILE
            chunk = listed[start : start + RECORDS_PER_FILE]
            path = f"{venue.conf}/{venue.year}/{venue.conf}-{venue.year}-list{page:02d}.md"
            files[path] = page_text(venue, page, pages, chunk, start)
        groups.append((venue, [p.title for p in listed]))
    return files, groups
