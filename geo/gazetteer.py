"""The embedded offline gazetteer: names -> places, read from one SQLite file.

The database (``assets/gazetteer/gazetteer.sqlite``, built by
``tools/build_gazetteer.py``; sources and licences in ``SOURCES.md`` beside it)
holds GeoNames populated places, countries, first-level divisions, Natural
Earth seas and oceans, continents and a few broad regions.  Every stored
spelling is indexed by :func:`geo.names.name_key`, so a query matches
regardless of case, accents and punctuation ("Bogota" finds "Bogotá",
"Fort St John" finds "Fort St. John").

Abbreviations and case: spellings stored as all-capital abbreviations of up to
five letters ("US", "U.S.", "UK", "UAE") match only a query written in
capitals, so the pronoun "us" does not find the United States.  Pass
``match_case=False`` to :meth:`Gazetteer.lookup` to ignore that rule (a search
box, say).

The file is opened read-only and immutable; one :class:`Gazetteer` may be shared
by several threads (its queries are serialised by a lock).
"""

from __future__ import annotations

import math
import operator
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, TracebackType

from geo._assets import asset_path
from geo.errors import GazetteerError
from geo.names import name_key

__all__ = ["COUNTY_WORDS", "DATA_CREDITS", "Entry", "Gazetteer", "KINDS", "PROMINENT_TOWN"]

KINDS = ("city", "country", "admin1", "county", "ocean", "sea", "continent", "region")
# The last word of every county's name key ("X County", "X Parish").
COUNTY_WORDS = frozenset({"county", "parish"})
# A town this populous is known by its name beyond its region: its name alone
# is trusted in a longer name, in a word in capitals, or as a fallback reading.
PROMINENT_TOWN = 100_000
# What every map drawn from the gazetteer and the basemap credits (assets/*/SOURCES.md).
DATA_CREDITS: tuple[str, ...] = ("GeoNames (CC BY 4.0)", "Natural Earth (public domain)", "US Census Bureau (public domain)")

_SCHEMA_VERSION = "1"
_COORD_SCALE = 100_000  # coordinates are stored as integers of 1e-5 degree
_EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * _EARTH_RADIUS_KM / 180.0
_CHUNK = 500  # host parameters per IN (...) query
_STATEMENTS = 1024  # prepared statements the connection keeps (sqlite3's default is 128)
_NEAREST_CANDIDATES = 32  # rows ranked by SQLite before the exact great-circle comparison
_COLUMNS = ("e.eid, e.id, e.name, e.kind, e.feature_code, e.country_code, e.admin1, "
            "e.lat, e.lon, e.population, e.coast, e.coast_km")


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry.

    ``coast`` lists Natural Earth water bodies within 30 km of a populated
    place, nearest first, followed by the ocean they open into; ``coast_km`` is
    the distance to the nearest one (None when farther than 30 km or not a
    populated place).
    """

    id: str            # "geonames:3688689", "country:PE", "admin1:CL-VS", "marine:<slug>", "continent:SA",
    #                    "region:<slug>"
    name: str          # display name
    kind: str          # "city" | "country" | "admin1" | "county" | "ocean" | "sea" | "continent" | "region"
    feature_code: str  # GeoNames-style code: PPLC, PPLA, PPL ..., PCLI, ADM1, OCN, SEA, CONT, RGN
    country_code: str  # ISO 3166-1 alpha-2, "" when none
    admin1: str        # ISO 3166-2 code of the division it is in (or is), "" when unknown
    lat: float
    lon: float
    population: int
    coast: tuple[str, ...] = ()
    coast_km: float | None = None


def _admin1_code(country_code: str, stored: str) -> str:
    # the build stores 'CL-VS' of a Chilean place as 'VS' to save space
    if not stored or "-" in stored:
        return stored
    return f"{country_code}-{stored}"


# An entry is built by setting its slots directly, as tokens are (geo.tokens):
# the same values, in half the time of a frozen dataclass's __init__, for each
# of the thousands of rows a pass over articles reads.
# Each setter is taken by its field's name, so reordering Entry's fields cannot
# put a value in the wrong one.
_NEW = object.__new__
_SET_ID = Entry.id.__set__
_SET_NAME = Entry.name.__set__
_SET_KIND = Entry.kind.__set__
_SET_FEATURE = Entry.feature_code.__set__
_SET_COUNTRY = Entry.country_code.__set__
_SET_ADMIN1 = Entry.admin1.__set__
_SET_LAT = Entry.lat.__set__
_SET_LON = Entry.lon.__set__
_SET_POPULATION = Entry.population.__set__
_SET_COAST = Entry.coast.__set__
_SET_COAST_KM = Entry.coast_km.__set__


def _entry(row: tuple) -> Entry:
    eid, entry_id, name, kind, feature, country, admin1, lat, lon, population, coast, coast_km = row[:12]
    entry = _NEW(Entry)
    _SET_ID(entry, entry_id or f"geonames:{eid}")
    _SET_NAME(entry, name)
    _SET_KIND(entry, kind)
    _SET_FEATURE(entry, feature)
    _SET_COUNTRY(entry, country)
    _SET_ADMIN1(entry, _admin1_code(country, admin1))
    _SET_LAT(entry, lat / _COORD_SCALE)
    _SET_LON(entry, lon / _COORD_SCALE)
    _SET_POPULATION(entry, population)
    _SET_COAST(entry, tuple(coast.split("|")) if coast else ())
    _SET_COAST_KM(entry, None if coast_km is None else coast_km / 10)
    return entry


_BY_ID = operator.attrgetter("id")  # the order of a name's entries; in C, as every lookup sorts by it


def _in_capitals(text: str) -> bool:
    """Whether a spelling is written in capitals ("US", "U.S."), asked of every candidate name.

    >>> _in_capitals("U.S."), _in_capitals("Us"), _in_capitals("..."), _in_capitals("")
    (True, False, False, False)
    """
    return text.isupper()


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _lon_ranges(lon: float, half_width: float) -> list[tuple[float, float]]:
    """Longitude intervals of a box around ``lon``, split where it crosses the antimeridian."""
    if half_width >= 180:
        return [(-180.0, 180.0)]
    low, high = lon - half_width, lon + half_width
    if low < -180:
        return [(low + 360, 180.0), (-180.0, high)]
    if high > 180:
        return [(low, 180.0), (-180.0, high - 360)]
    return [(low, high)]


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class Gazetteer:
    """Read-only access to the gazetteer database; open it with :meth:`open`.

    >>> with Gazetteer.open() as gaz:
    ...     [e.id for e in gaz.lookup("Bogotá") if e.country_code == "CO"]
    ['admin1:CO-DC', 'geonames:3688689']
    """

    def __init__(self, connection: sqlite3.Connection, meta: Mapping[str, str]) -> None:
        self._connection = connection
        # Re-entrant: the demonyms table is read (through _rows) and kept under one hold.
        self._lock = threading.RLock()
        self.sources: Mapping[str, str] = MappingProxyType(dict(meta))
        self.max_name_tokens: int = int(meta.get("max_name_tokens", "1"))
        # The demonyms table (a few hundred words), read whole the first time one is asked.
        self._demonyms: Mapping[str, Entry] | None = None

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the database at ``path`` (default: the packaged asset) read-only.

        A missing or unreadable file raises :class:`~geo.errors.GazetteerError`:

        >>> Gazetteer.open("/nonexistent/gazetteer.sqlite")
        Traceback (most recent call last):
        ...
        geo.errors.GazetteerError: gazetteer database not found: /nonexistent/gazetteer.sqlite
        """
        target = Path(path) if path is not None else asset_path("gazetteer", "gazetteer.sqlite")
        if not target.is_file():
            raise GazetteerError(f"gazetteer database not found: {target}")
        uri = target.resolve().as_uri() + "?mode=ro&immutable=1"
        try:
            # Each size of an IN (...) list is a statement of its own: the cache keeps a pass
            # over articles from preparing its lookups again and again.
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False, cached_statements=_STATEMENTS)
        except sqlite3.Error as err:
            raise GazetteerError(f"cannot open gazetteer database {target}: {err}") from err
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error as err:
            connection.close()
            raise GazetteerError(f"not a gazetteer database: {target}: {err}") from err
        if meta.get("schema_version") != _SCHEMA_VERSION:
            connection.close()
            raise GazetteerError(
                f"gazetteer schema {meta.get('schema_version')!r} in {target}, expected {_SCHEMA_VERSION!r}")
        return cls(connection, meta)

    def close(self) -> None:
        """Close the database; later queries raise GazetteerError."""
        with self._lock:
            self._connection.close()
            self._demonyms = None

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._connection.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as err:
            raise GazetteerError(f"gazetteer query failed: {err}") from err

    # ----------------------------------------------------------------- names

    def _rows_in(self, query: str, keys: list[str]) -> Iterator[tuple]:
        """Rows of ``query`` (its ``{}`` is the IN list) for all ``keys``, asked a chunk at a time."""
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            yield from self._rows(query.format(_placeholders(len(chunk))), chunk)

    def lookup(self, name: str, *, match_case: bool = True) -> tuple[Entry, ...]:
        """Every entry having ``name`` as its name or an alternate, ordered by id.

        With ``match_case`` (the default) abbreviations stored in capitals match
        only a query in capitals.

        >>> with Gazetteer.open() as gaz:
        ...     countries = lambda entries: [e.id for e in entries if e.kind == "country"]
        ...     print(gaz.lookup(""), countries(gaz.lookup("U.S.")), countries(gaz.lookup("us")))
        ...     print(countries(gaz.lookup("us", match_case=False)))
        () ['country:US'] []
        ['country:US']
        """
        key = name_key(name)
        if not key:
            return ()
        allow_exact = not match_case or _in_capitals(name)
        rows = self._rows(
            f"SELECT {_COLUMNS}, n.exact_case FROM names n JOIN entries e ON e.eid = n.eid WHERE n.key = ?", (key,))
        return tuple(sorted((_entry(r) for r in rows if allow_exact or not r[12]), key=_BY_ID))

    def lookup_many(
        self, names: Iterable[str], *, match_case: bool = True, keys: Mapping[str, str] | None = None
    ) -> dict[str, tuple[Entry, ...]]:
        """:meth:`lookup` for many names in a few queries, keyed by ``name_key``.

        Only keys that matched appear.  A capitals-only abbreviation matches a
        key when any of the given spellings of that key is in capitals.

        >>> with Gazetteer.open() as gaz:
        ...     found = gaz.lookup_many(["Quito", "quito", "Nowhere-at-all", ""])
        ...     print(sorted(found), gaz.lookup_many([]))
        ['quito'] {}
        """
        allow_exact: dict[str, bool] = {}
        for name in names:
            # A caller that has keyed its names already passes the keys along.
            key = keys.get(name) if keys is not None else None
            if key is None:
                key = name_key(name)
            if key and not allow_exact.get(key):  # once allowed by one spelling, allowed
                allow_exact[key] = not match_case or _in_capitals(name)
        found: dict[str, list[Entry]] = defaultdict(list)
        rows = self._rows_in(
            f"SELECT {_COLUMNS}, n.exact_case, n.key FROM names n JOIN entries e ON e.eid = n.eid WHERE n.key IN ({{}})",
            sorted(allow_exact),
        )
        for row in rows:
            if allow_exact[row[13]] or not row[12]:
                found[row[13]].append(_entry(row))
        return {key: tuple(sorted(entries, key=_BY_ID)) for key, entries in sorted(found.items())}

    def demonym(self, word: str) -> Entry | None:
        """The country a nationality word names ("Peruvian", "Peruvians"), or None.

        A word shared by several countries ("Dominican") gives the most populous.

        >>> with Gazetteer.open() as gaz:
        ...     print(gaz.demonym("Peruvians").id, gaz.demonym("Chilean").id, gaz.demonym(""))
        country:PE country:CL None
        """
        key = name_key(word)
        return self._demonym_table().get(key) if key else None

    def demonyms_many(self, words: Iterable[str], *, keys: Mapping[str, str] | None = None) -> dict[str, Entry]:
        """:meth:`demonym` for many words, keyed by ``name_key``; only matches.
        ``keys`` may give words' keys already worked out.

        >>> with Gazetteer.open() as gaz:
        ...     print({k: e.id for k, e in gaz.demonyms_many(["Peruvian", "Lima", ""]).items()}, gaz.demonyms_many([]))
        {'peruvian': 'country:PE'} {}
        """
        wanted = sorted({key for key in (keys[w] if keys is not None and w in keys else name_key(w) for w in words) if key})
        if not wanted:
            return {}
        table = self._demonym_table()
        found: dict[str, Entry] = {}
        for key in wanted:
            entry = table.get(key)
            if entry is not None:
                found[key] = entry
        return found

    def _demonym_table(self) -> Mapping[str, Entry]:
        """Every demonym's country by the demonym's key, read once: the table is small and fixed."""
        table = self._demonyms
        if table is not None:
            return table
        with self._lock:  # read and kept under the lock close() takes: a closed gazetteer keeps nothing
            rows = self._rows(
                f"SELECT {_COLUMNS}, d.key FROM demonyms d JOIN entries e ON e.id = 'country:' || d.country_code "
                "ORDER BY d.key, e.population DESC, e.id")
            found: dict[str, Entry] = {}
            for row in rows:
                found.setdefault(row[-1], _entry(row))  # the most populous country of a shared word
            table = self._demonyms = MappingProxyType(found)
        return table

    def names_of(self, entry_id: str) -> tuple[str, ...]:
        """The display name and the stored alternate spellings of an entry.

        >>> with Gazetteer.open() as gaz:
        ...     "Region of Valparaíso" in gaz.names_of("admin1:CL-VS")
        True
        """
        rows = self._rows(f"SELECT e.name, e.alt FROM entries e WHERE {self._id_clause(entry_id)}",
                          (self._id_param(entry_id),))
        if not rows:
            raise GazetteerError(f"unknown gazetteer id: {entry_id!r}")
        name, alt = rows[0]
        return (name, *alt.split("|")) if alt else (name,)

    # ----------------------------------------------------------------- ids

    @staticmethod
    def _id_clause(entry_id: str) -> str:
        return "e.eid = ?" if entry_id.startswith("geonames:") else "e.id = ?"

    @staticmethod
    def _id_param(entry_id: str) -> object:
        if not entry_id.startswith("geonames:"):
            return entry_id
        try:
            return int(entry_id.removeprefix("geonames:"))
        except ValueError as err:
            raise GazetteerError(f"malformed gazetteer id: {entry_id!r}") from err

    def get(self, entry_id: str) -> Entry:
        """The entry with that id; GazetteerError if there is none.

        >>> with Gazetteer.open() as gaz:
        ...     print(gaz.get("admin1:CL-VS").name, gaz.get("geonames:3688689").feature_code)
        ...     gaz.get("country:ZZ")
        Traceback (most recent call last):
        ...
        geo.errors.GazetteerError: unknown gazetteer id: 'country:ZZ'
        """
        rows = self._rows(f"SELECT {_COLUMNS} FROM entries e WHERE {self._id_clause(entry_id)}",
                          (self._id_param(entry_id),))
        if not rows:
            raise GazetteerError(f"unknown gazetteer id: {entry_id!r}")
        return _entry(rows[0])

    def country(self, code: str) -> Entry:
        """The country entry for an ISO 3166-1 alpha-2 code (any case).

        >>> with Gazetteer.open() as gaz:
        ...     gaz.country("pe").name
        'Peru'
        """
        return self.get(f"country:{code.upper()}")

    def admin1_of(self, entry: Entry) -> Entry | None:
        """The first-level division named by ``entry.admin1`` (for a division, itself), or None.

        >>> with Gazetteer.open() as gaz:
        ...     print(gaz.admin1_of(gaz.get("geonames:3868626")).id, gaz.admin1_of(gaz.country("CL")))
        admin1:CL-VS None
        """
        if not entry.admin1:
            return None
        try:
            return self.get(f"admin1:{entry.admin1}")
        except GazetteerError:
            return None

    # ----------------------------------------------------------------- places

    def places(self, country_code: str, *, kinds: Iterable[str] = ("city",), coast: str | None = None,
               min_population: int = 0, limit: int = 10) -> tuple[Entry, ...]:
        """Entries of a country, largest population first (ties by id number).

        ``coast`` keeps places with a coast name containing that text, in any
        case ("Atlantic", "Adriatic").

        >>> with Gazetteer.open() as gaz:
        ...     print([e.name for e in gaz.places("BR", coast="Atlantic", limit=3)])
        ...     print(gaz.places("BR", limit=0), gaz.places("ZZ"))
        ['Rio de Janeiro', 'Salvador', 'Fortaleza']
        () ()
        """
        kinds = tuple(kinds)
        if limit <= 0 or not kinds:
            return ()
        sql = (f"SELECT {_COLUMNS} FROM entries e WHERE e.country_code = ? "
               f"AND e.kind IN ({_placeholders(len(kinds))}) AND e.population >= ?")
        params: list[object] = [country_code.upper(), *kinds, min_population]
        if coast:
            escaped = coast.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += " AND e.coast LIKE ? ESCAPE '\\'"
            params.append(f"%{escaped}%")
        sql += " ORDER BY e.population DESC, e.eid LIMIT ?"
        params.append(limit)
        return tuple(_entry(r) for r in self._rows(sql, params))

    def seat(self, division_code: str) -> Entry | None:
        """The capital of a first-level division ("AU-QLD"): its town with the
        feature code of a country's or division's seat, the most populous if
        several (a division can hold its country's capital and a stray
        division seat), else its most populous town; None if it has none.

        >>> with Gazetteer.open() as gaz:
        ...     print(gaz.seat("AU-QLD").name, gaz.seat("ZZ-QQ"), gaz.seat(""))
        Brisbane None None
        """
        country, _, code = division_code.partition("-")
        if not code:
            return None
        # The build stores most towns' codes without the country ("QLD"), some whole.
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM entries e WHERE e.country_code = ? AND e.admin1 IN (?, ?) AND e.kind = 'city' "
            "ORDER BY e.feature_code IN ('PPLC', 'PPLA') DESC, e.population DESC, e.eid LIMIT 1",
            [country, code, division_code],
        )
        return next((_entry(row) for row in rows), None)

    def nearest(self, lat: float, lon: float, *, kinds: Iterable[str] = ("city",)) -> Entry | None:
        """The entry of those kinds nearest to a point (great-circle), or None.

        Populated places are searched in a latitude band on an index, widened
        until the best hit lies inside the searched box; the few thousand other
        entries are searched in one go.

        >>> with Gazetteer.open() as gaz:
        ...     print(gaz.nearest(4.61, -74.08).name, gaz.nearest(float("nan"), 0.0))
        ...     print(gaz.nearest(-9.0, -75.0, kinds=("country",)).id)
        Bogotá None
        country:PE
        """
        kinds = tuple(kinds)
        if not kinds or not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90:
            return None
        lon = (lon + 180.0) % 360.0 - 180.0
        if "city" not in kinds:
            best = self._nearest_in_box(lat, lon, 180.0, kinds)
            return best[1] if best else None
        radius = 0.05  # degrees of latitude (about 5 km): most places have a neighbour that close
        while True:
            best = self._nearest_in_box(lat, lon, radius, kinds)
            covers_globe = radius >= 180
            # a box of half-height r degrees contains every point within r degrees of arc
            if best is not None and (covers_globe or best[0] <= 0.99 * radius * _KM_PER_DEGREE):
                return best[1]
            if covers_globe:
                return None
            radius *= 4

    def _nearest_in_box(self, lat: float, lon: float, radius: float,
                        kinds: tuple[str, ...]) -> tuple[float, Entry] | None:
        """Best (km, entry) within ``radius`` degrees of arc of the point, roughly boxed."""
        low, high = max(-90.0, lat - radius), min(90.0, lat + radius)
        widest = max(abs(low), abs(high))
        # degrees of longitude shrink with cos(latitude): widen the box to cover `radius` of arc
        half_width = 180.0 if widest >= 89.9 else radius / math.cos(math.radians(widest))
        ranges = _lon_ranges(lon, half_width)
        y, x, k = round(lat * _COORD_SCALE), round(lon * _COORD_SCALE), math.cos(math.radians(lat))
        # SQLite ranks the box by an equirectangular distance (wrapping at the antimeridian)
        # and hands back a few rows; the great-circle distance decides among them
        dlon = "min(abs(e.lon - ?), 36000000 - abs(e.lon - ?))"
        # every kind but "city" has a negative eid: a short rowid range beats the latitude index
        source = "entries e" if "city" in kinds else "entries e NOT INDEXED"
        sql = (f"SELECT {_COLUMNS}, (e.lat - ?) * (e.lat - ?) + ({dlon} * ?) * ({dlon} * ?) AS d2 "
               f"FROM {source} WHERE e.lat BETWEEN ? AND ? "
               f"AND ({' OR '.join('e.lon BETWEEN ? AND ?' for _ in ranges)}) "
               f"AND e.kind IN ({_placeholders(len(kinds))})")
        params: list[object] = [y, y, x, x, k, x, x, k,
                                math.floor(low * _COORD_SCALE), math.ceil(high * _COORD_SCALE)]
        for a, b in ranges:
            params += [math.floor(a * _COORD_SCALE), math.ceil(b * _COORD_SCALE)]
        params += kinds
        if "city" not in kinds:
            sql += " AND e.eid < 0"
        rows = self._rows(sql + " ORDER BY d2 LIMIT ?", [*params, _NEAREST_CANDIDATES])
        best: tuple[float, Entry] | None = None
        for row in rows:
            entry = _entry(row)
            distance = _haversine_km(lat, lon, entry.lat, entry.lon)
            if best is None or (distance, entry.id) < (best[0], best[1].id):
                best = (distance, entry)
        return best

    def __repr__(self) -> str:
        return f"<Gazetteer {self.sources.get('counts', '')}>"
