"""Article -> places: find the mentions, resolve them, gather them per place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .article import Article
from .gazetteer import Entry, Gazetteer
from .geocoders import GazetteerGeocoder, candidate_entries
from .mentions import Mention, candidate_names, find_mentions
from .names import name_key
from .people import strip_possessive
from .quotes import Quote
from .resolve import Candidate, Resolution, resolve

__all__ = ["Place", "country_name", "find_places", "locate_spans", "place_slug"]


@dataclass(frozen=True, slots=True)
class Place:
    """A place of the story: where it is, how the text names it, and why.

    ``candidates`` are every reading the resolver weighed, best first, with
    their reasons; ``inferred`` marks places the article does not name but
    implies (a port group), whose ``evidence`` says why.
    """

    id: str
    name: str
    kind: str
    country_code: str
    lat: float
    lon: float
    entry_id: str
    confidence: float
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...] = ()
    inferred: bool = False
    members: tuple[str, ...] = ()
    member_names: tuple[str, ...] = ()
    member_points: tuple[tuple[float, float], ...] = ()  # (lat, lon) of each member
    evidence: tuple[tuple[int, int], ...] = ()
    note: str = ""
    country_name: str = ""

    @property
    def entry(self) -> Entry | None:
        return self.candidates[0].entry if self.candidates else None

    def quotes(self, article: Article) -> tuple[Quote, ...]:
        """The article's quotes that name this place."""
        found = []
        for quote in article.quotes:
            if any(a <= m.start < b for m in self.mentions for a, b in quote.parts):
                found.append(quote)
        return tuple(found)


def place_slug(name: str) -> str:
    """An id made of a place's name.

    >>> place_slug("Fort St. John, B.C."), place_slug("Limón Province"), place_slug("")
    ('fort_st_john_bc', 'limon_province', 'place')
    """
    return name_key(name).replace(" ", "_") or "place"


def _display_name(entry: Entry, mentions: tuple[Mention, ...]) -> str:
    named = [m.text for m in mentions if not m.demonym]
    if entry.kind == "country" or not named:
        return entry.name
    counts = Counter(named)
    return max(counts, key=lambda text: (counts[text], len(text)))


def _merge(resolutions: tuple[Resolution, ...]) -> list[tuple[Entry, tuple[Mention, ...], tuple[Candidate, ...], float]]:
    """One group per chosen entry: "Peru", "Peruvian" and "Peru’s" are one place."""
    groups: dict[str, list[Resolution]] = {}
    for resolution in resolutions:
        groups.setdefault(resolution.best.entry.id, []).append(resolution)
    merged = []
    for members in groups.values():
        # The name's own resolution carries the candidates a person may pick from.
        main = next((r for r in members if not r.mentions[0].demonym), members[0])
        mentions = tuple(sorted((m for r in members for m in r.mentions), key=lambda m: m.start))
        merged.append((main.best.entry, mentions, main.candidates, main.confidence))
    merged.sort(key=lambda group: group[1][0].start)
    return merged


def _recognise(article: Article, gazetteer: Gazetteer) -> tuple[tuple[Mention, ...], dict[str, tuple[Entry, ...]], dict[str, Entry]]:
    known = gazetteer.lookup_many(candidate_names(article, gazetteer.max_name_tokens))
    demonyms: dict[str, Entry] = {}

    def demonym(word: str) -> bool:
        entry = gazetteer.demonym(word)
        if entry is not None:
            demonyms[name_key(word)] = entry
        return entry is not None

    mentions = find_mentions(article, known.__contains__, demonym, gazetteer.max_name_tokens)
    return mentions, known, demonyms


def _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder) -> tuple[Resolution, ...]:
    geocoder = geocoder if geocoder is not None else GazetteerGeocoder(gazetteer)
    names = {m.key: m.text for m in mentions if not m.demonym}
    candidates = candidate_entries(geocoder, names, known)
    return resolve(article, mentions, candidates, demonyms, gazetteer.lookup)


def find_places(article: Article, *, gazetteer: Gazetteer | None = None, geocoder=None) -> tuple[Place, ...]:
    """The places an article names, in order of first mention.

    Names are recognised with the gazetteer; they are resolved with
    ``geocoder`` (any geopy-style geocoder) or, by default, the gazetteer.
    """
    if gazetteer is None:
        with Gazetteer.open() as own:
            return find_places(article, gazetteer=own, geocoder=geocoder)
    mentions, known, demonyms = _recognise(article, gazetteer)
    return _places(_resolve_all(article, mentions, known, demonyms, gazetteer, geocoder), gazetteer)


def locate_spans(
    article: Article, spans: tuple[tuple[int, int], ...], *, gazetteer: Gazetteer, geocoder=None
) -> tuple[Entry | None, ...]:
    """Where ``geo`` puts each given span of the article (``None``: nowhere).

    For measuring resolution apart from recognition: the spans are taken as
    place mentions (a demonym where the gazetteer says so), resolved in the
    context of everything else the article names.
    """
    found, known, demonyms = _recognise(article, gazetteer)
    given = []
    for start, end in spans:
        text = strip_possessive(article.text[start:end].strip())
        key = name_key(text)
        if key not in known:
            known.update(gazetteer.lookup_many([text]))
        is_demonym = key not in known and gazetteer.demonym(text) is not None
        if is_demonym:
            demonyms[key] = gazetteer.demonym(text)
        given.append(Mention(start, end, text, key, article.paragraph_of(start), demonym=is_demonym))
    overlapping = [m for m in found if not any(m.start < b and a < m.end for a, b in spans)]
    mentions = tuple(sorted(overlapping + given, key=lambda m: m.start))
    resolutions = _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder)
    chosen = {m.start: r.best.entry for r in resolutions for m in r.mentions}
    return tuple(chosen.get(start) for start, _ in spans)


def country_name(gazetteer: Gazetteer, code: str) -> str:
    """A country's name from its ISO code; the code itself if the gazetteer lacks it."""
    try:
        return gazetteer.country(code).name if code else ""
    except LookupError:
        return code


def _places(resolutions: tuple[Resolution, ...], gazetteer: Gazetteer) -> tuple[Place, ...]:
    places = []
    used: set[str] = set()
    for entry, mentions, candidates, confidence in _merge(resolutions):
        name = _display_name(entry, mentions)
        slug = place_slug(name)
        if slug in used:
            slug = f"{slug}_{entry.country_code.lower() or 'x'}"
        suffix = 2
        base = slug
        while slug in used:
            slug, suffix = f"{base}_{suffix}", suffix + 1
        used.add(slug)
        places.append(
            Place(
                id=slug,
                name=name,
                kind=entry.kind,
                country_code=entry.country_code,
                lat=entry.lat,
                lon=entry.lon,
                entry_id=entry.id,
                confidence=round(confidence, 4),
                mentions=mentions,
                candidates=candidates,
                country_name=country_name(gazetteer, entry.country_code),
            )
        )
    return tuple(places)
