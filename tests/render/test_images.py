"""Issue 10, part 3: every image resolved — Markdown, reference-style and HTML <img> (also indented in list
items), Hexo post-asset folders, /root-absolute images from site_src/ — copied and linked under the base URL;
a missing file is a `path:line` warning and a visible placeholder. Remote images stay as they are."""

from __future__ import annotations

import shutil

from linkcheck import broken_links
from sitebuild import ROOT, build_site, soup

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16

NOTE = """---
title: Typora 笔记
date: 2024-01-02
---

段落里的图 <img src="typora/inline.png" style="zoom:50%"> 在中间。

<img src="typora/block.png" alt="块" style="zoom:50%">

1. 第一项

    <img src="typora/in-list.png" style="zoom:33%">

2. 第二项 ![ref][pic]

[pic]: typora/ref.png

根目录的图 ![logo](/images/logo.png) 与远程图 ![r](https://example.org/r.png) 和 <img src="missing.png" alt="缺">
"""

POST = """---
title: Hexo 文章
date: 2024-01-03
---

资源文件夹里的图：![one](1.png) 与 <img src="Post/2.png">。
"""


def _site(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("templates", "static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    source = project / "site_src"
    (source / "notes" / "typora").mkdir(parents=True)
    (source / "posts" / "Post").mkdir(parents=True)
    (source / "images").mkdir()
    (source / "site.yaml").write_text("title: 图\nbase_url: https://example.github.io/notes/\n", encoding="utf-8")
    (source / "notes" / "typora.md").write_text(NOTE, encoding="utf-8")
    (source / "posts" / "Post.md").write_text(POST, encoding="utf-8")
    for rel in ("notes/typora/inline.png", "notes/typora/block.png", "notes/typora/in-list.png",
                "notes/typora/ref.png", "posts/Post/1.png", "posts/Post/2.png", "images/logo.png"):  # fmt: skip
        (source / rel).write_bytes(PNG)
    return project, source


def _build(project, source, output):
    return build_site(source, output, project=project, search=False)


def test_every_kind_of_image_is_copied_and_links_resolve(tmp_path):
    project, source = _site(tmp_path)
    out = tmp_path / "out"
    report = _build(project, source, out)
    assert [d.format() for d in report.diagnostics] == ["notes/typora.md:18: warning: image not found: missing.png"]
    assert broken_links(out, "/notes/") == []
    note = soup(out / "notes" / "typora" / "index.html")
    srcs = [img["src"] for img in note.select(".prose img")]
    assert srcs == ["typora/inline.png", "typora/block.png", "typora/in-list.png", "typora/ref.png",
                    "/notes/images/logo.png", "https://example.org/r.png"]  # fmt: skip
    assert note.select_one(".prose ol li img")["src"] == "typora/in-list.png"  # still inside its list item
    assert note.select_one(".missing-image code").get_text() == "missing.png"
    for rel in ("notes/typora/typora/inline.png", "notes/typora/typora/ref.png", "images/logo.png"):
        assert (out / rel).read_bytes() == PNG
    post = soup(out / "posts" / "Post" / "index.html")
    assert [img["src"] for img in post.select(".prose img")] == ["1.png", "Post/2.png"]
    assert (out / "posts/Post/1.png").read_bytes() == PNG and (out / "posts/Post/Post/2.png").read_bytes() == PNG


def test_an_image_that_comes_later_replaces_its_placeholder(tmp_path):
    project, source = _site(tmp_path)
    out = tmp_path / "out"
    _build(project, source, out)
    (source / "notes" / "missing.png").write_bytes(PNG)  # the HTML <img> the note names
    report = _build(project, source, out)
    assert report.diagnostics == [] and report.rendered == ["notes/typora/index.html"]
    assert (out / "notes/typora/missing.png").is_file()
    assert not soup(out / "notes" / "typora" / "index.html").select(".missing-image")
    shutil.rmtree(source / "images")  # and one that goes away becomes a placeholder again
    report = _build(project, source, out)
    assert [d.message for d in report.diagnostics] == ["image not found: /images/logo.png"]
    assert not (out / "images" / "logo.png").exists()


def test_an_image_linking_out_of_site_src_is_refused_not_missing(tmp_path):
    import os

    source = tmp_path / "site_src"
    (source / "notes").mkdir(parents=True)
    (tmp_path / "secret.png").write_bytes(PNG)
    os.symlink(tmp_path / "secret.png", source / "notes" / "a.png")
    (source / "notes" / "n.md").write_text("# n\n\n![a](a.png)\n\n![b](../../x.png)\n\n![c](c.png)\n", "utf-8")
    report = build_site(source, tmp_path / "out", search=False)
    about = {(d.line, d.message) for d in report.diagnostics if d.path.endswith("notes/n.md")}
    assert about == {
        (3, "image refused (a link to a file outside site_src/): a.png"),
        (5, "image refused (outside site_src/): ../../x.png"),
        (7, "image not found: c.png"),
    }
    assert not list((tmp_path / "out").rglob("a.png")) and not (tmp_path / "x.png").exists()
