"""Build benchmark (issues 5 and 13): clean vs warm build, memory, output size, edit latency.

    python bench/run.py --notes 100 --papers 1000 [--edits 10] [--skip-serve] [--keep DIR] [--seed 0]

Generates a synthetic corpus (bench/corpus.py; ``--papers 27000`` is the size of the public collection seed
003 comes from) into a work folder and measures, all in one run so the ratios compare like with like:

- clean build (with the Pagefind search index): fresh output folder AND a cold KaTeX cache. The build
  keeps its cache in ``<project>/.papernotes-cache``, and the project is the folder it runs in when that
  folder holds ``site_src/``; so we run it in a throwaway project folder of symlinks (templates, static,
  node_modules, build.py, site_src -> corpus) whose cache starts empty;
- peak memory of the clean build: the process tree (Python, KaTeX node workers, Pagefind) sampled from
  /proc every 50 ms, the peak of the sum and of the largest process (bench/measure.py); also ``os.wait4``'s
  ru_maxrss as before;
- output: the number of files and the sum of their sizes; html pages and pages/second;
- warm build: the same command again (cache warm, output present: a no-op), and the ratio warm/clean;
- save-to-page-updated latency of a one-note edit under ``build.py serve``: append a unique marker to a
  note, then poll the note's output file until it contains the marker; median and p90 (``--skip-serve``
  skips it).

Every figure is also a ratio against a baseline measured in the same run: a fixed reference workload, a
Python child that reads, SHA-256-hashes and copies the corpus (times and memory are "x reference", output
sizes "x corpus"). Prints a table, then one JSON line (the last line of stdout). Stdlib only. Timings are
wall-clock on whatever machine runs this; compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/ is not a package)
import measure  # noqa: E402
import report  # noqa: E402

LINKED = ("templates", "static", "node_modules", "build.py")
EDIT_TIMEOUT = 30.0
POLL = 0.005
SUMMARY = re.compile(r"built (\d+) pages .* in ([\d.]+)s")


# -- workspace ---------------------------------------------------------------------
def make_project(root: Path, source: Path, origin: Path = PROJECT) -> Path:
    """A project folder whose .papernotes-cache starts empty; everything else links to `origin` (a checkout
    of papernotes: its build.py imports the papernotes beside it, as Python resolves the script's symlink)."""
    project = root / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in LINKED:
        target = origin / name if (origin / name).exists() else PROJECT / name  # node_modules: ours
        (project / name).symlink_to(target)
    # The CLI takes the current folder as the project only when it holds site_src/.
    (project / "site_src").symlink_to(source)
    return project


def build_command(source: Path, output: Path, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "build.py", "--source", str(source), "--output", str(output), *extra]


def timed_build(project: Path, source: Path, output: Path, extra: tuple[str, ...] = ()) -> dict:
    """Run one build as a child: wall seconds, peak RSS (MiB: its own, its process tree's), its summary line."""
    got = measure.run_measured(build_command(source, output, extra), project)
    text = got.pop("text")
    if got["returncode"] != 0:
        tail = "\n".join(text.strip().splitlines()[-20:])
        raise SystemExit(f"build failed with exit {got['returncode']}:\n{tail}")
    match = SUMMARY.search(text)
    return {
        **got,
        "reported_pages": int(match.group(1)) if match else None,
        "reported_seconds": float(match.group(2)) if match else None,
        "summary": match.group(0) if match else text.strip().splitlines()[-1:],
    }


# -- serve / edit latency -----------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (OSError, ValueError):
        return None


def serve_status(port: int) -> dict | None:
    """The dev server's status JSON ({"build": n, "ok": bool, "messages": [...]}), or None."""
    got = _get(f"http://127.0.0.1:{port}/__papernotes/status")
    if got and got[0] == 200:
        try:
            status = json.loads(got[1])
            return status if isinstance(status, dict) and "build" in status else None
        except ValueError:
            return None
    return None


def serve_ready(port: int) -> tuple[bool, str | None]:
    """(ready, failure): ready once a first build finished; failure if that build failed."""
    status = serve_status(port)
    if status is not None:
        if int(status.get("build") or 0) < 1:
            return False, None
        if status.get("ok") is False:
            return False, "; ".join(map(str, status.get("messages") or []))[:200] or "initial build failed"
        return True, None
    home = _get(f"http://127.0.0.1:{port}/")  # a server without the status endpoint
    return bool(home and home[0] == 200), None


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the server and its node worker
        proc.wait(timeout=10)


def edit_latency(project: Path, source: Path, output: Path, edits: int, ready_timeout: float) -> dict:
    notes = sorted((source / "notes").glob("*.md"))
    if not notes:
        return {"status": "no notes to edit", "samples": []}
    port = free_port()
    log = tempfile.TemporaryFile()
    cmd = [sys.executable, "build.py", "serve", "--source", str(source), "--output", str(output), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    samples: list[float] = []
    done: list[float] = []  # save -> rebuild finished
    failures: list[str] = []
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            ready, failure = serve_ready(port)
            if ready:
                break
            if failure:
                return {"status": f"serve unavailable: {failure}", "samples": []}
            if proc.poll() is not None:
                log.seek(0)
                tail = log.read().decode("utf-8", "replace").strip().splitlines()[-1:] or ["(no output)"]
                return {"status": f"serve unavailable: exit {proc.returncode}: {tail[0][:200]}", "samples": []}
            if time.monotonic() > deadline:
                return {"status": f"serve unavailable: not ready after {ready_timeout:.0f}s", "samples": []}
            time.sleep(0.05)
        time.sleep(0.5)  # let the watcher settle after the initial build
        for i in range(edits):
            note = notes[(i * 7919) % len(notes)]
            page = output / "notes" / note.stem / "index.html"
            marker = f"benchmarker{os.getpid()}x{i:04d}"
            before = (serve_status(port) or {}).get("build")
            with open(note, "a", encoding="utf-8") as fh:
                fh.write(f"\n编辑标记 {marker} 结束。\n")
            start = time.perf_counter()
            polls = 0
            while True:
                try:
                    if marker.encode() in page.read_bytes():
                        samples.append(time.perf_counter() - start)
                        # ... and when the whole rebuild is done (the moment the browser is told to reload).
                        while before is not None and (serve_status(port) or {}).get("build", 0) <= before:
                            if time.perf_counter() - start > EDIT_TIMEOUT:
                                break
                            time.sleep(POLL)
                        done.append(time.perf_counter() - start)
                        break
                except OSError:
                    pass  # mid-replace or not yet written
                elapsed = time.perf_counter() - start
                if elapsed > EDIT_TIMEOUT:
                    failures.append(f"timed out after {EDIT_TIMEOUT:.0f}s")
                    break
                if proc.poll() is not None:
                    return {"status": f"serve exited during edits (exit {proc.returncode})", "samples": samples}
                polls += 1
                if polls % 20 == 0 and before is not None:  # ~every 0.1 s: did a rebuild fail?
                    status = serve_status(port) or {}
                    if (status.get("build") or 0) > before and status.get("ok") is False:
                        failures.append("rebuild failed: " + "; ".join(map(str, status.get("messages") or []))[:200])
                        break
                time.sleep(POLL)
            if len(failures) >= 2 and not samples:
                break  # the serve loop does not pick edits up: do not wait out every edit
            time.sleep(0.3)  # keep edits apart so the debouncer does not merge them
    finally:
        stop(proc)
        log.close()
    status = "ok" if not failures else f"{len(failures)} edit(s) not seen: {failures[0]}"
    return {"status": status, "samples": samples, "done": done}


# -- report --------------------------------------------------------------------------
def count_html(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def measure_all(args, root: Path) -> dict:
    source, output = root / "corpus", root / "out"
    t0 = time.perf_counter()
    corpus.generate(source, args.notes, args.papers, args.seed)
    corpus_seconds = time.perf_counter() - t0
    project = make_project(root, source)
    ref = measure.reference(source, root)
    clean = timed_build(project, source, output)
    pages = count_html(output)
    files, size = measure.tree_size(output)
    warm = timed_build(project, source, output)
    if args.skip_serve:
        latency = {"status": "skipped (--skip-serve)", "samples": [], "done": []}
    else:
        latency = edit_latency(project, source, output, args.edits, ready_timeout=max(60.0, 5 * clean["seconds"]))
    return {
        "corpus_seconds": corpus_seconds,
        "ref": ref,
        "clean": clean,
        "warm": warm,
        "pages": pages,
        "files": files,
        "bytes": size,
        "latency": latency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-serve", action="store_true", help="do not measure edit latency under serve")
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR and keep corpus, project and output")
    args = parser.parse_args(argv)

    if args.keep:
        root = args.keep.resolve()
        for name in ("corpus", "out", "project"):
            if (root / name).is_symlink() or (root / name).is_file():
                (root / name).unlink()
            elif (root / name).exists():
                shutil.rmtree(root / name)
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="papernotes-bench-"))
    try:
        measured = measure_all(args, root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    result = report.result(args, measured)
    rows = report.table(args, measured, result)
    width = max(len(name) for name, _, _ in rows)
    print(
        "baseline: a Python child reading, SHA-256-hashing and copying the corpus; ratios are x its time / "
        "peak RSS, output sizes x the corpus"
    )
    print(f"{'measure':<{width}}  {'x baseline':>14}  value")
    print(f"{'-' * width}  {'-' * 14}  {'-' * 40}")
    for name, value, ratio in rows:
        print(f"{name:<{width}}  {ratio:>14}  {value}")
    if args.keep:
        print(f"kept: {root}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
