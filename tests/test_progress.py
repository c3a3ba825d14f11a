"""Issue 13: a long build shows its stages (read, merge, render, pages, write, index) on standard error,
one line each when not on a terminal; a short one only its summary."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from sitebuild import ROOT

from papernotes.commands.progress import StageLog
from papernotes.stages import Stages

STAGE_LINE = re.compile(r"^papernotes: (read|merge|render|pages|write|index)\s+\d+\.\d s(  .+)?$")


def _run(log: StageLog, names=("read", "merge")) -> None:
    stages = Stages(log)
    for name in names:
        with stages(name) as stage:
            stage.detail = f"{name} detail"


def test_a_short_build_shows_nothing_and_a_long_one_every_stage():
    quiet = io.StringIO()
    _run(StageLog(quiet, "auto", after=60.0))
    assert quiet.getvalue() == ""
    late = io.StringIO()
    log = StageLog(late, "auto", after=60.0)
    _run(log, ("read",))
    log.began -= 120  # the build has now run for two minutes: what was held back is shown, then the rest
    _run(log, ("merge",))
    lines = late.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == ["read", "merge"] and all(map(STAGE_LINE.match, lines)), lines
    assert "read detail" in lines[0]


def test_never_shows_nothing_and_without_a_listener_nothing_is_measured():
    out = io.StringIO()
    _run(StageLog(out, "never", after=0.0))
    assert out.getvalue() == ""
    with Stages()("read") as stage:  # no listener: still usable
        stage.detail = "x"


def test_the_cli_prints_one_line_per_stage_when_not_on_a_terminal(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "build", "--output", str(tmp_path / "out"), "--progress", "always"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("papernotes: ")]
    assert [line.split()[1] for line in lines] == ["read", "merge", "render", "pages", "write", "index"], lines
    assert all(STAGE_LINE.match(line) for line in lines) and "\r" not in done.stderr and "\x1b" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("built ")
