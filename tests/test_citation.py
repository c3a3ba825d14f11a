"""Issue 14, acceptance 5: a paper's GB/T 7714-2015 and APA references (papernotes/citation.py), hand-checked
for five seed papers as their pages show them, and the rules behind them on made-up papers: names, author
limits, the kinds of paper, the BibTeX booktitle. (The copy buttons: tests/e2e/test_paper_actions.py.)"""

from __future__ import annotations

import pytest
from sitebuild import soup

from papernotes.citation import apa, booktitle, gbt7714, split_name
from papernotes.export import bibtex_entry
from papernotes.model.paper import Paper

CVPR = "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition"
SEED = {
    "simulated-annealing-in-early-layers-leads-to-better-generalization": (
        "Sarfi A, Karimpour Z, Chaudhary M, et al. Simulated Annealing in Early Layers Leads to Better "
        f"Generalization[C]//{CVPR}. 2023. DOI:10.1109/CVPR52729.2023.01935.",
        "Sarfi, A., Karimpour, Z., Chaudhary, M., Khalid, N. M., Ravanelli, M., Mudur, S., & Belilovsky, E. (2023). "
        f"Simulated Annealing in Early Layers Leads to Better Generalization. In {CVPR}. "
        "https://doi.org/10.1109/CVPR52729.2023.01935",
    ),
    "why-is-the-winner-the-best": (  # 125 authors: APA's first 19, an ellipsis, the last
        f"Eisenmann M, Reinke A, Weru V, et al. Why is the Winner the Best?[C]//{CVPR}. 2023. "
        "DOI:10.1109/CVPR52729.2023.01911.",
        "Eisenmann, M., Reinke, A., Weru, V., Tizabi, M. D., Isensee, F., Adler, T. J., Ali, S., Andrearczyk, V., "
        "Aubreville, M., Baid, U., Bakas, S., Balu, N., Bano, S., Bernal, J., Bodenstedt, S., Casella, A., "
        "Cheplygina, V., Daum, M., de Bruijne, M., ... Maier-Hein, L. (2023). Why is the Winner the Best? "
        f"In {CVPR}. https://doi.org/10.1109/CVPR52729.2023.01911",
    ),
    "text-to-image-generation-with-semantic-spatial-aware-gan": (  # CVPR with an arXiv id, no DOI
        f"Hu K, Liao W, Yang M Y, et al. Text to Image Generation with Semantic-Spatial Aware GAN[C]//{CVPR}. 2022.",
        "Hu, K., Liao, W., Yang, M. Y., & Rosenhahn, B. (2022). Text to Image Generation with Semantic-Spatial "
        f"Aware GAN. In {CVPR}.",
    ),
    "relight-my-nerf-a-dataset-for-novel-view-synthesis-and-relighting-of-real-world": (  # De, Di: particles
        "Toschi M, De Matteo R, Spezialetti R, et al. ReLight My NeRF: A Dataset for Novel View Synthesis and "
        f"Relighting of Real World Objects[C]//{CVPR}. 2023. DOI:10.1109/CVPR52729.2023.01989.",
        "Toschi, M., De Matteo, R., Spezialetti, R., De Gregorio, D., Di Stefano, L., & Salti, S. (2023). ReLight "
        f"My NeRF: A Dataset for Novel View Synthesis and Relighting of Real World Objects. In {CVPR}. "
        "https://doi.org/10.1109/CVPR52729.2023.01989",
    ),
    "all-to-key-attention-for-arbitrary-style-transfer": (  # an author profile: a partial author list, no venue
        "Zhu M, He X, Wang N, et al. All-to-key Attention for Arbitrary Style Transfer[Z]. 2022.",
        "Zhu, M., He, X., Wang, N., et al. (2022). All-to-key Attention for Arbitrary Style Transfer.",
    ),
}


@pytest.mark.parametrize("slug", sorted(SEED))
def test_seed_papers_show_their_hand_checked_references(seed_site, slug):
    output, _ = seed_site
    page = soup(output / "papers" / slug / "index.html")
    gbt, apa_text = SEED[slug]
    assert page.select_one("#cite-gbt7714").get_text() == gbt
    assert page.select_one("#cite-apa").get_text() == apa_text
    bib = page.select_one("#cite-bibtex").get_text()
    assert ("booktitle = {" + CVPR + " (CVPR)}" in bib) == ("[C]//" in gbt) and "abstract =" not in bib
    assert [b["data-copy-target"] for b in page.select(".cite button")] == ["cite-bibtex", "cite-gbt7714", "cite-apa"]


def _paper(**fields) -> Paper:
    return Paper(key="k", **{"title": "A Study", **fields})


def test_names_split_into_family_and_initials():
    assert split_name("Fa-Ting Hong") == ("Hong", ["Fa-Ting"])
    assert split_name("Mohamed El Banani") == ("El Banani", ["Mohamed"])
    assert split_name("Luc van Gool") == ("van Gool", ["Luc"])
    assert split_name("Di Huang") == ("Huang", ["Di"])  # a given name is never taken for a particle
    assert split_name("王楠楠") == ("王楠楠", []) and split_name("Plato") == ("Plato", [])
    paper = _paper(authors=("Fa-Ting Hong", "Ümit Y. Ogras"), year=2022, venue="CVPR")
    assert apa(paper).startswith("Hong, F.-T., & Ogras, Ü. Y. (2022). A Study. In Proceedings")
    assert gbt7714(paper).startswith("Hong F T, Ogras Ü Y. A Study[C]//Proceedings")


def test_the_kinds_of_paper():
    journal = _paper(authors=("Kaiming He",), venue="TPAMI", year=2020, doi="10.1/x")
    assert gbt7714(journal) == (
        "He K. A Study[J]. IEEE Transactions on Pattern Analysis and Machine Intelligence, 2020. DOI:10.1/x."
    )
    assert apa(journal) == (
        "He, K. (2020). A Study. IEEE Transactions on Pattern Analysis and Machine Intelligence. https://doi.org/10.1/x"
    )
    assert bibtex_entry(journal, "he2020").startswith("@article{he2020,")
    assert "journal = {IEEE Transactions on Pattern Analysis and Machine Intelligence}" in bibtex_entry(journal, "k")
    preprint = _paper(authors=("A B", "C D", "E F", "G H"), arxiv="1706.03762", year=2017)
    assert gbt7714(preprint) == "B A, D C, F E, et al. A Study[J]. arXiv preprint arXiv:1706.03762, 2017."
    assert apa(preprint) == (
        "B, A., D, C., F, E., & H, G. (2017). A Study (arXiv:1706.03762). arXiv. https://doi.org/10.48550/arXiv.1706.03762"
    )
    chinese = _paper(title="基于扩散模型的人脸生成", authors=("张三", "李四", "王五", "赵六"), year=2024)
    assert gbt7714(chinese) == "张三, 李四, 王五, 等. 基于扩散模型的人脸生成[Z]. 2024."
    online = _paper(url="https://example.org/p", title="Why?")
    assert (
        gbt7714(online) == "Why?[EB/OL]. https://example.org/p." and apa(online) == "Why? (n.d.). https://example.org/p"
    )
    assert booktitle("CVPR") == CVPR + " (CVPR)" and booktitle("FOO") == "FOO"  # an unknown venue as it is
