"""What bench/run.py measures about a child process, and its baseline workload. Stdlib only, Linux /proc.

- ``run_measured(cmd, cwd)``: wall seconds; ``os.wait4``'s ru_maxrss (the largest of the process and the
  children it reaped); and, sampled from /proc every ``INTERVAL`` seconds, the resident memory of the whole
  process tree (the build, its KaTeX node workers, Pagefind): the peak of the sum and the peak of the largest
  process, with its name. A sum of RSS counts shared pages (libraries) once per process: an upper bound; a
  child forked and not yet exec'd counts with the pages it does not share with its parent.
- ``tree_size(folder)``: files and bytes (sum of file sizes) under a folder.
- ``reference(source, scratch)``: the fixed workload every figure is also given as a ratio of, measured in
  the same run: a Python child that reads every corpus file into memory, SHA-256-hashes it and writes a copy
  (median of ``rounds``).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

INTERVAL = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def _parents() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, name) of every process /proc shows."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
        except OSError:
            continue  # gone meanwhile
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        fields = stat[stat.rfind(")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), name)
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _private(pid: int) -> int:
    """The pages of `pid` no other process shares (copied on write since a fork, or its own)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            fields = dict(line.split(b":", 1) for line in fh.read().splitlines()[1:] if b":" in line)
        return sum(int(fields[k].split()[0]) for k in (b"Private_Clean", b"Private_Dirty")) * 1024
    except (OSError, KeyError, IndexError, ValueError):
        return 0


def _cmdline(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return None


class TreeSampler(threading.Thread):
    """Samples the RSS of `root` and all its descendants until `stop()`."""

    def __init__(self, root: int, interval: float = INTERVAL):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_sum = self.peak_one = self.processes = self.samples = 0
        self.peak_name = ""
        self._halt = threading.Event()

    def sample(self) -> None:
        procs = _parents()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _) in procs.items():
            children.setdefault(ppid, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        # A child forked and not yet exec'd (its command line is still its parent's) shares the parent's pages:
        # only the pages it has of its own count (a Markdown worker's, render/parallel.py; a helper being
        # started, whose vfork child shows the parent's whole RSS for a moment, has none).
        lines = {pid: _cmdline(pid) for pid in tree}
        forked = {pid for pid in tree if pid != self.root and lines[pid] == lines.get(procs[pid][0])}
        sizes = [(_private(pid) if pid in forked else _rss(pid), pid) for pid in tree]
        total = sum(size for size, _ in sizes)
        biggest, pid = max(sizes)
        self.samples += 1
        self.processes = max(self.processes, len(tree))
        self.peak_sum = max(self.peak_sum, total)
        if biggest > self.peak_one:
            self.peak_one, self.peak_name = biggest, procs.get(pid, (0, "?"))[1]

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`; its wall seconds, exit code, output, ru_maxrss and process-tree memory (MiB)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)  # exited, not reaped: the pid stays ours
        seconds = time.perf_counter() - start
        sampler.stop()
        # Reap it ourselves: wait4 gives this one child's rusage (RUSAGE_CHILDREN would be a running max).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    return {
        "seconds": seconds,
        "returncode": proc.returncode,
        "text": text,
        "rss_mib": usage.ru_maxrss / 1024,  # Linux: KiB
        "tree_rss_mib": sampler.peak_sum / MIB,
        "largest_rss_mib": sampler.peak_one / MIB,
        "largest_process": sampler.peak_name,
        "processes": sampler.processes,
        "samples": sampler.samples,
    }


def tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes): regular files under `folder` and the sum of their sizes (links not followed)."""
    files = size = 0
    todo = [str(folder)]
    while todo:
        with os.scandir(todo.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    files += 1
                    size += entry.stat(follow_symlinks=False).st_size
    return files, size


REFERENCE = """
import hashlib, os, sys
source, copy = sys.argv[1], sys.argv[2]
held = []
for folder, dirs, names in os.walk(source):
    dirs.sort()
    for name in sorted(names):
        path = os.path.join(folder, name)
        with open(path, "rb") as fh:
            data = fh.read()
        held.append((os.path.relpath(path, source), data, hashlib.sha256(data).hexdigest()))
for rel, data, _ in held:
    target = os.path.join(copy, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as fh:
        fh.write(data)
"""


def reference(source: Path, scratch: Path, rounds: int = 3) -> dict:
    """The baseline: read + hash + copy the corpus in a Python child; median seconds and tree RSS."""
    runs = []
    for n in range(rounds):
        copy = scratch / f"reference-copy-{n}"
        runs.append(run_measured([sys.executable, "-c", REFERENCE, str(source), str(copy)], scratch))
        if runs[-1]["returncode"] != 0:
            raise SystemExit(f"reference workload failed:\n{runs[-1]['text'][-2000:]}")
        files, size = tree_size(copy)
        shutil.rmtree(copy, ignore_errors=True)
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "tree_rss_mib": statistics.median(r["tree_rss_mib"] for r in runs),
        "files": files,
        "bytes": size,
    }
