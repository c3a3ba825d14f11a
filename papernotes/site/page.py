"""A page: where it goes, which template draws it, and the graph values it is made from."""

from __future__ import annotations

import itertools
import operator
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


def same_in(old: list[Page], new: list[Page], *fields: int) -> bool:
    """Two builds' page lists agree in these fields (positions in Page), in order. A rebuild keeps most pages
    as the very same objects (memoized), so identity settles nearly all of them, in C (83,000 pages at 27,000
    papers: the few that are not the same object are compared field by field)."""
    if len(old) != len(new):
        return False
    get = operator.itemgetter(*fields)
    others = itertools.compress(zip(old, new), map(operator.is_not, old, new))
    return all(get(a) == get(b) for a, b in others)
