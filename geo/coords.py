"""Coordinates: the one place where latitude/longitude order is decided.

Inside ``geo`` a position is ``(lat, lon)``, as geopy and people say it.
GeoJSON, KML and shapely geometry want ``(lon, lat)``; every conversion goes
through :func:`to_xy` and :func:`from_xy`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["EARTH_RADIUS_KM", "COORDINATE_DECIMALS", "to_xy", "from_xy", "distance_km", "nearest_km", "rounded"]

EARTH_RADIUS_KM = 6371.0088
# Six decimals is 11 cm: finer than any gazetteer, and it keeps output stable.
COORDINATE_DECIMALS = 6


def rounded(value: float) -> float:
    """A coordinate rounded for output; ``-0.0`` becomes ``0.0``.

    >>> rounded(-77.03120049), rounded(-0.0000001)
    (-77.0312, 0.0)
    """
    return round(value, COORDINATE_DECIMALS) + 0.0


def to_xy(lat: float, lon: float) -> tuple[float, float]:
    """``(lat, lon)`` to the ``(x, y) = (lon, lat)`` order of GeoJSON and shapely.

    >>> to_xy(3.8801, -77.0312)
    (-77.0312, 3.8801)
    """
    if not (-90.0 <= lat <= 90.0) or not math.isfinite(lon):
        raise ValueError(f"not a latitude/longitude pair: ({lat}, {lon})")
    return (rounded(lon), rounded(lat))


def from_xy(xy: Iterable[float]) -> tuple[float, float]:
    """``(x, y)`` from GeoJSON or shapely back to ``(lat, lon)``.

    >>> from_xy((-77.0312, 3.8801))
    (3.8801, -77.0312)
    """
    x, y, *_ = xy
    return (y, x)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two ``(lat, lon)`` points, in km.

    >>> round(distance_km((0.0, 0.0), (0.0, 1.0)), 1)
    111.2
    >>> distance_km((4.0, -73.0), (4.0, -73.0))
    0.0
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(point: tuple[float, float], others: Iterable[tuple[float, float]]) -> float:
    """:func:`distance_km` from ``point`` to the nearest of ``others``; infinity if there are none.

    >>> nearest_km((0.0, 0.0), [(0.0, 2.0), (0.0, 1.0)]) == distance_km((0.0, 0.0), (0.0, 1.0))
    True
    >>> nearest_km((0.0, 0.0), [])
    inf
    """
    # Resolution asks this of every candidate town against every anchor: the
    # point's radians and cosine are worked out once. The arithmetic is
    # distance_km's, in its order, so each distance is the same to the last bit.
    # The builtin min() calls are spelled as comparisons that pick the same value
    # (NaN included), and the diameter is 2 * EARTH_RADIUS_KM computed once.
    lat1, lon1 = math.radians(point[0]), math.radians(point[1])
    cos1 = math.cos(lat1)
    radians, sin, cos, sqrt, asin = math.radians, math.sin, math.cos, math.sqrt, math.asin
    diameter = 2 * EARTH_RADIUS_KM
    nearest = math.inf
    for lat, lon in others:
        lat2, lon2 = radians(lat), radians(lon)
        h = sin((lat2 - lat1) / 2) ** 2 + cos1 * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
        root = sqrt(h)
        if not root < 1.0:  # min(1.0, root)
            root = 1.0
        distance = diameter * asin(root)
        if distance < nearest:  # min(nearest, distance)
            nearest = distance
    return nearest
