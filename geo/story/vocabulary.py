"""The story rules' word lists (``geo/data/story.toml``) as one immutable value."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

__all__ = ["Mover", "RoleRule", "StoryVocabulary", "vocabulary"]


@dataclass(frozen=True, slots=True)
class Mover:
    """What a flow carries, the layer it goes on, and the words that name it."""

    what: str
    layer: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RoleRule:
    label: str
    pattern: str  # with {place} / {places} slots


@dataclass(frozen=True, slots=True)
class StoryVocabulary:
    movers: tuple[Mover, ...]
    transitive: frozenset[str]
    intransitive: frozenset[str]
    port_words: tuple[str, ...]
    down: tuple[str, ...]
    up: tuple[str, ...]
    roles: tuple[RoleRule, ...]

    @property
    def movement_verbs(self) -> frozenset[str]:
        return self.transitive | self.intransitive

    def mover_pattern(self) -> re.Pattern[str]:
        """One regex naming every mover term, longest first, as whole words."""
        terms = sorted({t for m in self.movers for t in m.terms}, key=lambda t: (-len(t), t))
        return re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)

    def mover_of(self, term: str) -> Mover:
        lowered = term.lower()
        return next(m for m in self.movers if lowered in (t.lower() for t in m.terms))


@functools.cache
def vocabulary() -> StoryVocabulary:
    """The packaged story vocabulary (read once; immutable).

    >>> vocabulary().mover_of("Drug Lords").what
    'traffickers'
    """
    raw = tomllib.loads(resources.files("geo").joinpath("data", "story.toml").read_text("utf-8"))
    return StoryVocabulary(
        movers=tuple(Mover(m["what"], m["layer"], tuple(m["terms"])) for m in raw["movers"]),
        transitive=frozenset(raw["flows"]["transitive"]),
        intransitive=frozenset(raw["flows"]["intransitive"]),
        port_words=tuple(raw["ports"]["words"]),
        down=tuple(raw["ports"]["down"]),
        up=tuple(raw["ports"]["up"]),
        roles=tuple(RoleRule(r["label"], r["pattern"]) for r in raw["roles"]),
    )
