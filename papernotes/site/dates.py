"""Every document's date and last update, as its pages, feeds, sitemap and permalink show them.

A date is the front matter's, else git's (the last commit of the file), else the file's mtime
(papernotes/content.py), and is put in the site's time zone (`timezone:` in site.yaml, else the
machine's): a date written without an offset is that zone's wall-clock time, as Hexo reads it.
`updated:` defaults to the date.
"""

from __future__ import annotations

import datetime as dt

from ..config import SiteConfig, in_site_zone, site_timezone

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def document_dates(config: SiteConfig, documents, fallback: dict[str, dt.datetime]) -> dict[str, tuple]:
    """source path -> (date, updated), aware datetimes in the site's zone."""
    zone = site_timezone(config)
    dates = {}
    for doc in documents:
        date = in_site_zone(doc.date or fallback.get(doc.path) or EPOCH, zone)
        dates[doc.path] = (date, in_site_zone(doc.updated, zone) if doc.updated else date)
    return dates
