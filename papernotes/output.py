"""output/ itself: the one place an output path is made and a file goes in or out.

Every output path is made by `OutputFolder.path` from a `normalised` relative path; what would resolve
outside output/ is refused with an error naming the source that asked. Files are written to a temporary
sibling and renamed into place (a killed build leaves the old file; its `.tmp-*` are swept next time); a
file that is not there yet is created in place (exclusively, never through a link: a build killed while
writing it leaves a short file no fingerprint vouches for, so the next build writes it again); unchanged
bytes are not rewritten. Two sources claiming one path is an error naming both; an OS error is
one message, never a traceback. The manifest lists what the writer made, so prune deletes only that.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, error

MANIFEST = ".papernotes-manifest"
TMP_PREFIX = ".tmp-"
_TMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}\Z")  # what tempfile.mkstemp(prefix=TMP_PREFIX) names a file


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)  # output-relative paths whose bytes changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    rendered: int = 0
    rendered_paths: list[str] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # output path -> fingerprint it was made with


class Refused(ValueError):
    """An output path that would not stay inside output/; the message says why."""


def normalised(rel: str) -> tuple[str, str | None]:
    """(the normal form of a site-relative output path, 'a/./b/../c' -> 'a/c', None), or (rel, why it is
    refused): a backslash or control character (NUL), absolute, climbing out of output/, a name kept for us."""
    if re.search(r"[\x00-\x1f\\]", rel):  # a line break would also split the manifest's line
        return rel, "it holds a backslash or a control character"
    if rel.startswith("/") or re.match(r"[A-Za-z]:", rel):
        return rel, "it is an absolute path"
    normal = posixpath.normpath(rel)
    if normal == ".." or normal.startswith("../"):
        return rel, "it climbs out of the output folder"
    if normal in (".", MANIFEST) or posixpath.basename(normal).startswith(TMP_PREFIX):
        return rel, "it names the output folder or a file the writer keeps for itself"
    return normal, None


def check_collisions(claims: list[tuple[str, str, tuple[str, int]]]) -> tuple[dict[str, str], list[Diagnostic]]:
    """claims: (normalised output path, who made it, (source, line)). Returns the owner of each path (its
    first claimant) + an error at every other claimant, naming both with their lines."""
    owners: dict[str, tuple[str, tuple[str, int]]] = {}
    diags = []
    for rel, owner, where in claims:
        first = owners.setdefault(rel, (owner, where))
        if first[0] != owner:
            both = " and ".join(f"{path}:{line}" if line else path for path, line in (first[1], where))
            diags.append(error(*where, f"output path collision: {rel} is made by both {both}"))
    return {rel: owner for rel, (owner, _) in owners.items()}, diags


class OutputFolder:
    """output/ during one write: every file goes in and out through `path`. A refused path is an error at
    the source that asked; OS errors are one message per kind, naming the first path and how many more."""

    def __init__(self, root: Path, report: WriteReport, diags):
        self.root, self.report, self.diags = root, report, diags
        self.real = os.path.realpath(root)
        self._inside: set[str] = set()  # folders known to resolve inside output/
        self._made: set[str] = set()  # folders this write created: empty but for what it put there since
        self._faults: dict[int, list[str]] = {}

    def open(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return True
        except OSError as exc:
            why = "it is a file, not a folder" if os.path.isfile(self.root) else exc.strerror or str(exc)
            self.diags.error(str(self.root), 0, f"cannot use it as the output folder: {why}")
            return False

    def path(self, rel: str) -> Path:
        """output/rel for a `normalised` rel, or Refused when a folder on the way links out of output/."""
        return Path(self._place(rel)[1])

    def _place(self, rel: str, make: bool = False) -> tuple[str, str]:
        """(rel's folder, output/rel) once the folders on the way are known to stay inside output/ (`make`:
        the missing ones are created), or Refused."""
        folder = posixpath.dirname(rel)
        if folder and folder not in self._inside:
            self._check(folder, make)
        return folder, os.path.join(self.root, rel)

    def _check(self, folder: str, make: bool = False) -> None:
        """Add `folder` to the folders known to resolve inside output/ (its parents first, so a plain folder
        under a known one costs one lstat), or raise Refused. `make`: create it (with its parents) if it is
        not there; a folder made here holds nothing this write did not put in it."""
        parent = posixpath.dirname(folder)
        if parent and parent not in self._inside:
            self._check(parent, make)
        path = os.path.join(self.root, folder)
        plain = _plain_folder(path)
        if plain is None and make:
            try:
                os.mkdir(path)
                self._made.add(folder)
            except FileExistsError:  # made meanwhile by someone else: check what it is
                plain = _plain_folder(path)
        if plain is False:
            real = os.path.realpath(path)
            if real != self.real and not real.startswith(self.real.rstrip(os.sep) + os.sep):
                raise Refused(f"{folder}/ in the output folder leads outside it (to {real})")
        self._inside.add(folder)

    def put(self, rel: str, data: bytes | Path, where: tuple[str, int], counted: bool = True) -> bool:
        """Write `data` (bytes, or a file to copy) at rel unless the file there holds it already."""
        try:
            folder, target = self._place(rel, make=True)
            if not (folder in self._made and _created(target, data)):  # a new folder: no lstat first
                found = _holds(target, data)
                if found:
                    self.report.unchanged += counted
                    return True
                if found is None:  # nothing there (a folder on the way may have gone since it was checked)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                (_create if found is None else _replace)(target, data)
        except Refused as why:
            self.diags.error(*where, f"refused to write {rel}: {why}")
            return False
        except OSError as exc:
            kind = errno.ENOTDIR if exc.errno == errno.EEXIST else exc.errno or 0  # a file in a folder's place
            self._faults.setdefault(kind, []).append(f"cannot write {rel}: {self._why(rel, exc)}")
            return False
        self.report.written += [rel] if counted else []
        return True

    def _why(self, rel: str, exc: OSError) -> str:
        parts = rel.split("/")
        files = [f for f in ("/".join(parts[:n]) for n in range(1, len(parts))) if os.path.isfile(self.root / f)]
        if exc.errno in (errno.EEXIST, errno.ENOTDIR) and files:
            return f"{files[0]} is a file, not a folder"
        elsewhere = exc.filename and not str(exc.filename).startswith(str(self.root))
        return (exc.strerror or str(exc)) + (f" ({exc.filename})" if elsewhere else "")

    def close(self) -> None:
        for messages in self._faults.values():
            more = f" (and {len(messages) - 1} more files)" if len(messages) > 1 else ""
            self.diags.error(str(self.root), 0, messages[0] + more)

    def sweep(self) -> None:
        """Remove the temporary files a killed build left (only names this writer makes)."""
        for folder, _, files in os.walk(self.root):
            for path in (os.path.join(folder, name) for name in files if _TMP_NAME.match(name)):
                with contextlib.suppress(OSError):
                    os.unlink(path)  # a link of that name goes, never what it points to

    def prune(self, previous: set[str], keep: set[str]) -> None:
        """Remove the regular files the last build recorded (`previous`) that this one did not produce, and
        folders left empty; never a file a user dropped in, a link, or anything behind a folder linking out."""
        for rel in sorted(previous - keep):
            try:
                target = self.path(rel)
                if not stat.S_ISREG(os.lstat(target).st_mode):
                    continue
                target.unlink()
            except (OSError, Refused):
                continue
            self.report.removed.append(rel)
            with contextlib.suppress(OSError):  # rmdir refuses a folder that is not empty
                for parent in target.relative_to(self.root).parents[:-1]:
                    (self.root / parent).rmdir()


def _plain_folder(path: str) -> bool | None:
    """Is `path` a folder that is not a link (True), something else (False), or nothing yet (None)?"""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return None
    except OSError:
        return False


def _holds(target: Path | str, data: bytes | Path) -> bool | None:
    """Is target a regular file with these bytes already? False when something else is there (a link is
    replaced, never followed), None when nothing is (or its folder is not there yet)."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    with contextlib.suppress(OSError):
        data = data if isinstance(data, bytes) else Path(data).read_bytes()
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(target, "rb") as there:
            return there.read() == data
    return False


def _created(target: str, data: bytes | Path) -> bool:
    """`_create`, or False when something is there already (made by another process since)."""
    try:
        _create(target, data)
    except FileExistsError:
        return False
    return True


def _create(target: Path | str, data: bytes | Path) -> None:
    """A new file, made in place: O_EXCL and O_NOFOLLOW, so it never writes through whatever appeared there."""
    payload = data if isinstance(data, bytes) else Path(data).read_bytes()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        os.fchmod(fd, 0o644)  # whatever the umask
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    os.close(fd)


def _replace(target: Path | str, data: bytes | Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data if isinstance(data, bytes) else Path(data).read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_manifest(output: Path, diags=None) -> set[str]:
    """The output paths the last build recorded, normalised. A line that is not a path inside output/
    is ignored (a warning with `diags`): the manifest decides what prune may delete."""
    try:
        text = (output / MANIFEST).read_text(encoding="utf-8", errors="surrogateescape")
    except (OSError, ValueError):
        return set()
    lines = [(number, line, *normalised(line)) for number, line in enumerate(text.split("\n"), 1) if line]
    for number, line, _, problem in lines if diags is not None else ():
        if problem:
            diags.warning(str(output / MANIFEST), number, f"ignored {line!r}: {problem}")
    return {rel for _, _, rel, problem in lines if not problem}
