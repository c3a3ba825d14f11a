"""`deploy`: build the site, then commit output/ to the gh-pages branch with ghp-import (and push it).

ghp-import writes the branch with `git fast-import`, so the working tree, the
index and the current branch are never touched. It runs git in its current
directory, so we run its command line with cwd = the repository instead of
changing this process's directory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..pipeline import Builder, BuildOptions
from .common import print_report, refuse_missing_sources

EXIT_REFUSED = 2


def _say(message: str) -> None:
    print(f"deploy: {message}", file=sys.stderr)


def git_toplevel(path: Path) -> Path | None:
    """The work tree holding `path`, or None when there is none (or git is not installed)."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True)
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _branch_head(repo: Path, branch: str) -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo, capture_output=True, text=True
    )
    return done.stdout.strip() or None


def run_deploy(
    options: BuildOptions, push: bool = True, branch: str = "gh-pages", message: str = "Publish site"
) -> int:
    """Exit status: 0 published, 1 the build or git failed or built an empty site, 2 nothing to publish
    from (the source folder cannot be built) or into (no repository). Never publishes an empty site."""
    if refuse_missing_sources(options):
        _say("not published: nothing was built")
        return EXIT_REFUSED
    project = Path(options.project)
    repo = git_toplevel(project) if project.is_dir() else None
    if repo is None:
        _say(f"{project} is not a git repository; run git init (and git remote add origin <url>) there first")
        return EXIT_REFUSED

    builder = Builder(options)
    try:
        report = builder.build()
    finally:
        builder.close()
    print_report(report, options.source, stream=sys.stderr)  # resolved now, not at import time
    if report.refused:
        _say("not published: nothing was built")
        return EXIT_REFUSED
    if report.errors:
        _say(f"not published: the build had {report.errors} error(s); fix them and run deploy again")
        return 1
    if not report.sources:
        _say(f"not published: {options.source} holds no posts, notes or paper lists (an empty site)")
        return 1

    before = _branch_head(repo, branch)
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        str(Path(options.output).resolve()),
        "--branch",
        branch,
        "--message",
        message,
        "--no-jekyll",
    ]
    if push:
        command.append("--push")
    try:
        done = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    except OSError as exc:
        _say(f"cannot run ghp-import ({exc}); run pip install ghp-import")
        return 1
    output = (done.stdout + done.stderr).strip()
    tail = "\n".join(output.splitlines()[-5:])  # ghp-import shows git's own complaint last
    after = _branch_head(repo, branch)
    # ghp-import prints "Failed to process commit." and still exits 0 when fast-import fails.
    committed = after is not None and after != before and "Failed to process commit" not in output
    if not committed:
        _say(f"committing {options.output} to {branch} failed" + (f":\n{tail}" if tail else ""))
        return 1
    if done.returncode != 0:
        _say(
            f"committed {branch} at {after[:12]} but pushing it failed (is there an 'origin' remote you can "
            f"push to?); retry with: git push origin {branch}" + (f"\n{tail}" if tail else "")
        )
        return 1
    where = f"committed and pushed {branch}" if push else f"committed {branch} (not pushed: --no-push)"
    _say(f"{where} at {after[:12]} in {repo}")
    return 0
