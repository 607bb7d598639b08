"""The story as a folium map: toggleable layers, quote popups, legend, title.

:func:`build_map` draws the layers of :func:`geo.layers.story_layers` on an
:class:`~geo.render.offline.OfflineMap` (no network unless tiles are asked
for). Points are DivIcon markers with their names; flows are lines with
arrowhead polygons; ports are graduated circles with their trend's glyph;
inferred features are dashed and hollow and say so in their popups. The map
opens on the story's core, and a control switches to the whole story.

Each layer is a folium FeatureGroup (so the layer control toggles it) holding
one script that draws all its features with Leaflet: a folium element per
marker, tooltip and popup made every render of the map slow (st_folium renders
it on each run of the Streamlit page) and every popup's HTML was parsed when
the page loaded.

Every article string reaches HTML through :func:`geo.escape.html_text`, and
every string reaches the script as a JSON literal that cannot end it. Line and
polygon shapes go into the script as bare geometries, so no article text is
ever part of the map's layer data either.
"""

from __future__ import annotations

from typing import Any

import folium
from folium.template import Template
from markupsafe import Markup

from ..coords import from_xy
from ..escape import html_text, script_json
from ..layers import LAYER_ORDER, story_layers
from ..story import Story
from .offline import CREDITS, OfflineMap, PageElement
from .popups import flow_popup, place_popup, pressure_popup
from .style import (
    INFERRED_DASH,
    LAYER_TITLES,
    PROVINCE_COLOUR,
    TREND_COLOURS,
    TREND_GLYPHS,
    flow_colour,
    legend_items,
    pressure_radius,
)
from .view import core_bounds, off_core_places, whole_bounds

__all__ = ["build_map", "map_html", "embed_html"]

_POPUP_WIDTH = 420
_LABEL_KINDS = frozenset({"sea", "ocean", "region", "continent"})

_CSS = """
<style>
.geomap-place { display: inline-block; white-space: nowrap; font: 12px/1.2 "Helvetica Neue", Arial, sans-serif; color: #222; }
.geomap-place .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; background: #222;
  border: 2px solid #fff; box-shadow: 0 0 0 1px #222; vertical-align: middle; margin-right: 3px; }
.geomap-place.inferred .dot { background: transparent; border: 2px dashed #222; box-shadow: none; }
.geomap-place .name { text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; font-weight: 600; vertical-align: middle; }
.geomap-country { display: inline-block; white-space: nowrap; font: 13px "Helvetica Neue", Arial, sans-serif; letter-spacing: 0.18em;
  text-transform: uppercase; color: #6b6b6b; text-shadow: 0 0 3px #fff, 0 0 3px #fff; cursor: pointer; }
.geomap-sea { display: inline-block; white-space: nowrap; font: italic 12px Georgia, serif; color: #4d7391; cursor: pointer; }
.geomap-trend { display: inline-block; white-space: nowrap; font: bold 15px Arial, sans-serif; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.geomap-trend .name { font: italic 12px "Helvetica Neue", Arial, sans-serif; color: #333; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }
.geomap-title { position: absolute; top: 10px; left: 50%; transform: translateX(-50%); z-index: 1000;
  background: rgba(255,255,255,0.92); padding: 6px 12px; border-radius: 4px; max-width: calc(100% - 360px);
  font: 15px/1.3 "Helvetica Neue", Arial, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); text-align: center; }
.geomap-title .sub { font-size: 11px; color: #555; }
.geomap-legend { background: rgba(255,255,255,0.94); padding: 6px 9px; border-radius: 4px; line-height: 1.5;
  font: 12px "Helvetica Neue", Arial, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
.geomap-legend .sym { display: inline-block; width: 26px; text-align: center; vertical-align: middle; }
.geomap-view a { width: auto !important; padding: 0 8px; font: bold 12px Arial, sans-serif; }
</style>
"""


class _Element(PageElement):
    """A piece of our own HTML, CSS or script in the map's page."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{{ this.header_html }}{% endmacro %}
        {% macro html(this, kwargs) %}{{ this.body_html }}{% endmacro %}
        {% macro script(this, kwargs) %}{{ this.script_js }}{% endmacro %}
        """
    )

    def __init__(self, *, header: str = "", body: str = "", script: str = "") -> None:
        super().__init__()
        self._name = "GeomapElement"
        self.header_html = Markup(header)
        self.body_html = Markup(body)
        self.script_js = Markup(script)


def _title(story: Story) -> _Element:
    body = (
        f'<div class="geomap-title"><b>{html_text(story.article.headline)}</b>'
        '<div class="sub">Draft map of the article\u2019s story: check it before publishing</div></div>'
    )
    return _Element(body=body)


def _legend_symbol(item) -> str:
    if item.symbol == "arrow":
        return f'<svg width="26" height="10"><line x1="1" y1="5" x2="18" y2="5" stroke="{item.colour}" stroke-width="3"/><polygon points="17,0 26,5 17,10" fill="{item.colour}"/></svg>'
    if item.symbol == "glyph":
        return f'<span style="color:{item.colour};font-size:15px">{item.glyph}</span>'
    if item.symbol == "dashed-circle":
        return f'<svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="none" stroke="{item.colour}" stroke-width="2" stroke-dasharray="3 2"/></svg>'
    if item.symbol == "polygon":
        return f'<svg width="16" height="12"><rect x="1" y="1" width="14" height="10" fill="{item.colour}" fill-opacity="0.15" stroke="{item.colour}" stroke-dasharray="3 2"/></svg>'
    return f'<svg width="12" height="12"><circle cx="6" cy="6" r="4" fill="{item.colour}" stroke="#fff" stroke-width="1.5"/></svg>'


def _legend(map_name: str, collection: dict[str, Any]) -> _Element:
    features = collection["features"]
    layers = tuple(dict.fromkeys(f["properties"]["layer"] for f in features))
    trends = tuple(dict.fromkeys(f["properties"]["trend"] for f in features if "trend" in f["properties"]))
    items = legend_items(
        layers,
        trends,
        inferred=any(f["properties"]["inferred"] for f in features),
        provinces=any(f["properties"]["kind"] == "admin1" for f in features),
    )
    rows = "".join(f'<div><span class="sym">{_legend_symbol(i)}</span> {html_text(i.label)}</div>' for i in items)
    html = script_json(f'<div class="geomap-legend"><b>Legend</b>{rows}</div>')
    script = f"""
        (function () {{
            var legend = L.control({{position: "bottomleft"}});
            legend.onAdd = function () {{
                var div = L.DomUtil.create("div", "");
                div.innerHTML = {html};
                return div;
            }};
            legend.addTo({map_name});
        }})();
    """
    return _Element(script=script)


def _view_control(map_name: str, story: Story) -> _Element | None:
    """A control to switch between the story's core (the first view) and the whole story."""
    core, whole = core_bounds(story), whole_bounds(story)
    if core is None or whole is None or whole == core:
        return None
    beyond = ", ".join(off_core_places(story))
    # The links are HTML made here, article names escaped once, as everywhere.
    title = html_text(f"Show the whole story ({beyond})" if beyond else "Show the whole story")
    links = script_json(
        f'<a class="geomap-whole" href="#" title="{title}">Whole story</a><a class="geomap-core" href="#">Core</a>'
    )
    script = f"""
        (function () {{
            var core = {script_json([list(core[0]), list(core[1])])};
            var whole = {script_json([list(whole[0]), list(whole[1])])};
            var control = L.control({{position: "topleft"}});
            control.onAdd = function () {{
                var div = L.DomUtil.create("div", "leaflet-bar geomap-view");
                div.innerHTML = {links};
                var wholeLink = div.querySelector(".geomap-whole");
                var coreLink = div.querySelector(".geomap-core");
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(wholeLink, "click", function (e) {{ L.DomEvent.preventDefault(e); {map_name}.fitBounds(whole); }});
                L.DomEvent.on(coreLink, "click", function (e) {{ L.DomEvent.preventDefault(e); {map_name}.fitBounds(core); }});
                return div;
            }};
            control.addTo({map_name});
        }})();
    """
    return _Element(script=script)


class _Layer(PageElement):
    """Every feature of one layer, drawn by one script inside its FeatureGroup.

    A folium Marker, Tooltip and Popup per place cost a template render each on
    every page render, and each popup's HTML was parsed at load; here the map
    carries one script per layer, and Leaflet makes a popup when it opens.
    Tooltips and popups are bound to each drawn shape itself, so a click on any
    of them reports its tooltip to st_folium.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (group) {
                function add(layer, tooltip, popup) {
                    layer.bindTooltip(tooltip, {sticky: true});
                    if (popup) { layer.bindPopup(popup, {maxWidth: {{ this.popup_width }}}); }
                    layer.addTo(group);
                }
                function shape(geometry, style, tooltip, popup) {
                    L.geoJSON(geometry, {style: style}).eachLayer(function (layer) { add(layer, tooltip, popup); });
                }
                {{ this.statements }}
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, statements: list[str]) -> None:
        super().__init__()
        self._name = "GeomapLayer"
        self.popup_width = _POPUP_WIDTH
        self.statements = Markup("\n".join(statements))


def _div_marker(lat: float, lon: float, html: str, anchor: tuple[int, int]) -> str:
    icon = {"html": html, "iconSize": [0, 0], "iconAnchor": list(anchor), "className": "geomap-marker"}
    return f"L.marker({script_json([lat, lon])}, {{icon: L.divIcon({script_json(icon)})}})"


def _place(feature: dict[str, Any]) -> str:
    properties = feature["properties"]
    name = html_text(properties["name"])
    ident = html_text(properties["id"])
    if properties["kind"] == "country":
        html = f'<div class="geomap-country" data-place="{ident}">{name}</div>'
        anchor = (len(properties["name"]) * 5, 8)
    elif properties["kind"] in _LABEL_KINDS:
        html = f'<div class="geomap-sea" data-place="{ident}">{name}</div>'
        anchor = (len(properties["name"]) * 3, 8)
    else:
        inferred = " inferred" if properties["inferred"] else ""
        html = f'<div class="geomap-place{inferred}" data-place="{ident}"><span class="dot"></span><span class="name">{name}</span></div>'
        anchor = (7, 7)
    marker = _div_marker(properties["lat"], properties["lon"], html, anchor)
    return f"add({marker}, {script_json(name)}, {script_json(place_popup(properties, properties.get('country', '')))});"


def _shape(feature: dict[str, Any], style: dict[str, Any], popup_html: str, tooltip: str) -> str:
    # The geometry alone: article text stays out of the map's layer data.
    return f"shape({script_json(feature['geometry'])}, {script_json(style)}, {script_json(tooltip)}, {script_json(popup_html)});"


def _province(feature: dict[str, Any]) -> str:
    properties = feature["properties"]
    style = {"color": PROVINCE_COLOUR, "weight": 2, "dashArray": "5 4", "fillColor": PROVINCE_COLOUR, "fillOpacity": 0.12}
    return _shape(feature, style, place_popup(properties, properties.get("country", "")), html_text(properties["name"]))


def _flow_part(feature: dict[str, Any]) -> str:
    properties = feature["properties"]
    colour = flow_colour(properties["layer"])
    if properties["part"] == "line":
        style = {"color": colour, "weight": 4, "opacity": 0.9}
        if properties["inferred"]:
            style["dashArray"] = INFERRED_DASH
    else:
        style = {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.95, "opacity": 1}
    return _shape(feature, style, flow_popup(properties), html_text(properties["name"]))


def _pressure(feature: dict[str, Any]) -> list[str]:
    properties = feature["properties"]
    colour = TREND_COLOURS[properties["trend"]]
    position = script_json([properties["lat"], properties["lon"]])
    name = html_text(properties["name"])
    tooltip = script_json(f"{name} {TREND_GLYPHS[properties['trend']]}")
    statements = [f"var popup = {script_json(pressure_popup(properties))};"]
    if feature["geometry"]["type"] == "MultiPoint":
        dot = script_json({"radius": 3, "color": colour, "weight": 1, "fill": True, "fillOpacity": 0.8})
        statements += [f"L.circleMarker({script_json(list(from_xy(xy)))}, {dot}).addTo(group);" for xy in feature["geometry"]["coordinates"]]
    circle = {
        "radius": pressure_radius(len(properties["evidence"])),
        "color": colour,
        "weight": 3,
        "fill": True,
        "fillColor": colour,
        "fillOpacity": 0.15 if properties["inferred"] else 0.55,
    }
    if properties["inferred"]:
        circle["dashArray"] = INFERRED_DASH
    statements.append(f"add(L.circleMarker({position}, {script_json(circle)}), {tooltip}, popup);")
    # A named port already carries its name on its place marker; a group has no other label.
    label = f' <span class="name">{name}</span>' if properties["kind"] == "port_group" else ""
    glyph = (
        f'<div class="geomap-trend" data-pressure="{html_text(properties["place"])}">'
        f'<span style="color:{colour}">{TREND_GLYPHS[properties["trend"]]}</span>{label}</div>'
    )
    statements.append(f"add({_div_marker(properties['lat'], properties['lon'], glyph, (-10, 22))}, {tooltip}, popup);")
    # Each port's statements in a block of their own: its popup variable is its own.
    return ["(function () {", *statements, "})();"]


def build_map(story: Story, *, tiles: str | None = None, static_url: str | None = None) -> folium.Map:
    """The story's folium map (``geo.build_map`` also takes an article).

    Offline by default; ``tiles="osm"`` (or any xyzservices name) adds online
    tiles with their attribution. In a notebook the returned map shows inline.
    """
    collection = story_layers(story)
    countries = sorted({p.country_code for p in story.places if p.kind == "country" and p.country_code})
    credits = CREDITS + (f"Article: {story.article.source or 'pasted text'}", "article-geomap")
    fmap = OfflineMap(
        tiles=tiles,
        static_url=static_url,
        provinces=countries,
        credits=credits,
        control_scale=True,
        bounds=core_bounds(story),
        jquery=None,  # our popups are Leaflet's own; one added to the map later brings jQuery back
    )
    fmap.add_child(_Element(header=_CSS), name="geomap_css")
    groups: dict[str, folium.FeatureGroup] = {}
    statements: dict[str, list[str]] = {}
    for layer in LAYER_ORDER + tuple(sorted({f["properties"]["layer"] for f in collection["features"]} - set(LAYER_ORDER))):
        if any(f["properties"]["layer"] == layer for f in collection["features"]):
            groups[layer] = folium.FeatureGroup(name=html_text(LAYER_TITLES.get(layer, layer.title())), show=True)
            statements[layer] = []
    for feature in collection["features"]:
        properties = feature["properties"]
        drawn = statements[properties["layer"]]
        if properties["layer"] == "places":
            if feature["geometry"]["type"] != "Point":
                drawn.append(_province(feature))
            drawn.append(_place(feature))
        elif properties["layer"] == "port_pressure":
            drawn.extend(_pressure(feature))
        else:
            drawn.append(_flow_part(feature))
    for layer, group in groups.items():
        group.add_child(_Layer(statements[layer]), name="features")
    # Draw order: places under flows under ports, as LAYER_ORDER lists them.
    for group in groups.values():
        group.add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    fmap.add_child(_title(story), name="geomap_title")
    fmap.add_child(_legend(fmap.get_name(), collection), name="geomap_legend")
    view = _view_control(fmap.get_name(), story)
    if view is not None:
        fmap.add_child(view, name="geomap_view")
    return fmap


def map_html(story: Story, **options: Any) -> str:
    """The story's map as one standalone HTML page."""
    return build_map(story, **options).get_root().render()


def embed_html(story: Story, *, height: int = 600, **options: Any) -> str:
    """An HTML fragment to paste into a report or CMS: the map in a sandboxed, self-contained iframe."""
    page = map_html(story, **options)
    title = html_text(story.article.headline or "Map")
    return (
        f'<iframe title="{title}" srcdoc="{html_text(page)}" '
        f'style="width:100%;height:{int(height)}px;border:0" loading="lazy" '
        'sandbox="allow-scripts allow-popups"></iframe>\n'
    )
