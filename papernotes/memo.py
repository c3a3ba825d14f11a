"""The one kind of cache: a bounded memo keyed by (a digest of) the full inputs of what it holds.

A wrong key can only cost time: a key that includes every input can never
return a value those inputs would not make. Least recently used entries are
dropped past `limit`, so a long dev session does not grow without bound.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import tempfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
# A stored memo file: this header (magic, payload length, CRC-32 of the payload), then the pickle. A file
# cut short or damaged does not match it and reads as an empty memo.
_MAGIC = b"papernotes-memo-1\0"
_HEADER = struct.Struct("<QI")


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


class StoredMemo:
    """A memo kept in one file between processes: str key (a digest of full inputs) -> picklable value.

    Loaded on first use. `save(evict=True)` (after a build that asked for every entry it needs)
    keeps only the entries that build used; `save(evict=False)` (the dev server) keeps all. A file
    that cannot be read, or is truncated or damaged (its checksum tells), is an empty memo: a cache
    only ever costs time.
    """

    def __init__(self, path: Path):
        self.path = path
        self._old: dict | None = None
        self._new: dict = {}
        self._dirty = False

    def _load(self) -> dict:
        collecting = gc.isenabled()
        gc.disable()  # loading makes many objects at once: the collector would only slow it down (2x)
        try:
            with open(self.path, "rb") as fh:
                raw = fh.read()
            start = len(_MAGIC) + _HEADER.size
            if not raw.startswith(_MAGIC):
                return {}
            length, crc = _HEADER.unpack_from(raw, len(_MAGIC))
            payload = memoryview(raw)[start:]
            if len(payload) != length or zlib.crc32(payload) != crc:
                return {}
            data = pickle.loads(payload)
            gc.freeze()  # long-lived: keep the collector from scanning them again and again during the build
            return data if isinstance(data, dict) else {}
        except Exception:  # missing, unreadable, from another Python: start empty
            return {}
        finally:
            if collecting:
                gc.enable()

    def get(self, key: str, make: Callable[[], T]) -> T:
        if key in self._new:
            return self._new[key]
        if self._old is None:
            self._old = self._load()
        if key in self._old:
            value = self._old[key]
        else:
            value = make()
            self._dirty = True
        self._new[key] = value
        return value

    def peek(self, key: str):
        """The value kept for `key` (kept by the next save), or None."""
        if key in self._new:
            return self._new[key]
        if self._old is None:
            self._old = self._load()
        if key in self._old:
            self._new[key] = self._old[key]
            return self._new[key]
        return None

    def put(self, key: str, value: T) -> T:
        self._new[key] = value
        self._dirty = True
        return value

    def save(self, evict: bool = True) -> None:
        old = self._old or {}
        keep = self._new if evict else {**old, **self._new}
        if self._dirty or (evict and len(keep) != len(old)):
            tmp = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
                with os.fdopen(fd, "wb") as fh:
                    # Streamed, not pickled into one bytes object first (hundreds of MB on a large site):
                    # the header (length, CRC) is written last, over a placeholder.
                    fh.write(_MAGIC + _HEADER.pack(0, 0))
                    counted = _Counted(fh)
                    pickle.dump(keep, counted, protocol=pickle.HIGHEST_PROTOCOL)
                    fh.seek(len(_MAGIC))
                    fh.write(_HEADER.pack(counted.length, counted.crc))
                os.replace(tmp, self.path)
                tmp = None
            except OSError:
                pass  # not kept: the next build only takes longer
            finally:
                if tmp is not None:  # interrupted or failed: leave no partial file behind
                    try:
                        os.unlink(tmp)
                    except OSError:
                        pass
        self._old, self._new, self._dirty = keep, {}, False


class _Counted:
    """A binary file that keeps the length and CRC-32 of what is written to it."""

    def __init__(self, fh) -> None:
        self.fh, self.length, self.crc = fh, 0, 0

    def write(self, data) -> int:
        self.length += len(data)
        self.crc = zlib.crc32(data, self.crc)
        return self.fh.write(data)
