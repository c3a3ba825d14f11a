"""Hexo's permalink patterns (papernotes/site/permalinks.py), shared by site.yaml's `permalink:` and
`import hexo`: against Hexo's documentation and its own test cases."""

from __future__ import annotations

import datetime as dt

import pytest

from papernotes.site.permalinks import (
    PermalinkFields,
    date_from_post_name,
    expand_permalink,
    post_slug,
    slugize,
    unresolved,
)

# -- expand_permalink against Hexo's documentation (hexo.io/docs/permalinks) and its tests ----------

HELLO = PermalinkFields(
    date=dt.datetime(2013, 7, 14, 17, 1, 34, tzinfo=dt.UTC), title="hello-world", categories=("foo", "bar")
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (":year/:month/:day/:title/", "2013/07/14/hello-world/"),
        (":year-:month-:day-:title.html", "2013-07-14-hello-world.html"),
        (":category/:title/", "foo/bar/hello-world/"),
        (":title-:hash/", "hello-world-a2c8ac003b43/"),
        (":year/:i_month/:i_day/:hour/:minute/:second/", "2013/7/14/17/01/34/"),
        (":year_:month/:name.html", "2013_07/hello-world.html"),  # a name ends before `_`
        ("/:year/:title", "2013/hello-world/"),  # leading slash stripped; no extension: a folder
        (":title/index.html", "hello-world/"),
        (":timestamp/", "1373821294/"),
    ],
)
def test_expand_permalink_documented(pattern, expected):
    assert expand_permalink(pattern, HELLO) == expected


def test_expand_permalink_subfolder_title_and_name():
    fields = PermalinkFields(date=HELLO.date, title="lorem/hello-world")
    assert expand_permalink(":year/:month/:day/:title/", fields) == "2013/07/14/lorem/hello-world/"
    assert expand_permalink(":year/:month/:day/:name/", fields) == "2013/07/14/hello-world/"


def test_expand_permalink_hexo_test_suite_cases():
    post = PermalinkFields(date=dt.datetime(2014, 1, 2), title="foo", categories=("foo", "bar"))
    assert expand_permalink(":year/:month/:day/:title/", post) == "2014/01/02/foo/"
    assert expand_permalink(":category/:title/", post) == "foo/bar/foo/"
    bare = PermalinkFields(date=dt.datetime(2014, 1, 2), title="bar")
    assert expand_permalink(":category/:title/", bare) == "uncategorized/bar/"


def test_expand_permalink_front_matter_values():
    post = PermalinkFields(
        date=HELLO.date, title="x", post_title="Hello World", abbrlink="1a2b", extra=(("lang", "en"),)
    )
    assert expand_permalink("posts/:abbrlink.html", post) == "posts/1a2b.html"
    assert expand_permalink(":lang/:post_title/", post) == "en/hello-world/"
    chinese = PermalinkFields(date=HELLO.date, title="扩散模型入门", categories=("深度学习",), category_map=())
    assert expand_permalink(":category/:title/", chinese) == "深度学习/扩散模型入门/"
    mapped = PermalinkFields(date=HELLO.date, title="a", categories=("深度学习",), category_map=(("深度学习", "dl"),))
    assert expand_permalink(":category/:title/", mapped) == "dl/a/"


def test_missing_values_are_named_and_written_as_javascript_does():
    post = PermalinkFields(date=HELLO.date, title="x")
    assert unresolved("posts/:abbrlink.html", post) == ["abbrlink"]
    assert expand_permalink("posts/:abbrlink.html", post) == "posts/undefined.html"


def test_post_names_and_slugs():
    assert post_slug(":title.md", "lorem/hello world.md") == "lorem/hello world"
    assert post_slug(":year-:month-:day-:title.md", "2019-05-01-foo.md") == "foo"
    assert post_slug(":year-:month-:day-:title.md", "sub/Hello World.md") == "sub-Hello-World"  # no match
    assert date_from_post_name(":year-:month-:day-:title.md", "2019-05-01-foo.md") == dt.date(2019, 5, 1)
    assert date_from_post_name(":title.md", "2019-05-01-foo.md") is None
    assert slugize("Café au lait!") == "Cafe-au-lait"
    assert slugize("Hello World", 1) == "hello-world"
    assert slugize("扩散 模型") == "扩散-模型"
