"""Full-text search: run Pagefind over the finished output/ as the last build step.

Pagefind (the `pagefind[extended]` PyPI package, whose extended binary segments
Chinese) reads the built HTML and writes a static index + `pagefind.js` into
`output/pagefind/`. Pages choose what is indexed with `data-pagefind-body`,
`data-pagefind-filter` and `data-pagefind-meta`; this module only runs it.

Why the detours:
- The index is built into a fresh temporary folder inside output/ and then
  renamed into place, so a run never mixes old and new fragments, a failed run
  keeps the previous index, and nothing stale survives.
- Pagefind's filter and meta files are not byte-stable between runs (their
  contents follow Rust hash-map order), so we record a digest of the indexed
  HTML and skip the run when it did not change: an unchanged site keeps a
  byte-identical index and costs nothing to rebuild.
- Problems come back as Diagnostics; nothing here raises into the build.
- On Linux Pagefind dies with the build that started it (even one killed with
  `kill -9`), so an orphaned run never writes into output/ while the next build
  sweeps the temporary folders.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .diagnostics import Diagnostic, error, warning

BUNDLE_DIR = "pagefind"
STAMP = ".papernotes-inputs"  # digest of what the index was built from, kept inside the bundle
TMP_PREFIX = ".pagefind-tmp-"
OLD_PREFIX = ".pagefind-old-"
INSTALL_HINT = "pip install 'pagefind[extended]'"
TIMEOUT_SECONDS = 600


def _pagefind_executable() -> tuple[Path | None, bool]:
    """(binary, is_extended). The binary ships inside the PyPI wheel; no network is needed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None, False
    binary = get_executable()
    if binary is None:
        return None, False
    return Path(binary), "extended" in Path(binary).name or "pagefind_bin_extended" in str(binary)


def _dies_with_us():
    """A `preexec_fn` asking Linux to SIGKILL the child when this process dies, or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_death_signal() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the build died before the line above: do not outlive it
            os._exit(1)

    return set_death_signal


def _version(binary: Path) -> str:
    try:
        done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60)
        return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def inputs_digest(output: Path, extra: str = "", folders: tuple[str, ...] | None = None) -> str:
    """Digest of every HTML file Pagefind would read (path + bytes), in sorted order."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if rel.split("/", 1)[0] == BUNDLE_DIR or rel.startswith((TMP_PREFIX, OLD_PREFIX)):
            continue
        if folders is not None and rel.split("/", 1)[0] not in folders:
            continue
        digest.update(rel.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _remove_leftovers(output: Path) -> None:
    """Temporary folders of a run that was killed half-way."""
    for path in output.iterdir():
        if path.is_dir() and path.name.startswith((TMP_PREFIX, OLD_PREFIX)):
            shutil.rmtree(path, ignore_errors=True)


def _swap_in(output: Path, fresh: Path) -> None:
    """Replace output/pagefind by `fresh`: two renames on one file system, then delete the old index."""
    final = output / BUNDLE_DIR
    old = None
    if final.exists() or final.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX, dir=output))
        os.rename(final, old / BUNDLE_DIR)
    os.rename(fresh, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def run_pagefind(output: Path, folders: tuple[str, ...] | None = None) -> list[Diagnostic]:
    """Index output/ into output/pagefind/. Returns diagnostics; never raises.

    `folders`: the top-level output folders holding the pages that carry `data-pagefind-body`;
    Pagefind then skips parsing the (large) list pages it would not index anyway.
    """
    output = Path(output)
    where = str(output)  # a folder: its messages have no line
    if not output.is_dir():
        return [error(where, 0, f"search index not built: {output} does not exist")]
    binary, extended = _pagefind_executable()
    if binary is None:
        return [error(where, 0, f"search index not built: Pagefind is not installed; run {INSTALL_HINT}")]
    diags: list[Diagnostic] = []
    if not extended:
        diags.append(
            warning(where, 0, f"Pagefind without the extended binary does not segment Chinese; run {INSTALL_HINT}")
        )
    fresh: Path | None = None
    try:
        _remove_leftovers(output)
        digest = inputs_digest(output, _version(binary) + repr(folders), folders)
        final = output / BUNDLE_DIR
        try:
            if (final / STAMP).read_text(encoding="utf-8") == digest and (final / "pagefind.js").is_file():
                return diags  # nothing Pagefind reads has changed: keep the byte-identical index
        except OSError:
            pass
        fresh = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=output))
        glob = ["--glob", "{" + ",".join(folders) + "}/**/*.html"] if folders else []
        done = subprocess.run(
            [str(binary), "--site", str(output), "--output-path", str(fresh), "--quiet", *glob],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_dies_with_us(),
        )
        if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            message = detail[-1] if detail else f"exit status {done.returncode}"
            return diags + [
                error(
                    where, 0, f"search index not built: Pagefind failed: {message}; the previous index (if any) is kept"
                )
            ]
        (fresh / STAMP).write_text(digest, encoding="utf-8")
        _swap_in(output, fresh)
        fresh = None
        for line in (done.stderr + done.stdout).splitlines():
            if "error" in line.lower():
                diags.append(warning(where, 0, f"Pagefind: {line.strip()}"))
        return diags
    except (OSError, subprocess.SubprocessError) as exc:
        return diags + [
            error(where, 0, f"search index not built: {type(exc).__name__}: {exc}; check that {INSTALL_HINT} works")
        ]
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
