"""Standing invariant 1: an incremental build equals a clean build, byte for byte, after any edits.

Random sequences of the edits an author makes (notes, posts, listings, images,
templates, site.yaml) are applied to a tiny site in the seed formats; after each
one the site is rebuilt by the long-lived dev builder (as `serve` does), by a
new builder that reads the warm state file (as a new `python build.py` does),
and from nothing, and the three output folders must be identical.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle_site import (
    ROOT,
    apply,
    build_once,
    clean_build,
    differences,
    make_site,
    options,
)

from papernotes.pipeline import Builder

DOCS = ["notes/generative.md", "posts/cvpr.md", "notes/new-note.md", "notes/sub/deep.md"]
small = st.integers(min_value=0, max_value=20)
EDITS = st.one_of(
    st.tuples(st.just("note_append"), st.sampled_from(DOCS), small),
    st.tuples(st.just("note_add"), small),
    st.tuples(st.just("doc_delete"), st.sampled_from(DOCS)),
    st.tuples(st.just("doc_rename"), st.sampled_from(DOCS)),
    st.tuples(st.just("post_edit"), small),
    st.tuples(st.just("listing"), small, small),
    st.tuples(st.just("hexo"), small),
    st.tuples(st.just("hf_edit"), small),
    st.tuples(st.just("image_add"), small, small),
    st.tuples(st.just("image_delete"), small),
    st.tuples(st.just("template"), small, small),
    st.tuples(st.just("override"), small, small),
    st.tuples(st.just("config"), small),
)


@pytest.fixture(scope="module")
def katex_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("katex")


def run_sequence(root: Path, katex_cache: Path, edits: list[tuple]) -> None:
    site = make_site(root, katex_cache)
    dev = Builder(options(site, root / "dev-out", dev=True))
    try:
        first = dev.build()
        assert first.errors == 0, [d.format() for d in first.diagnostics]
        build_once(options(site, root / "warm-out"))
        for step, edit in enumerate(edits):
            touched = apply(site, edit)
            dev_report = dev.build(touched)
            warm_report = build_once(options(site, root / "warm-out"))
            clean_report, clean = clean_build(site, katex_cache, root / "clean")
            what = f"after {edits[: step + 1]}"
            assert [d.format() for d in dev_report.diagnostics] == [d.format() for d in clean_report.diagnostics], what
            assert [d.format() for d in warm_report.diagnostics] == [d.format() for d in clean_report.diagnostics], what
            assert differences(clean, root / "dev-out") == [], f"dev server differs from a clean build {what}"
            assert differences(clean, root / "warm-out") == [], f"warm build differs from a clean build {what}"
    finally:
        dev.close()


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(EDITS, min_size=1, max_size=5))
def test_random_edit_sequences_build_like_a_clean_build(katex_cache, edits):
    with tempfile.TemporaryDirectory() as tmp:
        run_sequence(Path(tmp), katex_cache, edits)


# The three reports of issue 9, as fixed sequences.
def test_adding_a_missing_image_replaces_its_placeholder(tmp_path, katex_cache):
    run_sequence(tmp_path, katex_cache, [("image_add", 0, 1), ("note_append", "notes/generative.md", 0)])


def test_deleting_a_shown_image_then_editing_other_files(tmp_path, katex_cache):
    run_sequence(
        tmp_path,
        katex_cache,
        [("image_add", 0, 1), ("image_delete", 0), ("post_edit", 3), ("listing", 0, 1), ("image_add", 0, 2)],
    )


def test_topic_names_in_list_items_follow_an_abstract_edit(tmp_path, katex_cache):
    # _paper_item.html shows each paper's topics; an abstract edit moves a paper into "Diffusion".
    run_sequence(tmp_path, katex_cache, [("template", 1, 1), ("listing", 0, 2), ("listing", 0, 3), ("listing", 0, 2)])


def test_a_post_link_follows_its_target_and_the_math_convention(tmp_path, katex_cache):
    # The note links to posts/cvpr.md by name: its title changes, the post goes away, comes back renamed
    # (dangling), and the site's math convention changes under every document.
    run_sequence(
        tmp_path,
        katex_cache,
        [
            ("note_append", "notes/generative.md", 8),
            ("post_edit", 0),
            ("config", 4),
            ("doc_rename", "posts/cvpr.md"),
            ("post_edit", 0),
        ],
    )


def test_renames_deletes_and_config_in_one_session(tmp_path, katex_cache):
    run_sequence(
        tmp_path,
        katex_cache,
        [
            ("note_add", 1),
            ("image_add", 1, 0),
            ("doc_rename", "notes/sub/deep.md"),
            ("config", 1),
            ("listing", 3, 0),
            ("listing", 2, 0),
            ("template", 2, 0),
            ("doc_delete", "notes/generative.md"),
            ("config", 2),
        ],
    )


@pytest.mark.slow
def test_a_fixed_sequence_on_the_full_seed_site(tmp_path, katex_cache):
    """The seed site as a project of its own; the warm build is a real new process (`python build.py`)."""
    import shutil
    import subprocess
    import sys

    from oracle_site import Site

    site = Site(tmp_path)
    site.project.mkdir()
    shutil.copytree(ROOT / "templates", site.project / "templates")
    for name in ("static", "node_modules"):
        (site.project / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "site_src", site.project / "site_src")
    (tmp_path / "site_src").symlink_to(site.project / "site_src")
    note = site.source / "notes/cvpr2022-generative-models.md"
    listing = site.source / "papers/cvpr-2023-list19.md"
    item = site.project / "templates/_paper_item.html"
    image = site.source / "notes/image/GenerativeModel/1681642179358.png"
    steps = [
        lambda: note.write_text(note.read_text(encoding="utf-8") + "\n新增 $x_1$ 与 diffusion。\n", encoding="utf-8"),
        lambda: image.parent.mkdir(parents=True, exist_ok=True),
        lambda: image.write_bytes(b"\x89PNG fake"),
        lambda: listing.write_text(
            listing.read_text(encoding="utf-8").replace("weakly supervised", "diffusion", 1), encoding="utf-8"
        ),
        lambda: item.write_text(
            item.read_text(encoding="utf-8").replace(
                '<li class="paper-item">', '<li class="paper-item">{% for t in p.topic_links %}{{ t.name }}{% endfor %}'
            ),
            encoding="utf-8",
        ),
        lambda: image.unlink(),
        lambda: (site.source / "site.yaml").write_text(
            (site.source / "site.yaml").read_text(encoding="utf-8") + "\npapers_per_page: 30\n", encoding="utf-8"
        ),
    ]
    warm = [sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--output", str(tmp_path / "warm-out")]
    dev = Builder(options(site, tmp_path / "dev-out", dev=True))
    try:
        dev.build()
        subprocess.run(warm, cwd=site.project, check=False, capture_output=True)
        for n, step in enumerate(steps):
            step()
            dev.build(None if n % 2 else {note})
            done = subprocess.run(warm, cwd=site.project, capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-2000:]
            _, clean = clean_build(site, katex_cache, tmp_path / "clean")
            assert differences(clean, tmp_path / "dev-out") == [], f"dev after step {n}"
            assert differences(clean, tmp_path / "warm-out") == [], f"new process after step {n}"
    finally:
        dev.close()


def test_hexo_front_matter_and_site_permalinks_follow_every_edit(tmp_path, katex_cache):
    # Draft, aliases, permalink, tag spelling, nested categories, updated: each toggled on the post, under
    # the site-wide permalink pattern and another time zone; a standalone page links to the post by name.
    run_sequence(
        tmp_path,
        katex_cache,
        [
            ("note_add", 2),
            ("hexo", 1),
            ("hexo", 2),
            ("config", 5),
            ("hexo", 2),
            ("hexo", 3),
            ("hexo", 4),
            ("config", 6),
            ("hexo", 5),
            ("hexo", 0),
            ("image_add", 3, 1),
            ("hexo", 0),
            ("post_edit", 0),
        ],
    )
