"""Export of the merged seed papers as JSON, CSV and BibTeX."""

import csv
import io
import json
import re

import pytest
from sitebuild import seed_records

from papernotes.export import FIELDS, bibtex_entry, bibtex_escape, bibtex_keys, export_papers
from papernotes.model.merge import merge_records
from papernotes.model.paper import Paper

RAW_HTML = ("<sup", "<tex", "<inf", "xmlns")


@pytest.fixture(scope="module")
def papers():
    return merge_records(seed_records(), {"Lior Wol": "Lior Wolf"})[0]


def test_json(papers):
    data = json.loads(export_papers(papers, "json"))
    assert len(data) == 371
    assert all(list(d) == list(FIELDS) for d in data)
    gan = [d for d in data if d["title"] == "Text to Image Generation with Semantic-Spatial Aware GAN"][0]
    assert gan["arxiv"] == "2104.00567" and gan["venue"] == "CVPR" and gan["year"] == 2022
    assert gan["sources"] == ["notes/cvpr2022-generative-models.md:159", "posts/cvpr2022-papers.md:14"]
    for d in data:
        for field in ("title", "abstract"):
            assert not any(bad in (d[field] or "") for bad in RAW_HTML)


def test_csv(papers):
    rows = list(csv.reader(io.StringIO(export_papers(papers, "csv"))))
    assert rows[0] == list(FIELDS)
    assert len(rows) == 372
    assert all(len(r) == len(FIELDS) for r in rows)


def test_bibtex(papers):
    bib = export_papers(papers, "bibtex")
    keys = re.findall(r"^@\w+\{([^,]+),$", bib, re.M)
    assert len(keys) == 371 == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    assert not any(bad in bib for bad in RAW_HTML)
    assert "@inproceedings{hu2022text," in bib
    assert bib.count("@inproceedings") == 221  # 200 (003) + 16 (000) + 5 note-only sections (001)
    assert "1\\% VS 100\\%" in bib
    # the per-paper block shows the same key as the export
    k = bibtex_keys(papers)
    first = papers[0]
    assert bibtex_entry(first, k[first.key]) in bib


def test_export_is_deterministic(papers):
    for fmt in ("json", "csv", "bibtex"):
        assert export_papers(list(reversed(papers)), fmt) == export_papers(papers, fmt)
    with pytest.raises(ValueError):
        export_papers(papers, "xml")


def test_bibtex_keys_disambiguated():
    a = Paper(key="text a", title="Text A", authors=("Kai Hu",), year=2022)
    b = Paper(key="text b", title="Text B", authors=("Kai Hu",), year=2022)
    c = Paper(key="zzz", title="Über Nießner", authors=("Matthias Nießner",))
    keys = bibtex_keys([b, c, a])
    assert keys == {"text a": "hu2022text", "text b": "hu2022textb", "zzz": "niessneruber"}


def test_bibtex_entry_types_and_escaping():
    arxiv = Paper(key="k", title="A_b & $x_1$", arxiv="2101.00001", authors=("X Y", "Z W"), authors_truncated=True)
    entry = bibtex_entry(arxiv, "yab")
    assert entry.startswith("@article{yab,") and "eprint = {2101.00001}" in entry
    assert "title = {{A\\_b \\& $x_1$}}" in entry and "author = {X Y and Z W and others}" in entry
    assert bibtex_entry(Paper(key="m", title="M"), "m").startswith("@misc{m,")
    assert bibtex_escape("50% {x} ~ #") == "50\\% \\{x\\} \\textasciitilde{} \\#"
