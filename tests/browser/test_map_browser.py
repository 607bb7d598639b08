"""The story map in a real browser: offline, clickable, and immune to hostile article text."""

from __future__ import annotations

import pytest

from geo.article import read_article
from geo.pipeline import tell_story
from geo.render.html import map_html

HOSTILE = ["<script>alert(1)</script>", "</script>", "<img src=x onerror=alert(2)>", "${alert(3)}", "C:\\x"]


def _only_the_page(path):
    return lambda url: url == path.as_uri()


@pytest.fixture(scope="module")
def seed_map_file(seed_article, gazetteer, tmp_path_factory):
    path = tmp_path_factory.mktemp("maps") / "seed.html"
    path.write_text(map_html(tell_story(seed_article, gazetteer=gazetteer)), "utf-8")
    return path


def test_seed_map_is_offline_and_complete(seed_map_file, open_page):
    page, log = open_page(seed_map_file.as_uri(), _only_the_page(seed_map_file))
    page.wait_for_selector('[data-place="buenaventura"]')
    assert log.blocked == [] and log.errors == [] and log.dialogs == []
    # Markers for every named place; flows are SVG paths in the smuggling colour.
    places = page.eval_on_selector_all("[data-place]", "els => els.map(e => e.dataset.place)")
    assert {"colombia", "ecuador", "buenaventura", "madrid", "miami", "dubai", "washington_dc"} <= set(places)
    strokes = page.eval_on_selector_all("path.leaflet-interactive", "els => els.map(e => e.getAttribute('stroke'))")
    assert strokes.count("#D55E00") >= 4  # two lines and two arrowheads at least
    assert page.locator(".geomap-title").inner_text().startswith("Major drug traffickers have left Colombia")
    legend = page.locator(".geomap-legend").inner_text()
    assert "Smuggling" in legend and "Port pressure rising" in legend and "Inferred" in legend
    assert "GeoNames (CC BY 4.0)" in page.locator(".leaflet-control-attribution").inner_text()


def test_clicking_buenaventura_shows_petros_sentence(seed_map_file, open_page):
    page, log = open_page(seed_map_file.as_uri(), _only_the_page(seed_map_file))
    page.locator('[data-place="buenaventura"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Buenaventura" in text and "Colombia" in text
    assert "Petro claimed Colombia has been effective in keeping cocaine shipments out of its ports" in text
    assert log.blocked == []


def test_whole_story_control_reaches_the_far_places(seed_map_file, open_page):
    page, _ = open_page(seed_map_file.as_uri(), _only_the_page(seed_map_file))
    page.wait_for_selector('[data-place="buenaventura"]')
    assert not page.locator('[data-place="madrid"]').is_visible() or not _in_viewport(page, "madrid")
    page.locator("a.geomap-whole").click()
    page.wait_for_timeout(600)  # Leaflet's zoom animation
    for far in ("madrid", "miami", "dubai", "washington_dc"):
        assert _in_viewport(page, far), far


def _in_viewport(page, place: str) -> bool:
    return page.eval_on_selector(
        f'[data-place="{place}"]',
        """e => { const r = e.getBoundingClientRect(), m = document.querySelector('.folium-map').getBoundingClientRect();
                  return r.left >= m.left && r.right <= m.right + 200 && r.top >= m.top && r.bottom <= m.bottom; }""",
    )


def test_hostile_text_stays_text(gazetteer, open_page, tmp_path):
    hostile = " ".join(HOSTILE)
    text = f"Ships {hostile} at sea\nShips left Manta for Guayaquil with cocaine, {hostile} officials said."
    path = tmp_path / "hostile.html"
    path.write_text(map_html(tell_story(read_article(text, source="hostile <b>.txt"), gazetteer=gazetteer)), "utf-8")
    page, log = open_page(path.as_uri(), _only_the_page(path))
    page.wait_for_selector('[data-place="manta"]')
    page.locator('[data-place="manta"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    shown = popup.inner_text()
    for piece in HOSTILE:
        assert piece in shown, piece
    assert hostile in page.locator(".geomap-title").inner_text()
    assert log.dialogs == [] and log.errors == [] and log.blocked == []
    assert page.locator("img[src=x]").count() == 0
