"""Issue 3: `python build.py export --format json|csv|bibtex [-o FILE]` on the seeds."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

from sitebuild import ROOT


def _export(fmt: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "build.py", "export", "--format", fmt, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_json_export_has_every_paper_with_topics_and_sources():
    proc = _export("json")
    assert proc.returncode == 0, proc.stderr
    papers = json.loads(proc.stdout)
    assert len(papers) == 371
    assert all(p["topics"] for p in papers)
    assert all(re.fullmatch(r".+:\d+", s) for p in papers for s in p["sources"])
    ssa = [p for p in papers if p["title"] == "Text to Image Generation with Semantic-Spatial Aware GAN"][0]
    assert ssa["venue"] == "CVPR" and ssa["year"] == 2022 and ssa["arxiv"] == "2104.00567"
    assert len(ssa["sources"]) == 2
    for p in papers:
        for field in ("title", "abstract"):
            assert not re.search(r"<sup|<tex|<inf|xmlns", p[field] or ""), p["title"]


def test_csv_and_bibtex_to_files(tmp_path):
    target = tmp_path / "papers.csv"
    assert _export("csv", "-o", str(target)).returncode == 0
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 372 and rows[0][0] == "title"
    bib = tmp_path / "papers.bib"
    assert _export("bibtex", "-o", str(bib)).returncode == 0
    keys = re.findall(r"^@\w+\{([^,]+),", bib.read_text(encoding="utf-8"), re.M)
    assert len(keys) == 371 == len(set(keys))
    assert _export("bibtex").stdout == bib.read_text(encoding="utf-8")  # stable keys, same bytes
