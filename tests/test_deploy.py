"""`deploy`: gh-pages holds exactly output/ (+ .nojekyll); a non-git folder is refused cleanly; the Pages workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from papernotes.commands.deploy import run_deploy
from papernotes.pipeline import BuildOptions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def git_env(monkeypatch, tmp_path):
    """A fresh CI machine has no git identity; never let git climb out of tmp_path into a real repo."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CEILING_DIRECTORIES": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }.items():
        monkeypatch.setenv(key, value)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def make_project(target: Path) -> Path:
    target.mkdir()
    for name in ("site_src", "templates", "static"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copyfile(ROOT / "build.py", target / "build.py")
    (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    for name in ("package.json", "package-lock.json"):
        if (ROOT / name).exists():
            shutil.copyfile(ROOT / name, target / name)
    return target


def options(project: Path) -> BuildOptions:
    return BuildOptions(project=project, source=project / "site_src", output=project / "output")


def test_deploy_commits_output_to_gh_pages(tmp_path, git_env, capsys):
    project = make_project(tmp_path / "notes")
    git(project, "init", "-q", "-b", "main")
    (project / ".gitignore").write_text("output/\nnode_modules\n.papernotes-cache/\n")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "notes")
    head_before = git(project, "rev-parse", "HEAD")

    assert run_deploy(options(project), push=False) == 0
    err = capsys.readouterr().err
    assert "built " in err and "committed gh-pages (not pushed: --no-push)" in err

    output = project / "output"
    on_disk = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    on_branch = set(git(project, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert on_branch == on_disk | {".nojekyll"}
    assert "index.html" in on_branch and any(p.startswith("notes/") for p in on_branch)
    for rel in ("index.html", "static/style.css", sorted(p for p in on_branch if p.startswith("notes/"))[0]):
        blob = subprocess.run(["git", "show", f"gh-pages:{rel}"], cwd=project, check=True, capture_output=True).stdout
        assert blob == (output / rel).read_bytes(), rel

    # The work tree, the index and the current branch are untouched.
    assert git(project, "rev-parse", "HEAD") == head_before
    assert git(project, "branch", "--show-current").strip() == "main"
    assert git(project, "status", "--porcelain") == ""

    # A second deploy adds a commit on top (history is kept for clean Pages diffs).
    first = git(project, "rev-parse", "gh-pages").strip()
    assert run_deploy(options(project), push=False, message="again") == 0
    assert git(project, "rev-parse", "gh-pages~1").strip() == first
    assert git(project, "log", "-1", "--format=%s", "gh-pages").strip() == "again"


def test_push_failure_is_reported_not_raised(tmp_path, git_env, capsys):
    project = make_project(tmp_path / "notes")
    git(project, "init", "-q", "-b", "main")
    assert run_deploy(options(project), push=True) == 1  # no 'origin' remote to push to
    err = capsys.readouterr().err
    assert "committed gh-pages" in err and "pushing it failed" in err
    assert "Traceback" not in err.split("pushing it failed")[0]


def test_not_a_git_repository_exits_2_with_a_message(tmp_path, git_env):
    project = make_project(tmp_path / "plain")
    done = subprocess.run(
        [sys.executable, "build.py", "deploy", "--no-push"],
        cwd=project,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert done.returncode == 2, done.stderr
    assert f"deploy: {project} is not a git repository; run git init" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "output").exists()  # refused before building anything


def test_build_errors_block_the_deploy(tmp_path, git_env, capsys):
    project = make_project(tmp_path / "notes")
    git(project, "init", "-q", "-b", "main")
    (project / "templates" / "document.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ no_such_variable }}{% endblock %}"
    )
    assert run_deploy(options(project), push=False) == 1
    assert "not published: the build had" in capsys.readouterr().err
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_pages_workflow_has_the_steps():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"

    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    for action in (
        "actions/checkout",
        "actions/setup-python",
        "actions/setup-node",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ):
        assert action in uses, action
    by_action = {step.get("uses", "").split("@")[0]: step for step in build}
    assert by_action["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert str(by_action["actions/setup-node"]["with"]["node-version"]) == "20"
    assert by_action["actions/configure-pages"]["id"] == "pages"
    assert by_action["actions/upload-pages-artifact"]["with"]["path"] == "output"
    run = "\n".join(step.get("run", "") for step in build)
    assert "npm ci" in run and "pip install" in run
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in run
    assert uses.index("actions/configure-pages") < next(
        i for i, s in enumerate(build) if "build.py" in s.get("run", "")
    )

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
