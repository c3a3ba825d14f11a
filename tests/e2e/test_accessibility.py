"""Issue 14, acceptance 2: axe-core (npm, a dev dependency) finds no critical and no serious violation on a page
of each kind of the seed site -- home, note, post, paper, author, venue, topic, tag, category, archive, search
with results, 404, and the index pages -- in the light and the dark theme, at 1280 and 375 px. Violations are reported with the
rule, the node and axe's own summary, so a failure says what to fix."""

from __future__ import annotations

import pytest
from sitebuild import ROOT

from .conftest import CHROMIUM, browser_available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not browser_available(), reason=f"{CHROMIUM} not installed (and CI unset)"),
]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "note": "notes/cvpr2022-generative-models/",
    "post": "posts/cvpr2022-papers/",
    "paper": "papers/text-to-image-generation-with-semantic-spatial-aware-gan/",
    "author": "authors/nannan-wang/",
    "venue": "venues/cvpr/2023/",
    "topic": "topics/deepfake-detection/",
    "tag": "tags/cvpr2022/",
    "category": "categories/paper/",
    "archive": "archive/",
    "search": "search/?q=GAN",
    "404": "404.html",
    # and the other kinds of page: the indexes, a venue's own page, a year's archive, a paged list
    "papers": "papers/",
    "papers, page 2": "papers/page/2/",
    "authors": "authors/",
    "venues": "venues/",
    "venue root": "venues/cvpr/",
    "topics": "topics/",
    "tags": "tags/",
    "categories": "categories/",
    "notes": "notes/",
    "posts": "posts/",
    "year archive": "archive/2026/",
}
BAD = ("critical", "serious")


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] in BAD:
            for node in v["nodes"]:
                summary = " ".join(node.get("failureSummary", "").split())[:300]
                found.append(f"{v['id']} ({v['impact']}) {' '.join(node['target'])}: {summary}")
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_or_critical_axe_violation(open_tab, width, theme):
    assert AXE.is_file(), "node_modules/axe-core is missing: run `npm ci`"
    tab = open_tab(width=width, height=900)
    tab.page.emulate_media(color_scheme=theme)
    problems = {}
    for kind, rel in PAGES.items():
        if kind == "404":
            tab.page.goto(tab.site.url(rel), wait_until="load")
        else:
            tab.goto(rel)
        if kind == "search":
            tab.page.wait_for_selector("#search-results li.search-result", timeout=15_000)
        found = _violations(tab.page)
        if found:
            problems[kind] = found
    assert problems == {}
    assert tab.problems == []
