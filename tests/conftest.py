"""Shared fixtures: the project root, a built copy of the seed site, HTML parsing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory):
    """The seed content built once for the whole session: (output dir, report)."""
    output = tmp_path_factory.mktemp("seed-output")
    report = build_site(SEED_SOURCE, output)
    return output, report


@pytest.fixture
def site_copy(tmp_path):
    """A writable copy of site_src/ to edit in a test."""
    target = tmp_path / "site_src"
    shutil.copytree(SEED_SOURCE, target)
    return target
