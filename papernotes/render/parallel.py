"""Markdown on both cores: a share of the documents is rendered by a forked worker process.

Python-Markdown is pure Python and holds the GIL, so a thread cannot help. A process forked from the
build inherits the document renderer as it stands (the math convention, the post and citation targets,
the image lookups), so nothing is pickled but the results. Only a single-threaded process forks (a lock
another thread held at the fork would stay held in the child): the command-line build, before KaTeX's
thread starts. The dev server, with its threads, renders on one core. Either way the results are the
same, since a document's rendering is a function of its inputs.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor

from ..sources.documents import Document
from .documents import DocumentRenderer

# Below this many documents to render, forking and pickling the results cost more than they save (the
# fork is ~10 ms; 1,000 bench notes: the render stage 8.8 s on one core, 7.4-7.8 s with the worker).
MIN_DOCUMENTS = 200
# The worker's share: this process also finds every document's formulas for KaTeX and fills them in.
WORKER_SHARE = 0.55
_JOB: tuple | None = None  # what the forked worker renders: inherited at the fork, never pickled


def _render_share() -> list:
    renderer, documents, digests, base_path = _JOB
    return [renderer.render(d, digests[d.path], base_path) for d in documents]


def _die_with_parent(parent: int) -> None:
    """In the worker: Linux kills it when the build dies (a `kill -9` leaves no worker rendering on)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (ImportError, OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def can_fork() -> bool:
    return (
        threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
        and len(os.sched_getaffinity(0)) > 1
    )


class MarkdownShare:
    """Started before any thread of the render (so the fork is safe), collected by `results()`."""

    def __init__(self, renderer: DocumentRenderer, documents: list[Document], digests: dict, base_path: str):
        self.renderer, self.digests, self.base_path = renderer, digests, base_path
        self.here, self.there = documents, []
        self._pool = self._future = None
        if len(documents) < MIN_DOCUMENTS or not can_fork():
            return
        global _JOB
        split = len(documents) - int(len(documents) * WORKER_SHARE)
        _JOB = (renderer, documents[split:], digests, base_path)
        frozen = gc.get_freeze_count() > 0
        gc.freeze()  # the child's collector leaves the inherited objects alone (no copy of their pages)
        try:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(1, context, _die_with_parent, (os.getpid(),))
            self._future = self._pool.submit(_render_share)  # forks here, before the pool's own threads
            self.here, self.there = documents[:split], documents[split:]
        except OSError:
            self._close()
        finally:
            _JOB = None
            if not frozen:
                gc.unfreeze()

    def results(self) -> dict[str, tuple]:
        """document path -> (body, excerpt): this process's share rendered now, then the worker's."""
        out = {d.path: self.renderer.render(d, self.digests[d.path], self.base_path) for d in self.here}
        if self._future is None:
            return out
        try:
            theirs = self._future.result()
        except Exception:  # the worker died or failed: its share is rendered here, as without it
            theirs = [self.renderer.render(d, self.digests[d.path], self.base_path) for d in self.there]
        finally:
            self._close()
        for doc, result in zip(self.there, theirs):
            out[doc.path] = self.renderer.adopt(doc, self.digests[doc.path], self.base_path, result)
        return out

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._future = None
