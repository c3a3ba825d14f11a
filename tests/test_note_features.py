"""Issue 10's note features, end to end through a build: math conventions, `{% post_link %}` (and its incremental
rebuilds, equal to clean builds), images of every kind, Hexo tags and Hugo shortcodes, the TeX-outside-math
warning, page descriptions and the seed acceptance checks not asserted elsewhere.

Each test builds a small site in tmp_path (no Pagefind). KaTeX needs `npm ci`: tests that read rendered math
are skipped locally when node_modules/katex is missing, and fail in CI (env CI set), as in render/test_katex.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from linkcheck import broken_links
from oracle_site import differences
from sitebuild import ROOT, build_site, project_copy, soup

from papernotes.pipeline import Builder, BuildOptions

needs_katex = pytest.mark.skipif(
    not (ROOT / "node_modules" / "katex" / "package.json").is_file() and not os.environ.get("CI"),
    reason="node_modules/katex is not installed (run `npm ci`)",
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def make_site(root: Path, files: dict[str, str | bytes]) -> tuple[Path, Path]:
    """A project (templates, static and node_modules linked) and its site_src/ holding `files`."""
    project = root / "project"
    project.mkdir(parents=True)
    for name in ("templates", "static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    source = root / "site_src"
    for rel, content in files.items():
        write(source / rel, content)
    return project, source


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def doc(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2024-01-02\n{extra}---\n\n{body}"


def line_of(text: str, needle: str) -> int:
    return next(no for no, line in enumerate(text.split("\n"), 1) if needle in line)


def prose(output: Path, url: str):
    return soup(output / url / "index.html").select_one(".prose")


def warnings_of(report, path: str) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in report.diagnostics if d.path == path and d.level == "warning"]


# -- 1. math: auto | tex | kramed -----------------------------------------------------------------------------

DOLLARS = doc("Dollars", "花了 $5 and $x$ 元。\n")
KRAMED = doc("Kramed", "文中 $$x_1$$ 行内。\n")
TEX = doc("Tex", "文中 $$y$$ 行内。\n", extra="math: tex\n")
INVALID = doc("Invalid", "文中 $x$ 与 $$y$$ 行内。\n", extra="math: latex\n")


@needs_katex
def test_math_convention_of_the_site_and_of_one_note(tmp_path):
    files = {"site.yaml": "title: M\nmath: kramed\n", "notes/dollars.md": DOLLARS, "notes/kramed.md": KRAMED}
    project, source = make_site(tmp_path, {**files, "notes/tex.md": TEX})
    out = tmp_path / "out"
    assert build_site(source, out, project=project, search=False).diagnostics == []

    dollars = prose(out, "notes/dollars")
    assert dollars.get_text().strip() == "花了 $5 and $x$ 元。"
    assert not dollars.select(".katex, .math-inline, .math-display, .math-error")
    kramed = prose(out, "notes/kramed")  # kramed: `$$…$$` inside a line of text is inline math
    assert [a.get_text() for a in kramed.select("p > span.math-inline annotation")] == ["x_1"]
    assert not kramed.select(".math-display") and "$" not in kramed.get_text()
    tex = prose(out, "notes/tex")  # the note's `math: tex` wins: `$$…$$` is always display math
    assert [a.get_text() for a in tex.select(".math-display annotation")] == ["y"]
    assert not tex.select(".math-inline") and "$" not in tex.get_text()


@needs_katex
def test_an_invalid_math_value_warns_at_its_line_and_the_build_uses_auto(tmp_path):
    site_yaml = "title: M\nmath: latex\n"
    project, source = make_site(tmp_path, {"site.yaml": site_yaml, "notes/invalid.md": INVALID})
    out = tmp_path / "out"
    report = build_site(source, out, project=project, search=False)
    found = [(d.path, d.line, d.level) for d in report.diagnostics]
    assert found == [
        ("notes/invalid.md", line_of(INVALID, "math:"), "warning"),
        ("site.yaml", line_of(site_yaml, "math:"), "warning"),
    ]
    assert all("'latex'" in d.message for d in report.diagnostics) and report.errors == 0
    assert (out / "index.html").is_file()
    page = prose(out, "notes/invalid")  # auto: `$x$` is math (not kramed), `$$y$$` in a line is inline (not tex)
    assert [a.get_text() for a in page.select(".math-inline annotation")] == ["x", "y"]
    assert not page.select(".math-display") and "$" not in page.get_text()


# -- 2. {% post_link %}: resolved, warned about, and rebuilt when its target changes ------------------------------

POST_A = doc("Post A", "See {% post_link B %} here.\n\nAnd {% post_link missing %} there.\n")


def options(project: Path, source: Path, where: Path, dev: bool = False) -> BuildOptions:
    return BuildOptions(project=project, source=source, output=where / "out", search=False, dev=dev, cache=where / "c")


def once(opts: BuildOptions):
    builder = Builder(opts)
    try:
        return builder.build()
    finally:
        builder.close()


def clean_build(project: Path, source: Path, where: Path) -> Path:
    """From nothing: a new output folder and a new cache."""
    shutil.rmtree(where, ignore_errors=True)
    once(options(project, source, where))
    return where / "out"


def test_post_link_follows_its_target_in_incremental_builds_equal_to_clean(tmp_path):
    files = {"site.yaml": "title: L\n", "posts/A.md": POST_A, "posts/B.md": doc("Post B", "B.\n")}
    project, source = make_site(tmp_path, {**files, "notes/C.md": doc("Note C", "Unrelated.\n")})
    dev_dir, warm_dir = tmp_path / "dev", tmp_path / "warm"
    dev = Builder(options(project, source, dev_dir, dev=True))  # what `serve` keeps
    try:
        first = dev.build()
        assert first.diagnostics == once(options(project, source, warm_dir)).diagnostics  # a warm state for later
        assert warnings_of(first, "posts/A.md") == [(line_of(POST_A, "missing"), "post_link: no post named 'missing'")]
        page = prose(dev_dir / "out", "posts/A")
        assert [(a["href"], a.get_text()) for a in page.select("a")] == [("/posts/B/", "Post B")]
        assert page.find_all("p")[1].get_text() == "And missing there."  # the link text stays visible

        edits = [
            ("posts/B.md", doc("Post B renamed", "B.\n")),  # the linked post's title changes
            ("posts/missing.md", doc("Now here", "M.\n")),  # the missing post comes
        ]
        for rel, text in edits:
            changed = write(source / rel, text)
            for report in (dev.build({changed}), once(options(project, source, warm_dir))):  # dev, new process
                assert "posts/A/index.html" in report.rendered, rel
                assert "notes/C/index.html" not in report.rendered, rel
            clean = clean_build(project, source, tmp_path / "clean")
            assert differences(clean, dev_dir / "out") == [], rel
            assert differences(clean, warm_dir / "out") == [], rel

        page = prose(dev_dir / "out", "posts/A")
        assert [(a["href"], a.get_text()) for a in page.select("a")] == [
            ("/posts/B/", "Post B renamed"),
            ("/posts/missing/", "Now here"),
        ]
        assert warnings_of(report, "posts/A.md") == []
    finally:
        dev.close()


# -- 3. images: Typora's HTML <img> into the asset folder, Hexo's asset_img, /root images -------------------------

NOTE_IMAGES = doc(
    "Note",
    '<img src="Note/1.png" style="zoom:50%">\n\n1. 第一项\n\n   <img src="Note/1.png" style="zoom:50%">\n\n2. 第二项\n',
)


def test_images_of_every_kind_resolve_and_a_missing_one_is_one_warning(tmp_path):
    project, source = make_site(
        tmp_path,
        {
            "site.yaml": "title: I\nbase_url: https://example.github.io/site/\n",
            "notes/Note.md": NOTE_IMAGES,
            "notes/Note/1.png": PNG,
            "posts/Post.md": doc("Post", "{% asset_img 1.png 说明 %}\n"),
            "posts/Post/1.png": PNG,
            "notes/root.md": doc("Root", "根目录的图 ![x](/images/x.png)。\n"),
            "images/x.png": PNG,
        },
    )
    out = tmp_path / "out"
    report = build_site(source, out, project=project, search=False)
    assert report.diagnostics == []
    assert broken_links(out, "/site/") == []
    for rel in ("notes/Note/Note/1.png", "posts/Post/1.png", "images/x.png"):
        assert (out / rel).read_bytes() == PNG, rel
    note = prose(out, "notes/Note")
    assert [img["src"] for img in note.select("img")] == ["Note/1.png", "Note/1.png"]
    first_item = note.select("ol > li")[0]
    assert first_item.find("img")["src"] == "Note/1.png" and "第一项" in first_item.get_text()
    post_img = prose(out, "posts/Post").find("img")
    assert (post_img["src"], post_img["alt"]) == ("1.png", "说明")
    assert prose(out, "notes/root").find("img")["src"] == "/site/images/x.png"

    missing = NOTE_IMAGES + '\n<img src="Note/missing.png">\n'
    write(source / "notes/Note.md", missing)
    report = build_site(source, out, project=project, search=False)
    assert [d.format() for d in report.diagnostics] == [
        f"notes/Note.md:{line_of(missing, 'missing.png')}: warning: image not found: Note/missing.png"
    ]
    note = prose(out, "notes/Note")
    assert [holder.code.get_text() for holder in note.select(".missing-image")] == ["Note/missing.png"]
    assert not note.select('img[src="Note/missing.png"]')


# -- one shared site for tags, the TeX warning and descriptions ---------------------------------------------------

TAGS = doc(
    "Tags",
    """前言

{% note warning %}
- 一
- 二
{% endnote %}

{% codeblock lang:python %}
def f(x):
    return x
{% endcodeblock %}

{{< details "展开" >}}
隐藏的 **内容**
{{< /details >}}

笑 :smile: 了

{% youtube x %}
""",
)
TEX_LEFT = doc("TeX", "正文 \\frac{a}{b} 散落。\n\n```\n\\frac{a}{b}\n```\n\n行内 `\\frac{a}{b}` 代码。\n")
LONG_FENCE = doc("Fence", "````md\n```\n\\frac{a}{b}\n```\n````\n")
DESCRIBED = doc(
    "Described",
    """## 第一节

**粗体** 与 *斜体*、[链接](https://example.org) 和 {% post_link B %}。

$$
E = mc^2
$$

行内 $x$ 与 $$y$$ 公式，`code` 之后。

{% note info %}
- 提示项
{% endnote %}
""",
)


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    root = tmp_path_factory.mktemp("features")
    files = {"notes/tags.md": TAGS, "notes/tex.md": TEX_LEFT, "notes/fence.md": LONG_FENCE}
    project, source = make_site(
        root, {"site.yaml": "title: F\n", **files, "posts/described.md": DESCRIBED, "posts/B.md": doc("Post B", "B")}
    )
    out = root / "out"
    return out, build_site(source, out, project=project, search=False)


def test_tags_and_shortcodes_render_end_to_end(features):
    out, report = features
    page = prose(out, "notes/tags")
    box = page.select_one("div.note.note-warning")
    assert [li.get_text() for li in box.select("ul > li")] == ["一", "二"]
    code = page.select_one("div.highlight")
    assert "def f(x):" in code.get_text() and code.select("span.k")  # Pygments tokens: highlighted
    details = page.select_one("details")
    assert details.summary.get_text() == "展开" and details.find("strong").get_text() == "内容"
    assert "笑 😄 了" in page.get_text() and ":smile:" not in page.get_text()
    assert "{% youtube x %}" in [p.get_text() for p in page.find_all("p")]
    assert warnings_of(report, "notes/tags.md") == [(line_of(TAGS, "youtube"), "unknown tag {% youtube %}")]


def test_tex_in_prose_warns_once_and_tex_in_code_does_not(features):
    _, report = features
    found = warnings_of(report, "notes/tex.md")
    assert [line for line, _ in found] == [line_of(TEX_LEFT, "正文")]
    assert found[0][1].startswith("TeX outside math delimiters")


def test_tex_in_a_longer_fence_holding_a_shorter_one_does_not_warn(features):
    out, report = features
    assert "\\frac{a}{b}" in prose(out, "notes/fence").select_one("pre").get_text()  # the page shows it as code
    assert warnings_of(report, "notes/fence.md") == []


@needs_katex
def test_description_without_front_matter_is_the_visible_text(features):
    out, _ = features
    page = soup(out / "posts/described/index.html")
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert page.find("meta", attrs={"property": "og:description"})["content"] == description
    assert description.startswith("第一节 粗体 与 斜体、链接 和 Post B。")
    assert "提示项" in description
    for syntax in ("{%", "%}", "$", "**", "*", "[", "](", "`", "#", "mc^2", "E ="):
        assert syntax not in description, syntax


# -- 7. the seed site ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    project, source = project_copy(tmp_path_factory.mktemp("seed"))
    out = project.parent / "out"
    return out, build_site(source, out, project=project, search=False)


def test_seed_site_has_no_tex_outside_math(seed):
    _, report = seed
    assert [d.format() for d in report.diagnostics if "TeX outside math" in d.message] == []


def test_seed_post_is_one_ordered_list_of_16_papers(seed):
    out, _ = seed
    page = prose(out, "posts/cvpr2022-papers")
    lists = page.find_all("ol")
    assert len(lists) == 1
    items = lists[0].find_all("li", recursive=False)
    assert len(items) == 16
    for item in items:  # the title, its paper-page link, the author line, the abstract
        heading, *middle, abstract = item.find_all(recursive=False)
        # `### Title`, one level down: the post's `# CVPR2022` is a section under the page's own <h1>
        assert (heading.name, abstract.name) == ("h4", "blockquote"), item.get_text()[:60]
        assert any(p.name == "p" and p.get_text().startswith("Author") for p in middle), heading.get_text()


@needs_katex
def test_seed_note_display_math_is_block_level(seed):
    """test_build_seed_site counts 23 `.math-display` and 27 `.math-inline` without errors; here: each display
    formula is a block (`div`) and each of the 50 is KaTeX's output."""
    out, _ = seed
    page = prose(out, "notes/cvpr2022-generative-models")
    assert len(page.select("div.math-display")) == 23 and not page.select("span.math-display")
    assert len(page.select(".math-display > .katex-display, .math-inline > .katex")) == 50
    assert not page.select(".math-error, .math-source")
