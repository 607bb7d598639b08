"""The Natural Earth basemap files, their reader, and the TopoJSON decoder."""

from __future__ import annotations

import hashlib
import json
import importlib.util
import re
from pathlib import Path

import pytest
import shapely

from geo import basemap
from geo._assets import asset_path
from geo.errors import AssetError

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def build_basemap():
    """tools/build_basemap.py as a module (tools/ is not a package)."""
    path = REPO / "tools" / "build_basemap.py"
    spec = importlib.util.spec_from_file_location("build_basemap", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- reader ------------------------------------------------------------------


def test_provinces_of_ecuador_include_esmeraldas():
    features = basemap.provinces(["EC"])["features"]
    by_code = {f["properties"]["iso_3166_2"]: f["properties"] for f in features}
    assert by_code["EC-E"] == {"iso_3166_2": "EC-E", "name": "Esmeraldas", "country": "EC"}
    assert len(by_code) == 24
    assert {f["properties"]["country"] for f in features} == {"EC"}


def test_provinces_accepts_any_iterable_and_case():
    a = basemap.provinces(code for code in ["co", " EC "])
    b = basemap.provinces(["EC", "CO"])
    assert a == b
    assert basemap.provinces("EC") == basemap.provinces(["EC"])
    assert basemap.provinces([])["features"] == []
    assert basemap.provinces(["XX"])["features"] == []


def test_results_are_fresh_copies():
    first = basemap.provinces(["EC"])
    first["features"].clear()
    assert basemap.provinces(["EC"])["features"]
    world = basemap.countries()
    world["features"][0]["properties"]["name"] = "changed"
    assert basemap.countries()["features"][0]["properties"]["name"] != "changed"


def test_province_shape():
    esmeraldas = basemap.province("EC-E")
    assert esmeraldas.is_valid and esmeraldas.geom_type in ("Polygon", "MultiPolygon")
    # Natural Earth's label point of Esmeraldas Province.
    assert esmeraldas.contains(shapely.Point(-78.9448, 1.2925))
    # Esmeraldas city sits on the coast: simplified shapes need a tolerance.
    assert esmeraldas.buffer(0.05).contains(shapely.Point(-79.6539, 0.9592))
    assert basemap.province(" ec-e ") == esmeraldas
    assert basemap.province("XX-NOPE") is None


def test_a_code_shared_by_several_units_is_merged():
    # Natural Earth gives Bogota and Cundinamarca the same code.
    both = basemap.province("CO-CUN")
    assert both.contains(shapely.Point(-74.08, 4.61))  # Bogota
    assert both.contains(shapely.Point(-74.0, 5.3))  # rural Cundinamarca


@pytest.fixture(scope="module")
def parsed_provinces() -> list[dict]:
    """Every feature of provinces.geojson, parsed the plain way (all of it)."""
    return json.loads(asset_path("basemap", "provinces.geojson").read_bytes())["features"]


def test_provinces_are_those_of_the_whole_file(parsed_provinces):
    by_country: dict[str, list[dict]] = {}
    for f in parsed_provinces:
        by_country.setdefault(f["properties"]["country"], []).append(f)
    assert len(by_country) > 200
    for country, features in by_country.items():
        assert basemap.provinces([country])["features"] == features, country
    assert basemap.provinces(["PE", "CL"])["features"] == by_country["CL"] + by_country["PE"]
    codes = basemap._province_index().codes_by_country
    assert {country: sorted({f["properties"]["iso_3166_2"] for f in features}) for country, features in by_country.items()} == {
        country: list(found) for country, found in codes.items()
    }


@pytest.mark.parametrize("code", ["CL-VS", "EC-E", "CO-CUN", "US-CA", "RU-CHU", "FJ-N"])
def test_province_is_the_shape_in_the_whole_file(parsed_provinces, code):
    parts = [shapely.geometry.shape(f["geometry"]) for f in parsed_provinces if f["properties"]["iso_3166_2"] == code]
    assert parts
    assert basemap.province(code).equals(shapely.union_all(parts))


@pytest.mark.parametrize("code", ["", "CL", "cl-", "CL-VS-", "CL-VS,", "Valparaíso"])
def test_what_is_not_a_province_code_gives_nothing(code):
    assert basemap.province(code) is None


def test_the_index_reads_what_the_build_tool_writes(build_basemap, tmp_path):
    odd = {"iso_3166_2": "ZZ-Q", "name": 'Quoted "x","geometry":{} Ñuñoa\nline', "country": "ZZ"}
    plain = {"iso_3166_2": "ZZ-P", "name": "Plain", "country": "ZZ"}
    other = {"iso_3166_2": "YY-P", "name": "Plain", "country": "YY"}
    features = [build_basemap.feature(shapely.box(i, 0, i + 1, 1), props) for i, props in enumerate([odd, plain, other])]
    path = tmp_path / "provinces.geojson"
    build_basemap.write_collection(path, features)
    index = basemap._index_provinces(path.read_bytes())
    assert sorted(index.by_country) == ["YY", "ZZ"]
    assert [json.loads(text) for text in index.by_country["ZZ"]] == features[:2]
    assert [json.loads(text) for text in index.by_code["ZZ-Q"]] == [features[0]]
    assert [json.loads(text) for text in index.by_code["YY-P"]] == [features[2]]


def test_a_provinces_file_not_laid_out_as_built_is_refused():
    feature = {"type": "Feature", "properties": {"iso_3166_2": "ZZ-P", "name": "P", "country": "ZZ"},
               "geometry": {"type": "Point", "coordinates": [0, 0]}}
    collection = {"type": "FeatureCollection", "features": [feature]}
    geometry_first = {"type": "Feature", "geometry": feature["geometry"], "properties": feature["properties"]}
    no_country = {**feature, "properties": {"iso_3166_2": "ZZ-P", "name": "P"}}
    compact = json.dumps(collection, separators=(",", ":")).replace("[{", "[\n{").replace("}]}", "}\n]}")
    assert basemap._index_provinces(compact.encode()).by_code.keys() == {"ZZ-P"}  # the layout itself is fine
    for bad in (
        json.dumps(collection, indent=1),
        json.dumps(collection),
        compact.replace(json.dumps(feature, separators=(",", ":")), json.dumps(geometry_first, separators=(",", ":"))),
        compact.replace(json.dumps(feature, separators=(",", ":")), json.dumps(no_country, separators=(",", ":"))),
        "",
    ):
        with pytest.raises(AssetError, match="tools/build_basemap.py"):
            basemap._index_provinces(bad.encode())


def test_countries_carry_iso_codes():
    features = basemap.countries()["features"]
    by_a2 = {f["properties"]["iso_a2"]: f for f in features if f["properties"]["iso_a2"]}
    assert by_a2["EC"]["properties"] == {"name": "Ecuador", "iso_n3": "218", "iso_a2": "EC"}
    assert by_a2["CO"]["properties"]["iso_n3"] == "170"
    assert {"US", "ES", "AE", "MX", "VA"} <= by_a2.keys()
    codes = [f["properties"]["iso_a2"] for f in features if f["properties"]["iso_a2"]]
    assert len(codes) == len(set(codes))


def test_land_and_borders():
    land = shapely.geometry.shape(basemap.land()["features"][0]["geometry"])
    borders = shapely.geometry.shape(basemap.borders()["features"][0]["geometry"])
    assert land.geom_type == "MultiPolygon" and land.is_valid
    assert borders.geom_type == "MultiLineString"
    assert land.contains(shapely.Point(-78.5, -0.2))  # Quito
    assert not land.contains(shapely.Point(-85.0, 0.0))  # Pacific
    # The Colombia-Ecuador border runs near Ipiales / Tulcan.
    assert borders.distance(shapely.Point(-77.7, 0.82)) < 0.1


# --- files ---------------------------------------------------------------------


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def test_asset_budget():
    assert asset_path("basemap", "provinces.geojson").stat().st_size <= 6_000_000
    assert _size(asset_path("web")) + _size(asset_path("basemap")) <= 8_000_000


def test_files_match_their_recorded_sha256():
    sources = asset_path("basemap", "SOURCES.md").read_text(encoding="utf-8")
    recorded = dict(re.findall(r"\| `(\w+\.geojson)` \| \d+ \| `([0-9a-f]{64})` \|", sources))
    assert set(recorded) == {"countries.geojson", "land.geojson", "borders.geojson",
                             "provinces.geojson"}
    for name, digest in recorded.items():
        data = asset_path("basemap", name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_coordinates_are_rounded():
    text = asset_path("basemap", "countries.geojson").read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{4,}", text)


# --- TopoJSON decoding -----------------------------------------------------------

# Two unit squares side by side, quantized with scale 1 and offset (10, 20):
# arc 0 is their shared edge, arcs 1 and 2 the rest of each outline.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [10, 20]},
    "arcs": [
        [[1, 0], [0, 1]],  # (11,20) -> (11,21)
        [[1, 1], [-1, 0], [0, -1], [1, 0]],  # (11,21) -> (10,21) -> (10,20) -> (11,20)
        [[1, 0], [1, 0], [0, 1], [-1, 0]],  # (11,20) -> (12,20) -> (12,21) -> (11,21)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "1"},
                {"type": "Polygon", "arcs": [[2, -1]], "id": "2"},
            ],
        }
    },
}


def test_decode_arcs_undoes_quantization(build_basemap):
    arcs = build_basemap.decode_arcs(TOPOLOGY)
    assert arcs[1].tolist() == [[11, 21], [10, 21], [10, 20], [11, 20]]


def test_topo_geometry_stitches_arcs(build_basemap):
    arcs = build_basemap.decode_arcs(TOPOLOGY)
    west, east = (
        build_basemap.topo_geometry(arcs, g)
        for g in TOPOLOGY["objects"]["countries"]["geometries"]
    )
    assert west.equals(shapely.box(10, 20, 11, 21))
    assert east.equals(shapely.box(11, 20, 12, 21))  # arc 0 walked backwards
    assert build_basemap.topo_geometry(arcs, {"type": None}) is None


def test_shared_arcs_are_the_borders(build_basemap):
    geometries = TOPOLOGY["objects"]["countries"]["geometries"]
    assert build_basemap.shared_arcs(geometries) == [0]


def test_simplify_arcs_keeps_ends_and_small_islands(build_basemap):
    import numpy as np

    wiggly = np.array([[0, 0], [1, 0.001], [2, 0]], dtype=float)
    island = np.array([[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]], dtype=float)
    out = build_basemap.simplify_arcs([wiggly, island], 0.01)
    assert out[0].tolist() == [[0, 0], [2, 0]]
    assert out[1].tolist() == island.tolist()


def test_a_shape_across_180_degrees_is_cut_there(build_basemap):
    # An island from 179 E to 179 W, stitched across the antimeridian.
    island = shapely.Polygon([(179, 0), (-179, 0), (-179, 1), (179, 1)])
    cut = build_basemap.cut_at_antimeridian(island)
    assert cut.geom_type == "MultiPolygon" and len(cut.geoms) == 2
    assert cut.area == pytest.approx(2.0)
    assert sorted(round(g.bounds[0]) for g in cut.geoms) == [-180, 179]


def test_a_ring_around_the_pole_is_closed_through_it(build_basemap):
    ring = [(-170, -70), (-60, -65), (60, -70), (170, -65), (-170, -70)]
    cut = build_basemap.cut_at_antimeridian(shapely.Polygon(ring))
    assert cut.is_valid
    assert cut.contains(shapely.Point(0, -89)) and not cut.contains(shapely.Point(0, -60))


def test_no_edge_sweeps_across_the_map():
    """An edge spanning half the world draws a line across a flat map."""
    for name in ("countries.geojson", "land.geojson", "borders.geojson"):
        for f in json.loads(asset_path("basemap", name).read_text(encoding="utf-8"))["features"]:
            geometry = shapely.geometry.shape(f["geometry"])
            for line in _lines(geometry):
                coords = shapely.get_coordinates(line)
                jump = abs(coords[1:, 0] - coords[:-1, 0]) > 90
                at_pole = (abs(coords[1:, 1]) == 90) & (abs(coords[:-1, 1]) == 90)
                assert not (jump & ~at_pole).any(), (name, f["properties"])


def _lines(geometry):
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type == "Polygon":
            yield part.exterior
            yield from part.interiors
        else:
            yield part


def test_windows_line_ends_read_the_same():
    data = asset_path("basemap", "provinces.geojson").read_bytes()
    crlf = basemap._index_provinces(data.replace(b"\n", b"\r\n"))
    plain = basemap._index_provinces(data)
    assert crlf.by_code.keys() == plain.by_code.keys()
    assert crlf.by_code["CL-VS"] == plain.by_code["CL-VS"]
