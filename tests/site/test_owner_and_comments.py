"""Two site.yaml settings of issue 14: `me:` marks the owner's name in every author list (a rule on the links to
the owner's author page, whatever slug that page got), and `comments:` adds a Giscus or Waline block to notes
and posts -- off by default, where no page names a comments service at all."""

from __future__ import annotations

from pathlib import Path

from sitebuild import build_site, soup
from test_note_features import make_site

BIB = """@inproceedings{a, author = {Nannan Wang and Xinbo Gao}, title = {One}, booktitle = {CVPR}, year = {2022}}
@article{b, author = {Xinbo Gao and N. Wang}, title = {Two}, journal = {arXiv}, year = {2023}}
"""
NOTE = "---\ntitle: 笔记\ndate: 2024-01-02\n{extra}---\n\n正文\n"
GISCUS = "comments:\n  service: giscus\n  repo: me/notes\n  repo_id: R_1\n  category: Comments\n  category_id: C_1\n"


def _build(tmp_path: Path, site_yaml: str, extra: str = ""):
    files = {
        "site.yaml": "title: T\n" + site_yaml,
        "papers/lib.bib": BIB,
        "notes/a.md": NOTE.format(extra=extra),
        "notes/b.md": NOTE.format(extra="comments: false\n"),
        "pages/about.md": NOTE.format(extra=""),
    }
    project, source = make_site(tmp_path, files)
    output = tmp_path / "out"
    report = build_site(source, output, project=project, search=False)
    return output, report


def _html(output: Path) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8") for p in output.rglob("*.html")}


def test_the_owners_name_is_marked_in_every_author_list(tmp_path):
    output, report = _build(tmp_path, "me: [Nannan Wang]\nauthor_aliases:\n  N. Wang: Nannan Wang\n")
    assert report.errors == 0
    page = soup(output / "index.html")
    rule = page.select_one("head style").get_text()
    assert '[href="/authors/nannan-wang/"]' in rule and "--me-bg" in rule
    # the rule reaches each list that names the owner: the paper pages (both spellings) and the list items
    for rel in ("papers/one/index.html", "papers/two/index.html", "papers/index.html"):
        assert soup(output / rel).select('main a[href="/authors/nannan-wang/"]'), rel
    plain, _ = _build(tmp_path / "plain", "")
    assert soup(plain / "index.html").select_one("head style") is None


def test_comments_are_off_by_default_and_opt_out_per_document(tmp_path):
    off, report = _build(tmp_path / "off", "")
    assert report.errors == report.warnings == 0
    assert not any("giscus" in html or "waline" in html or 'id="comments"' in html for html in _html(off).values())
    on, report = _build(tmp_path / "on", GISCUS, extra="comment_title: 留言\n")
    assert report.errors == 0
    note = soup(on / "notes/a/index.html")
    script = note.select_one("#comments script")
    assert script["src"] == "https://giscus.app/client.js" and script["data-repo"] == "me/notes"
    assert script["data-repo-id"] == "R_1" and script["data-mapping"] == "pathname"
    assert note.select_one("#comments h2").get_text() == "留言"
    assert soup(on / "notes/b/index.html").select_one("#comments") is None  # comments: false
    assert soup(on / "about/index.html").select_one("#comments") is None  # a standalone page
    waline, _ = _build(tmp_path / "waline", "comments:\n  service: waline\n  server_url: https://c.example.org\n")
    module = soup(waline / "notes/a/index.html").select_one("#comments script[type=module]").get_text()
    assert '"serverURL": "https://c.example.org"' in module and '"path": "notes/a/"' in module


def test_a_comments_service_without_its_settings_is_a_warning_and_stays_off(tmp_path):
    output, report = _build(tmp_path, "comments:\n  service: giscus\n  repo: me/notes\n")
    warnings = [d.format() for d in report.diagnostics if d.level == "warning"]
    assert any(
        "site.yaml:2: warning: comments: giscus needs repo_id, category, category_id; off" in w for w in warnings
    )
    assert soup(output / "notes/a/index.html").select_one("#comments") is None
