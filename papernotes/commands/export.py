"""`python build.py export --format json|csv|bibtex [-O FILE]`: every merged paper, with topics."""

from __future__ import annotations

import sys
from pathlib import Path

from ..diagnostics import Diagnostics
from ..export import export_papers
from ..pipeline import Builder, BuildOptions


def run_export(options: BuildOptions, fmt: str, out: str = "-") -> int:
    diags = Diagnostics()
    builder = Builder(options)
    _, _, papers, _ = builder.read_model(diags)
    for diag in diags:
        print(diag.format(), file=sys.stderr)
    text = export_papers(papers, fmt)
    if out == "-":
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        print(f"exported {len(papers)} papers as {fmt} to {out}", file=sys.stderr)
    return 1 if diags.errors else 0
