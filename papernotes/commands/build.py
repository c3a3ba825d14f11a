"""`python build.py [build]`: render site_src/ into output/ once."""

from __future__ import annotations

from ..pipeline import Builder, BuildOptions
from .common import print_report


def run_build(options: BuildOptions, strict: bool = False) -> int:
    builder = Builder(options)
    try:
        report = builder.build()
    finally:
        builder.close()
    print_report(report, options.source)
    return report.exit_code(strict)
