"""The one kind of cache: a bounded memo keyed by (a digest of) the full inputs of what it holds.

A wrong key can only cost time: a key that includes every input can never
return a value those inputs would not make. Least recently used entries are
dropped past `limit`, so a long dev session does not grow without bound.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self, limit: int = 100_000):
        self.limit = limit
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        items = self._items
        if key in items:
            items.move_to_end(key)
            self.hits += 1
            return items[key]  # type: ignore[return-value]
        self.misses += 1
        value = make()
        items[key] = value
        if len(items) > self.limit:
            items.popitem(last=False)
        return value

    def put(self, key: Hashable, value: T) -> T:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.limit:
            self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable):
        """The value kept for `key` (marked as recently used), or None."""
        if key in self._items:
            self._items.move_to_end(key)
            self.hits += 1
            return self._items[key]
        return None

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
