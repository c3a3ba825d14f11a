"""Paginated lists: a long list of papers or entries cut into pages, page 1 at the list's own URL and
page N at `<url>page/N/` (Urls.paged), each page a Page of its own with its number in `args` (so it
is fingerprinted apart), and the pager data every list template draws with templates/_pager.html."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .page import Page
from .urls import Urls

if TYPE_CHECKING:
    from .research import PaperIndex

MAX_PER_PAGE = 50  # no list page shows more: a 2,000-paper venue-year is 40 light pages, not one heavy one
WINDOW = 2  # page numbers the pager shows either side of the current page (and always the first and last)


def per_page(setting: int) -> int:
    """The page size of a list: the site's `papers_per_page`, at most MAX_PER_PAGE."""
    return max(1, min(int(setting), MAX_PER_PAGE))


def page_count(count: int, size: int) -> int:
    """Pages of a list of `count` items: an empty list still has its (one) page."""
    return max(1, -(-count // size))


def page_of(items: Sequence, number: int, size: int) -> Sequence:
    return items[(number - 1) * size : number * size]


def list_pages(
    urls: Urls,
    url: str,
    count: int,
    size: int,
    template: str,
    make: Callable[..., dict],
    args: tuple,
    inputs: tuple[str, ...],
    origin: str,
    fragments: tuple[str, ...] = (),
) -> list[Page]:
    """The pages of one list of `count` items: `make(get, *args, number)` draws page `number`."""
    return [
        Page(urls.paged(url, n), template, make, (*args, n), inputs, origin, fragments)
        for n in range(1, page_count(count, size) + 1)
    ]


def paged_title(title: str, number: int) -> str:
    return title if number <= 1 else f"{title} · 第 {number} 页"


def pagination(urls: Urls, url: str, number: int, total: int) -> dict:
    """What the pager shows: prev/next, page `number` of `total`, and the page numbers near it, with a
    gap (`number` None) where pages are left out -- a 540-page list shows a dozen links, not 540."""
    near = range(max(1, number - WINDOW), min(total, number + WINDOW) + 1)
    shown = sorted({1, total, *near})
    pages: list[dict] = []
    for n, following in zip(shown, [*shown[1:], None]):
        pages.append({"number": n, "href": urls.href(urls.paged(url, n))})
        if following is not None and following == n + 2:  # a gap of one page: show the page, not "…"
            pages.append({"number": n + 1, "href": urls.href(urls.paged(url, n + 1))})
        elif following is not None and following > n + 2:
            pages.append({"number": None, "href": ""})
    return {
        "number": number,
        "total": total,
        "prev": urls.href(urls.paged(url, number - 1)) if number > 1 else "",
        "next": urls.href(urls.paged(url, number + 1)) if number < total else "",
        "pages": pages,
    }


def lists_script(urls: Urls, shown: Sequence) -> str:
    """The href of static/lists.js (filter and sort within a page) for a page listing several items, else ""."""
    return urls.href(urls.static("lists.js")) if len(shown) > 1 else ""


def paper_list(index: PaperIndex, url: str, chosen: Sequence[dict], number: int) -> dict:
    """What every paginated list of papers at `url` shows of page `number` of `chosen` (summaries in
    list order): its papers as list items, the pager, the script."""
    size = per_page(index.per_page)
    shown = index.listed(page_of(chosen, number, size))
    return {
        "papers": shown,
        "pagination": pagination(index.urls, url, number, page_count(len(chosen), size)),
        "lists_js": lists_script(index.urls, shown),
    }
