"""Shapes of the story, with shapely: curved flows, arrowheads, groups.

Shapes are built in a local plane measured in kilometres (an equirectangular
projection about the shape's own latitude), which keeps arrowheads the same
size and shape wherever they are drawn; positions go in and out as
``(lat, lon)`` through :mod:`geo.coords` only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from shapely.geometry import LineString, MultiPoint, Point, Polygon

from .coords import EARTH_RADIUS_KM, distance_km, from_xy, to_xy

__all__ = ["point", "multipoint", "flow_line", "arrowhead", "LONG_FLOW_KM"]

LONG_FLOW_KM = 2500.0  # beyond this a flow follows the great circle
_SAMPLES = 48


def point(lat: float, lon: float) -> Point:
    """A shapely point in GeoJSON order.

    >>> point(3.88, -77.03).coords[0]
    (-77.03, 3.88)
    """
    return Point(to_xy(lat, lon))


def multipoint(positions: Sequence[tuple[float, float]]) -> MultiPoint:
    """A shapely multipoint from ``(lat, lon)`` pairs.

    >>> multipoint([]).is_empty
    True
    """
    return MultiPoint([to_xy(lat, lon) for lat, lon in positions])


class _Plane:
    """Kilometres east/north of a reference point, and back."""

    def __init__(self, lat: float, lon: float) -> None:
        self.lat0, self.lon0 = lat, lon
        self.kx = math.radians(1) * EARTH_RADIUS_KM * math.cos(math.radians(lat))
        self.ky = math.radians(1) * EARTH_RADIUS_KM

    def forward(self, lat: float, lon: float) -> tuple[float, float]:
        dlon = (lon - self.lon0 + 540.0) % 360.0 - 180.0
        return (dlon * self.kx, (lat - self.lat0) * self.ky)

    def back(self, x: float, y: float) -> tuple[float, float]:
        return (self.lat0 + y / self.ky, self.lon0 + x / self.kx)


def _bezier(source, target, bend: float) -> list[tuple[float, float]]:
    # The middle is taken the short way round, across the antimeridian if need be.
    target_lon = source[1] + (target[1] - source[1] + 540.0) % 360.0 - 180.0
    mid = ((source[0] + target[0]) / 2, (source[1] + target_lon) / 2)
    plane = _Plane(*mid)
    (x0, y0), (x1, y1) = plane.forward(*source), plane.forward(*target)
    dx, dy = x1 - x0, y1 - y0
    # Control point off to the side of the chord, by a share of its length.
    cx, cy = (x0 + x1) / 2 - dy * bend, (y0 + y1) / 2 + dx * bend
    points = []
    for i in range(_SAMPLES + 1):
        t = i / _SAMPLES
        x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
        y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
        points.append(plane.back(x, y))
    return points


def _great_circle(source, target) -> list[tuple[float, float]]:
    lat1, lon1, lat2, lon2 = map(math.radians, (*source, *target))
    a = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    b = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    omega = math.acos(max(-1.0, min(1.0, sum(p * q for p, q in zip(a, b)))))
    points = []
    for i in range(_SAMPLES + 1):
        t = i / _SAMPLES
        if omega < 1e-12:
            v = a
        else:
            s1, s2 = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
            v = tuple(s1 * p + s2 * q for p, q in zip(a, b))
        points.append((math.degrees(math.atan2(v[2], math.hypot(v[0], v[1]))), math.degrees(math.atan2(v[1], v[0]))))
    return points


def _unwrapped(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep longitudes continuous so a line across the antimeridian is not drawn the long way."""
    result = [points[0]]
    for lat, lon in points[1:]:
        previous = result[-1][1]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        result.append((lat, lon))
    return result


def flow_line(source: tuple[float, float], target: tuple[float, float], *, side: int = 1, lane: int = 0) -> LineString:
    """A curved line from ``source`` to ``target`` (``(lat, lon)`` each).

    Short flows bend to one ``side`` (+1 left, -1 right, as seen from the
    source), by more the longer they are, as readers of flow maps read best;
    long flows follow the great circle. Two flows between the same places in
    opposite directions, drawn with the same side, therefore never overlap;
    several flows the same way take ``lane`` 0, 1, 2 ..., each bent further.

    >>> line = flow_line((4.0, -73.0), (-1.4, -78.2))
    >>> line.coords[0], line.coords[-1]
    ((-73.0, 4.0), (-78.2, -1.4))
    """
    length = distance_km(source, target)
    if length >= LONG_FLOW_KM and lane == 0:
        points = _great_circle(source, target)
    else:
        bend = side * (0.12 + 0.13 * min(1.0, length / LONG_FLOW_KM)) * (1.0 + 0.8 * lane)
        points = _bezier(source, target, bend)
    points[0], points[-1] = source, target
    return LineString([to_xy(lat, lon) for lat, lon in _unwrapped(points)])


def arrowhead(line: LineString, *, size_km: float | None = None) -> Polygon:
    """A triangle whose tip is the line's end, pointing the way the line goes.

    Its size defaults to a share of the line's length, within bounds that keep
    it visible on a short flow and modest on a long one.

    >>> head = arrowhead(flow_line((4.0, -73.0), (-1.4, -78.2)))
    >>> head.is_valid, round(head.exterior.coords[0][0], 1), round(head.exterior.coords[0][1], 1)
    (True, -78.2, -1.4)
    """
    coords = list(line.coords)
    plane = _Plane(*from_xy(coords[-1]))
    planar = [plane.forward(*from_xy(xy)) for xy in coords]
    length = sum(math.dist(p, q) for p, q in zip(planar, planar[1:]))
    size = size_km if size_km is not None else max(40.0, min(250.0, length * 0.12))
    # Direction: from the point about one head-length back along the line to the tip.
    back, walked = planar[0], 0.0
    for p, q in zip(reversed(planar[:-1]), reversed(planar[1:])):
        walked += math.dist(p, q)
        back = p
        if walked >= size:
            break
    dx, dy = planar[-1][0] - back[0], planar[-1][1] - back[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    base = (-ux * size, -uy * size)
    half = size * 0.45
    left = (base[0] - uy * half, base[1] + ux * half)
    right = (base[0] + uy * half, base[1] - ux * half)
    corners = [(0.0, 0.0), left, right, (0.0, 0.0)]
    return Polygon([to_xy(*plane.back(x, y)) for x, y in corners])
