"""The build's stages as they start and end (read, merge, render, pages, write, index), for a progress
display: the pipeline says what it is doing, the command decides whether and how to show it
(papernotes/commands/progress.py). Without a listener nothing is measured or shown."""

from __future__ import annotations

import contextlib
import time
from typing import Protocol


class StageListener(Protocol):
    def started(self, name: str) -> None: ...

    def done(self, name: str, seconds: float, detail: str) -> None: ...


class Stage:
    detail = ""  # what the stage did, for its line ("27,544 files")


class Stages:
    def __init__(self, listener: StageListener | None = None) -> None:
        self.listener = listener

    @contextlib.contextmanager
    def __call__(self, name: str):
        stage = Stage()
        if self.listener is None:
            yield stage
            return
        self.listener.started(name)
        began = time.perf_counter()
        yield stage
        self.listener.done(name, time.perf_counter() - began, stage.detail)
