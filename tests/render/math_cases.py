"""The math corpus of test_math_conventions.py: every delimiter convention notes are written in.

A pool of real loss functions (GAN, diffusion, contrastive, detection) is put into Chinese/English prose
templates once per convention.  Each `Case` says which formulas must be found, byte for byte, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from textwrap import indent

CONVENTIONS = (
    "dollar", "padded", "currency", "display_lines", "double_inline", "triple",
    "paren", "bracket", "environment", "blockquote", "list", "table",
)  # fmt: skip
OVERRIDES = ("tex", "kramed")  # the `convention=` / `math=` values other than "auto"


@dataclass(frozen=True)
class Case:
    id: str  # "<convention>-<nn>"
    text: str
    formulas: tuple[tuple[str, bool], ...]  # (tex, display) in document order
    math: str = "auto"
    lines: tuple[int, ...] = ()  # each formula's .line, when the case checks it
    visible: tuple[str, ...] = ()  # text that must stay visible (dollars allowed); empty: no `$` visible
    inside: str = ""  # a tag every math element must be inside ("li", "td", "blockquote")
    in_text: bool = False  # display math inside a paragraph: its element need not be a <div>
    unsupported: bool = False  # KaTeX has no such environment: an error box, not a KaTeX rendering


INLINE = [
    r"\mathcal{L}_{adv} = \mathbb{E}_{x\sim p_{data}}[\log D(x)] + \mathbb{E}_{z\sim p_z}[\log(1 - D(G(z)))]",
    r"\min_G \max_D V(D, G)",
    r"\mathcal{L}_{rec} = \|x - G(E(x))\|_1",
    r"\|x\|_2^2",
    r"\mathcal{L}_{simple} = \mathbb{E}_{t, x_0, \epsilon}\left[\|\epsilon - \epsilon_\theta(x_t, t)\|_2^2\right]",
    r"x_t = \sqrt{\bar{\alpha}_t}\, x_0 + \sqrt{1 - \bar{\alpha}_t}\, \epsilon",
    r"q(x_t \mid x_{t-1}) = \mathcal{N}(x_t; \sqrt{1-\beta_t}\, x_{t-1}, \beta_t \mathbf{I})",
    r"\mathcal{L}_{NCE} = -\log \frac{\exp(q \cdot k_+ / \tau)}{\sum_{i=0}^{K} \exp(q \cdot k_i / \tau)}",
    r"\sum_{i=1}^{N} w_i \mathcal{L}_i",
    r"\lambda_{gp} \mathbb{E}_{\hat{x}}\left[(\|\nabla_{\hat{x}} D(\hat{x})\|_2 - 1)^2\right]",
    "x_{d,n}，n-第n个关键点，d表示时刻",
    r"f_{LRA}，f_{\theta}",
    r"\text{总损失}=\mathcal{L}_{GAN}+\lambda\mathcal{L}_{L1}",
    r"D_{KL}(q_\phi(z \mid x) \,\|\, p(z))",
    r"\theta^* = \arg\min_\theta \mathcal{L}(\theta)",
    r"z^* = \arg\min_z \|G(z) - x\|_2^2",
    r"y = k * x + n",
    r"\mathcal{L}_{perc} = \sum_{l} \frac{1}{C_l H_l W_l} \|\phi_l(\hat{y}) - \phi_l(y)\|_1",
    r"\sigma(\cdot)",
    r"\mathbf{w}_i^{c_k}=\mathrm{pSp}\left(x_i^{c_k}\right)",
    r"\mathrm{SSIM}(x, y) = \frac{(2\mu_x\mu_y + c_1)(2\sigma_{xy} + c_2)}{(\mu_x^2 + \mu_y^2 + c_1)(\sigma_x^2 + \sigma_y^2 + c_2)}",
    r"\mathrm{PSNR} = 10 \log_{10} \frac{\mathit{MAX}_I^2}{\mathrm{MSE}}",
    r"\mathcal{L}_{cyc} = \mathbb{E}_{x}\left[\|F(G(x)) - x\|_1\right]",
    r"s_\theta(x, t) \approx \nabla_x \log p_t(x)",
    r"p_\theta(x_{0:T}) = p(x_T) \prod_{t=1}^{T} p_\theta(x_{t-1} \mid x_t)",
    r"\epsilon \sim \mathcal{N}(0, \mathbf{I})",
    r"\mathcal{L}_{triplet} = \max(0, d(a, p) - d(a, n) + m)",
    r"\mathcal{L}_{CE} = -\sum_{c=1}^{C} y_c \log \hat{y}_c",
    r"\mathcal{L}_{focal} = -\alpha_t (1 - p_t)^\gamma \log(p_t)",
    r"\mathcal{L}_{dice} = 1 - \frac{2\sum_i p_i g_i}{\sum_i p_i + \sum_i g_i}",
    r"\mathcal{L}_{R1} = \frac{\gamma}{2}\mathbb{E}_{x\sim p_{data}}\left[\|\nabla D(x)\|^2\right]",
    r"\mathcal{L}_{KD} = \tau^2 \, \mathrm{KL}(p_s^\tau \,\|\, p_t^\tau)",
    r"\mathrm{IoU} = \frac{|A \cap B|}{|A \cup B|}",
    r"\mathcal{L} = \mathcal{L}_{cls} + \alpha \mathcal{L}_{box} + \beta \mathcal{L}_{mask}",
    r"0 < \beta_1 < \beta_2 < \dots < \beta_T < 1",
    r"\sum_{\substack{j=1 \\ j \neq i}}^{2N} \exp(s_{ij} / \tau)",
    r"\text{其中 } \lambda_{1} = 0.5，\lambda_{2} = 10",
    r"\hat{\mathbf{w}}_i^{c_m}",
    r"\boldsymbol{A} \mathbf{n}_i",
    r"\|\cdot\|_F^2",
    r"\Delta \mathrm{w}_i^{i r}",
    r"G^* = \arg\min_G \max_D \mathcal{L}_{cGAN}(G, D) + \lambda \mathcal{L}_{L1}(G)",
    r"\mathbf{A}^{*} \mathbf{B}^{*}",
    r"\mathcal{L}_{Dreg} = \frac{1}{2} \left\| \nabla D(x) \right\|_2^2",
    "F_g",
    "w_s",
    "j_{masked}",
]
TABLE_SAFE = [f for f in INLINE if "|" not in f]  # a `|` would end the table cell

BODIES = [  # multi-line display math, as written between the delimiters (indentation is part of the TeX)
    "\\begin{aligned}\n\\mathcal{L}_{D} &= -\\mathbb{E}_{x\\sim p_{data}}\\left[\\log D(x)\\right] \\\\\n"
    "  &\\quad - \\mathbb{E}_{z\\sim p_z}\\left[\\log\\left(1 - D(G(z))\\right)\\right]\n\\end{aligned}",
    "\\begin{aligned}\n\\mathcal{L}_{vlb} &= \\mathcal{L}_0 + \\mathcal{L}_1 + \\dots + \\mathcal{L}_T \\\\\n"
    "\\mathcal{L}_{t-1} &= D_{KL}\\left(q(x_{t-1} \\mid x_t, x_0) \\,\\|\\, p_\\theta(x_{t-1} \\mid x_t)\\right)\n"
    "\\end{aligned}",
    "\\mathcal{L}_{i,j} = -\\log \\frac{\\exp(\\mathrm{sim}(z_i, z_j) / \\tau)}\n"
    "{\\sum_{k=1}^{2N} \\mathbf{1}_{[k \\neq i]} \\exp(\\mathrm{sim}(z_i, z_k) / \\tau)}",
    "\\mathcal{L}_{mask}(p) =\n\\begin{cases}\n  -\\log p, & \\text{若像素属于前景}，\\\\\n"
    "  -\\log (1 - p), & \\text{否则}\n\\end{cases}",
    "\\begin{aligned}\n\\mathcal{L}_{total} &= \\mathcal{L}_{rec} + \\lambda_{1} \\mathcal{L}_{adv} \\\\\n"
    "&+ \\lambda_{2} \\mathcal{L}_{perc}, \\quad \\text{其中 } \\lambda_{1} = 10，\\lambda_{2} = 1\n\\end{aligned}",
    "\\log p_\\theta(x) \\geq \\mathbb{E}_{q_\\phi(z \\mid x)}\\left[\\log p_\\theta(x \\mid z)\\right]\n"
    "  - D_{KL}\\left(q_\\phi(z \\mid x) \\,\\|\\, p(z)\\right)",
    "\\mathbf{K} = \\begin{bmatrix}\nf_x & 0 & c_x \\\\\n0 & f_y & c_y \\\\\n0 & 0 & 1\n\\end{bmatrix}",
    "\\begin{aligned}\nx_{d,n} &= \\mathrm{KP}(I_d)，n-第n个关键点 \\\\\n"
    "F_w &= \\mathcal{W}(F, \\{x_{d,n}\\}_{n=1}^{N})\n\\end{aligned}",
    "\\mathcal{L} = \\underbrace{\\mathbb{E}_{\\tilde{x}\\sim \\mathbb{P}_g}[D(\\tilde{x})]"
    " - \\mathbb{E}_{x\\sim \\mathbb{P}_r}[D(x)]}_{\\text{原始判别器损失}} \\\\\n"
    "  + \\lambda \\mathbb{E}_{\\hat{x}}\\left[(\\|\\nabla_{\\hat{x}} D(\\hat{x})\\|_2 - 1)^2\\right]",
    "\\mathcal{L}_{perc} = \\sum_{l=1}^{L} \\frac{1}{C_l H_l W_l}\n"
    "  \\left\\| \\phi_l(\\hat{y}) - \\phi_l(y) \\right\\|_1",
    "\\begin{aligned}\n\\mathcal{L}_{DSM} &= \\mathbb{E}_{t}\\Big\\{\\lambda(t)\\,\\mathbb{E}_{x_0}"
    "\\mathbb{E}_{x_t \\mid x_0}\\big[ \\\\\n"
    "  &\\qquad \\|s_\\theta(x_t, t) - \\nabla_{x_t} \\log p_{0t}(x_t \\mid x_0)\\|_2^2\\big]\\Big\\}\n\\end{aligned}",
    "\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\left(\\frac{Q K^{\\top}}{\\sqrt{d_k}}\\right) V, \\\\\n"
    "Q = W_Q\\, x，K = W_K\\, x，V = W_V\\, x",
]
# A lazy continuation line may not look like a list item or quote, or it would end the paragraph.
LAZY_SAFE = [b for b in BODIES if not any(re.match(r"\s*([-+*>#]|\d+[.)])\s", x) for x in b.split("\n"))]
ROWS = [  # rows of align-like environments (gather and multline drop the `&`)
    [r"\mathcal{L}_{G} &= -\mathbb{E}_{z\sim p_z}[\log D(G(z))]", r"\mathcal{L}_{D} &= -\mathbb{E}_{x}[\log D(x)]"],
    [r"x_t &= \sqrt{\bar{\alpha}_t}\, x_0 + \sqrt{1 - \bar{\alpha}_t}\, \epsilon",
     r"\mathcal{L}_{simple} &= \|\epsilon - \epsilon_\theta(x_t, t)\|_2^2"],
    [r"\mathcal{L}_{total} &= \mathcal{L}_{rec} + \lambda_{1}\mathcal{L}_{adv}",
     r"&\quad + \lambda_{2}\mathcal{L}_{perc}，\text{其中 } \lambda_{1} = 10"],
    [r"q &= f_q(x^q)", r"k_+ &= f_k(x^{k_+})",
     r"\mathcal{L}_q &= -\log \frac{\exp(q \cdot k_+ / \tau)}{\sum_{i=0}^{K}\exp(q \cdot k_i / \tau)}"],
]  # fmt: skip

PROSE = [  # one formula in a line of prose; text on at least one side of it
    "生成器的目标是最小化 {0}，判别器则相反。",
    "The reconstruction term {0} keeps the identity of the subject.",
    "其中{0}表示第 i 个样本的损失。",
    "训练时我们优化{0}，学习率设为 0.0002。",
    "We minimize {0} with Adam.",
    "（{0}）是正则项，权重较小。",
    "作者把 {0} 称为对比损失",
    "{0} 是本文的核心公式。",
    "Note that {0}.",
    "在第二阶段，损失变为：{0}，并冻结编码器。",
    "The KL term, {0}, is annealed from 0 to 1.",
    "论文 (CVPR 2022) 用 {0} 约束潜变量",
]
PAIRS = [
    "{0} 和 {1} 分别是生成器和判别器的损失。",
    "where {0} is the weight of {1}.",
    "令{0}，则{1}。",
    "Both {0} and {1} are computed per pixel.",
]
LEAD = ["判别器的损失为：", "The denoising objective is", "对比损失定义如下：", "Formally,"]
TAIL = [
    "其中 τ 是温度系数。",
    "where the expectation is over the data.",
    "这里省略了常数项。",
    "and is minimized jointly.",
]

CASES: list[Case] = []


def add(group: str, text: str, formulas, **kw) -> None:
    number = sum(c.id.rsplit("-", 1)[0] == group for c in CASES) + 1
    math = group if group in OVERRIDES else "auto"
    CASES.append(Case(f"{group}-{number:02d}", text, tuple(formulas), math, **kw))


def block(open_: str, body: str, close: str) -> tuple[str, str]:
    """Delimiters on their own lines around body: (source, the tex between the delimiters)."""
    return f"{open_}\n{body}\n{close}", f"\n{body}\n"


def env(name: str, rows: list[str], pad: str = "") -> str:
    return f"\\begin{{{name}}}\n" + " \\\\\n".join(pad + r for r in rows) + f"\n\\end{{{name}}}"


def quote(text: str, marker: str = "> ") -> str:
    return "\n".join(marker + line for line in text.split("\n"))


def inline_group(group: str, open_: str, close: str, count: int) -> None:
    """count formulas alone in prose, then pairs: the formulas written between open_ and close."""
    for i, f in enumerate(INLINE[:count]):
        add(group, PROSE[i % len(PROSE)].format(open_ + f + close), [(f, False)])
    for i in range(4):
        a, b = INLINE[2 * i + 13], INLINE[-1 - i]
        add(group, PAIRS[i].format(open_ + a + close, open_ + b + close), [(a, False), (b, False)])
    text = f"第一行没有公式，\n第二行有 {open_}L_0{close}，\n第三行有 {open_}w_s{close}。"
    add(group, text, [("L_0", False), ("w_s", False)], lines=(2, 3))


def display_group(group: str, open_: str, close: str) -> None:
    """Display delimiters on their own lines, glued to prose, after a paragraph, and on one line."""
    for body in BODIES:
        text, tex = block(open_, body, close)
        add(group, text, [(tex, True)], lines=(1,))
    for i, body in enumerate(BODIES):
        text, tex = block(open_, body, close)
        add(group, f"{LEAD[i % 4]}\n{text}\n{TAIL[i % 4]}", [(tex, True)], lines=(2,))
    for i, f in enumerate(INLINE[:4]):
        text, tex = block(open_, f, close)
        add(group, f"{TAIL[i]}\n\n{text}", [(tex, True)], lines=(3,))
    for f in INLINE[10:20]:
        add(group, open_ + f + close, [(f, True)])
    for f in INLINE[20:24]:
        add(group, f"{open_} {f} {close}", [(f" {f} ", True)])


# -- the twelve conventions of math="auto" ---------------------------------------------------------------------

inline_group("dollar", "$", "$", 34)
add("dollar", "## 对抗损失 $\\mathcal{L}_{adv}$\n\n正文。", [(r"\mathcal{L}_{adv}", False)])
add("dollar", "where $\\|.\\|_0$ is the $L_0$ constraint on $\\boldsymbol{A}$.",
    [(r"\|.\|_0", False), ("L_0", False), (r"\boldsymbol{A}", False)])  # fmt: skip
add("dollar", "最优解 $\\theta^*$ 与 $x^*$ 无关。", [(r"\theta^*", False), ("x^*", False)])

for i, f in enumerate(INLINE[:34]):
    add("padded", PROSE[i % len(PROSE)].format(f"$ {f} $"), [(f" {f} ", False)])
for i in range(6):
    a, b = INLINE[i + 20], INLINE[-2 - i]
    left, right = (f" {a} ", b) if i % 3 == 0 else (a, f" {b} ") if i % 3 == 1 else (f" {a} ", f" {b} ")
    add("padded", PAIRS[i % 4].format(f"${left}$", f"${right}$"), [(left, False), (right, False)])
add("padded", "$ a $ 和 $b_i$", [(" a ", False), ("b_i", False)])
add("padded", "$ \\mathcal{L} $ 是损失，\n$w_i$ 是权重，$ \\lambda $ 是系数",
    [(r" \mathcal{L} ", False), ("w_i", False), (r" \lambda ", False)], lines=(1, 2, 2))  # fmt: skip

PRICES = [  # (text, what stays visible)
    ("It costs $5 and $10 today.", "$5 and $10"),
    ("花了 $3.50，或者 $4。", "$3.50，或者 $4"),
    ("US$100 per GPU hour", "US$100"),
    ("价格在 $5-$10 之间", "$5-$10"),
    (r"用 \$x\$ 写出美元符号", "$x$"),
    ("A100 costs $1.2/hour, V100 $0.8/hour.", "$1.2/hour, V100 $0.8/hour"),
    ("训练成本约 $500，推理成本约 $50。", "$500，推理成本约 $50"),
    ("From $5 to $10 per month.", "$5 to $10"),
    ("$5/$10 两档订阅", "$5/$10"),
    ("花了$3.50，或者$4。", "$3.50，或者$4"),
    ("the $1,000 and $2,000 tiers", "$1,000 and $2,000"),
    ("costs 100$ and 200$ per run", "100$ and 200$"),
    ("预算是 5$ 或者 10$", "5$ 或者 10$"),
    ("$20, $30, or $40", "$20, $30, or $40"),
    ("HK$50 和 NT$200", "HK$50 和 NT$200"),
    ("Save $5!", "$5!"),
    ("$1.5M 的融资", "$1.5M"),
    ("between $3 and $4 each", "$3 and $4"),
    ("单价 $0.02，总价 $20", "$0.02，总价 $20"),
    (r"转义的 \$5 和 \$10", "$5 和 $10"),
    (r"\$\alpha\$ 不是公式", r"$\alpha$"),
    ("$5 off, $10 off", "$5 off, $10 off"),
    ("It was $5; now it is $7.", "$5; now it is $7"),
    ("月费 $9.99，年费 $99", "$9.99，年费 $99"),
    ("The $5 model and the $10 model", "$5 model and the $10 model"),
    ("pay $5 (or $6 with tax)", "$5 (or $6 with tax)"),
    ("costs $5", "$5"),
    ("云服务器 $0.5 一小时，\n一天约 $12。", "$12"),
]
for text, shown in PRICES:
    add("currency", text, [], visible=(shown,))
MIXED = [  # (template, what stays visible): the math comes first, or after a price and a space (Pandoc)
    ("{0} costs $5", "costs $5"),
    ("{0} 的训练花了 $300。", "花了 $300"),
    ("Computing {0} costs $5 and $10 on A100.", "costs $5 and $10"),
    ("用 {0} 训练一次约 $2.5", "约 $2.5"),
    ("{0}，成本 US$100", "US$100"),
    ("{0} 与 $5-$10 的预算", "$5-$10"),
    ("A $5 GPU computes {0}.", "A $5 GPU"),
    ("花了 $3.50，得到 {0}", "$3.50，得到"),
    ("The $1,000 cluster optimizes {0} overnight.", "$1,000 cluster"),
]
for i, (template, shown) in enumerate(MIXED + MIXED[:5]):
    f = INLINE[i * 3]
    add("currency", template.format(f"${f}$"), [(f, False)], visible=(shown,))

display_group("display_lines", "$$", "$$")
for f in INLINE[24:27]:  # alone on its line, glued to prose lines: still display
    add("display_lines", f"{LEAD[0]}\n$$ {f} $$\n{TAIL[0]}", [(f" {f} ", True)], lines=(2,))
add("display_lines", "$$\na\n$$\n$$\nb\n$$\n\n$$c$$", [("\na\n", True), ("\nb\n", True), ("c", True)], lines=(1, 4, 8))

for i, f in enumerate(INLINE[:36]):
    add("double_inline", PROSE[i % len(PROSE)].format(f"$${f}$$"), [(f, False)])
for i in range(4):
    a, b = INLINE[i + 30], INLINE[i + 3]
    add("double_inline", PAIRS[i].format(f"$${a}$$", f"$${b}$$"), [(a, False), (b, False)])
add("double_inline", "$$F_g$$ 和 $w_s$ 都是内联的", [("F_g", False), ("w_s", False)])
add("double_inline", "损失 $$ \\mathcal{L}_{rec} $$ 很重要", [(r" \mathcal{L}_{rec} ", False)])

display_group("triple", "$$$", "$$$")

inline_group("paren", "\\(", "\\)", 34)
add("paren", "其中 \\( \\mathcal{L}_{adv} \\) 是对抗损失", [(r" \mathcal{L}_{adv} ", False)])
add("paren", "混用 \\(F_g\\) 与 $w_s$ 也可以", [("F_g", False), ("w_s", False)])

display_group("bracket", "\\[", "\\]")

ENVIRONMENTS = ["equation", "equation*", "align", "align*", "gather", "gather*"]
for k, name in enumerate(ENVIRONMENTS):
    rows = [INLINE[k * 6 + j] for j in range(4)] if name.startswith("equation") else ROWS[k % 4]
    if name.startswith("gather"):
        rows = [r.replace("&", "") for r in rows]
    one = (lambda j: [rows[j]]) if name.startswith("equation") else (lambda j: rows)
    text = env(name, one(0))
    add("environment", text, [(text, True)], lines=(1,))
    text = env(name, one(1), pad="  ")
    add("environment", f"{LEAD[k % 4]}\n{text}", [(text, True)], lines=(2,))
    text = env(name, one(2))
    add("environment", f"{TAIL[k % 4]}\n\n{text}", [(text, True)], lines=(3,))
    text = env(name, one(3))
    add("environment", f"{LEAD[k % 4]}\n{text}\n{TAIL[k % 4]}", [(text, True)], lines=(2,))
    text = f"\\begin{{{name}}} " + " \\\\ ".join(one(0)) + f" \\end{{{name}}}"
    add("environment", text, [(text, True)])
    first, second = env(name, one(1)), env(name, one(2))
    add("environment", f"{first}\n{second}", [(first, True), (second, True)], lines=(1, 2 + first.count("\n")))
for body in (BODIES[0], BODIES[7]):
    text = env("equation", [body])
    add("environment", text, [(text, True)], lines=(1,))
for rows in ROWS[:3]:
    text = env("multline", [r.replace("&", "") for r in rows])
    add("environment", text, [(text, True)], lines=(1,), unsupported=True)

for body in BODIES:
    add("blockquote", quote(f"$$\n{body}\n$$"), [(f"\n{body}\n", True)], lines=(1,), inside="blockquote")
for i, body in enumerate(BODIES[:8]):
    text = quote(f"{LEAD[i % 4]}\n$$\n{body}\n$$\n{TAIL[i % 4]}")
    add("blockquote", text, [(f"\n{body}\n", True)], lines=(2,), inside="blockquote")
for body in LAZY_SAFE[:6]:  # lazy continuation lines
    add("blockquote", f"> $$\n{body}\n$$", [(f"\n{body}\n", True)], lines=(1,), inside="blockquote")
for body in BODIES[4:9]:
    add("blockquote", quote(quote(f"$$\n{body}\n$$")), [(f"\n{body}\n", True)], inside="blockquote")
for i, f in enumerate(INLINE[:6]):
    add("blockquote", quote(PROSE[i].format(f"${f}$")), [(f, False)], inside="blockquote")
for f in INLINE[40:42]:
    add("blockquote", quote(f"$$\n{f}\n$$", marker=">"), [(f"\n{f}\n", True)], inside="blockquote")
    add("blockquote", f"> ${f}$", [(f, False)], inside="blockquote")
add("blockquote", "> 判别器：\n>\n> $$F_g$$", [("F_g", True)], lines=(3,), inside="blockquote")

LISTS = [("- ", "  ", 6), ("1. ", "   ", 6), ("- ", "    ", 5), ("1. ", "    ", 5)]  # marker, indent, cases
for k, (marker, pad, count) in enumerate(LISTS):
    for body in BODIES[k : k + count]:
        text, tex = block("$$", body, "$$")
        add("list", f"{marker}{LEAD[k]}\n\n{indent(text, pad)}", [(tex, True)], lines=(3,), inside="li")
for k, (marker, pad, nxt) in enumerate([("- ", "  ", "- 下一项")] * 4 + [("1. ", "   ", "2. 下一项")] * 3):
    text, tex = block("$$", BODIES[k + 2], "$$")  # tight: directly under the item's text
    add("list", f"{marker}{LEAD[k % 4]}\n{indent(text, pad)}\n{nxt}", [(tex, True)], lines=(2,), inside="li")
for body in LAZY_SAFE[6:9]:  # lazy: not indented at all, right under the item
    add("list", f"1. {LEAD[1]}\n$$\n{body}\n$$\n\n2. 第二项", [(f"\n{body}\n", True)], lines=(2,), inside="li")
for i, f in enumerate(INLINE[:8]):
    add("list", ("- " if i % 2 else "1. ") + PROSE[i].format(f"${f}$"), [(f, False)], inside="li")
add("list", "1. 生成器\n\n   $$\n   G\n   $$\n\n2. 判别器\n\n   $$\n   D\n   $$", [("\nG\n", True), ("\nD\n", True)],
    lines=(3, 9), inside="li")  # fmt: skip

HEAD = "| 名称 | 公式 |\n| --- | --- |\n"
NAMES = ["对抗损失", "重建损失", "感知损失", "KL 散度", "对比损失", "去噪目标", "正则项"]
for i, f in enumerate(TABLE_SAFE[:30]):
    add("table", f"{HEAD}| {NAMES[i % 7]} | ${f}$ |", [(f, False)], lines=(3,), inside="td")
for i in range(5):
    a, b = TABLE_SAFE[i + 5], TABLE_SAFE[-1 - i]
    add("table", f"{HEAD}| 第一项 | ${a}$ |\n| 第二项 | ${b}$ |", [(a, False), (b, False)], lines=(3, 4), inside="td")
for i in range(3):
    a, b = TABLE_SAFE[i + 10], TABLE_SAFE[i + 20]
    add("table", f"{HEAD}| 组合 | ${a}$ 和 ${b}$ |", [(a, False), (b, False)], inside="td")
for f in TABLE_SAFE[30:32]:
    add("table", f"名称 | 公式\n--- | ---\n损失 | ${f}$", [(f, False)], inside="td")
    add("table", f"| 名称 | 公式 |\n|:---|:---:|\n| 损失 | ${f}$ |", [(f, False)], inside="td")
add("table", f"损失汇总如下：\n\n{HEAD}| 最优解 | $\\theta^*$、$x^*$ |", [(r"\theta^*", False), ("x^*", False)],
    lines=(5, 5), inside="td")  # fmt: skip

# -- math="tex": strict TeX / Pandoc ----------------------------------------------------------------------------

ADV = r"\mathcal{L}_{adv}"
add("tex", "$x_i$ 是输入，$y_i$ 是标签", [("x_i", False), ("y_i", False)])
add("tex", "其中 $ n $ 不是公式", [], visible=("$ n $",))
add("tex", "$ a $ 和 $b_i$", [("b_i", False)], visible=("$ a $",))
add("tex", f"损失 $${ADV}$$ 很重要", [(ADV, True)], in_text=True)
add("tex", f"The loss $$ {ADV} $$ is minimized.", [(f" {ADV} ", True)], in_text=True)
add("tex", f"其中 \\({ADV}\\) 是对抗损失", [(ADV, False)])
add("tex", "\\[\n" + BODIES[0] + "\n\\]", [("\n" + BODIES[0] + "\n", True)], lines=(1,))
add("tex", env("align*", ROWS[0]), [(env("align*", ROWS[0]), True)])
add("tex", "$$\n" + BODIES[1] + "\n$$", [("\n" + BODIES[1] + "\n", True)], lines=(1,))
add("tex", "It costs $5 and $10 today.", [], visible=("$5 and $10",))
add("tex", f"${ADV}$ costs $5", [(ADV, False)], visible=("costs $5",))
add("tex", f"\\[{ADV}\\]", [(ADV, True)])

# -- math="kramed": only double dollars (hexo-renderer-kramed) -----------------------------------------------------

add("kramed", "$x$ 保持原样", [], visible=("$x$",))
add("kramed", "单个 $n$ 和 $m$ 都不是公式", [], visible=("$n$ 和 $m$",))
add("kramed", f"损失 $${ADV}$$ 很重要", [(ADV, False)])
add("kramed", f"$${ADV}$$", [(ADV, True)])
add("kramed", f"$$ {ADV} $$", [(f" {ADV} ", True)])
add("kramed", "$$\n" + BODIES[2] + "\n$$", [("\n" + BODIES[2] + "\n", True)], lines=(1,))
add("kramed", "$$$\n" + BODIES[3] + "\n$$$", [("\n" + BODIES[3] + "\n", True)], lines=(1,))
add("kramed", f"$$${ADV}$$$", [(ADV, True)])
add("kramed", "$x$ 和 $$y_i$$", [("y_i", False)], visible=("$x$",))
add("kramed", "价格 $5 和 $10", [], visible=("$5 和 $10",))
add("kramed", "其中 $$a$$ 与 $$b$$ 是系数", [("a", False), ("b", False)])
add("kramed", quote("$$\n" + BODIES[4] + "\n$$"), [("\n" + BODIES[4] + "\n", True)], inside="blockquote")
