"""Issue 13: static/lists.js filters and sorts the items of a list page in real Chromium, and a page
without JavaScript shows its whole page of the list with a working pager and no dead controls."""

from __future__ import annotations

import pytest

from .conftest import CHROMIUM, browser_available

pytestmark = pytest.mark.skipif(not browser_available(), reason=f"{CHROMIUM} not installed (and CI unset)")

ITEMS = "[data-list] .paper-item"
SHOWN = "[data-list] .paper-item:not([hidden])"


@pytest.fixture
def new_page(chromium):
    contexts = []

    def make(javascript: bool = True):
        context = chromium.new_context(java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems = []
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        return page, problems

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


def test_filter_box_matches_title_and_authors_case_insensitively(new_page, sub_site):
    page, problems = new_page()
    page.goto(sub_site.url("venues/cvpr/2023/"), wait_until="load")
    items = page.locator(ITEMS)
    assert items.count() == 50
    box = page.locator(".list-controls input[type=search]")
    box.wait_for()
    texts = [
        (item.locator(".paper-title").inner_text() + " " + item.locator(".authors").inner_text()).lower()
        for item in items.all()
    ]
    word = next(w for w in ("diffusion", "video", "learning", "image") if any(w in t for t in texts))
    box.fill(word.upper())
    expected = sum(word in t for t in texts)
    assert 0 < page.locator(SHOWN).count() == expected
    assert f"{expected} / 50" in page.locator(".list-status").inner_text()
    box.fill("")
    assert page.locator(SHOWN).count() == 50 and page.locator(".list-status").inner_text() == ""
    assert problems == []


def test_sort_by_year_and_title_and_back(new_page, sub_site):
    page, problems = new_page()
    page.goto(sub_site.url("topics/representation-learning/"), wait_until="load")
    sort = page.locator(".list-controls select")
    sort.wait_for()
    titles = lambda: [t.inner_text() for t in page.locator(f"{ITEMS} .paper-title").all()]  # noqa: E731
    original = titles()
    sort.select_option("year-asc")
    years = [int(a.get_attribute("data-year") or 10_000) for a in page.locator(f"{ITEMS} > a.paper-title").all()]
    assert years == sorted(years) and len(years) == 50
    sort.select_option("title")
    by_title = titles()
    assert sorted(by_title) == sorted(original) and by_title[0].casefold() <= by_title[-1].casefold()
    sort.select_option("")
    assert titles() == original
    assert problems == []


def test_without_javascript_the_list_and_pager_are_complete(new_page, sub_site):
    page, problems = new_page(javascript=False)
    page.goto(sub_site.url("venues/cvpr/2023/"), wait_until="load")
    assert page.locator(".list-controls").count() == 0
    assert page.locator(SHOWN).count() == 50
    page.locator('nav.pagination a[rel="next"]').click()
    page.wait_for_url(sub_site.url("venues/cvpr/2023/page/2/"))
    assert "第 2 页，共 4 页" in page.locator("nav.pagination").inner_text()
    assert page.locator(ITEMS).count() == 50
    assert problems == []
