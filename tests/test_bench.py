"""bench/: the corpus generator is deterministic, looks like the real paper-list collection and reads back;
run.py completes end to end.

No timing asserts: timings depend on the machine and never go in tests.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"

RESULT_KEYS = {
    "notes",
    "papers",
    "seed",
    "html_pages",
    "corpus_seconds",
    "clean_seconds",
    "warm_seconds",
    "warm_over_clean",
    "clean_reported_seconds",
    "warm_reported_seconds",
    "pages_per_second",
    "peak_rss_mib_clean",
    "peak_rss_mib_warm",
    "serve",
    "edits",
    "latency_median_ms",
    "latency_p90_ms",
    "latency_over_warm",
    # issue 13: every figure, and each against the reference workload of the same run
    "corpus_files",
    "corpus_bytes",
    "reference_seconds",
    "reference_rss_mib",
    "clean_over_reference",
    "warm_over_reference",
    "output_files",
    "output_bytes",
    "output_files_over_corpus",
    "output_bytes_over_corpus",
    "peak_tree_rss_mib_clean",
    "peak_tree_rss_over_reference",
    "peak_process_rss_mib_clean",
    "peak_process_rss_over_reference",
    "latency_over_reference",
}
# What the paperlist_md reader makes of each folder's `**Conference**: *<conf> <year>*` (NeurIPS is filed as
# `nips`, as in the real collection; the reader names it by its name since 2018, NeurIPS).
READER_VENUE = {"AAAI": "AAAI", "CVPR": "CVPR", "ICLR": "ICLR", "ICML": "ICML", "IJCAI": "IJCAI", "NIPS": "NeurIPS"}


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # corpus.py puts bench/ on sys.path for its own modules
    return module


def _corpus_module():
    return _bench_module("corpus")


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_all(folder: Path):
    """(path, venue folder, year folder, ReadResult) of every generated paper list."""
    detect = pytest.importorskip("papernotes.sources.detect")
    out = []
    for path in sorted((folder / "papers").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert detect.detect_format(path.name, text) == "paperlist_md", path
        out.append((path, path.parent.parent.name, int(path.parent.name), detect.read_listing(path.name, text)))
    return out


@pytest.fixture(scope="module")
def corpus2k(tmp_path_factory):
    """2,000 papers and 5 notes, generated once for the tests that only read them."""
    folder = tmp_path_factory.mktemp("corpus2k")
    _corpus_module().generate(folder, notes=5, papers=2000, seed=0)
    return folder


def test_generate_is_deterministic(tmp_path):
    corpus = _corpus_module()
    corpus.generate(tmp_path / "a", notes=4, papers=450, seed=3)
    corpus.generate(tmp_path / "b", notes=4, papers=450, seed=3)
    first, second = _tree_bytes(tmp_path / "a"), _tree_bytes(tmp_path / "b")
    assert first == second
    lists = [f"papers/{v.conf}/{v.year}/{v.conf}-{v.year}-list01.md" for v in corpus.papers_corpus.VENUE_YEARS]
    notes = [f"notes/note-{n:04d}.md" for n in range(1, 5)]
    assert sorted(first) == sorted([*notes, *lists, "site.yaml"])
    corpus.generate(tmp_path / "c", notes=4, papers=450, seed=4)
    assert _tree_bytes(tmp_path / "c") != first


def test_venue_year_mix_is_the_real_collections():
    papers_corpus = _corpus_module().papers_corpus
    venues = papers_corpus.VENUE_YEARS
    assert {v.conf for v in venues} == set(READER_VENUE)
    assert {v.year for v in venues} == {2021, 2022, 2023, 2024}
    # At the real collection's size the pages come out as its 145 pages of 200 papers.
    real = sum(v.papers for v in venues)
    assert real == 27_179
    assert papers_corpus.share(real) == [v.papers for v in venues]
    assert sum(-(-v.papers // papers_corpus.RECORDS_PER_FILE) for v in venues) == 145
    for papers in (0, 1, 7, 2000, 27_000):
        counts = papers_corpus.share(papers)
        assert sum(counts) == papers
        assert all(abs(c - papers * v.papers / real) < 1 for c, v in zip(counts, venues))


def test_every_record_reads_back_with_its_venue_and_year(corpus2k):
    counts = collections.Counter()
    urls = set()
    for path, conf, year, result in _read_all(corpus2k):
        assert path.name.startswith(f"{conf}-{year}-list")
        assert not result.diagnostics, (path, result.diagnostics[:3])
        indices = [r.index for r in result.records]
        page = int(path.stem[-2:])
        assert indices == list(range((page - 1) * 200, (page - 1) * 200 + len(indices)))
        for rec in result.records:
            assert (rec.venue, rec.year) == (READER_VENUE[conf], year)
            assert rec.title and rec.authors and rec.url and rec.abstract
            assert (rec.doi is not None) == (conf in ("AAAI", "CVPR", "IJCAI"))
            assert "xmlns" not in rec.abstract and "<sup" not in rec.abstract  # split abstracts joined back
            urls.add(rec.url)
        counts[conf, year] += len(result.records)
    shares = _corpus_module().papers_corpus.share(2000)
    venues = _corpus_module().papers_corpus.VENUE_YEARS
    assert dict(counts) == {(v.conf, v.year): n for v, n in zip(venues, shares)}
    assert len(urls) == 2000  # no two papers share a URL (or a DOI, which would merge them)


def test_urls_are_each_venues(corpus2k):
    patterns = {
        "AAAI": r"https://doi\.org/10\.1609/aaai\.v3[5-8]i\d+\.\d+",
        "CVPR": r"https://doi\.org/10\.1109/CVPR\d+\.20\d\d\.\d{5}",
        "ICLR": r"https://openreview\.net/forum\?id=[\w-]{10,11}",
        "ICML": r"https?://proceedings\.mlr\.press/v\d+/[a-z]+\d\d[a-z]+\.html",
        "IJCAI": r"https://doi\.org/10\.24963/ijcai\.20\d\d/\d+",
        "NIPS": r"http://papers\.nips\.cc/paper_files/paper/20\d\d/hash/[0-9a-f]{32}-Abstract(-Conference)?\.html",
    }
    for _, conf, _, result in _read_all(corpus2k):
        assert all(re.fullmatch(patterns[conf], r.url) for r in result.records), conf
        if conf == "NIPS":  # listed in the order of the hash in their URL, as the real pages are
            assert [r.url for r in result.records] == sorted(r.url for r in result.records)


def test_authors_are_many_with_a_long_tail(corpus2k):
    authors_corpus = _corpus_module().papers_corpus.authors_corpus
    assert authors_corpus.distinct_authors(27_000) == 52_000
    records = [r for *_, result in _read_all(corpus2k) for r in result.records]
    assert all(len(set(r.authors)) == len(r.authors) for r in records)
    per_paper = [len(r.authors) for r in records]
    assert 4 <= statistics.mean(per_paper) <= 6 and statistics.median(per_paper) in (4, 5, 6)
    papers_of = collections.Counter(a for r in records for a in r.authors)
    assert len(papers_of) == authors_corpus.distinct_authors(2000)  # ~6,500
    freq = collections.Counter(papers_of.values())  # papers -> authors with that many
    assert freq[1] > 0.6 * len(papers_of)
    assert freq[1] > freq[2] > freq[3] > freq[4] > freq[5]
    top = max(papers_of.values())
    assert top >= 20 and sum(n for c, n in freq.items() if c >= 10) >= 20
    assert any(ord(ch) > 127 for name in papers_of for ch in name)  # Gül Varol, Matthias Nießner, …


def test_authors_at_full_scale_are_about_52000():
    authors_corpus = _corpus_module().papers_corpus.authors_corpus
    lists = authors_corpus.author_lists(random.Random(0), 27_000)
    papers_of = collections.Counter(a for names in lists for a in names)
    assert len(papers_of) == 52_000
    assert 50 <= max(papers_of.values()) <= 400


def test_abstracts_titles_math_and_ieee_markup(corpus2k):
    records, split, inline = [], 0, 0
    for path, *_, result in _read_all(corpus2k):
        records += result.records
        text = path.read_text(encoding="utf-8")
        for block in text.split("**Abstract**:")[1:]:
            body = block.split("\n----")[0].split("        ----")[0]
            split += "\n<" in body  # a stray IEEE tag on a line of its own
            inline += "$" in re.sub(r"<tex[^>]*>.*?</tex>", "", body)
    n = len(records)
    assert 1000 <= statistics.median(len(r.abstract) for r in records) <= 1400
    assert 0.07 <= split / n <= 0.13
    assert 0.03 <= inline / n <= 0.07
    assert len({r.title.casefold() for r in records}) == n
    assert not any(r.title.endswith(".") for r in records)  # the collection's generator strips it


def test_small_sizes_read_back(tmp_path):
    corpus = _corpus_module()
    for papers in (0, 1, 7, 16):
        corpus.generate(tmp_path / str(papers), notes=2, papers=papers, seed=0)
        assert sum(len(result.records) for *_, result in _read_all(tmp_path / str(papers))) == papers


def test_generated_paper_list_has_the_seed_layout(corpus2k):
    text = (corpus2k / "papers" / "CVPR" / "2023" / "CVPR-2023-list01.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].startswith("## [0] ")
    assert lines[2].startswith("        **Authors**: *")
    assert lines[4] == "        **Conference**: *cvpr 2023*"
    assert "\n        ## [1] " in text
    assert text.endswith(
        "        ----\n\n        \n\n[Go to the next page](CVPR-2023-list02.md)\n\n[Go to the catalog section](README.md)"
    )
    flat = (corpus2k / "papers" / "IJCAI" / "2021" / "IJCAI-2021-list01.md").read_text(encoding="utf-8")
    assert "\n## [1] " in flat and "\n**Conference**: *ijcai 2021*\n" in flat
    assert flat.endswith(
        "----\n\n\n\n[Go to the next page](IJCAI-2021-list02.md)\n\n[Go to the catalog section](README.md)"
    )
    last = (corpus2k / "papers" / "NIPS" / "2023" / "NIPS-2023-list02.md").read_text(encoding="utf-8")
    assert last.startswith("## [200] ") and "*nips 2023*" in last
    assert last.endswith("[Go to the previous page](NIPS-2023-list01.md)\n\n[Go to the catalog section](README.md)")
    papers_corpus = _corpus_module().papers_corpus
    middle = papers_corpus.page_text(papers_corpus.VENUE_YEARS[0], 2, 3, [], 200)
    assert middle.endswith(
        "[Go to the previous page](AAAI-2022-list01.md)\n\n[Go to the next page](AAAI-2022-list03.md)\n\n"
        "[Go to the catalog section](README.md)"
    )


def test_notes_link_to_generated_papers(corpus2k):
    note = (corpus2k / "notes" / "note-0001.md").read_text(encoding="utf-8")
    assert note.startswith("---\ntitle: ")
    heading = re.search(r"\[TOC\]\n\n# ([A-Z]+)(\d{4})\n", note)
    assert heading, note[:300]
    conf, year = heading.groups()
    papers = "".join(p.read_text(encoding="utf-8") for p in (corpus2k / "papers" / conf / year).glob("*.md"))
    sections = [line[3:] for line in note.split("\n") if line.startswith("## ")]
    assert sections and all(f"] {title}\n" in papers for title in sections)
    assert "$$\n\\begin{aligned}\n" in note


def test_merged_papers_are_the_listed_papers(corpus2k, tmp_path):
    """Titles are distinct, so the pipeline merges 2,000 listed papers (and the notes about some) into 2,000."""
    pipeline = pytest.importorskip("papernotes.pipeline")
    from papernotes.diagnostics import Diagnostics

    options = pipeline.BuildOptions(ROOT, corpus2k, tmp_path / "out", search=False, cache=tmp_path / "cache")
    diags = Diagnostics()
    _, _, papers, _ = pipeline.Builder(options).read_model(diags)
    assert len(papers) == 2000
    assert not list(diags)
    assert sum(any(r.format == "note_sections" for r in p.records) for p in papers) >= 5
    assert not (tmp_path / "out").exists()


def test_process_tree_memory_is_sampled(tmp_path):
    measure = _bench_module("measure")
    child = "import time; x = b'x' * 60_000_000; time.sleep(0.6)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    got = measure.run_measured([sys.executable, "-c", parent], tmp_path)
    assert got["returncode"] == 0 and got["processes"] >= 2
    assert got["largest_rss_mib"] >= 55 and got["tree_rss_mib"] > got["largest_rss_mib"]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"12345")
    assert measure.tree_size(tmp_path / "d") == (1, 5)


def test_a_forked_child_that_has_not_exec_d_counts_in_its_parent(tmp_path):
    measure = _bench_module("measure")
    forks = "import os, time; x = b'x' * 80_000_000; pid = os.fork(); time.sleep(0.8); os._exit(0) if pid == 0 else os.wait()"
    got = measure.run_measured([sys.executable, "-c", forks], tmp_path)
    assert got["returncode"] == 0 and got["processes"] >= 2
    assert got["largest_rss_mib"] >= 75
    assert got["tree_rss_mib"] < 1.5 * got["largest_rss_mib"]  # not the 80 MB twice


def test_run_end_to_end(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--notes",
            "5",
            "--papers",
            "200",
            "--edits",
            "2",
            "--keep",
            str(tmp_path / "work"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert RESULT_KEYS <= set(result)
    assert result["notes"] == 5 and result["papers"] == 200
    assert result["output_files"] >= result["html_pages"] > 0 and result["output_bytes"] > result["corpus_bytes"]
    assert result["peak_tree_rss_mib_clean"] >= result["peak_process_rss_mib_clean"] > 0
    assert "baseline" in proc.stdout
