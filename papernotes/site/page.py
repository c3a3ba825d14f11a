"""A page: where it goes, which template draws it, the plain data it gets, what it depends on."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Page:
    url: str  # site-relative URL, e.g. 'notes/x/' (urls.output_file gives the file)
    template: str
    context: dict[str, Any] | Callable[[], dict[str, Any]]  # a callable is only called if the page renders
    deps: frozenset[str] = field(default_factory=frozenset)  # source paths this page reads ("*" = everything)
    origin: str = ""  # who made it, for collision messages
