"""Machine-readable views of the site: the Atom feed, the sitemap and robots.txt.

Pure functions from plain data to bytes. Nothing here reads the clock: the
feed's <updated> is the newest entry's, so an unchanged site gives an
unchanged feed (clean GitHub Pages diffs, no spurious feed-reader updates).
All URLs handed in must already be absolute (ask `Urls.absolute`).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
KIND_SCHEME = "urn:papernotes:kind"  # marks the note/post category apart from the author's own ones
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Characters XML 1.0 cannot carry at all (scraped text sometimes holds them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", str(value))


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    """Dates without a zone are read as UTC, so the output does not depend on the build machine."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def rfc3339(moment: dt.datetime | dt.date) -> str:
    stamp = _aware(moment).isoformat(timespec="seconds")
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def _serialise(root: ET.Element) -> bytes:
    # Tags are unqualified and the root carries a literal xmlns: no global namespace registry, no ns0: prefixes.
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def atom_feed(
    *,
    title: str,
    subtitle: str,
    author: str,
    site_url: str,
    feed_url: str,
    entries: list[dict],
    language: str | None = None,
) -> bytes:
    """An Atom 1.0 feed. Entries: title, url (absolute), published, updated, summary_html, kind, categories.

    Entries are ordered newest first (ties by URL) whatever order they come in;
    each entry's id is its absolute URL, which stays the same across builds.
    """
    ordered = sorted(entries, key=lambda e: (_aware(e["published"]), e["url"]), reverse=True)
    newest = max((_aware(e["updated"]) for e in ordered), default=EPOCH)

    feed = ET.Element("feed", xmlns=ATOM_NS)
    if language:
        feed.set("xml:lang", _text(language))
    _sub(feed, "title", title)
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    _sub(feed, "id", site_url)
    _sub(feed, "updated", rfc3339(newest))
    _sub(_sub(feed, "author"), "name", author or title)
    _sub(feed, "link", rel="alternate", type="text/html", href=site_url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "generator", "papernotes")

    for entry in ordered:
        item = _sub(feed, "entry")
        _sub(item, "title", entry["title"], type="text")
        _sub(item, "id", entry["url"])
        _sub(item, "link", rel="alternate", type="text/html", href=entry["url"])
        _sub(item, "published", rfc3339(entry["published"]))
        _sub(item, "updated", rfc3339(entry["updated"]))
        if entry.get("kind"):
            _sub(item, "category", term=entry["kind"], scheme=KIND_SCHEME)
        for name in entry.get("categories") or []:
            _sub(item, "category", term=name)
        if entry.get("summary_html"):
            _sub(item, "summary", entry["summary_html"], type="html")  # escaped once by the serialiser
    return _serialise(feed)


def sitemap_xml(urls: list[tuple[str, dt.datetime | None]]) -> bytes:
    """A sitemap 0.9 <urlset> of (absolute URL, last modified or None), sorted and de-duplicated."""
    root = ET.Element("urlset", xmlns=SITEMAP_NS)
    for url, lastmod in sorted(set(urls), key=lambda u: (u[0], u[1] is None)):
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = _text(url)
        if lastmod is not None:
            ET.SubElement(item, "lastmod").text = rfc3339(lastmod)
    return _serialise(root)


def robots_txt(sitemap_url: str) -> bytes:
    """Allow everything and point at the sitemap (crawlers only read /robots.txt at a host's root)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
