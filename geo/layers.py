"""Story -> layers: shapely geometry and properties, as one GeoJSON FeatureCollection.

Layers: ``places`` (points; a province may be its polygon), one layer per
kind of flow (``smuggling``, ``migration`` ...: a curved line and an
arrowhead polygon per direction), and ``port_pressure`` (a point per named
port, a multipoint per inferred port group). Every feature carries
``layer``, ``id``, ``name``, ``kind``, ``inferred``, ``quotes`` and
``evidence``; a flow adds ``from``, ``to``, ``what`` and ``two_way``; a
pressure adds ``trend``. The same story always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from . import basemap
from .article import Article
from .coords import COORDINATE_DECIMALS, rounded
from .geometry import arrowhead, flow_line, multipoint, point
from .gazetteer import DATA_CREDITS
from .names import name_key
from .places import Place
from .records import place_fields
from .story import Evidence, Flow, Pressure, Story
from .story.evidence import evidence_at

__all__ = ["LAYER_ORDER", "story_layers", "geojson_text"]

LAYER_ORDER = ("places", "smuggling", "migration", "trade", "money", "port_pressure")


def _evidence(article: Article, evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {"paragraph": e.paragraph, "text": e.text(article), "speaker": e.speaker or "narration"} for e in evidence
    ]


def _quotes(article: Article, offsets) -> list[dict[str, Any]]:
    return [{"text": article.quote_text(q), "speaker": q.speaker, "paragraph": q.paragraph} for q in article.quotes_at(offsets)]


def _quotes_in(article: Article, evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    """The quotes inside the evidence sentences."""
    offsets = [a for e in evidence for q in article.quotes for a, _ in q.parts if e.start <= a < e.end]
    return _quotes(article, offsets)


def _geometry(geometry: BaseGeometry) -> dict[str, Any]:
    # Rounded again after shapely, whose arithmetic (a province's shape, a
    # bent line) yields more decimals than the output keeps.
    return json.loads(json.dumps(mapping(geometry)), parse_float=lambda text: rounded(float(text)))


def _feature(geometry: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": _geometry(geometry), "properties": properties}


def _place_evidence(story: Story, place: Place) -> list[dict[str, Any]]:
    """The sentences that mention a place, one entry per sentence."""
    article = story.article
    by_sentence: dict[int, Evidence] = {}
    for mention in place.mentions:
        evidence = evidence_at(article, mention.start)
        by_sentence.setdefault(evidence.start, evidence)
    for start, end in place.evidence:
        by_sentence.setdefault(start, Evidence(article.paragraph_of(start), start, end))
    return _evidence(article, tuple(sorted(by_sentence.values())))


# A division's point lies in or close by its own shape; one farther off means
# the basemap files the code under another unit (former ISO codes).
_SHAPE_TOLERANCE_DEGREES = 1.0


def division_shape(code: str, country_code: str, lat: float, lon: float, name: str = "") -> BaseGeometry | None:
    """The shape of a first-level division: its code's, if that lies at its
    point or bears its name; if the code's shape is another unit's, the
    province of its country that holds the point; None if the basemap has no
    shape for the code (a county below the provinces is drawn as its point,
    not as its province)."""
    where = point(lat, lon)
    shape = basemap.province(code)
    if shape is None or shape.distance(where) <= _SHAPE_TOLERANCE_DEGREES or _same_name(name, basemap.province_names(code)):
        return shape
    found = basemap.province_at(country_code, where) if country_code else None
    return found[1] if found is not None and found[1].distance(where) <= _SHAPE_TOLERANCE_DEGREES else None


def _same_name(name: str, names: tuple[str, ...]) -> bool:
    """Whether a division's name and one the basemap gives its code agree ("Valparaíso Region" and "Valparaíso")."""
    key = name_key(name)
    return bool(key) and any((other := name_key(n)) and (other in key or key in other) for n in names)


def _place_geometry(place: Place) -> BaseGeometry:
    if place.kind == "admin1" and place.entry_id.startswith("admin1:"):
        shape = division_shape(place.entry_id.removeprefix("admin1:"), place.country_code, place.lat, place.lon, place.name)
        if shape is not None:
            return shape
    return point(place.lat, place.lon)


def _place_feature(story: Story, place: Place) -> dict[str, Any]:
    roles = story.roles_of(place.id)
    return _feature(
        _place_geometry(place),
        {
            "layer": "places",
            **place_fields(place),
            "roles": [role.label for role in roles],
            "role_evidence": _evidence(story.article, tuple(sorted({e for r in roles for e in r.evidence}))),
            "mentions": len([m for m in place.mentions if not m.reference]),
            "quotes": _quotes(story.article, [m.start for m in place.mentions]),
            "evidence": _place_evidence(story, place),
        },
    )


def _flow_features(story: Story, flow: Flow, lanes: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    source, target = story.place(flow.source), story.place(flow.target)
    directions = [(source, target)] + ([(target, source)] if flow.two_way else [])
    properties = {
        "layer": flow.layer,
        "id": flow.id,
        "name": f"{flow.what}: {source.name} \u2192 {target.name}" if not flow.two_way else f"{flow.what}: {source.name} \u2194 {target.name}",
        "kind": "flow",
        "inferred": flow.inferred,
        "from": flow.source,
        "to": flow.target,
        "what": flow.what,
        "two_way": flow.two_way,
        "note": flow.note,
        "quotes": _quotes_in(story.article, flow.evidence),
        "evidence": _evidence(story.article, flow.evidence),
    }
    features = []
    for start, end in directions:
        # Flows the same way between the same places take lanes, bent apart.
        lane = lanes.get((start.id, end.id), 0)
        lanes[(start.id, end.id)] = lane + 1
        line = flow_line((start.lat, start.lon), (end.lat, end.lon), lane=lane)
        direction = {"direction_from": start.id, "direction_to": end.id}
        features.append(_feature(line, {**properties, **direction, "part": "line"}))
        features.append(_feature(arrowhead(line), {**properties, **direction, "part": "arrowhead"}))
    return features


def _pressure_feature(story: Story, pressure: Pressure) -> dict[str, Any]:
    place = story.place(pressure.place)
    geometry = multipoint(place.member_points) if place.member_points else point(place.lat, place.lon)
    return _feature(
        geometry,
        {
            "layer": "port_pressure",
            "id": pressure.id,
            "place": place.id,
            "name": place.name,
            "kind": "port_group" if place.kind == "port_group" else "port",
            "country_code": place.country_code,
            "country": place.country_name,
            "lat": rounded(place.lat),
            "lon": rounded(place.lon),
            "inferred": place.inferred,
            "trend": pressure.trend,
            "cues": list(pressure.cues),
            "members": list(place.member_names),
            "quotes": _quotes_in(story.article, pressure.evidence),
            "evidence": _evidence(story.article, pressure.evidence),
        },
    )


def story_layers(story: Story) -> dict[str, Any]:
    """The story as an RFC 7946 FeatureCollection, features in layer order."""
    features = [_place_feature(story, p) for p in story.places if p.kind != "port_group"]
    lanes: dict[tuple[str, str], int] = {}
    for layer in LAYER_ORDER[1:-1] + tuple(sorted({f.layer for f in story.flows} - set(LAYER_ORDER))):
        for flow in story.flows:
            if flow.layer == layer:
                features.extend(_flow_features(story, flow, lanes))
    features.extend(_pressure_feature(story, p) for p in story.pressures)
    return {
        "type": "FeatureCollection",
        "properties": {
            "headline": story.article.headline,
            "source": story.article.source,
            "layers": [layer for layer in LAYER_ORDER if any(f["properties"]["layer"] == layer for f in features)],
            "credits": "; ".join(DATA_CREDITS),
            "coordinate_decimals": COORDINATE_DECIMALS,
        },
        "features": features,
    }


def geojson_text(collection: dict[str, Any]) -> str:
    """The FeatureCollection as text, byte-identical for the same story."""
    return json.dumps(collection, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
