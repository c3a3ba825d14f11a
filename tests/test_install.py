"""papernotes as a tool: `init` a notes repository anywhere, `new` notes and posts, build it with the default
theme, a site's own templates/ and static/ overriding it, and KaTeX from the site's or the tool's node_modules.

The slow test is the real thing: a fresh venv, `pip install` of this checkout (not editable, so the theme
and the init files must ship in the wheel), then the commands of the README's "Start a notes site".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
import yaml
from sitebuild import ROOT, soup

from papernotes.commands.scaffold import pinyin_slug, scaffold_files

needs_katex = pytest.mark.skipif(
    not (ROOT / "node_modules" / "katex").is_dir(), reason="node_modules/katex is not installed (run `npm ci`)"
)


def papernotes(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command line of this environment (the checkout's package), run in `cwd`."""
    env = env or {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "papernotes.cli", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    return done


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.fixture
def site(tmp_path) -> Path:
    done = papernotes(tmp_path, "init", "site")
    assert done.returncode == 0, done.stderr
    assert "cd site && npm install && papernotes serve" in done.stdout
    return tmp_path / "site"


# -- slugs --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "title, slug",
    [
        ("扩散模型笔记", "kuo-san-mo-xing-bi-ji"),
        ("DDPM 扩散模型", "ddpm-kuo-san-mo-xing"),
        ("扩散模型：DDPM（2020）", "kuo-san-mo-xing-ddpm-2020"),
        ("Attention Is All You Need", "attention-is-all-you-need"),
        ("Über Café-Notizen", "uber-cafe-notizen"),
    ],
)
def test_titles_give_readable_ascii_slugs(title, slug):
    assert pinyin_slug(title) == slug


# -- init ---------------------------------------------------------------------------------------------
def test_init_writes_a_ready_notes_repository(site):
    assert sorted(scaffold_files()) == sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()), (
        "init writes exactly the shipped files"
    )
    assert (site / ".gitignore").read_text().split() == ["output/", "node_modules/", ".papernotes-cache/"]
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    steps = [s.get("uses", s.get("run", "")) for s in workflow["jobs"]["build"]["steps"]]
    assert any("upload-pages-artifact" in s for s in steps) and any("--base-url" in s for s in steps)
    assert any("npm ci" in s and "pip install" in s for s in steps)
    assert "deploy-pages" in workflow["jobs"]["deploy"]["steps"][0]["uses"]
    assert (site / "site_src/site.yaml").is_file() and list((site / "site_src/notes").glob("*.md"))
    assert list((site / "site_src/posts").glob("*.md")) and (site / "README.md").is_file()


def test_the_init_site_pins_the_katex_and_math_font_of_this_checkout(site):
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert set(wanted) == {"katex", "@fontsource/stix-two-math"}
    assert json.loads((site / "package.json").read_text())["dependencies"] == wanted
    lock = json.loads((site / "package-lock.json").read_text())  # `npm ci` (the workflow) needs it
    assert lock["packages"][""]["dependencies"] == wanted
    for name, version in wanted.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_init_never_overwrites(site, tmp_path):
    (site / "site_src/site.yaml").write_text("title: mine\n")
    done = papernotes(tmp_path, "init", "site")
    assert done.returncode == 2 and "nothing was written" in done.stderr
    assert (site / "site_src/site.yaml").read_text() == "title: mine\n"
    other = tmp_path / "repo"
    other.mkdir()
    (other / "README.md").write_text("my repository\n")
    done = papernotes(tmp_path, "init", "repo")
    assert done.returncode == 2 and "README.md" in done.stderr
    assert [p.name for p in other.iterdir()] == ["README.md"]
    (tmp_path / "a-file").write_text("")
    assert papernotes(tmp_path, "init", "a-file").returncode == 2
    # A folder holding none of init's files (a fresh clone: .git, a licence) is fine.
    clone = tmp_path / "clone"
    (clone / ".git").mkdir(parents=True)
    (clone / "LICENSE").write_text("MIT\n")
    assert papernotes(tmp_path, "init", "clone").returncode == 0
    assert (clone / "LICENSE").read_text() == "MIT\n" and (clone / "site_src/site.yaml").is_file()


# -- new ----------------------------------------------------------------------------------------------
def test_new_writes_front_matter_in_the_site_time_zone_and_never_overwrites(site):
    config = site / "site_src/site.yaml"
    config.write_text(config.read_text().replace('timezone: ""', "timezone: Asia/Shanghai"))
    first = papernotes(site, "new", "note", "扩散模型笔记")
    assert first.returncode == 0 and first.stdout.strip() == "site_src/notes/kuo-san-mo-xing-bi-ji.md"
    again = papernotes(site / "site_src", "new", "note", "扩散模型笔记")  # from a folder inside the site
    assert again.returncode == 0 and again.stdout.strip() == "notes/kuo-san-mo-xing-bi-ji-2.md"
    note = front_matter(site / "site_src/notes/kuo-san-mo-xing-bi-ji-2.md")
    assert note["title"] == "扩散模型笔记" and note["tags"] == [] and note["slug"] == "kuo-san-mo-xing-bi-ji-2"
    assert note["date"].utcoffset().total_seconds() == 8 * 3600
    assert "+08:00" in (site / "site_src/notes/kuo-san-mo-xing-bi-ji.md").read_text()
    post = papernotes(site, "new", "post", "DDPM: 扩散模型")
    assert post.stdout.strip() == "site_src/posts/ddpm-kuo-san-mo-xing.md"
    assert front_matter(site / "site_src/posts/ddpm-kuo-san-mo-xing.md")["title"] == "DDPM: 扩散模型"


def test_outside_a_site_nothing_is_built_or_written(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    built = papernotes(tmp_path / "elsewhere", "build", "--no-search")
    assert built.returncode == 2 and "nothing was built" in built.stderr
    assert papernotes(tmp_path / "elsewhere", "new", "note", "x").returncode == 2
    assert [p.name for p in (tmp_path / "elsewhere").iterdir()] == []


# -- build --------------------------------------------------------------------------------------------
@needs_katex
def test_an_init_site_builds_with_the_theme_overrides_and_the_tools_katex(site, tmp_path):
    assert papernotes(site, "new", "note", "扩散模型笔记").returncode == 0
    note = site / "site_src/notes/kuo-san-mo-xing-bi-ji.md"
    note.write_text(note.read_text() + "质能方程 $E = mc^2$。\n", encoding="utf-8")
    # Notes are drawn by document.html: the site's own copy of it is used instead of the theme's.
    (site / "templates").mkdir()
    theme = (ROOT / "templates/document.html").read_text(encoding="utf-8")
    own = theme.replace("{% block content %}", '{% block content %}<p id="mine">site template</p>', 1)
    assert own != theme
    (site / "templates/document.html").write_text(own, encoding="utf-8")
    (site / "static").mkdir()
    (site / "static/style.css").write_text("/* the site's */\n")
    assert not (site / "node_modules").exists()  # KaTeX: the tool's own (this checkout's node_modules)
    done = papernotes(site / "site_src" / "notes", "build", "--no-search", "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    page = soup(tmp_path / "out/notes/kuo-san-mo-xing-bi-ji/index.html")
    assert page.select_one(".katex") is not None and page.select_one("#mine") is not None
    assert soup(tmp_path / "out/notes/diffusion-loss/index.html").select(".katex")
    assert soup(tmp_path / "out/index.html").select_one("#mine") is None  # home.html: the theme's
    assert (tmp_path / "out/static/style.css").read_text() == "/* the site's */\n"
    assert (tmp_path / "out/static/search.js").read_bytes() == (ROOT / "static/search.js").read_bytes()
    assert (tmp_path / "out/static/math/math.css").is_file() and (
        tmp_path / "out/static/math/stix-two-math.woff2"
    ).is_file()
    assert (site / ".papernotes-cache").is_dir() and not (ROOT / "output" / "notes" / "kuo-san-mo-xing-bi-ji").exists()


# -- the real thing -----------------------------------------------------------------------------------
def _checkout_copy(target: Path) -> Path:
    """This checkout as pip sees it, in a temporary folder: pip's in-tree build leaves build/ behind,
    which must not land in the working tree (nor be shared by two runs)."""
    skip = shutil.ignore_patterns(
        ".git", "node_modules", "output", "build", "*.egg-info", "__pycache__", ".papernotes-cache", ".hypothesis",
        ".pytest_cache", ".ruff_cache", ".benchmarks", "out", "tests",
    )  # fmt: skip
    shutil.copytree(ROOT, target, ignore=skip)
    return target


def _run(command: str, cwd: Path, env: dict, timings: dict, name: str) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    timings[name] = round(time.perf_counter() - started, 1)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_pip_install_init_npm_install_new_build(tmp_path):
    """The README's "Start a notes site", word for word, with a non-editable install into a fresh venv."""
    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(tmp_path / "venv"))
    source = _checkout_copy(tmp_path / "checkout")
    timings: dict[str, float] = {}
    work, site = tmp_path / "work", tmp_path / "work" / "site"
    work.mkdir()
    try:
        _run(f"python -m pip install -q {source}", tmp_path, env, timings, "pip install")
        shutil.rmtree(source)  # the installed tool must need nothing of the checkout
        _run("papernotes init site", work, env, timings, "init")
        _run("npm install --no-audit --no-fund --prefer-offline", site, env, timings, "npm install")
        new = _run('papernotes new note "扩散模型笔记"', site, env, timings, "new")
        assert new.stdout.strip() == "site_src/notes/kuo-san-mo-xing-bi-ji.md"
        _run("papernotes build", site, env, timings, "build")
    finally:
        print("timings (s):", timings)
    installed = subprocess.run(
        ["python", "-c", "import papernotes.theme as t; print(t.theme_dir('templates'), t.katex_root('.').resolve())"],
        cwd=site, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert installed[0].startswith(str(tmp_path / "venv")) and Path(installed[1]).resolve() == site.resolve()
    assert (site / "node_modules/katex/package.json").is_file()
    page = soup(site / "output/notes/kuo-san-mo-xing-bi-ji/index.html")
    assert page.select_one("h1") is not None
    assert soup(site / "output/notes/diffusion-loss/index.html").select(".katex")
    assert (site / "output/static/math/stix-two-math.woff2").is_file() and (site / "output/static/style.css").is_file()
    assert (site / "output/pagefind/pagefind.js").is_file()
