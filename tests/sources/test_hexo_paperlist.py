"""Seed 000: the numbered paper list inside a Hexo post."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.sources import hexo_paperlist

ROOT = Path(__file__).resolve().parents[2]
PATH = "posts/cvpr2022-papers.md"
TEXT = (ROOT / "site_src" / PATH).read_text(encoding="utf-8")


def test_counts_and_fields():
    res = hexo_paperlist.read(PATH, TEXT)
    assert res.diagnostics == ()
    recs = res.records
    assert [r.index for r in recs] == list(range(1, 17))
    assert sum(len(r.authors) for r in recs) == 97
    assert len({a for r in recs for a in r.authors}) == 92
    assert all((r.venue, r.year) == ("CVPR", 2022) for r in recs)
    assert all(r.abstract and r.title_zh and r.url.startswith("https://arxiv.org/abs/") for r in recs)
    assert all(not r.arxiv.endswith(("v1", "v2")) and r.arxiv in r.url for r in recs)
    assert sum(r.url.endswith("v1") for r in recs) == 3
    assert all(not r.authors_truncated for r in recs)


def test_irregular_items():
    d = {r.index: r for r in hexo_paperlist.read(PATH, TEXT).records}
    first = d[1]
    assert first.title == "Text to Image Generation with Semantic-Spatial Aware GAN"
    assert first.title_zh == "使用语义空间感知 GAN 生成文本到图像"
    assert first.arxiv == "2104.00567" and first.source.line == 14
    assert first.authors == ("Kai Hu", "Wentong Liao", "Michael Ying Yang", "Bodo Rosenhahn")
    assert first.abstract.startswith("Text-to-image synthesis (T2I)")
    # ASCII colons, comma without space
    assert d[2].title.startswith("An Empirical Study") and "Chenguang Zhu" in d[2].authors
    assert d[3].title_zh == "L-Verse:图像文本间的双向生成"
    assert d[6].title.startswith("Pseudo-Q:")  # "###  Title" (two spaces)
    assert d[12].title_zh == "对抗样本的自监督学习：迈向 Deepfake 检测的良好泛化"
    assert d[13].title == "Attribute Group Editing for Reliable Few-shot Image Generation"
    assert d[13].title_zh == "属性组编辑用于可靠的小样本图像生成"
    assert (d[13].arxiv, d[13].url) == ("2203.08422", "https://arxiv.org/abs/2203.08422v1")
    assert d[15].authors == ("Yaniv Benny", "Lior Wol")  # kept as written; aliases apply in merge
    assert not any(a.endswith(" ") for r in d.values() for a in r.authors)


def test_split_title_keeps_english_parentheses():
    assert hexo_paperlist.split_title("Foo (Bar) [paper](u)") == ("Foo (Bar)", None, "u")
    assert hexo_paperlist.split_title("Foo(中文)") == ("Foo", "中文", None)


def test_no_venue_without_heading_and_warnings_for_partial_items():
    text = "1. ### Title: Lone Paper\n\n   Author: *A B*\n"
    res = hexo_paperlist.read("p.md", text)
    assert res.records[0].venue is None and res.records[0].authors == ("A B",)
    assert any("p.md" == d.path and d.line == 1 and "abstract" in d.message for d in res.diagnostics)


def test_ordinary_post_has_no_records():
    assert hexo_paperlist.read("p.md", "---\ntitle: x\n---\n\n# Hello\n\n1. item\n").records == ()
    assert not hexo_paperlist.looks_like("# Hello\n\n1. ### Not a title item\n")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("1. ### Title：:（）()[paper](x)Author*,>Abstract\n -#")) | st.characters(),
        max_size=400,
    )
)
def test_never_raises(text):
    hexo_paperlist.read("x.md", text)


def test_the_abstract_knows_its_own_line_and_venues_come_in_one_pass():
    text = "# CVPR2022\n\n1. ### Title: A [paper](http://a)\n   Author: X\n   >Abstract：\n   >\n   > $x^$ text\n"
    text += "\n# Not a venue\n\n2. ### Title: B [paper](http://b)\n"
    first, second = hexo_paperlist.read("p.md", text).records
    assert (first.source.line, first.abstract_line, first.venue) == (3, 7, "CVPR")
    assert (second.abstract_line, second.venue) == (None, None)


def test_a_trailing_link_is_found_in_one_pass():
    assert hexo_paperlist.trailing_link("Title [paper](http://x) ") == (6, "http://x")
    assert hexo_paperlist.trailing_link("[a](b)[c](d)") == (0, "b)[c](d")  # what the old regex found
    assert hexo_paperlist.trailing_link("[" * 50_000 + "](u)") == (0, "u")
    assert hexo_paperlist.trailing_link("no link") is None
