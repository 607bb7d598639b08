"""The offline Natural Earth basemap: countries, land, borders and provinces.

The GeoJSON files under ``assets/basemap/`` are built by
``tools/build_basemap.py`` (see ``assets/basemap/SOURCES.md``). Every call
returns new dicts, so callers may modify what they get; only immutable
things (file bytes, per-feature JSON text, shapely geometries) are cached.

Province shapes are simplified to a few kilometres: a coastal town can fall
just outside its province, so point-in-province tests need a tolerance.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo._assets import asset_path
from geo.errors import AssetError

__all__ = ["countries", "land", "borders", "provinces", "province", "province_at", "province_names"]


def countries() -> dict:
    """All countries as a FeatureCollection.

    Properties: ``name`` (Natural Earth short name), ``iso_n3`` (ISO 3166-1
    numeric, or None for e.g. Kosovo, N. Cyprus) and ``iso_a2`` (ISO alpha-2,
    or None when the shape has no code of its own).
    """
    return _load("countries.geojson")


def land() -> dict:
    """All land as a FeatureCollection of one MultiPolygon (sea is what is left)."""
    return _load("land.geojson")


def borders() -> dict:
    """Land borders between countries as a FeatureCollection of one MultiLineString."""
    return _load("borders.geojson")


def provinces(country_codes: Iterable[str]) -> dict:
    """The first-level divisions of the given countries (ISO alpha-2 codes).

    Properties: ``iso_3166_2`` (e.g. ``"CL-VS"``), ``name`` and ``country``.
    Unknown codes contribute nothing. A single string is taken as one code.

    >>> sorted({f["properties"]["country"] for f in provinces(["pe", "CL"])["features"]})
    ['CL', 'PE']
    """
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    by_country = _province_index().by_country
    wanted = sorted({code.strip().upper() for code in country_codes})
    features = [json.loads(text) for code in wanted for text in by_country.get(code, ())]
    return {"type": "FeatureCollection", "features": features}


def province(iso_code: str) -> BaseGeometry | None:
    """The shape of one province by ISO 3166-2 code (``"CL-VS"``), or None.

    Natural Earth splits a few codes into several units (Bogotá and
    Cundinamarca are both ``CO-CUN``); their shapes are merged.

    >>> province("CL-VS").contains(shapely.Point(-71.62, -33.05))
    True
    >>> province("XX-NOPE") is None
    True
    """
    return _province_shape(iso_code.strip().upper())


def province_names(iso_code: str) -> tuple[str, ...]:
    """The names Natural Earth gives the units filed under a code (several for a shared code).

    >>> province_names("CL-VS"), province_names("XX-NOPE")
    (('Valparaíso',), ())
    """
    texts = _province_index().by_code.get(iso_code.strip().upper(), ())
    return tuple(_DECODER.raw_decode(text, len(_FEATURE_HEAD))[0]["name"] for text in texts)


def province_at(country_code: str, location: BaseGeometry) -> tuple[str, BaseGeometry] | None:
    """The code and shape of a country's province holding ``location`` (a
    shapely point, lon/lat), else of the nearest one; None for a country
    without provinces.

    For divisions whose code the basemap files under another unit: Natural
    Earth still carries some countries' former ISO codes.

    >>> province_at("CL", shapely.Point(-71.62, -33.05))[0]
    'CL-VS'
    >>> province_at("XX", shapely.Point(0, 0)) is None
    True
    """
    codes = _province_index().codes_by_country.get(country_code.strip().upper(), ())
    shapes = [(code, shape) for code in codes if (shape := _province_shape(code)) is not None]
    if not shapes:
        return None
    return min(shapes, key=lambda item: (item[1].distance(location), item[0]))


@lru_cache(maxsize=512)
def _province_shape(code: str) -> BaseGeometry | None:
    texts = _province_index().by_code.get(code, ())
    parts = [shape(json.loads(text)["geometry"]) for text in texts]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


class _ProvinceIndex(NamedTuple):
    # Each feature kept as its JSON text: immutable, and parsed only on demand.
    by_country: Mapping[str, tuple[str, ...]]
    by_code: Mapping[str, tuple[str, ...]]
    codes_by_country: Mapping[str, tuple[str, ...]]  # for province_at: a country's codes without parsing its features


@lru_cache(maxsize=1)
def _province_index() -> _ProvinceIndex:
    return _index_provinces(_read("provinces.geojson"))


# The layout tools/build_basemap.py writes (write_collection, feature): one
# feature per line, properties before geometry. Only the properties are parsed
# here; parsing all 5 MB of geometry took half a second, on the page's first map.
_COLLECTION_HEAD = '{"type":"FeatureCollection","features":['
_COLLECTION_TAIL = "]}"
_FEATURE_HEAD = '{"type":"Feature","properties":'
_GEOMETRY_KEY = ',"geometry":'
_DECODER = json.JSONDecoder()


def _index_provinces(data: bytes) -> _ProvinceIndex:
    """Each feature's text by country and by ISO code, from provinces.geojson's bytes."""
    try:
        # A checkout with Windows line ends (core.autocrlf) is the same file.
        lines = [line.removesuffix("\r") for line in data.decode("utf-8-sig").rstrip("\r\n").split("\n")]
    except UnicodeDecodeError as err:
        raise _layout_error(str(err)) from err
    if len(lines) < 2 or lines[0] != _COLLECTION_HEAD or lines[-1] != _COLLECTION_TAIL:
        raise _layout_error("it is not one feature per line")
    by_country: dict[str, list[str]] = defaultdict(list)
    by_code: dict[str, list[str]] = defaultdict(list)
    codes: dict[str, set[str]] = defaultdict(set)
    for number, line in enumerate(lines[1:-1], start=2):
        text = line.removesuffix(",")
        try:
            if not text.startswith(_FEATURE_HEAD):
                raise ValueError("not a feature with its properties first")
            # Decodes the properties object alone and says where it ends.
            props, end = _DECODER.raw_decode(text, len(_FEATURE_HEAD))
            if not text.startswith(_GEOMETRY_KEY, end):
                raise ValueError("no geometry after the properties")
            country, code = props["country"], props["iso_3166_2"]
        except (ValueError, TypeError, KeyError) as err:
            raise _layout_error(f"line {number}: {err}") from err
        by_country[country].append(text)
        by_code[code].append(text)
        codes[country].add(code)
    return _ProvinceIndex(_frozen(by_country), _frozen(by_code), _frozen({country: sorted(found) for country, found in codes.items()}))


def _layout_error(detail: str) -> AssetError:
    path = asset_path("basemap", "provinces.geojson")
    return AssetError(
        f"basemap file {path} is not laid out as tools/build_basemap.py writes it ({detail}); rebuild it with `python tools/build_basemap.py`"
    )


def _frozen(groups: dict[str, list[str]]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({key: tuple(values) for key, values in groups.items()})


def _load(name: str) -> dict:
    return json.loads(_read_cached(name))


@lru_cache(maxsize=4)
def _read_cached(name: str) -> bytes:
    return _read(name)


def _read(name: str) -> bytes:
    path = asset_path("basemap", name)
    try:
        return path.read_bytes()
    except OSError as err:
        raise AssetError(
            f"basemap file {path} cannot be read ({err.strerror or err}); build it with `python tools/build_basemap.py`"
        ) from err
