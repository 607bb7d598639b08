"""Offline maps: one self-contained file, or links under a static URL."""

from __future__ import annotations

import copy
import hashlib
import json
import re

import folium
import pytest
from folium.elements import JSCSSMixin

from geo._assets import asset_path
from geo.escape import html_text
from geo.render.offline import (
    CREDITS,
    OfflineAssetError,
    OfflineMap,
    copy_web_assets,
)

EXTERNAL_TAG = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=", re.IGNORECASE)


def render(m: folium.Map) -> str:
    return m.get_root().render()


def external_tags(html: str) -> list[str]:
    """Every tag that loads something, except our no-request favicon."""
    tags = re.findall(r"<(?:script|link|img)\b[^>]*>", html, re.IGNORECASE)
    return [t for t in tags if EXTERNAL_TAG.search(t) and 'href="data:,"' not in t]


@pytest.fixture(scope="module")
def minimal_html() -> str:
    return render(OfflineMap(basemap=False))


@pytest.fixture(scope="module")
def basemap_html() -> str:
    return render(OfflineMap([1.0, -78.0], zoom_start=6))


def test_minimal_map_loads_nothing(minimal_html):
    assert external_tags(minimal_html) == []
    assert '<script src="http' not in minimal_html
    assert '<link href="http' not in minimal_html
    assert "cdn.jsdelivr" not in minimal_html and "code.jquery.com" not in minimal_html


def test_minimal_map_is_small(minimal_html):
    # Leaflet 147 KB + jQuery 88 KB + CSS and icons; no Bootstrap, no fonts.
    assert len(minimal_html.encode()) < 300_000


def test_leaflet_and_jquery_are_inlined(minimal_html):
    leaflet = asset_path("web", "leaflet", "leaflet.js").read_text(encoding="utf-8")
    jquery = asset_path("web", "jquery", "jquery.min.js").read_text(encoding="utf-8")
    assert leaflet.splitlines()[0] in minimal_html
    assert jquery[:200] in minimal_html
    assert "sourceMappingURL" not in minimal_html


def test_stylesheet_and_icons_are_data_uris(minimal_html):
    assert "url(images/" not in minimal_html
    assert 'url("data:image/png;base64,' in minimal_html
    assert "L.Icon.Default.mergeOptions(" in minimal_html
    assert '"iconUrl":"data:image/png;base64,' in minimal_html


def test_saved_file_is_self_contained(tmp_path):
    path = tmp_path / "map.html"
    m = OfflineMap([0.96, -79.65], zoom_start=7, basemap=False)
    folium.Marker([0.96, -79.65], popup=folium.Popup(html_text("Esmeraldas"))).add_to(m)
    m.save(str(path))
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]
    assert external_tags(path.read_text(encoding="utf-8")) == []


def test_folium_class_lists_are_never_mutated(tmp_path):
    js, css = folium.Map.default_js, folium.Map.default_css
    js_before, css_before = copy.deepcopy(js), copy.deepcopy(css)

    for m in (OfflineMap(basemap=False), OfflineMap(basemap=False, static_url="/s/")):
        m.add_js_link("extra", "/s/extra.js")  # lands on the instance only
        m.add_css_link("extra_css", "/s/extra.css")
        if m.static_url:
            render(m)

    assert folium.Map.default_js is js and folium.Map.default_css is css
    assert js == js_before and css == css_before
    assert JSCSSMixin.default_js == [] and JSCSSMixin.default_css == []
    # A plain folium map made afterwards is untouched.
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in render(folium.Map(tiles=None))


def test_instances_do_not_share_link_lists():
    a = OfflineMap(basemap=False, static_url="/s/")
    b = OfflineMap(basemap=False, static_url="/s/")
    a.add_js_link("extra", "/s/extra.js")
    assert ("extra", "/s/extra.js") not in b.default_js
    assert OfflineMap(basemap=False).default_js == []


def test_a_library_that_is_not_vendored_is_refused():
    class NeedsD3(JSCSSMixin, folium.MacroElement):
        default_js = [("d3", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")]

    m = OfflineMap(basemap=False)
    m.add_child(NeedsD3())
    with pytest.raises(OfflineAssetError, match="not vendored"):
        render(m)


def test_awesome_marker_icons_are_refused():
    # folium.Icon relies on Font Awesome and awesome-markers from CDNs.
    m = OfflineMap(basemap=False)
    folium.Marker([0, 0], icon=folium.Icon(color="red")).add_to(m)
    with pytest.raises(OfflineAssetError, match="folium.Icon"):
        render(m)


def test_a_plugin_re_adding_jquery_from_a_cdn_gets_ours():
    class NeedsJquery(JSCSSMixin, folium.MacroElement):
        default_js = [("jquery", "https://code.jquery.com/jquery-3.7.1.min.js")]

    m = OfflineMap(basemap=False)
    m.add_child(NeedsJquery())
    html = render(m)
    assert "code.jquery.com" not in html
    assert external_tags(html) == []


def test_basemap_is_drawn_by_default(basemap_html):
    assert external_tags(basemap_html) == []
    assert basemap_html.count("L.geoJSON(") == 2  # land, then borders
    assert '"MultiPolygon"' in basemap_html and '"MultiLineString"' in basemap_html
    assert "interactive: false" in basemap_html
    # Land and borders of the whole world, inline.
    assert len(basemap_html.encode()) < 1_500_000


def test_basemap_carries_shapes_only(basemap_html):
    # Nothing from the data's properties (names) reaches the page.
    assert "Ecuador" not in basemap_html and "Esmeraldas" not in basemap_html


def test_provinces_of_chosen_countries():
    html = render(OfflineMap(basemap=False, provinces=["EC"]))
    assert html.count("L.geoJSON(") == 1
    assert '"dashArray":"3 3"' in html
    assert "L.geoJSON(" not in render(OfflineMap(basemap=False, provinces=["XX"]))


def test_credits(minimal_html):
    text = re.search(r"addAttribution\((\".*?\")\)", minimal_html).group(1)
    assert json.loads(text) == " | ".join(CREDITS)
    assert "Natural Earth" in text and "GeoNames (CC BY 4.0)" in text and "US Census Bureau" in text


def test_credits_are_escaped():
    html = render(OfflineMap(basemap=False, credits=["<img src=x onerror=alert(1)>"]))
    assert "<img src=x" not in html
    text = re.search(r"addAttribution\((\".*?\")\)", html).group(1)
    assert json.loads(text) == html_text("<img src=x onerror=alert(1)>")


def test_no_tiles_by_default(minimal_html):
    assert "L.tileLayer(" not in minimal_html


@pytest.mark.parametrize(
    ("tiles", "host", "credit"),
    [
        ("osm", "tile.openstreetmap.org", "OpenStreetMap"),
        ("Esri.WorldGrayCanvas", "server.arcgisonline.com", "Esri"),
    ],
)
def test_online_tiles_are_opt_in(tiles, host, credit):
    html = render(OfflineMap(tiles=tiles))
    assert "L.tileLayer(" in html and host in html and credit in html
    # With tiles, the Natural Earth fill would hide them: off unless asked.
    assert "L.geoJSON(" not in html
    assert external_tags(html) == []  # Leaflet itself is still inline


def test_static_url_mode_links_under_the_prefix():
    m = OfflineMap(basemap=False, static_url="/app/static/")
    html = render(m)
    assert external_tags(html) == [
        '<script src="/app/static/leaflet/leaflet.js">',
        '<script src="/app/static/jquery/jquery.min.js">',
        '<link rel="stylesheet" href="/app/static/leaflet/leaflet.css"/>',
    ]
    assert 'L.Icon.Default.imagePath = "/app/static/leaflet/images/";' in html
    assert "data:image/png" not in html
    assert len(html.encode()) < 20_000
    # st_folium collects these lists from every element of the map.
    assert m.default_js == [
        ("leaflet", "/app/static/leaflet/leaflet.js"),
        ("jquery", "/app/static/jquery/jquery.min.js"),
    ]
    assert m.default_css == [("leaflet_css", "/app/static/leaflet/leaflet.css")]


def test_jquery_only_when_an_element_may_need_it(tmp_path):
    def links(m: folium.Map) -> list[str]:
        return re.findall(r'<script src="([^"]+)">', render(m))

    bare = OfflineMap(basemap=False, static_url="/s/", jquery=None)
    folium.Marker([0, 0], tooltip="x").add_to(folium.FeatureGroup(name="g").add_to(bare))
    assert links(bare) == ["/s/leaflet/leaflet.js"] and bare.default_js == [("leaflet", "/s/leaflet/leaflet.js")]
    popup = OfflineMap(basemap=False, static_url="/s/", jquery=None)
    folium.Marker([0, 0], popup=folium.Popup("x")).add_to(popup)  # folium's popups are made with $(...)
    assert links(popup) == ["/s/leaflet/leaflet.js", "/s/jquery/jquery.min.js"]
    jquery = asset_path("web", "jquery", "jquery.min.js").read_text(encoding="utf-8")[:200]
    assert jquery not in render(OfflineMap(basemap=False, jquery=None))
    assert jquery in render(OfflineMap(basemap=False))  # the default keeps it


def test_static_url_must_be_a_plain_prefix():
    for bad in ('/x"><script>', "/app/static", "/a b/"):
        with pytest.raises(ValueError):
            OfflineMap(static_url=bad)


def test_copy_web_assets_matches_the_links(tmp_path):
    copy_web_assets(tmp_path)
    for path in ("leaflet/leaflet.js", "leaflet/leaflet.css", "jquery/jquery.min.js",
                 "leaflet/images/marker-icon.png", "leaflet/images/layers.png"):
        assert (tmp_path / path).is_file(), path
    m = OfflineMap(static_url="/s/")
    world = dict(m.default_js)["geomap_world"]
    assert (tmp_path / world.removeprefix("/s/")).is_file()


def test_static_url_mode_links_the_world_basemap_instead_of_inlining_it(tmp_path):
    html = render(OfflineMap([1.0, -78.0], zoom_start=6, static_url="/s/", provinces=["EC"]))
    links = re.findall(r'<script src="([^"]+)">', html)
    assert links[:2] == ["/s/leaflet/leaflet.js", "/s/jquery/jquery.min.js"]
    assert re.fullmatch(r"/s/basemap/world-[0-9a-f]{16}\.js", links[2])
    assert "L.geoJSON((window.geomapWorld || {}).land || []," in html and "(window.geomapWorld || {}).borders" in html
    assert '"MultiPolygon"' not in html and len(html.encode()) < 100_000  # provinces stay inline
    copy_web_assets(tmp_path)
    script = (tmp_path / links[2].removeprefix("/s/")).read_text("utf-8")
    assert script.startswith("var geomapWorld = JSON.parse(") and '"MultiPolygon"' in script
    assert "<" not in script  # shapes only


def test_vendored_files_and_licences_are_present():
    for path in ("leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE",
                 "jquery/jquery.min.js", "jquery/LICENSE.txt", "SOURCES.md"):
        assert asset_path("web", path).is_file(), path
    sources = asset_path("web", "SOURCES.md").read_text(encoding="utf-8")
    assert "leaflet | 1.9.3" in sources and "jquery | 3.7.1" in sources


def test_streamlit_folium_reads_the_map():
    streamlit_folium = pytest.importorskip("streamlit_folium")
    m = OfflineMap([1.0, -78.0], zoom_start=6, static_url="/app/static/")
    folium.Marker([0.96, -79.65]).add_to(m)
    render(m)
    script = streamlit_folium.generate_leaflet_string(m)
    assert 'L.Icon.Default.imagePath = "/app/static/leaflet/images/";' in script
    assert script.count("L.geoJSON(") == 2 and "L.marker(" in script


def test_vendored_files_are_unedited_upstream_copies():
    sources = asset_path("web", "SOURCES.md").read_text(encoding="utf-8")
    recorded = re.findall(r"\| `([\w./-]+)` \| `[^`]+` `[^`]+` \| `([0-9a-f]{64})` \|", sources)
    assert len(recorded) == 10
    for path, digest in recorded:
        assert hashlib.sha256(asset_path("web", path).read_bytes()).hexdigest() == digest, path
