"""Titles and abstracts of the benchmark's synthetic papers (used by bench/papers_corpus.py).

Three vocabularies give the venues their look: ``vision`` (CVPR, part of the others), ``ml`` (ICLR, ICML,
NeurIPS) and ``ai`` (AAAI, IJCAI). An abstract is a run of sentences of the usual roles (context, problem,
proposal, method, experiments, results) up to a length drawn around 1.2 KB. A few carry inline ``$…$``
math (more in ``ml``), and ``with_ieee_markup`` splits some over column-0 lines of stray IEEE Xplore markup,
in the shapes seed 003 shows: doubled footnote marks before spliced-in text, ``1<sup>st</sup>``,
``PASCAL-5<sup>i</sup>``, ``<tex>$R^{2}$</tex>`` and ``L<inf>2</inf>``. Every function draws from the
corpus's one ``random.Random``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("\n", " ").split("|") if w.strip()]


@dataclass(frozen=True)
class Vocab:
    tasks: list[str]
    methods: list[str]
    data: list[str]
    metrics: list[str]
    math: float  # share of abstracts with inline $…$ math


ADJ = _words("""Neural|Implicit|Sparse|Dense|Efficient|Robust|Generalizable|Unsupervised|Self-Supervised|
Weakly-Supervised|Few-Shot|Zero-Shot|Open-Vocabulary|Multi-Modal|Cross-Modal|Hierarchical|Adaptive|Progressive|
Contrastive|Diffusion-Based|Transformer-Based|Learnable|Scalable|Lightweight|Temporal|Spatio-Temporal|Controllable|
Disentangled|Probabilistic|Equivariant|Masked|Continual|Federated|Causal|Interpretable|Fair|Private|Certified|
Decentralized|Distributionally Robust|Sample-Efficient|Uncertainty-Aware|Structure-Aware|Label-Efficient|Unified""")
VISION = Vocab(
    tasks=_words("""Radiance Fields|Gaussian Splatting|Video Captioning|Image Synthesis|Face Reenactment|
Talking Head Generation|Deepfake Detection|Point Cloud Registration|Semantic Segmentation|Object Detection|
Pose Estimation|Depth Estimation|Optical Flow|Scene Graph Generation|Visual Place Recognition|Text-to-Image
Generation|Image Editing|Super-Resolution|Domain Adaptation|Visual Grounding|Action Recognition|Person
Re-Identification|Avatar Reconstruction|Motion Retargeting|Layout Generation|Image Inpainting|Style Transfer|
3D Shape Completion|Novel View Synthesis|Video Prediction|Anomaly Detection|Image Retrieval|Hand Mesh Recovery|
Lane Detection|Instance Segmentation|Visual Question Answering|Sign Language Translation|Temporal Sentence
Grounding|Video-Text Retrieval|Monocular 3D Detection|Panoptic Segmentation|Image Deblurring|Low-Light
Enhancement|Crowd Counting|Gaze Estimation|Human-Object Interaction Detection|Trajectory Prediction"""),
    methods=_words("""Uncertainty-Guided Self-Training|Knowledge Graph Augmented Transformers|Latent Diffusion|
Masked Autoencoders|Optimal Transport|Neural Parametric Heads|Implicit Templates|Contrastive Alignment|Learned
Priors|Hypernetworks|State Space Models|Vector Quantization|Graph Neural Networks|Attention Pooling|Score
Distillation|Prompt Tuning|Mixture of Experts|Cycle Consistency|Token Merging|Frequency Decomposition|Deformable
Attention|Neural Radiance Caching|Vision-Language Pretraining|Feature Pyramids|Keypoint Transformers"""),
    data=_words("""COCO|ImageNet|KITTI|ScanNet|nuScenes|Cityscapes|ADE20K|Charades-STA|ActivityNet Captions|
VoxCeleb2|FFHQ|CelebA-HQ|DAVIS|YouTube-VOS|Waymo Open|ShapeNet|DTU|LLFF|Objaverse|MSR-VTT|PASCAL VOC|LVIS"""),
    metrics=_words("mIoU|AP|PSNR|FID|top-1 accuracy|Recall@1|mAP|NDS|LPIPS|EPE"),
    math=0.02,
)
ML = Vocab(
    tasks=_words("""Offline Reinforcement Learning|Multi-Armed Bandits|Stochastic Optimization|Causal Discovery|
Federated Learning|Graph Representation Learning|Language Model Alignment|Out-of-Distribution Generalization|
Differential Privacy|Bayesian Inference|Gaussian Processes|Neural Architecture Search|Continual Learning|
Meta-Learning|Imitation Learning|Density Estimation|Kernel Methods|Matrix Completion|Time Series Forecasting|
Adversarial Robustness|Representation Learning|Policy Optimization|Generative Modeling|Model Calibration|
Active Learning|Semi-Supervised Learning|Knowledge Distillation|Combinatorial Optimization|Symbolic Regression|
In-Context Learning|Instruction Tuning|Neural Network Pruning|Hyperparameter Optimization|Online Learning|
Partial AUC Optimization|Inverse Problems|Sequence Modeling|Set Prediction|Topic Modeling"""),
    methods=_words("""Score-Based Models|Normalizing Flows|Mirror Descent|Langevin Dynamics|Variational Inference|
Neural Tangent Kernels|Random Features|Implicit Differentiation|Energy-Based Models|Stochastic Gradient Descent|
Low-Rank Adaptation|Linear Attention|Graph Transformers|Message Passing|Conformal Prediction|Distributional
Critics|Successor Features|Contrastive Objectives|Spectral Methods|Sinkhorn Iterations|Gradient Clipping|
Sharpness-Aware Minimization|Mixture Models|Neural ODEs|Tensor Decompositions|Bilevel Optimization"""),
    data=_words("""CIFAR-10|CIFAR-100|ImageNet|MNIST|D4RL|MuJoCo|Atari|OGB|WikiText-103|GLUE|SuperGLUE|Procgen|
TUDataset|UCI|Meta-World|MiniImageNet|ETTh1|Electricity|Tiny-ImageNet|QM9|ZINC|Long Range Arena"""),
    metrics=_words("accuracy|regret|test error|log-likelihood|ECE|return|perplexity|AUROC|wall-clock time"),
    math=0.075,
)
AI = Vocab(
    tasks=_words("""Multi-Agent Path Finding|Knowledge Graph Completion|Automated Planning|Constraint Satisfaction|
Argumentation Frameworks|Recommender Systems|Traffic Forecasting|Fair Division|Social Choice|Entity Alignment|
Dialogue Generation|Named Entity Recognition|Fake News Detection|Answer Set Programming|Combinatorial Auctions|
Sentiment Analysis|Math Word Problems|Session-Based Recommendation|Molecular Property Prediction|Event Extraction|
Relation Extraction|Text Classification|Question Answering|Machine Translation|Click-Through Rate Prediction|
Spatio-Temporal Forecasting|Heterogeneous Graph Learning|Multi-Agent Reinforcement Learning|Peer-to-Peer Energy
Trading|Explainable AI|Table Structure Recognition|Code Clone Detection|Epidemic Forecasting|Vehicle Routing"""),
    methods=_words("""Large Language Models|Heterogeneous Graph Neural Networks|Monte Carlo Tree Search|Logic
Programming|Hypergraph Convolution|Prompt Learning|Curriculum Learning|Counterfactual Reasoning|Knowledge
Distillation|Probabilistic Soft Logic|Reinforcement Learning|Evolutionary Search|Retrieval Augmentation|Mean
Field Games|Integer Programming|Dual Attention|Capsule Networks|Neuro-Symbolic Reasoning|Auction Mechanisms"""),
    data=_words("""FB15k-237|WN18RR|MovieLens|Yelp|Amazon-Book|METR-LA|PeMS-BAY|CoNLL-2003|SQuAD|HotpotQA|ACE2005|
DocRED|Weibo|Twitter15|Gowalla|Criteo|MAPF benchmarks|IPC domains|Math23K|GSM8K|CLEVR"""),
    metrics=_words("F1|Hits@10|MRR|NDCG@10|AUC|BLEU|exact match|MAE|success rate|makespan"),
    math=0.035,
)
FIELDS = {"vision": VISION, "ml": ML, "ai": AI}
ACRONYM = "ABCDEFGHIKLMNOPRSTUVWXZ"
SUFFIX = ["", "", "", "Net", "Former", "GAN", "NeRF", "-3D", "++", "-X", "Diff", "GPT", "Bench"]
PROPS = _words("Expressive Power|Sample Complexity|Implicit Bias|Convergence|Robustness|Generalization|Stability")

OPEN = [
    "{Task} has attracted increasing attention in recent years owing to its wide range of applications.",
    "{Task} aims at {goal}, which is a fundamental problem in many real-world systems.",
    "Recent advances in {method} have led to remarkable progress in {task}.",
    "Despite the impressive progress of deep models, {task} remains challenging in practice.",
    "Existing approaches to {task} typically rely on large amounts of labelled data, which are costly to obtain.",
    "A growing body of work has studied {method} as a general tool for {task}.",
    "{Task} is a core capability of intelligent systems deployed in open and changing environments.",
    "Learning {task} models that remain reliable under {aspect} is a long-standing goal of the community.",
]
PROBLEM = [
    "However, most existing methods fail under large distribution shifts, since they ignore {aspect}.",
    "Unfortunately, current techniques either scale poorly with the input size or require {aspect}.",
    "This leads to error accumulation and unstable training, in particular when {aspect} is missing.",
    "Moreover, the lack of {aspect} makes it difficult to compare methods in a fair and reproducible way.",
    "Nonetheless, it is still unclear whether {method} actually helps, and under which conditions.",
    "Prior work mostly treats {aspect} and {aspect2} separately, which leads to sub-optimal solutions.",
    "As a result, the learned representations are brittle and transfer poorly to new {data} splits.",
    "These methods also incur a prohibitive computational cost that grows quadratically with the sequence length.",
]
PROPOSE = [
    "In this paper, we propose {name}, {a_adj} framework for {task} built on {method}.",
    "To address this issue, we present {name}, which combines {method} with {method2}.",
    "We introduce {name}, a simple yet effective approach that exploits {aspect} through {method}.",
    "To this end, we develop {name}, {a_adj} model that learns {aspect} directly from raw inputs.",
    "We revisit {method} from the perspective of {aspect} and derive {name}, a principled alternative.",
    "Our key observation is that {aspect} can be recovered from {aspect2}; building on it, we propose {name}.",
]
DETAIL = [
    "Specifically, we design {a_adj} module that aggregates {aspect} across multiple scales.",
    "The key insight is that {method} provides a strong inductive bias for {task}.",
    "We further introduce {a_adj2} objective that encourages the model to capture {aspect}.",
    "Our method first estimates {aspect} and then refines the prediction with {method2}.",
    "In addition, a lightweight head is attached to the backbone at negligible cost.",
    "We theoretically show that the proposed objective is a tight bound on the true risk under mild assumptions.",
    "Unlike prior work, {name} does not require {aspect2} at test time.",
    "A teacher-student scheme with weak-strong augmentation is used to suppress noisy supervisory signals.",
    "To reduce the memory footprint, we share parameters between the encoder and the decoder.",
    "The whole pipeline is trained end to end and runs at {n}0 frames per second on a single GPU.",
    "We construct a Bayesian variant whose uncertainty is used as a weight on each training signal.",
    "A dynamic routing mechanism assigns each token to one of {n} experts according to its content.",
    "We cast the problem as a bilevel program and solve the inner level in closed form.",
    "To stabilise training, the target network is updated with an exponential moving average of the weights.",
    "The resulting algorithm is parallelizable and enjoys a linear per-iteration complexity.",
    "We also provide a theoretical analysis showing that {name} converges to a stationary point.",
    "Our design decouples {aspect} from {aspect2}, which makes each part easier to learn.",
    "A memory bank of past features supplies hard negatives without enlarging the batch.",
    "We leverage the cycle consistency brought by data augmentation to perform mutual learning between two networks.",
    "At inference, a single forward pass suffices, and no test-time optimization is required.",
    "We further collect a dataset of over {n}000 annotated samples with a custom capture setup.",
    "The same architecture handles both {task} and {task2} without task-specific components.",
]
EXPERIMENT = [
    "Extensive experiments on {data} and {data2} demonstrate the effectiveness of the proposed method.",
    "We evaluate {name} on {n} public benchmarks, including {data} and {data2}.",
    "Comprehensive ablation studies confirm the contribution of each component.",
    "Experiments on {data} show that {name} generalizes to unseen categories without fine-tuning.",
    "We conduct experiments in both simulated and real-world settings, including {data}.",
]
RESULT = [
    "{name} outperforms the previous state of the art by {pct} {metric} on {data}.",
    "Our approach achieves {pct} higher {metric} than strong baselines while using {n}x fewer parameters.",
    "The results show consistent gains of {pct} in {metric} across all settings.",
    "Notably, {name} matches the performance of methods trained with {n}x more data.",
]
CLOSING = [
    "Code and models will be made publicly available.",
    "Code is available at https://github.com/{user}/{name}.",
    "We hope our findings will inspire future research on {task}.",
    "Our project page is at https://{user}.github.io/{name}.",
    "We release our implementation, pre-trained models and evaluation scripts.",
]
ASPECTS = _words("""temporal context|global dependencies|fine-grained alignment|geometric consistency|long-range
structure|label noise|domain knowledge|inter-class relations|local smoothness|causal structure|high-frequency
details|the underlying symmetry|uncertainty estimates|multi-view cues|the interaction between agents|the data
manifold|sparse rewards|missing modalities|class imbalance|spurious correlations|the graph topology|occlusions|
annotation noise|long-tailed distributions|the reward signal|privacy constraints|heterogeneous clients""")
GOALS = _words("""finding the moments that match a query|recovering the structure of the data|predicting future
states from past observations|aligning two sets of entities|producing faithful outputs from few examples""")
USERS = _words("vcg-lab|mlgroup|ai4sci|openmmlab-fan|kaist-ai|thu-ml|visionlab|hkust-nlp|snu-cv|ucb-rl")
MATH_SENT = [
    "We prove that {name} achieves a regret of ${m}$ after $T$ rounds.",
    "Our analysis yields a sample complexity of ${m}$, which matches the known lower bound.",
    "The proposed estimator is consistent whenever ${m}$, and we give a time complexity of ${m2}$.",
    "We derive a generalization bound of order ${m}$ for {method}.",
    "Given $k$ distributions $v_1, \\ldots, v_k$ over a domain of size $n$, we study ${m}$.",
]


def _math(r: random.Random) -> str:
    a, b = r.choice("dnkmTL"), r.randint(2, 9)
    return r.choice(
        [
            f"O(\\sqrt{{{a}T}})",
            f"\\tilde{{O}}({a}\\sqrt{{T}})",
            f"O(\\epsilon^{{-{b}}})",
            f"\\mathcal{{O}}({a} \\log {a})",
            "(\\varepsilon, \\delta)",
            f"\\ell_{{{b % 3}}}",
            f"{a} \\geq {b}",
            f"\\mathbb{{R}}^{{{a}}}",
            f"\\lambda_{{\\max}} < {b}",
            f"O(1/{a}^{{{b}}})",
        ]
    )


def acronym(r: random.Random) -> str:
    short = "".join(r.choice(ACRONYM) for _ in range(r.randint(3, 6)))
    if r.random() < 0.5:
        short = short[0] + short[1:].lower()
    return short + r.choice(SUFFIX)


@dataclass(frozen=True)
class Title:
    text: str
    name: str  # the model's short name, used in the abstract
    task: str
    method: str


def title(r: random.Random, vocab: Vocab) -> Title:
    name = acronym(r)
    task, method, adj = r.choice(vocab.tasks), r.choice(vocab.methods), r.choice(ADJ)
    roll = r.random()
    if roll < 0.003:  # as seed 003's "$R^{2}$ Former: …" and "360° …"
        text = f"${name[0]}^{{{r.randint(2, 9)}}}$ Former: {adj} {task} with {method}"
    elif roll < 0.005:
        text = f"360° {task} with {adj} {method}"
    else:
        text = [
            f"{name}: {adj} {task} with {method}",
            f"{adj} {task} via {method}",
            f"Towards {adj} {task}{r.choice(['', ' in the Wild', ' at Scale', ' under Distribution Shift'])}",
            f"{name}: Learning {adj} {task} from {method}",
            f"Rethinking {method} for {task}",
            f"{method} for {adj} {task}",
            f"{name}: A {adj} Framework for {task}",
            f"On the {r.choice(PROPS)} of {method} in {task}",
            f"When Does {method} Help {adj} {task}?",
            f"{adj} {method} Meets {task}",
            f"Beyond {method}: {adj} {task} with {r.choice(vocab.methods)}",
            f"{name}: {task} with {adj} {method}",
            f"{adj} and {r.choice(ADJ)} {task} through {method}",
        ][r.randrange(13)]
    return Title(text, name, task, method)


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def abstract(r: random.Random, vocab: Vocab, head: Title) -> list[str]:
    """The abstract's sentences (about the title's task and method, no sentence twice); a sentence may hold
    ``\\0``-separated tag lines (see ``with_ieee_markup``)."""
    task = head.task if head.task[:2].isupper() else head.task.lower()  # keep "3D …", "MNIST"
    slots = {
        "task": task,
        "Task": task[0].upper() + task[1:],
        "task2": r.choice(vocab.tasks).lower(),
        "method": head.method.lower(),
        "method2": r.choice(vocab.methods).lower(),
        "a_adj": _a(r.choice(ADJ).lower()),
        "a_adj2": _a(r.choice(ADJ).lower()),
        "name": head.name,
        "data": r.choice(vocab.data),
        "data2": r.choice(vocab.data),
        "metric": r.choice(vocab.metrics),
        "user": r.choice(USERS),
    }

    def say(template: str) -> str:
        aspect, aspect2 = r.sample(ASPECTS, 2)
        text = template.format(
            aspect=aspect,
            aspect2=aspect2,
            goal=r.choice(GOALS),
            n=r.randint(2, 9),
            pct=f"{r.randint(5, 99) / 10}%",
            **slots,
        )
        return text[0].upper() + text[1:]

    target = min(2600, max(380, int(r.lognormvariate(7.09, 0.3))))  # median e^7.09 ≈ 1,200 chars
    out = [say(r.choice(OPEN))] + [say(t) for t in r.sample(PROBLEM, r.randint(0, 2))] + [say(r.choice(PROPOSE))]
    details = r.sample(DETAIL, len(DETAIL))
    while details and sum(map(len, out)) < target - 260:
        out.append(say(details.pop()))
    out += [say(r.choice(EXPERIMENT)), say(r.choice(RESULT))]
    if r.random() < vocab.math:
        math_sentence = r.choice(MATH_SENT).format(m=_math(r), m2=_math(r), **slots)
        out.insert(r.randint(2, len(out) - 1), math_sentence)
    if r.random() < 0.35:
        out.append(say(r.choice(CLOSING)))
    return out


XMLNS = 'xmlns:mml="http://www.w3.org/1998/Math/MathML" xmlns:xlink="http://www.w3.org/1999/xlink"'
TEX = ["$R^{2}$", "$xy$", "$\\ell_{1}$", "$k$", "$\\times 2$", "$O(n^{2})$", "$\\mathcal{L}_{2}$"]


def _tag(name: str, body: str) -> str:
    """A tag on a line of its own: ``\\0`` marks the line breaks around it."""
    return f"\0<{name} {XMLNS}>{body}</{name}>\0"


def _fragment(r: random.Random, kind: str, name: str) -> str:
    sup, url = _tag("sup", "1") * 2, f"https://github.com/{r.choice(USERS)}/{name}"
    data = r.choice(VISION.data).split(" ")[0]
    if kind == "footnote":  # a doubled footnote mark, then the footnote spliced into the sentence
        return (
            f"Evaluated on {r.randint(2, 6)} benchmark datasets, {name}{sup}Code is available at {url} "
            "achieves the new state of the art."
        )
    if kind == "end":
        return f"Finally, we release a public benchmark for {name}{sup}Code and data are available at {url}"
    if kind == "ordinal":
        mark = _tag("sup", r.choice(["st", "nd", "rd"]))
        return f"It ranks {r.randint(1, 3)}{mark} and sets a new record (+{r.randint(5, 90) / 10}% mIoU) on {data}."
    if kind == "index":
        return f"Experiments on {data}-5{_tag('sup', 'i')} and COCO-20{_tag('sup', 'i')} show significant gains."
    if kind == "tex":
        return f"We design a reranking transformer, named{_tag('tex', r.choice(TEX))} Former, to use correlations."
    return f"It relies on an L{_tag('inf', '2')}-norm based feature normalization and a more careful class prior."


def with_ieee_markup(r: random.Random, sentences: list[str], name: str) -> list[str]:
    """One or two stray IEEE fragments inserted as sentences (``end`` closes the abstract)."""
    kinds = ["footnote", "end", "ordinal", "index", "tex", "inf"]
    chosen = r.sample(kinds, 1 if r.random() < 0.7 else 2, counts=[5, 3, 3, 3, 5, 1])
    out = list(sentences)
    for kind in chosen:
        piece = _fragment(r, kind, name)
        if kind == "end":
            out.append(piece)
        else:
            out.insert(r.randint(1, len(out) - 1), piece)
    return out


def abstract_lines(sentences: list[str]) -> list[str]:
    """The abstract as lines: the first, then (after each tag) the tag and the text after it, at column 0."""
    return [line for line in " ".join(sentences).split("\0") if line]
