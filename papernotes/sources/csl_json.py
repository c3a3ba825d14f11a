"""Reader for a CSL-JSON library (Zotero's and Better BibTeX's "CSL JSON" export): an array of items.

Each item is decoded on its own (``json.JSONDecoder.raw_decode`` from where it starts), so every record
carries the line of its opening ``{`` and an item that is not valid JSON is one error: reading resumes at
the next item that starts on a line of its own, as exports write them. Names are ``{family, given}`` (with
particles and suffixes) or ``{literal}``; dates are ``issued.date-parts``; the venue is the
``container-title`` (else the event), mapped onto the venues the listings use.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right

from papernotes.diagnostics import Diagnostic, error, warning
from papernotes.sources.bibtex import arxiv_from, normalize_doi, split_keywords
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import collapse_ws
from papernotes.sources.venues import venue_from_container

FORMAT = "csl_json"
_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_ITEM_LINE = re.compile(r"\n[ \t]*\{")  # where an export starts an item: `{` first on its line
_SIGNATURE = re.compile(r'\A\ufeff?\s*(?:\[\s*\{|\{)\s*"(?:id|type|title|author|issued|citation-key|items)"\s*:')
_KINDS = ('"type"', '"title"', '"issued"', '"author"', '"container-title"', '"DOI"', '"citation-key"')


def looks_like(text: str) -> bool:
    """A JSON array of objects (or one object) whose keys are CSL's: `[{"id": …, "type": …, "title": …}]`."""
    head = text[:20_000]
    return bool(_SIGNATURE.match(head)) and sum(k in head for k in _KINDS) >= 2


def read(path: str, text: str) -> ReadResult:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line_of = lambda pos: bisect_right(starts, pos)  # noqa: E731 - 1-based line of a position
    records: list[PaperRecord] = []
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    pos = _WS.match(text, 1 if text.startswith("\ufeff") else 0).end()
    if text.startswith("{", pos):  # one item, or `{"items": […]}`
        ok, items, end = _decode(text, pos)
        if ok and isinstance(items, dict) and isinstance(items.get("items"), list):
            return _read_values(path, items["items"], line_of(pos))
        if ok:
            _add(items, path, line_of(pos), records, diags, seen)
        else:
            diags.append(error(path, line_of(pos), f"not valid JSON ({end[0]}); nothing read"))
        return ReadResult(tuple(records), tuple(diags))
    if not text.startswith("[", pos):
        return ReadResult((), (warning(path, line_of(pos), "no CSL-JSON items (a JSON array of objects) found"),))
    pos = _WS.match(text, pos + 1).end()
    while pos < len(text) and text[pos] != "]":
        ok, item, end = _decode(text, pos)
        if not ok:
            why, failed_at = end
            diags.append(error(path, line_of(pos), f"CSL-JSON item is not valid JSON ({why}); skipped"))
            # Go on at the next item that starts on a line of its own, from the line where this one failed
            # (what lay before was read as part of this item): every position is decoded about once.
            found = _ITEM_LINE.search(text, max(pos + 1, text.rfind("\n", 0, failed_at))) if failed_at else None
            if found is None:
                break
            pos = found.end() - 1
            continue
        _add(item, path, line_of(pos), records, diags, seen)
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
        elif pos < len(text) and text[pos] != "]":
            diags.append(error(path, line_of(pos), "expected ',' or ']' after a CSL-JSON item; the rest is skipped"))
            break
    return ReadResult(tuple(records), tuple(diags))


def _read_values(path: str, items: list, line: int) -> ReadResult:
    """Items without their own positions (inside `{"items": […]}`): every record on the line of the object."""
    records: list[PaperRecord] = []
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for item in items:
        _add(item, path, line, records, diags, seen)
    return ReadResult(tuple(records), tuple(diags))


def _decode(text: str, pos: int):
    """(True, value, end) of the JSON value at pos, or (False, None, (why it is not one, where that was found:
    None for nesting too deep to read, which no export has -- then nothing after it is read))."""
    try:
        return (True, *_DECODER.raw_decode(text, pos))
    except ValueError as exc:
        return False, None, (getattr(exc, "msg", type(exc).__name__), getattr(exc, "pos", pos))
    except RecursionError:
        return False, None, ("nested too deep", None)


def _add(item, path: str, line: int, records: list, diags: list, seen: dict[str, int]) -> None:
    if not isinstance(item, dict):
        diags.append(warning(path, line, f"CSL-JSON item is {type(item).__name__}, not an object; skipped"))
        return
    key = _text(item.get("citation-key")) or _text(item.get("id")) or None
    title = _text(item.get("title"))
    if not title:
        diags.append(error(path, line, f"CSL-JSON item {key!r} has no title; skipped"))
        return
    if key is not None and key in seen:
        diags.append(
            warning(path, line, f"duplicate citation key {key!r} (first at line {seen[key]}); this item is skipped")
        )
        return
    if key is not None:
        seen[key] = line
    authors, truncated = _names(item.get("author"))
    venue = year = None
    for name in ("container-title", "event-title", "event"):
        value = item.get(name)
        value = value.get("name") if isinstance(value, dict) else value  # CSL 1.1: event is an object
        venue, year = venue_from_container(_text(value))
        if venue or _text(value):
            break
    issued_year, date = _issued(item.get("issued"))
    url = _text(item.get("URL")) or None
    doi = normalize_doi(_text(item.get("DOI")))
    keywords = item.get("keyword")
    records.append(
        PaperRecord(
            source=SourceSpan(path, line),
            format=FORMAT,
            title=title,
            authors=authors,
            authors_truncated=truncated,
            venue=venue,
            year=issued_year or year,
            date=date,
            url=url,
            doi=doi,
            arxiv=arxiv_from(url, doi, _text(item.get("number")), _text(item.get("container-title"))),
            abstract=_text(item.get("abstract")) or None,
            keywords=split_keywords(keywords if isinstance(keywords, str) else ", ".join(_texts(keywords))),
            key=key,
            extra=(("entry_type", _text(item.get("type"))),),
        )
    )


def _text(value) -> str:
    """A CSL string field (numbers too: `"number": 12`); a list is its first string; anything else is ""."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)), "")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return collapse_ws(str(value))


def _texts(value) -> list[str]:
    return [t for t in (_text(v) for v in value) if t] if isinstance(value, list) else []


def _names(value) -> tuple[tuple[str, ...], bool]:
    names, truncated = [], False
    for person in value if isinstance(value, list) else ():
        if not isinstance(person, dict):
            continue
        literal = _text(person.get("literal"))
        parts = [_text(person.get(k)) for k in ("given", "dropping-particle", "non-dropping-particle", "family")]
        name = literal or " ".join(p for p in parts if p)
        if _text(person.get("suffix")) and not literal:
            name += ", " + _text(person.get("suffix"))
        if name.casefold() in ("others", "et al.", "et al"):
            truncated = True
        elif name:
            names.append(name)
    return tuple(names), truncated


def _issued(value) -> tuple[int | None, str | None]:
    """(year, ISO date when the day is known) of `{"date-parts": [[2016, 6, 27]]}` (or `{"raw": "2016-06"}`)."""
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    first = parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], list) else []
    numbers = []
    for part in first[:3]:
        try:
            numbers.append(int(str(part).strip()))
        except ValueError:
            break
    if not numbers:
        found = re.search(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)", _text(value.get("raw") or value.get("literal")))
        return (int(found.group(1)), None) if found else (None, None)
    year = numbers[0] if 1000 <= numbers[0] <= 2999 else None
    if year and len(numbers) == 3 and 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31:
        return year, f"{year:04d}-{numbers[1]:02d}-{numbers[2]:02d}"
    return year, None
