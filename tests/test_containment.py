"""Issue 11, acceptance 2: nothing outside output/ is ever written or deleted, whatever a source says.

Every slug or path a source can name (front matter `slug:`, site.yaml topic slugs, file names, tag names,
image references, symlinks, the manifest of the last build) is tried with hostile values on a small site
whose output/ sits deep inside a folder snapshot before and after (every path, its bytes and mtime). The
hostile values give a `path:line` diagnostic; the rest of the site builds.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from sitebuild import ROOT, build_site, soup

from papernotes.content import slug_problem
from papernotes.site.urls import Urls, safe_segment, slugify
from papernotes.write import normalised

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
HOSTILE_SLUGS = {  # file -> front matter slug
    "victim": "../../victim",
    "dotdot": "..",
    "papers": "../papers",
    "abs": "/abs",
    "climb": "a/../../b",
    "device": "CON",
    "long": "长" * 10 + "x" * 290,
    "backslash": "..\\..\\win",
}
SITE_YAML = """title: 包含
topics:
  - slug: ../../victim-topic
    name: Zebra
    keywords: [zebra]
  - slug: CON
    name: Quokka
    keywords: [quokka]
"""
PAPERS = """## [1] Zebra Stripes Are Robust Features

**Authors**: *Ada Lovelace*

**Conference**: *cvpr 2023*

**Abstract**: zebra zebra.

----

## [2] Quokka Smiles in the Wild

**Authors**: *Alan Turing*

**Conference**: *cvpr 2023*

**Abstract**: quokka.
"""


def _doc(path: Path, front: str, body: str = "正文。\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {path.stem}\n{front}date: 2024-01-02\n---\n\n{body}", encoding="utf-8")


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "templates", project / "templates")
    for name in ("static", "node_modules"):
        (project / name).symlink_to(ROOT / name)
    (project / ".papernotes-cache").mkdir()  # the build's own (skipped by the snapshot)
    return project


def hostile_site(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(project, site_src, output): output/ is tmp_path/deep/er/work/output, so four `..` stay in tmp_path."""
    project = _project(tmp_path)
    work = tmp_path / "deep" / "er" / "work"
    src = work / "site_src"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n\nsecret\n", encoding="utf-8")
    (outside / "secret.png").write_bytes(PNG)
    (work / "victim").mkdir(parents=True)
    (work / "victim" / "index.html").write_text("the user's own file\n", encoding="utf-8")
    (src / "papers").mkdir(parents=True)
    (src / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (src / "papers" / "list.md").write_text(PAPERS, encoding="utf-8")
    for name, slug in HOSTILE_SLUGS.items():
        _doc(src / "posts" / f"{name}.md", f"slug: {slug!r}\n".replace("\\\\", "\\"))
    _doc(src / "posts" / "tagged.md", "tags: ['../x', '..', 'CON']\ncategories: [['..'], ['NUL'], ['/etc']]\n")
    for name in ("CON", "nul.txt", "a.", "a\\..\\..\\b"):  # file names: reserved, trailing dot, backslashes
        _doc(src / "notes" / f"{name}.md", "")
    (src / "img.png").write_bytes(PNG)
    _doc(src / "notes/a/b/c/deep.md", "", "\n\n![climbs](../../../../img.png)\n")
    (src / "notes" / "linked.md").symlink_to(outside / "secret.md")
    (src / "notes" / "linked.png").symlink_to(outside / "secret.png")
    (src / "images").mkdir()
    (src / "images" / "linked.png").symlink_to(outside / "secret.png")
    _doc(src / "notes" / "shows-link.md", "", "\n![l](linked.png) ![r](/images/linked.png)\n")
    return project, src, work / "output"


def snapshot(parent: Path, skip: set[Path]) -> dict[str, tuple]:
    """Every path below parent (but those in `skip`): kind, bytes or link target, mtime."""
    found = {}
    for folder, dirs, files in os.walk(parent):
        here = Path(folder)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in dirs + files:
            path = here / name
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                found[str(path)] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                found[str(path)] = ("dir", st.st_mtime_ns)
            else:
                found[str(path)] = ("file", path.read_bytes(), st.st_mtime_ns)
    return found


def _by_path(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in report.diagnostics:
        out.setdefault(d.path, []).append(d)
    return out


def _tmp_files(output: Path) -> list[str]:
    return [str(p) for p in output.rglob(".tmp-*")]


def test_hostile_slugs_paths_and_links_stay_inside_output(tmp_path):
    project, src, output = hostile_site(tmp_path)
    output.mkdir()
    # The manifest of a "last build" names files outside output/ for prune to delete.
    (output / ".papernotes-manifest").write_text("../victim/index.html\n../../../outside/secret.png\n/etc/x\n")
    skip = {output, project / ".papernotes-cache"}
    before = snapshot(tmp_path, skip)

    report = build_site(src, output, project=project, search=False)
    assert snapshot(tmp_path, skip) == before  # nothing outside output/ created, changed or deleted
    assert _tmp_files(output) == []
    diags = _by_path(report)

    # Every hostile front-matter slug: a warning at its line; the page is inside posts/.
    for name, slug in HOSTILE_SLUGS.items():
        (warned,) = diags[f"posts/{name}.md"]
        assert warned.line == 3 and "slug" in warned.message, warned
        url = Urls.document("post", slug)
        assert url.startswith("posts/") and url.count("/") == 2 and len(url) <= 90
        assert (output / url / "index.html").is_file(), url
    assert (output / "posts/victim/index.html").is_file()
    assert soup(output / "index.html").title.get_text() == "包含"  # the home page is not `slug: ..`
    assert soup(output / "papers/index.html").title.get_text().startswith("论文")  # nor the papers index
    assert soup(output / "posts/papers/index.html").title.get_text().startswith("papers")
    assert not any("collision" in d.message for d in report.diagnostics), report.diagnostics

    # File names: a reserved name, a trailing dot, backslashes: slugified, with a warning at line 1.
    for name in ("CON", "nul.txt", "a.", "a\\..\\..\\b"):
        (warned,) = diags[f"notes/{name}.md"]
        assert warned.line == 1 and "file name" in warned.message
    assert {p.name for p in (output / "notes").iterdir() if p.is_dir()} >= {safe_segment("CON"), "a", "a-b"}

    # site.yaml topic slugs: a warning at the line of each; the topic pages are inside topics/.
    topic_lines = {d.line for d in diags["site.yaml"] if "topic slug" in d.message}
    assert topic_lines == {3, 6}
    assert (output / "topics/victim-topic/index.html").is_file()
    assert (output / "topics" / safe_segment("CON") / "index.html").is_file()

    # Tags and categories are names, not paths: slugified into their section.
    assert {p.parent.name for p in (output / "tags").glob("*/index.html")} == {"x", slugify(".."), slugify("CON")}
    assert {p.parent.name for p in (output / "categories").glob("*/index.html")} == {
        slugify(".."),
        slugify("NUL"),
        "etc",
    }

    # An image whose copy would climb out of output/: an error at the image's line, the note still builds.
    (climbs,) = [d for d in diags["notes/a/b/c/deep.md"] if "refused" in d.message]
    assert climbs.level == "error" and climbs.line == 8
    assert (output / "notes/deep/index.html").is_file()

    # Symlinks out of site_src/: refused with their own message (a note is not published, an image not copied).
    assert [d.message for d in diags["notes/linked.md"]] == ["refused: symlink outside site_src/"]
    for image in ("notes/linked.png", "images/linked.png"):
        assert [(d.line, d.message) for d in diags[image]] == [(1, "refused: symlink outside site_src/")]
    assert not (output / "notes/linked").exists() and not list(output.rglob("secret*"))
    assert "secret" not in "".join(p.read_text(errors="replace") for p in output.rglob("*.html"))

    # The hostile manifest lines: ignored with a warning each (line numbers); nothing deleted.
    manifest = [d for d in report.diagnostics if d.path.endswith(".papernotes-manifest")]
    assert sorted(d.line for d in manifest) == [1, 2, 3]


def test_tags_and_categories_that_slugify_alike_get_their_own_pages(tmp_path):
    """Names that differ only in case are one tag (Hexo's and the reader's view); names that only slugify
    alike (`C++`, `C#`) are two, each with its own stable page."""
    project = _project(tmp_path)
    src = tmp_path / "site_src"
    _doc(src / "posts/a.md", "tags: ['C++', 'Docker', GAN]\ncategories: [Go]\n")
    _doc(src / "posts/b.md", "tags: ['C#', docker]\ncategories: [GO]\n")
    _doc(src / "posts/c.md", "tags: [docker]\n")
    report = build_site(src, tmp_path / "output", project=project, search=False)
    assert report.errors == 0, report.diagnostics
    tags = {p.parent.name for p in (tmp_path / "output/tags").glob("*/index.html")}
    assert len(tags) == 4 and {"gan", "docker"} <= tags, tags  # a name nobody shares keeps its plain slug
    assert len(list((tmp_path / "output/categories").glob("*/index.html"))) == 1
    page = soup(tmp_path / "output/posts/a/index.html")
    hrefs = {a.get_text(strip=True).removeprefix("#"): a["href"] for a in page.select("a.tag")}
    assert set(hrefs) == {"C++", "docker", "GAN"}  # the most used spelling: docker twice, Docker once
    assert {h.strip("/").split("/")[-1] for h in hrefs.values()} < tags


def test_a_folder_in_output_linking_out_is_refused_for_what_would_go_through_it(tmp_path):
    project, src, output = hostile_site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    output.mkdir()
    (output / "posts").symlink_to(elsewhere, target_is_directory=True)
    skip = {output, project / ".papernotes-cache"}
    before = snapshot(tmp_path, skip)
    report = build_site(src, output, project=project, search=False)
    assert snapshot(tmp_path, skip) == before and list(elsewhere.iterdir()) == []
    refused = [d for d in report.diagnostics if d.level == "error" and "leads outside" in d.message]
    assert {d.path for d in refused} >= {f"posts/{name}.md" for name in HOSTILE_SLUGS}
    assert all(d.line == 1 for d in refused if d.path.startswith("posts/"))
    assert (output / "index.html").is_file() and (output / "notes/deep/index.html").is_file()


def test_a_changed_slug_prunes_only_inside_output(tmp_path):
    """The bug report: `slug: ../../victim` wrote beside output/, and the next build's prune deleted it."""
    project, src, output = hostile_site(tmp_path)
    output.mkdir()
    skip = {output, project / ".papernotes-cache"}
    before = snapshot(tmp_path, skip)
    build_site(src, output, project=project, search=False)
    _doc(src / "posts/victim.md", "slug: '../../victim-2'\n")
    before[str(src / "posts/victim.md")] = snapshot(tmp_path, skip)[str(src / "posts/victim.md")]
    report = build_site(src, output, project=project, search=False)
    assert snapshot(tmp_path, skip) == before
    assert "posts/victim/index.html" in report.removed and (output / "posts/victim-2/index.html").is_file()


def test_two_sources_claiming_one_path_is_an_error_naming_both(tmp_path):
    project = _project(tmp_path)
    src = tmp_path / "site_src"
    _doc(src / "posts/one.md", "slug: same\n")
    _doc(src / "posts/two.md", "slug: same\n")
    _doc(src / "notes/a.md", "", "![a](../b/x.png)\n")  # site_src/b/x.png, copied to notes/b/x.png ...
    _doc(src / "notes/b.md", "", "![b](x.png)\n")  # ... and so is site_src/notes/x.png
    (src / "b").mkdir()
    (src / "b/x.png").write_bytes(PNG)
    (src / "notes/x.png").write_bytes(PNG + b"other")
    report = build_site(src, tmp_path / "output", project=project, search=False)
    collisions = {d.path: d for d in report.diagnostics if "collision" in d.message}
    assert len(collisions) == 2 and "notes/b.md" in collisions, report.diagnostics
    (post,) = {"posts/one.md", "posts/two.md"} & set(collisions)  # the one that came second
    assert "posts/same/index.html is made by both" in collisions[post].message
    assert "posts/one.md:1" in collisions[post].message and "posts/two.md:1" in collisions[post].message
    assert "notes/b/x.png is made by both notes/a.md:6 and notes/b.md:6" in collisions["notes/b.md"].message
    assert all(d.level == "error" and d.line for d in collisions.values())
    assert (tmp_path / "output/notes/b/x.png").read_bytes() == PNG  # the first claim's file, not overwritten


@pytest.mark.parametrize(
    "slug",
    ["../../victim", "..", ".", "", "../papers", "/abs", "a/../../b", "CON", "con.txt", "Lpt9.tar.gz", "x" * 300,
     "a\\b", "nul ", "a\0b", "%2e%2e", "x#y", "-", "长" * 100, "\U00020000" * 70],
)  # fmt: skip
def test_a_document_url_stays_in_its_section_whatever_the_slug(slug):
    url = Urls.document("note", slug)
    segment = url.removeprefix("notes/").removesuffix("/")
    assert url == f"notes/{segment}/" and slug_problem(segment) is None, url
    assert normalised(Urls.output_file(url)) == (f"notes/{segment}/index.html", None)
    assert safe_segment(segment) == segment  # made once, stays put


def test_readable_slugs_stay_as_written_and_long_ones_stay_apart():
    for slug in ("cvpr2022-papers", "扩散模型笔记", "My Note", "v1.2-release", "a_b"):
        assert Urls.document("post", slug) == f"posts/{slug}/"
    assert safe_segment("x" * 300) != safe_segment("x" * 299 + "y")
    assert slugify("CON") != "con" and slugify("Aux") != "aux" and slugify("console") == "console"


def test_tag_names_that_slugify_alike_get_distinct_stable_slugs_and_case_is_one_tag():
    names = ["C++", "C#", "C", "Docker", "docker", "GAN"]
    urls = Urls("/", tags=names)
    slugs = [urls.tag(n) for n in names]
    assert len(set(slugs)) == len(names) - 1 and urls.tag("Docker") == urls.tag("docker") == "tags/docker/"
    assert urls.tag("GAN") == "tags/gan/"  # a name nobody shares keeps its plain slug
    assert slugs == [Urls("/", tags=list(reversed(names))).tag(n) for n in names]  # stable
    assert repr(Urls("/", tags=["GAN"])) == "Urls('/')" and urls != Urls("/")


@pytest.mark.parametrize(
    ("rel", "normal"),
    [("a/./b/../c", "a/c"), ("x/", "x"), ("../x", None), ("a/../../x", None), ("/etc/passwd", None),
     ("C:/x", None), ("a\\..\\x", None), ("a\0b", None), (".papernotes-manifest", None), ("a/.tmp-abc", None),
     ("", None), (".", None)],
)  # fmt: skip
def test_output_paths_are_normalised_or_refused(rel, normal):
    got, problem = normalised(rel)
    assert (got if problem is None else None) == normal and (problem is None) == (normal is not None)
