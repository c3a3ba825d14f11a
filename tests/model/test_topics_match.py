"""The topic matcher against a brute-force reference: every keyword phrase looked for at every position of
the text's stemmed words (what the matcher did before it checked a text's words against the phrase starts)."""

from __future__ import annotations

import random

from papernotes.model.topics import default_topics
from papernotes.model.topics_match import _WORD, KeywordMatcher, _stem, keyword_phrase


def _reference(rules: dict[str, list[str]], text: str) -> tuple[str, ...]:
    words = [_stem(w) for w in _WORD.findall(text.casefold())]
    found = set()
    for slug, keywords in rules.items():
        for keyword in keywords:
            phrase = keyword_phrase(keyword)
            if isinstance(phrase, str):
                found |= {slug} if phrase in text else set()
            elif phrase and any(tuple(words[i : i + len(phrase)]) == phrase for i in range(len(words))):
                found.add(slug)
    return tuple(s for s in rules if s in found)


def test_the_matcher_finds_what_every_phrase_at_every_position_finds():
    rules = {r.slug: list(r.keywords) for r in default_topics()}
    vocabulary = sorted({w for ks in rules.values() for k in ks for w in k.split()})
    vocabulary += ["the", "of", "classes", "glass", "process", "models", "heads", "GANs", "3D", "说话", "-", ",", "."]
    pick = random.Random(13)
    texts = [
        " ".join(
            pick.choice(vocabulary) + pick.choice(["", "s", "es", "-", ",", ""]) for _ in range(pick.randint(0, 40))
        )
        for _ in range(800)
    ]
    matcher = KeywordMatcher(rules)
    hits = 0
    for text in texts:
        got = matcher.match(text)
        assert got == _reference(rules, text), text
        hits += bool(got)
    assert hits > 500  # the texts do hold phrases


def test_plurals_and_hyphens_match_and_words_inside_words_do_not():
    matcher = KeywordMatcher({"talking-head": ["talking head"], "gan": ["GAN"]})
    assert matcher.match("Talking-Heads from one photo") == ("talking-head",)
    assert matcher.match("two GANs and a Gaussian") == ("gan",)
    assert matcher.match("organ talkingheads") == ()
