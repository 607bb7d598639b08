"""The story map as HTML: offline, escaped, sized, and a real folium.Map."""

from __future__ import annotations

import json
import re

import folium
import pytest

import geo
from geo.article import read_article
from geo.pipeline import tell_story
from geo.render.html import build_map, embed_html, map_html

HOSTILE = ["<script>alert(1)</script>", "</script>", "<img src=x onerror=alert(2)>", "${alert(3)}", "C:\\x", "`tick`", 'say "hi"', "it's"]


@pytest.fixture(scope="module")
def seed_story(seed_article, gazetteer):
    return tell_story(seed_article, gazetteer=gazetteer)


@pytest.fixture(scope="module")
def seed_html(seed_story):
    return map_html(seed_story)


def test_build_map_is_a_folium_map_from_an_article(seed_article):
    fmap = geo.build_map(seed_article)
    assert isinstance(fmap, folium.Map)
    assert fmap._repr_html_()  # a notebook shows it inline


def test_standalone_html_is_offline_and_small(seed_html):
    assert len(seed_html.encode("utf-8")) <= 1_500_000
    assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', seed_html)
    assert "tile.openstreetmap.org" not in seed_html


def test_title_legend_layers_and_credits(seed_html, seed_story):
    assert seed_story.article.headline in seed_html
    assert "geomap-legend" in seed_html and "Whole story" in seed_html
    for title in ("Places", "Smuggling", "Port pressure"):
        assert f'"{title}"' in seed_html or f">{title}<" in seed_html or title in seed_html
    assert "GeoNames (CC BY 4.0)" in seed_html and "Natural Earth" in seed_html


def test_folium_class_assets_are_untouched(seed_story):
    before_js, before_css = list(folium.Map.default_js), list(folium.Map.default_css)
    build_map(seed_story).get_root().render()
    assert folium.Map.default_js == before_js and folium.Map.default_css == before_css


def test_online_tiles_are_an_option_with_their_attribution(seed_story):
    html = map_html(seed_story, tiles="osm")
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html


def _article_map(gazetteer, extra: str) -> str:
    text = f"Ships {extra}\nShips left Manta for Guayaquil with cocaine, {extra} said Ana Ruiz."
    return map_html(tell_story(read_article(text), gazetteer=gazetteer))


def test_hostile_article_text_never_reaches_html_raw(gazetteer):
    html = _article_map(gazetteer, " ".join(HOSTILE))
    baseline = _article_map(gazetteer, "calm words")
    for piece in HOSTILE:
        if piece != "</script>":  # the page has its own closing tags; counted below
            assert piece not in html, piece
    assert html.count("</script>") == baseline.count("</script>")
    assert "alert(1)" in html and "&lt;/script&gt;" in html  # the text is there, escaped


def test_embed_is_an_iframe_holding_the_whole_map(seed_story):
    fragment = embed_html(seed_story)
    assert fragment.startswith("<iframe ") and fragment.rstrip().endswith("</iframe>")
    assert 'sandbox="allow-scripts allow-popups"' in fragment
    assert "<script" not in fragment.split("srcdoc=", 1)[0]
    assert "&lt;script" in fragment  # the page is inside srcdoc, escaped


def test_popups_carry_quotes_with_speakers_and_paragraphs(seed_html):
    assert "Mario Pazmiño, paragraph 8" in seed_html
    assert "narration, paragraph 4" in seed_html
    assert "Inferred</b>: the article does not name this" in seed_html


def test_no_article_text_in_geojson_layer_data(seed_html):
    # Each shape (a province, a flow's line or arrowhead) is drawn as shape(<geometry>, <style>, ...).
    decoder = json.JSONDecoder()
    shapes = [decoder.raw_decode(seed_html, m.end())[0] for m in re.finditer(r"\bshape\((?=\{)", seed_html)]
    assert len(shapes) >= 5  # the province, and two lines and two arrowheads at least
    for geometry in shapes:
        assert set(geometry) == {"type", "coordinates"}, geometry.keys()


def test_one_element_per_layer_and_popups_made_when_opened(seed_story):
    # Per-place folium elements cost a template render each on every page render.
    fmap = build_map(seed_story)
    elements = []
    stack = [fmap]
    while stack:
        element = stack.pop()
        elements.append(element)
        stack.extend(element._children.values())
    assert len(elements) <= 25
    assert not [e for e in elements if isinstance(e, (folium.Marker, folium.Popup, folium.Tooltip, folium.GeoJson))]
    html = fmap.get_root().render()
    assert "bindPopup(" in html and "$(`" not in html  # Leaflet parses a popup's HTML when it opens


