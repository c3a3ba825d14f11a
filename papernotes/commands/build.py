"""`python build.py [build]`: render site_src/ into output/ once."""

from __future__ import annotations

from ..pipeline import Builder, BuildOptions
from .common import print_report, refuse_missing_sources

EXIT_REFUSED = 2  # the source folder cannot be built: nothing was read or written


def run_build(options: BuildOptions, strict: bool = False) -> int:
    if refuse_missing_sources(options):
        return EXIT_REFUSED
    builder = Builder(options)
    try:
        report = builder.build()
    finally:
        builder.close()
    print_report(report, options.source)
    return EXIT_REFUSED if report.refused else report.exit_code(strict)
