"""Corrections: a person's fixes survive re-runs; a bad entry is named."""

from __future__ import annotations

import json
import math

import pytest

from geo.corrections import Corrections, PlaceFix, load_corrections, parse_corrections, save_corrections
from geo.errors import CorrectionsError
from geo.layers import story_layers
from geo.pipeline import story_from_file


@pytest.fixture()
def seed_copy(seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, "utf-8")
    return path


def _colombian_madrid(gazetteer, story):
    madrid = story.place("madrid")
    return next(c.entry for c in madrid.candidates if c.entry.country_code == "CO")


def test_fix_madrid_to_the_colombian_town_round_trips(seed_copy, gazetteer):
    before = story_from_file(seed_copy, gazetteer=gazetteer)
    town = _colombian_madrid(gazetteer, before)
    sidecar = seed_copy.with_name("seed.corrections.json")
    save_corrections(sidecar, Corrections(places=(PlaceFix("madrid", pick=town.id, note="the town near Bogotá"),)))
    assert load_corrections(sidecar).places[0].pick == town.id

    for _ in range(2):  # and again: the fix survives a re-run
        after = story_from_file(seed_copy, gazetteer=gazetteer)
        madrid = after.place("madrid")
        assert madrid.country_code == "CO" and (madrid.lat, madrid.lon) == (town.lat, town.lon)
        assert "chosen by an editor" in madrid.candidates[0].reasons[0][0]
        assert madrid.confidence == 1.0 and math.isfinite(madrid.candidates[0].score)
        assert any(c.entry.country_code == "ES" for c in madrid.candidates[1:])
        assert after.roles_of("madrid"), "its role stays with it"
    feature = next(f for f in story_layers(after)["features"] if f["properties"]["id"] == "madrid")
    assert feature["geometry"]["coordinates"] == [round(town.lon, 6), round(town.lat, 6)]


def test_drop_a_place_drops_its_flows_and_roles(seed_copy, gazetteer):
    seed_copy.with_name("seed.corrections.json").write_text(json.dumps({"places": {"mexico": {"drop": True}}}), "utf-8")
    story = story_from_file(seed_copy, gazetteer=gazetteer)
    assert "mexico" not in {p.id for p in story.places}
    assert not story.roles_of("mexico")


def test_add_and_drop_flows_and_add_places(seed_copy, gazetteer):
    callao = next(e for e in gazetteer.lookup("Callao") if e.kind == "city")
    corrections = {
        "add_places": [
            {"id": "callao", "gazetteer_id": callao.id, "note": "named by our source"},
            {"id": "lab", "name": "Lab site", "lat": 0.5, "lon": -77.5, "kind": "site"},
        ],
        "drop_flows": ["colombia->ecuador:traffickers"],
        "add_flows": [{"from": "ecuador", "to": "callao", "what": "cocaine", "note": "per police"}],
    }
    seed_copy.with_name("seed.corrections.json").write_text(json.dumps(corrections), "utf-8")
    story = story_from_file(seed_copy, gazetteer=gazetteer)
    ids = {f.id for f in story.flows}
    assert "colombia->ecuador:traffickers" not in ids and "ecuador->callao:cocaine" in ids
    added = next(f for f in story.flows if f.id == "ecuador->callao:cocaine")
    assert added.note == "per police" and added.evidence == ()
    assert story.place("lab").note == "added by an editor" and story.place("callao").country_code == "PE"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"places": {"madrid": {"pick": "geonames:0"}}}, "places.madrid.pick: no gazetteer entry 'geonames:0'"),
        ({"places": {"atlantis": {"drop": True}}}, "places.atlantis: no place 'atlantis' in this article"),
        ({"places": {"madrid": {"pick": "x", "drop": True}}}, 'places.madrid: give exactly one of "pick" or "drop": true'),
        ({"drop_flows": ["a->b:c"]}, "drop_flows[0]: no flow 'a->b:c'"),
        ({"add_flows": [{"from": "colombia", "to": "atlantis", "what": "x"}]}, "add_flows[0].to: no place 'atlantis'"),
        ({"add_places": [{"name": "X", "lat": 200, "lon": 0}]}, "add_places[0].lat"),
        ({"colours": {}}, "colours: unknown section"),
        ({"add_flows": [{"from": "colombia", "to": "colombia", "what": "x"}]}, "add_flows[0]: a flow needs two different places"),
        ([], "expected a JSON object at the top"),
    ],
)
def test_bad_entries_are_named(seed_copy, gazetteer, document, message):
    seed_copy.with_name("seed.corrections.json").write_text(json.dumps(document), "utf-8")
    with pytest.raises(CorrectionsError) as caught:
        story_from_file(seed_copy, gazetteer=gazetteer)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(seed_copy.with_name("seed.corrections.json")))


def test_malformed_json_is_one_line(tmp_path):
    path = tmp_path / "a.corrections.json"
    path.write_text("{not json", "utf-8")
    with pytest.raises(CorrectionsError, match=r"not valid JSON \(line 1, column 2"):
        load_corrections(path)


def test_missing_file_is_no_corrections(tmp_path):
    assert load_corrections(tmp_path / "none.corrections.json").empty


def test_to_json_round_trips():
    document = {
        "places": {"a": {"pick": "geonames:1", "note": "n"}, "b": {"drop": True}},
        "add_places": [{"id": "c", "name": "C", "lat": 1.0, "lon": 2.0}],
        "drop_flows": ["a->b:x"],
        "add_flows": [{"from": "a", "to": "c", "what": "y", "layer": "smuggling", "two_way": False, "note": ""}],
    }
    assert parse_corrections(parse_corrections(document).to_json()) == parse_corrections(document)
