"""KML for Google Earth and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from geo.article import read_article
from geo.pipeline import tell_story
from geo.render.kml import kml_bytes
from geo.render.table import COLUMNS, places_csv

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture(scope="module")
def seed_story(seed_article, gazetteer):
    return tell_story(seed_article, gazetteer=gazetteer)


def test_kml_parses_with_a_folder_per_layer(seed_story):
    root = ET.fromstring(kml_bytes(seed_story))
    folders = {f.findtext(f"{KML}name"): f for f in root.iter(f"{KML}Folder")}
    assert set(folders) == {"Places", "Smuggling", "Port pressure"}
    names = [p.findtext(f"{KML}name") for p in folders["Places"].iter(f"{KML}Placemark")]
    assert "Buenaventura" in names and "Madrid" in names
    lines = list(folders["Smuggling"].iter(f"{KML}LineString"))
    assert lines and all(line.findtext(f"{KML}coordinates").count(",") > 20 for line in lines)
    groups = [p for p in folders["Port pressure"].iter(f"{KML}Placemark") if p.find(f"{KML}MultiGeometry") is not None]
    assert len(groups) == 2


def test_kml_coordinates_are_lon_lat(seed_story):
    root = ET.fromstring(kml_bytes(seed_story))
    buenaventura = next(p for p in root.iter(f"{KML}Placemark") if p.findtext(f"{KML}name") == "Buenaventura")
    lon, lat, _ = map(float, buenaventura.find(f".//{KML}coordinates").text.split(","))
    assert (round(lat, 2), round(lon, 2)) == (3.88, -77.03)


def test_kml_descriptions_keep_hostile_text_as_text(gazetteer):
    story = tell_story(read_article("H <script>alert(1)</script>\nShips left Manta for Guayaquil, <img src=x onerror=alert(2)> said Ana Ruiz."), gazetteer=gazetteer)
    data = kml_bytes(story)
    root = ET.fromstring(data)
    description = next(p for p in root.iter(f"{KML}Placemark") if p.findtext(f"{KML}name") == "Manta").findtext(f"{KML}description")
    assert "&lt;img src=x onerror=alert(2)&gt;" in description  # HTML-escaped inside the balloon's HTML
    assert b"<img src=x" not in data and b"<script>alert" not in data


def test_csv_has_one_row_a_place(seed_story):
    rows = list(csv.DictReader(io.StringIO(places_csv(seed_story).decode("utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    assert [r["id"] for r in rows] == [p.id for p in seed_story.places]
    buenaventura = next(r for r in rows if r["id"] == "buenaventura")
    assert buenaventura["port_trend"] == "down" and buenaventura["country"] == "Colombia"
    groups = [r for r in rows if r["kind"] == "port_group"]
    assert len(groups) == 2 and all(r["inferred"] == "true" and r["members"] for r in groups)


def test_csv_cells_cannot_become_formulas(gazetteer):
    story = tell_story(read_article("H\nShips left Manta for Guayaquil."), gazetteer=gazetteer)
    import dataclasses

    manta = next(p for p in story.places if p.name == "Manta")
    hostile = dataclasses.replace(manta, note="=HYPERLINK(\"http://x\")")
    story = dataclasses.replace(story, places=tuple(hostile if p is manta else p for p in story.places))
    rows = list(csv.DictReader(io.StringIO(places_csv(story).decode("utf-8"))))
    note = next(r for r in rows if r["name"] == "Manta")["note"]
    assert note.startswith("'=")
    assert next(r for r in rows if r["name"] == "Manta")["lon"].startswith("-")  # numbers are left alone
