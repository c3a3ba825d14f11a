"""bench/: the corpus generator is deterministic and readable; run.py completes end to end.

No timing asserts: timings depend on the machine and never go in tests.
"""

from __future__ import annotations

import importlib.util
import json
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
}


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generate_is_deterministic(tmp_path):
    corpus = _corpus_module()
    corpus.generate(tmp_path / "a", notes=4, papers=450, seed=3)
    corpus.generate(tmp_path / "b", notes=4, papers=450, seed=3)
    first, second = _tree_bytes(tmp_path / "a"), _tree_bytes(tmp_path / "b")
    assert first == second
    assert sorted(first) == [
        "notes/note-0001.md",
        "notes/note-0002.md",
        "notes/note-0003.md",
        "notes/note-0004.md",
        "papers/cvpr-2023-list00.md",
        "papers/cvpr-2023-list01.md",
        "papers/cvpr-2023-list02.md",
        "site.yaml",
    ]
    corpus.generate(tmp_path / "c", notes=4, papers=450, seed=4)
    assert _tree_bytes(tmp_path / "c") != first


def test_generated_paper_lists_parse_into_all_records(tmp_path):
    paperlist_md = pytest.importorskip("papernotes.sources.paperlist_md")
    corpus = _corpus_module()
    corpus.generate(tmp_path, notes=1, papers=450, seed=0)
    counts = {}
    for path in sorted((tmp_path / "papers").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert paperlist_md.looks_like(text)
        result = paperlist_md.read(path.name, text)
        assert not [d for d in result.diagnostics if d.level == "error"]
        counts[path.name] = len(result.records)
        assert all(r.title and r.authors and r.doi and r.abstract for r in result.records)
        # Abstracts split by stray IEEE markup are joined back: no markup survives.
        assert not any("xmlns" in r.abstract for r in result.records)
    assert counts == {"cvpr-2023-list00.md": 200, "cvpr-2023-list01.md": 200, "cvpr-2023-list02.md": 50}


def test_generated_paper_list_has_the_seed_layout(tmp_path):
    corpus = _corpus_module()
    corpus.generate(tmp_path, notes=0, papers=200, seed=0)
    text = (tmp_path / "papers" / "cvpr-2023-list00.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].startswith("## [0] ")
    assert lines[2].startswith("        **Authors**: *")
    assert text.count("## [") == 200
    assert "\n        ## [1] " in text
    assert text.endswith("        ----\n\n        \n\n[Go to the catalog section](README.md)")


def test_notes_link_to_generated_papers(tmp_path):
    corpus = _corpus_module()
    corpus.generate(tmp_path, notes=3, papers=200, seed=0)
    papers = (tmp_path / "papers" / "cvpr-2023-list00.md").read_text(encoding="utf-8")
    note = (tmp_path / "notes" / "note-0001.md").read_text(encoding="utf-8")
    assert note.startswith("---\ntitle: ")
    assert "[TOC]\n\n# CVPR2023\n" in note
    sections = [line[3:] for line in note.split("\n") if line.startswith("## ")]
    assert sections and all(f"] {title}\n" in papers for title in sections)
    assert "$$\n\\begin{aligned}\n" in note and "```python\n" in note


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
