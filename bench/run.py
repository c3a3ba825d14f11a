"""Build benchmark (issue 5): clean vs warm build, throughput, memory, edit latency.

    python bench/run.py --notes 100 --papers 1000 [--edits 10] [--keep DIR] [--seed 0]

Generates a synthetic corpus (bench/corpus.py) into a work folder and measures,
all in one run so the ratios compare like with like:

- clean build: fresh output folder AND a cold KaTeX cache. The build keeps its
  cache in ``<project>/.papernotes-cache``, and the project is the folder it runs
  in when that folder holds ``site_src/``; so we run it in a throwaway project
  folder of symlinks (templates, static, node_modules, build.py, site_src ->
  corpus) whose cache starts empty;
- warm build: the same command again (cache warm, output present), and the
  ratio warm/clean;
- pages/second: ``*.html`` files in the output / clean seconds;
- peak RSS of the build (``os.wait4`` rusage of that one child; Linux reports
  the largest of the process and the children it reaped, i.e. the KaTeX node
  worker);
- save-to-page-updated latency of a one-note edit under ``build.py serve``:
  append a unique marker to a note, then poll the note's output file until it
  contains the marker; median and p90, and the median relative to the warm
  full build.

Prints a table, then one JSON line (the last line of stdout). Stdlib only.
Timings are wall-clock on whatever machine runs this; compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
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
    """Run one build as a child; wall seconds, its own peak RSS (MiB), its summary line."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(build_command(source, output, extra), cwd=project, stdout=log, stderr=subprocess.STDOUT)
        # Reap it ourselves: wait4 gives this one child's rusage (RUSAGE_CHILDREN would be a running max).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join(text.strip().splitlines()[-20:])
        raise SystemExit(f"build failed with exit {proc.returncode}:\n{tail}")
    match = SUMMARY.search(text)
    return {
        "seconds": seconds,
        "rss_mib": usage.ru_maxrss / 1024,  # Linux: KiB
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


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
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
        source, output = root / "corpus", root / "out"
        t0 = time.perf_counter()
        corpus.generate(source, args.notes, args.papers, args.seed)
        corpus_seconds = time.perf_counter() - t0
        project = make_project(root, source)

        clean = timed_build(project, source, output)
        pages = count_html(output)
        warm = timed_build(project, source, output)
        latency = edit_latency(project, source, output, args.edits, ready_timeout=max(60.0, 5 * clean["seconds"]))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    samples = latency["samples"]
    med = statistics.median(samples) if samples else None
    p90 = percentile(samples, 0.9) if samples else None
    result = {
        "notes": args.notes,
        "papers": args.papers,
        "seed": args.seed,
        "html_pages": pages,
        "corpus_seconds": round(corpus_seconds, 3),
        "clean_seconds": round(clean["seconds"], 3),
        "warm_seconds": round(warm["seconds"], 3),
        "warm_over_clean": round(warm["seconds"] / clean["seconds"], 3),
        "clean_reported_seconds": clean["reported_seconds"],
        "warm_reported_seconds": warm["reported_seconds"],
        "pages_per_second": round(pages / clean["seconds"], 1),
        "peak_rss_mib_clean": round(clean["rss_mib"], 1),
        "peak_rss_mib_warm": round(warm["rss_mib"], 1),
        "serve": latency["status"],
        "edits": len(samples),
        "latency_median_ms": round(med * 1000, 1) if med is not None else None,
        "latency_p90_ms": round(p90 * 1000, 1) if p90 is not None else None,
        "latency_over_warm": round(med / warm["seconds"], 3) if med is not None else None,
        "rebuild_done_median_ms": round(statistics.median(latency["done"]) * 1000, 1) if latency.get("done") else None,
    }

    def ms(value):
        return "n/a" if value is None else f"{value:.1f} ms"

    rows = [
        ("corpus", f"{args.notes} notes, {args.papers} papers (seed {args.seed}), generated in {corpus_seconds:.2f}s"),
        ("clean build (cold cache)", f"{clean['seconds']:.2f}s   [{clean['summary']}]"),
        ("warm build", f"{warm['seconds']:.2f}s   [{warm['summary']}]"),
        ("warm / clean", f"{result['warm_over_clean']:.3f}"),
        ("html pages", f"{pages}"),
        ("pages / second (clean)", f"{result['pages_per_second']}"),
        ("peak RSS clean / warm", f"{clean['rss_mib']:.1f} MiB / {warm['rss_mib']:.1f} MiB"),
        ("serve", latency["status"]),
        (
            "edit -> page latency",
            f"median {ms(result['latency_median_ms'])}, p90 {ms(result['latency_p90_ms'])} over {len(samples)} edits",
        ),
        ("latency / warm build", "n/a" if med is None else f"{result['latency_over_warm']:.3f}"),
        ("edit -> rebuild done (reload)", f"median {ms(result['rebuild_done_median_ms'])}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    if args.keep:
        print(f"kept: {root}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
