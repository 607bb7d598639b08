"""Geocoders behind geopy's contract, and a registry of them by name.

Every geocoder here answers ``geocode(query, exactly_one=True, ...)`` and
``reverse(query, exactly_one=True, ...)`` with :class:`geopy.location.Location`
values, exactly as geopy's own do, so any geopy geocoder can stand in:

- ``"gazetteer"`` (the default) answers from the embedded gazetteer, offline;
  the gazetteer record is in ``Location.raw``.
- ``"nominatim"`` and every other service geopy knows are wrapped in
  :class:`CachedGeocoder`: geopy's :class:`~geopy.extra.rate_limiter.RateLimiter`
  (one request a second by default, as Nominatim's usage policy asks) and an
  on-disk cache, so a re-run of the same article asks the network nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import GeocoderError, GeocoderNotFound
from .gazetteer import Entry, Gazetteer
from .resolve import rank

if TYPE_CHECKING:
    from geopy.location import Location

# geopy is imported where it is used: importing it pulls in requests and
# urllib3 (about 0.15 s), which the offline path never needs.

__all__ = [
    "USER_AGENT",
    "GazetteerGeocoder",
    "CachedGeocoder",
    "entry_location",
    "get_geocoder",
    "geocoder_names",
    "default_cache_path",
]

USER_AGENT = "article-geomap/0.1 (+https://pypi.org/project/article-geomap/)"



def entry_location(entry: Entry, gazetteer: Gazetteer | None = None) -> Location:
    """A gazetteer entry as a geopy ``Location``; the entry's fields are its ``raw``.

    The address reads like a geocoder's: name, then first-level division and
    country where they add something.
    """
    from geopy.location import Location
    from geopy.point import Point

    parts = [entry.name]
    if gazetteer is not None:
        if entry.kind in ("city", "county"):
            division = gazetteer.admin1_of(entry)
            if division is not None:
                parts.append(division.name)
        if entry.country_code and entry.kind != "country":
            try:
                parts.append(gazetteer.country(entry.country_code).name)
            except LookupError:
                parts.append(entry.country_code)
    return Location(", ".join(parts), Point(entry.lat, entry.lon), dataclasses.asdict(entry))


class GazetteerGeocoder:
    """The embedded gazetteer as a geopy geocoder: offline, instant, free.

    ``country_codes`` (a code or a list of ISO alpha-2 codes) restricts the
    answers, as it does for geopy's Nominatim. A query ``"Valencia, Spain"``
    is read as a name qualified by a country or first-level division.
    """

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.open()

    def candidates(self, query: str, *, country_codes: str | list[str] | tuple[str, ...] | None = None) -> tuple[Entry, ...]:
        """Every gazetteer entry the query may mean, most likely first (ranked as the resolver does with no context)."""
        entries = self.gazetteer.lookup(query)
        if not entries and "," in query:
            name, qualifier = (part.strip() for part in query.rsplit(",", 1))
            within = {e.country_code for e in self.gazetteer.lookup(qualifier) if e.kind == "country"}
            within |= {e.id.removeprefix("admin1:") for e in self.gazetteer.lookup(qualifier) if e.kind == "admin1"}
            entries = tuple(e for e in self.gazetteer.lookup(name) if e.country_code in within or e.admin1 in within)
        if country_codes:
            wanted = {country_codes.upper()} if isinstance(country_codes, str) else {c.upper() for c in country_codes}
            entries = tuple(e for e in entries if e.country_code in wanted)
        return tuple(candidate.entry for candidate in rank(entries, query))

    def geocode(self, query: str, exactly_one: bool = True, *, country_codes=None, limit: int | None = None, **_: Any):
        found = self.candidates(str(query), country_codes=country_codes)
        locations = [entry_location(entry, self.gazetteer) for entry in found[: limit or None]]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def reverse(self, query, exactly_one: bool = True, **_: Any):
        from geopy.point import Point

        point = query if isinstance(query, Point) else Point(query)
        entry = self.gazetteer.nearest(point.latitude, point.longitude)
        if entry is None:
            return None
        location = entry_location(entry, self.gazetteer)
        return location if exactly_one else [location]


def default_cache_path() -> Path:
    """Where remote answers are cached: ``$GEOMAP_CACHE`` or the user cache directory."""
    configured = os.environ.get("GEOMAP_CACHE")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "article-geomap" / "geocode.sqlite"


class _AnswerCache:
    """Answers of remote geocoders, kept in SQLite (atomic, safe across processes)."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        except (OSError, sqlite3.Error) as err:
            raise GeocoderError(f"cannot use the geocoding cache {path}: {err}") from err

    def get(self, key: str) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(value, sort_keys=True)))

    def close(self) -> None:
        self._db.close()


def _to_plain(answer) -> Any:
    from geopy.location import Location

    if answer is None:
        return None
    if isinstance(answer, Location):
        return {"address": answer.address, "point": [answer.latitude, answer.longitude], "raw": answer.raw}
    return [_to_plain(item) for item in answer]


def _from_plain(plain) -> Any:
    from geopy.location import Location
    from geopy.point import Point

    if plain is None:
        return None
    if isinstance(plain, dict):
        return Location(plain["address"], Point(*plain["point"]), plain["raw"])
    return [_from_plain(item) for item in plain]


class CachedGeocoder:
    """A geopy geocoder, rate-limited and cached on disk, with geo's errors.

    ``min_delay_seconds`` spaces the requests that do reach the service; cached
    answers are returned at once. geopy's errors become
    :class:`~geo.errors.GeocoderError`.
    """

    def __init__(
        self,
        geocoder: Any,
        *,
        service: str,
        cache_path: str | os.PathLike[str] | None = None,
        min_delay_seconds: float = 1.0,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.service = service
        self._cache = _AnswerCache(Path(cache_path) if cache_path is not None else default_cache_path())
        limit = dict(min_delay_seconds=min_delay_seconds, max_retries=0, swallow_exceptions=False)
        self._geocode = RateLimiter(geocoder.geocode, **limit)
        self._reverse = RateLimiter(geocoder.reverse, **limit)

    def _ask(self, call: Callable, verb: str, query: Any, exactly_one: bool, kwargs: Mapping[str, Any]):
        import geopy.exc

        key = json.dumps([self.service, verb, str(query), exactly_one, sorted(kwargs.items())], default=str)
        cached = self._cache.get(key)
        if cached is not None:
            return _from_plain(cached["answer"])
        try:
            answer = call(query, exactly_one=exactly_one, **kwargs)
        except geopy.exc.GeopyError as err:
            raise GeocoderError(f"{self.service} could not {verb} {query!r}: {err}") from err
        self._cache.put(key, {"answer": _to_plain(answer)})
        return answer

    def geocode(self, query, exactly_one: bool = True, **kwargs: Any):
        return self._ask(self._geocode, "geocode", query, exactly_one, kwargs)

    def reverse(self, query, exactly_one: bool = True, **kwargs: Any):
        return self._ask(self._reverse, "reverse", query, exactly_one, kwargs)

    def close(self) -> None:
        self._cache.close()


def _gazetteer(gazetteer: Gazetteer | None = None, **_: Any) -> GazetteerGeocoder:
    return GazetteerGeocoder(gazetteer)


def _geopy_service(service: str) -> Callable[..., CachedGeocoder]:
    def make(
        *,
        user_agent: str = USER_AGENT,
        cache_path: str | os.PathLike[str] | None = None,
        min_delay_seconds: float = 1.0,
        **options: Any,
    ) -> CachedGeocoder:
        import geopy.exc
        import geopy.geocoders

        try:
            cls = geopy.geocoders.get_geocoder_for_service(service)
        except geopy.exc.GeocoderNotFound as err:
            raise GeocoderNotFound(f"no geocoder named {service!r}; try one of {', '.join(geocoder_names())}") from err
        try:
            geocoder = cls(user_agent=user_agent, **options)
        except (TypeError, geopy.exc.ConfigurationError) as err:
            raise GeocoderError(f"cannot set up {service}: {err}") from err
        return CachedGeocoder(geocoder, service=service, cache_path=cache_path, min_delay_seconds=min_delay_seconds)

    return make


_REGISTRY: Mapping[str, Callable[..., Any]] = MappingProxyType(
    {"gazetteer": _gazetteer, "nominatim": _geopy_service("nominatim")}
)


def geocoder_names() -> tuple[str, ...]:
    """The names ``get_geocoder`` knows besides every geopy service name."""
    return tuple(_REGISTRY)


def get_geocoder(name: str = "gazetteer", **options: Any):
    """A geocoder by name: ``"gazetteer"`` (offline, default), ``"nominatim"``,
    or any other service geopy knows (``"photon"``, ``"arcgis"`` ...), with
    that service's options (``domain``, ``scheme``, ``api_key`` ...).

    >>> get_geocoder("no such service")
    Traceback (most recent call last):
    ...
    geo.errors.GeocoderNotFound: no geocoder named 'no such service'; try one of gazetteer, nominatim
    """
    factory = _REGISTRY.get(name.lower()) or _geopy_service(name.lower())
    return factory(**options)


_NOMINATIM_KINDS = {
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "admin1",
    "county": "county",
    "continent": "continent",
    "ocean": "ocean",
    "sea": "sea",
}


def entry_from_location(location: Location, service: str) -> Entry:
    """A remote geocoder's answer as a gazetteer-style entry the resolver can weigh."""
    raw = location.raw if isinstance(location.raw, Mapping) else {}
    address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
    kind = _NOMINATIM_KINDS.get(str(raw.get("addresstype") or raw.get("type") or ""), "city")
    population = raw.get("extratags", {}).get("population") if isinstance(raw.get("extratags"), Mapping) else None
    try:
        people = int(str(population).replace(",", "")) if population else 0
    except ValueError:
        people = 0
    identifier = raw.get("osm_id") or raw.get("place_id") or location.address
    return Entry(
        id=f"{service}:{raw.get('osm_type', '')}{identifier}",
        name=str(raw.get("name") or location.address.split(",")[0]),
        kind=kind,
        feature_code="",
        country_code=str(address.get("country_code", "")).upper(),
        admin1="",
        lat=location.latitude,
        lon=location.longitude,
        population=people,
    )


def candidate_entries(geocoder, names: Mapping[str, str], known: Mapping[str, tuple[Entry, ...]]) -> dict[str, tuple[Entry, ...]]:
    """Candidates for each name key: the gazetteer's, or a remote geocoder's answers."""
    if isinstance(geocoder, GazetteerGeocoder):
        return {key: known[key] for key in names if key in known}
    found = {}
    service = getattr(geocoder, "service", type(geocoder).__name__.lower())
    # Nominatim names the country of an answer only when asked for address details.
    options = {"addressdetails": True} if service == "nominatim" else {}
    for key, text in names.items():
        locations = geocoder.geocode(text, exactly_one=False, **options) or []
        entries = tuple(entry_from_location(location, service) for location in locations)
        if entries:
            found[key] = entries
    return found
