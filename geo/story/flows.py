"""Flows: what moves from where to where, read from the sentences.

A flow needs a direction the text states ("out of A and into B", "from A to
B", "into B from A", "left A and relocated in B", "A is exporting ... to B",
"between A and B" both ways), a movement verb, and something that moves from
the vocabulary (cocaine, traffickers, migrants, money ...). Without the last
there is no flow: "flights from Lima to Quito were cancelled" moves nothing
the story is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Article
from .evidence import Evidence, evidence_at
from .slots import SLOT, SlottedSentence
from .vocabulary import Mover, StoryVocabulary, vocabulary

__all__ = ["Flow", "find_flows", "flow_id"]


@dataclass(frozen=True, slots=True)
class Flow:
    """Something moving from place ``source`` to place ``target`` (place ids)."""

    id: str
    source: str
    target: str
    what: str
    layer: str
    two_way: bool
    evidence: tuple[Evidence, ...]
    inferred: bool = False
    note: str = ""


def flow_id(source: str, target: str, what: str, two_way: bool = False) -> str:
    """A flow's id, stable across runs: ``source->target:what``.

    >>> flow_id("a", "b", "cocaine"), flow_id("b", "a", "money", two_way=True)
    ('a->b:cocaine', 'a<->b:money')
    """
    if two_way:
        first, second = sorted((source, target))
        return f"{first}<->{second}:{what}"
    return f"{source}->{target}:{what}"


_P = rf"(?:the )?{SLOT}"  # "into the Dominican Republic"
# (pattern, which group is the source, which the target, two-way)
_DIRECTIONS: tuple[tuple[re.Pattern[str], int, int, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), source, target, both)
    for pattern, source, target, both in (
        (rf"\bout of {_P},? and (?:in)?to {_P}", 1, 2, False),
        (rf"\bfrom {_P},? (?:to|into|toward|towards|and into|across to) {_P}", 1, 2, False),
        (rf"\b(?:into|to|toward|towards) {_P},? (?:\w+ ){{0,2}}from {_P}", 2, 1, False),
        (rf"\b(?:left|leave|leaving|leaves|fled|flee|fleeing|abandoned|quit) {_P},? (?:and |to |for )(?:\w+ ){{0,3}}?(?:(?:in|to|into|for) )?{_P}", 1, 2, False),
        (rf"{_P}(?:\u2019s|'s)? (?:[\w-]+ ){{0,3}}?(?:export|ship|send|sent|smuggl|suppl|traffick|funnel)\w* (?:[\w-]+ ){{0,7}}?(?:to|into) {_P}", 1, 2, False),
        (rf"{_P}(?:\u2019s|'s)? (?:[\w-]+ ){{0,3}}?(?:import|buy|bought|receiv)\w* (?:[\w-]+ ){{0,7}}?from {_P}", 2, 1, False),
        (rf"\bbetween {_P} and {_P}", 1, 2, True),
    )
)


def _verbs(text: str, words: StoryVocabulary) -> list[re.Match[str]]:
    return [m for m in re.finditer(r"[A-Za-z]+", text) if m.group().lower() in words.movement_verbs]


def _movers(sentence: SlottedSentence, words: StoryVocabulary) -> list[Mover]:
    """What moves in this sentence: the verb's object or subject, per the verb."""
    text = sentence.text
    terms = list(words.mover_pattern().finditer(text))
    verbs = _verbs(text, words)
    if not terms or not verbs:
        return []
    verb = verbs[0]
    after = [t for t in terms if verb.end() <= t.start() <= verb.end() + 40]
    before = [t for t in terms if t.end() <= verb.start()]
    if verb.group().lower() in words.transitive:
        chosen = after[:1] or before[-1:]
    else:
        chosen = before[-1:] or after[:1]
    chosen = chosen or terms[:1]
    found = [words.mover_of(chosen[0].group())]
    # "The cocaine is flowing ..., and so are the biggest traffickers."
    for also in re.finditer(r"\band so (?:are|is|do|does|did|have|has|were|was) (?:the )?(?:[\w-]+ ){0,2}", text, re.IGNORECASE):
        follow = words.mover_pattern().match(text, also.end())
        if follow:
            found.append(words.mover_of(follow.group()))
    return list(dict.fromkeys(found))


def find_flows(article: Article, sentences: tuple[SlottedSentence, ...]) -> tuple[Flow, ...]:
    """Every flow the article states, merged by (source, target, what)."""
    words = vocabulary()
    merged: dict[str, dict] = {}
    for sentence in sentences:
        if len(sentence.places) < 2:
            continue
        movers = _movers(sentence, words)
        if not movers:
            continue
        for pattern, source_group, target_group, two_way in _DIRECTIONS:
            for match in pattern.finditer(sentence.text):
                source = sentence.places[int(match.group(source_group))]
                target = sentence.places[int(match.group(target_group))]
                if source == target:
                    continue
                evidence = evidence_at(article, sentence.offset(match.start()))
                for mover in movers:
                    key = flow_id(source, target, mover.what, two_way)
                    entry = merged.setdefault(
                        key,
                        {"source": source, "target": target, "what": mover.what, "layer": mover.layer, "two_way": two_way, "evidence": set()},
                    )
                    entry["evidence"].add(evidence)
    return tuple(
        Flow(
            id=key,
            source=entry["source"],
            target=entry["target"],
            what=entry["what"],
            layer=entry["layer"],
            two_way=entry["two_way"],
            evidence=tuple(sorted(entry["evidence"])),
        )
        for key, entry in sorted(merged.items())
    )
