"""The README's copy-paste sequences for bringing material in ("Move a Hexo blog", "Import your library")
run as written, in a shell, with the fixtures where the README's paths point (issue 12, acceptance 5).
"Start a notes site" is run by tests/test_install.py in a fresh virtual environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT, soup

FIXTURES = Path(__file__).parent / "fixtures"


def _commands(section: str) -> list[str]:
    """The shell lines of the ```sh blocks of a README section, in order (comments dropped); the
    Hexo section's first block only (its second shows the `--keep-urls` variant)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", body, re.S)
    blocks = blocks[:1] if section == "Move a Hexo blog" else blocks
    lines = [line.strip().split("  #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _shell(commands: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).parent  # the `papernotes` console script of this environment
    env = {**os.environ, "HOME": str(home), "PATH": f"{tool}{os.pathsep}{os.environ.get('PATH', '')}"}
    script = "set -e\n" + "\n".join(commands) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def _git_blog(name: str, target: Path) -> None:
    shutil.copytree(FIXTURES / name, target)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-03-10T18:30:00+00:00",
        "GIT_COMMITTER_DATE": "2024-03-10T18:30:00+00:00",
    }
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "blog"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)


@pytest.mark.slow
def test_move_a_hexo_blog_as_the_readme_says(tmp_path):
    commands = _commands("Move a Hexo blog")
    assert any(c.startswith("papernotes import hexo ~/blog") for c in commands), commands
    _git_blog("hexo_blog", tmp_path / "blog")
    work = tmp_path / "work"
    work.mkdir()
    done = _shell(commands, work, home=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "posts:" in done.stdout and "redirects:" in done.stdout
    output = work / "notes" / "output"
    assert not [line for line in done.stderr.splitlines() if ": error: " in line], done.stderr
    assert (output / "2024/03/11/扩散模型入门/index.html").is_file()  # the old URL of the undated post: a redirect
    assert not list(output.rglob("*draft*"))


@pytest.mark.slow
def test_import_your_library_as_the_readme_says(tmp_path):
    commands = _commands("Import your library")
    assert commands[-1] == "papernotes build", commands
    exports = tmp_path / "Zotero" / "exports"
    exports.mkdir(parents=True)
    shutil.copy(FIXTURES / "library" / "library.bib", exports / "library.bib")
    site = tmp_path / "site"
    shutil.copytree(ROOT / "site_src", site / "site_src")
    done = _shell(commands, site, home=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (site / "site_src/papers/library.bib").is_file()
    pages = {soup(p).h1.get_text(" ", strip=True) for p in (site / "output/papers").glob("*/index.html")}
    assert {"Deep Residual Learning for Image Recognition", "Attention Is All You Need"} <= pages  # from the .bib
