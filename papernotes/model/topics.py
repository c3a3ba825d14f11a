"""Topics: rules from site.yaml (or the packaged defaults) plus post tags, matched against papers.

A paper's topics are ranked by where their keywords occur: a keyword in its title (or Chinese title) weighs
TITLE_WEIGHT, each other keyword in its abstract or the notes about it one, a keyword said again half (at
most MORE_TIMES times). A topic found only in the abstract needs two mentions: one passing word
("denoising" in an image-restoration abstract) does not file a paper under Diffusion Models. A paper gets
its MOST best topics; one no rule matches goes to the explicit "other" topic, so nothing is hidden.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..config import TopicRule
from ..sources.venues import venue_from_heading
from .paper import Paper
from .topics_match import KeywordMatcher

OTHER = TopicRule("other", "Other", "其他", ())
TITLE_WEIGHT = 3
MORE_TIMES = 4
ABSTRACT_MIN = 2
MOST = 3
_DEFAULTS = Path(__file__).resolve().parent.parent / "default_topics.yaml"
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=1)
def default_topics() -> tuple[TopicRule, ...]:
    data = yaml.safe_load(_DEFAULTS.read_text(encoding="utf-8"))
    return tuple(TopicRule(d["slug"], d["name"], d.get("name_zh", ""), tuple(d.get("keywords", ()))) for d in data)


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-") or "topic"


def keyword_pattern(keyword: str) -> str:
    """'talking head' also matches 'Talking-Heads'; Chinese keywords match as substrings."""
    if _CJK.search(keyword):
        return re.escape(keyword)
    words = [re.escape(w) for w in re.split(r"[\s-]+", keyword.strip()) if w]
    return r"(?<![\w])" + r"[\s-]+".join(words) + r"(?:e?s)?(?![\w])"


@dataclass(frozen=True)
class TopicSet:
    rules: tuple[TopicRule, ...]
    tag_topic: dict  # post tag -> topic slug

    def by_slug(self) -> dict[str, TopicRule]:
        return {r.slug: r for r in (*self.rules, OTHER)}


def topic_set(configured: tuple[TopicRule, ...] | None, tags: list[str]) -> TopicSet:
    """Configured (or default) rules, plus one rule per post tag no rule already covers."""
    rules = list(configured if configured is not None else default_topics())
    tag_topic: dict[str, str] = {}
    for tag in sorted(set(tags), key=str.casefold):
        if venue_from_heading(tag)[0]:  # CVPR2022 is a venue, not a topic
            continue
        found = next(
            (
                r.slug
                for r in rules
                if r.slug == _slug(tag)
                or r.name.casefold() == tag.casefold()
                or any(re.fullmatch(keyword_pattern(k), tag, re.I) for k in r.keywords)
            ),
            None,
        )
        if found is None:
            rule = TopicRule(_slug(tag), tag, "", (tag,))
            rules.append(rule)
            found = rule.slug
        tag_topic[tag] = found
    return TopicSet(tuple(rules), tag_topic)


def classify(
    papers: list[Paper], topics: TopicSet, note_text: dict[str, str], cache: dict | None = None, stored=None
) -> None:
    """Set `paper.topics` (best first, `rank`) on every paper; `note_text`: paper key -> text of its notes.

    `cache` (kept by the caller between builds) remembers each paper's topics for the same text and rules;
    `stored` (a StoredMemo) the topics of each text between processes.
    """
    rules = {r.slug: list(r.keywords) for r in topics.rules}
    rules_digest = hashlib.sha256(repr(sorted(rules.items())).encode("utf-8")).hexdigest()
    if cache is None or cache.get("@rules") != rules:
        cache = {} if cache is None else cache
        cache.clear()
        cache["@rules"] = rules
    matcher = None
    last = cache.get("@last")  # (papers, note_text, key -> position) of the last call: topics set already
    if last is not None and last[0] is papers:
        changed = {key for key, _ in note_text.items() ^ last[1].items()}  # the texts that differ, in C
        todo = [papers[n] for n in sorted(last[2][k] for k in changed if k in last[2])]
        positions = last[2]
    else:
        todo, positions = papers, {p.key: n for n, p in enumerate(papers)}
    cache["@last"] = (papers, dict(note_text), positions)
    for paper in todo:
        inputs = (paper.title, paper.title_zh, paper.abstract, note_text.get(paper.key))
        hit = cache.get(paper.key)
        if hit is None or hit[0] != inputs:  # the same string objects compare at once
            title, body = " ".join(filter(None, inputs[:2])), " ".join(filter(None, inputs[2:]))

            def match(title=title, body=body):
                nonlocal matcher
                matcher = matcher or KeywordMatcher(rules)
                return (rank(matcher, title, body) or (OTHER.slug,), matcher.match(f"{title} {body}"))

            if stored is not None:
                text = f"{title}\0{body}"
                key = f"topics3\0{rules_digest}\0{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
                hit = cache[paper.key] = (inputs, stored.get(key, match))
            else:
                hit = cache[paper.key] = (inputs, match())
        paper.topics, paper.mentions = hit[1]
    if len(cache) > len(papers) + 2:  # papers that went away
        keep = {p.key for p in papers} | {"@rules", "@last"}
        for gone in [k for k in cache if k not in keep]:
            del cache[gone]


def rank(matcher: KeywordMatcher, title: str, body: str) -> tuple[str, ...]:
    """The MOST best topics of a paper with this title and body (abstract and notes), best first."""
    in_title, in_body = matcher.hits(title), matcher.hits(body)
    order = {slug: n for n, slug in enumerate(matcher.order)}
    scores = {}
    for slug in in_title.keys() | in_body.keys():
        keywords, times = in_body.get(slug, (0, 0))
        if slug not in in_title and keywords < ABSTRACT_MIN and times < ABSTRACT_MIN:
            continue
        said_again = min(times - keywords, MORE_TIMES) / 2
        scores[slug] = TITLE_WEIGHT * in_title.get(slug, (0, 0))[0] + keywords + said_again
    return tuple(sorted(scores, key=lambda s: (-scores[s], order[s]))[:MOST])
