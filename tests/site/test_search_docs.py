"""What search is fed (site/search_docs.py): one document per searchable page, made from the model."""

from __future__ import annotations

from papernotes.site.search_docs import (
    PER_BYTE,
    PER_DOCUMENT,
    author_document,
    bundles,
    by_character,
    paper_document,
)

SUMMARY = {
    "title": "Talking Heads: One-shot <b>Synthesis</b>",
    "title_zh": "说话人头像合成",
    "all_authors": ["Ada Lovelace", "Alan Turing"],
    "venue_name": "ICCV",
    "venue_label": "ICCV 2021",
    "year": 2021,
    "topics": ["talking-head", "unknown-slug"],
}


def test_a_paper_document_carries_title_authors_venue_year_topics_ids_and_abstract():
    html = paper_document(
        SUMMARY,
        "We use <sup>2</sup> $x^2$ keypoints.",
        {"arXiv": "2104.00567", "DOI": "10.1109/ICCV.2021.1"},
        {"talking-head": ("Talking Heads", "说话人")},
    )
    assert html.startswith("<html><body><main data-pagefind-body>")
    assert "<h1>Talking Heads: One-shot &lt;b&gt;Synthesis&lt;/b&gt;</h1>" in html
    assert '<span data-pagefind-meta="title">Talking Heads: One-shot &lt;b&gt;Synthesis&lt;/b&gt;</span>' in html
    weighted = [  # the title (an h1: 7) above the Chinese title and the ids, above the authors, above the rest
        '<p data-pagefind-weight="6">说\u200b话\u200b人\u200b头\u200b像\u200b合\u200b成</p>',
        '<p data-pagefind-weight="3">Ada Lovelace, Alan Turing</p>',
        '<p data-pagefind-weight="5">arXiv 2104.00567 · DOI 10.1109/ICCV.2021.1</p>',
    ]
    for part in (*weighted, "<p>ICCV 2021</p>", "<p>Talking Heads · 说\u200b话\u200b人</p>", "$x^2$ keypoints"):
        assert part in html, part
    assert "<sup>" not in html  # IEEE fragments are text, not markup
    filters = (  # kept by Pagefind as filters, not as words: no "2021" twice in an excerpt, no "paper"
        '<span data-pagefind-filter="type">paper</span>'
        '<span data-pagefind-filter="venue">ICCV</span><span data-pagefind-filter="year">2021</span>'
        '<span data-pagefind-filter="topic">Talking Heads</span></div>'
    )
    assert filters in html and html.count("data-pagefind-filter") == 4
    bare = paper_document({**SUMMARY, "title_zh": "", "venue_label": ""}, None, {"arXiv": None, "DOI": None}, {})
    assert "<p></p>" not in bare and "arXiv" not in bare and 'data-pagefind-weight="6"' not in bare


def test_an_author_document_names_the_author_below_a_paper_title():
    html = author_document("Ada Lovelace", [SUMMARY, {**SUMMARY, "venue_name": None, "venue_label": ""}])
    assert '<p data-pagefind-weight="3">Ada Lovelace</p>' in html
    assert "<h1" not in html  # an h1 counts 7, as much as a paper's title
    assert "2 篇论文 · ICCV 2021" in html.replace("\u200b", "")
    assert (
        '<div data-pagefind-ignore><span data-pagefind-meta="title">Ada Lovelace</span>'
        '<span data-pagefind-filter="type">author</span></div>'
    ) in html


def test_chinese_is_indexed_a_character_at_a_time():
    """The browser's segmenter cuts 人脸 in two where Pagefind's indexer keeps one word: search.js searches
    Chinese by character, so the documents are indexed by character (the break is a zero-width space)."""
    assert by_character("人脸生成 GAN 的扩散") == "人\u200b脸\u200b生\u200b成 GAN 的\u200b扩\u200b散"
    assert by_character('<img alt="图" src="x.png"> 㐀𠀀') == '<img alt="图" src="x.png"> 㐀𠀀'  # no pair
    assert by_character("表征与学习") == "\u200b".join("表征与学习")


def test_bundles_keep_order_and_stay_under_their_memory():
    docs = [(f"/papers/p{i}/", "x" * (100 + i)) for i in range(1000)]
    budget = 40 * (PER_DOCUMENT + PER_BYTE * 600)
    cut = bundles(docs, budget)
    assert len(cut) > 1 and [d for b in cut for d in b] == docs
    assert all(sum(PER_DOCUMENT + PER_BYTE * len(h) for _, h in b) <= budget for b in cut)
    assert bundles([], budget) == [[]]


def test_the_seed_index_holds_every_note_paper_and_author_page(seed_site):
    output, _ = seed_site
    fragments = list((output / "pagefind" / "fragment").iterdir())
    assert len(fragments) == 2 + 371 + 1269  # a post and a note, the papers, the authors; no list pages


def test_formulas_are_indexed_as_their_tex_not_as_katex_layout():
    from papernotes.site.search_docs import without_katex

    formula = (
        '<span class="katex"><span class="katex-mathml"><math><semantics><mi>x</mi>'
        '<annotation encoding="application/x-tex">L_{rec} = \\|x - \\hat{x}\\|</annotation></semantics></math>'
        '</span><span class="katex-html" aria-hidden="true"><span class="base"><span class="mord">x</span>'
        "</span></span></span>"
    )
    html = f'<p>损失函数 {formula} 与 <span class="katex-display">{formula}</span> 之后。</p>'
    assert (
        without_katex(html) == "<p>损失函数  L_{rec} = \\|x - \\hat{x}\\|  与  L_{rec} = \\|x - \\hat{x}\\|  之后。</p>"
    )
    assert without_katex("<p>no math</p>") == "<p>no math</p>"


def test_the_index_is_made_again_when_only_the_topics_a_paper_names_change():
    """Paper.mentions (search words, set after the merge) are part of the search index's key."""
    from types import SimpleNamespace

    from papernotes.model.paper import Paper
    from papernotes.site.assemble import _search_source

    index = SimpleNamespace(digest="i")
    papers = [Paper(key="k", title="T", digest="d", topics=("other",), mentions=())]
    before = _search_source(index, papers, []).key()
    papers[0].mentions = ("diffusion",)
    assert _search_source(index, papers, []).key() != before
