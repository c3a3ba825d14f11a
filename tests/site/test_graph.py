"""The dependency graph and the caches it stands on: what a page may read, what its fingerprint covers."""

from __future__ import annotations

import shutil

import pytest
from sitebuild import ROOT

from papernotes.memo import Memo, StoredMemo
from papernotes.site.graph import Graph, UndeclaredInput
from papernotes.site.page import Page
from papernotes.write import SiteWriter


def _make(get, name):
    return {"page": {"title": get(name)}}


def test_a_page_reads_only_what_it_declares():
    graph = Graph()
    graph.add("a", "1", "value a")
    graph.add("b", "2", "value b")
    graph.add_family("item:", lambda key: (f"digest of {key}", f"value of {key}"))
    assert graph.context(Page("x/", "t.html", _make, ("a",), ("a",)))["page"]["title"] == "value a"
    assert graph.context(Page("y/", "t.html", _make, ("item:7",), ("item:7",)))["page"]["title"] == "value of 7"
    assert graph.digest("item:7") == "digest of 7"
    with pytest.raises(UndeclaredInput):
        graph.context(Page("z/", "t.html", _make, ("b",), ("a",)))
    with pytest.raises(ValueError):
        graph.add("a", "3", "again")


def test_the_fingerprint_covers_inputs_templates_and_arguments():
    def fingerprint(digest="1", templates="T", args=("a",), memo=None):
        graph = Graph()
        graph.add("a", digest, None)
        return graph.fingerprint(Page("x/", "t.html", _make, args, ("a",)), templates, memo)

    base = fingerprint()
    assert fingerprint() == base
    assert len({base, fingerprint(digest="2"), fingerprint(templates="U"), fingerprint(args=("b",))}) == 4
    memo = Memo()
    assert fingerprint(memo=memo) == base and fingerprint(memo=memo) == base
    assert fingerprint(digest="2", memo=memo) == fingerprint(digest="2")  # a kept fingerprint is never stale
    assert fingerprint(args=("b",), memo=memo) == fingerprint(args=("b",))  # nor one of another page at that URL


def test_a_templates_closure_is_what_it_extends_includes_and_imports(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    writer = SiteWriter(templates, tmp_path / "out")

    def digests():
        writer.begin()
        names = ("topic.html", "venue.html", "paper.html", "_paper_item.html")
        return {name: writer.templates_digest((name,)) for name in names}

    before = digests()
    (templates / "_papers.html").write_text((templates / "_papers.html").read_text() + "{# x #}")  # imported by both
    after_partial = digests()
    assert after_partial["topic.html"] != before["topic.html"] and after_partial["venue.html"] != before["venue.html"]
    assert after_partial["_paper_item.html"] == before["_paper_item.html"]
    assert after_partial["paper.html"] == before["paper.html"]  # a paper page shows no paper list
    (templates / "paper.html").write_text((templates / "paper.html").read_text() + "{# y #}")
    after_page = digests()
    assert (
        after_page["paper.html"] != after_partial["paper.html"]
        and after_page["topic.html"] == after_partial["topic.html"]
    )
    (templates / "base.html").write_text((templates / "base.html").read_text() + "{# z #}")  # extended by pages
    after_base = digests()
    assert after_base["topic.html"] != after_page["topic.html"] and after_base["paper.html"] != after_page["paper.html"]


def test_memo_is_bounded_and_keeps_the_recently_used():
    memo = Memo(limit=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # a hit: "a" is now the most recent
    memo.get("c", lambda: 3)
    assert len(memo) == 2 and memo.peek("b") is None and memo.peek("a") == 1 and memo.peek("c") == 3


def test_stored_memo_survives_processes_evicts_the_unused_and_shrugs_off_a_bad_file(tmp_path):
    path = tmp_path / "memo.pickle"
    first = StoredMemo(path)
    first.get("a", lambda: [1])
    first.get("b", lambda: [2])
    first.save()
    second = StoredMemo(path)
    assert second.get("a", lambda: pytest.fail("made again")) == [1]
    second.save(evict=True)  # "b" was not used by this build
    assert StoredMemo(path).peek("b") is None and StoredMemo(path).peek("a") == [1]
    path.write_bytes(b"not a pickle")
    assert StoredMemo(path).get("a", lambda: "fresh") == "fresh"
