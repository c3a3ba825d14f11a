"""The CSL-JSON reader: the fixture library (a Zotero export), broken items, and a property test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernotes.diagnostics import Diagnostic
from papernotes.sources import csl_json
from papernotes.sources.detect import detect_format, read_listing

LIBRARY = Path(__file__).resolve().parents[1] / "fixtures" / "library" / "library.json"
PATH = "papers/library.json"


@pytest.fixture(scope="module")
def library():
    text = LIBRARY.read_text(encoding="utf-8")
    result = read_listing(PATH, text)
    return text, result, {r.key: r for r in result.records}


def test_every_item_is_read_with_the_line_of_its_brace(library):
    text, result, by_key = library
    assert result.diagnostics == ()
    assert len(result.records) == 6 == len(json.loads(text))
    lines = text.split("\n")
    for record in result.records:
        assert record.format == "csl_json" and lines[record.source.line - 1].strip() == "{"
        assert f'"id": "{record.key}"' in lines[record.source.line]


def test_fields(library):
    _, _, by_key = library
    ddpm = by_key["ho2020denoising"]
    assert ddpm.title == "Denoising Diffusion Probabilistic Models"
    assert ddpm.authors == ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel") and not ddpm.authors_truncated
    assert (ddpm.venue, ddpm.year, ddpm.arxiv) == ("NeurIPS", 2020, "2006.11239")
    assert ddpm.abstract.startswith("We present high quality")
    sam = by_key["kirillov2023segment"]
    assert (sam.venue, sam.year) == ("ICCV", 2023) and sam.authors_truncated and len(sam.authors) == 4
    assert (by_key["song2021denoising"].venue, by_key["song2021denoising"].year) == ("ICLR", 2021)  # event-title
    imagenet = by_key["russakovsky2015imagenet"]
    assert (imagenet.venue, imagenet.date, imagenet.doi) == ("IJCV", "2015-12-01", "10.1007/s11263-015-0816-y")
    lora = by_key["hu2021lora"]
    assert (lora.venue, lora.arxiv, lora.doi) == (None, "2106.09685", "10.48550/arxiv.2106.09685")
    assert lora.keywords == ("Computer Science - Computation and Language", "Computer Science - Machine Learning")


def test_detected_by_content():
    assert detect_format("renamed.txt", LIBRARY.read_text(encoding="utf-8")) == "csl_json"
    assert detect_format("a.json", '{"id": "k", "type": "article", "title": "T"}') == "csl_json"
    assert detect_format("n.md", "[TOC]\n\n## A paper\n\ntext\n") != "csl_json"
    assert not csl_json.looks_like('{"name": "papernotes", "version": "1.0"}')  # package.json


BROKEN = """[
  {"id": "good1", "type": "article", "title": "First Good", "author": [{"family": "A", "given": "B"}]},
  {"id": "broken", "type": "article", "title": "Missing a quote, "author": []},
  {"id": "untitled", "type": "article"},
  {"id": "good1", "type": "article", "title": "Same Id"},
  "a string",
  {"id": 7, "type": "book", "title": ["List", "Title"], "author": [{"literal": "Committee"}, 3, {"given": "X"}],
   "issued": {"date-parts": [["2021", "13", "40"]]}, "container-title": {"x": 1}, "DOI": 5},
  {"id": "good2", "type": "article", "title": "Last Good", "issued": {"raw": "May 2019"}}
]
"""


def test_bad_items_are_one_diagnostic_each_and_the_rest_is_read():
    result = csl_json.read("lib.json", BROKEN)
    assert [r.key for r in result.records] == ["good1", "7", "good2"]
    assert [d.format() for d in result.diagnostics] == [
        "lib.json:3: error: CSL-JSON item is not valid JSON (Expecting ',' delimiter); skipped",
        "lib.json:4: error: CSL-JSON item 'untitled' has no title; skipped",
        "lib.json:5: warning: duplicate citation key 'good1' (first at line 2); this item is skipped",
        "lib.json:6: warning: CSL-JSON item is str, not an object; skipped",
    ]
    odd = result.records[1]
    assert (odd.title, odd.authors, odd.year, odd.date, odd.doi) == ("List", ("Committee", "X"), 2021, None, None)
    assert result.records[2].year == 2019


def test_other_shapes():
    one = csl_json.read("a.json", '{"id": "k", "title": "Alone"}')
    assert [r.title for r in one.records] == ["Alone"] and one.records[0].source.line == 1
    wrapped = csl_json.read("a.json", '{"items": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]}')
    assert [r.key for r in wrapped.records] == ["a", "b"]
    assert [d.message for d in csl_json.read("a.json", "not json").diagnostics] == [
        "no CSL-JSON items (a JSON array of objects) found"
    ]
    assert csl_json.read("a.json", "{oops").diagnostics[0].level == "error"
    assert csl_json.read("a.json", '[{"title": "A"} {"title": "B"}]').diagnostics[0].message.startswith("expected")


ATOMS = [
    *'[]{}",: \n\t\\',
    '{"id": "k", ', '"title": "T"', '"author": [', '{"family": "F", "given": "G"}', '{"literal": "others"}',
    '"issued": {"date-parts": [[2020, 1, 2]]}', '"container-title": "CVPR"', '"DOI": "10.1/x"', "null", "true",
    "1e999", '"\\u00e9"', '"\\ud800"', "\n\t{", "]]]]", "[[[[", "中文", "\x00",
]  # fmt: skip
texts = st.lists(st.sampled_from(ATOMS) | st.text(max_size=6), max_size=50).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts | st.builds(json.dumps, st.recursive(st.none() | st.text(max_size=5), st.lists, max_leaves=8)))
def test_no_input_makes_the_reader_raise(text):
    result = csl_json.read("f.json", text)
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic) and d.path == "f.json" and d.line >= 1 and d.message
    for record in result.records:
        assert 1 <= record.source.line <= text.count("\n") + 1 and record.title
    csl_json.looks_like(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        lambda n: "[" + "\n\t{" * (n // 3),
        lambda n: "[" + '\n\t{"title": "a", "x": [' * (n // 25),
        lambda n: "[" + "[" * n,
        lambda n: "[" + ",".join(f'\n{{"id": "k{i}", "title": "T{i}"}}' for i in range(n // 30)) + "]",
    ],
    ids=["openers", "unclosed items", "nested arrays", "items"],
)
def test_time_grows_linearly(make):
    from test_fuzz_inputs import assert_linear

    assert_linear(lambda text: csl_json.read("f.json", text), make)
