"""`python build.py export --format json|csv|bibtex [-o FILE]`: every merged paper, with topics.

The export is UTF-8 bytes whatever the terminal's encoding (JSON is UTF-8 by RFC 8259, and a file
redirected from stdout should not depend on the locale). Faults are one message, not a traceback:
a target that cannot be written is `cannot write PATH: reason` and exit 1 (checked before the model
is read, so a typo fails at once); a file is replaced atomically, so a failed export leaves the old
one; a reader that stops early (`export | head -1`) ends the export quietly with exit 141, as
`cat` would after SIGPIPE.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import stat
import sys

from ..diagnostics import Diagnostics
from ..export import export_papers
from ..pipeline import Builder, BuildOptions

EXIT_BROKEN_PIPE = 128 + 13  # what the shell shows for a process killed by SIGPIPE


def run_export(options: BuildOptions, fmt: str, out: str = "-") -> int:
    target = "standard output" if out == "-" else out
    problem = _target_problem(out)
    if problem:
        print(f"cannot write {target}: {problem}", file=sys.stderr)
        return 1
    diags = Diagnostics()
    builder = Builder(options)
    _, _, papers, _ = builder.read_model(diags)
    for diag in diags:
        print(diag.format(), file=sys.stderr)
    data = export_papers(papers, fmt).encode("utf-8")
    try:
        if out == "-":
            write_stdout(data)
        else:
            write_file(out, data)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        print(f"cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        if out == "-":
            _silence_stdout()
        return 1
    if out != "-":
        print(f"exported {len(papers)} papers as {fmt} to {out}", file=sys.stderr)
    return 1 if diags.errors else 0


def _target_problem(out: str) -> str | None:
    """Why `out` cannot be written, if that is clear before trying (a missing or non-folder parent)."""
    if out == "-":
        return None if sys.stdout is not None else "it is closed"
    parent = os.path.dirname(out) or "."
    if os.path.isdir(parent):
        return None
    return os.strerror(errno.ENOTDIR if os.path.exists(parent) else errno.ENOENT)


def write_stdout(data: bytes) -> None:
    """Write bytes to standard output's binary layer, all of them.

    With PYTHONUNBUFFERED that layer is the raw file, whose `write` may take only part of the data
    (and returns None when a parent left the pipe non-blocking), so we loop.
    """
    stream = sys.stdout
    stream.flush()
    raw = getattr(stream, "buffer", None)
    if raw is None:  # a text-only stand-in (an embedding program's stream)
        stream.write(data.decode("utf-8"))
        stream.flush()
        return
    view = memoryview(data)
    while view:
        written = raw.write(view)
        if written is None:
            select.select([], [raw], [])
            continue
        view = view[written:]
    raw.flush()


def write_file(path: str, data: bytes) -> None:
    """Replace `path` with `data` atomically: a temporary file beside it, then a rename.

    A symlink keeps pointing where it did (its target is replaced), an existing file keeps its
    mode; what is not a regular file (/dev/stdout, a FIFO), or sits in a folder where we may not
    create the temporary file, is written in place.
    """
    real = os.path.realpath(path)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    folder, name = os.path.split(real)
    tmp = os.path.join(folder, f".{name}.tmp-{os.getpid()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = None
    if mode is None or stat.S_ISREG(mode):
        with contextlib.suppress(OSError):  # say, a folder we may not write in: try the file itself
            fd = os.open(tmp, flags, 0o666)
    if fd is None:  # (a directory fails here, with its own message)
        with open(real, "wb") as f:
            f.write(data)
        return
    try:
        with open(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so flushing what is left at exit cannot fail (and print) again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
