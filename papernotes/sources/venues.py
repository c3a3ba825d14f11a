"""Venue strings -> (short name, year).

Sources spell venues as ``cvpr 2023`` (a paper list), ``CVPR2022`` (a tag or a
heading) or ``CVPR 2022``. Known venues keep their usual spelling (NeurIPS);
anything else is upper-cased. No text, no venue: nothing is ever guessed.
"""

from __future__ import annotations

import re

KNOWN_VENUES = {
    v.casefold(): v
    for v in (
        "CVPR",
        "ICCV",
        "ECCV",
        "WACV",
        "BMVC",
        "NeurIPS",
        "NIPS",
        "ICLR",
        "ICML",
        "AAAI",
        "IJCAI",
        "ACL",
        "EMNLP",
        "NAACL",
        "COLING",
        "KDD",
        "SIGGRAPH",
        "SIGGRAPH Asia",
        "ACM MM",
        "MM",
        "ICASSP",
        "ICME",
        "ICIP",
        "TPAMI",
        "IJCV",
        "TIP",
        "TMM",
        "TCSVT",
        "3DV",
        "CoRL",
        "ICRA",
        "IROS",
        "MICCAI",
        "UAI",
        "AISTATS",
        "COLT",
        "WWW",
        "SIGIR",
    )
}

_VENUE = re.compile(
    r"^\s*(?P<name>[A-Za-z][A-Za-z0-9 &.-]*?[A-Za-z]|[A-Za-z]|3DV)\s*'?\s*(?P<year>(?:19|20)\d{2})?\s*$"
)


def normalize_venue(text: str | None) -> tuple[str | None, int | None]:
    """``cvpr 2023`` -> ("CVPR", 2023); ``CVPR2022`` -> ("CVPR", 2022); junk -> (None, None)."""
    if not text:
        return None, None
    m = _VENUE.match(text)
    if not m:
        return None, None
    name = re.sub(r"\s+", " ", m.group("name"))
    year = int(m.group("year")) if m.group("year") else None
    return KNOWN_VENUES.get(name.casefold(), name.upper()), year


def venue_from_heading(text: str) -> tuple[str | None, int | None]:
    """A ``# CVPR2022`` heading names a venue only if it is a known venue with a year."""
    name, year = normalize_venue(text)
    if name is None or year is None or name.casefold() not in KNOWN_VENUES:
        return None, None
    return name, year
