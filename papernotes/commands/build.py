"""`python build.py [build]`: render site_src/ into output/ once."""

from __future__ import annotations

from ..pipeline import Builder, BuildOptions
from ..stages import Stages
from .common import print_report, refuse_missing_sources
from .progress import StageLog

EXIT_REFUSED = 2  # the source folder cannot be built: nothing was read or written


def run_build(options: BuildOptions, strict: bool = False, progress: str = "auto") -> int:
    """`progress`: "auto" (stage lines once the build takes a few seconds), "always" or "never"."""
    if refuse_missing_sources(options):
        return EXIT_REFUSED
    builder = Builder(options)
    builder.stages = Stages(StageLog(mode=progress))
    try:
        report = builder.build()
    finally:
        builder.close()
    print_report(report, options.source)
    return EXIT_REFUSED if report.refused else report.exit_code(strict)
