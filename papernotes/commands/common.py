"""What every command shares: where the project is, the build options, how a report is printed."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from ..pipeline import BuildOptions


def project_root() -> Path:
    """The folder holding site_src/: the current directory, else the checkout this package lives in."""
    cwd = Path.cwd()
    if (cwd / "site_src").is_dir():
        return cwd
    here = Path(__file__).resolve().parents[2]
    return here if (here / "site_src").is_dir() else cwd


def options_from(args) -> BuildOptions:
    root = project_root()
    return BuildOptions(
        project=root,
        source=(args.source or root / "site_src").resolve(),
        output=(args.output or root / "output").resolve(),
        base_url=args.base_url,
        search=args.search,
    )


def print_report(report, source: Path, stream=None) -> None:
    """Diagnostics name files relative to the current directory, so editors can jump to them."""
    stream = stream or sys.stderr
    for diag in report.diagnostics:
        path = source / diag.path
        if path.exists():
            try:
                diag = replace(diag, path=str(path.relative_to(Path.cwd())))
            except ValueError:
                diag = replace(diag, path=str(path))
        print(diag.format(), file=stream)
    print(report.summary(), file=stream)
