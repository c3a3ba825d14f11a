"""Atom feed, sitemap and robots.txt: valid XML, absolute links, stable ids, escaping, determinism."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from papernotes.site.feeds import atom_feed, robots_txt, sitemap_xml
from papernotes.site.urls import Urls

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
URLS = Urls("https://user.github.io/notes/")
NASTY = 'Loss <script>alert("x")</script> & "GAN" \x0b'


def entries() -> list[dict]:
    return [
        {
            "title": "扩散模型损失函数笔记",
            "url": URLS.absolute("notes/diffusion-loss/"),
            "published": dt.datetime(2024, 5, 1),
            "updated": dt.datetime(2024, 5, 3, 8, 30),
            "summary_html": '<p>公式 <span class="katex">x</span> &amp; more</p>',
            "kind": "note",
            "categories": ["diffusion", "CVPR2023"],
        },
        {
            "title": NASTY,
            "url": URLS.absolute("posts/nasty/"),
            "published": dt.datetime(2023, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "updated": dt.datetime(2023, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "summary_html": "<b>bold</b>",
            "kind": "post",
            "categories": [],
        },
        {
            "title": "人脸生成",
            "url": URLS.absolute("posts/faces/"),
            "published": dt.date(2022, 12, 31),
            "updated": dt.date(2022, 12, 31),
            "summary_html": "",
            "kind": "post",
            "categories": ["Face Generation"],
        },
    ]


def feed(items=None) -> bytes:
    return atom_feed(
        title="论文笔记 <&>",
        subtitle="CV notes",
        author="papernotes",
        site_url=URLS.absolute(""),
        feed_url=URLS.absolute(URLS.feed()),
        entries=entries() if items is None else items,
        language="zh-CN",
    )


def test_feed_is_atom_with_every_entry():
    root = ET.fromstring(feed())
    assert root.tag == A + "feed"
    assert root.findtext(A + "title") == "论文笔记 <&>"
    assert root.findtext(A + "id") == "https://user.github.io/notes/"
    assert root.find(A + "author").findtext(A + "name") == "papernotes"
    items = root.findall(A + "entry")
    assert len(items) == 3
    for item in items:
        for tag in ("title", "id", "published", "updated"):
            assert item.findtext(A + tag), tag
    # newest first
    assert [i.findtext(A + "id").rsplit("/", 2)[1] for i in items] == ["diffusion-loss", "nasty", "faces"]


def test_updated_is_newest_entry_not_now():
    root = ET.fromstring(feed())
    assert root.findtext(A + "updated") == "2024-05-03T08:30:00Z"
    first = root.find(A + "entry")
    assert first.findtext(A + "published") == "2024-05-01T00:00:00Z"
    assert root.findall(A + "entry")[1].findtext(A + "published") == "2023-01-02T00:00:00+08:00"
    assert ET.fromstring(feed([])).findtext(A + "updated") == "1970-01-01T00:00:00Z"


def test_links_are_absolute_and_self_points_at_feed():
    root = ET.fromstring(feed())
    links = root.iter(A + "link")
    hrefs = []
    for link in links:
        hrefs.append(link.get("href"))
        assert link.get("href").startswith("https://user.github.io/notes/")
    rels = {(link.get("rel"), link.get("href")) for link in root.findall(A + "link")}
    assert ("self", "https://user.github.io/notes/atom.xml") in rels
    assert ("alternate", "https://user.github.io/notes/") in rels
    assert len(hrefs) == 2 + 3
    for item in root.findall(A + "entry"):
        assert item.find(A + "link").get("rel") == "alternate"
        assert item.find(A + "link").get("href") == item.findtext(A + "id")


def test_ids_unique_and_stable_and_bytes_deterministic():
    first, second = feed(), feed(list(reversed(entries())))
    assert first == second
    ids = [e.findtext(A + "id") for e in ET.fromstring(first).findall(A + "entry")]
    assert len(set(ids)) == len(ids) == 3


def test_markup_in_titles_and_summaries_is_escaped():
    raw = feed()
    assert b"<script>" not in raw
    assert b"&lt;script&gt;" in raw
    assert b"\x0b" not in raw  # a character XML 1.0 cannot hold is dropped, not written
    items = ET.fromstring(raw).findall(A + "entry")
    nasty = items[1]
    assert nasty.find(A + "title").get("type") == "text"
    assert nasty.findtext(A + "title") == NASTY.replace("\x0b", "")
    summary = items[0].find(A + "summary")
    assert summary.get("type") == "html"
    assert summary.text == '<p>公式 <span class="katex">x</span> &amp; more</p>'  # HTML survives one unescape
    assert items[2].find(A + "summary") is None  # no empty summary


def test_categories_carry_kind_and_terms():
    item = ET.fromstring(feed()).find(A + "entry")
    terms = [(c.get("term"), c.get("scheme")) for c in item.findall(A + "category")]
    assert terms == [("note", "urn:papernotes:kind"), ("diffusion", None), ("CVPR2023", None)]


def test_sitemap_parses_sorted_unique_absolute():
    urls = [
        URLS.absolute("papers/b/"),
        URLS.absolute(""),
        URLS.absolute("papers/a/?x=1&y=2"),
        URLS.absolute("papers/b/"),
    ]
    updated = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    pages = [(url, updated if n == 2 else None) for n, url in enumerate(urls)]  # papers/a/ was updated
    raw = sitemap_xml(pages)
    root = ET.fromstring(raw)
    assert root.tag == SM + "urlset"
    locs = [u.findtext(SM + "loc") for u in root.findall(SM + "url")]
    assert locs == sorted(set(urls))
    assert all(loc.startswith("https://") for loc in locs)
    assert [u.findtext(SM + "lastmod") for u in root.findall(SM + "url")] == [None, "2024-05-01T10:00:00+08:00", None]
    assert raw == sitemap_xml(list(reversed(pages)))


def test_robots_points_at_sitemap():
    text = robots_txt("https://user.github.io/notes/sitemap.xml").decode()
    assert "User-agent: *" in text.splitlines()
    assert text.endswith("Sitemap: https://user.github.io/notes/sitemap.xml\n")
