"""The fingerprints of the last good build, kept beside the caches: a warm build in a new process
renders only the pages whose fingerprint changed (the dev server keeps the same in memory).

A state is valid only for the same code (our package and the KaTeX version) and output folder;
templates, config and content are inside each page's fingerprint. The state is removed before a
build's first write to output/ and written when the build ends complete and without errors, so a
killed or failed build leaves none and the next build renders everything. One build at a time
writes an output folder (`output_lock`): a second build waits for the first, then sees its state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent builds of one output are not serialised
    fcntl = None

STATE_VERSION = "2"


def code_digest(project: Path) -> str:
    """Our package and the KaTeX version: what turns the same inputs into pages."""
    digest = hashlib.sha256(STATE_VERSION.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".js", ".yaml")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    katex = project / "node_modules" / "katex" / "package.json"
    digest.update(katex.read_bytes() if katex.is_file() else b"no katex")
    return digest.hexdigest()


def _state_path(cache_dir: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache_dir / "state" / f"{name}.json"


def load_state(cache_dir: Path, output: Path, key: str) -> tuple[dict[str, str], bool] | None:
    """(output path -> fingerprint, whether that build also indexed the search), or None."""
    try:
        state = json.loads(_state_path(cache_dir, output).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("key") != key or not isinstance(state.get("pages"), dict):
        return None
    return state["pages"], bool(state.get("indexed"))


def save_state(cache_dir: Path, output: Path, key: str, fingerprints: dict[str, str], indexed: bool) -> None:
    data = json.dumps({"key": key, "indexed": indexed, "pages": fingerprints}, sort_keys=True)
    _write_atomic(_state_path(cache_dir, output), data)


def _write_atomic(path: Path, data: str) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # without a state the next build renders everything: slower, never wrong
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def forget_state(cache_dir: Path, output: Path) -> None:
    for path in (_state_path(cache_dir, output), _state_path(cache_dir, output).with_suffix(".noop")):
        with contextlib.suppress(OSError):
            path.unlink()


@dataclass(frozen=True)
class Lease:
    """The hold of one build on an output folder: `previous` names the build that wrote it last (None if
    unknown), `mine` this one. A long-lived builder whose last lease is not `previous` knows another process
    wrote output/ in between, and trusts nothing it remembers of it."""

    previous: str | None
    mine: str | None


@contextlib.contextmanager
def output_lock(cache_dir: Path, output: Path):
    """Hold the lock of one output folder (yields a `Lease`): another build of it waits here until this one
    is done.

    An advisory lock on a file beside the state, which also names the build holding it; the kernel
    releases the lock when its holder ends, even by `kill -9`, so a killed build never leaves one behind.
    Without a lock file (a read-only cache) the build goes on unlocked.
    """
    handle, lease = None, Lease(None, None)
    try:
        path = _state_path(cache_dir, output).with_suffix(".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # held for the whole block
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        handle.seek(0)
        previous = handle.read(64).decode("ascii", "replace") or None
        mine = os.urandom(8).hex()
        handle.truncate(0)
        handle.write(mine.encode("ascii"))
        handle.flush()
        lease = Lease(previous, mine)
    except OSError:
        pass
    try:
        yield lease
    finally:
        if handle is not None:
            handle.close()  # releases the lock


def sweep_leftovers(cache_dir: Path, older_than: float = 3600.0) -> None:
    """Temporary files of cache writes that were killed half-way (an hour old: no build is still writing them)."""
    limit = time.time() - older_than
    for folder in (cache_dir, cache_dir / "state"):
        try:
            leftovers = [p for p in folder.iterdir() if p.name.startswith(".tmp-")]
        except OSError:
            continue
        for path in leftovers:
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < limit:
                    path.unlink()


# -- nothing changed ------------------------------------------------------------------------------
# A build in a new process first stats what it would read: every file under the source and theme folders
# (path, size, mtime, ctime, inode), the git commit, the options. When that stamp is the one the last good build
# of this output left, and no other build has written output/ since (the lease) and every file it wrote
# is still there, the build is a no-op: it reports what that build reported and reads nothing else.


def inputs_stamp(code: str, folders: list[Path], extra: list[str], skip: list[Path]) -> str:
    digest = hashlib.sha256("\0".join([code, *extra]).encode("utf-8", "surrogateescape"))
    skipped = {str(p.resolve()) for p in skip}
    for folder in folders:
        digest.update(f"\0folder {folder}\0".encode("utf-8", "surrogateescape"))
        for root, dirs, names in os.walk(folder):
            # Hidden folders are not read (.git: its commit is in `extra`), nor output/ and the cache.
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and str(Path(root, d).resolve()) not in skipped)
            for name in sorted(names):
                try:
                    st = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                rel = os.path.relpath(os.path.join(root, name), folder)
                digest.update(
                    f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_mode}\0".encode(
                        "utf-8", "surrogateescape"
                    )
                )
    return digest.hexdigest()


def save_noop(
    cache_dir: Path, output: Path, stamp: str, lease: str | None, counts: tuple[int, int], diagnostics: list
) -> None:
    """`counts`: (pages, content files read) of the build being remembered."""
    if lease is None:
        return
    data = {
        "stamp": stamp,
        "lease": lease,
        "counts": list(counts),
        "diagnostics": [[d.path, d.line, d.level, d.message] for d in diagnostics],
    }
    _write_atomic(_state_path(cache_dir, output).with_suffix(".noop"), json.dumps(data))


def load_noop(cache_dir: Path, output: Path, stamp: str, lease: Lease, manifest: str) -> tuple[tuple, list] | None:
    """((pages, content files), diagnostics) of the last build when nothing changed since (above), else None."""
    try:
        data = json.loads(_state_path(cache_dir, output).with_suffix(".noop").read_text(encoding="utf-8"))
        if data["stamp"] != stamp or data["lease"] != lease.previous or lease.previous is None:
            return None
        written = (output / manifest).read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not written or not all(os.path.exists(output / rel) for rel in written):
        return None
    return tuple(data["counts"]), data["diagnostics"]
