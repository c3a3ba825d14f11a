"""A tiny site in the seed formats, the edits an author makes to it, and three ways to build it.

Used by the incremental-build oracle: after every edit, the long-lived dev builder
(as `serve` keeps it), a new builder reading the warm state file (as a new
`python build.py` does) and a clean build from nothing must write the same bytes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from papernotes.pipeline import Builder, BuildOptions

ROOT = Path(__file__).resolve().parents[1]

PAPERS = [
    (
        "Text to Image Generation with Semantic-Spatial Aware GAN",
        "Kai Hu, Wentong Liao, Michael Ying Yang",
        "We generate images from text with a GAN and spatial attention.",
    ),
    ("Diffusion Models Beat Everything", "Ada Lovelace, Kai Hu", "A diffusion model with $x_t = \\sqrt{a} x_0$ noise."),
    ("Talking Head Synthesis from Audio", "Grace Hopper, Alan Turing", "We synthesize a talking head video."),
    ("Robust Point Cloud Registration", "Alan Turing, Edsger Dijkstra", "Registration of 3D point clouds."),
]
EXTRA_PAPER = (
    "Few-shot Image Generation with Attribute Groups",
    "Ada Lovelace, Barbara Liskov",
    "Attribute group editing for few-shot image generation.",
)

NOTE_SNIPPETS = [
    "\n新的一段笔记，公式 $L_{rec} = \\|x - \\hat x\\|_1$ 与 $y_0$。\n",
    f"\n## {PAPERS[2][0]}\n\n这篇论文的笔记：音频驱动。\n",
    "\n![图一](fig.png)\n",
    "\n$$\n\\mathcal{L} = \\sum_i w_i \\ell_i\n$$\n",
    "\n这一节讲 diffusion model 与 GAN 的比较。\n",
    "\n```python\nprint('loss')\n```\n",
    "\n- 列表项一\n  - 嵌套项\n- 列表项二\n",
    '\n<img src="other.png" style="zoom:50%"> 与根目录的 ![logo](/images/logo.png)\n',
    # a link whose text is another post's title (post_edit renames it; doc_delete/rename make it dangle)
    "\n见 {% post_link cvpr %}，以及 {% note info %}\n提示 $$a_1$$ 行内\n{% endnote %}\n",
]
NEW_NOTES = {
    "notes/new-note.md": "---\ntitle: 新笔记\ndate: 2024-03-01\ntags: [GAN]\n---\n\n[TOC]\n\n## "
    + PAPERS[0][0]
    + "\n\n公式 $a^2 + b^2 = c^2$。\n",
    "notes/sub/deep.md": "# 无日期的笔记\n\n正文 $\\alpha$。\n\n![pic](img/pic.png)\n",
    "pages/about/index.md": "---\ntitle: 关于\n---\n\n见 {% post_link cvpr %}。\n",  # a standalone page
}
IMAGES = ["notes/fig.png", "notes/sub/img/pic.png", "notes/other.png", "images/logo.png"]
TEMPLATE_MARKS = {  # template -> text after which a marker is inserted
    "paper.html": "{% block content %}",
    "document.html": "{% block content %}",
    "base.html": "<body",
    "_paper_item.html": '<li class="paper-item">',
    "_papers.html": '<ol class="paper-list">',
    "_entry_item.html": '<li class="entry">',
    "venue.html": "{% block content %}",
}
# Issue 9's two-line feature: each paper's topic names in its list item.
OVERRIDDEN = ("home.html", "list.html", "_entries.html")  # templates the "template" edit never touches

TOPICS_IN_ITEMS = (
    '<li class="paper-item">',
    '<li class="paper-item"><span class="item-topics">{% for t in p.topic_links %}{{ t.name }} {% endfor %}</span>',
)


def listing_text(papers: list[tuple[str, str, str]]) -> str:
    """A seed-003 style conference list page (flat layout)."""
    records = []
    for n, (title, authors, abstract) in enumerate(papers):
        records.append(
            f"## [{n + 1}] {title}\n\n**Authors**: *{authors}*\n\n**Conference**: *cvpr 2023*\n\n"
            f"**URL**: [https://doi.org/10.1/{n}](https://doi.org/10.1/{n})\n\n**Abstract**:\n\n{abstract}\n\n"
        )
    return "----\n\n".join(records) + "[Go to the catalog section](README.md)"


NOTE = """---
title: 生成模型笔记
date: 2023-05-04
tags: [Diffusion, GAN]
---

[TOC]

# 生成模型

## Diffusion Models Beat Everything

损失函数 $L_{simple} = \\mathbb{E}\\|\\epsilon - \\epsilon_\\theta\\|^2$。

![图一](fig.png)

## Robust Point Cloud Registration

以后再读。
"""

POST = """---
title: CVPR 论文梳理
date: 2023-06-01 10:00:00
tags: [CVPR2023, Talking Head]
categories:
 - paper
---

摘要段落。

<!--more-->

正文 $E = mc^2$。
"""

HF = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "by AK and the research community\n\n"
    "Scaling Vision Transformers to Huge Sizes\n\nWe scale vision transformers 10\\% further. "
    + "Long abstract. " * 20
    + "\n\nVideo Diffusion for Everyone\n\nA video diffusion model for talking head generation. "
    + "More. " * 60
)

SITE_YAML = "title: 小站\nbase_url: https://example.github.io/notes/\npapers_per_page: 50\n"


@dataclass
class Site:
    """A project (templates copy, static and node_modules linked) with site_src/ and what the test knows of it."""

    root: Path
    papers: list = field(default_factory=lambda: list(PAPERS))
    marks: int = 0

    @property
    def project(self) -> Path:
        return self.root / "project"

    @property
    def source(self) -> Path:
        return self.root / "site_src"

    def write(self, rel: str, text: str) -> Path:
        path = self.source / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def make_site(root: Path, katex_cache: Path) -> Site:
    site = Site(root)
    site.project.mkdir(parents=True)
    shutil.copytree(ROOT / "templates", site.project / "templates")
    for name in ("static", "node_modules"):
        (site.project / name).symlink_to(ROOT / name)
    (site.project / ".papernotes-cache").mkdir()
    (site.project / ".papernotes-cache" / "katex").symlink_to(katex_cache)
    site.write("site.yaml", SITE_YAML)
    site.write("notes/generative.md", NOTE)
    site.write("posts/cvpr.md", POST)
    site.write("papers/cvpr-2023.md", listing_text(site.papers))
    site.write("papers/hf.txt", HF)
    return site


# -- the edits --------------------------------------------------------------------------------
HEXO_LINES = (
    "draft: true\n",  # not published, nor the papers it lists
    "aliases: [/old/cvpr.html, 2023/06/01/cvpr/]\n",  # redirect pages
    "permalink: /archives/cvpr/\n",  # its own URL: every link to it, its images, its redirects
    "tag: [gan, 扩散]\n",  # `gan` and new-note's `GAN` are one tag; the most used spelling is shown
    "category: [[CV, GAN], [Notes]]\n",  # nested categories
    "updated: 2024-02-03 04:05:06+08:00\n",  # the feed's and the sitemap's last modified
)


def apply(site: Site, edit: tuple) -> set[Path]:
    """Apply one edit; returns the paths it touched (what the watcher would report)."""
    kind, *args = edit
    src = site.source
    if kind == "note_append":
        path = src / args[0]
        if not path.exists():
            return set()
        path.write_text(
            path.read_text(encoding="utf-8") + NOTE_SNIPPETS[args[1] % len(NOTE_SNIPPETS)], encoding="utf-8"
        )
        return {path}
    if kind == "note_add":
        rel = sorted(NEW_NOTES)[args[0] % len(NEW_NOTES)]
        return {site.write(rel, NEW_NOTES[rel])}
    if kind == "doc_delete":
        path = src / args[0]
        if path.exists():
            path.unlink()
        return {path}
    if kind == "doc_rename":
        path = src / args[0]
        if not path.exists():
            return set()
        target = path.with_name(f"renamed-{path.name}")
        path.rename(target)
        return {path, target}
    if kind == "post_edit":
        path = src / "posts/cvpr.md"
        text = path.read_text(encoding="utf-8") if path.exists() else POST
        change = [
            ("title: CVPR 论文梳理", "title: CVPR 论文梳理（修订）"),
            ("tags: [CVPR2023, Talking Head]", "tags: [GAN]"),
            ("date: 2023-06-01 10:00:00", "date: 2021-01-02 08:00:00"),
            ("摘要段落。", "新的摘要，含 $x$。"),
            ("<!--more-->\n", ""),
        ][args[0] % 5]
        path.write_text(text.replace(*change), encoding="utf-8")
        return {path}
    if kind == "hexo":  # Hexo's front matter: a line of one of these kinds toggled in the post
        path = src / "posts/cvpr.md"
        if not path.exists():
            return set()
        line = HEXO_LINES[args[0] % len(HEXO_LINES)]
        text = path.read_text(encoding="utf-8")
        text = text.replace(line, "", 1) if line in text else text.replace("---\n", "---\n" + line, 1)
        path.write_text(text, encoding="utf-8")
        return {path}
    if kind == "listing":
        return {_edit_listing(site, args[0], args[1])}
    if kind == "hf_edit":  # the Hugging Face scrape: a title that another listing also has, or a new abstract
        path = src / "papers/hf.txt"
        text = path.read_text(encoding="utf-8")
        change = [("Scaling Vision Transformers to Huge Sizes", PAPERS[3][0]), ("A video diffusion", "A GAN")][
            args[0] % 2
        ]
        path.write_text(
            text.replace(*change) if change[0] in text else text.replace(change[1], change[0]), encoding="utf-8"
        )
        return {path}
    if kind == "image_add":
        path = src / IMAGES[args[0] % len(IMAGES)]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes([args[1] % 256]) * 16)
        return {path}
    if kind == "image_delete":
        path = src / IMAGES[args[0] % len(IMAGES)]
        if path.exists():
            path.unlink()
        return {path}
    if kind == "template":
        return {_edit_template(site, args[0], args[1])}
    if kind == "override":  # the site's own copy of a theme template added, edited, made the theme's, or deleted
        name = OVERRIDDEN[args[0] % len(OVERRIDDEN)]
        path = site.project / "templates" / name
        theme = (ROOT / "templates" / name).read_text(encoding="utf-8")
        site.marks += 1
        if args[1] % 3 == 0:
            path.unlink(missing_ok=True)  # the theme's file of that name is used again
        else:
            path.write_text(theme if args[1] % 3 == 1 else f"<!-- override {site.marks} -->" + theme, encoding="utf-8")
        return {path}
    if kind == "config":
        path = src / "site.yaml"
        extra = [
            "title: 另一个站名\n",
            "papers_per_page: 2\n",
            "author_aliases:\n  Kai Hu: Kai Hu (HKU)\n",
            "description: 新的描述\n",
            "math: kramed\n",  # every document's dollars read another way
            "permalink: :year/:month/:title/\n",  # every post's URL from its date and file name
            "timezone: America/New_York\n",  # every date shown, and filed, in another zone
        ][args[0] % 7]
        path.write_text(SITE_YAML + extra, encoding="utf-8")
        return {path}
    raise ValueError(kind)


def _edit_listing(site: Site, what: int, which: int) -> Path:
    papers = site.papers
    n = which % len(papers) if papers else 0
    if what % 5 == 0 and papers:  # abstract: a topic keyword comes or goes
        title, authors, abstract = papers[n]
        abstract = abstract.replace(" diffusion", "") if " diffusion" in abstract else abstract + " A diffusion model."
        papers[n] = (title, authors, abstract)
    elif what % 5 == 1 and papers:
        title, authors, abstract = papers[n]
        papers[n] = (title + " Revisited", authors, abstract)
    elif what % 5 == 2 and len(papers) > 1:
        del papers[n]
    elif what % 5 == 3 and EXTRA_PAPER not in papers:
        papers.append(EXTRA_PAPER)
    elif papers:  # authors
        title, authors, abstract = papers[n]
        papers[n] = (
            title,
            authors + ", Kai Hu" if "Kai Hu" not in authors else authors.replace("Kai Hu", "Kaiming He"),
            abstract,
        )
    return site.write("papers/cvpr-2023.md", listing_text(papers))


def _edit_template(site: Site, which: int, variant: int) -> Path:
    names = sorted(TEMPLATE_MARKS)
    name = names[which % len(names)]
    path = site.project / "templates" / name
    text = path.read_text(encoding="utf-8")
    if name == "_paper_item.html" and variant % 2 and TOPICS_IN_ITEMS[1] not in text:
        text = text.replace(*TOPICS_IN_ITEMS)
    else:
        site.marks += 1
        anchor = TEMPLATE_MARKS[name]
        at = text.index(anchor) + len(anchor)
        if anchor == "<body":
            at = text.index(">", at) + 1
        text = text[:at] + f"<!-- edit {site.marks} -->" + text[at:]
    path.write_text(text, encoding="utf-8")
    return path


# -- building and comparing ---------------------------------------------------------------
def options(site: Site, output: Path, dev: bool = False, cache: Path | None = None) -> BuildOptions:
    return BuildOptions(project=site.project, source=site.source, output=output, dev=dev, search=False, cache=cache)


def build_once(opts: BuildOptions):
    builder = Builder(opts)
    try:
        return builder.build()
    finally:
        builder.close()


def clean_build(site: Site, katex_cache: Path, where: Path):
    """From nothing: an empty output folder and an empty cache (but the KaTeX store, a memo by TeX)."""
    if where.exists():
        shutil.rmtree(where)
    cache = where / "cache"
    cache.mkdir(parents=True)
    (cache / "katex").symlink_to(katex_cache)
    return build_once(options(site, where / "out", cache=cache)), where / "out"


def tree(output: Path) -> dict[str, bytes]:
    files = {}
    for dirpath, _, names in os.walk(output):
        for name in names:
            path = Path(dirpath, name)
            files[path.relative_to(output).as_posix()] = path.read_bytes()
    return files


def differences(expected: Path, actual: Path) -> list[str]:
    a, b = tree(expected), tree(actual)
    out = [f"missing {p}" for p in sorted(set(a) - set(b))] + [f"extra {p}" for p in sorted(set(b) - set(a))]
    out += [f"differs {p}" for p in sorted(set(a) & set(b)) if a[p] != b[p]]
    return out
