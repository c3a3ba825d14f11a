"""Shared fixtures: the project root, a built copy of the seed site, HTML parsing."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import settings
from sitebuild import SEED_SOURCE, build_site

# Property tests run the same examples on every machine, so CI's verdict is reproducible;
# `pytest --hypothesis-profile=explore` searches new ones (and finds what the fixed seed misses).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=5000, print_blob=True)
settings.load_profile("ci")


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
