"""Layers as GeoJSON: the properties every feature carries, and the seed's layers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from shapely.geometry import Point, shape

from geo import basemap
from geo.coords import distance_km
from geo.layers import geojson_text, story_layers
from geo.pipeline import tell_story

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "geojson-schema" / "FeatureCollection.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def seed_layers(seed_article, gazetteer):
    return story_layers(tell_story(seed_article, gazetteer=gazetteer))


def test_validates_against_the_geojson_schema(seed_layers):
    jsonschema.validate(seed_layers, SCHEMA)


def test_every_feature_has_the_common_properties(seed_layers):
    for feature in seed_layers["features"]:
        properties = feature["properties"]
        assert {"layer", "id", "name", "kind", "inferred", "quotes", "evidence"} <= set(properties), properties["id"]
        for quote in properties["quotes"]:
            assert set(quote) == {"text", "speaker", "paragraph"}
        for evidence in properties["evidence"]:
            assert {"paragraph", "text"} <= set(evidence)


def test_flows_and_pressure_carry_their_own_properties(seed_layers):
    for feature in seed_layers["features"]:
        properties = feature["properties"]
        if properties["kind"] == "flow":
            assert {"from", "to", "what", "two_way"} <= set(properties)
        if properties["layer"] == "port_pressure":
            assert properties["trend"] in {"up", "down", "steady"}


def _coordinates(geometry):
    if isinstance(geometry, (int, float)):
        yield geometry
    elif isinstance(geometry, list):
        for item in geometry:
            yield from _coordinates(item)


def test_at_most_six_decimals(seed_layers):
    for feature in seed_layers["features"]:
        for value in _coordinates(feature["geometry"]["coordinates"]):
            assert round(value, 6) == value


def test_same_article_same_bytes(seed_article, gazetteer):
    first = geojson_text(story_layers(tell_story(seed_article, gazetteer=gazetteer)))
    second = geojson_text(story_layers(tell_story(seed_article, gazetteer=gazetteer)))
    assert first == second


def test_seed_cocaine_line_runs_from_colombia_into_ecuador(seed_layers):
    countries = {f["properties"]["iso_a2"]: shape(f["geometry"]) for f in basemap.countries()["features"] if f["properties"].get("iso_a2")}
    parts = {
        f["properties"]["part"]: f
        for f in seed_layers["features"]
        if f["properties"]["layer"] == "smuggling" and f["properties"]["what"] == "cocaine" and not f["properties"]["two_way"]
    }
    line = shape(parts["line"]["geometry"])
    head = shape(parts["arrowhead"]["geometry"])
    assert countries["CO"].contains(Point(line.coords[0]))
    assert countries["EC"].contains(Point(line.coords[-1]))
    assert countries["EC"].buffer(0.5).contains(head.centroid)
    assert head.distance(Point(line.coords[-1])) < 1e-6 and head.distance(Point(line.coords[0])) > 1
    assert parts["line"]["properties"]["from"] == "colombia" and parts["line"]["properties"]["to"] == "ecuador"
    assert {e["paragraph"] for e in parts["line"]["properties"]["evidence"]} == {1, 5, 10}


def test_seed_port_groups_are_multipoints_marked_inferred(seed_layers, gold):
    refs = {p["id"]: p for p in gold["places"]["required"]}
    groups = [f for f in seed_layers["features"] if f["properties"]["kind"] == "port_group"]
    assert len(groups) == 2
    for feature in groups:
        assert feature["geometry"]["type"] == "MultiPoint" and feature["properties"]["inferred"] is True
        assert feature["properties"]["members"]
        centre = shape(feature["geometry"]).centroid
        nearest = min(distance_km((centre.y, centre.x), tuple(r["ref"])) for r in refs.values() if r["kind"] == "port_group")
        assert nearest < 250


def test_province_is_drawn_as_its_polygon(seed_layers):
    (province,) = [f for f in seed_layers["features"] if f["properties"]["kind"] == "admin1"]
    assert province["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert shape(province["geometry"]).buffer(0.05).contains(Point(-79.65, 0.96))  # Esmeraldas city, its seat


def test_place_popups_get_quotes_with_speakers(seed_layers):
    madrid = next(f for f in seed_layers["features"] if f["properties"]["id"] == "madrid")
    assert madrid["properties"]["quotes"][0]["speaker"] == "Mario Pazmiño"
    assert "home of cartel bosses" in madrid["properties"]["roles"]


def test_every_division_is_drawn_with_a_shape_at_its_point_or_of_its_name(gazetteer):
    """Natural Earth files some divisions under former ISO codes: a division's
    drawn shape is the one at its point, or its code's if that bears its name,
    never another unit's shape across the country."""
    from shapely.geometry import Point

    from geo import basemap
    from geo.layers import _same_name, division_shape

    ids = [row[0] for row in gazetteer._rows("select id from entries where kind = 'admin1'")]
    assert len(ids) > 4000
    wrong = []
    for entry_id in ids:
        entry = gazetteer.get(entry_id)
        code = entry_id.removeprefix("admin1:")
        shape = division_shape(code, entry.country_code, entry.lat, entry.lon, entry.name)
        if shape is None or shape.distance(Point(entry.lon, entry.lat)) <= 1.0:
            continue
        if not (shape.equals(basemap.province(code)) and _same_name(entry.name, basemap.province_names(code))):
            wrong.append(entry_id)
    assert wrong == []


def test_a_division_the_basemap_files_under_another_code_gets_the_shape_at_its_point(gazetteer):
    from geo import basemap
    from geo.geometry import point
    from geo.layers import division_shape

    division = next(e for e in gazetteer.lookup("Tehran") if e.kind == "admin1")
    code = division.id.removeprefix("admin1:")
    where = point(division.lat, division.lon)
    assert basemap.province(code).distance(where) > 1.0  # the code's own shape is another unit's
    assert not any("Tehran" in name for name in basemap.province_names(code))
    drawn = division_shape(code, division.country_code, division.lat, division.lon, division.name)
    found, shape = basemap.province_at(division.country_code, where)
    assert drawn.equals(shape) and drawn.contains(where)
    assert "Tehran" in basemap.province_names(found)


def test_a_code_whose_shape_bears_the_divisions_name_keeps_it(gazetteer):
    from geo import basemap
    from geo.layers import division_shape

    # A point far out at sea: no province near it, yet the code's shape bears the name.
    assert division_shape("CL-VS", "CL", -33.0, -100.0, "Valparaíso").equals(basemap.province("CL-VS"))
    assert division_shape("CL-VS", "CL", -33.0, -100.0, "Somewhere Else") is None


def test_a_division_without_a_basemap_shape_is_drawn_as_its_point():
    from geo.layers import division_shape

    assert division_shape("ZZ-NOPE", "CL", -33.05, -71.62) is None  # not the province around the point
