"""Issue 6, acceptance 1 and 3: the seed site under a sub-path and at the root, checked over HTTP.

The crawler (tests/e2e/crawler.py) starts at the home page and reports broken links,
links that leave the base path, and fragments with no matching id; external links are
not followed, but none may point at the site's own host outside the base. Then the canonical links, the Atom feed, sitemap.xml and robots.txt must
all use the absolute base URL.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import SEED_SOURCE, SUB_PATH_URL, ServedSite
from .crawler import SKIP_SCHEMES, Crawl, PageParser, crawl, fetch

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_crawls: dict[str, Crawl] = {}


@pytest.fixture
def site_crawl(any_site) -> Crawl:
    """One crawl per served site, from the home page."""
    if any_site.base_url not in _crawls:
        _crawls[any_site.base_url] = crawl(any_site, [any_site.home])
    return _crawls[any_site.base_url]


def html_files(output: Path) -> set[str]:
    """Paths (relative to the base) of the pages the build wrote, as URLs: notes/x/ for notes/x/index.html."""
    urls = set()
    for path in output.rglob("*.html"):
        rel = path.relative_to(output).as_posix()
        if rel == "404.html" or rel.startswith("pagefind/"):
            continue
        urls.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


def rel_url(site: ServedSite, served_url: str) -> str:
    return served_url[len(site.home) :]


def xml(site: ServedSite, rel: str) -> ET.Element:
    resp = fetch(site.url(rel))
    assert resp.status == 200, f"{rel}: HTTP {resp.status}"
    assert "xml" in resp.content_type, f"{rel} served as {resp.content_type}"
    return ET.fromstring(resp.body)


# --- acceptance 1: links ---------------------------------------------------------------------


def test_harness_serves_nothing_outside_the_base(sub_site):
    """Sanity: under /notes/ a link that forgets the base path really gets a 404."""
    assert fetch(sub_site.origin + "/").status == 404
    assert fetch(sub_site.origin + "/static/style.css").status == 404
    assert fetch(sub_site.url("static/style.css")).status == 200


def test_crawl_finds_no_broken_links(site_crawl):
    assert site_crawl.broken == []
    # The crawl really covered the site: every kind of page, the assets, the search bundle.
    rels = {rel_url(site_crawl.site, u) for u in site_crawl.pages}
    for rel in (
        "",
        "notes/cvpr2022-generative-models/",
        "topics/",
        "papers/",
        "authors/",
        "venues/",
        "search/",
        "archive/",
    ):
        assert rel in rels, f"the crawl never reached {rel!r}"
    assets = {rel_url(site_crawl.site, u) for u in site_crawl.resources}
    assert {"static/style.css", "atom.xml", "pagefind/pagefind.js"} <= assets
    assert "static/math/stix-two-math.woff2" in assets, "the math font named by static/math/math.css"


def test_crawl_finds_no_link_leaving_the_base(site_crawl):
    assert site_crawl.escaping == []
    # External links are skipped, but they are real outside addresses, never this site's host.
    own = urlsplit(site_crawl.site.base_url).netloc
    assert site_crawl.external, "the seeds link to arXiv and others; the crawler should have seen some"
    assert not [u for u in site_crawl.external if urlsplit(u).netloc in (own, "localhost", "127.0.0.1")]


def test_every_fragment_names_an_id(site_crawl):
    missing = []
    for where, target, fragment in site_crawl.fragments:
        page = site_crawl.pages.get(target)
        if page is not None and fragment not in page.ids:
            missing.append(f"{where}: #{fragment} not on {target}")
    assert missing == []


def test_every_page_is_reachable_from_home(site_crawl):
    """BFS from the home page reaches every page the build wrote (404.html aside)."""
    site = site_crawl.site
    reached = {rel_url(site, u) for u in site_crawl.pages}
    assert html_files(site.output) - reached == set()


def test_canonical_links_use_the_absolute_base_url(site_crawl):
    site = site_crawl.site
    wrong, articles = [], 0
    for url, page in site_crawl.pages.items():
        expected = site.base_url + rel_url(site, url)
        if page.canonical != [expected]:
            wrong.append(f"{url}: canonical {page.canonical} != {expected}")
        # Link previews (og:*) are on what people share: the home and every note, post and paper page;
        # the author and list pages (80,000 at 27,000 papers) go without. Where there, og:url is canonical.
        rel = rel_url(site, url)
        shared = rel in ("", "index.html") or (
            rel.count("/") == 2
            and rel.split("/")[0] in ("notes", "posts", "papers")
            and rel.split("/")[1] not in ("page", "year")
        )
        if page.og_url != ([expected] if shared or page.og_url else []):
            wrong.append(f"{url}: og:url {page.og_url} != {expected}")
        articles += shared and rel not in ("", "index.html")
    assert wrong == [] and articles > 0


def test_404_page_works_at_any_depth(any_site):
    """404.html is served for arbitrary missing URLs, so its links must not be relative."""
    resp = fetch(any_site.url("404.html"))
    assert resp.status == 200
    parser = PageParser()
    parser.feed(resp.body.decode("utf-8"))
    assert parser.links
    relative = [
        ln.value
        for ln in parser.links
        if not ln.value.startswith(("/", "#", "http://", "https://")) and not ln.value.startswith(SKIP_SCHEMES)
    ]
    assert relative == []
    # Served from deep inside the site, every reference still resolves under the base.
    deep = any_site.url("no/such/page/")
    assert fetch(deep).status == 404
    for ln in parser.links:
        if ln.value.startswith("#") or ln.value.startswith(SKIP_SCHEMES):
            continue
        target = urljoin(deep, ln.value)
        if urlsplit(target).netloc == urlsplit(any_site.base_url).netloc:
            assert target.startswith(any_site.base_url), ln.value
            continue
        if urlsplit(target).netloc != urlsplit(any_site.origin).netloc:
            continue
        assert urlsplit(target).path.startswith(any_site.base_path), ln.value
        assert fetch(target).status == 200, ln.value


# --- acceptance 3: feed, sitemap, robots -------------------------------------------------------


def seed_entry_count() -> int:
    """One feed entry per post and per note of the seeds."""
    return len(list((SEED_SOURCE / "posts").glob("*.md"))) + len(list((SEED_SOURCE / "notes").glob("*.md")))


def test_atom_feed_is_valid_with_absolute_links(any_site):
    feed = xml(any_site, "atom.xml")
    base = any_site.base_url
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert seed_entry_count() == 2
    assert len(entries) == 2
    assert feed.findtext(f"{ATOM}id") == base
    links = {ln.get("rel", "alternate"): ln.get("href") for ln in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": base, "self": base + "atom.xml"}
    ids = set()
    for entry in entries:
        entry_id = entry.findtext(f"{ATOM}id")
        ids.add(entry_id)
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated")
        alternates = [
            ln.get("href") for ln in entry.findall(f"{ATOM}link") if ln.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1 and alternates[0].startswith(base), alternates
        assert entry_id.startswith(base), entry_id
        resp = fetch(any_site.local(alternates[0]))
        assert resp.status == 200 and resp.content_type.startswith("text/html"), alternates[0]
    assert len(ids) == len(entries)
    kinds = sorted(
        c.get("term") for e in entries for c in e.findall(f"{ATOM}category") if c.get("scheme") == "urn:papernotes:kind"
    )
    assert kinds == ["note", "post"]
    # Every URL anywhere in the feed (including inside summaries) is absolute and under the base.
    for element in feed.iter():
        for attr in ("href", "src"):
            if element.get(attr):
                assert element.get(attr).startswith(base), element.get(attr)
        if element.get("type") == "html" and element.text:
            parser = PageParser()
            parser.feed(element.text)
            for ln in parser.links:
                if not ln.value.startswith("#"):
                    assert urlsplit(ln.value).scheme in ("http", "https"), f"relative link in feed html: {ln.value}"
                    if urlsplit(ln.value).netloc == urlsplit(base).netloc:
                        assert ln.value.startswith(base), ln.value


def test_sitemap_lists_every_html_page(any_site):
    sitemap = xml(any_site, "sitemap.xml")
    assert sitemap.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") for u in sitemap.findall(f"{SITEMAP}url")]
    assert len(locs) == len(set(locs))
    outside = [loc for loc in locs if not loc.startswith(any_site.base_url)]
    assert outside == []
    listed = {loc[len(any_site.base_url) :] for loc in locs}
    assert listed == html_files(any_site.output)
    assert len(listed) > 1600  # the seeds make about 1,700 pages


def test_sitemap_urls_are_served(any_site, site_crawl):
    """Every sitemap URL answers 200 over HTTP (the crawl already fetched them; anything left is fetched now)."""
    sitemap = xml(any_site, "sitemap.xml")
    bad = []
    for u in sitemap.findall(f"{SITEMAP}url"):
        local = any_site.local(u.findtext(f"{SITEMAP}loc"))
        resp = site_crawl.resources.get(local) or fetch(local)
        if resp.status != 200:
            bad.append(f"{local}: HTTP {resp.status}")
    assert bad == []


def test_robots_points_at_the_absolute_sitemap(any_site):
    resp = fetch(any_site.url("robots.txt"))
    assert resp.status == 200
    lines = resp.body.decode("utf-8").splitlines()
    assert f"Sitemap: {any_site.base_url}sitemap.xml" in lines


def test_sub_path_build_links_carry_the_base(serve_seed):
    """Sanity: the sub-path build really is one (its home page links carry /notes/, never bare /static/)."""
    sub = fetch(serve_seed(SUB_PATH_URL).home).body.decode("utf-8")
    assert 'href="/notes/static/style.css"' in sub
    assert 'href="/static/' not in sub
