"""Front matter and site.yaml are read by type: aliases refused, duplicate keys and wrong types reported
on their line, dates validated (an offset converted to UTC), `draft` a real boolean."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from pathlib import Path

import pytest

from papernotes.config import in_site_zone, parse_config
from papernotes.sources.documents import read_document


def _read(front: str, body: str = "Body.\n", path: str = "notes/n.md"):
    doc, diags = read_document(path, f"---\n{front}---\n{body}", "note")
    return doc, [d.format() for d in diags]


def _alias_bomb(levels: int = 12) -> str:
    """The billion laughs: 9^levels strings if aliases were expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# -- YAML itself --------------------------------------------------------------------------------------


def test_an_alias_is_refused_at_its_line():
    doc, diags = _read("title: T\nbase: &b {x: 1}\nother: *b\n")
    assert diags == ["notes/n.md:4: error: YAML aliases are not allowed"]
    assert doc.title == "n"  # the front matter is ignored; the body still makes a page


@pytest.mark.parametrize("where", ["front matter", "site.yaml"])
def test_an_alias_bomb_fails_fast(where):
    started = time.perf_counter()
    if where == "site.yaml":
        _, found = parse_config(Path("."), _alias_bomb())
        diags = [d.format() for d in found]
        assert diags == ["site.yaml:2: error: YAML aliases are not allowed"]
    else:
        _, diags = _read(_alias_bomb())
        assert diags == ["notes/n.md:3: error: YAML aliases are not allowed"]
    assert time.perf_counter() - started < 5  # expanded, it would never finish; refused, it is instant


def test_merge_keys_need_aliases_and_are_refused_too():
    _, diags = _read("defaults: &d {draft: false}\npost:\n  <<: *d\n")
    assert diags == ["notes/n.md:4: error: YAML aliases are not allowed"]


def test_deep_nesting_is_refused_not_a_recursion_error():
    _, diags = _read("tags: " + "[" * 5000 + "\n")
    assert diags == ["notes/n.md:2: error: YAML nested deeper than 64 levels"]


def test_a_duplicate_key_is_a_warning_naming_both_lines_and_the_last_one_counts():
    doc, diags = _read("title: First\ndate: 2024-01-02\ntitle: Second\n")
    assert doc.title == "Second"
    assert diags == ["notes/n.md:4: warning: duplicate key 'title' (first on line 2); the last one is used"]


def test_site_yaml_duplicates_and_wrong_types_have_lines():
    config, diags = parse_config(Path("."), "title: A\npapers_per_page: many\ntitle: B\n")
    assert config.title == "B"
    assert [d.format() for d in diags] == [
        "site.yaml:3: warning: duplicate key 'title' (first on line 1); the last one is used",
        "site.yaml:2: error: 'papers_per_page' must be a positive integer",
    ]


def test_explicit_tags_on_wrong_values_are_errors_not_tracebacks():
    _, diags = _read("count: !!int many\n")
    assert len(diags) == 1 and diags[0].startswith("notes/n.md:2: error: invalid YAML front matter: ValueError")
    _, found = parse_config(Path("."), "x: !!float nope\n")
    assert [d.line for d in found] == [1] and found[0].level == "error"


# -- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, reason",
    [
        ("2023-13-45", "month must be in 1..12"),
        ("2024-02-30", "day is out of range for month"),
        ("'2023-13-45'", "month must be in 1..12"),
        ("'2024-02-30 10:00'", "day is out of range for month"),
        ("'next tuesday'", "expected YYYY-MM-DD"),
        ("2024", "expected YYYY-MM-DD"),
    ],
)
def test_an_invalid_date_is_an_error_and_the_note_still_builds(value, reason):
    doc, diags = _read(f"title: T\ndate: {value}\n")
    assert len(diags) == 1 and diags[0].startswith("notes/n.md:3: error: invalid date"), diags
    assert reason in diags[0]
    assert doc.date is None and doc.title == "T"  # dated by git / mtime, like a note without a date


def test_an_invalid_date_in_site_yaml_is_an_error_not_a_traceback():
    config, diags = parse_config(Path("."), "title: Site\nlaunched: 2023-13-45\n")
    assert [d.format() for d in diags] == ["site.yaml:2: error: invalid date '2023-13-45': month must be in 1..12"]
    assert config.title == "Site"


@pytest.mark.parametrize(
    "value",
    [
        "2024-05-01 10:00:00+08:00",
        "2024-05-01T10:00:00+08:00",
        "'2024-05-01T10:00:00+08:00'",
        "'2024-05-01 03:00-01:00'",
    ],
)
def test_a_utc_offset_is_kept_with_the_date(value):
    doc, diags = _read(f"date: {value}\nupdated: 2024-05-01T02:00:00Z\n")
    assert diags == []
    expected = dt.datetime(2024, 5, 1, 2, 0) if "+08" in value else dt.datetime(2024, 5, 1, 4, 0)
    # The instant as written; the build shows it in the site's zone (site/dates.py).
    assert doc.date.tzinfo is not None and doc.date == expected.replace(tzinfo=dt.UTC)
    assert doc.updated == dt.datetime(2024, 5, 1, 2, 0, tzinfo=dt.UTC)
    shanghai = in_site_zone(doc.date, zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert shanghai.replace(tzinfo=None) == expected + dt.timedelta(hours=8)


def test_dates_without_an_offset_are_kept_as_written():
    doc, diags = _read("date: 2024-05-01 10:00:00\nupdated: '2024/05/02'\n")
    assert diags == [] and doc.date == dt.datetime(2024, 5, 1, 10) and doc.updated == dt.datetime(2024, 5, 2)


# -- typed values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, draft",
    [
        ("true", True),
        ("yes", True),
        ("on", True),
        ("'true'", True),
        ('"Yes"', True),
        ("1", True),
        ("false", False),
        ("no", False),
        ("off", False),
        ("'false'", False),
        ('"no"', False),
        ("'off'", False),
        ("0", False),
    ],
)
def test_draft_is_a_boolean_even_when_quoted(value, draft):
    doc, diags = _read(f"draft: {value}\n")
    assert diags == [] and doc.draft is draft


def test_an_unreadable_draft_is_a_warning_and_ignored():
    doc, diags = _read("title: T\ndraft: maybe\n")
    assert doc.draft is False
    assert diags == ["notes/n.md:3: warning: 'draft' should be true or false, got 'maybe'; ignored"]


@pytest.mark.parametrize("key", ["title", "slug", "description"])
@pytest.mark.parametrize("value, kind", [("[1, 2]", "a list"), ("{a: b}", "a mapping")])
def test_a_text_key_of_the_wrong_type_is_a_warning_on_its_line(key, value, kind):
    doc, diags = _read(f"date: 2024-01-01\n{key}: {value}\n")
    assert diags == [f"notes/n.md:3: warning: '{key}' should be a string, got {kind}; ignored"]
    assert doc.title == "n" and doc.slug == "n" and doc.description == ""


def test_scalars_in_text_keys_are_read_as_written():
    doc, diags = _read("title: 1984\nslug: 007\ndescription: yes\n")
    assert diags == [] and (doc.title, doc.slug, doc.description) == ("1984", "007", "yes")


def test_tags_and_categories_are_strings_or_lists_of_strings():
    doc, diags = _read("tags: [GAN, 2024, {bad: 1}, ' ']\ncategories: [[CV, Faces], Notes]\n")
    assert doc.tags == ("GAN", "2024") and doc.categories == (("CV", "Faces"), ("Notes",))  # Hexo: two paths
    assert diags == ["notes/n.md:2: warning: 'tags': an item that is a mapping is not a string; ignored"]
    doc, diags = _read("tags: a, b ,c\ncategories: {x: 1}\n")
    assert doc.tags == ("a", "b", "c") and doc.categories == ()
    assert diags == ["notes/n.md:3: warning: 'categories' should be a list of strings, got a mapping; ignored"]


def test_block_list_items_point_at_their_own_line():
    _, diags = _read("tags:\n  - ok\n  - {bad: 1}\n")
    assert diags == ["notes/n.md:4: warning: 'tags': an item that is a mapping is not a string; ignored"]


def test_every_file_level_diagnostic_has_a_line():
    for front in ("title: [unclosed\n", "just a string\n", "a: &x 1\nb: *x\n", "date: 2023-13-45\n"):
        _, diags = read_document("notes/n.md", f"---\n{front}---\n", "note")
        assert diags and all(d.line >= 1 and d.format().startswith("notes/n.md:") for d in diags), diags
    _, diags = read_document("notes/n.md", "---\ntitle: never closed\n", "note")
    assert [d.format() for d in diags] == ["notes/n.md:1: error: front matter opened with '---' is never closed"]


def test_front_matter_of_a_file_saved_with_crlf_line_ends():
    doc, diags = read_document("posts/win.md", "---\r\ntitle: Windows\r\ntags: [a, b]\r\n---\r\nBody.\r\n", "post")
    assert diags == [] and doc.title == "Windows" and doc.tags == ("a", "b")
    assert doc.body == "Body.\r\n" and doc.body_line == 5


def test_hexo_aliases_drafts_and_nested_categories():
    doc, diags = _read("category: [CV, Diffusion]\ntag: GAN\naliases: [/old/x.html]\npermalink: /a/b/\n")
    assert diags == [] and doc.categories == (("CV", "Diffusion"),) and doc.tags == ("GAN",)
    assert doc.aliases == ("/old/x.html",) and doc.permalink == "/a/b/"
    doc, _ = _read("categories: [[CV, Diffusion], [Notes], Misc]\n")
    assert doc.categories == (("CV", "Diffusion"), ("Notes",), ("Misc",))
    doc, _ = read_document("posts/_drafts/x.md", "# x\n", "post")
    assert doc.draft
