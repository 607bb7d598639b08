"""The Streamlit page end to end: `streamlit run` on a loopback port, driven by Chromium.

Every request that would leave the machine is blocked and recorded: the page
must render its map without one. The server runs with GEOMAP_WORKDIR in a
temporary directory and is stopped by its PID.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.browser.support import streamlit_server

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect, PlaywrightError = sync_api.expect, sync_api.Error

ROOT = Path(__file__).resolve().parents[2]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SECOND = (
    "Ships leave Manta for Guayaquil with cocaine, police say\n"
    "Fishing boats carried cocaine from Manta to Guayaquil last month, officials said.\n"
    "\u201cThe boats leave at night,\u201d said Ana Ruiz, a port officer in Guayaquil.\n"
)
BUENAVENTURA_SENTENCE = "Petro claimed Colombia has been effective in keeping cocaine shipments out of its ports"


@pytest.fixture(scope="module")
def server(playwright, tmp_path_factory):
    """``streamlit run streamlit_app.py`` on a free loopback port; yields its base URL."""
    # (Asking for the playwright fixture first skips the module before a server starts.)
    work = tmp_path_factory.mktemp("geomap-work")
    env = {**os.environ, "GEOMAP_WORKDIR": str(work)}
    env.pop("GEOMAP_ARTICLE", None)
    with streamlit_server(ROOT / "streamlit_app.py", ROOT, env) as url:
        yield url


def _local(base: str):
    socket_base = base.replace("http://", "ws://")
    return lambda url: url.startswith((base, socket_base))


def _map(page):
    return page.frame_locator(MAP_FRAME)


def _map_showing(page, selector: str, timeout: float = 60):
    """The map frame that shows ``selector`` (while a new map replaces the old, both are in the page)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if "st_folium" in frame.url and frame.query_selector(selector) is not None:
                    return frame
            except PlaywrightError:  # a map that was just replaced
                continue
        page.wait_for_timeout(100)
    raise AssertionError(f"no map shows {selector} after {timeout:.0f} s")


def _idle(page) -> None:
    """Wait until the page's script has finished its run."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached", timeout=60_000)


def _upload(page, name: str, data: bytes) -> None:
    """Upload a file the way a person does: open the sidebar's article popover, drop it in."""
    page.locator('[data-testid="stPopoverButton"]', has_text="Open another article").click()
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', files=[{"name": name, "mimeType": "text/plain", "buffer": data}])


def _download_menu(page) -> None:
    """Open the "Download the map" menu, if it is not open already."""
    if not page.locator('[data-testid="stPopoverBody"]').get_by_role("button", name="GeoJSON").count():
        page.locator('[data-testid="stPopoverButton"]', has_text="Download the map").click()
    page.get_by_role("button", name="GeoJSON").wait_for(timeout=30_000)


def _open(open_page, server):
    page, log = open_page(server, _local(server))
    _map(page).locator('[data-place="buenaventura"]').wait_for(timeout=90_000)
    _idle(page)
    return page, log


def test_map_renders_with_no_request_leaving_the_machine(open_page, server):
    page, log = _open(open_page, server)
    frame = _map(page)
    for place in ("colombia", "ecuador", "esmeraldas_province"):
        assert frame.locator(f'[data-place="{place}"]').count() == 1
    assert frame.locator(".geomap-title").inner_text().startswith("Major drug traffickers have left Colombia")
    assert frame.locator(".leaflet-control-layers-overlays label").count() >= 3  # layer toggles
    assert frame.locator(".leaflet-geomapBasemap-pane path").count() >= 2  # Natural Earth land and borders
    assert frame.locator('path.leaflet-interactive[stroke="#D55E00"]').count() >= 4  # flows and arrowheads
    assert page.locator("h1").first.inner_text().startswith("Major drug traffickers")
    page.wait_for_timeout(1000)  # anything late (fonts, icons, telemetry) would show now
    assert log.blocked == [] and log.errors == [] and log.dialogs == []


def test_clicking_a_place_opens_its_quotes_and_sentences(open_page, server):
    page, log = _open(open_page, server)
    frame = _map(page)
    frame.locator('[data-place="buenaventura"]').click()
    panel = page.locator(".geomap-panel")
    expect(panel.locator("h4").first).to_have_text("Buenaventura", timeout=30_000)
    expect(panel).to_contain_text(BUENAVENTURA_SENTENCE)
    expect(panel).to_contain_text("narration, paragraph 4")
    # Miami lies beyond the story's core: close the popup, show the whole story, click Miami.
    frame.locator(".leaflet-popup-close-button").dispatch_event("click")  # under the layer control here
    expect(frame.locator(".leaflet-popup")).to_have_count(0)
    frame.locator("a.geomap-whole").click()
    page.wait_for_timeout(600)  # Leaflet's zoom animation
    frame.locator('[data-place="miami"]').click()
    expect(panel.locator("h4").first).to_have_text("Miami", timeout=30_000)
    expect(panel).to_contain_text("The head honchos")
    expect(panel).to_contain_text("Mario Pazmiño, paragraph 8")
    assert log.blocked == [] and log.errors == []


def test_clicking_a_flow_opens_it(open_page, server):
    page, log = _open(open_page, server)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    # A point on a smuggling line (not an arrowhead: those are filled), in the frame's coordinates.
    x, y = frame.evaluate(
        """() => {
            const line = [...document.querySelectorAll('path.leaflet-interactive[stroke="#D55E00"]')]
                .find((p) => p.getAttribute("fill") === "none");
            const at = line.getPointAtLength(line.getTotalLength() / 4);
            const point = new DOMPoint(at.x, at.y).matrixTransform(line.getScreenCTM());
            return [point.x, point.y];
        }"""
    )
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.locator(".geomap-panel")
    # A flow's name: what moves, from where to where (one way or both).
    expect(panel.locator("h4").first).to_have_text(re.compile(r"^\w+: Colombia [\u2192\u2194] Ecuador$"), timeout=30_000)
    assert log.blocked == [] and log.errors == []


def test_panning_zooming_and_toggling_do_not_rerun_the_page(open_page, server):
    page, log = open_page(server, _local(server))
    sent: list = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.reload()  # so that the page's websocket is watched from its start
    frame = _map(page)
    frame.locator('[data-place="buenaventura"]').wait_for(timeout=90_000)
    _idle(page)
    page.wait_for_timeout(1000)
    before = len(sent)
    smuggling = frame.locator(".leaflet-control-layers-overlays label", has_text="Smuggling").locator("input")
    lines = frame.locator('path.leaflet-interactive[stroke="#D55E00"]')
    assert lines.count() > 0
    smuggling.uncheck()
    assert lines.count() == 0
    smuggling.check()
    assert lines.count() > 0
    frame.locator(".leaflet-control-zoom-in").click()
    box = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2 + 60, steps=5)
    page.mouse.up()
    page.wait_for_timeout(1500)
    assert len(sent) == before, "a map interaction made the page talk to its server (a rerun)"
    assert log.blocked == []


def test_uploading_an_article_gives_its_map(open_page, server):
    page, log = _open(open_page, server)
    _upload(page, "ports.txt", SECOND.encode("utf-8"))
    frame = _map_showing(page, '[data-place="manta"]')
    assert frame.query_selector('[data-place="guayaquil"]') is not None
    assert frame.query_selector('[data-place="buenaventura"]') is None
    expect(page.locator("h1").first).to_contain_text("Ships leave Manta for Guayaquil")
    expect(page.locator(MAP_FRAME)).to_have_count(1)  # the old map is gone
    assert log.blocked == [] and log.errors == []


def test_a_bad_upload_says_why_and_keeps_the_map(open_page, server):
    page, log = _open(open_page, server)
    _upload(page, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(256))
    alert = page.locator('[data-testid="stAlert"]', has_text="looks like a binary file")
    alert.wait_for(timeout=30_000)
    assert "Traceback" not in page.locator("body").inner_text()
    assert _map(page).locator('[data-place="buenaventura"]').count() == 1
    assert log.blocked == []


def test_a_too_big_upload_is_refused_with_the_uploaders_message(open_page, server):
    # .streamlit/config.toml sets the uploader's limit to the reader's: the
    # browser refuses a 20 MB file before it reaches the server.
    page, log = _open(open_page, server)
    _upload(page, "big.txt", b"Lima and Quito. " * 1_250_000)
    page.get_by_text(re.compile(r"File must be 2(\.0)?\s?MB or smaller")).first.wait_for(timeout=30_000)
    assert "Traceback" not in page.locator("body").inner_text()
    assert _map(page).locator('[data-place="buenaventura"]').count() == 1
    assert log.blocked == []


def test_every_download_is_the_story_in_its_format(open_page, server, tmp_path):
    page, log = _open(open_page, server)
    checks = {
        "GeoJSON": lambda data: json.loads(data)["type"] == "FeatureCollection",
        "KML": lambda data: data.startswith(b"<?xml") and b"<kml" in data[:400],
        "CSV": lambda data: data.startswith(b"id,name,kind") and b"Buenaventura" in data,
        "PNG": lambda data: data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000,
        "Embed snippet": lambda data: data.startswith(b"<iframe") and b"srcdoc=" in data,
    }
    for label, check in checks.items():
        _download_menu(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert check(saved.read_bytes()), label
    assert log.blocked == [] and log.errors == []


def test_html_download_is_a_working_standalone_map(open_page, server, tmp_path):
    page, log = _open(open_page, server)
    _download_menu(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Map (HTML)").click()
    saved = tmp_path / "map.html"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "000_52007b56ccc49824.html"
    standalone, standalone_log = open_page(saved.as_uri(), lambda url: url == saved.as_uri())
    standalone.locator('[data-place="buenaventura"]').wait_for(timeout=30_000)
    assert standalone.locator("[data-place]").count() >= 10
    standalone.locator('[data-place="buenaventura"]').click()
    assert BUENAVENTURA_SENTENCE in standalone.locator(".leaflet-popup-content").inner_text()
    assert standalone_log.blocked == [] and standalone_log.errors == []
    assert log.blocked == []
