"""The registry of paper-listing readers and format detection by content.

``READERS`` is the one extension point: format name -> ``read(path, text)``.
Detection looks at the text only (never the file name); ``site.yaml`` can
override it per file or folder, and the caller passes that as ``override``.
"""

from __future__ import annotations

from collections.abc import Callable

from papernotes.diagnostics import error, warning
from papernotes.sources import author_profile, bibtex, csl_json, hexo_paperlist, hf_papers, note_sections, paperlist_md
from papernotes.sources.records import ReadResult

READERS: dict[str, Callable[[str, str], ReadResult]] = {
    "hexo_paperlist": hexo_paperlist.read,
    "note_sections": note_sections.read,
    "hf_papers": hf_papers.read,
    "paperlist_md": paperlist_md.read,
    "author_profile": author_profile.read,
    "bibtex": bibtex.read,
    "csl_json": csl_json.read,
}

# Most specific first: a library starts with its first entry (`@article{` / `[{"id":`), which no
# Markdown or scraped page does; a paper-list page or a Hexo list can contain headings
# that would also look like note sections; the profile's meta lines are
# unmistakable, the HF scrape is the loosest structure.
_DETECTORS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("bibtex", bibtex.looks_like),
    ("csl_json", csl_json.looks_like),
    ("paperlist_md", paperlist_md.looks_like),
    ("hexo_paperlist", hexo_paperlist.looks_like),
    ("author_profile", author_profile.looks_like),
    ("note_sections", note_sections.looks_like),
    ("hf_papers", hf_papers.looks_like),
)


def detect_format(path: str, text: str) -> str | None:
    """The format name whose content signature *text* matches, or None."""
    for name, looks_like in _DETECTORS:
        try:
            if looks_like(text):
                return name
        except Exception:  # pragma: no cover - a detector must never break a build
            continue
    return None


def read_listing(path: str, text: str, override: str | None = None) -> ReadResult:
    """Read *text* with the override format, or the detected one.

    An unknown override or a text matching no format gives a diagnostic and no
    records, never an exception.
    """
    if override is not None:
        if override not in READERS:
            known = ", ".join(sorted(READERS))
            return ReadResult((), (error(path, 1, f"unknown paper format {override!r} (known: {known})"),))
        return _read(override, path, text)
    name = detect_format(path, text)
    if name is None:
        return ReadResult((), (warning(path, 1, "no paper-listing format recognized in this file"),))
    return _read(name, path, text)


def _read(name: str, path: str, text: str) -> ReadResult:
    """A reader never raises (tests/test_fuzz_inputs.py); should one still, the file is one error, not a crash."""
    try:
        return READERS[name](path, text)
    except (Exception, RecursionError) as exc:  # pragma: no cover - a safety net
        return ReadResult((), (error(path, 1, f"{name} reader failed: {type(exc).__name__}: {exc}"),))
