"""Issue 14's reading furniture on a note's or post's page, through a build of a small site: the contents
beside the text (only with three headings or more, each entry a link to its heading's id), the reading
time (Chinese counted by the character), the `updated:` date, and the previous / next note or post of the
same kind (oldest to newest), and that these stay right when a neighbour changes (incremental = clean)."""

from __future__ import annotations

from pathlib import Path

from oracle_site import differences
from sitebuild import build_site, soup
from test_note_features import make_site, write

from papernotes.site.reading import page_toc, reading_minutes


def _note(title: str, date: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}"


SECTIONS = (
    "## 方法 Method\n\n正文。\n\n### 损失 $L_1$ loss\n\n公式。\n\n## 实验 [链接](https://example.org)\n\n结果。\n"
)
FILES = {
    "notes/a.md": _note("最早的笔记", "2024-01-01", SECTIONS, "updated: 2024-03-05\ntags: [GAN, 人脸]\n"),
    "notes/b.md": _note("中间的笔记", "2024-02-01", "## 只有一节\n\n" + "字" * 1200 + "\n", "tags: [GAN]\n"),
    "notes/c.md": _note("最新的笔记", "2024-03-01", "正文\n", "tags: [GAN]\ncategories: [[CV, Diffusion]]\n"),
    "posts/p.md": _note("一篇文章", "2024-02-15", "## 一\n\n## 二\n\n## 三\n", "toc: true\n"),
    "pages/about.md": _note("关于", "2024-01-01", "## 一\n\n## 二\n\n## 三\n"),
    "posts/q.md": _note("不要目录", "2024-02-16", "## 一\n\n## 二\n\n## 三\n", "toc: false\n"),
}


def _build(tmp_path: Path, files: dict[str, str]):
    project, source = make_site(tmp_path, files)
    output = tmp_path / "out"
    report = build_site(source, output, project=project, search=False)
    return project, source, output, report


def _page(output: Path, url: str):
    return soup(output / url / "index.html")


def test_contents_neighbours_reading_time_and_updated(tmp_path):
    _, _, output, report = _build(tmp_path, FILES)
    assert report.errors == 0
    a = _page(output, "notes/a")
    entries = a.select("nav.page-toc a")
    assert [e.get_text(" ", strip=True) for e in entries][0] == "方法 Method"
    assert len(entries) == 3 and all(a.find(id=e["href"][1:]) is not None for e in entries)
    assert [e.parent["class"] for e in entries] == [["toc-depth-0"], ["toc-depth-1"], ["toc-depth-0"]]
    assert a.select_one("nav.page-toc a[href] a") is None  # a heading's own link is not nested in the entry
    assert a.select_one("nav.page-toc .katex") is not None  # math in a heading shows in its entry
    assert a.select_one(".updated time")["datetime"].startswith("2024-03-05")
    assert _page(output, "notes/b").select_one("nav.page-toc") is None  # one heading: no contents
    assert _page(output, "posts/p").select("nav.page-toc a")  # a post has one too
    assert _page(output, "about").select_one("nav.page-toc") is None  # a standalone page has none
    assert _page(output, "posts/q").select_one("nav.page-toc") is None  # toc: false
    assert "阅读约 4 分钟" in _page(output, "notes/b").select_one(".doc-stats").get_text()  # 1,200 characters + 4
    # previous = older, next = newer, among notes only (the post is between them in time)
    b = _page(output, "notes/b")
    assert b.select_one(".doc-neighbours a[rel=prev]")["href"] == "/notes/a/"
    assert b.select_one(".doc-neighbours a[rel=next]")["href"] == "/notes/c/"
    assert a.select_one(".doc-neighbours a[rel=prev]") is None
    assert _page(output, "notes/c").select_one(".doc-neighbours a[rel=next]") is None
    assert _page(output, "posts/p").select_one(".doc-neighbours a[rel=next]")["href"] == "/posts/q/"
    assert _page(output, "about").select_one(".doc-neighbours") is None


def test_a_neighbours_new_title_is_shown_by_the_next_incremental_build(tmp_path):
    project, source, output, _ = _build(tmp_path, FILES)
    write(source / "notes/c.md", _note("改过标题的笔记", "2024-03-01", "正文\n"))
    write(source / "notes/d.md", _note("又一篇", "2024-04-01", "正文\n"))
    build_site(source, output, project=project, search=False)
    assert "改过标题的笔记" in _page(output, "notes/b").select_one("a[rel=next]").get_text()
    assert _page(output, "notes/c").select_one("a[rel=next]")["href"] == "/notes/d/"
    clean = tmp_path / "clean"
    build_site(source, clean, project=project, search=False)
    assert differences(clean, output) == []


def test_page_toc_and_reading_minutes():
    html = '<h2 id="a">A<a class="headerlink" href="#a">¶</a></h2><p>x</p><h4 id="b">B</h4><h3 id="c">C</h3>'
    toc = page_toc(html)
    assert [(t["depth"], t["href"], str(t["html"])) for t in toc] == [(0, "#a", "A"), (2, "#b", "B"), (1, "#c", "C")]
    assert page_toc('<h2 id="a">A</h2><h2 id="b">B</h2>') == []
    assert [reading_minutes(n) for n in (0, 1, 400, 401, 4000)] == [1, 1, 1, 2, 10]


def test_the_tag_index_is_weighted_and_categories_nest(tmp_path):
    _, _, output, _ = _build(tmp_path, FILES)
    tags = {a.get_text(): a.parent["class"] for a in _page(output, "tags").select(".term-cloud a")}
    assert tags == {"GAN": ["weight-5"], "人脸": ["weight-1"]}  # 3 uses against 1
    levels = [(li["class"], li.a.get_text()) for li in _page(output, "categories").select(".term-tree li")]
    assert levels == [(["depth-0"], "CV"), (["depth-1"], "Diffusion")]
    nav = [a.get_text() for a in _page(output, "notes/a").select(".site-nav a")]
    assert "标签" in nav and "分类" in nav
