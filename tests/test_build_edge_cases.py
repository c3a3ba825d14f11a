"""Issue 2: builds that meet missing tools, code, and math in unusual places."""

from __future__ import annotations

import shutil
import subprocess
import sys

from sitebuild import ROOT, build_site, soup


def _small_site(tmp_path, body: str) -> tuple:
    src = tmp_path / "site_src"
    (src / "notes").mkdir(parents=True)
    (src / "notes" / "n.md").write_text("---\ntitle: N\ndate: 2024-03-04\n---\n" + body, encoding="utf-8")
    return src, tmp_path / "out"


def test_missing_katex_package_says_how_to_fix_and_shows_tex(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("templates", "static", "build.py"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    # KaTeX is the site's, else the tool's own (papernotes/theme): the tool must lack it too.
    tool = tmp_path / "tool"
    shutil.copytree(ROOT / "papernotes", tool / "papernotes", ignore=shutil.ignore_patterns("__pycache__"))
    src, out = _small_site(tmp_path, "\n质能方程 $E=mc^2$。\n")
    shutil.copytree(src, project / "site_src")
    proc = subprocess.run(
        [sys.executable, "build.py", "--output", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(tool), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 1
    assert "katex is not installed" in proc.stderr and "npm ci" in proc.stderr
    page = soup(out / "notes/n/index.html")
    assert page.select_one(".math-source").get_text() == "E=mc^2"


def test_fenced_code_is_highlighted_and_math_inside_code_untouched(tmp_path):
    src, out = _small_site(tmp_path, "\n```python\ndef f(x):\n    return '$x$'  # $y$\n```\n\n行内 `$a$` 代码。\n")
    report = build_site(src, out)
    assert report.errors == 0
    page = soup(out / "notes/n/index.html")
    code = page.select_one(".highlight pre")
    assert code is not None and code.select("span.k")  # Pygments token spans
    assert "'$x$'" in code.get_text() and "$y$" in code.get_text()
    assert page.select_one("p code").get_text() == "$a$"
    assert page.select(".math-inline") == []
    css = (out / "static/pygments.css").read_text()
    assert ".highlight" in css and "prefers-color-scheme: dark" in css


def test_math_in_heading_list_item_table_and_currency(tmp_path):
    body = (
        "\n[TOC]\n\n## 损失 $L_0$ 范数\n\n- 列表 $a_i$ 项\n\n| 列 | 值 |\n|---|---|\n| $x^2$ | 1 |\n\n"
        "价格 $5 and $10，转义 \\$ 符号。\n"
    )
    src, out = _small_site(tmp_path, body)
    report = build_site(src, out)
    assert report.errors == 0
    page = soup(out / "notes/n/index.html")
    assert page.select_one("h2 .math-inline") is not None
    assert page.select_one("li .math-inline") is not None
    assert page.select_one("td .math-inline") is not None
    text = page.select_one(".prose").get_text()
    assert "$5 and $10" in text and "转义 $ 符号" in text
    assert "PNMATH" not in str(page)


def test_broken_front_matter_is_reported_with_its_line(tmp_path):
    src = tmp_path / "site_src"
    (src / "posts").mkdir(parents=True)
    (src / "posts" / "p.md").write_text("---\ntitle: ok\ntags: [a, b\ndate: 2024-01-01\n---\n正文\n", encoding="utf-8")
    report = build_site(src, tmp_path / "out")
    errors = [d for d in report.diagnostics if d.level == "error"]
    assert errors and errors[0].path == "posts/p.md" and errors[0].line in (3, 4)
    assert report.exit_code() == 1
    assert (tmp_path / "out/index.html").is_file()  # the rest of the site still builds
