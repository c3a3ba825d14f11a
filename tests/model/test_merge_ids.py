"""Merging by DOI, then arXiv id, then normalized title (issue 12, point 5): a union-find over the three keys."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import seed_records

from papernotes.model.merge import merge_records, paper_key
from papernotes.site.research import paper_slugs
from papernotes.sources.detect import read_listing
from papernotes.sources.records import PaperRecord, SourceSpan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "library"


def rec(path="a.md", line=1, fmt="hf_papers", **kw):
    kw.setdefault("title", "A Paper")
    return PaperRecord(source=SourceSpan(path, line), format=fmt, **kw)


def library_records() -> list[PaperRecord]:
    records = []
    for name in ("library.bib", "library.json"):
        records += read_listing(f"papers/{name}", (FIXTURES / name).read_text(encoding="utf-8")).records
    return records


def test_a_doi_joins_different_titles():
    listed = rec("list.md", 5, "paperlist_md", title="AutoAD: Movie Description in Context", doi="10.1109/CVPR.1")
    library = rec("lib.bib", 9, "bibtex", title="AutoAD: movie audio description", doi="10.1109/cvpr.1", key="han")
    papers, diags = merge_records([library, listed])
    assert diags == [] and len(papers) == 1
    paper = papers[0]
    assert paper.key == paper_key("AutoAD: Movie Description in Context")  # paperlist_md ranks first
    assert paper.title == "AutoAD: Movie Description in Context"
    assert [str(s) for s in paper.sources] == ["lib.bib:9", "list.md:5"]


def test_an_arxiv_id_joins_a_preprint_and_the_published_title():
    preprint = rec("hf.txt", 3, "hf_papers", title="Diffusion Beats GANs (preprint)", arxiv="2105.05233")
    published = rec("lib.bib", 1, "bibtex", title="Diffusion Models Beat GANs on Image Synthesis", arxiv="2105.05233")
    papers, _ = merge_records([preprint, published])
    assert len(papers) == 1 and papers[0].title == "Diffusion Models Beat GANs on Image Synthesis"


def test_chains_join_and_the_key_is_the_best_ranked_title():
    a = rec("a.md", 1, "note_sections", title="Alpha")
    b = rec("b.md", 1, "hexo_paperlist", title="alpha!", arxiv="2101.00001")  # same title key as a
    c = rec("c.bib", 1, "bibtex", title="Beta", arxiv="2101.00001", doi="10.1/x")
    d = rec("d.md", 1, "paperlist_md", title="Gamma", doi="10.1/X")
    e = rec("e.md", 1, "hf_papers", title="Unrelated")
    papers, _ = merge_records([a, b, c, d, e])
    assert sorted(p.key for p in papers) == ["gamma", "unrelated"]
    joined = next(p for p in papers if p.key == "gamma")
    assert {r.title for r in joined.records} == {"Alpha", "alpha!", "Beta", "Gamma"}
    assert joined.doi == "10.1/X" and joined.arxiv == "2101.00001"


records = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C", "D"]),
        st.sampled_from([None, "10.1/a", "10.1/A", "10.1/b"]),
        st.sampled_from([None, "2101.00001", "2101.00002"]),
        st.sampled_from(["bibtex", "hexo_paperlist", "hf_papers"]),
    ),
    max_size=8,
).map(  # one record per place, as a source gives them
    lambda rows: [rec("x.md", n, fmt, title=t, doi=doi, arxiv=ax) for n, (t, doi, ax, fmt) in enumerate(rows, 1)]
)


@settings(max_examples=150, deadline=None)
@given(records, st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_records(recs, random):
    shuffled = list(recs)
    random.shuffle(shuffled)
    first, _ = merge_records(recs)
    second, _ = merge_records(shuffled)
    assert [(p.key, p.title, p.digest) for p in first] == [(p.key, p.title, p.digest) for p in second]
    # and records sharing an id are in one paper
    for x, y in itertools.combinations(recs, 2):
        shared = (x.doi and y.doi and x.doi.lower() == y.doi.lower()) or (x.arxiv and x.arxiv == y.arxiv)
        if shared or paper_key(x.title) == paper_key(y.title):
            assert any(x in p.records and y in p.records for p in first)


def test_a_full_bibtex_author_list_beats_a_truncated_one():
    profile = rec("p.txt", 1, "author_profile", title="T", authors=("A One", "B Two"), authors_truncated=True)
    library = rec("l.bib", 1, "bibtex", title="t", authors=("A One", "B Two", "C Three"), doi="10.1/t")
    truncated = rec("l.bib", 9, "bibtex", title="T", authors=("A One",), authors_truncated=True)
    for order in itertools.permutations([profile, library, truncated]):
        paper = merge_records(list(order))[0][0]
        assert paper.authors == ("A One", "B Two", "C Three") and not paper.authors_truncated


def test_a_citation_key_naming_two_papers_is_a_warning():
    papers, diags = merge_records(
        [rec("a.bib", 1, "bibtex", title="One", key="k"), rec("b.json", 4, "csl_json", title="Two", key="k")]
    )
    assert len(papers) == 2
    assert [d.format() for d in diags] == ["b.json:4: warning: citation key 'k' also names 'One'; [@k] cites that one"]


def test_seeds_with_the_library():
    seeds = seed_records()
    library = library_records()
    assert len(library) == 40
    alone, _ = merge_records(seeds, {"Lior Wol": "Lior Wolf"})
    both, diags = merge_records(seeds + library, {"Lior Wol": "Lior Wolf"})
    assert diags == []
    assert len(alone) == 371 and len(both) == 371 + 40 - 2  # AutoAD (DOI) and DDPM (bib + CSL, arXiv)
    merged = {p.key: p for p in both if {r.format for r in p.records} - {"bibtex", "csl_json"} or len(p.records) > 1}
    autoad = merged[paper_key("AutoAD: Movie Description in Context")]
    assert [r.format for r in autoad.records] == ["paperlist_md", "bibtex"]
    assert autoad.title == "AutoAD: Movie Description in Context" and autoad.doi == "10.1109/CVPR52729.2023.01815"
    ddpm = merged[paper_key("Denoising Diffusion Probabilistic Models")]
    assert [r.format for r in ddpm.records] == ["bibtex", "csl_json"]
    # Every seed paper keeps its key and its slug.
    before, after = paper_slugs(alone), paper_slugs(both)
    assert all(after[key] == slug for key, slug in before.items())
