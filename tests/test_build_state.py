"""Warm builds in a new process: only pages whose inputs changed since the last good build render."""

from __future__ import annotations

import contextlib
import os

from sitebuild import build_site, project_copy

from papernotes.pipeline import Builder, BuildOptions


def _build(project, source, output):
    return build_site(source, output, project=project, search=False)


def test_new_process_renders_only_what_changed(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    first = _build(project, source, out)
    assert first.rendered_pages == first.pages
    assert _build(project, source, out).rendered_pages == 0  # nothing changed

    note = source / "notes" / "cvpr2022-generative-models.md"
    stamp = note.stat()
    note.write_text(note.read_text(encoding="utf-8") + "\n新的一段笔记。\n", encoding="utf-8")
    # This copy is not in git, so the undated note's date is its mtime: keep it, or the archive moves.
    os.utime(note, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    edited = _build(project, source, out)
    assert edited.rendered == ["notes/cvpr2022-generative-models/index.html"]  # lists and papers show nothing new
    assert "新的一段笔记" in (out / "notes/cvpr2022-generative-models/index.html").read_text(encoding="utf-8")

    (out / "archive/index.html").unlink()  # a file removed by hand is rendered again
    assert _build(project, source, out).rendered_pages == 1
    assert (out / "archive/index.html").is_file()

    template = project / "templates" / "base.html"  # code and templates are part of the state's key
    template.write_text(template.read_text(encoding="utf-8").replace("跳到正文", "跳到正文 "), encoding="utf-8")
    assert _build(project, source, out).rendered_pages == first.pages - _bib_files(out)

    (source / "site.yaml").write_text(
        (source / "site.yaml").read_text(encoding="utf-8") + "\npapers_per_page: 40\n", encoding="utf-8"
    )
    assert _build(project, source, out).rendered_pages > first.pages - 10  # config change: full render


def test_a_build_with_errors_is_never_trusted(tmp_path):
    project, source = project_copy(tmp_path)
    out = tmp_path / "out"
    _build(project, source, out)
    bad = source / "posts" / "bad.md"
    bad.write_text("---\ntitle: [broken\n---\n正文\n", encoding="utf-8")
    broken = _build(project, source, out)
    assert broken.errors
    bad.unlink()
    after = _build(project, source, out)
    assert after.errors == 0 and after.rendered_pages == after.pages


def test_page_template_change_rerenders_only_its_pages(tmp_path):
    """Issue 5: a template change re-renders what uses it, not the whole site."""
    project, source = project_copy(tmp_path)
    builder = Builder(BuildOptions(project=project, source=source, output=tmp_path / "out", search=False))
    try:
        first = builder.build()
        topic = project / "templates" / "topic.html"
        topic.write_text(topic.read_text(encoding="utf-8").replace("关键词：", "关键词（已修改）："), encoding="utf-8")
        report = builder.build({topic})
        # topic.html draws every page under topics/ (a topic's list, paginated) but topics/index.html
        topics = sum(1 for p in (tmp_path / "out" / "topics").rglob("index.html")) - 1
        assert report.rendered_pages == topics < first.rendered_pages
        assert all(w.startswith("topics/") for w in report.written) and report.written
        base = project / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("跳到正文", "跳到正文。"), encoding="utf-8")
        assert builder.build({base}).rendered_pages == first.rendered_pages - _bib_files(tmp_path / "out")
    finally:
        builder.close()


@contextlib.contextmanager
def dev_builder(tmp_path):
    """A dev-server builder on a copy of the seed site, after its first (full) build."""
    project, source = project_copy(tmp_path)
    builder = Builder(BuildOptions(project=project, source=source, output=tmp_path / "out", search=False, dev=True))
    try:
        builder.build()
        yield builder, source
    finally:
        builder.close()


def test_a_note_edit_rerenders_the_pages_that_show_it_not_the_paper_lists(tmp_path):
    """Issue 9: the pages a note's title appears on re-render; paper, author, venue and topic lists do not."""
    with dev_builder(tmp_path) as (builder, source):
        note = source / "notes" / "cvpr2022-generative-models.md"
        note.write_text("---\ntitle: 生成模型论文笔记\n---\n" + note.read_text(encoding="utf-8"), encoding="utf-8")
        report = builder.build({note})
        tops = {path.split("/", 1)[0] if "/" in path else path for path in report.rendered}
        assert "notes" in tops and "index.html" in tops  # the note, the notes index, the home page
        # The papers its sections are about show the note's new title; no list of papers changes.
        papers = [p for p in report.rendered if p.startswith("papers/")]
        assert 0 < len(papers) <= 8 and not any(p.startswith("papers/page") or p == "papers/index.html" for p in papers)
        assert not tops & {"authors", "venues", "topics"}
        assert "生成模型论文笔记" in (tmp_path / "out" / papers[0]).read_text(encoding="utf-8")


def test_an_abstract_edit_rerenders_only_that_papers_page(tmp_path):
    with dev_builder(tmp_path) as (builder, source):
        listing = source / "papers" / "cvpr-2023-list19.md"
        text = listing.read_text(encoding="utf-8")
        listing.write_text(
            text.replace("given video-language correspondence only", "given only correspondence", 1), encoding="utf-8"
        )
        report = builder.build({listing})
        assert len(report.rendered) == 1 and report.rendered[0].startswith("papers/weakly-supervised-temporal")


def _bib_files(out) -> int:
    """The lists' .bib files: pages that do not extend base.html (templates/papers.bib)."""
    return sum(1 for _ in out.rglob("papers.bib"))
