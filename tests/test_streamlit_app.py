"""The Streamlit page, run headless with AppTest: what it shows, what it escapes, what it keeps.

``st_folium`` is an ``UnknownElement`` here; its ``json_args`` hold the map's
generated Leaflet script, which is what the browser would run. Every test
works on a copy of the seed in a temporary directory, with
``GEOMAP_WORKDIR`` there too, so no test writes corrections into the repository.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("streamlit_folium")
from streamlit.testing.v1 import AppTest  # noqa: E402

import geo  # noqa: E402
from geo.corrections import corrections_path, load_corrections  # noqa: E402
from geo.escape import html_text  # noqa: E402
from geo.reader import DEFAULT_MAX_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "streamlit_app.py"
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "${alert(3)}"]
SECOND = (
    "Ships leave Manta for Guayaquil with cocaine, police say\n"
    "Fishing boats carried cocaine from Manta to Guayaquil last month, officials said.\n"
    "\u201cThe boats leave at night,\u201d said Ana Ruiz, a port officer in Guayaquil.\n"
)


@pytest.fixture
def seed_copy(tmp_path, monkeypatch, seed_path) -> Path:
    """The page's article is a copy of the seed; corrections go under tmp_path."""
    article = tmp_path / "articles" / seed_path.name
    article.parent.mkdir()
    shutil.copy(seed_path, article)
    monkeypatch.setenv("GEOMAP_ARTICLE", str(article))
    monkeypatch.setenv("GEOMAP_WORKDIR", str(tmp_path / "work"))
    return article


def run(at: AppTest) -> AppTest:
    at.run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(**_) -> AppTest:
    return run(AppTest.from_file(str(APP), default_timeout=120))


def map_args(at: AppTest) -> dict:
    maps = [e for e in at.get("component_instance") if "st_folium" in e.proto.component_name]
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)


def script(at: AppTest) -> str:
    return map_args(at)["script"]


def markers(script_text: str) -> list[tuple[str, float, float]]:
    """(place id, lat, lon) of each labelled marker (a place, or a port's pressure) in a Leaflet script."""
    found = []
    for chunk in script_text.split("L.marker(")[1:]:
        lat, lon = re.match(r"\s*\[(-?[\d.]+),\s*(-?[\d.]+)\]", chunk).groups()
        place = re.search(r'data-(?:place|pressure)=\\"([^"\\]+)\\"', chunk)
        if place:
            found.append((place.group(1), float(lat), float(lon)))
    return found


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="paste_text").input(text)
    at.button(key="paste_go").click()
    return run(at)


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["tab"] = label
    return run(at)


def alerts(at: AppTest, kind: str = "error") -> list[str]:
    return [e.value.replace("\\", "") for e in getattr(at, kind)]


def html_blocks(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


# --- opening on the seed ---------------------------------------------------------------


def test_page_opens_on_the_seed_with_its_headline(seed_copy, seed_article):
    at = open_page()
    assert alerts(at) == [] and alerts(at, "warning") == []
    assert html_text(seed_article.headline) in html_blocks(at)
    args = map_args(at)
    # The map loads Leaflet, and the world basemap, from Streamlit's static serving, never from a CDN;
    # not jQuery, which only folium's own popups need.
    leaflet, world = args["js_links"]
    assert leaflet == "/app/static/leaflet/leaflet.js"
    assert re.fullmatch(r"/app/static/basemap/world-[0-9a-f]{16}\.js", world)
    assert (ROOT / "static" / world.removeprefix("/app/static/")).read_text("utf-8").startswith("var geomapWorld = JSON.parse(")
    assert "geomapWorld || {}).land" in args["script"] and len(args["script"]) < 200_000  # the world is not sent each run
    assert args["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert "://" not in json.dumps([args["js_links"], args["css_links"], args["header"], args["html"]])
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]  # reruns on clicks only


def test_the_map_holds_every_required_place_of_the_gold(seed_copy, gold):
    text = script(open_page())
    placed = markers(text)
    for place in gold["places"]["required"]:
        near = [p for p in placed if km((p[1], p[2]), tuple(place["ref"])) <= place["tol_km"]]
        assert near, f"no marker within {place['tol_km']} km of {place['name']}"
        if place["kind"] == "port_group":
            assert place["id"] in {p[0] for p in near}  # its name's apostrophe may differ
        else:
            assert html_text(place["name"]) in text, place["name"]
    assert "L.polyline" in text or "L.geoJson" in text or "L.geoJSON" in text  # the flows


def test_online_tiles_are_a_choice(seed_copy):
    at = open_page()
    assert "openstreetmap" not in script(at).lower()
    at.radio(key="tiles").set_value("osm")
    run(at)
    assert "tile.openstreetmap.org" in script(at)
    at.radio(key="tiles").set_value("")
    run(at)
    assert "openstreetmap" not in script(at).lower()


def test_a_corrections_file_that_no_longer_fits_is_ignored_with_a_warning(seed_copy):
    corrections_path(seed_copy).write_text('{"places": {"atlantis": {"drop": true}}}', "utf-8")
    at = open_page()
    warnings = alerts(at, "warning")
    assert len(warnings) == 1 and "Corrections ignored" in warnings[0] and "atlantis" in warnings[0]
    assert "madrid" in {p[0] for p in markers(script(at))}


def test_an_article_that_cannot_be_read_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_ARTICLE", str(tmp_path / "missing.txt"))
    monkeypatch.setenv("GEOMAP_WORKDIR", str(tmp_path / "work"))
    at = open_page()
    assert any("missing.txt: no such file" in e for e in alerts(at))
    assert not at.get("component_instance")


def test_static_assets_are_copied_beside_the_app(seed_copy):
    open_page()
    vendored = ROOT / "assets" / "web" / "leaflet" / "leaflet.js"
    assert (ROOT / "static" / "leaflet" / "leaflet.js").read_bytes() == vendored.read_bytes()
    assert (ROOT / "static" / "jquery" / "jquery.min.js").is_file()


# --- any article --------------------------------------------------------------------------


def test_pasting_a_second_article_changes_the_map(seed_copy):
    at = open_page()
    before = script(at)
    paste(at, SECOND)
    after = script(at)
    assert after != before
    ids = {p[0] for p in markers(after)}
    assert {"manta", "guayaquil"} <= ids and "buenaventura" not in ids
    assert "Ships leave Manta for Guayaquil" in html_blocks(at)


def test_hostile_article_text_is_escaped_everywhere(seed_copy):
    hostile = " ".join(HOSTILE)
    text = f"Ships {hostile} at sea\nShips left Manta for Guayaquil with cocaine, {hostile} officials said.\n"
    at = paste(open_page(), text)
    args = map_args(at)
    everything = json.dumps(args, ensure_ascii=False)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in args["script"]  # in the popups
    assert "&lt;img src=x onerror=alert(2)&gt;" in args["script"]
    for raw in HOSTILE:
        assert raw not in args["script"] and raw not in args["html"], raw
    assert "<script>alert" not in everything and "<img src=x" not in everything
    page_html = html_blocks(at)  # headline, panel and highlighted article
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    assert "<script>alert" not in page_html and "<img src=x" not in page_html


def test_uploading_an_html_article_maps_it(seed_copy):
    at = open_page()
    page = f"<html><head><title>Port news</title></head><body><p>{SECOND.splitlines()[1]}</p></body></html>"
    at.file_uploader(key="upload").set_value(("news.html", page.encode("utf-8"), "text/html"))
    run(at)
    assert alerts(at) == []
    assert {"manta", "guayaquil"} <= {p[0] for p in markers(script(at))}
    assert "Port news" in html_blocks(at)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks like a binary file"),
        ("empty.txt", b"", "is empty"),
        ("big.txt", b"Lima and Quito. " * 1_250_000, "20.0 MB"),
        ("utf16.txt", "Rain in Quito\nIt is wet in Lima.".encode("utf-16-le"), "looks like a binary file"),
        ("blank.md", b" \n\t\n", "is empty"),
    ],
)
def test_bad_upload_says_why_and_keeps_the_last_good_map(seed_copy, name, data, message):
    at = open_page()
    good = script(at)
    at.file_uploader(key="upload").set_value((name, data, "text/plain"))
    run(at)
    errors = alerts(at)
    assert len(errors) == 1 and message in errors[0] and name in errors[0]
    assert "Traceback" not in errors[0]
    assert script(at) == good  # the last good map stays
    run(at)  # and stays on the next rerun, without the message
    assert script(at) == good and alerts(at) == []


def test_windows_1252_upload_is_read(seed_copy):
    at = open_page()
    at.file_uploader(key="upload").set_value(("bogota.txt", "Lluvia en Bogotá\nLlueve en Bogotá y en Medellín.".encode("cp1252"), "text/plain"))
    run(at)
    assert alerts(at) == []
    assert "bogota" in {p[0] for p in markers(script(at))}


def test_the_uploader_takes_what_the_reader_takes():
    # Streamlit's server.maxUploadSize is in MiB (it multiplies by 1024 * 1024):
    # the smallest whole number that still lets through every article the reader accepts.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] == math.ceil(DEFAULT_MAX_BYTES / 2**20)


# --- reading ------------------------------------------------------------------------------


def test_panel_shows_a_places_quotes_and_sentences(seed_copy):
    at = open_page()
    at.radio(key="panel_item").set_value("place:miami")
    run(at)
    panel = html_blocks(at)
    assert "The head honchos" in panel and "Mario Pazmiño, paragraph 8" in panel
    at.radio(key="panel_item").set_value("place:buenaventura")
    run(at)
    assert "keeping cocaine shipments out of its ports" in html_blocks(at)


def test_places_table(seed_copy):
    at = open_tab(open_page(), "Places")
    table = at.dataframe[0].value
    assert {"name", "kind", "country", "lat", "lon", "mentions", "confidence", "inferred"} <= set(table.columns)
    row = table[table["name"] == "Buenaventura"].iloc[0]
    assert row["country"] == "Colombia" and abs(row["lat"] - 3.8801) < 0.01 and row["mentions"] == 1
    assert table[table["name"].str.contains("Caribbean ports")]["inferred"].all()


def test_quotes_filter_by_speaker(seed_copy, gold):
    at = open_tab(open_page(), "Quotes")
    assert len(at.dataframe[0].value) >= len([q for q in gold["quotes"] if not q.get("optional")])
    at.multiselect(key="speakers").set_value(["Fausto Cobo"])
    run(at)
    quotes = at.dataframe[0].value
    assert set(quotes["speaker"]) == {"Fausto Cobo"}
    assert len(quotes) == len([q for q in gold["quotes"] if q["speaker"] == "Fausto Cobo"])


def test_article_text_is_highlighted(seed_copy):
    at = open_page()  # the Article tab is open first
    text = html_blocks(at)
    assert '<span class="geomap-place" title="Buenaventura (Colombia)">Buenaventura</span>' in text
    assert 'class="geomap-quote" title="quote: Fausto Cobo"' in text


# --- correcting ---------------------------------------------------------------------------


def colombian_madrid(at: AppTest) -> str:
    options = at.selectbox(key="fix_candidate_madrid").options
    return next(o for o in options if ", CO (" in o)


def test_picking_another_candidate_moves_the_place_and_is_saved(seed_copy):
    at = open_tab(open_page(), "Correct")
    before = dict((p[0], p[1:]) for p in markers(script(at)))
    assert km(before["madrid"], (40.4165, -3.7026)) < 25
    at.selectbox(key="fix_place").set_value("madrid")
    run(at)
    why = at.dataframe[0].value
    assert (why["why"].str.len() > 0).all() and why["why"].str.contains("population").any()  # why each scored so
    label = colombian_madrid(at)
    at.selectbox(key="fix_candidate_madrid").select(label)
    at.button(key="fix_pick").click()
    run(at)
    moved = dict((p[0], p[1:]) for p in markers(script(at)))
    assert km(moved["madrid"], (4.73, -74.26)) < 30  # Madrid, Cundinamarca
    assert any("Saved to" in s for s in alerts(at, "success"))
    saved = load_corrections(corrections_path(seed_copy))
    assert saved.places[0].place == "madrid" and saved.places[0].pick.startswith("geonames:")
    run(at)  # a rerun keeps it
    assert dict((p[0], p[1:]) for p in markers(script(at)))["madrid"] == moved["madrid"]
    fresh = open_page()  # so does a new session: the corrections file is read
    assert dict((p[0], p[1:]) for p in markers(script(fresh)))["madrid"] == moved["madrid"]


def test_remove_a_place_drop_and_add_flows_then_undo(seed_copy):
    at = open_tab(open_page(), "Correct")
    at.selectbox(key="fix_place").set_value("dubai")
    at.button(key="fix_drop").click()
    run(at)
    assert "dubai" not in {p[0] for p in markers(script(at))}
    at.selectbox(key="drop_flow").set_value("colombia->ecuador:traffickers")
    at.button(key="flow_drop").click()
    run(at)
    assert "traffickers: Colombia \u2192 Ecuador" not in script(at)
    at.selectbox(key="flow_from").set_value("miami")
    at.selectbox(key="flow_to").set_value("madrid")
    at.text_input(key="flow_what").input("money")
    at.selectbox(key="flow_layer").set_value("money")
    at.button(key="flow_add").click()
    run(at)
    assert "money: Miami \u2192 Madrid" in script(at)
    saved = load_corrections(corrections_path(seed_copy))
    assert saved.drop_flows == ("colombia->ecuador:traffickers",) and saved.add_flows[0].what == "money"
    assert [f.place for f in saved.places] == ["dubai"]
    at.button(key="undo_all").click()
    run(at)
    assert "dubai" in {p[0] for p in markers(script(at))}
    assert load_corrections(corrections_path(seed_copy)).empty


def test_a_correction_the_story_refuses_says_why(seed_copy):
    at = open_tab(open_page(), "Correct")
    at.selectbox(key="flow_from").set_value("miami")
    at.selectbox(key="flow_to").set_value("dubai")
    at.text_input(key="flow_what").input("money")
    at.button(key="flow_add").click()
    run(at)
    # Removing Dubai would leave the added flow without an end: refused, nothing changes.
    at.selectbox(key="fix_place").set_value("dubai")
    at.button(key="fix_drop").click()
    run(at)
    assert any("Not changed" in e and "dubai" in e for e in alerts(at))
    assert "dubai" in {p[0] for p in markers(script(at))}


def test_pasted_text_corrections_go_to_the_workdir(seed_copy, tmp_path):
    at = paste(open_page(), SECOND)
    open_tab(at, "Correct")
    at.selectbox(key="fix_place").set_value("manta")
    at.button(key="fix_drop").click()
    run(at)
    files = list((tmp_path / "work" / "corrections").glob("*.corrections.json"))
    assert len(files) == 1 and re.fullmatch(r"[0-9a-f]{16}\.corrections\.json", files[0].name)
    assert load_corrections(files[0]).places[0].place == "manta"
    assert not list(seed_copy.parent.glob("*.corrections.json"))


def test_corrections_file_can_be_downloaded(seed_copy):
    at = open_tab(open_page(), "Correct")
    labels = [b.label for b in at.get("download_button")]
    assert "Download the corrections (JSON)" in labels


# --- taking away, and being fast --------------------------------------------------------------


def test_download_buttons_for_every_format(seed_copy):
    labels = [b.label for b in open_page().get("download_button")]
    assert labels[:6] == ["Map (HTML)", "GeoJSON", "KML", "CSV", "PNG", "Embed snippet"]


def test_reruns_do_not_rebuild_the_pipeline(seed_copy, monkeypatch):
    calls = []
    real = geo.tell_story

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(geo, "tell_story", counted)
    with open(seed_copy, "a", encoding="utf-8") as article:
        article.write("\nA line only this test adds, so no earlier test cached this text.\n")
    at = open_page()
    built = len(calls)
    assert built >= 1
    at.radio(key="panel_item").set_value("place:buenaventura")  # what a click does
    run(at)
    run(at)
    open_tab(at, "Places")
    assert len(calls) == built


def test_the_first_view_has_its_widgets_in_popovers(seed_copy):
    # The browser shows the map only with the widgets around it, and loads each
    # kind of widget's code when it first shows one: a widget in the open page
    # (not in a popover, which is built when opened) delays the map at every open.
    from streamlit.testing.v1.element_tree import Block, Widget

    def loose(node, in_popover=False) -> list[str]:
        in_popover = in_popover or (isinstance(node, Block) and node.type == "popover")
        found = [] if in_popover or not isinstance(node, Widget) else [f"{node.type} {node.key}"]
        for child in getattr(node, "children", {}).values():
            found += loose(child, in_popover)
        return found

    at = open_page()
    assert loose(at.main) == [] and loose(at.sidebar) == []
    assert at.radio(key="panel_item").value and at.radio(key="tiles").value == ""  # still there, in popovers


def test_nothing_in_the_library_imports_streamlit():
    for module in (ROOT / "geo").rglob("*.py"):
        source = module.read_text("utf-8")
        assert not re.search(r"^\s*(?:import|from)\s+streamlit", source, re.MULTILINE), module
