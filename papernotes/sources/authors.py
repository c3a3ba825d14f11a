"""Author-name normalization: whitespace, Unicode NFC, and site.yaml aliases."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_WS = re.compile(r"\s+")


def normalize_author(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Collapse whitespace, NFC-normalize, then apply an alias (``Lior Wol`` -> ``Lior Wolf``).

    Aliases are looked up by their own normalized form, so ``"Lior  Wol"`` in
    the config matches ``"Lior Wol"`` in a source.
    """
    clean = unicodedata.normalize("NFC", _WS.sub(" ", name).strip())
    if aliases:
        for alias, target in aliases.items():
            if unicodedata.normalize("NFC", _WS.sub(" ", alias).strip()) == clean:
                return unicodedata.normalize("NFC", _WS.sub(" ", target).strip())
    return clean


def split_authors(text: str) -> list[str]:
    """Split a comma-separated author list (with or without a space after commas)."""
    return [n for n in (_WS.sub(" ", p).strip() for p in text.split(",")) if n]
