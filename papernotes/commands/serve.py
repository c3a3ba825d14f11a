"""`python build.py serve`: the real Builder plugged into the generic dev server."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from ..config import load_config
from ..dev.run import BuildOutcome, serve
from ..pipeline import Builder, BuildOptions
from ..site.urls import Urls
from .common import format_diagnostic, refuse_missing_sources

EXIT_REFUSED = 2  # the source folder cannot be built: nothing is served, output/ is not touched
CLOSE_WAIT_SECONDS = 30  # at stop, how long a build still running may take before we leave without saving


def outcome_of(report, source: Path) -> BuildOutcome:
    """Messages for the terminal and the browser's overlay: site-relative paths, printable."""
    shown = [format_diagnostic(d, source, relative_to_cwd=False) for d in report.diagnostics]
    levels = [d.level for d in report.diagnostics]
    errors = [m for m, level in zip(shown, levels) if level == "error"]
    others = [m for m, level in zip(shown, levels) if level != "error"]
    return BuildOutcome(
        ok=report.errors == 0, messages=errors + others, changed=sorted(report.written + report.removed)
    )


def run_serve(
    options: BuildOptions,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    ready=None,
    stop_event=None,
    debounce: float | None = None,
) -> int:
    if refuse_missing_sources(options):
        return EXIT_REFUSED
    options.dev = True
    builder = Builder(options)
    config, _ = load_config(options.source)
    base_path = Urls(options.base_url or config.base_url).base_path
    building = threading.Lock()  # held by a build; close() must not save the memo under a running one

    def rebuild(changed: set[Path] | None) -> BuildOutcome:
        with building:
            report = builder.build(changed)
        print(report.summary(), file=sys.stderr, flush=True)
        return outcome_of(report, options.source)

    watch = [options.source, options.project / "templates", options.project / "static"]
    # Editors write a file several times per save within a few ms; 30 ms of quiet is enough to
    # coalesce that and keeps save-to-page latency low.
    kwargs = {"debounce": 0.03 if debounce is None else debounce}
    try:
        return serve(
            rebuild,
            options.output,
            watch,  # a site's templates/ or static/ made while serving is watched from then on
            host=host,
            port=port,
            open_browser=open_browser,
            ready=ready,
            stop_event=stop_event,
            base_path=base_path,
            **kwargs,
        )
    finally:
        # A build may still run in the watcher's thread (Ctrl-C came during it): let it finish first. One
        # that does not finish in time is left to end with the process, and nothing of it is saved.
        if building.acquire(timeout=CLOSE_WAIT_SECONDS):
            builder.close()
