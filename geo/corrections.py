"""Corrections: a person's fixes to the draft, kept in a file beside the article.

The file (``<article>.corrections.json``) is applied after extraction on every
run, so a fix survives re-runs::

    {
      "places": {
        "valencia": {"pick": "geonames:3625549", "note": "the Venezuelan city"},
        "yes": {"drop": true}
      },
      "add_places": [
        {"id": "callao", "gazetteer_id": "geonames:3946083", "note": "port named by a source"},
        {"id": "lab", "name": "Cocaine lab", "lat": -9.1, "lon": -75.3, "note": "from our reporting"}
      ],
      "drop_flows": ["peru->bolivia:traffickers"],
      "add_flows": [{"from": "peru", "to": "valencia", "what": "cocaine", "note": "per police"}]
    }

Every mistake in the file is a :class:`~geo.errors.CorrectionsError` that
names the entry at fault.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CorrectionsError, GazetteerError
from .files import write_atomic
from .gazetteer import Gazetteer
from .places import Place, country_name, place_slug
from .resolve import Candidate
from .story import Flow, Story, flow_id

__all__ = [
    "Corrections",
    "PlaceFix",
    "NewPlace",
    "NewFlow",
    "corrections_path",
    "flow_id_of",
    "parse_corrections",
    "load_corrections",
    "save_corrections",
    "apply_corrections",
]

_FLOW_LAYER = "smuggling"
_EDITOR_MARGIN = 10.0


@dataclass(frozen=True, slots=True)
class PlaceFix:
    place: str
    pick: str = ""  # a gazetteer id
    drop: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class NewPlace:
    id: str
    gazetteer_id: str = ""
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    kind: str = "site"
    country_code: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class NewFlow:
    source: str
    target: str
    what: str
    layer: str = _FLOW_LAYER
    two_way: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Corrections:
    places: tuple[PlaceFix, ...] = ()
    add_places: tuple[NewPlace, ...] = ()
    drop_flows: tuple[str, ...] = ()
    add_flows: tuple[NewFlow, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.places or self.add_places or self.drop_flows or self.add_flows)

    def with_place_fix(self, fix: PlaceFix) -> Corrections:
        """These corrections with ``fix`` replacing any earlier fix of the same place.

        >>> Corrections().with_place_fix(PlaceFix("lima", drop=True)).with_place_fix(PlaceFix("lima", pick="x")).places
        (PlaceFix(place='lima', pick='x', drop=False, note=''),)
        """
        return dataclasses.replace(self, places=tuple(f for f in self.places if f.place != fix.place) + (fix,))

    def without_place_fix(self, place_id: str) -> Corrections:
        return dataclasses.replace(self, places=tuple(f for f in self.places if f.place != place_id))

    def with_dropped_flow(self, flow_id: str) -> Corrections:
        """These corrections, also dropping a flow found in the text."""
        return dataclasses.replace(self, drop_flows=tuple(dict.fromkeys(self.drop_flows + (flow_id,))))

    def with_added_flow(self, flow: NewFlow) -> Corrections:
        """These corrections, also adding a flow; an added flow with the same ends and cargo is replaced."""
        same = (flow.source, flow.target, flow.what)
        kept = tuple(f for f in self.add_flows if (f.source, f.target, f.what) != same)
        return dataclasses.replace(self, add_flows=kept + (flow,))

    def without_added_flow(self, flow_id: str) -> Corrections:
        """These corrections without the added flow of that id."""
        kept = tuple(f for f in self.add_flows if flow_id_of(f) != flow_id)
        return dataclasses.replace(self, add_flows=kept)

    def to_json(self) -> dict[str, Any]:
        """The file's JSON form (what :func:`save_corrections` writes)."""
        document: dict[str, Any] = {}
        if self.places:
            document["places"] = {
                fix.place: {k: v for k, v in (("pick", fix.pick), ("drop", fix.drop), ("note", fix.note)) if v}
                for fix in self.places
            }
        if self.add_places:
            document["add_places"] = [
                {k: v for k, v in dataclasses.asdict(p).items() if v not in ("", None) and not (k == "kind" and v == "site")}
                for p in self.add_places
            ]
        if self.drop_flows:
            document["drop_flows"] = list(self.drop_flows)
        if self.add_flows:
            document["add_flows"] = [
                {"from": f.source, "to": f.target, "what": f.what, "layer": f.layer, "two_way": f.two_way, "note": f.note}
                for f in self.add_flows
            ]
        return document


def flow_id_of(flow: NewFlow) -> str:
    """The id an added flow gets in the story."""
    return flow_id(flow.source, flow.target, flow.what, flow.two_way)


def corrections_path(article_path: str | os.PathLike[str]) -> Path:
    """The corrections file beside an article: ``story.txt`` -> ``story.corrections.json``.

    >>> corrections_path("seeds/a.txt").as_posix()
    'seeds/a.corrections.json'
    """
    path = Path(article_path)
    return path.with_name(f"{path.stem}.corrections.json")


def _fail(source: str, entry: str, problem: str) -> CorrectionsError:
    return CorrectionsError(f"{source}: {entry}: {problem}")


def _text(value: Any, source: str, entry: str) -> str:
    if not isinstance(value, str):
        raise _fail(source, entry, f"expected text, got {json.dumps(value)}")
    return value


def _parse_place_fixes(raw: Any, source: str) -> tuple[PlaceFix, ...]:
    if not isinstance(raw, dict):
        raise _fail(source, "places", "expected an object of place id -> fix")
    fixes = []
    for place_id, fix in raw.items():
        entry = f"places.{place_id}"
        if not isinstance(fix, dict):
            raise _fail(source, entry, 'expected {"pick": "<gazetteer id>"} or {"drop": true}')
        unknown = set(fix) - {"pick", "drop", "note"}
        if unknown:
            raise _fail(source, entry, f"unknown field {sorted(unknown)[0]!r}")
        pick = _text(fix.get("pick", ""), source, f"{entry}.pick")
        drop = fix.get("drop", False)
        if not isinstance(drop, bool):
            raise _fail(source, f"{entry}.drop", "expected true or false")
        if bool(pick) == drop:
            raise _fail(source, entry, 'give exactly one of "pick" or "drop": true')
        fixes.append(PlaceFix(place_id, pick, drop, _text(fix.get("note", ""), source, f"{entry}.note")))
    return tuple(fixes)


def _items(raw: Any, source: str, section: str, fields: frozenset[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The objects of a list section, each with the name it has in error messages."""
    if not isinstance(raw, list):
        raise _fail(source, section, "expected a list")
    for index, item in enumerate(raw):
        entry = f"{section}[{index}]"
        if not isinstance(item, dict):
            raise _fail(source, entry, "expected an object")
        unknown = set(item) - fields
        if unknown:
            raise _fail(source, entry, f"unknown field {sorted(unknown)[0]!r}")
        yield entry, item


def _parse_new_places(raw: Any, source: str) -> tuple[NewPlace, ...]:
    added = []
    for entry, item in _items(raw, source, "add_places", frozenset(f.name for f in dataclasses.fields(NewPlace))):
        gazetteer_id = _text(item.get("gazetteer_id", ""), source, f"{entry}.gazetteer_id")
        lat, lon = item.get("lat"), item.get("lon")
        if not gazetteer_id:
            for name, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not -bound <= value <= bound:
                    raise _fail(source, f"{entry}.{name}", f"give a gazetteer_id, or lat and lon in degrees (got {json.dumps(value)})")
            if not item.get("name"):
                raise _fail(source, entry, "a place without a gazetteer_id needs a name")
        name = _text(item.get("name", ""), source, f"{entry}.name")
        place_id = _text(item.get("id", "") or place_slug(name or gazetteer_id), source, f"{entry}.id")
        added.append(
            NewPlace(
                id=place_id,
                gazetteer_id=gazetteer_id,
                name=name,
                lat=float(lat) if lat is not None else None,
                lon=float(lon) if lon is not None else None,
                kind=_text(item.get("kind", "site"), source, f"{entry}.kind"),
                country_code=_text(item.get("country_code", ""), source, f"{entry}.country_code").upper(),
                note=_text(item.get("note", ""), source, f"{entry}.note"),
            )
        )
    return tuple(added)


def _parse_new_flows(raw: Any, source: str) -> tuple[NewFlow, ...]:
    flows = []
    for entry, item in _items(raw, source, "add_flows", frozenset({"from", "to", "what", "layer", "two_way", "note"})):
        for required in ("from", "to", "what"):
            if not item.get(required):
                raise _fail(source, entry, f'"{required}" is required')
        if item["from"] == item["to"]:
            raise _fail(source, entry, "a flow needs two different places")
        two_way = item.get("two_way", False)
        if not isinstance(two_way, bool):
            raise _fail(source, f"{entry}.two_way", "expected true or false")
        flows.append(
            NewFlow(
                source=_text(item["from"], source, f"{entry}.from"),
                target=_text(item["to"], source, f"{entry}.to"),
                what=_text(item["what"], source, f"{entry}.what"),
                layer=_text(item.get("layer", _FLOW_LAYER), source, f"{entry}.layer"),
                two_way=two_way,
                note=_text(item.get("note", ""), source, f"{entry}.note"),
            )
        )
    return tuple(flows)


def parse_corrections(document: Any, source: str = "corrections") -> Corrections:
    """Check a corrections document's shape and read it.

    >>> parse_corrections({"places": {"valencia": {"drop": True}}}).places[0].drop
    True
    >>> parse_corrections({})
    Corrections(places=(), add_places=(), drop_flows=(), add_flows=())
    >>> parse_corrections({"places": {"valencia": {"pick": 7}}})
    Traceback (most recent call last):
    ...
    geo.errors.CorrectionsError: corrections: places.valencia.pick: expected text, got 7
    """
    if not isinstance(document, dict):
        raise CorrectionsError(f"{source}: expected a JSON object at the top")
    unknown = set(document) - {"places", "add_places", "drop_flows", "add_flows", "version"}
    if unknown:
        raise _fail(source, sorted(unknown)[0], "unknown section (expected places, add_places, drop_flows, add_flows)")
    drop_flows = document.get("drop_flows", [])
    if not isinstance(drop_flows, list):
        raise _fail(source, "drop_flows", "expected a list of flow ids")
    return Corrections(
        places=_parse_place_fixes(document.get("places", {}), source),
        add_places=_parse_new_places(document.get("add_places", []), source),
        drop_flows=tuple(_text(item, source, f"drop_flows[{i}]") for i, item in enumerate(drop_flows)),
        add_flows=_parse_new_flows(document.get("add_flows", []), source),
    )


def load_corrections(path: str | os.PathLike[str]) -> Corrections:
    """Read a corrections file; a missing file means no corrections."""
    file = Path(path)
    try:
        text = file.read_text("utf-8")
    except FileNotFoundError:
        return Corrections()
    except (OSError, UnicodeDecodeError) as err:
        raise CorrectionsError(f"{file}: cannot read ({err})") from err
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise CorrectionsError(f"{file}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from err
    return parse_corrections(document, str(file))


def save_corrections(path: str | os.PathLike[str], corrections: Corrections) -> Path:
    """Write a corrections file atomically."""
    return write_atomic(path, json.dumps(corrections.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _picked(place: Place, fix: PlaceFix, gazetteer: Gazetteer, source: str) -> Place:
    try:
        entry = gazetteer.get(fix.pick)
    except GazetteerError as err:
        raise _fail(source, f"places.{fix.place}.pick", f"no gazetteer entry {fix.pick!r}") from err
    others = tuple(c for c in place.candidates if c.entry.id != entry.id)
    # Ranked first by a clear margin, with a finite score so records stay valid JSON.
    score = max((c.score for c in others), default=0.0) + _EDITOR_MARGIN
    chosen = Candidate(entry, round(score, 6), (("chosen by an editor" + (f": {fix.note}" if fix.note else ""), _EDITOR_MARGIN),))
    return dataclasses.replace(
        place,
        kind=entry.kind,
        country_code=entry.country_code,
        country_name=country_name(gazetteer, entry.country_code),
        lat=entry.lat,
        lon=entry.lon,
        entry_id=entry.id,
        confidence=1.0,
        candidates=(chosen,) + others,
    )


def _new_place(item: NewPlace, gazetteer: Gazetteer, source: str, index: int) -> Place:
    if item.gazetteer_id:
        try:
            entry = gazetteer.get(item.gazetteer_id)
        except GazetteerError as err:
            raise _fail(source, f"add_places[{index}].gazetteer_id", f"no gazetteer entry {item.gazetteer_id!r}") from err
        name, kind, country, lat, lon = item.name or entry.name, entry.kind, entry.country_code, entry.lat, entry.lon
    else:
        name, kind, country, lat, lon = item.name, item.kind, item.country_code, item.lat, item.lon
    return Place(
        id=item.id,
        name=name,
        kind=kind,
        country_code=country,
        lat=lat,
        lon=lon,
        entry_id=item.gazetteer_id,
        confidence=1.0,
        mentions=(),
        note=item.note or "added by an editor",
        country_name=country_name(gazetteer, country),
    )


def apply_corrections(story: Story, corrections: Corrections, gazetteer: Gazetteer, source: str = "corrections") -> Story:
    """The story with a person's corrections applied; ``story.notes`` says what changed."""
    if corrections.empty:
        return story
    places = {p.id: p for p in story.places}
    notes = []
    for fix in corrections.places:
        if fix.place not in places:
            raise _fail(source, f"places.{fix.place}", f"no place {fix.place!r} in this article (places: {', '.join(sorted(places))})")
        if fix.drop:
            del places[fix.place]
            notes.append(f"dropped {fix.place}")
        else:
            places[fix.place] = _picked(places[fix.place], fix, gazetteer, source)
            notes.append(f"{fix.place} is {fix.pick}")
    for index, item in enumerate(corrections.add_places):
        if item.id in places:
            raise _fail(source, f"add_places[{index}].id", f"a place {item.id!r} already exists")
        places[item.id] = _new_place(item, gazetteer, source, index)
        notes.append(f"added {item.id}")
    flows = {f.id: f for f in story.flows if f.source in places and f.target in places}
    for index, flow in enumerate(corrections.drop_flows):
        if flow not in flows:
            raise _fail(source, f"drop_flows[{index}]", f"no flow {flow!r} (flows: {', '.join(sorted(flows)) or 'none'})")
        del flows[flow]
        notes.append(f"dropped flow {flow}")
    for index, item in enumerate(corrections.add_flows):
        for end, place_id in (("from", item.source), ("to", item.target)):
            if place_id not in places:
                raise _fail(source, f"add_flows[{index}].{end}", f"no place {place_id!r} in this article")
        key = flow_id_of(item)
        flows[key] = Flow(key, item.source, item.target, item.what, item.layer, item.two_way, (), inferred=False, note=item.note or "added by an editor")
        notes.append(f"added flow {key}")
    kept = tuple(places.values())
    return dataclasses.replace(
        story,
        places=kept,
        flows=tuple(sorted(flows.values(), key=lambda f: f.id)),
        pressures=tuple(p for p in story.pressures if p.place in places),
        roles=tuple(r for r in story.roles if r.place in places),
        notes=story.notes + tuple(notes),
    )
