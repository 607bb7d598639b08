"""An offline map in a real browser: no requests, markers, popups, no script injection."""

from __future__ import annotations

import functools
import http.server
import threading

import folium
import pytest

from geo.escape import html_text
from geo.render.offline import OfflineMap, copy_web_assets

ESMERALDAS = (0.9592, -79.6539)
BUENAVENTURA = (3.8801, -77.0312)
# Each of these broke or hijacked a folium popup before escaping.
HOSTILE = [
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(2)>",
    "${alert(3)}",
    "C:\\x",
]


def story_map(**kwargs) -> OfflineMap:
    m = OfflineMap([2.4, -78.3], zoom_start=7, provinces=["EC", "CO"], **kwargs)
    popup = "<br>".join(html_text(text) for text in HOSTILE)
    folium.Marker(ESMERALDAS, popup=folium.Popup(popup, max_width=400)).add_to(m)
    folium.Marker(BUENAVENTURA, popup=folium.Popup(html_text("Buenaventura"))).add_to(m)
    folium.PolyLine([BUENAVENTURA, ESMERALDAS], color="#D55E00", weight=3).add_to(m)
    return m


def icons_loaded(page) -> bool:
    return page.eval_on_selector_all(
        ".leaflet-marker-icon", "els => els.every(e => e.complete && e.naturalWidth > 0)"
    )


@pytest.fixture
def saved_map(tmp_path):
    path = tmp_path / "story.html"
    story_map().save(str(path))
    return path


def test_offline_file_makes_no_requests_and_shows_the_story(open_page, saved_map):
    own = saved_map.as_uri()
    page, log = open_page(own, allowed=lambda url: url == own)
    page.wait_for_selector(".leaflet-marker-icon")

    assert page.locator(".leaflet-marker-icon").count() == 2
    assert icons_loaded(page)
    # The story's line is interactive; the basemap's paths are not.
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == 1
    assert page.locator(".leaflet-geomapBasemap-pane path").count() >= 3
    attribution = page.inner_text(".leaflet-control-attribution")
    for credit in ("Leaflet", "Natural Earth", "GeoNames (CC BY 4.0)"):
        assert credit in attribution

    page.locator(".leaflet-marker-icon").first.click()
    popup = page.wait_for_selector(".leaflet-popup-content")
    shown = popup.inner_text()
    for text in HOSTILE:
        assert text in shown
    page.wait_for_timeout(200)  # let any injected handler (onerror) fire

    assert log.blocked == []
    assert log.dialogs == []
    assert log.errors == []


def test_static_url_mode_loads_only_from_its_server(open_page, tmp_path):
    static = copy_web_assets(tmp_path / "static")
    story_map(static_url="/static/").save(str(tmp_path / "story.html"))
    with _serve(tmp_path) as origin:
        page, log = open_page(f"{origin}/story.html", allowed=lambda u: u.startswith(origin))
        page.wait_for_selector(".leaflet-marker-icon")
        assert page.locator(".leaflet-marker-icon").count() == 2
        assert icons_loaded(page)
        assert page.locator(".leaflet-geomapBasemap-pane path").count() >= 3
    assert static.is_dir()
    assert log.blocked == [] and log.dialogs == [] and log.errors == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


class _serve:
    """Serve a directory on 127.0.0.1 for the duration of a ``with`` block."""

    def __init__(self, directory) -> None:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
