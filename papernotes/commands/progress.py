"""Progress of a long build on standard error: one line per finished stage (`papernotes: render  12.3 s
1,000 documents`), and on a terminal the stage under way on the line being written. A build that ends
within `after` seconds (most rebuilds) shows nothing but its summary; a longer one shows every stage,
the early ones too, once it passes that mark."""

from __future__ import annotations

import sys
import time

MODES = ("auto", "always", "never")
AFTER = 3.0  # seconds: shorter builds print only their summary


class StageLog:
    def __init__(self, stream=None, mode: str = "auto", after: float = AFTER) -> None:
        self.stream = stream or sys.stderr
        self.mode = mode
        self.after = 0.0 if mode == "always" else after
        self.began = time.perf_counter()
        self.pending: list[str] = []  # finished stages not shown yet (the build was still short)
        self.live = mode != "never" and _is_terminal(self.stream)
        self.showing = False

    def started(self, name: str) -> None:
        if self.mode == "never":
            return
        self._catch_up()
        if self.showing and self.live:
            self.stream.write(f"\rpapernotes: {name} …")
            self.stream.flush()

    def done(self, name: str, seconds: float, detail: str) -> None:
        if self.mode == "never":
            return
        line = f"papernotes: {name:<7} {seconds:6.1f} s" + (f"  {detail}" if detail else "")
        self.pending.append(line)
        self._catch_up()

    def _catch_up(self) -> None:
        if not self.showing and time.perf_counter() - self.began >= self.after:
            self.showing = True
        if self.showing and self.pending:
            prefix = "\r\x1b[K" if self.live else ""  # the live line of the stage that just ended goes
            self.stream.write("".join(prefix + line + "\n" for line in self.pending))
            self.stream.flush()
            self.pending.clear()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
