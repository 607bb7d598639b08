"""The story an article tells in space: flows, port pressure and roles.

``build_story`` runs the story rules over an article whose places are found,
and returns a :class:`Story`: the places (with any inferred port groups), the
flows between them, the pressure on ports, and what happens where, each with
the sentences it rests on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..article import Article
from ..gazetteer import Gazetteer
from ..mentions import Mention
from ..places import Place
from .evidence import Evidence
from .flows import Flow, find_flows, flow_id
from .ports import Pressure, find_pressure
from .roles import Role, find_roles
from .slots import reference_spans, slot_sentences

__all__ = ["Story", "build_story", "Evidence", "Flow", "Pressure", "Role", "flow_id"]


@dataclass(frozen=True)
class Story:
    """An article's story on the map. Flows, pressures and roles refer to places by id."""

    article: Article
    places: tuple[Place, ...]
    flows: tuple[Flow, ...]
    pressures: tuple[Pressure, ...]
    roles: tuple[Role, ...]
    notes: tuple[str, ...] = ()  # what corrections changed, for the reader

    def place(self, place_id: str) -> Place:
        for place in self.places:
            if place.id == place_id:
                return place
        raise KeyError(place_id)

    def roles_of(self, place_id: str) -> tuple[Role, ...]:
        return tuple(role for role in self.roles if role.place == place_id)

    def pressure_on(self, place_id: str) -> Pressure | None:
        return next((p for p in self.pressures if p.place == place_id), None)


def _with_references(article: Article, places: tuple[Place, ...]) -> tuple[Place, ...]:
    """Add "the two countries" to the mentions of the two countries it means."""
    spans = reference_spans(article, places)
    if not spans:
        return places
    updated = []
    for place in places:
        extra = tuple(
            Mention(a, b, article.text[a:b], "", article.paragraph_of(a), reference=True) for a, b in spans.get(place.id, ())
        )
        updated.append(dataclasses.replace(place, mentions=tuple(sorted(place.mentions + extra, key=lambda m: m.start))) if extra else place)
    return tuple(updated)


def build_story(article: Article, places: tuple[Place, ...], gazetteer: Gazetteer) -> Story:
    """The story of an article whose places are already found."""
    sentences = slot_sentences(article, places)
    flows = find_flows(article, sentences)
    port_groups, pressures = find_pressure(article, places, sentences, gazetteer)
    roles = find_roles(article, sentences)
    return Story(
        article=article,
        places=_with_references(article, places) + port_groups,
        flows=flows,
        pressures=pressures,
        roles=roles,
    )
