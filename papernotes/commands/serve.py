"""`python build.py serve`: the real Builder plugged into the generic dev server."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import load_config
from ..dev.run import BuildOutcome, serve
from ..pipeline import Builder, BuildOptions
from ..site.urls import Urls


def outcome_of(report) -> BuildOutcome:
    errors = [d.format() for d in report.diagnostics if d.level == "error"]
    others = [d.format() for d in report.diagnostics if d.level != "error"]
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
    options.dev = True
    builder = Builder(options)
    config, _ = load_config(options.source)
    base_path = Urls(options.base_url or config.base_url).base_path

    def rebuild(changed: set[Path] | None) -> BuildOutcome:
        report = builder.build(changed)
        print(report.summary(), file=sys.stderr, flush=True)
        return outcome_of(report)

    watch = [options.source, options.project / "templates", options.project / "static"]
    # Editors write a file several times per save within a few ms; 30 ms of quiet is enough to
    # coalesce that and keeps save-to-page latency low.
    kwargs = {"debounce": 0.03 if debounce is None else debounce}
    try:
        return serve(
            rebuild,
            options.output,
            [p for p in watch if p.exists()],
            host=host,
            port=port,
            open_browser=open_browser,
            ready=ready,
            stop_event=stop_event,
            base_path=base_path,
            **kwargs,
        )
    finally:
        builder.close()
