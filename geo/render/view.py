"""Where a map of the story should look first, and what "the whole story" spans.

The first view is the story's core: the places flows and ports involve and
the places of the countries the article is most about. Far places (cities
abroad where bosses live, a capital where a press conference was held) are
kept for a second, whole-story view, so they are one click away and never
silently off the map. Seas, oceans and regions never set the view: their
points are only labels.
"""

from __future__ import annotations

from collections import Counter

from ..story import Story

__all__ = ["Bounds", "core_bounds", "whole_bounds", "off_core_places"]

Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east)) in (lat, lon)

_VIEW_KINDS = frozenset({"city", "county", "country", "admin1", "port_group", "site"})
_MARGIN_DEGREES = 1.0


def _bounds(points: list[tuple[float, float]]) -> Bounds | None:
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (
        (max(-85.0, min(lats) - _MARGIN_DEGREES), min(lons) - _MARGIN_DEGREES),
        (min(85.0, max(lats) + _MARGIN_DEGREES), max(lons) + _MARGIN_DEGREES),
    )


def _main_countries(story: Story) -> set[str]:
    counts = Counter()
    for place in story.places:
        if place.kind == "country":
            counts[place.country_code] = len(place.mentions)
    if not counts:
        return set()
    top = counts.most_common(1)[0][1]
    return {code for code, count in counts.items() if count * 2 >= top}


def _core_ids(story: Story) -> set[str]:
    ids = {f.source for f in story.flows} | {f.target for f in story.flows} | {p.place for p in story.pressures}
    countries = _main_countries(story)
    ids |= {p.id for p in story.places if p.country_code in countries}
    return ids


def _points(story: Story, ids: set[str] | None) -> list[tuple[float, float]]:
    points = []
    for place in story.places:
        if place.kind not in _VIEW_KINDS or (ids is not None and place.id not in ids):
            continue
        points.append((place.lat, place.lon))
        points.extend(place.member_points)
    return points


def whole_bounds(story: Story) -> Bounds | None:
    """Bounds of every place of the story (seas and regions aside)."""
    return _bounds(_points(story, None))


def core_bounds(story: Story) -> Bounds | None:
    """Bounds of the story's core; the whole story's when there is no core."""
    return _bounds(_points(story, _core_ids(story))) or whole_bounds(story)


def off_core_places(story: Story) -> tuple[str, ...]:
    """Names of the places the first view leaves out, for a "beyond this map" note.

    With no core the first view is the whole story, and nothing is left out.
    """
    core = _core_ids(story)
    if not _points(story, core):
        return ()
    return tuple(p.name for p in story.places if p.kind in _VIEW_KINDS and p.id not in core)
