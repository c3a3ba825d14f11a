"""site/page.py `same_in`: two builds' page lists compared in the fields the writer's plan and the sitemap
read (a wrong "same" would keep a stale plan or sitemap after a rebuild)."""

from __future__ import annotations

from papernotes.site.page import Page, same_in

URL, TEMPLATE, ORIGIN = 0, 1, 5


def _make(get):
    return {}


def _pages(*urls: str, origin: str = "notes/a.md") -> list[Page]:
    return [Page(url, "document.html", _make, (url,), (), origin) for url in urls]


def test_the_very_same_pages_and_equal_remade_ones_are_the_same():
    old = _pages("notes/a/", "notes/b/")
    assert same_in(old, old, URL, ORIGIN)
    assert same_in(old, list(old), URL, ORIGIN)
    assert same_in(old, _pages("notes/a/", "notes/b/"), URL, ORIGIN)  # remade: equal in those fields


def test_a_page_moved_added_removed_or_reordered_is_not_the_same():
    old = _pages("notes/a/", "notes/b/")
    assert not same_in(old, _pages("notes/a/", "notes/c/"), URL, ORIGIN)
    assert not same_in(old, _pages("notes/a/"), URL, ORIGIN)
    assert not same_in(old, _pages("notes/a/", "notes/b/", "notes/c/"), URL, ORIGIN)
    assert not same_in(old, _pages("notes/b/", "notes/a/"), URL, ORIGIN)


def test_only_the_fields_asked_for_are_compared():
    old = _pages("notes/a/", "notes/b/")
    other_origin = _pages("notes/a/", "notes/b/", origin="notes/z.md")
    assert not same_in(old, other_origin, URL, ORIGIN)
    assert same_in(old, other_origin, URL, TEMPLATE)
    retemplated = [page._replace(template="list.html") for page in old]
    assert not same_in(old, retemplated, URL, TEMPLATE)
    assert same_in(old, retemplated, URL, ORIGIN)
