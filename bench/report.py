"""bench/run.py's report: the result JSON and the table rows, from what `run.measure_all` measured."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _ratio(value, base):
    return round(value / base, 3) if value is not None and base else None


def result(args, m: dict) -> dict:
    """The JSON line: every figure, and each as a ratio of the baseline measured in the same run."""
    ref, clean, warm, latency = m["ref"], m["clean"], m["warm"], m["latency"]
    samples = latency["samples"]
    med = statistics.median(samples) if samples else None
    p90 = percentile(samples, 0.9) if samples else None
    done = statistics.median(latency["done"]) if latency.get("done") else None
    return {
        "notes": args.notes,
        "papers": args.papers,
        "seed": args.seed,
        "html_pages": m["pages"],
        "corpus_seconds": round(m["corpus_seconds"], 3),
        "corpus_files": ref["files"],
        "corpus_bytes": ref["bytes"],
        "reference_seconds": round(ref["seconds"], 4),
        "reference_rss_mib": round(ref["tree_rss_mib"], 1),
        "clean_seconds": round(clean["seconds"], 3),
        "clean_over_reference": _ratio(clean["seconds"], ref["seconds"]),
        "warm_seconds": round(warm["seconds"], 3),
        "warm_over_reference": _ratio(warm["seconds"], ref["seconds"]),
        "warm_over_clean": _ratio(warm["seconds"], clean["seconds"]),
        "clean_reported_seconds": clean["reported_seconds"],
        "warm_reported_seconds": warm["reported_seconds"],
        "pages_per_second": round(m["pages"] / clean["seconds"], 1),
        "output_files": m["files"],
        "output_bytes": m["bytes"],
        "output_files_over_corpus": _ratio(m["files"], ref["files"]),
        "output_bytes_over_corpus": _ratio(m["bytes"], ref["bytes"]),
        "peak_tree_rss_mib_clean": round(clean["tree_rss_mib"], 1),
        "peak_tree_rss_over_reference": _ratio(clean["tree_rss_mib"], ref["tree_rss_mib"]),
        "peak_process_rss_mib_clean": round(clean["largest_rss_mib"], 1),
        "peak_process_rss_over_reference": _ratio(clean["largest_rss_mib"], ref["tree_rss_mib"]),
        "peak_process_clean": clean["largest_process"],
        "processes_clean": clean["processes"],
        "peak_tree_rss_mib_warm": round(warm["tree_rss_mib"], 1),
        "peak_rss_mib_clean": round(clean["rss_mib"], 1),
        "peak_rss_mib_warm": round(warm["rss_mib"], 1),
        "serve": latency["status"],
        "edits": len(samples),
        "latency_median_ms": round(med * 1000, 1) if med is not None else None,
        "latency_p90_ms": round(p90 * 1000, 1) if p90 is not None else None,
        "latency_over_reference": _ratio(med, ref["seconds"]),
        "latency_over_warm": _ratio(med, warm["seconds"]),
        "rebuild_done_median_ms": round(done * 1000, 1) if done is not None else None,
    }


def table(args, m: dict, r: dict) -> list[tuple[str, str, str]]:
    """(measure, value, x baseline) rows of the printed table."""

    def ms(value):
        return "n/a" if value is None else f"{value:.1f} ms"

    def x(value):
        return "" if value is None else f"{value:,.1f}x"

    clean, warm = m["clean"], m["warm"]
    return [
        ("corpus", f"{args.notes} notes, {args.papers} papers (seed {args.seed}), {m['corpus_seconds']:.2f}s", ""),
        ("  files / bytes", f"{r['corpus_files']} files, {r['corpus_bytes'] / 1e6:.1f} MB", ""),
        ("reference workload (baseline)", f"{r['reference_seconds']:.3f}s, {r['reference_rss_mib']:.1f} MiB", "1x"),
        ("clean build, with search", f"{clean['seconds']:.2f}s   [{clean['summary']}]", x(r["clean_over_reference"])),
        (
            "  peak RSS, process tree",
            f"{r['peak_tree_rss_mib_clean']:.1f} MiB ({r['processes_clean']} processes)",
            x(r["peak_tree_rss_over_reference"]),
        ),
        (
            "  peak RSS, largest process",
            f"{r['peak_process_rss_mib_clean']:.1f} MiB ({r['peak_process_clean']})",
            x(r["peak_process_rss_over_reference"]),
        ),
        ("  output bytes", f"{r['output_bytes'] / 1e6:.1f} MB", x(r["output_bytes_over_corpus"]) + " corpus"),
        (
            "  output files",
            f"{r['output_files']} ({r['html_pages']} html, {r['pages_per_second']} pages/s)",
            x(r["output_files_over_corpus"]) + " corpus",
        ),
        ("warm no-op build", f"{warm['seconds']:.2f}s   [{warm['summary']}]", x(r["warm_over_reference"])),
        ("  warm / clean", f"{r['warm_over_clean']:.3f}", ""),
        (
            "  peak RSS (wait4) clean / warm",
            f"{r['peak_rss_mib_clean']:.1f} MiB / {r['peak_rss_mib_warm']:.1f} MiB",
            "",
        ),
        ("serve", r["serve"], ""),
        (
            "edit -> page latency",
            f"median {ms(r['latency_median_ms'])}, p90 {ms(r['latency_p90_ms'])} over {r['edits']} edits",
            x(r["latency_over_reference"]),
        ),
        ("  latency / warm build", "n/a" if r["latency_over_warm"] is None else f"{r['latency_over_warm']:.3f}", ""),
        ("edit -> rebuild done (reload)", f"median {ms(r['rebuild_done_median_ms'])}", ""),
    ]
