"""Issue 14: a paper's topics are ranked phrase matches -- its title first, then its abstract (a topic the
abstract alone names needs two mentions) -- at most three, and their precision on 75 hand-labelled seed papers
(tests/fixtures/topic_labels.yaml) stays at or above what was measured when the ranking came in (0.870; the
old every-keyword-anywhere rule: 0.762, with up to 7 topics a paper). Search still finds a paper by every
topic it names (`mentions`), so 扩散模型 and 人脸 keep their recall (tests/e2e/test_browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sitebuild import seed_records

from papernotes.config import TopicRule
from papernotes.model.merge import merge_records
from papernotes.model.paper import Paper
from papernotes.model.topics import MOST, classify, rank, topic_set
from papernotes.model.topics_match import KeywordMatcher

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "topic_labels.yaml"
PRECISION = 0.865  # measured: 100 of 115 topics given to the labelled papers are right (0.870)


@pytest.fixture(scope="module")
def seed_papers() -> list[Paper]:
    papers = merge_records(seed_records(), {"Lior Wol": "Lior Wolf"})[0]
    classify(papers, topic_set(None, []), {})
    return papers


def test_precision_on_the_labelled_seed_papers(seed_papers):
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert len(labels) >= 60
    by_title = {p.title: p for p in seed_papers}
    given = [(t, topic) for t in labels for topic in by_title[t].topics]
    right = [t for t, topic in given if topic in labels[t]]
    assert len(right) / len(given) >= PRECISION, (len(right), len(given))
    assert sum(any(topic in labels[t] for topic in by_title[t].topics) for t in labels) >= 70  # of 75: a right one
    tunable = by_title["Tunable Convolutions with Parametric Multi-Loss Optimization"]
    assert "diffusion" not in tunable.topics and "diffusion" in tunable.mentions  # one "denoising" in its abstract


def test_at_most_three_topics_and_search_words_for_every_topic_named(seed_papers):
    assert max(len(p.topics) for p in seed_papers) == MOST
    for p in seed_papers:
        assert p.topics and (p.topics == ("other",) or set(p.topics) <= set(p.mentions)), p.title
    named = sum("diffusion" in p.mentions for p in seed_papers)
    filed = sum("diffusion" in p.topics for p in seed_papers)
    assert named >= 40 and filed < named  # search still finds the 43 papers that talk of diffusion


def test_the_title_outranks_the_abstract_and_one_passing_word_is_not_a_topic():
    matcher = KeywordMatcher({"a": ["alpha"], "b": ["beta", "bravo"], "c": ["gamma"], "d": ["delta"], "e": ["echo"]})
    assert rank(matcher, "Gamma networks", "beta and bravo, beta again") == ("c", "b")
    assert rank(matcher, "Nothing here", "alpha once") == ()
    assert rank(matcher, "Nothing here", "alpha, and alpha again") == ("a",)
    assert rank(matcher, "alpha beta gamma delta", "echo echo") == ("a", "b", "c")  # at most three, rule order ties
    rules = (TopicRule("x", "X", "", ("xenon",)),)
    papers = [Paper(key="k1", title="On xenon", abstract=""), Paper(key="k2", title="Plain", abstract="xenon")]
    classify(papers, topic_set(rules, []), {})
    assert [(p.topics, p.mentions) for p in papers] == [(("x",), ("x",)), (("other",), ("x",))]
