"""Roles: what the article says happens at a place, each with its sentence.

The rules are the vocabulary's ``roles``: regular expressions over the
slotted sentence in which ``{place}`` stands for a place and ``{places}`` for
a list of them ("⟨2⟩, ⟨3⟩ and ⟨4⟩"). Demonyms count: "Albanian gangs" says
where gangs come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Article
from .evidence import Evidence, evidence_at
from .slots import SlottedSentence, slot_ids
from .vocabulary import vocabulary

__all__ = ["Role", "find_roles"]

_ONE = r"\u27e8\d+\u27e9"
_LIST = r"\u27e8\d+\u27e9(?:(?:,| and|, and|,? or) \u27e8\d+\u27e9)*"
_HOLE = re.compile(r"\{places?\}")


@dataclass(frozen=True, slots=True)
class Role:
    """What happens at place ``place`` (a place id), in a few words, and where the text says so."""

    place: str
    label: str
    evidence: tuple[Evidence, ...]


def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    """The rules as regexes; each {place} hole becomes its own group ``slot<n>``."""
    rules = []
    for rule in vocabulary().roles:
        holes = iter(range(rule.pattern.count("{")))

        def fill(hole: re.Match[str]) -> str:
            body = _LIST if hole.group() == "{places}" else _ONE
            return f"(?P<slot{next(holes)}>{body})"

        rules.append((rule.label, re.compile(_HOLE.sub(fill, rule.pattern), re.IGNORECASE)))
    return rules


def _filled(match: re.Match[str]) -> str:
    return " ".join(text for name, text in match.groupdict().items() if name.startswith("slot") and text)


def find_roles(article: Article, sentences: tuple[SlottedSentence, ...]) -> tuple[Role, ...]:
    """Every (place, role) the vocabulary's rules find, with all its sentences."""
    rules = _compiled()
    found: dict[tuple[str, str], set[Evidence]] = {}
    for sentence in sentences:
        if not sentence.places:
            continue
        for label, pattern in rules:
            for match in pattern.finditer(sentence.text):
                evidence = evidence_at(article, sentence.offset(match.start()))
                for place_id in slot_ids(_filled(match), sentence):
                    found.setdefault((place_id, label), set()).add(evidence)
    order = {label: index for index, (label, _) in enumerate(rules)}
    return tuple(
        Role(place, label, tuple(sorted(evidence)))
        for (place, label), evidence in sorted(found.items(), key=lambda item: (item[0][0], order[item[0][1]]))
    )


