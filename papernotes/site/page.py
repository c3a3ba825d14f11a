"""A page: where it goes, which template draws it, and the graph values it is made from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Page(NamedTuple):  # a tuple: tens of thousands are made per build
    url: str  # site-relative URL, e.g. 'notes/x/' (urls.output_file gives the file)
    template: str
    # make(get, *args) -> template context. `get(name)` returns a graph value the page declared in
    # `inputs`; it is called only when the page renders, and may read the model through `get` alone.
    make: Callable[..., dict[str, Any]]
    args: tuple = ()  # plain values (str, int) naming what the page is about; part of its fingerprint
    inputs: tuple[str, ...] = ()  # graph values it reads: "site" is implied, see site/graph.py
    origin: str = ""  # who made it, for collision messages and "write the saved file's pages first"
    fragments: tuple[str, ...] = ()  # item templates whose pre-rendered HTML it shows (_paper_item.html)
