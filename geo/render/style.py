"""How the story looks, shared by every renderer (web map, PNG, SVG, KML).

Colours are the Okabe-Ito palette, which readers with any common colour
vision deficiency can tell apart; meaning never rests on colour alone (trend
has a glyph, inferred has a dashed, hollow outline).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "IMAGE_SIDES",
    "SEA",
    "LAND_STYLE",
    "BORDER_STYLE",
    "PROVINCE_STYLE",
    "FLOW_COLOURS",
    "TREND_COLOURS",
    "TREND_GLYPHS",
    "TREND_WORDS",
    "PLACE_COLOUR",
    "PROVINCE_COLOUR",
    "INFERRED_DASH",
    "LegendItem",
    "legend_items",
    "pressure_radius",
    "flow_colour",
    "LAYER_TITLES",
]

# Static images, in pixels a side: below this nothing reads, above it a render
# is a memory hazard rather than a map.
IMAGE_SIDES = (400, 8000)

# The basemap: pale land on a pale sea, grey borders, dashed provinces (Leaflet path options).
SEA = "#dae5ed"
LAND_STYLE = {"color": "#9fb2be", "weight": 0.8, "fillColor": "#f7f5f0", "fillOpacity": 1}
BORDER_STYLE = {"color": "#8c877f", "weight": 1, "opacity": 0.9, "fill": False}
PROVINCE_STYLE = {"color": "#b3aca2", "weight": 0.6, "opacity": 0.9, "dashArray": "3 3", "fill": False}

FLOW_COLOURS = {
    "smuggling": "#D55E00",  # vermillion
    "migration": "#0072B2",  # blue
    "trade": "#009E73",  # bluish green
    "money": "#CC79A7",  # reddish purple
}
_OTHER_FLOW = "#000000"
TREND_COLOURS = {"up": "#E69F00", "down": "#56B4E9", "steady": "#999999"}  # orange, sky blue, grey
TREND_GLYPHS = {"up": "\u25b2", "down": "\u25bc", "steady": "\u25cf"}
TREND_WORDS = {"up": "pressure rising", "down": "pressure easing", "steady": "no clear trend"}
PLACE_COLOUR = "#222222"
PROVINCE_COLOUR = "#009E73"
INFERRED_DASH = "6 5"
LAYER_TITLES = {
    "places": "Places",
    "smuggling": "Smuggling",
    "migration": "Migration",
    "trade": "Trade",
    "money": "Money",
    "port_pressure": "Port pressure",
}


def flow_colour(layer: str) -> str:
    """The colour of a flow layer.

    >>> flow_colour("smuggling"), flow_colour("anything else")
    ('#D55E00', '#000000')
    """
    return FLOW_COLOURS.get(layer, _OTHER_FLOW)


def pressure_radius(evidence_count: int) -> float:
    """A pressure symbol's radius in pixels, graduated by how often the article says it.

    >>> pressure_radius(0), pressure_radius(1), pressure_radius(3), pressure_radius(10)
    (7.0, 9.0, 13.0, 15.0)
    """
    return 7.0 + 2.0 * min(max(evidence_count, 0), 4)


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One line of the legend: a symbol and what it means."""

    symbol: str  # "line", "arrow", "circle", "dashed-circle", "polygon", "glyph"
    colour: str
    label: str
    glyph: str = ""


def legend_items(layers: tuple[str, ...], trends: tuple[str, ...], *, inferred: bool, provinces: bool) -> tuple[LegendItem, ...]:
    """The legend for a map showing these layers and trends.

    >>> [i.label for i in legend_items(("places",), (), inferred=False, provinces=False)]
    ['Place named in the article']
    >>> legend_items((), (), inferred=False, provinces=False)
    ()
    """
    items = []
    if "places" in layers:
        items.append(LegendItem("circle", PLACE_COLOUR, "Place named in the article"))
    if provinces:
        items.append(LegendItem("polygon", PROVINCE_COLOUR, "Province named in the article"))
    for layer, colour in FLOW_COLOURS.items():
        if layer in layers:
            items.append(LegendItem("arrow", colour, f"{LAYER_TITLES[layer]}: arrow points where it goes"))
    for layer in layers:
        if layer not in FLOW_COLOURS and layer not in ("places", "port_pressure"):
            items.append(LegendItem("arrow", _OTHER_FLOW, f"{layer.title()}: arrow points where it goes"))
    for trend in ("up", "down", "steady"):
        if trend in trends:
            items.append(LegendItem("glyph", TREND_COLOURS[trend], f"Port {TREND_WORDS[trend]}", TREND_GLYPHS[trend]))
    if inferred:
        items.append(LegendItem("dashed-circle", PLACE_COLOUR, "Inferred: not named in the article"))
    return tuple(items)
