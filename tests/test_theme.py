"""The default theme (papernotes/theme) and a site's own templates/ and static/ overriding it file by file.

An override added, edited, made identical to the theme's file or deleted re-renders exactly the pages
that use that template, and the result equals a clean build byte for byte (the oracle's "override" edit).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from oracle_site import ROOT, apply, build_once, clean_build, differences, make_site, options
from sitebuild import soup

from papernotes.pipeline import Builder
from papernotes.theme import TOOL_ROOT, katex_root, static_dirs, template_dirs, theme_dir

needs_katex = pytest.mark.skipif(
    not (ROOT / "node_modules" / "katex").is_dir(), reason="node_modules/katex is not installed (run `npm ci`)"
)


def test_the_theme_is_the_checkouts_templates_and_static_in_a_checkout():
    assert theme_dir("templates") == ROOT / "templates" and theme_dir("static") == ROOT / "static"
    assert TOOL_ROOT == ROOT
    # The reference site is its own theme: one folder each, not the same folder twice.
    assert template_dirs(ROOT) == [ROOT / "templates"] and static_dirs(ROOT) == [ROOT / "static"]


def test_a_site_looks_in_its_own_folders_first(tmp_path):
    assert template_dirs(tmp_path) == [tmp_path / "templates", ROOT / "templates"]
    assert static_dirs(tmp_path) == [tmp_path / "static", ROOT / "static"]


@needs_katex
def test_katex_comes_from_the_site_else_the_tool(tmp_path):
    assert katex_root(tmp_path) == ROOT  # the tool's own node_modules
    (tmp_path / "node_modules" / "katex").mkdir(parents=True)
    (tmp_path / "node_modules" / "katex" / "package.json").write_text('{"version": "0.16.0"}')
    assert katex_root(tmp_path) == tmp_path


def _site_without_templates(tmp_path: Path) -> tuple[Path, Path]:
    """A site folder with no templates/ or static/ of its own: everything comes from the theme."""
    project = tmp_path / "site"
    (project / "site_src" / "notes").mkdir(parents=True)
    (project / "site_src" / "notes" / "n.md").write_text("---\ntitle: N\ndate: 2024-03-04\n---\n\n正文。\n")
    (project / "site_src" / "posts").mkdir()
    (project / "site_src" / "posts" / "p.md").write_text("---\ntitle: P\ndate: 2024-03-05\n---\n\n文章。\n")
    return project, project / "site_src"


@needs_katex
def test_overrides_re_render_only_the_pages_that_use_them(tmp_path):
    project, source = _site_without_templates(tmp_path)
    from papernotes.pipeline import BuildOptions

    def opts(out: str, dev: bool = False) -> BuildOptions:
        return BuildOptions(project=project, source=source, output=tmp_path / out, search=False, dev=dev)

    dev = Builder(opts("dev", dev=True))
    try:
        first = dev.build()
        assert first.errors == 0 and first.rendered_pages == first.pages
        assert dev.build().rendered_pages == 0
        templates, static = project / "templates", project / "static"
        templates.mkdir()
        theme_doc = (ROOT / "templates" / "document.html").read_text(encoding="utf-8")
        (templates / "document.html").write_text(theme_doc)  # the same bytes as the theme's: nothing to do
        assert dev.build().rendered_pages == 0
        (templates / "document.html").write_text(
            theme_doc.replace("{% block content %}", "{% block content %}<i id=own>")
        )
        again = dev.build()
        assert sorted(again.rendered) == ["notes/n/index.html", "posts/p/index.html"]
        assert soup(tmp_path / "dev/notes/n/index.html").select_one("#own") is not None
        static.mkdir()
        (static / "style.css").write_text("body { color: red }\n")
        assert dev.build().rendered_pages == 0
        assert (tmp_path / "dev/static/style.css").read_text() == "body { color: red }\n"
        assert (tmp_path / "dev/static/search.js").read_bytes() == (ROOT / "static/search.js").read_bytes()
        (templates / "document.html").unlink()  # the theme's again
        (static / "style.css").unlink()
        last = dev.build()
        assert sorted(last.rendered) == ["notes/n/index.html", "posts/p/index.html"]
    finally:
        dev.close()
    clean = build_once(opts("clean"))
    assert clean.errors == 0 and differences(tmp_path / "clean", tmp_path / "dev") == []
    assert (tmp_path / "dev/static/style.css").read_bytes() == (ROOT / "static/style.css").read_bytes()


@needs_katex
@pytest.mark.parametrize(
    "edits",
    [
        [("override", 0, 2), ("override", 0, 0), ("override", 0, 1)],
        [("override", 1, 2), ("template", 0, 0), ("override", 1, 0), ("override", 2, 2)],
        [("override", 2, 0), ("note_add", 1), ("override", 2, 2), ("override", 0, 2), ("override", 0, 1)],
    ],
)
def test_override_edits_build_like_a_clean_build(tmp_path, edits):
    """The oracle's "override" edit (tests/oracle_site.py), in fixed sequences."""
    katex_cache = tmp_path / "katex"
    katex_cache.mkdir()
    site = make_site(tmp_path / "site", katex_cache)
    dev = Builder(options(site, tmp_path / "dev-out", dev=True))
    try:
        assert dev.build().errors == 0
        build_once(options(site, tmp_path / "warm-out"))
        for step, edit in enumerate(edits):
            touched = apply(site, edit)
            dev.build(touched)
            build_once(options(site, tmp_path / "warm-out"))
            _, clean = clean_build(site, katex_cache, tmp_path / "clean")
            assert differences(clean, tmp_path / "dev-out") == [], f"dev differs after {edits[: step + 1]}"
            assert differences(clean, tmp_path / "warm-out") == [], f"warm differs after {edits[: step + 1]}"
    finally:
        dev.close()
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
