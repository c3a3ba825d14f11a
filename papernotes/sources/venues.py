"""Venue strings -> (short name, year).

Sources spell venues as ``cvpr 2023`` (a paper list), ``CVPR2022`` (a tag or a
heading) or ``CVPR 2022``. Known venues keep their usual spelling (NeurIPS, also for NIPS);
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
KNOWN_VENUES["nips"] = "NeurIPS"  # renamed in 2018; collections still write `nips 2022`: one venue, one page

_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 &.-")
_AFTER_NAME = re.compile(r"\s*+'?\s*+(?P<year>(?:19|20)\d{2})?\s*+")


def _split_venue(text: str) -> tuple[str, str | None] | None:
    """(name, year) as ``^\\s*(?P<name>[A-Za-z][A-Za-z0-9 &.-]*?[A-Za-z]|[A-Za-z]|3DV)\\s*'?\\s*(?P<year>…)?\\s*$``
    reads it, in one pass (that pattern is cubic on a long run of spaces). What follows the name has no
    letter, so the name ends at the text's last letter."""
    text = text.lstrip()
    end = len(text)
    while end and not (text[end - 1].isascii() and text[end - 1].isalpha()):
        end -= 1
    name = text[:end]
    if not name or not (name == "3DV" or name[0].isalpha() and all(c in _NAME_CHARS for c in name)):
        return None
    after = _AFTER_NAME.fullmatch(text, end)
    return (name, after.group("year")) if after else None


def normalize_venue(text: str | None) -> tuple[str | None, int | None]:
    """``cvpr 2023`` -> ("CVPR", 2023); ``CVPR2022`` -> ("CVPR", 2022); junk -> (None, None)."""
    if not text:
        return None, None
    found = _split_venue(text)
    if found is None:
        return None, None
    name = re.sub(r"\s+", " ", found[0])
    year = int(found[1]) if found[1] else None
    return KNOWN_VENUES.get(name.casefold(), name.upper()), year


def venue_from_heading(text: str) -> tuple[str | None, int | None]:
    """A ``# CVPR2022`` heading names a venue only if it is a known venue with a year."""
    name, year = normalize_venue(text)
    if name is None or year is None or name.casefold() not in KNOWN_VENUES:
        return None, None
    return name, year


# A library names the venue in full (`booktitle`, `journal`, CSL `container-title`): phrases -> the short name
# the listings use. Matched on the words of the text (casefolded, punctuation dropped), first row first.
CONTAINER_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CVPR", ("computer vision and pattern recognition",)),
    ("ICCV", ("international conference on computer vision",)),
    ("ECCV", ("european conference on computer vision",)),
    ("WACV", ("winter conference on applications of computer vision",)),
    ("BMVC", ("british machine vision conference",)),
    ("NeurIPS", ("neural information processing systems",)),
    ("ICLR", ("international conference on learning representations",)),
    ("ICML", ("international conference on machine learning",)),
    ("AAAI", ("aaai conference on artificial intelligence", "aaai")),
    ("IJCAI", ("international joint conference on artificial intelligence",)),
    ("ACM MM", ("acm international conference on multimedia", "acm multimedia")),
    ("TPAMI", ("transactions on pattern analysis and machine intelligence",)),
    ("IJCV", ("international journal of computer vision",)),
    ("TIP", ("transactions on image processing",)),
    ("TMM", ("transactions on multimedia",)),
    ("TCSVT", ("transactions on circuits and systems for video technology",)),
    ("SIGGRAPH Asia", ("siggraph asia",)),
    ("SIGGRAPH", ("siggraph",)),
    ("TOG", ("acm transactions on graphics",)),
)
_PREPRINTS = ("arxiv", "corr", "biorxiv", "medrxiv", "ssrn", "preprint")  # a preprint server is no venue
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def venue_from_container(text: str | None) -> tuple[str | None, int | None]:
    """A library's venue field -> (short name, year found in it).

    ``Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition`` -> ("CVPR", None);
    ``CVPR 2016`` -> ("CVPR", 2016); ``Computer Vision – ECCV 2022`` -> ("ECCV", 2022);
    ``arXiv preprint arXiv:2104.00567`` or ``CoRR`` -> (None, None); a workshop is not its conference;
    anything else is kept as written (``Pattern Recognition``).
    """
    text = " ".join((text or "").split())[:300]
    words = " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())
    if not words or any(w in _PREPRINTS for w in words.split()):
        return None, None
    found = _YEAR.search(text)
    year = int(found.group(1)) if found else None
    short, short_year = normalize_venue(text)
    if short is not None and short.casefold() in KNOWN_VENUES:
        return short, short_year
    if "workshop" not in words:
        padded = f" {words} "
        for name, phrases in CONTAINER_NAMES:
            if any(f" {p} " in padded for p in phrases):
                return name, year
        for token in _TOKEN.findall(text):  # `Computer Vision – ECCV 2022`, `… (BMVC)`: the short name as spelt
            if KNOWN_VENUES.get(token.casefold()) == token or token.isupper() and token.casefold() in KNOWN_VENUES:
                return KNOWN_VENUES[token.casefold()], year
    return text, year
