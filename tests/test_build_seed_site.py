"""Issue 2 acceptance: the seed site builds with posts, notes, math, TOC and assets."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

from sitebuild import ROOT, SEED_SOURCE, build_site, soup

from papernotes.render.math import protect_math
from papernotes.sources.documents import read_document

NOTE = "notes/cvpr2022-generative-models/index.html"
POST = "posts/cvpr2022-papers/index.html"


def test_readme_build_command_exits_zero_and_writes_index(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "build.py", "--output", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "index.html").is_file()
    summary = proc.stderr.strip().splitlines()[-1]
    assert re.match(r"built \d+ pages .* with 0 errors and \d+ warnings in [\d.]+s", summary)


def test_seed_note_has_every_formula_rendered_byte_exact(seed_site):
    output, _ = seed_site
    page = soup(output / NOTE)
    displays = page.select(".prose .math-display")
    inlines = page.select(".prose .math-inline")
    assert len(displays) == 23 and len(inlines) == 27
    assert page.select(".math-error") == [] and page.select(".math-source") == []

    source = (SEED_SOURCE / "notes/cvpr2022-generative-models.md").read_text(encoding="utf-8")
    doc, _ = read_document("notes/x.md", source, "note")
    _, formulas = protect_math(doc.body, doc.body_line)
    annotations = [a.get_text() for a in page.select('.prose annotation[encoding="application/x-tex"]')]
    assert annotations == [f.tex for f in formulas]


def test_broken_formula_and_missing_image_are_shown_and_reported(tmp_path):
    src = tmp_path / "site_src"
    (src / "notes").mkdir(parents=True)
    (src / "notes" / "broken.md").write_text(
        "---\ntitle: Broken\ndate: 2024-01-02\n---\n\n正文第一段。\n\n公式 $\\frac{1}{$ 坏了。\n\n![示意图](img/none.png)\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--strict", "--source", str(src), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert re.search(r"notes/broken\.md:8: warning: KaTeX: ", proc.stderr), proc.stderr
    assert re.search(r"notes/broken\.md:10: warning: image not found: img/none\.png", proc.stderr), proc.stderr
    page = soup(out / "notes/broken/index.html")
    box = page.select_one(".math-error")
    assert box is not None and box.get_text() == "\\frac{1}{"
    assert re.match(r".*notes/broken\.md:8: KaTeX: ", box["title"])
    holder = page.select_one(".missing-image")
    assert holder is not None and "示意图" in holder.get_text()
    assert page.select('img[src="img/none.png"]') == []
    assert "正文第一段" in page.get_text()
    # Without --strict, warnings alone do not fail the build.
    plain = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--source", str(src), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stderr


def test_toc_lists_every_heading_and_links_resolve(seed_site):
    output, _ = seed_site
    page = soup(output / NOTE)
    toc = page.select_one(".prose .toc")
    assert toc is not None
    headings = page.select(".prose h2, .prose h3")
    toc_targets = [a["href"] for a in toc.select("a")]
    heading_ids = {h["id"] for h in headings}
    assert all(h.get("id") for h in headings)
    assert {"#" + i for i in heading_ids} <= set(toc_targets)
    all_ids = {el["id"] for el in page.select("[id]")}
    for href in toc_targets:
        assert href.startswith("#") and href[1:] in all_ids
    assert not any(re.fullmatch(r"_\d+", i) for i in heading_ids)
    styleformer = [h for h in headings if h.get_text().startswith("Styleformer")][0]
    assert styleformer.get_text().rstrip("#").strip().endswith("with Style Vector")


def test_image_line_followed_by_list_item_still_makes_a_list(seed_site):
    output, _ = seed_site
    page = soup(output / NOTE)
    items = [li.get_text() for li in page.select(".prose ol > li")]
    assert any(t.startswith("将深度图和给定图像") for t in items)
    assert any(t.startswith("经过一个解码器") for t in items)
    assert not any(p.get_text().startswith("2. 将深度图") for p in page.select(".prose p"))


def test_post_page_excerpt_tags_category_and_date(seed_site):
    output, _ = seed_site
    post = soup(output / POST)
    assert post.select_one("h1").get_text() == "CVPR2022论文梳理"
    home = soup(output / "index.html")
    entry = [e for e in home.select(".entry") if "CVPR2022论文梳理" in e.get_text()][0]
    assert entry.select_one(".entry-excerpt").get_text().strip() == "CVPR2022"
    for tag in [
        "cvpr2022",
        "multimodal",
        "vision-language",
        "image-generation",
        "face-generation",
        "deepfake-detection",
    ]:
        assert (output / "tags" / tag / "index.html").is_file(), tag
    assert len(post.select(".doc-meta .tag")) == 6
    assert (output / "categories/paper/index.html").is_file()
    stamp = dt.datetime.fromisoformat(post.select_one(".doc-meta time")["datetime"])
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) > 5 or _git_date_of_post() == stamp


def _git_date_of_post():
    from papernotes.content import git_dates

    return git_dates(SEED_SOURCE).get("posts/cvpr2022-papers.md")


def test_unknown_front_matter_keys_reach_templates():
    doc, diags = read_document("posts/p.md", (SEED_SOURCE / "posts/cvpr2022-papers.md").read_text("utf-8"), "post")
    assert diags == []
    assert doc.meta["comment_title"] == "CVPR2022论文梳理"
    assert doc.categories == (("paper",),) and len(doc.tags) == 6


def test_two_builds_are_byte_identical_and_warm_build_starts_no_node(tmp_path, seed_site):
    first, _ = seed_site
    second = tmp_path / "again"
    report = build_site(SEED_SOURCE, second)
    assert report.node_processes == 0  # the session build warmed the KaTeX cache
    files_a = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert files_a == files_b or _pagefind_names_only(files_a, files_b)
    for rel in files_a:
        if _pagefind_unstable(rel):
            continue
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def _pagefind_unstable(rel: str) -> bool:
    """Pagefind (upstream) writes its filter tables in hash-map order, so those files and the
    entry/meta files naming them differ between runs; pages, assets and the word index do not."""
    return rel.startswith("pagefind/") and (
        rel.startswith("pagefind/filter/") or rel.endswith((".pf_meta", "pagefind-entry.json", ".papernotes-inputs"))
    )


def _pagefind_names_only(files_a: list[str], files_b: list[str]) -> bool:
    stable_a = [f for f in files_a if not _pagefind_unstable(f)]
    stable_b = [f for f in files_b if not _pagefind_unstable(f)]
    return stable_a == stable_b and len(files_a) == len(files_b)


def test_assets_referenced_by_pages_exist_and_no_cdn(seed_site):
    output, _ = seed_site
    for page_path in output.rglob("*.html"):
        page = soup(page_path)
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
            for el in page.find_all(tag):
                ref = el.get(attr)
                if not ref or el.get("rel") in (["canonical"],) or tag == "link" and el.get("rel") == ["alternate"]:
                    continue
                assert not re.match(r"^(https?:)?//", ref), f"{page_path}: external {ref}"
    css = (output / "static/math/math.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\(([^)]+)\)", css))
    assert fonts and all((output / "static/math" / f).is_file() for f in fonts)
    assert all(f.endswith(".woff2") for f in fonts)
    assert (output / "static/math/OFL.txt").is_file()  # the font's licence travels with it
