"""Reader for a text scrape of a Hugging Face papers page (seed 002).

After the page chrome ("Daily Papers", "Subscribe", …) the text is strictly
title line, blank, abstract line, blank. Nothing else survived the scrape, so
no venue, author or date is ever invented. A title is told from an abstract by
its position in the pair and by length.
"""

from __future__ import annotations

from papernotes.diagnostics import warning
from papernotes.sources.records import PaperRecord, ReadResult, SourceSpan
from papernotes.sources.text import clean_tex_residue, collapse_ws

FORMAT = "hf_papers"

CHROME = {
    s.casefold()
    for s in (
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "Trending Papers",
        "by AK and the research community",
    )
}
MAX_TITLE = 300  # titles are 37–128 chars, abstracts 1,381+


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(1-based first line, joined text) of each run of non-blank lines."""
    out: list[tuple[int, str]] = []
    start, buf = 0, []
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not buf:
                start = i
            buf.append(line.strip())
        elif buf:
            out.append((start, " ".join(buf)))
            buf = []
    if buf:
        out.append((start, " ".join(buf)))
    return out


def _skip_chrome(paras):
    i = 0
    while i < len(paras) and paras[i][1].strip('"').casefold() in CHROME:
        i += 1
    return paras[i:], i


def looks_like(text: str) -> bool:
    paras = _paragraphs(text)
    body, skipped = _skip_chrome(paras)
    if skipped >= 2 and body:
        return True
    # No chrome: alternate short single-line titles and long abstracts.
    if len(body) < 4 or len(body) % 2:
        return False
    pairs = list(zip(body[::2], body[1::2]))
    return all(
        len(t) <= MAX_TITLE and len(a) > MAX_TITLE and not t.startswith(("#", "-", "*", ">", "["))
        for (_, t), (_, a) in pairs
    )


def _is_title(s: str) -> bool:
    return len(s) <= MAX_TITLE


def read(path: str, text: str) -> ReadResult:
    paras, _ = _skip_chrome(_paragraphs(text))
    records, diags = [], []
    i = 0
    while i < len(paras):
        line, para = paras[i]
        if not _is_title(para):
            diags.append(warning(path, line, "long paragraph where a paper title was expected; skipped"))
            i += 1
            continue
        abstract = abstract_line = None
        if i + 1 < len(paras) and not _is_title(paras[i + 1][1]):
            abstract_line, abstract = paras[i + 1][0], clean_tex_residue(collapse_ws(paras[i + 1][1]))
            i += 2
        else:
            diags.append(warning(path, line, f"paper {para[:50]!r} has no abstract"))
            i += 1
        records.append(
            PaperRecord(
                source=SourceSpan(path, line),
                format=FORMAT,
                title=clean_tex_residue(collapse_ws(para)),
                abstract=abstract or None,
                abstract_line=abstract_line if abstract else None,
            )
        )
    if not records and not diags:
        diags.append(warning(path, 1, "no papers found"))
    return ReadResult(tuple(records), tuple(diags))
