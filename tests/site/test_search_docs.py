"""What search is fed (site/search_docs.py): one document per searchable page, made from the model."""

from __future__ import annotations

from papernotes.site.search_docs import PER_BYTE, PER_DOCUMENT, author_document, bundles, paper_document

SUMMARY = {
    "title": "Talking Heads: One-shot <b>Synthesis</b>",
    "title_zh": "说话人头像合成",
    "all_authors": ["Ada Lovelace", "Alan Turing"],
    "venue_name": "ICCV",
    "venue_label": "ICCV 2021",
    "year": 2021,
    "topics": ["talking-head", "unknown-slug"],
}


def test_a_paper_document_carries_title_authors_venue_year_topics_arxiv_and_abstract():
    html = paper_document(
        SUMMARY, "We use <sup>2</sup> $x^2$ keypoints.", "2104.00567", {"talking-head": "Talking Head"}
    )
    assert html.startswith("<html><body><main data-pagefind-body>")
    assert '<h1 data-pagefind-meta="title">Talking Heads: One-shot &lt;b&gt;Synthesis&lt;/b&gt;</h1>' in html
    for part in ("说话人头像合成", "Ada Lovelace, Alan Turing", "ICCV 2021", "arXiv 2104.00567", "$x^2$ keypoints"):
        assert part in html, part
    assert "<sup>" not in html  # IEEE fragments are text, not markup
    filters = [
        '<span data-pagefind-filter="type">paper</span>',
        '<span data-pagefind-filter="venue">ICCV</span>',
        '<span data-pagefind-filter="year">2021</span>',
        '<span data-pagefind-filter="topic">Talking Head</span>',
    ]
    assert all(f in html for f in filters) and html.count("data-pagefind-filter") == 4


def test_an_author_document_names_the_author_and_venues():
    html = author_document("Ada Lovelace", [SUMMARY, {**SUMMARY, "venue_name": None, "venue_label": ""}])
    assert '<h1 data-pagefind-meta="title">Ada Lovelace</h1>' in html
    assert "2 篇论文 · ICCV 2021" in html and '<span data-pagefind-filter="type">author</span>' in html


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
