"""Bytes -> text for every source file, with a clear message instead of a traceback.

UTF-8 (a BOM is stripped). A file that is not UTF-8 but decodes cleanly as
GB18030 (a superset of GBK) *and* reads as Chinese text is decoded, with a
warning; anything else is an error naming the first bad byte. CRLF and lone CR
become LF.
"""

from __future__ import annotations

import re

from papernotes.diagnostics import Diagnostic, error, warning

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")


def _looks_chinese(text: str) -> bool:
    """Mostly CJK among the non-ASCII characters, and no control or private-use chars."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii or _CONTROL.search(text):
        return False
    cjk = sum(1 for ch in non_ascii if _CJK.match(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    return cjk >= 2 and cjk / len(non_ascii) >= 0.9


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAMES = {"\x08": "a backspace (a JSON \\b that ate the backslash of \\beta?)",
          "\x0c": "a form feed (a JSON \\f that ate the backslash of \\frac?)", "\x00": "a NUL"}  # fmt: skip


def control_characters(path: str, text: str) -> list[Diagnostic]:
    """One warning per line holding control characters: scraped text shows them as nothing (or as TeX,
    repaired: sources/text.py), and a reader should know the source was damaged there."""
    diags = []
    for no, line in enumerate(text.split("\n"), 1):
        found = sorted(set(_C0.findall(line)))
        if found:
            names = ", ".join(_NAMES.get(ch, f"U+{ord(ch):04X}") for ch in found)
            diags.append(warning(path, no, f"control character removed: {names}"))
    return diags


def decode_source(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    text, diags = _decode(path, data)
    if text is not None and _C0.search(text):
        diags = diags + control_characters(path, text)
    return text, diags


def _decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _normalize_newlines(data.decode("utf-8")), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return _normalize_newlines(text), [
            warning(path, 1, "file is not UTF-8; decoded as GBK (GB18030) Chinese text — please re-save it as UTF-8")
        ]
    line = data.count(b"\n", 0, bad) + 1
    col = bad - (data.rfind(b"\n", 0, bad) + 1) + 1
    return None, [
        error(
            path,
            line,
            f"not valid UTF-8: byte 0x{data[bad]:02x} at offset {bad} (line {line}, column {col}); file skipped",
        )
    ]
