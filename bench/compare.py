"""Clean-build time of this checkout against another revision, measured side by side.

    python bench/compare.py REV [--notes 1000] [--papers 1000] [--rounds 3] [--no-search] [--head DIR]

Exports REV (`git archive`) next to a corpus generated once by this checkout's bench/corpus.py, then
runs clean builds (fresh output, empty cache) of both in interleaved rounds — base, head, head, base,
… — so drift of the machine hits both alike. Prints each round, the medians and head/base; the last
line of stdout is JSON. Stdlib only.

`--head DIR` measures another tree of papernotes as the head (say a copy of this checkout taken while
others edit it, or an export of a second revision) instead of this checkout.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/ is not a package)
import run  # noqa: E402


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` in `into` (no .git, no node_modules: make_project links ours)."""
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=run.PROJECT, capture_output=True, check=True)
    into.mkdir(parents=True)
    with tempfile.TemporaryFile() as fh:
        fh.write(archive.stdout)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(into, filter="data")
    return into


def clean_build(root: Path, side: str, origin: Path, source: Path, search: bool) -> float:
    work = root / side
    output = work / "out"
    shutil.rmtree(work, ignore_errors=True)
    project = run.make_project(work, source, origin)
    return run.timed_build(project, source, output, () if search else ("--no-search",))["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the baseline revision, e.g. HEAD~3 or a commit id")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--head", type=Path, default=run.PROJECT, help="the tree to measure (default: this one)")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="papernotes-compare-"))
    head = args.head.resolve()
    try:
        base = export(args.rev, root / "base-tree")
        source = root / "corpus"
        corpus.generate(source, args.notes, args.papers, args.seed)
        times: dict[str, list[float]] = {"base": [], "head": []}
        for round_no in range(args.rounds):
            order = ("base", "head") if round_no % 2 == 0 else ("head", "base")
            for side in order:
                seconds = clean_build(root, side, base if side == "base" else head, source, not args.no_search)
                times[side].append(seconds)
                print(f"round {round_no + 1}: {side} {seconds:.2f}s", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    base_s, head_s = statistics.median(times["base"]), statistics.median(times["head"])
    ratio = head_s / base_s
    print(f"clean build, median of {args.rounds}: base {base_s:.2f}s, head {head_s:.2f}s, head/base {ratio:.3f}")
    result = {"rev": args.rev, "head_tree": str(head), "notes": args.notes, "papers": args.papers}
    result.update(rounds=args.rounds, **times)
    print(json.dumps({**result, "base_median": base_s, "head_median": head_s, "ratio": ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
