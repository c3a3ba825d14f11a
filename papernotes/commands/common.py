"""What every command shares: where the project is, the build options, how diagnostics are printed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..diagnostics import Diagnostic
from ..pipeline import BuildOptions, source_problems


def project_root(start: Path | None = None) -> Path:
    """The site's folder (the one holding site_src/, templates/, static/, node_modules/): the current
    directory or its nearest parent holding `site_src/` (as git finds `.git`, so any folder of the site
    works), else the current directory itself, whose missing site_src/ the build then refuses (exit 2,
    nothing built). Never the checkout papernotes runs from: an installed tool builds only the site it is
    run in (the theme and, as a fallback, KaTeX come from the tool; see papernotes/theme)."""
    cwd = (start or Path.cwd()).absolute()
    return next((folder for folder in (cwd, *cwd.parents) if (folder / "site_src").is_dir()), cwd)


def options_from(args) -> BuildOptions:
    root = project_root()
    return BuildOptions(
        project=root,
        source=(args.source or root / "site_src").resolve(),
        output=(args.output or root / "output").resolve(),
        base_url=args.base_url,
        search=args.search,
        drafts=getattr(args, "drafts", False),  # build and serve have --drafts
    )


def printable(text: str) -> str:
    """`text` safe for a terminal: control characters, escape sequences, bidi overrides and lone surrogates
    (an undecodable file name) shown as Python escapes (`\\x1b`, `\\n`, `\\u202e`), so a file name cannot
    rewrite the screen and every message stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def format_diagnostic(diag: Diagnostic, source: Path, relative_to_cwd: bool = True) -> str:
    """`path:line: level: message`, printable. The path is relative to the current directory (so editors
    can jump to it), or as the build gave it (relative to `source`) with `relative_to_cwd=False`.

    A diagnostic about a whole file is shown at its line 1; one about a folder (the source folder, output/)
    has no line."""
    path = source / diag.path
    shown = diag.path
    if relative_to_cwd and path.exists():
        try:
            shown = str(path.relative_to(Path.cwd()))
        except ValueError:
            shown = str(path)
    folder = path == source or os.path.isdir(path)
    where = shown if folder else f"{shown}:{max(diag.line, 1)}"
    return f"{printable(where)}: {diag.level}: {printable(diag.message)}"


def print_report(report, source: Path, stream=None) -> None:
    stream = stream or sys.stderr
    for diag in report.diagnostics:
        print(format_diagnostic(diag, source), file=stream)
    if not getattr(report, "refused", False):
        print(report.summary(), file=stream)


def refuse_missing_sources(options: BuildOptions, stream=None) -> bool:
    """Print why the source folder cannot be built and return True, before anything touches output/."""
    problems = source_problems(options.source)
    for diag in problems:
        print(format_diagnostic(diag, options.source), file=stream or sys.stderr)
    return bool(problems)
