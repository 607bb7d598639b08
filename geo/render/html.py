"""The story as a folium map: toggleable layers, quote popups, legend, title.

:func:`build_map` draws the layers of :func:`geo.layers.story_layers` on an
:class:`~geo.render.offline.OfflineMap` (no network unless tiles are asked
for). Points are DivIcon markers with their names; flows are lines with
arrowhead polygons; ports are graduated circles with their trend's glyph;
inferred features are dashed and hollow and say so in their popups. The map
opens on the story's core, and a control switches to the whole story.

Every article string reaches HTML through :func:`geo.escape.html_text`.
Line and polygon features are handed to folium without their properties, so
no article text is ever embedded in the map's JSON either.
"""

from __future__ import annotations

import json
from typing import Any

import folium
from folium.template import Template
from markupsafe import Markup

from ..coords import from_xy
from ..escape import html_text
from ..layers import LAYER_ORDER, story_layers
from ..story import Story
from .offline import CREDITS, OfflineMap
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


class _Element(folium.MacroElement):
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
    html = json.dumps(f'<div class="geomap-legend"><b>Legend</b>{rows}</div>')
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
    core, whole = core_bounds(story), whole_bounds(story)
    if core is None:
        return None
    fit = f"{map_name}.fitBounds({json.dumps([list(core[0]), list(core[1])])});"
    if whole is None or whole == core:
        return _Element(script=fit)
    beyond = ", ".join(off_core_places(story))
    # The links are HTML made here, article names escaped once, as everywhere.
    title = html_text(f"Show the whole story ({beyond})" if beyond else "Show the whole story")
    links = json.dumps(
        f'<a class="geomap-whole" href="#" title="{title}">Whole story</a><a class="geomap-core" href="#">Core</a>'
    )
    script = f"""
        {fit}
        (function () {{
            var core = {json.dumps([list(core[0]), list(core[1])])};
            var whole = {json.dumps([list(whole[0]), list(whole[1])])};
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


def _popup(html: str) -> folium.Popup:
    return folium.Popup(html, max_width=_POPUP_WIDTH)


def _marker_for_place(feature: dict[str, Any]) -> folium.Marker:
    properties = feature["properties"]
    lat, lon = properties["lat"], properties["lon"]
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
    icon = folium.DivIcon(html=html, icon_size=(0, 0), icon_anchor=anchor, class_name="geomap-marker")
    return folium.Marker(
        location=[lat, lon],
        icon=icon,
        tooltip=folium.Tooltip(name),
        popup=_popup(place_popup(properties, properties.get("country", ""))),
    )


def _bare(feature: dict[str, Any]) -> dict[str, Any]:
    """The feature's geometry alone: article text stays out of the map's JSON."""
    return {"type": "Feature", "geometry": feature["geometry"], "properties": {}}


def _shape(feature: dict[str, Any], style: dict[str, Any], popup_html: str, tooltip: str) -> folium.GeoJson:
    layer = folium.GeoJson(_bare(feature), style_function=lambda _feature, style=style: style, tooltip=folium.Tooltip(tooltip))
    layer.add_child(_popup(popup_html))
    return layer


def _province(feature: dict[str, Any]) -> folium.GeoJson:
    properties = feature["properties"]
    style = {"color": PROVINCE_COLOUR, "weight": 2, "dashArray": "5 4", "fillColor": PROVINCE_COLOUR, "fillOpacity": 0.12}
    return _shape(feature, style, place_popup(properties, properties.get("country", "")), html_text(properties["name"]))


def _flow_part(feature: dict[str, Any]) -> folium.GeoJson:
    properties = feature["properties"]
    colour = flow_colour(properties["layer"])
    if properties["part"] == "line":
        style = {"color": colour, "weight": 4, "opacity": 0.9}
        if properties["inferred"]:
            style["dashArray"] = INFERRED_DASH
    else:
        style = {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.95, "opacity": 1}
    return _shape(feature, style, flow_popup(properties), html_text(properties["name"]))


def _pressure(feature: dict[str, Any], group: folium.FeatureGroup) -> None:
    properties = feature["properties"]
    colour = TREND_COLOURS[properties["trend"]]
    lat, lon = properties["lat"], properties["lon"]
    popup = pressure_popup(properties)
    name = html_text(properties["name"])
    if feature["geometry"]["type"] == "MultiPoint":
        for position in feature["geometry"]["coordinates"]:
            folium.CircleMarker(location=list(from_xy(position)), radius=3, color=colour, weight=1, fill=True, fill_opacity=0.8).add_to(group)
    circle = folium.CircleMarker(
        location=[lat, lon],
        radius=pressure_radius(len(properties["evidence"])),
        color=colour,
        weight=3,
        fill=True,
        fill_color=colour,
        fill_opacity=0.15 if properties["inferred"] else 0.55,
        dash_array=INFERRED_DASH if properties["inferred"] else None,
        tooltip=folium.Tooltip(f"{name} {TREND_GLYPHS[properties['trend']]}"),
    )
    circle.add_child(_popup(popup))
    circle.add_to(group)
    # A named port already carries its name on its place marker; a group has no other label.
    label = f' <span class="name">{name}</span>' if properties["kind"] == "port_group" else ""
    glyph = (
        f'<div class="geomap-trend" data-pressure="{html_text(properties["place"])}">'
        f'<span style="color:{colour}">{TREND_GLYPHS[properties["trend"]]}</span>{label}</div>'
    )
    folium.Marker(
        location=[lat, lon],
        icon=folium.DivIcon(html=glyph, icon_size=(0, 0), icon_anchor=(-10, 22), class_name="geomap-marker"),
        tooltip=folium.Tooltip(f"{name} {TREND_GLYPHS[properties['trend']]}"),
        popup=_popup(popup),
    ).add_to(group)


def build_map(story: Story, *, tiles: str | None = None, static_url: str | None = None) -> folium.Map:
    """The story's folium map (``geo.build_map`` also takes an article).

    Offline by default; ``tiles="osm"`` (or any xyzservices name) adds online
    tiles with their attribution. In a notebook the returned map shows inline.
    """
    collection = story_layers(story)
    countries = sorted({p.country_code for p in story.places if p.kind == "country" and p.country_code})
    credits = CREDITS + (f"Article: {story.article.source or 'pasted text'}", "article-geomap")
    fmap = OfflineMap(tiles=tiles, static_url=static_url, provinces=countries, credits=credits, control_scale=True)
    fmap.add_child(_Element(header=_CSS), name="geomap_css")
    groups: dict[str, folium.FeatureGroup] = {}
    for layer in LAYER_ORDER + tuple(sorted({f["properties"]["layer"] for f in collection["features"]} - set(LAYER_ORDER))):
        if any(f["properties"]["layer"] == layer for f in collection["features"]):
            groups[layer] = folium.FeatureGroup(name=html_text(LAYER_TITLES.get(layer, layer.title())), show=True)
    for feature in collection["features"]:
        properties = feature["properties"]
        group = groups[properties["layer"]]
        if properties["layer"] == "places":
            if feature["geometry"]["type"] != "Point":
                _province(feature).add_to(group)
            _marker_for_place(feature).add_to(group)
        elif properties["layer"] == "port_pressure":
            _pressure(feature, group)
        else:
            _flow_part(feature).add_to(group)
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
