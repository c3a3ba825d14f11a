"""Deterministic synthetic site source for benchmarks (issue 5).

`generate(target, notes, papers, seed)` writes a complete site source folder:

- ``site.yaml``: a copy of the project's ``site_src/site.yaml``;
- ``notes/note-NNNN.md``: Chinese study notes in the style of seed 001 (front
  matter, ``[TOC]``, ``# CVPR2023``, one ``##`` section per paper, prose, inline
  and display math with varied content, a fenced code block, lists);
- ``papers/cvpr-2023-listNN.md``: paper lists in exactly the seed-003 layout
  (200 records per file, 8-space indentation after the first heading, stray
  IEEE MathML lines at column 0 splitting some abstracts, nav links, no
  trailing newline).

Everything comes from one seeded ``random.Random``: the same arguments give
byte-identical files (no clock, no hash randomisation, sorted iteration).

CLI: ``python bench/corpus.py OUT --notes N --papers M [--seed S]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SITE_YAML = PROJECT / "site_src" / "site.yaml"
RECORDS_PER_FILE = 200
IND = " " * 8
XMLNS = 'xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink"'

# -- word pools ------------------------------------------------------------------
GIVEN = """Yifei Lijin Yoichi Yi Kyle Subarna Nuno Tengda Max Arsha Gül Weidi Andrew Xin Guang Yufei Libo
Tiejian Longyin Wei Jun Hao Lei Yang Ming Jie Tao Qi Chen Xiaoyu Honglak Jingxiang Michael Shuhui Yebin
Yong Xuan Tongliang Xiaodong Yue Nannan Matthias Simon Justus Angela Christian Daniel Anna Maria Luca
Marco Giulia Pierre Camille Hugo Léa Jürgen Björn Sören Zoë Ana José Tomás Sofía Hiroshi Kenji Yuki
Sakura Min-jun Ji-woo Seo-yeon Arjun Priya Rahul Ananya Omar Fatima Ali Layla Ivan Olga Dmitri Elena
Nikolai Katarzyna Piotr Ewa Lars Ingrid Emil Freya Noah Emma Liam Olivia Ethan Ava Lucas Mia Jiaming
Zhiwei Haoran Ziyu Ruiqi Shengyu Kaiming Ross Piotr Saining Alexei Trevor Jitendra Fei-Fei Serge
Pietro Andrea Vittorio Cordelia Jean Francis Bernt Jiri Vladlen Ce Dahua Xiaoou Chen-Change Ziwei""".split()
SURNAMES = """Huang Yang Sato Li Min Tripathi Vasconcelos Han Bain Nagrani Varol Xie Zisserman Gu Chen Wang
Zhang Luo Wen Liu Zhou Wu Sun Zhao Xu Zhu Hu Guo He Lin Ma Gao Lu Loy Lee Jin Cun Nießner Giebenhain
Thies Dai Theobalt Cremers Rossi Bianchi Romano Dubois Martin Müller Schröder Weiß Søren Lund Nyström
García Fernández López Tanaka Suzuki Takahashi Kim Park Choi Sharma Patel Gupta Hassan Khan Ivanov
Petrov Smirnova Kowalski Nowak Andersen Larsen Smith Johnson Brown Davis Miller Wilson Taylor Girshick
Dollár Efros Darrell Malik Belongie Perona Vedaldi Ferrari Schmid Ponce Bach Schiele Matas Koltun Tang
Lin Torralba Freeman Durand Isola Zhu Tulyakov Wetzstein Kanazawa Pavlakos Black Tzionas Gehler""".split()

T_PREFIX = """Neural Implicit Sparse Dense Efficient Robust Generalizable Unsupervised Self-Supervised
Weakly-Supervised Few-Shot Zero-Shot Open-Vocabulary Multi-Modal Cross-Modal Hierarchical Adaptive
Progressive Contrastive Diffusion-Based Transformer-Based Learnable Scalable Lightweight Temporal
Spatio-Temporal Controllable Disentangled Probabilistic Equivariant Masked Continual""".split()
T_THING = """Radiance Fields|Gaussian Splatting|Video Captioning|Image Synthesis|Face Reenactment|Talking Head
Generation|Deepfake Detection|Point Cloud Registration|Semantic Segmentation|Object Detection|Pose
Estimation|Depth Estimation|Optical Flow|Scene Graph Generation|Visual Place Recognition|Text-to-Image
Generation|Image Editing|Super-Resolution|Domain Adaptation|Visual Grounding|Action Recognition|Person
Re-Identification|Avatar Reconstruction|Motion Retargeting|Layout Generation|Image Inpainting|Style
Transfer|3D Shape Completion|Novel View Synthesis|Video Prediction|Anomaly Detection|Image Retrieval|Hand
Mesh Recovery|Lane Detection|Instance Segmentation|Visual Question Answering|Sign Language Translation""".replace(
    "\n", " "
).split("|")
T_HOW = """Uncertainty-Guided Self-Training|Knowledge Graph Augmented Transformers|Latent Diffusion|Masked
Autoencoders|Optimal Transport|Neural Parametric Heads|Implicit Templates|Contrastive Alignment|Learned
Priors|Hypernetworks|State Space Models|Vector Quantization|Graph Neural Networks|Attention Pooling|Score
Distillation|Prompt Tuning|Mixture of Experts|Cycle Consistency|Token Merging|Frequency Decomposition""".replace(
    "\n", " "
).split("|")
ACRONYM = "ABCDEFGHIKLMNOPRSTUVWXZ"

EN_SENT = [
    "We propose a novel framework for {thing} that leverages {how}.",
    "Existing methods for {thing} often fail under large appearance changes.",
    "Extensive experiments on {n} benchmarks show that our method outperforms the state of the art.",
    "The key insight is that {how} provides a strong inductive bias for {thing}.",
    "Our model runs at {n}0 frames per second on a single GPU while using {n}x less memory.",
    "We further introduce a dataset of over {n}000 annotated samples collected with a custom capture setup.",
    "Code and models will be made publicly available.",
    "To this end, we disentangle identity and expression in a shared latent space.",
    "Ablation studies confirm the contribution of each component.",
    "In addition, the approach generalizes to unseen categories without fine-tuning.",
    "This leads to sharper reconstructions and more stable training dynamics.",
    "We show that a simple yet strong baseline already closes most of the gap.",
]
ZH_SENT = [
    "任务：给定一个视频和一张图，生成对应人物的说话视频。",
    "本文提出了一种新的方法，在细节上面表现更好。",
    "想法：之前的方法只能拉近正样本和anchor的距离，而不能拉开负样本的距离。",
    "作者实验注意到，如果在self-attention之后归一化会干扰之后的风格注入。",
    "该检测器直接采用了其他论文中设计的关键点模块（keypoint estimator）。",
    "实验结果：在脸部表情和运动方面都优于现有模型。",
    "概述：基于CNN的生成模型不能考虑全局依赖，具有一定局限性。",
    "损失函数由感知损失、GAN损失和关键点损失三部分组成。",
    "《深度学习》一书中也讨论过类似的正则化思路，这里不再展开。",
    "老实说，这一部分我也没有完全看懂，以后再读。",
    "通过一个跨模态注意力模块（Cross-modal Attention Module）得到最终的特征图。",
    "训练时冻结了编码器，只微调解码器和映射网络。",
]
ZH_LIST = [
    "感知损失。选择不同的feature map作为输入。",
    "GAN损失。统计不同尺度上的损失。",
    "关键点损失。对于有效关键点的损失。",
    "增加多头注意力的head数量。",
    "将LN放在前面。",
    "修改了残差连接，如图所示。",
    "删除了最后的全连接层。",
    "数据增强：随机裁剪与颜色抖动。",
]
TAGS = ["CVPR2023", "diffusion", "GAN", "NeRF", "talking-head", "deepfake", "transformer", "3D", "video", "survey"]
NOTE_TOPICS = ["生成模型", "扩散模型", "三维重建", "人脸生成", "深度伪造检测", "视频理解", "跨模态生成", "神经辐射场"]
SYMS = [
    "x",
    "y",
    "z",
    "w",
    "h",
    "u",
    "v",
    "s",
    "t",
    "\\theta",
    "\\phi",
    "\\psi",
    "\\mu",
    "\\sigma",
    "\\alpha",
    "\\beta",
]
CALS = ["\\mathcal{L}", "\\mathcal{D}", "\\mathcal{F}", "\\mathbf{I}", "\\mathbf{x}", "\\mathbf{W}", "\\hat{x}"]
COMMON_MATH = ["F_g", "L_0", "\\|.\\|_0", "f_{\\theta}", "x_{d,n}", "\\lambda", "T^{\\top}"]
CODE = [
    "python",
    "import torch\n\ndef loss_fn(pred, target, weight={w}):\n    return weight * torch.mean((pred - target) ** 2)\n",
]


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    # -- papers ------------------------------------------------------------------
    def author_pool(self, papers: int) -> list[str]:
        names = sorted({f"{g} {s}" for g in GIVEN for s in SURNAMES})
        size = min(len(names), max(60, papers * 3 // 2))
        return self.rng.sample(names, size)

    def title(self) -> str:
        r = self.rng
        short = "".join(r.choice(ACRONYM) for _ in range(r.randint(3, 6)))
        if r.random() < 0.5:
            short = short[0] + short[1:].lower() + r.choice(["", "Net", "Former", "GAN", "NeRF", "-3D"])
        pattern = r.randrange(4)
        if pattern == 0:
            return f"{short}: {r.choice(T_PREFIX)} {r.choice(T_THING)} with {r.choice(T_HOW)}"
        if pattern == 1:
            return f"{r.choice(T_PREFIX)} {r.choice(T_THING)} via {r.choice(T_HOW)}"
        if pattern == 2:
            return f"Towards {r.choice(T_PREFIX)} {r.choice(T_THING)} in the Wild ({short})"
        return f"{short}: Learning {r.choice(T_PREFIX)} {r.choice(T_THING)} from {r.choice(T_HOW)}"

    def titles(self, count: int) -> list[str]:
        seen: set[str] = set()
        out: list[str] = []
        while len(out) < count:
            t = self.title()
            key = "".join(ch for ch in t.casefold() if ch.isalnum())
            if key not in seen:
                seen.add(key)
                out.append(t)
        return out

    def en_sentence(self) -> str:
        r = self.rng
        return r.choice(EN_SENT).format(thing=r.choice(T_THING).lower(), how=r.choice(T_HOW).lower(), n=r.randint(2, 9))

    def abstract_lines(self) -> list[str]:
        """First line plus column-0 continuation lines split by stray IEEE markup (~15% of abstracts)."""
        r = self.rng
        text = " ".join(self.en_sentence() for _ in range(r.randint(5, 9)))
        if r.random() >= 0.15:
            return [text]
        words = text.split(" ")
        cut = r.randint(5, max(6, len(words) - 5))
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        kind = r.randrange(3)
        if kind == 0:
            sup = f"<sup {XMLNS}>1</sup>"
            return [head, sup, sup, tail]
        if kind == 1:
            return [head + " ", f"<tex {XMLNS}>$R^{{{r.randint(2, 9)}}}$</tex>", " " + tail]
        return [head, f"<inf {XMLNS}>2</inf>", tail]

    def paper_file(self, page: int, pages: int, titles: list[str], authors: list[str], first_index: int) -> str:
        r = self.rng
        blocks: list[str] = []
        for k, title in enumerate(titles):
            idx = first_index + k
            names = ", ".join(r.sample(authors, min(len(authors), r.randint(2, 8))))
            doi = f"https://doi.org/10.1109/CVPR52729.2023.{idx + 13:05d}"
            abstract = self.abstract_lines()
            head = "" if k == 0 else IND
            lines = [
                f"{head}## [{idx}] {title}",
                "",
                f"{IND}**Authors**: *{names}*",
                "",
                f"{IND}**Conference**: *cvpr 2023*",
                "",
                f"{IND}**URL**: [{doi}]({doi})",
                "",
                f"{IND}**Abstract**:",
                "",
                IND + abstract[0],
                *abstract[1:],
                "",
                f"{IND}----",
                "",
            ]
            blocks.append("\n".join(lines))
        nav = []
        if page > 0:
            nav.append(f"[Go to the previous page](CVPR-2023-list{page - 1:02d}.md)")
        if page < pages - 1:
            nav.append(f"[Go to the next page](CVPR-2023-list{page + 1:02d}.md)")
        nav.append("[Go to the catalog section](README.md)")
        return "\n".join(blocks) + "\n" + IND + "\n\n" + "\n\n".join(nav)

    # -- notes -------------------------------------------------------------------
    def inline_math(self) -> str:
        r = self.rng
        if r.random() < 0.2:
            return r.choice(COMMON_MATH)
        a, b = r.choice(SYMS), r.choice(SYMS)
        return r.choice(
            [
                f"{a}_{{{r.randint(0, 99)}}}",
                f"{a}^{{{r.randint(2, 9)}}} + {b}_{{i,{r.randint(1, 50)}}}",
                f"\\lambda_{{{r.randint(1, 30)}}} = {r.randint(1, 999) / 100}",
                f"f_{{{a}}}({b}) \\in \\mathbb{{R}}^{{{r.randint(2, 1024)}}}",
                f"{r.choice(CALS)}_{{{a}}}",
            ]
        )

    def display_math(self) -> str:
        r = self.rng
        rows = []
        for _ in range(r.randint(2, 4)):
            c, a, b = r.choice(CALS), r.choice(SYMS), r.choice(SYMS)
            rows.append(
                r.choice(
                    [
                        f"& +\\lambda_{{{r.randint(1, 20)}}} {c}_{{{a}}}\\left({b}_{{i}}, \\hat{{{b}}}_{{{r.randint(0, 40)}}}\\right)",
                        f"& \\sum_{{i=1}}^{{{r.choice('NKMT')}}} w_{{i {r.randint(1, 9)}}} \\cdot e^{{{a}_i \\cdot {b}_j / \\beta}}",
                        f"& \\left\\|{c}_{{{a}}} - {b}_{{{r.randint(0, 99)}}}\\right\\|_{r.randint(1, 2)}^{r.randint(1, 3)}",
                        f"& \\mathbb{{E}}_{{{a} \\sim p_{{{r.randint(0, 9)}}}}}\\left[\\log D({b})\\right]",
                    ]
                )
            )
        rows[0] = f"{r.choice(CALS)}_{{{r.randint(0, 999)}}}= " + rows[0]
        return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"

    def zh_paragraph(self) -> str:
        r = self.rng
        parts = [r.choice(ZH_SENT) for _ in range(r.randint(1, 4))]
        if r.random() < 0.7:
            parts.insert(r.randrange(len(parts) + 1), f"其中${self.inline_math()}$表示第{r.randint(1, 9)}个特征，")
        return "".join(parts)

    def section(self, title: str, with_code: bool) -> str:
        r = self.rng
        out = [f"## {title}", "", self.zh_paragraph(), ""]
        if r.random() < 0.3:
            out += [self.en_sentence() + " " + self.en_sentence(), ""]
        out += ["损失函数：", self.display_math(), ""]
        items = r.sample(ZH_LIST, r.randint(2, 4))
        out += [
            f"{i}. {item}含${self.inline_math()}$。" if r.random() < 0.4 else f"{i}. {item}"
            for i, item in enumerate(items, 1)
        ] + [""]
        if r.random() < 0.5:
            out += ["### Method", "", self.zh_paragraph(), "", f"- {r.choice(ZH_LIST)}", f"- {r.choice(ZH_LIST)}", ""]
        if r.random() < 0.4:
            out += [r.choice(["****", "*****", "----"]), self.zh_paragraph(), ""]
        if with_code:
            out += ["```" + CODE[0], CODE[1].format(w=r.randint(1, 99) / 10).rstrip("\n"), "```", ""]
        if r.random() < 0.5:
            out += [self.display_math(), ""]
        out += [self.zh_paragraph(), ""]
        return "\n".join(out)

    def note(self, number: int, titles: list[str]) -> str:
        r = self.rng
        date = dt.date(2021, 1, 1) + dt.timedelta(days=r.randrange(4 * 365))
        tags = sorted(r.sample(TAGS, r.randint(1, 3)))
        picked = (
            r.sample(titles, min(len(titles), r.randint(3, 6)))
            if titles
            else [self.title() for _ in range(r.randint(3, 6))]
        )
        code_at = r.randrange(len(picked))
        head = [
            "---",
            f"title: CVPR2023 {r.choice(NOTE_TOPICS)}论文笔记 {number:04d}",
            f"date: {date.isoformat()}",
            f"tags: [{', '.join(tags)}]",
            "---",
            "",
            "[TOC]",
            "",
            "# CVPR2023",
            "",
        ]
        body = [self.section(t, i == code_at) for i, t in enumerate(picked)]
        return "\n".join(head) + "\n" + "\n\n".join(body)


def generate(target: Path, notes: int, papers: int, seed: int = 0) -> None:
    """Write a complete site source folder into `target` (created; existing files overwritten)."""
    target = Path(target)
    (target / "notes").mkdir(parents=True, exist_ok=True)
    (target / "papers").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SITE_YAML, target / "site.yaml")
    gen = _Gen(seed)
    authors = gen.author_pool(papers)
    titles = gen.titles(papers)
    pages = (papers + RECORDS_PER_FILE - 1) // RECORDS_PER_FILE
    for page in range(pages):
        chunk = titles[page * RECORDS_PER_FILE : (page + 1) * RECORDS_PER_FILE]
        text = gen.paper_file(page, pages, chunk, authors, page * RECORDS_PER_FILE)
        (target / "papers" / f"cvpr-2023-list{page:02d}.md").write_text(text, encoding="utf-8")
    for number in range(1, notes + 1):
        (target / "notes" / f"note-{number:04d}.md").write_text(gen.note(number, titles) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic site source folder.")
    parser.add_argument("out", type=Path, help="folder to write (site.yaml, notes/, papers/)")
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.out, args.notes, args.papers, args.seed)
    print(f"wrote {args.notes} notes and {args.papers} papers to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
