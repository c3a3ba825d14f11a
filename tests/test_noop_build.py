"""A build in a new process when nothing changed: stat what it would read, and stop (issue 13, warm no-op).

The no-op must report what the last build reported, and must not be taken when anything it would read,
or anything it wrote, is not as the last good build left it."""

from __future__ import annotations

import os

from sitebuild import build_site, project_copy

NOTE = "notes/cvpr2022-generative-models.md"


def _build(project, source, output, **options):
    return build_site(source, output, project=project, search=False, **options)


def test_nothing_changed_is_a_no_op_with_the_same_report(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    first = _build(project, source, out)
    again = _build(project, source, out)
    assert (again.pages, again.rendered_pages, again.written, again.removed) == (first.pages, 0, [], [])
    assert again.sources == first.sources == 5  # not an empty site (deploy refuses to publish one)
    assert again.diagnostics == first.diagnostics and again.warnings == 13  # the seed's image warnings, again
    assert again.exit_code() == first.exit_code() == 0
    assert _build(project, source, out).rendered_pages == 0  # and again: the no-op keeps its own lease


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    _build(project, source, out)
    note = source / NOTE
    before = note.stat()
    text = note.read_text(encoding="utf-8")
    assert "GAN" in text
    note.write_text(text.replace("GAN", "NAG", 1), encoding="utf-8")  # same size
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime (its ctime moves)
    edited = _build(project, source, out)
    assert edited.rendered == ["notes/cvpr2022-generative-models/index.html"]
    assert "NAG" in (out / "notes/cvpr2022-generative-models/index.html").read_text(encoding="utf-8")


def test_a_file_removed_from_output_or_a_theme_edit_is_not_a_no_op(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    first = _build(project, source, out)
    (out / "archive/index.html").unlink()
    assert _build(project, source, out).rendered_pages == 1
    assert (out / "archive/index.html").is_file()
    template = project / "templates" / "base.html"
    template.write_text(template.read_text(encoding="utf-8").replace("跳到正文", "跳到正文 "), encoding="utf-8")
    assert _build(project, source, out).rendered_pages == first.pages - _bib_files(out)


def test_other_options_or_another_build_of_the_output_are_not_a_no_op(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    _build(project, source, out)
    moved = _build(project, source, out, base_url="https://example.org/sub/")
    assert moved.rendered_pages == moved.pages
    assert 'href="/sub/' in (out / "index.html").read_text(encoding="utf-8")
    # A build of another source into the same output, then this one again: everything is checked.
    other = tmp_path / "other_src"
    (other / "notes").mkdir(parents=True)
    (other / "notes" / "x.md").write_text("# X\n\n正文\n", encoding="utf-8")
    _build(project, other, out)
    back = _build(project, source, out, base_url="https://example.org/sub/")
    assert back.rendered_pages == back.pages and (out / "papers").is_dir()


def test_a_build_with_errors_leaves_no_no_op(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    (source / "notes" / "broken.md").write_text("---\ntitle: [unclosed\n---\n正文\n", encoding="utf-8")
    first = _build(project, source, out)
    assert first.errors >= 1
    again = _build(project, source, out)
    assert again.errors == first.errors and again.rendered_pages > 0  # built again, errors reported again


def _bib_files(out) -> int:
    """The lists' .bib files: pages that do not extend base.html (templates/papers.bib)."""
    return sum(1 for _ in out.rglob("papers.bib"))
