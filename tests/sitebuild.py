"""Helpers the tests share: the project root, building a site, parsing HTML."""
from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SEED_SOURCE = ROOT / "site_src"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build_site(source: Path, output: Path, base_url: str | None = None, project: Path = ROOT):
    from papernotes.pipeline import Builder, BuildOptions

    builder = Builder(BuildOptions(project=project, source=source, output=output, base_url=base_url))
    try:
        return builder.build()
    finally:
        builder.close()


def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder with its own templates (and cache) plus a writable copy of site_src/."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "templates", project / "templates")
    for name in ("static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    source = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", source)
    return project, source
