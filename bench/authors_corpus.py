"""Author lists of the benchmark's synthetic papers (used by bench/papers_corpus.py).

A real collection of 27,179 papers names about 52,000 people: most once, a few on a hundred papers. So the
corpus fixes the number of distinct authors (``distinct_authors``: Heaps' law through that and one seed page)
and the number of papers of each from a power law with a soft cut-off, its exponent chosen so that the counts
add up to the author slots of the papers exactly; the slots are then shuffled and dealt to the papers (no one
twice on a paper). Paper sizes follow conference statistics: mostly 3-7 authors, a few
solo papers and a thin tail of large collaborations. Names are Chinese-style (pinyin, as the seeds' lists are
mostly), Western, Japanese, Korean or Indian, some with a middle initial or diacritics; the most common
spellings come first and get the most papers, as homonyms like "Wei Wang" do in real lists.
"""

from __future__ import annotations

import bisect
import math
import random

SIZES = list(range(1, 13)) + [15, 20, 30, 60]
SIZE_WEIGHTS = [2, 7, 14, 19, 19, 14, 10, 6, 4, 2, 1, 0.6, 0.5, 0.3, 0.15, 0.05]

CN_SURNAMES = """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie
Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lyu Ding Ren Shen
Yao Lu Jin Fu Zhong Qian Shi Tan Hou Bai Kong Xue Yan Mao Qiu Qin Gu Yin Hao Shao Wan Xiong Meng Long Fan Dai
Cui Zou Wen Fang Gong Ji Lei Duan Hong Fei""".split()
PINYIN = """Wei Jun Hao Lei Yang Ming Jie Tao Qi Chen Yu Xin Hui Jing Li Yan Fang Ying Hong Lin Bo Feng Kai Zhi Hua
Jian Qiang Yong Peng Bin Xiao Yi Jia Rui Zhe Han Ning Yuan Xu Hang Fei Long Tian Shu Ting Meng Lu Yao Dong Xiang
Zhen Chao Wen Cheng Ze Kun Yun Shan Qing Heng Pei Ran Xuan Yue Zi Ao Ye Si Can Di Huan Jin Liang Sheng""".split()
GIVEN = """Andrew Michael David Daniel James John Robert Thomas Christopher Matthew Mark Paul Peter Simon Richard
Sergey Alexei Ivan Dmitri Olga Elena Anna Maria Sofia Laura Julia Sarah Emily Emma Olivia Hannah Lucas Noah Ethan
Max Felix Jonas Lukas Tobias Florian Matthias Stefan Jürgen Björn Sören Lars Emil Ingrid Freya Zoë Léa Hélène
Camille Pierre Hugo Louis Antoine Mathieu Giulia Marco Luca Andrea Francesca Davide Alessandro José Tomás Sofía
Ana Pablo Javier Rafael João Gül Mehmet Ayşe Omar Fatima Ali Layla Yusuf Amir Reza Saeed Mohammad Hiroshi Kenji
Yuki Takashi Sakura Haruto Kaito Yoichi Min-jun Ji-woo Seo-yeon Jae-hyun Hyun-woo Arjun Priya Rahul Ananya Vikram
Sanjay Deepak Kavya Rohan Aditya Nikolai Katarzyna Piotr Ewa Tomasz Jan Petr Jiri Vladlen Trevor Jitendra Serge
Pietro Vittorio Cordelia Bernt Francis Kristen Kate Abhinav Saining Ross Kaiming Ce Dahua Chelsea Sergio Yoshua
Yann Geoffrey Percy Dawn Shakir Noam Jakob Ilya Oriol Koray Raia Nando Pushmeet Stuart Anca Pieter""".split()
SURNAMES = """Smith Johnson Brown Davis Miller Wilson Taylor Anderson Thomas Moore Martin Clark Lewis Walker Hall
Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schröder Weiß Nießner Giebenhain Thies
Theobalt Cremers Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Dubois Moreau Laurent Lefèvre Girard
Bernard García Fernández López Martínez Sánchez Pérez Gómez Silva Santos Oliveira Pereira Costa Andersen Larsen
Nielsen Nyström Lund Kowalski Nowak Wiśniewski Ivanov Petrov Smirnova Sokolov Popov Kuznetsov Novák Dvořák Yılmaz
Kaya Demir Şahin Hassan Khan Ahmed Rahman Hosseini Karimi Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura
Kobayashi Sato Kato Kim Park Choi Jung Kang Cho Yoon Jang Lim Sharma Patel Gupta Singh Kumar Reddy Iyer Rao Nair
Mehta Chatterjee Banerjee Girshick Dollár Efros Darrell Malik Belongie Perona Vedaldi Zisserman Schmid Ponce Bach
Schiele Matas Koltun Torralba Freeman Durand Isola Tulyakov Wetzstein Kanazawa Pavlakos Black Tzionas Gehler
Levine Abbeel Finn Bengio LeCun Hinton Liang Song Tao Mohamed Shazeer Sutskever Vinyals Kavukcuoglu Hadsell Russell
Dragan Kohli Varol Nagrani Bain Vasconcelos Tripathi Sato Loy""".split()
INITIALS = "ABCDEFGHJKLMNPRSTVW"
CN_CUMULATIVE = [sum(1 / (k + 4) for k in range(i + 1)) for i in range(len(CN_SURNAMES))]  # Wang ~8 %


def paper_sizes(r: random.Random, papers: int) -> list[int]:
    return r.choices(SIZES, SIZE_WEIGHTS, k=papers)


def _name(r: random.Random) -> str:
    roll = r.random()
    if roll < 0.58:  # Chinese-style: common surnames far more often (Zipf over the list)
        surname = r.choices(CN_SURNAMES, cum_weights=CN_CUMULATIVE)[0]
        given = r.choice(PINYIN)
        if r.random() < 0.7:
            second = r.choice(PINYIN).lower()
            given = f"{given}-{second}" if r.random() < 0.05 else given + second
        if r.random() < 0.02:
            given += f" {r.choice(INITIALS)}."
        return f"{given} {surname}"
    given, surname = r.choice(GIVEN), r.choice(SURNAMES)
    if r.random() < 0.07:
        given += f" {r.choice(INITIALS)}."
    elif r.random() < 0.03:
        given = f"{r.choice(INITIALS)}. {given}"
    return f"{given} {surname}"


def names(r: random.Random, count: int) -> list[str]:
    """`count` distinct names, the most often drawn (the most common spellings) first."""
    drawn: dict[str, int] = {}
    while len(drawn) < count:
        name = _name(r)
        drawn[name] = drawn.get(name, 0) + 1
    order = {name: i for i, name in enumerate(drawn)}
    return sorted(drawn, key=lambda name: (-drawn[name], order[name]))


def distinct_authors(papers: int) -> int:
    """Heaps' law through the real figures: 27,000 papers name ~52,000 people, one 200-paper page ~1,000."""
    return round(52_000 * (papers / 27_000) ** 0.8)


def _histogram(authors: int, alpha: float, cap: int) -> list[int]:
    """How many of `authors` have 1, 2, ... `cap` papers under P(c) ~ c^-alpha e^(-c/kappa) (a power law with
    a soft cut-off: no pile-up at the cap); cumulative rounding makes it sum to `authors` exactly."""
    kappa = cap / 4
    weights = [c**-alpha * math.exp(-c / kappa) for c in range(1, cap + 1)]
    total, acc, done, out = sum(weights), 0.0, 0, []
    for w in weights:
        acc += w
        upto = round(authors * acc / total)
        out.append(upto - done)
        done = upto
    return out


def papers_per_author(r: random.Random, authors: int, slots: int, cap: int) -> list[int]:
    """Papers of each author (most prolific first), summing to `slots`: alpha found by bisection, then the
    few slots rounding leaves over given to (or taken from) random authors."""
    lo, hi = -2.0, 8.0
    for _ in range(50):
        mid = (lo + hi) / 2
        if sum((c + 1) * n for c, n in enumerate(_histogram(authors, mid, cap))) > slots:
            lo = mid
        else:
            hi = mid
    hist = _histogram(authors, hi, cap)
    counts = [c + 1 for c in reversed(range(cap)) for _ in range(hist[c])]
    short = slots - sum(counts)
    while short:
        k = r.randrange(len(counts))
        step = 1 if short > 0 else -1
        if 1 <= counts[k] + step <= cap:
            counts[k] += step
            short -= step
    return sorted(counts, reverse=True)


def author_lists(r: random.Random, papers: int) -> list[list[str]]:
    """One author list per paper, naming ``distinct_authors(papers)`` people with a long tail."""
    sizes = paper_sizes(r, papers)
    slots = sum(sizes)
    authors = min(slots, max(max(sizes, default=0), distinct_authors(papers)))
    if not authors:
        return [[] for _ in sizes]
    cap = max(2, -(-slots // authors), min(authors, round(math.sqrt(papers))))
    counts = papers_per_author(r, authors, slots, cap)
    pool = names(r, authors)
    dealt = [k for k, c in enumerate(counts) for _ in range(c)]
    r.shuffle(dealt)
    starts = [0]
    for size in sizes:
        starts.append(starts[-1] + size)
    for p, size in enumerate(sizes):  # no one twice on a paper: swap a repeat with a slot elsewhere
        lo = starts[p]
        for i in range(lo, lo + size):
            tries = 0
            while dealt[i] in dealt[lo:i] and tries < 10_000:  # (a tiny corpus may have no way out)
                tries += 1
                j = r.randrange(slots)
                q = bisect.bisect_right(starts, j) - 1
                other = dealt[starts[q] : starts[q] + sizes[q]]
                if q != p and dealt[j] not in dealt[lo : lo + size] and dealt[i] not in other:
                    dealt[i], dealt[j] = dealt[j], dealt[i]
    return [[pool[k] for k in dealt[starts[p] : starts[p] + size]] for p, size in enumerate(sizes)]
