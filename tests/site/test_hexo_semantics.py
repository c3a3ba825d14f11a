"""Posts written the Hexo way behave as Hexo publishes them (issue 12, point 4): drafts, `category:`/`tag:`,
nested categories, one tag per case-insensitive name, `updated:`, `permalink:` (front matter and site.yaml),
`aliases:` as redirect pages, standalone pages, git dates of any file name in the site's time zone."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET

import pytest
from sitebuild import build_site, soup

SITE = "title: Hexo semantics\ntimezone: Asia/Shanghai\nbase_url: https://example.org/blog/\n"
POSTS = {
    "posts/a.md": (
        "title: 文章 A\ndate: 2019-05-01 10:00:00\nupdated: 2020-01-02 03:04:05\n"
        "tag: [Docker, GAN]\ncategory: [CV, Diffusion]\naliases: [/old/a.html, 2019/05/01/a/]\n"
    ),
    "posts/b.md": "title: B\ndate: 2019-05-02 23:30:00+00:00\ntags: [docker]\ncategories: [[cv], [Notes]]\n",
    "posts/c.md": "title: C\ndate: 2019-06-01\ntags: [docker, Kubernetes]\npermalink: /archives/c-post/\n",
    "posts/_drafts/d.md": "title: Draft in _drafts\n",
    "posts/e.md": "title: Draft by flag\ndraft: true\ndate: 2019-07-01\n",
    "pages/about/index.md": "title: 关于\n",
    "pages/links.md": "title: 友链\n",
}


def _site(root, extra_config: str = "") -> tuple:
    src = root / "site_src"
    for rel, front in POSTS.items():
        path = src / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{front}---\n\n{rel} 正文。\n", encoding="utf-8")
    (src / "site.yaml").write_text(SITE + extra_config, encoding="utf-8")
    return src, root / "output"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src, out = _site(tmp_path_factory.mktemp("hexo"))
    report = build_site(src, out, search=False)
    assert report.errors == 0, report.diagnostics
    return out


def test_drafts_are_not_published_unless_asked(built, tmp_path):
    pages = {p.relative_to(built).as_posix() for p in built.rglob("*.html")}
    assert not any("draft" in p or p.startswith("posts/d/") or p.startswith("posts/e/") for p in pages), pages
    assert "Draft" not in (built / "atom.xml").read_text(encoding="utf-8")
    src, out = _site(tmp_path)
    from sitebuild import ROOT

    from papernotes.pipeline import Builder, BuildOptions

    builder = Builder(BuildOptions(project=ROOT, source=src, output=out, search=False, drafts=True))
    try:
        assert builder.build().errors == 0
    finally:
        builder.close()
    assert (out / "posts/d/index.html").is_file() and (out / "posts/e/index.html").is_file()


def test_category_and_tag_aliases_and_nested_categories(built):
    page = soup(built / "posts/a/index.html")
    assert [a.get_text(strip=True) for a in page.select("a.category")] == ["CV › Diffusion"]
    assert {a.get_text(strip=True) for a in page.select("a.tag")} == {"#docker", "#GAN"}
    # A › B is listed under A and under A › B; [[cv], [Notes]] is two categories, and cv is CV.
    assert (built / "categories/cv/diffusion/index.html").is_file()
    cv = soup(built / "categories/cv/index.html")
    assert {a.get_text(strip=True) for a in cv.select("main a") if "posts/" in a.get("href", "")} >= {"文章 A", "B"}
    assert (built / "categories/notes/index.html").is_file()
    tree = [(li["class"], li.a.get_text()) for li in soup(built / "categories/index.html").select(".term-tree li")]
    assert (["depth-0"], "CV") in tree and (["depth-1"], "Diffusion") in tree and (["depth-0"], "Notes") in tree
    assert tree.index((["depth-1"], "Diffusion")) == tree.index((["depth-0"], "CV")) + 1  # under its parent


def test_tags_that_differ_in_case_are_one_tag_in_the_most_used_spelling(built):
    tags = sorted(p.parent.name for p in (built / "tags").glob("*/index.html"))
    assert tags == ["docker", "gan", "kubernetes"]
    page = soup(built / "tags/docker/index.html")
    assert page.h1.get_text(strip=True) == "标签：docker"  # docker twice, Docker once
    titles = {a.get_text(strip=True) for a in page.select("main a")}
    assert {"文章 A", "B", "C"} <= titles


def test_permalinks_aliases_and_pages(built):
    assert (built / "archives/c-post/index.html").is_file() and not (built / "posts/c").exists()
    assert (built / "about/index.html").is_file() and (built / "links/index.html").is_file()
    about = soup(built / "about/index.html")
    assert about.h1.get_text(strip=True) == "关于"
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "关于" not in home.split("<main", 1)[1] and "/blog/archives/c-post/" in home  # pages are listed nowhere
    for alias in ("old/a.html", "2019/05/01/a/index.html"):
        redirect = soup(built / alias)
        assert redirect.find("link", rel="canonical")["href"] == "https://example.org/blog/posts/a/"
        assert redirect.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/blog/posts/a/"
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "old/a.html" not in sitemap and "2019/05/01/a/" not in sitemap and "/blog/about/" in sitemap


def test_updated_and_dates_in_the_site_time_zone(built):
    ns = {"a": "http://www.w3.org/2005/Atom", "s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    feed = ET.fromstring((built / "atom.xml").read_bytes())
    entries = {e.find("a:title", ns).text: e for e in feed.findall("a:entry", ns)}
    assert entries["文章 A"].find("a:updated", ns).text == "2020-01-02T03:04:05+08:00"
    assert entries["文章 A"].find("a:published", ns).text == "2019-05-01T10:00:00+08:00"
    # 23:30 UTC is the next morning in Shanghai: shown and filed under that day.
    assert entries["B"].find("a:published", ns).text == "2019-05-03T07:30:00+08:00"
    assert "2019-05-03" in soup(built / "posts/b/index.html").get_text()
    shown = soup(built / "posts/a/index.html").select_one(".doc-meta .updated time")
    assert shown["datetime"] == "2020-01-02T03:04:05+08:00" and shown.get_text() == "2020-01-02"
    assert soup(built / "posts/b/index.html").select_one(".doc-meta .updated") is None  # never updated
    sitemap = ET.fromstring((built / "sitemap.xml").read_bytes())
    lastmod = {u.find("s:loc", ns).text: u.find("s:lastmod", ns) for u in sitemap.findall("s:url", ns)}
    assert lastmod["https://example.org/blog/posts/a/"].text == "2020-01-02T03:04:05+08:00"


def test_a_site_permalink_pattern_keeps_hexo_urls(tmp_path):
    src, out = _site(tmp_path, "permalink: :year/:month/:day/:title/\n")
    report = build_site(src, out, search=False)
    assert report.errors == 0, report.diagnostics
    assert (out / "2019/05/01/a/index.html").is_file()
    assert (out / "2019/05/03/b/index.html").is_file()  # the date in the site's zone
    assert (out / "archives/c-post/index.html").is_file()  # front matter beats the pattern
    assert (out / "old/a.html").is_file() and not (out / "posts/a").exists()


def _git(cwd, *args, date="2021-03-04T05:06:07+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_git_dates_for_any_file_name_in_the_site_time_zone(tmp_path):
    src = tmp_path / "site_src"
    names = ["扩散模型入门.md", "with space.md", "@at.md", 'quote"d.md']
    for name in names:
        (src / "posts").mkdir(parents=True, exist_ok=True)
        (src / "posts" / name).write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (src / "site.yaml").write_text("timezone: Asia/Shanghai\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "posts", date="2021-03-04T20:06:07+00:00")
    out = tmp_path / "output"
    report = build_site(src, out, search=False)
    assert report.errors == 0, report.diagnostics
    feed = (out / "atom.xml").read_text(encoding="utf-8")
    assert feed.count("<published>2021-03-05T04:06:07+08:00</published>") == len(names), feed
