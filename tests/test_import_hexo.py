"""`papernotes import hexo`: Hexo's config and front matter, and whole fixture blogs moved into a temp site
(the permalink patterns themselves: tests/site/test_permalinks.py)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
import yaml

from papernotes.commands.import_hexo import run_import
from papernotes.hexo.config import read_config
from papernotes.hexo.convert import insert_front_matter

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMMITTED = "2024-03-10T18:30:00+00:00"  # 2024-03-11 02:30 in Asia/Shanghai: the day changes
# Every post of tests/fixtures/hexo_blog and the URL Hexo published it at.
OLD_URLS = {
    "hello-world.md": "/2019/05/01/hello-world/",
    "docker-basics.md": "/2020/01/15/docker-basics/",
    "docker-compose.md": "/2020/02/03/docker-compose/",
    "diffusion-ddpm.md": "/2021/06/20/diffusion-ddpm/",
    "gan-survey.md": "/2020/11/11/gan-survey/",
    "扩散模型入门.md": "/2024/03/11/扩散模型入门/",
    "note-tags.md": "/2021/01/08/note-tags/",
    "with-logo.md": "/2019/08/08/with-logo/",
    "reading/paper-list.md": "/2021/12/31/reading/paper-list/",
    "codeblock-tag.md": "/2021/03/02/codeblock-tag/",
    "vit-notes.md": "/2022/03/15/vit-notes/",
    "clip-notes.md": "/2022/07/01/clip-notes/",
    "old-style.md": "/2018/12/31/old-style/",
}
ABBRLINK_URLS = {
    "2023-04-01-first-light.md": "/posts/8f3e2a1b.html",
    "2023-05-20-attention.md": "/posts/c0ffee42.html",
    "2023-06-30-loss-landscapes.md": "/posts/1a2b3c4d.html",
}


def test_config_defaults_and_base_url():
    config, diags = read_config("url: https://a.org/blog\nroot: /blog/\nlanguage: [zh-CN, en]\n")
    assert diags == []
    assert config.base_url == "https://a.org/blog/"
    assert config.permalink == ":year/:month/:day/:title/" and config.new_post_name == ":title.md"
    assert config.language == "zh-CN"
    assert read_config("url: https://a.org\nroot: /child/\n")[0].base_url == "https://a.org/child/"


def test_insert_front_matter_keeps_lines():
    assert insert_front_matter("---\r\ntitle: a\r\n---\r\nbody", ["date: x"], "yaml") == (
        "---\r\ndate: x\r\ntitle: a\r\n---\r\nbody"
    )
    assert insert_front_matter("body\n", ["date: x"], "none") == "---\ndate: x\n---\nbody\n"
    assert insert_front_matter("title: a\n---\nbody", [], "bare") == "---\ntitle: a\n---\nbody"


# -- importing the fixture blogs ------------------------------------------------------------------


def _git_blog(fixture: str, where: Path) -> Path:
    """A copy of a fixture blog, committed at COMMITTED (so an undated post has a known date)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    blog = where / "blog"
    shutil.copytree(FIXTURES / fixture, blog)
    env = os.environ | {"GIT_COMMITTER_DATE": COMMITTED, "GIT_AUTHOR_DATE": COMMITTED}
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(blog), *args], check=True, env=env, capture_output=True)
    return blog


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _counts(out: str) -> dict[str, int]:
    return {m[1]: int(m[2]) for m in re.finditer(r"^  ([a-z. ]+):\s+(\d+)", out, re.M)}


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture
def imported(tmp_path, capsys):
    blog = _git_blog("hexo_blog", tmp_path)
    before = _tree(tmp_path)
    code = run_import(blog, tmp_path / "site", keep_urls=False)
    out = capsys.readouterr().out
    assert code == 0, out
    return blog, tmp_path / "site" / "site_src", out, before


def test_report_counts(imported):
    _, _, out, _ = imported
    counts = _counts(out)
    assert counts == {
        "posts": 13,
        "drafts": 1,
        "pages": 2,
        "assets": 2,
        "static": 2,
        "tags": 14,
        "categories": 7,
        "redirects": 14,
        "skipped": 1,
    }, out
    assert "Docker/docker counted as one" in out
    assert re.search(r"site_src/posts/note-tags\.md:19: warning: unknown tag \{% youtube %\}", out)
    assert "not converted: 3" in out  # the tag, source/_data (skipped), source/CNAME (site.yaml's cname:)


def test_posts_keep_their_bytes_and_get_only_what_they_need(imported):
    blog, site, _, _ = imported
    for rel, old_url in OLD_URLS.items():
        original = (blog / "source/_posts" / rel).read_text(encoding="utf-8")
        written = (site / "posts" / rel).read_text(encoding="utf-8")
        alias = f'aliases: ["{old_url}"]\n'
        assert alias in written, rel
        if rel == "old-style.md":  # Hexo's front matter without its opening line gets one
            assert written == "---\n" + alias + original
            continue
        assert written.startswith("---\n")
        added = written.removeprefix("---\n").split(alias, 1)[0] + alias
        assert written == "---\n" + added + original.removeprefix("---\n"), rel
        assert _front(written)["aliases"] == [old_url]


def test_undated_post_takes_its_git_date_in_the_blog_zone(imported):
    _, site, _, _ = imported
    text = (site / "posts/扩散模型入门.md").read_text(encoding="utf-8")
    assert text.startswith('---\ndate: 2024-03-11 02:30:00+08:00\naliases: ["/2024/03/11/扩散模型入门/"]\ntitle:')
    assert _front(text)["date"] == dt.datetime(2024, 3, 10, 18, 30, tzinfo=dt.UTC)


def test_drafts_pages_assets_and_static_files(imported):
    blog, site, _, _ = imported
    source = blog / "source"
    draft = "posts/_drafts/未完成的想法.md"
    assert (site / draft).read_bytes() == (source / "_drafts/未完成的想法.md").read_bytes()
    assert (site / "pages/about/index.md").read_bytes() == (source / "about/index.md").read_bytes()  # /about/ stays
    links = (site / "pages/links.md").read_text(encoding="utf-8")
    assert links == '---\naliases: ["/links.html"]\n' + (source / "links.md").read_text(encoding="utf-8")[4:]
    for rel in ("posts/diffusion-ddpm/cat.png", "posts/diffusion-ddpm/forward.png"):
        assert (site / rel).read_bytes() == (source / "_posts" / rel.removeprefix("posts/")).read_bytes()
    for rel in ("images/logo.png", "favicon.png"):
        assert (site / rel).read_bytes() == (source / rel).read_bytes()
    assert not (site / "CNAME").exists() and not (site / "_data").exists()
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    assert config == {
        "title": "小明的论文笔记",
        "description": "计算机视觉、扩散模型与工具的读书笔记",
        "author": "小明",
        "language": "zh-CN",
        "timezone": "Asia/Shanghai",
        "base_url": "https://xiaoming.github.io/",
        "cname": "notes.xiaoming.org",
    }


def test_nothing_is_written_outside_site_src(imported, tmp_path):
    blog, site, _, before = imported
    after = _tree(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("site/site_src/")} == before
    assert _tree(blog) == {k.removeprefix("blog/"): v for k, v in before.items() if k.startswith("blog/")}


def test_a_second_import_is_refused_and_writes_nothing(imported, tmp_path, capsys):
    blog, site, _, _ = imported
    (site / "posts/hello-world.md").unlink()
    before = _tree(site)
    assert run_import(blog, tmp_path / "site", keep_urls=False) == 2
    err = capsys.readouterr().err
    assert "exists already" in err and "nothing written" in err
    assert _tree(site) == before  # not even the missing file came back


def test_site_yaml_of_an_existing_site_is_kept(tmp_path, capsys):
    blog = _git_blog("hexo_blog", tmp_path)
    (tmp_path / "site/site_src").mkdir(parents=True)
    (tmp_path / "site/site_src/site.yaml").write_text("title: mine\n", encoding="utf-8")
    assert run_import(blog, tmp_path / "site", keep_urls=True) == 0
    out = capsys.readouterr().out
    assert "site.yaml:  kept" in out
    assert 'permalink: ":year/:month/:day/:title/"' in out  # the keys it would have written are in the report
    assert (tmp_path / "site/site_src/site.yaml").read_text(encoding="utf-8") == "title: mine\n"


def test_keep_urls_uses_the_site_wide_pattern(tmp_path, capsys):
    blog = _git_blog("hexo_blog", tmp_path)
    assert run_import(blog, tmp_path / "site", keep_urls=True) == 0
    counts = _counts(capsys.readouterr().out)
    assert counts["redirects"] == 1  # only the page /links.html
    site = tmp_path / "site/site_src"
    assert yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))["permalink"] == ":year/:month/:day/:title/"
    assert "aliases:" not in (site / "posts/hello-world.md").read_text(encoding="utf-8")
    assert (site / "posts/hello-world.md").read_bytes() == (blog / "source/_posts/hello-world.md").read_bytes()


def test_abbrlink_blog(tmp_path, capsys):
    blog = _git_blog("hexo_abbrlink", tmp_path)
    assert run_import(blog, tmp_path / "site", keep_urls=False) == 0
    out = capsys.readouterr().out
    counts = _counts(out)
    assert (counts["posts"], counts["redirects"], counts["tags"], counts["categories"]) == (3, 3, 4, 2), out
    site = tmp_path / "site/site_src"
    for rel, old_url in ABBRLINK_URLS.items():
        assert _front((site / "posts" / rel).read_text(encoding="utf-8"))["aliases"] == [old_url]
    undated = (site / "posts/2023-05-20-attention.md").read_text(encoding="utf-8")
    assert undated.startswith("---\ndate: 2023-05-20 00:00:00+08:00\n")  # Hexo's date from the file name
    assert (
        yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))["base_url"] == "https://lin.example.org/blog/"
    )


def _small_blog(root: Path, config: str, posts: dict[str, str]) -> Path:
    (root / "blog/source/_posts").mkdir(parents=True)
    (root / "blog/_config.yml").write_text(config, encoding="utf-8")
    for rel, text in posts.items():
        (root / "blog/source/_posts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "blog/source/_posts" / rel).write_bytes(text.encode("utf-8"))
    return root / "blog"


def test_collisions_broken_front_matter_crlf_and_symlinks(tmp_path, capsys):
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours\n", encoding="utf-8")
    posts = {
        "a/foo.md": "---\ndate: 2020-01-01\n---\nA\n",
        "b/foo.md": "---\ndate: 2020-05-05\n---\nB\n",
        "broken.md": "---\ntitle: [unclosed\ndate: 2020-01-01\n---\nbody\n",
        "crlf.md": "---\r\ntitle: Windows\r\ndate: 2020-02-02\r\n---\r\nbody\r\n",
    }
    blog = _small_blog(tmp_path, "timezone: UTC\npermalink: :year/:name/\n", posts)
    (blog / "source/leak.txt").symlink_to(outside)
    assert run_import(blog, tmp_path / "site", keep_urls=False) == 0
    out = capsys.readouterr().out
    site = tmp_path / "site/site_src"
    assert _front((site / "posts/a/foo.md").read_text(encoding="utf-8"))["aliases"] == ["/2020/foo/"]
    assert (site / "posts/b/foo.md").read_text(encoding="utf-8") == posts["b/foo.md"]
    assert re.search(
        r"site_src/posts/b/foo\.md:1: error: its old URL /2020/foo/ is also that of \S*site_src/posts/a/foo\.md", out
    )
    assert (site / "posts/broken.md").read_text(encoding="utf-8") == posts["broken.md"]
    assert re.search(r"site_src/posts/broken\.md:\d+: error: invalid YAML front matter", out)
    crlf = (site / "posts/crlf.md").read_bytes()
    assert crlf == b'---\r\naliases: ["/2020/crlf/"]\r\n' + posts["crlf.md"].encode()[5:]
    assert not (site / "leak.txt").exists()
    assert "leak.txt:1: error: symlink to" in out and "outside the blog: not followed" in out


def test_not_a_hexo_blog(tmp_path, capsys):
    assert run_import(tmp_path, tmp_path / "site", keep_urls=False) == 2
    assert "a Hexo blog?" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


# -- end to end: the imported site, built and served, answers at every old URL ---------------------


class _Head(HTMLParser):
    """A page's <title>, canonical link and meta refresh target."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.canonical, self.refresh, self._in_title = "", "", "", False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.refresh = a.get("content", "").split("url=", 1)[-1].strip() if "url=" in a.get("content", "") else ""

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _resolve(site, url: str, fetch) -> tuple[str, _Head]:
    """Follow meta refreshes (a redirect page's) from url to the page they end at."""
    for _ in range(4):
        response = fetch(url)
        assert response.status == 200, f"{url} -> HTTP {response.status}"
        head = _Head()
        head.feed(response.body.decode("utf-8"))
        target = head.refresh or (head.canonical if head.canonical and not head.title.strip() else "")
        if not target:
            return response.final_url, head
        url = urljoin(response.final_url, target)
        if url.startswith(site.base_url):
            url = site.local(url)
    raise AssertionError(f"{url}: redirects do not end")


@pytest.fixture
def serve_folder():
    servers = []

    def serve(webroot: Path) -> str:
        from e2e.conftest import StaticHandler

        handler = functools.partial(StaticHandler, directory=str(webroot))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fixture", "keep_urls"),
    [("hexo_blog", False), ("hexo_blog", True), ("hexo_abbrlink", False)],
    ids=["aliases", "keep-urls", "abbrlink"],
)
def test_imported_site_keeps_every_old_url(tmp_path, capsys, serve_folder, fixture, keep_urls):
    from e2e.conftest import ServedSite
    from e2e.crawler import crawl, fetch
    from sitebuild import ROOT, build_site

    blog = _git_blog(fixture, tmp_path)
    assert run_import(blog, tmp_path / "site", keep_urls=keep_urls) == 0
    capsys.readouterr()
    source = tmp_path / "site/site_src"
    base_url = yaml.safe_load((source / "site.yaml").read_text(encoding="utf-8"))["base_url"]
    webroot = tmp_path / "www"
    output = webroot / urlsplit(base_url).path.strip("/")
    report = build_site(source, output, project=ROOT)
    errors = [d.format() for d in report.diagnostics if d.level == "error"]
    assert errors == []
    site = ServedSite(base_url, output, serve_folder(webroot))

    result = crawl(site, [site.home])
    assert result.broken == [] and result.escaping == []

    old_urls = OLD_URLS if fixture == "hexo_blog" else ABBRLINK_URLS
    for rel, old_url in old_urls.items():
        original = (blog / "source/_posts" / rel).read_text(encoding="utf-8")
        title = yaml.safe_load(original.removeprefix("---\n").split("\n---\n")[0])["title"]
        old = site.home + quote(old_url.lstrip("/"))
        final, head = _resolve(site, old, fetch)
        assert title in head.title, f"{old_url} ended at {final} ({head.title!r}), not at the post {title!r}"
        assert (final == old) == keep_urls, f"{old_url}: served at {final}"  # a redirect, or the post itself
    if fixture == "hexo_blog":
        final, head = _resolve(site, site.home + "links.html", fetch)
        assert "友情链接" in head.title

    static = [p.relative_to(blog / "source").as_posix() for p in (blog / "source").rglob("*") if p.is_file()]
    static = [rel for rel in static if not rel.startswith("_") and not rel.endswith(".md") and rel != "CNAME"]
    assert {rel: fetch(site.home + rel).status for rel in static} == {rel: 200 for rel in static}

    pages = [p for p in output.rglob("*.html") if "pagefind" not in p.parts]
    assert not [p for p in pages if "一致性模型" in p.read_text(encoding="utf-8")], "a draft was published"
    if fixture != "hexo_blog":
        return
    tags_page = (output / "tags/index.html").read_text(encoding="utf-8")
    for tag in ("Hexo", "容器", "DevOps", "diffusion", "NeurIPS2020", "GAN", "NexT", "阅读", "Python", "Transformer"):
        assert tag in tags_page, tag
    assert [p.name for p in (output / "tags").iterdir() if p.name.casefold() == "docker"] == ["docker"]
    assert tags_page.casefold().count(">docker<") == 1  # Docker and docker: one tag
    categories_page = (output / "categories/index.html").read_text(encoding="utf-8")
    for category in ("工具", "深度学习", "生成模型", "综述", "博客", "视觉 Transformer", "多模态"):
        assert category in categories_page, category
