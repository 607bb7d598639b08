"""The story as KML, for Google Earth and GIS desks.

One Folder per layer, one Placemark per feature, each with its popup HTML as
description (article text escaped by :func:`~geo.escape.html_text`, then
again by the XML writer) and a style per layer and trend.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..gazetteer import DATA_CREDITS
from ..layers import LAYER_ORDER, story_layers
from ..story import Story
from .popups import flow_popup, place_popup, pressure_popup
from .style import LAYER_TITLES, PLACE_COLOUR, PROVINCE_COLOUR, TREND_COLOURS, flow_colour

__all__ = ["kml_bytes"]

_NS = "http://www.opengis.net/kml/2.2"


def _kml_colour(hex_colour: str, alpha: str = "ff") -> str:
    """KML writes colours alpha-blue-green-red.

    >>> _kml_colour("#D55E00")
    'ff005ed5'
    """
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"{alpha}{blue}{green}{red}".lower()


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _style(document: ET.Element, style_id: str, colour: str, *, width: float = 2, fill_alpha: str = "00", icon_scale: float = 0.8) -> None:
    style = _sub(document, "Style")
    style.set("id", style_id)
    icon = _sub(style, "IconStyle")
    _sub(icon, "color", _kml_colour(colour))
    _sub(icon, "scale", str(icon_scale))
    _sub(_sub(icon, "Icon"), "href", "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png")
    line = _sub(style, "LineStyle")
    _sub(line, "color", _kml_colour(colour))
    _sub(line, "width", str(width))
    poly = _sub(style, "PolyStyle")
    _sub(poly, "color", _kml_colour(colour, fill_alpha))


def _coordinates(positions: list[list[float]]) -> str:
    return " ".join(f"{x},{y},0" for x, y in positions)


def _geometry(parent: ET.Element, geometry: dict[str, Any]) -> None:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _coordinates([coordinates]))
    elif kind == "LineString":
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _coordinates(coordinates))
    elif kind == "Polygon":
        polygon = _sub(parent, "Polygon")
        for index, ring in enumerate(coordinates):
            boundary = _sub(polygon, "outerBoundaryIs" if index == 0 else "innerBoundaryIs")
            _sub(_sub(boundary, "LinearRing"), "coordinates", _coordinates(ring))
    else:  # MultiPoint, MultiLineString, MultiPolygon
        multi = _sub(parent, "MultiGeometry")
        single = kind.removeprefix("Multi")
        for part in coordinates:
            _geometry(multi, {"type": single, "coordinates": part})


def _description(properties: dict[str, Any]) -> str:
    if properties["layer"] == "places":
        return place_popup(properties, properties.get("country", ""))
    if properties["layer"] == "port_pressure":
        return pressure_popup(properties)
    return flow_popup(properties)


def _style_id(properties: dict[str, Any]) -> str:
    if properties["layer"] == "port_pressure":
        return f"trend-{properties['trend']}"
    if properties["layer"] == "places":
        return "province" if properties["kind"] == "admin1" else "place"
    return f"flow-{properties['layer']}"


def kml_bytes(story: Story) -> bytes:
    """The story as a KML document (UTF-8)."""
    collection = story_layers(story)
    ET.register_namespace("", _NS)
    root = ET.Element(f"{{{_NS}}}kml")
    document = _sub(root, "Document")
    _sub(document, "name", story.article.headline)
    _sub(document, "description", f"Draft map made with article-geomap. Map data: {', '.join(DATA_CREDITS)}.")
    _style(document, "place", PLACE_COLOUR)
    _style(document, "province", PROVINCE_COLOUR, fill_alpha="33")
    for trend, colour in TREND_COLOURS.items():
        _style(document, f"trend-{trend}", colour, icon_scale=1.2)
    layers = [layer for layer in LAYER_ORDER if any(f["properties"]["layer"] == layer for f in collection["features"])]
    layers += sorted({f["properties"]["layer"] for f in collection["features"]} - set(layers))
    for layer in layers:
        if layer not in ("places", "port_pressure"):
            _style(document, f"flow-{layer}", flow_colour(layer), width=4, fill_alpha="ff")
        folder = _sub(document, "Folder")
        _sub(folder, "name", LAYER_TITLES.get(layer, layer.title()))
        for feature in collection["features"]:
            properties = feature["properties"]
            if properties["layer"] != layer:
                continue
            placemark = _sub(folder, "Placemark")
            part = f" ({properties['part']})" if properties.get("part") == "arrowhead" else ""
            _sub(placemark, "name", properties["name"] + part)
            _sub(placemark, "description", _description(properties))
            _sub(placemark, "styleUrl", f"#{_style_id(properties)}")
            _geometry(placemark, feature["geometry"])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
