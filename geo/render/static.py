"""Static map images of a story (PNG and SVG), for PDFs and slides, drawn offline.

The picture is the web map's, frozen: the same layers (:func:`geo.layers.story_layers`),
symbols, colours and legend (:mod:`geo.render.style`), the same first view
(:func:`geo.render.view.core_bounds`) over the same Natural Earth basemap, plus
what a still image needs in place of clicks: a title, labels that avoid one
another, a small world inset for the places beyond the first view, and credits.

The projection is equirectangular with longitudes shrunk by the cosine of the
view's middle latitude, so shapes near the story are not stretched. Article
text only ever reaches matplotlib ``Text`` objects, never markup: matplotlib
escapes it for SVG, and mathtext is switched off so "$5 million" stays literal.

matplotlib keeps its settings (``rcParams``) and its font cache process-wide,
and neither is safe to use from two threads at once; a render therefore holds
:data:`_RENDER_LOCK` from the first artist to the last byte, and sets the
settings it needs (the library defaults, plus a fixed SVG id salt so the same
story gives the same bytes) only for that span.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.style
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox
from shapely import affinity
from shapely.geometry import MultiLineString, MultiPolygon, shape
from shapely.geometry.polygon import orient
from shapely.geometry.base import BaseGeometry

from .. import basemap
from ..gazetteer import DATA_CREDITS
from ..layers import story_layers
from ..places import Place
from ..story import Story
from ..coords import to_xy
from ..errors import ExportError
from . import style
from .style import IMAGE_SIDES
from .style import BORDER_STYLE, LAND_STYLE, PROVINCE_STYLE, SEA
from .view import Bounds, core_bounds, off_core_places, whole_bounds

__all__ = ["render_png", "render_svg", "SUBTITLE", "MIN_SIDE", "MAX_SIDE"]

SUBTITLE = "Draft map of the article\u2019s story \u2014 check before publishing"

_DPI = 100
_PT = 72 / _DPI  # points per pixel: sizes below are designed in pixels of a 1600x1000 image
_FONT = "DejaVu Sans"  # shipped inside matplotlib: the same glyphs (with the trend arrows) everywhere
_RC = {
    "font.family": _FONT,
    "text.usetex": False,
    "text.parse_math": False,  # "$5 million ... $6 million" is money, not mathematics
    "svg.hashsalt": "article-geomap",  # ids from a fixed salt: the same story gives the same SVG
    "svg.fonttype": "path",  # glyphs as shapes: the SVG looks like the PNG without the font installed
}
_RENDER_LOCK = threading.Lock()

_LABEL_KINDS = frozenset({"sea", "ocean", "region", "continent"})  # named areas: a label, never a marker
_TEXT_COLOUR = "#1a1a1a"
_MUTED = "#5c5c5c"
_SEA_LABEL = "#4f6f86"
_COUNTRY_LABEL = "#6b6b6b"
_CONTEXT_LABEL = "#a39e96"
_HALO = "#ffffff"
_CORE_BOX = "#D55E00"  # the inset's "you are here" box: the story's own accent
_CREDITS = f"Map data: {'; '.join(DATA_CREDITS)}."
_WORLD: Bounds = ((-58.0, -180.0), (84.0, 180.0))
_PROVINCE_SPAN = 45.0  # degrees of latitude beyond which province borders are only clutter


# --------------------------------------------------------------------------- API


def render_png(story: Story, *, width: int = 1600, height: int = 1000) -> bytes:
    """The story as a PNG image of ``width`` x ``height`` pixels."""
    return _render(story, width, height, "png")


def render_svg(story: Story, *, width: int = 1600, height: int = 1000) -> bytes:
    """The story as an SVG image of ``width`` x ``height`` pixels (drawn at 100 dpi).

    The same story always gives the same bytes.
    """
    return _render(story, width, height, "svg")


def _render(story: Story, width: int, height: int, fmt: str) -> bytes:
    _check_size(width, height)
    layers = story_layers(story)
    buffer = io.BytesIO()
    with _RENDER_LOCK, matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        figure = _draw(story, layers, width, height)
        figure.savefig(buffer, format=fmt, dpi=_DPI, metadata=_metadata(story, fmt))
    data = buffer.getvalue()
    return _svg_in_pixels(data, width, height) if fmt == "svg" else data


MIN_SIDE, MAX_SIDE = IMAGE_SIDES


def _check_size(width: int, height: int) -> None:
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or isinstance(value, bool) or not MIN_SIDE <= value <= MAX_SIDE:
            raise ExportError(f"{name} must be a whole number of pixels from {MIN_SIDE} to {MAX_SIDE}, not {value!r}")


def _metadata(story: Story, fmt: str) -> dict[str, Any]:
    # No dates and no library versions: they would change the bytes of an unchanged map.
    if fmt == "svg":
        return {"Date": None, "Creator": "article-geomap", "Title": story.article.headline or "Story map"}
    return {"Software": None}


_SVG_SIZE = re.compile(rb'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def _svg_in_pixels(data: bytes, width: int, height: int) -> bytes:
    """Give the SVG the pixel size asked for; matplotlib states it in points (72 per inch)."""
    return _SVG_SIZE.sub(lambda m: b'<svg%s width="%dpx" height="%dpx"' % (m.group(1), width, height), data, count=1)


# ------------------------------------------------------------------------ layout


@dataclass(frozen=True)
class _Layout:
    """Where the parts of the image go, in pixels from the bottom left."""

    width: int
    height: int
    scale: float  # 1.0 for 1600x1000; sizes and fonts follow it
    title_lines: tuple[str, ...]
    map_box: tuple[float, float, float, float]  # left, bottom, width, height
    footer_lines: tuple[str, ...]

    def px(self, value: float) -> float:
        """A design size (pixels of a 1600x1000 image) at this image's scale."""
        return value * self.scale

    def pt(self, value: float) -> float:
        """A design size in pixels, as points, which is what matplotlib sizes are in."""
        return value * self.scale * _PT

    def fraction(self, left: float, bottom: float, width: float, height: float) -> list[float]:
        return [left / self.width, bottom / self.height, width / self.width, height / self.height]


_TITLE_PX, _SUBTITLE_PX, _FOOTER_PX, _MARGIN_PX = 27.0, 16.0, 13.0, 22.0
_TITLE_LINES = 3


def _layout(story: Story, figure: Figure, measure: _Measure, beyond: Sequence[str]) -> _Layout:
    width, height = (int(round(v)) for v in figure.bbox.size)
    ratio = min(width / 1600, height / 1000)
    # Larger images grow everything alike; smaller ones shrink text less, so it stays legible.
    scale = min(2.5, ratio if ratio >= 1 else math.sqrt(ratio))
    margin = _MARGIN_PX * scale
    title_font = {"size": _TITLE_PX * scale * _PT, "weight": "bold"}
    line_width = width - 2 * margin
    title = measure.balanced_wrap(story.article.headline or "Untitled article", line_width, title_font)
    if len(title) > _TITLE_LINES:
        rest = " ".join(title[_TITLE_LINES - 1 :])
        title = title[: _TITLE_LINES - 1] + [measure.shorten(rest, line_width, title_font)]
    footer_font = {"size": _FOOTER_PX * scale * _PT}
    footer = _footer_lines(story, beyond, lambda text: measure.wrap(text, line_width, footer_font))
    header_h = margin + len(title) * _TITLE_PX * 1.25 * scale + _SUBTITLE_PX * 1.6 * scale + margin * 0.6
    footer_h = margin * 0.6 + len(footer) * _FOOTER_PX * 1.45 * scale + margin * 0.5
    map_box = (margin, footer_h, width - 2 * margin, height - header_h - footer_h)
    return _Layout(width, height, scale, tuple(title), map_box, tuple(footer))


def _footer_lines(story: Story, beyond: Sequence[str], wrap) -> list[str]:
    source = Path(story.article.source).name if story.article.source else "pasted article"
    lines = []
    if beyond:
        lines += wrap("Beyond this map (see inset): " + ", ".join(beyond) + ".")
    lines += wrap(f"{_CREDITS} Source: {source}. Made with article-geomap.")
    return lines


class _Measure:
    """Text widths in pixels, from the figure's own renderer, to wrap text to the image.

    Laying out a line is slow in matplotlib, so lines are measured as the sum
    of their words (each measured once) and the spaces between them.
    """

    def __init__(self, figure: Figure) -> None:
        self.renderer = figure.canvas.get_renderer()
        self._widths: dict[tuple[str, tuple], float] = {}

    def _measured(self, text: str, font: dict[str, Any]) -> float:
        key = (text, tuple(sorted(font.items())))
        if key not in self._widths:
            prop = FontProperties(family=_FONT, **font)
            self._widths[key] = self.renderer.get_text_width_height_descent(text, prop, ismath=False)[0]
        return self._widths[key]

    def width(self, text: str, font: dict[str, Any]) -> float:
        words = text.split(" ")
        space = self._measured("a a", font) - 2 * self._measured("a", font)
        return sum(self._measured(word, font) for word in words if word) + space * (len(words) - 1)

    def balanced_wrap(self, text: str, max_width: float, font: dict[str, Any]) -> list[str]:
        """Wrapped into as few lines as fit, made as even as they can be (no lone last word)."""
        lines = self.wrap(text, max_width, font)
        low, high = max_width / max(len(lines), 1), max_width
        for _ in range(12):  # bisect the narrowest width that still needs no more lines
            middle = (low + high) / 2
            if len(self.wrap(text, middle, font)) <= len(lines):
                high = middle
            else:
                low = middle
        return self.wrap(text, high, font)

    def wrap(self, text: str, max_width: float, font: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            if lines and self.width(f"{lines[-1]} {word}", font) <= max_width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)  # a single word wider than the line is left whole
        return lines

    def shorten(self, text: str, max_width: float, font: dict[str, Any]) -> str:
        words = text.split()
        while len(words) > 1 and self.width(" ".join(words) + " \u2026", font) > max_width:
            words.pop()
        return " ".join(words) + " \u2026"


# -------------------------------------------------------------------------- view


@dataclass(frozen=True)
class _View:
    """The map's extent in degrees; ``east`` may pass 180 when the view spans the antimeridian."""

    west: float
    east: float
    south: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def shifted(self, lon: float) -> float:
        """``lon`` moved by whole turns into the view, if some turn lands inside it."""
        for turn in (0.0, 360.0, -360.0):
            if self.west <= lon + turn <= self.east:
                return lon + turn
        return lon

    def turns(self) -> tuple[float, ...]:
        """The whole-turn shifts under which the world's [-180, 180] meets the view."""
        return tuple(t for t in (-360.0, 0.0, 360.0) if self.west < 180.0 + t and self.east > -180.0 + t)


def _fitted_view(bounds: Bounds, box_w: float, box_h: float, *, pad: float, min_span: float) -> _View:
    """Bounds grown by ``pad`` (a share of their span) and to the box's aspect ratio."""
    (south, west), (north, east) = bounds
    lat_span = max(north - south, min_span) * (1 + 2 * pad)
    mid_lat = (south + north) / 2
    # Longitude degrees shrink with the cosine of the latitude; floor it so polar views stay sane.
    k = max(0.25, math.cos(math.radians(mid_lat)))
    lon_span = max(east - west, min_span / k) * (1 + 2 * pad)
    ratio = box_w / box_h
    if lon_span * k / lat_span < ratio:
        lon_span = lat_span * ratio / k
    else:
        lat_span = lon_span * k / ratio
    lon_span = min(lon_span, 360.0)
    lat_span = min(lat_span, 170.0)
    mid_lon = (west + east) / 2
    mid_lat = min(85.0 - lat_span / 2, max(-85.0 + lat_span / 2, mid_lat))
    return _View(mid_lon - lon_span / 2, mid_lon + lon_span / 2, mid_lat - lat_span / 2, mid_lat + lat_span / 2)


def _across_antimeridian(story: Story, bounds: Bounds) -> Bounds:
    """Bounds that go the short way round when the story straddles 180 degrees.

    :func:`view.core_bounds` takes plain minimum and maximum longitudes, so a
    story in Fiji and Samoa spans the whole globe; the points it holds are
    refitted to the narrowest arc of longitude that contains them all.
    """
    (south, west), (north, east) = bounds
    if east - west <= 180.0:
        return bounds
    lons = sorted(
        (p.lon % 360.0)
        for p in story.places
        if p.kind not in _LABEL_KINDS and south <= p.lat <= north and west <= p.lon <= east
    )
    if len(lons) < 2:
        return bounds
    gaps = [(lons[(i + 1) % len(lons)] - lons[i]) % 360.0 for i in range(len(lons))]
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    start = lons[(widest + 1) % len(lons)]
    span = 360.0 - gaps[widest]
    if span >= east - west:
        return bounds
    start = start - 360.0 if start > 180.0 else start
    return ((south, start - 1.0), (north, start + span + 1.0))


def _main_view(story: Story, layout: _Layout) -> _View:
    bounds = core_bounds(story) or _WORLD
    _, _, box_w, box_h = layout.map_box
    return _fitted_view(_across_antimeridian(story, bounds), box_w, box_h, pad=0.07, min_span=4.0)


# ---------------------------------------------------------------------- geometry


def _paths(geometry: BaseGeometry) -> list[MplPath]:
    """A shapely (multi)polygon as matplotlib paths, one per polygon, holes kept."""
    polygons = getattr(geometry, "geoms", [geometry])
    paths = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        polygon = orient(polygon)  # so holes stay holes whatever the fill rule
        rings = [polygon.exterior, *polygon.interiors]
        paths.append(MplPath.make_compound_path(*(MplPath(list(ring.coords), closed=True) for ring in rings)))
    return paths


def _line_coords(geometry: BaseGeometry) -> list[list[tuple[float, float]]]:
    """The coordinate lists of any lines in a geometry (polygons give their rings)."""
    if geometry.is_empty:
        return []
    kind = geometry.geom_type
    if kind == "LineString" or kind == "LinearRing":
        return [list(geometry.coords)]
    if kind == "Polygon":
        return [list(geometry.exterior.coords)] + [list(r.coords) for r in geometry.interiors]
    if kind.startswith("Multi") or kind == "GeometryCollection":
        return [coords for part in geometry.geoms for coords in _line_coords(part)]
    return []


def _clipped(geometry: BaseGeometry, view: _View, margin: float = 1.0) -> list[BaseGeometry]:
    """The parts of a world geometry inside the view, shifted by whole turns where the view wraps."""
    parts = []
    for turn in view.turns():
        box = (view.west - turn - margin, view.south - margin, view.east - turn + margin, view.north + margin)
        part = shapely.clip_by_rect(geometry, *box)
        if not part.is_empty:
            parts.append(affinity.translate(part, xoff=turn) if turn else part)
    return parts


def _parts(collection: dict) -> list[BaseGeometry]:
    """The single parts of every feature's geometry (the polygons of a multipolygon ...)."""
    shapes = [shape(feature["geometry"]) for feature in collection["features"]]
    return [part for whole in shapes for part in getattr(whole, "geoms", [whole])]


# Parsed once per process: shapely geometries are immutable, so sharing them is safe.
@lru_cache(maxsize=1)
def _land() -> BaseGeometry:
    # Exteriors counter-clockwise, holes clockwise: filled right by any fill rule.
    return MultiPolygon([orient(polygon) for polygon in _parts(basemap.land())])


@lru_cache(maxsize=1)
def _borders() -> BaseGeometry:
    return MultiLineString(_parts(basemap.borders()))


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[str, str, BaseGeometry], ...]:
    """(alpha-2 code or "", name, shape) of every country."""
    return tuple(
        ((f["properties"].get("iso_a2") or ""), f["properties"]["name"], shape(f["geometry"]))
        for f in basemap.countries()["features"]
    )


# ----------------------------------------------------------------------- drawing


def _draw(story: Story, layers: dict[str, Any], width: int, height: int) -> Figure:
    figure = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(figure)  # a renderer to measure text with; savefig picks its own per format
    # The footer names the places beyond the map, which depends on the map's
    # size, which depends on the footer: settle it in two passes.
    measure = _Measure(figure)
    layout = _layout(story, figure, measure, [p.name for p in _beyond(story, None)])
    beyond = _beyond(story, _main_view(story, layout))
    layout = _layout(story, figure, measure, [p.name for p in beyond])
    view = _main_view(story, layout)
    ax = _map_axes(figure, layout, view)
    labels = _Labels(figure, ax)

    focus = _focus_countries(story, view)
    _draw_basemap(ax, view, layout, provinces=focus)
    features = layers["features"]
    _draw_provinces(ax, features, layout)
    _draw_flows(ax, features, view, layout, labels)
    _draw_pressure(ax, features, view, layout, labels)
    _draw_places(ax, story, features, view, layout, labels)

    _draw_context_countries(story, view, layout, labels)
    if not story.places:
        _draw_no_places(ax, layout)

    corners = _Corners(layout, labels)
    if beyond:
        _draw_inset(figure, story, beyond, view, layout, corners)
    _draw_legend(figure, layers, layout, corners, measure)
    labels.place_all(layout)
    _draw_title(figure, layout)
    _draw_footer(figure, layout)
    return figure


def _focus_countries(story: Story, view: _View) -> set[str]:
    """The countries of the places on the map, whose provinces are drawn; none on a continental view."""
    if view.north - view.south > _PROVINCE_SPAN:
        return set()
    return {p.country_code for p in story.places if p.country_code and view.contains(*_xy(view, p.lat, p.lon))}


def _beyond(story: Story, view: _View | None) -> tuple[Place, ...]:
    """The places the first view leaves out and the map does not show after all."""
    names = set(off_core_places(story))
    off_map = [p for p in story.places if p.name in names and p.kind not in _LABEL_KINDS]
    return tuple(p for p in off_map if view is None or not view.contains(*_xy(view, p.lat, p.lon)))


def _xy(view: _View, lat: float, lon: float) -> tuple[float, float]:
    """A position on the drawing, through geo.coords, shifted the short way round the date line."""
    x, y = to_xy(lat, lon)
    return (view.shifted(x), y)


def _sea_axes(figure: Figure, rect, view: _View, *, edge: str, edge_width: float, zorder: float = 0) -> Axes:
    """Axes showing ``view`` on a sea-coloured ground, framed, with no ticks."""
    ax = figure.add_axes(rect, zorder=zorder)
    ax.set_xlim(view.west, view.east)
    ax.set_ylim(view.south, view.north)
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(edge)
        spine.set_linewidth(edge_width)
    return ax


def _map_axes(figure: Figure, layout: _Layout, view: _View) -> Axes:
    return _sea_axes(figure, layout.fraction(*layout.map_box), view, edge="#9a9a9a", edge_width=layout.pt(1.0))


def _draw_basemap(ax: Axes, view: _View, layout: _Layout, *, provinces: Iterable[str]) -> None:
    _draw_land(ax, view, layout.pt(LAND_STYLE["weight"]))
    province_lines = [
        coords
        for feature in basemap.provinces(sorted(provinces))["features"]
        for part in _clipped(shape(feature["geometry"]), view)
        for coords in _line_coords(part)
    ]
    province_dash = tuple(float(v) / PROVINCE_STYLE["weight"] for v in PROVINCE_STYLE["dashArray"].split())
    province_width = layout.pt(PROVINCE_STYLE["weight"] * 1.3)
    ax.add_collection(LineCollection(province_lines, colors=PROVINCE_STYLE["color"], zorder=2,
                                     linewidths=province_width, linestyles=(0, province_dash)), autolim=False)
    border_lines = [coords for part in _clipped(_borders(), view) for coords in _line_coords(part)]
    ax.add_collection(LineCollection(border_lines, colors=BORDER_STYLE["color"], zorder=3,
                                     linewidths=layout.pt(BORDER_STYLE["weight"] * 1.1)), autolim=False)


def _draw_land(ax: Axes, view: _View, linewidth: float) -> None:
    # Detail finer than half a pixel cannot be seen, but it would fill the SVG. Plain
    # Douglas-Peucker is ten times faster than the topology-keeping kind, and what it
    # may spoil (a speck of an island) is smaller than a pixel.
    tolerance = 0.5 * (view.east - view.west) / ax.get_window_extent().width
    parts = [part.simplify(tolerance, preserve_topology=False) for part in _clipped(_land(), view)]
    paths = [path for part in parts for path in _paths(part)]
    # One collection, and no autoscaling: the limits are set, and measuring
    # hundreds of coastline patches one by one is most of a render's time.
    land = PathCollection(paths, facecolors=LAND_STYLE["fillColor"], edgecolors=LAND_STYLE["color"],
                          linewidths=linewidth, zorder=1)
    ax.add_collection(land, autolim=False)


def _draw_provinces(ax: Axes, features: list[dict], layout: _Layout) -> None:
    """A province named in the article: its shape, tinted, under everything else of the story."""
    for feature in features:
        props = feature["properties"]
        if props["layer"] != "places" or feature["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            continue
        for path in _paths(shape(feature["geometry"])):
            ax.add_patch(PathPatch(path, facecolor=style.PROVINCE_COLOUR, alpha=0.16, edgecolor="none", zorder=4))
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=style.PROVINCE_COLOUR, linewidth=layout.pt(1.6),
                                   alpha=0.9, zorder=4))


# style.INFERRED_DASH is in pixels, as SVG's dasharray for a 3-pixel line; matplotlib's is in line widths.
_INFERRED_DASH = (0, tuple(float(v) / 3.0 for v in style.INFERRED_DASH.split()))


def _draw_flows(ax: Axes, features: list[dict], view: _View, layout: _Layout, labels: _Labels) -> None:
    labelled = set()
    for feature in features:
        props = feature["properties"]
        if props["kind"] != "flow":
            continue
        colour = style.flow_colour(props["layer"])
        coords = feature["geometry"]["coordinates"]
        for turn in view.turns():
            if props["part"] == "line":
                xs = [x + turn for x, _ in coords]
                ys = [y for _, y in coords]
                ax.plot(xs, ys, color=colour, linewidth=layout.pt(3.2), solid_capstyle="round",
                        linestyle=_INFERRED_DASH if props["inferred"] else "solid", zorder=5)
            else:
                ring = [(x + turn, y) for x, y in coords[0]]
                ax.add_patch(Polygon(ring, closed=True, facecolor=colour, edgecolor=colour,
                                     linewidth=layout.pt(1.0), joinstyle="miter", zorder=6))
        if props["part"] == "arrowhead":
            labels.obstacle_polygon([(view.shifted(x), y) for x, y in coords[0]])
        elif props["part"] == "line":
            points = [(view.shifted(x), y) for x, y in coords]
            labels.soft_line(points)
            if props["id"] not in labelled and props["what"].strip():
                labelled.add(props["id"])
                text = props["what"] + (" \u2194" if props["two_way"] else "")
                mid = points[len(points) // 2]
                labels.add(mid, text, priority=3, required=False, radius=2.0, size=layout.pt(12),
                           colour=colour, style="italic", weight="bold")


def _draw_pressure(ax: Axes, features: list[dict], view: _View, layout: _Layout, labels: _Labels) -> None:
    for feature in features:
        props = feature["properties"]
        if props["layer"] != "port_pressure":
            continue
        colour = style.TREND_COLOURS[props["trend"]]
        glyph = style.TREND_GLYPHS[props["trend"]]
        centre = _xy(view, props["lat"], props["lon"])
        radius = layout.px(style.pressure_radius(len(props["evidence"])) * 1.5)
        if feature["geometry"]["type"] == "MultiPoint":
            _draw_members(ax, feature["geometry"]["coordinates"], centre, colour, view, layout, labels)
        _pressure_symbol(ax, centre, radius, colour, glyph, inferred=props["inferred"], layout=layout, zorder=8)
        labels.obstacle_circle(centre, radius)
        labels.add(centre, f"{props['name']} {glyph}", priority=0, required=True, radius=radius,
                   size=layout.pt(14), colour=_TEXT_COLOUR, weight="bold")


def _draw_members(ax: Axes, members: list, centre: tuple[float, float], colour: str, view: _View,
                  layout: _Layout, labels: _Labels) -> None:
    """An inferred group's towns: tiny dots, tied to the group's symbol by faint spokes."""
    points = [(view.shifted(lon), lat) for lon, lat in members]
    spokes = [[centre, point] for point in points]
    ax.add_collection(LineCollection(spokes, colors=colour, linewidths=layout.pt(1.0), alpha=0.7,
                                     linestyles=(0, (2, 2)), zorder=7), autolim=False)
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=layout.pt(7.0) ** 2, c=colour,
               edgecolors=_TEXT_COLOUR, linewidths=layout.pt(0.8), zorder=7)
    for point in points:
        labels.obstacle_circle(point, layout.px(4))


def _pressure_symbol(ax: Axes, centre: tuple[float, float], radius_px: float, colour: str, glyph: str, *,
                     inferred: bool, layout: _Layout, zorder: int) -> None:
    """A graduated circle in the trend's colour with its glyph; hollow and dashed when inferred."""
    diameter_pt = 2 * radius_px * _PT
    if inferred:
        ax.scatter([centre[0]], [centre[1]], s=diameter_pt**2, facecolors=_HALO, edgecolors=colour,
                   linewidths=layout.pt(3.0), linestyles=[(0, (2.0, 1.6))], zorder=zorder)
        glyph_colour = colour
    else:
        ax.scatter([centre[0]], [centre[1]], s=diameter_pt**2, c=colour, edgecolors=_TEXT_COLOUR,
                   linewidths=layout.pt(1.2), zorder=zorder)
        glyph_colour = _TEXT_COLOUR
    ax.text(centre[0], centre[1], glyph, ha="center", va="center_baseline", color=glyph_colour,
            fontsize=radius_px * _PT * 1.15, zorder=zorder + 0.1)


def _country_text(name: str) -> str:
    """A country's name in letter-spaced capitals, as atlases set them."""
    return "  ".join("\u2009".join(word.upper()) for word in name.split())


def _draw_places(ax: Axes, story: Story, features: list[dict], view: _View, layout: _Layout, labels: _Labels) -> None:
    with_pressure = {p.place for p in story.pressures}
    for feature in features:
        props = feature["properties"]
        if props["layer"] != "places" or props["id"] in with_pressure:
            continue
        lon, lat = _xy(view, props["lat"], props["lon"])
        if not view.contains(lon, lat):
            continue  # the inset shows it
        kind = props["kind"]
        if kind in _LABEL_KINDS:
            labels.add((lon, lat), props["name"], priority=4, required=False, radius=0, size=layout.pt(13),
                       colour=_SEA_LABEL, style="italic", centred=True)
        elif kind == "country":
            labels.add((lon, lat), _country_text(props["name"]), priority=1, required=True, radius=0,
                       size=layout.pt(17), colour=_COUNTRY_LABEL, weight="bold", centred=True)
        elif feature["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            labels.add((lon, lat), props["name"], priority=2, required=True, radius=0, size=layout.pt(13),
                       colour=_TEXT_COLOUR, style="italic", centred=True)
        else:
            hollow = props["inferred"]
            ax.scatter([lon], [lat], s=layout.pt(9.0) ** 2, c=_HALO if hollow else style.PLACE_COLOUR,
                       edgecolors=style.PLACE_COLOUR if hollow else _HALO, linewidths=layout.pt(1.5), zorder=9)
            labels.obstacle_circle((lon, lat), layout.px(5.5))
            labels.add((lon, lat), props["name"], priority=2, required=True, radius=layout.px(5.5),
                       size=layout.pt(13.5), colour=_TEXT_COLOUR)


def _draw_context_countries(story: Story, view: _View, layout: _Layout, labels: _Labels) -> None:
    """Faint names of the neighbouring countries, where they fit, so a reader knows where they are."""
    named = {p.country_code for p in story.places if p.kind == "country"}
    area = (view.east - view.west) * (view.north - view.south)
    candidates = []
    for code, name, geometry in _countries():
        if code in named:
            continue
        for part in _clipped(geometry, view, margin=0.0):
            if part.area >= 0.025 * area:
                candidates.append((-part.area, name, part.representative_point()))
    for _, name, point in sorted(candidates, key=lambda c: (c[0], c[1])):
        labels.add((point.x, point.y), _country_text(name), priority=9, required=False, radius=0,
                   size=layout.pt(12), colour=_CONTEXT_LABEL, centred=True, halo=False)


def _draw_no_places(ax: Axes, layout: _Layout) -> None:
    ax.text(0.5, 0.5, "No places found in the article", transform=ax.transAxes, ha="center", va="center",
            fontsize=layout.pt(20), color=_MUTED, zorder=12,
            bbox={"facecolor": _HALO, "alpha": 0.85, "edgecolor": "#9a9a9a", "boxstyle": "round,pad=0.6"})


def _draw_title(figure: Figure, layout: _Layout) -> None:
    margin = layout.px(_MARGIN_PX)
    y = layout.height - margin
    for line in layout.title_lines:
        figure.text(margin / layout.width, y / layout.height, line, ha="left", va="top", color=_TEXT_COLOUR,
                    fontsize=layout.pt(_TITLE_PX), fontweight="bold", parse_math=False)
        y -= layout.px(_TITLE_PX) * 1.25
    figure.text(margin / layout.width, (y - layout.px(4)) / layout.height, SUBTITLE, ha="left", va="top",
                color=_MUTED, fontsize=layout.pt(_SUBTITLE_PX), parse_math=False)


def _draw_footer(figure: Figure, layout: _Layout) -> None:
    margin = layout.px(_MARGIN_PX)
    y = layout.map_box[1] - margin * 0.6
    for line in layout.footer_lines:
        beyond = line.startswith("Beyond this map")
        figure.text(margin / layout.width, y / layout.height, line, ha="left", va="top",
                    color=_TEXT_COLOUR if beyond else _MUTED, fontsize=layout.pt(_FOOTER_PX), parse_math=False)
        y -= layout.px(_FOOTER_PX) * 1.45


# ------------------------------------------------------------------------ labels


@dataclass
class _Label:
    anchor: tuple[float, float]
    text: str
    priority: int
    required: bool
    radius: float  # pixels between the anchor and the text
    options: dict[str, Any]
    centred: bool
    halo: bool


# Candidate spots around a point, as (dx, dy, ha, va), best first: right, left, then the diagonals.
_AROUND = ((1, 0, "left", "center_baseline"), (-1, 0, "right", "center_baseline"), (0.7, 0.7, "left", "bottom"),
           (0.7, -0.7, "left", "top"), (-0.7, 0.7, "right", "bottom"), (-0.7, -0.7, "right", "top"),
           (0, 1, "center", "bottom"), (0, -1, "center", "top"))
# Names of areas (countries, provinces, seas) may sit anywhere near their point: on it, then further out.
_CENTRED = tuple(
    (dx * step, dy * step, ha, va)
    for step in (1.0, 2.5)
    for dx, dy, ha, va in ((0, 1, "center", "bottom"), (0, -1, "center", "top"), (1, 0, "left", "center_baseline"),
                           (-1, 0, "right", "center_baseline"), (1, 1, "left", "bottom"), (1, -1, "left", "top"),
                           (-1, 1, "right", "bottom"), (-1, -1, "right", "top"))
)
_CENTRED = ((0, 0, "center", "center_baseline"),) + _CENTRED


class _Labels:
    """Greedy label placement: each label takes the first spot that overlaps nothing placed before it.

    Higher-priority labels (lower number) go first. A required label with no
    free spot takes the one that overlaps least; an optional one is dropped.
    Boxes are in display pixels, measured with the figure's own renderer.
    """

    def __init__(self, figure: Figure, ax: Axes) -> None:
        self.figure, self.ax = figure, ax
        self.renderer = figure.canvas.get_renderer()
        self.hard: list[Bbox] = []  # symbols and placed labels: never cover them
        self.soft: list[Bbox] = []  # flow lines: better not, but a label with a halo reads over a line
        self.pending: list[_Label] = []

    def _display(self, point: tuple[float, float]) -> tuple[float, float]:
        return tuple(self.ax.transData.transform(point))

    def obstacle_circle(self, centre: tuple[float, float], radius: float) -> None:
        x, y = self._display(centre)
        self.hard.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))

    def obstacle_polygon(self, points: Sequence[tuple[float, float]]) -> None:
        xy = self.ax.transData.transform(points)
        self.hard.append(Bbox.from_extents(xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()))

    def obstacle_box(self, box: Bbox) -> None:
        self.hard.append(box)

    def soft_line(self, points: Sequence[tuple[float, float]]) -> None:
        for x, y in self.ax.transData.transform(points[::2]):
            self.soft.append(Bbox.from_extents(x - 3, y - 3, x + 3, y + 3))

    def points_in(self, box: Bbox) -> int:
        """How many symbols and line samples a box would cover (to choose a free corner)."""
        return sum(1 for b in self.hard + self.soft if box.overlaps(b))

    def add(self, anchor, text: str, *, priority: int, required: bool, radius: float, size: float, colour: str,
            centred: bool = False, halo: bool = True, **font: Any) -> None:
        options = {"fontsize": size, "color": colour, "parse_math": False, "zorder": 11, **font}
        self.pending.append(_Label(anchor, text, priority, required, radius, options, centred, halo))

    def place_all(self, layout: _Layout) -> None:
        frame = self.ax.get_window_extent(self.renderer)
        for label in sorted(self.pending, key=lambda lb: lb.priority):  # stable: drawing order breaks ties
            self._place(label, frame, layout)
        self.pending = []

    def _place(self, label: _Label, frame: Bbox, layout: _Layout) -> None:
        gap = label.radius + layout.px(3)
        step = layout.pt(10)
        best = None
        for dx, dy, ha, va in _CENTRED if label.centred else _AROUND:
            offset = (dx * step, dy * step) if label.centred else (dx * gap * _PT, dy * gap * _PT)
            spot = {"xytext": offset, "ha": ha, "va": va}
            probe = self._text(label, spot)
            box = probe.get_window_extent(self.renderer).padded(layout.px(2))
            probe.remove()
            cost = self._cost(box, frame)
            if best is None or cost < best[0]:
                best = (cost, spot, box)
            if cost == (0, 0):
                break
        cost, spot, box = best
        if cost[0] > 0 and not label.required:
            return  # an optional label that would cover something is better left out
        self.hard.append(box)
        if label.halo:
            # The halo is a twin underneath, so the label itself stays plain text
            # (an SVG keeps its words, which a path effect would turn into shapes).
            stroke = patheffects.Stroke(linewidth=label.options["fontsize"] * 0.28, foreground=_HALO)
            self._text(label, spot, path_effects=[stroke], zorder=label.options["zorder"] - 0.5)
        self._text(label, spot)

    def _text(self, label: _Label, spot: dict[str, Any], **extra: Any):
        options = {**label.options, **spot, **extra}
        return self.ax.annotate(label.text, xy=label.anchor, textcoords="offset points", annotation_clip=False,
                                **options)

    def _cost(self, box: Bbox, frame: Bbox) -> tuple[float, float]:
        """(area over symbols, labels or the frame's edge; area over flow lines)."""
        outside = box.width * box.height - _overlap(box, frame)
        return (outside + sum(_overlap(box, b) for b in self.hard), sum(_overlap(box, b) for b in self.soft))


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


# ---------------------------------------------------------- corners: legend, inset


class _Corners:
    """The map's four corners, handed out to the inset and the legend, emptiest first."""

    def __init__(self, layout: _Layout, labels: _Labels) -> None:
        self.layout, self.labels = layout, labels
        self.taken: set[str] = set()

    def take(self, width: float, height: float, preference: Sequence[str]) -> tuple[float, float]:
        """The bottom-left pixel of a box of this size in the free corner covering the fewest symbols."""
        left, bottom, box_w, box_h = self.layout.map_box
        inset = self.layout.px(10)
        spots = {
            "top-right": (left + box_w - inset - width, bottom + box_h - inset - height),
            "top-left": (left + inset, bottom + box_h - inset - height),
            "bottom-left": (left + inset, bottom + inset),
            "bottom-right": (left + box_w - inset - width, bottom + inset),
        }
        free = [name for name in preference if name not in self.taken]
        name = min(free, key=lambda n: (self.labels.points_in(_box(spots[n], width, height)), free.index(n)))
        self.taken.add(name)
        x, y = spots[name]
        self.labels.obstacle_box(_box((x, y), width, height).padded(self.layout.px(4)))
        return x, y


def _box(origin: tuple[float, float], width: float, height: float) -> Bbox:
    return Bbox.from_bounds(origin[0], origin[1], width, height)


def _draw_inset(figure: Figure, story: Story, beyond: Sequence[Place], view: _View, layout: _Layout,
                corners: _Corners) -> None:
    """A small world map: every place of the story, and the main map's extent as a box."""
    _, _, box_w, box_h = layout.map_box
    width = min(box_w * 0.3, layout.px(440))
    height = min(box_h * 0.42, width * 0.6)
    bounds = whole_bounds(story) or _WORLD
    (south, west), (north, east) = bounds
    bounds = ((min(south, view.south), min(west, view.west)), (max(north, view.north), max(east, view.east)))
    inset_view = _fitted_view(bounds, width, height, pad=0.08, min_span=30.0)
    x, y = corners.take(width, height, ("top-right", "top-left", "bottom-right", "bottom-left"))
    ax = _sea_axes(figure, layout.fraction(x, y, width, height), inset_view, edge="#7a7a7a", edge_width=layout.pt(1.2), zorder=20)
    _draw_land(ax, inset_view, layout.pt(0.5))
    ax.add_patch(Rectangle((view.west, view.south), view.east - view.west, view.north - view.south, fill=False,
                           edgecolor=_CORE_BOX, linewidth=layout.pt(2.0), zorder=3))
    labels = _Labels(figure, ax)
    for place in beyond:
        point = _xy(inset_view, place.lat, place.lon)
        ax.scatter([point[0]], [point[1]], s=layout.pt(7) ** 2, c=style.PLACE_COLOUR, edgecolors=_HALO,
                   linewidths=layout.pt(1.0), zorder=4)
        labels.obstacle_circle(point, layout.px(4))
        labels.add(point, place.name, priority=0, required=True, radius=layout.px(4), size=layout.pt(11.5),
                   colour=_TEXT_COLOUR)
    ax.text(0.02, 0.97, "Whole story", transform=ax.transAxes, ha="left", va="top", fontsize=layout.pt(11),
            color=_MUTED, fontweight="bold", zorder=5, bbox={"facecolor": _HALO, "alpha": 0.7, "edgecolor": "none",
                                                             "boxstyle": "round,pad=0.2"})
    labels.place_all(layout)


def _legend_rows(layers: dict[str, Any]) -> tuple[style.LegendItem, ...]:
    features = layers["features"]
    trends = tuple(t for t in ("up", "down", "steady") if any(f["properties"].get("trend") == t for f in features))
    provinces = any(
        f["properties"]["layer"] == "places" and f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features
    )
    inferred = any(f["properties"]["inferred"] for f in features)
    return style.legend_items(tuple(layers["properties"]["layers"]), trends, inferred=inferred, provinces=provinces)


def _draw_legend(figure: Figure, layers: dict[str, Any], layout: _Layout, corners: _Corners,
                 measure: _Measure) -> None:
    rows = _legend_rows(layers)
    if not rows:
        return
    font = layout.pt(12.5)
    row_h, pad, symbol_w = layout.px(27), layout.px(12), layout.px(38)
    text_w = max(measure.width(row.label, {"size": font}) for row in rows)
    width = pad * 2 + symbol_w + layout.px(10) + text_w
    height = pad * 2 + row_h * len(rows)
    x, y = corners.take(width, height, ("bottom-left", "bottom-right", "top-left", "top-right"))
    ax = figure.add_axes(layout.fraction(x, y, width, height), zorder=20)
    # Data units are this box's pixels, so symbols can be drawn at their real size.
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor((1, 1, 1, 0.93))
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(layout.pt(1.0))
    for i, row in enumerate(rows):
        cy = height - pad - row_h * (i + 0.5)
        _legend_symbol(ax, row, (pad, cy), symbol_w, layout)
        ax.text(pad + symbol_w + layout.px(10), cy, row.label, ha="left", va="center_baseline", fontsize=font,
                color=_TEXT_COLOUR)


def _legend_symbol(ax: Axes, item: style.LegendItem, origin: tuple[float, float], width: float,
                   layout: _Layout) -> None:
    """The legend's symbol for one item, drawn as the map draws it."""
    x, cy = origin
    mid = x + width / 2
    if item.symbol == "circle":
        ax.add_patch(Circle((mid, cy), layout.px(5.5), facecolor=item.colour, edgecolor=_HALO,
                            linewidth=layout.pt(1.5)))
    elif item.symbol == "polygon":
        h = layout.px(16)
        ax.add_patch(Rectangle((x + 3, cy - h / 2), width - 6, h, facecolor=item.colour, alpha=0.16, edgecolor="none"))
        ax.add_patch(Rectangle((x + 3, cy - h / 2), width - 6, h, fill=False, edgecolor=item.colour,
                               linewidth=layout.pt(1.6)))
    elif item.symbol == "arrow":
        head = layout.px(13)
        ax.plot([x, x + width - head], [cy, cy], color=item.colour, linewidth=layout.pt(3.2), solid_capstyle="butt")
        tip, base = x + width, x + width - head
        ax.add_patch(Polygon([(tip, cy), (base, cy + head * 0.45), (base, cy - head * 0.45)], closed=True,
                             facecolor=item.colour, edgecolor=item.colour, linewidth=layout.pt(1.0)))
    elif item.symbol == "glyph":
        _pressure_symbol(ax, (mid, cy), layout.px(11), item.colour, item.glyph, inferred=False, layout=layout, zorder=3)
    elif item.symbol == "dashed-circle":
        ax.add_patch(Circle((mid, cy), layout.px(10), facecolor=_HALO, edgecolor=item.colour,
                            linewidth=layout.pt(2.4), linestyle=(0, (2.0, 1.6))))
