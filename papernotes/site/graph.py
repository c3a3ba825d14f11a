"""The one dependency graph: what each page reads, digested once per build.

Every value a page may read is registered here under a name (`papers`, `docs`,
`paper:<key>`, `doc:<path>`, `site`) with a digest of everything in it. A page
declares the names it reads; its context function gets a reader that hands out
those values and refuses any other, so a page cannot read what its fingerprint
does not cover. A page's fingerprint is the hash of its template closure, its
arguments and the digests of its inputs; the writer renders a page exactly when
that fingerprint differs from the one its file was last written with.

This is the model of Eleventy's dependency map and Hugo's identities, kept
small: values are digested from their full contents (or from the full inputs
they were made of), so a missed change can only come from a value whose digest
leaves something out -- and the oracle test (tests/test_incremental_oracle.py)
hunts for exactly that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from .page import Page


def _default(value: Any):
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "__html__"):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return repr(value)


def digest_of(value: Any) -> str:
    """A stable digest of plain data (dicts, lists, strings, numbers, dates, Markup)."""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def digest_text(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class UndeclaredInput(KeyError):
    """A page read a value it did not declare: its fingerprint would miss that value's changes."""


class Graph:
    """name -> (digest, value) for one build."""

    def __init__(self) -> None:
        self._digests: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._families: dict[str, Callable[[str], tuple[str, Any]]] = {}

    def add(self, name: str, digest: str, value: Any) -> None:
        if name in self._digests:
            raise ValueError(f"graph value {name!r} added twice")
        self._digests[name] = digest
        self._values[name] = value

    def add_family(self, prefix: str, resolve: Callable[[str], tuple[str, Any]]) -> None:
        """Values `<prefix><key>` made on first use by `resolve(key) -> (digest, value)`: thousands of
        them (one per paper) cost nothing until a page asks."""
        self._families[prefix] = resolve

    def _resolve(self, name: str) -> None:
        prefix, _, key = name.partition(":")
        resolve = self._families.get(prefix + ":")
        if resolve is None:
            raise KeyError(name)
        self._digests[name], self._values[name] = resolve(key)

    def digest(self, name: str) -> str:
        if name not in self._digests:
            self._resolve(name)
        return self._digests[name]

    def value(self, name: str) -> Any:
        """A value read outside any page: the site context's (site/special.py)."""
        if name not in self._values:
            self._resolve(name)
        return self._values[name]

    def __contains__(self, name: str) -> bool:
        return name in self._digests

    def reader(self, page: Page) -> Callable[[str], Any]:
        allowed = frozenset(page.inputs)

        def get(name: str) -> Any:
            if name not in allowed:
                raise UndeclaredInput(f"page {page.url or '/'} reads {name!r} but declares only {sorted(allowed)}")
            if name not in self._values:
                self._resolve(name)
            return self._values[name]

        return get

    def context(self, page: Page) -> dict:
        return page.make(self.reader(page), *page.args)

    def fingerprint(self, page: Page, templates_digest: str, memo=None) -> str:
        """Template closure + the page's identity and arguments + the digests of what it reads.
        `memo` (a Memo) keeps the last fingerprint of each page, reused while its input digests stay."""
        digests = tuple(self.digest(name) for name in page.inputs)
        # Keyed by URL (its hash is kept by the str; a Page's is a tuple's, made again at every lookup), the page
        # itself checked on a hit: a rebuild keeps most pages as the very same objects.
        key = (page.url, templates_digest)
        hit = memo.peek(key) if memo is not None else None
        if hit is not None and (hit[0] is page or hit[0] == page) and hit[1] == digests:
            return hit[2]
        parts = [templates_digest, page.url, page.template, repr(page.args)]
        parts += [f"{name}={digest}" for name, digest in zip(page.inputs, digests)]
        fingerprint = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()
        if memo is not None:
            memo.put(key, (page, digests, fingerprint))
        return fingerprint
