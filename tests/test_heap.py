"""Issue 13: memory a build has freed goes back to the system (papernotes/heap.py)."""

from __future__ import annotations

import os

import pytest

from papernotes import heap


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(heap._TRIM is None or not os.path.exists("/proc/self/statm"), reason="glibc on Linux only")
def test_freed_memory_between_live_objects_is_given_back():
    # 200 MiB of 2 KiB strings (glibc's heap, not Python's small-object arenas), one in 64 kept alive: the
    # freed ones are holes glibc keeps for itself, as after a render stage.
    chunks = [os.urandom(16) * 128 for _ in range(100_000)]
    kept = chunks[::64]
    del chunks
    before = _rss_mib()
    heap.give_back()
    after = _rss_mib()
    assert before - after > 100, f"RSS {before:.0f} -> {after:.0f} MiB"
    assert len(kept) == 1563


def test_frozen_unfreezes_however_the_block_ends():
    import gc

    gc.unfreeze()  # a dev build earlier in this process leaves its memos frozen
    with pytest.raises(RuntimeError), heap.frozen(True):
        assert gc.get_freeze_count() > 0
        raise RuntimeError
    assert gc.get_freeze_count() == 0
