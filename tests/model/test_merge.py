"""Merging records of all seeds into papers."""

from hypothesis import given, settings
from hypothesis import strategies as st
from sitebuild import seed_records

from papernotes.model.merge import merge_records, normalize_author, normalize_venue, paper_key
from papernotes.sources.records import PaperRecord, SourceSpan
from papernotes.sources.text import clean_tex_residue


def all_records():
    return seed_records()


def rec(path="a.md", line=1, fmt="hf_papers", **kw):
    kw.setdefault("title", "A Paper")
    return PaperRecord(source=SourceSpan(path, line), format=fmt, **kw)


def test_seeds_merge_to_371_papers():
    papers, diags = merge_records(all_records(), {"Lior Wol": "Lior Wolf"})
    assert diags == []
    assert len(papers) == 371
    assert [p.key for p in papers] == sorted(p.key for p in papers)
    multi = {p.title: p for p in papers if len(p.records) > 1}
    assert set(multi) == {
        "Text to Image Generation with Semantic-Spatial Aware GAN",
        "Attribute Group Editing for Reliable Few-shot Image Generation",
        "FLAG: Flow-based 3D Avatar Generation from Sparse Observations",
    }
    for p in multi.values():
        assert {r.format for r in p.records} == {"hexo_paperlist", "note_sections"}
        assert (p.venue, p.year) == ("CVPR", 2022) and p.arxiv and p.authors and p.abstract and p.title_zh
    gan = multi["Text to Image Generation with Semantic-Spatial Aware GAN"]
    assert [str(s) for s in gan.sources] == ["notes/cvpr2022-generative-models.md:159", "posts/cvpr2022-papers.md:14"]
    dual = [p for p in papers if p.title == "Dynamic Dual-Output Diffusion Models"][0]
    assert dual.authors == ("Yaniv Benny", "Lior Wolf")
    assert all(p.topics == () for p in papers)


def test_no_venue_invented():
    papers, _ = merge_records(all_records())
    by_fmt = {}
    for p in papers:
        by_fmt.setdefault(p.records[0].format, []).append(p)
    assert all(p.venue is None and p.authors == () for p in by_fmt["hf_papers"])
    assert all(p.venue is None and p.authors_truncated for p in by_fmt["author_profile"])
    assert sum(p.venue == "CVPR" and p.year == 2023 for p in papers) == 200


def test_complete_authors_beat_truncated_in_any_order():
    full = rec("z.md", 9, "hexo_paperlist", authors=("A One", "B Two", "C Three", "D Four"))
    part = rec(
        "a.txt",
        1,
        "author_profile",
        authors=("A One", "B Two", "C Three"),
        authors_truncated=True,
        date="2022-03-23",
        year=2022,
        has_code=True,
    )
    for order in ([full, part], [part, full]):
        (paper,), _ = merge_records(order)
        assert paper.authors == full.authors and not paper.authors_truncated
        assert paper.date == "2022-03-23" and paper.has_code
        assert [r.source.path for r in paper.records] == ["a.txt", "z.md"]
    (paper,), _ = merge_records([part])
    assert paper.authors_truncated


def test_venue_precedence_and_conflict():
    note = rec("n.md", 3, "note_sections", venue="CVPR", year=2022)
    hf = rec("h.txt", 1, "hf_papers", abstract="x", url="https://a")
    (paper,), diags = merge_records([hf, note])
    assert (paper.venue, paper.year) == ("CVPR", 2022) and diags == []
    other = rec("l.md", 5, "paperlist_md", venue="ICCV", year=2023, url="https://b")
    (paper,), diags = merge_records([hf, note, other])
    assert (paper.venue, paper.year) == ("ICCV", 2023)
    assert paper.links == ("https://a", "https://b")
    assert len(diags) == 1 and diags[0].path == "n.md" and diags[0].line == 3


def test_garbage_title_is_reported():
    papers, diags = merge_records([rec(title="$$ -- $$")])
    assert papers == [] and diags[0].path == "a.md"


def test_paper_key():
    assert paper_key("FLAG: Flow-based 3D Avatar") == "flag flow based 3d avatar"
    assert paper_key("$R^{2}$ Former: Unified") == "r 2 former unified"
    assert paper_key("Ｆｕｌｌ－ｗｉｄｔｈ  Title") == "full width title"
    assert paper_key("Straße") == paper_key("STRASSE")


def test_normalize_author_and_venue():
    assert normalize_author("  Lior   Wol ", {"Lior Wol": "Lior Wolf"}) == "Lior Wolf"
    assert normalize_author("Gu\u0308l Varol") == "Gül Varol"
    assert normalize_venue("cvpr 2023") == ("CVPR", 2023)
    assert normalize_venue("CVPR2022") == ("CVPR", 2022)
    assert normalize_venue("neurips 2021") == ("NeurIPS", 2021)
    assert normalize_venue("") == (None, None)


def test_clean_tex_residue():
    assert (
        clean_tex_residue(r"\emph{x} \textbf{S}emi \url{u} \href{u}{t} a~b 10\% A\&B \eg \ie")
        == "x Semi u t (u) a\u00a0b 10% A&B e.g. i.e."  # issue 10: \href keeps its URL, a~b is a tie
    )
    assert clean_tex_residue(r"keep $a~b \% c$ math") == r"keep $a~b \% c$ math"
    s = r"DreamBooth ~ruiz2023dreambooth , InstantBooth"
    assert clean_tex_residue(s) == "DreamBooth, InstantBooth"
    assert clean_tex_residue(clean_tex_residue(s)) == clean_tex_residue(s)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=30),
            st.sampled_from(["paperlist_md", "hf_papers", "author_profile", "x"]),
            st.booleans(),
            st.lists(st.text(max_size=8), max_size=4),
        ),
        max_size=20,
    )
)
def test_merge_never_raises_and_keeps_every_record(items):
    records = [
        rec(f"p{i}.md", i + 1, fmt, title=t, authors=tuple(a), authors_truncated=trunc)
        for i, (t, fmt, trunc, a) in enumerate(items)
    ]
    papers, diags = merge_records(records)
    assert sum(len(p.records) for p in papers) + len(diags) == len(records)
    assert clean_tex_residue(" ".join(t for t, *_ in items)) is not None
