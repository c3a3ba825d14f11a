"""Diagnostics are values: every problem with the input becomes one of these.

Readers and renderers return them; the build collects them and prints each once
as ``path:line: level: message``. Nothing here raises or prints by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based; a problem of the whole file is on its line 1 (never 0: editors jump to `path:line`)
    level: str
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.line, int) or self.line < 1:
            object.__setattr__(self, "line", max(1, int(self.line or 1)))

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.format()


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), int(line or 1), ERROR, message)


def warning(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(str(path), int(line or 1), WARNING, message)


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collection of diagnostics (a set beside the list: adding is O(1))."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items, self.items = self.items, []
        self.extend(items)

    def add(self, diag: Diagnostic) -> None:
        if diag not in self._seen:
            self._seen.add(diag)
            self.items.append(diag)

    def extend(self, diags) -> None:
        for d in diags:
            self.add(d)

    def error(self, path: str, line: int, message: str) -> None:
        self.add(error(path, line, message))

    def warning(self, path: str, line: int, message: str) -> None:
        self.add(warning(path, line, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def for_path(self, path: str) -> list[Diagnostic]:
        return [d for d in self.items if d.path == path]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
