"""The only module that touches output/: Jinja2 rendering, atomic writes, pruning.

Every file is written to a temporary sibling and renamed into place, so a
server never serves half a page and a killed build leaves the old file. A file
whose bytes did not change is not rewritten (its mtime tells the dev loop what
moved). Two pages claiming one output path is an error, never an overwrite.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic, error

MANIFEST = ".papernotes-manifest"


def make_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)  # output-relative paths whose bytes changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(target.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_if_changed(output: Path, rel: str, data: bytes, report: WriteReport) -> None:
    target = output / rel
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            report.unchanged += 1
            return
    except OSError:
        pass
    atomic_write(target, data)
    report.written.append(rel)


def check_collisions(claims: list[tuple[str, str]]) -> tuple[dict[str, str], list[Diagnostic]]:
    """claims: (output path, who made it). Returns the owner of each path + errors."""
    owners: dict[str, str] = {}
    diags = []
    for path, owner in claims:
        if path in owners and owners[path] != owner:
            diags.append(error(owner.split(":")[0], 0,
                               f"output path collision: {path} is made by both {owners[path]} and {owner}"))
            continue
        owners.setdefault(path, owner)
    return owners, diags


def copy_file_if_changed(output: Path, rel: str, source: Path, report: WriteReport) -> None:
    target = output / rel
    try:
        s, t = source.stat(), target.stat()
        if s.st_size == t.st_size and source.read_bytes() == target.read_bytes():
            report.unchanged += 1
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(target.parent))
    os.close(fd)
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    report.written.append(rel)


def read_manifest(output: Path) -> set[str]:
    try:
        return set((output / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    except OSError:
        return set()


def prune(output: Path, keep: set[str], report: WriteReport, previous: set[str] | None = None) -> None:
    """Remove files an earlier build wrote that this build did not produce.

    Only files listed in the previous manifest are candidates, so files a user
    dropped into output/ by hand (or pagefind's index) are never touched here.
    """
    previous = read_manifest(output) if previous is None else previous
    for rel in sorted(previous - keep):
        target = output / rel
        try:
            target.unlink()
            report.removed.append(rel)
        except OSError:
            continue
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    atomic_write(output / MANIFEST, ("\n".join(sorted(keep)) + "\n").encode("utf-8"))
