"""Article -> places: find the mentions, resolve them, gather them per place."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
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

__all__ = ["Place", "Toponym", "country_name", "demonym_entry", "find_places", "locate_spans", "place_slug", "toponyms"]


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
        return article.quotes_at(m.start for m in self.mentions)


def place_slug(name: str) -> str:
    """An id made of a place's name.

    >>> place_slug("Fort St. John, B.C."), place_slug("Limón Province"), place_slug("")
    ('fort_st_john_bc', 'limon_province', 'place')
    """
    return name_key(name).replace(" ", "_") or "place"


def _display_name(entry: Entry, mentions: tuple[Mention, ...]) -> str:
    # A name shouted in a capitals headline ("LIMA") is not how to write it.
    named = [m.text for m in mentions if not m.demonym and not (m.text.isupper() and len(m.text) > 3)]
    if entry.kind == "country" or not named:
        return entry.name
    counts = Counter(named)
    return max(counts, key=lambda text: (counts[text], len(text)))


def _merge(resolutions: tuple[Resolution, ...]) -> list[tuple[Entry, tuple[Mention, ...], tuple[Candidate, ...], float]]:
    """One group per chosen entry: "Peru", "Peruvian" and "Peru’s" are one place."""
    groups: dict[str, list[Resolution]] = {}
    for resolution in resolutions:
        story_mentions = tuple(m for m in resolution.mentions if not m.embedded)
        if story_mentions:  # a name only inside organisations' names is no place of the story
            groups.setdefault(resolution.best.entry.id, []).append(dataclasses.replace(resolution, mentions=story_mentions))
    merged = []
    for members in groups.values():
        # The name's own resolution carries the candidates a person may pick from.
        main = next((r for r in members if not r.mentions[0].demonym), members[0])
        mentions = tuple(sorted((m for r in members for m in r.mentions), key=lambda m: m.start))
        merged.append((main.best.entry, mentions, main.candidates, main.confidence))
    merged.sort(key=lambda group: group[1][0].start)
    return merged


# Adjective endings and the name endings they come from: European -> Europe,
# African -> Africa, Philippine -> Philippines, Kurdish -> Kurdistan, Saudis -> Saudi.
_ADJECTIVE_ENDINGS = (("ean", "e"), ("an", "a"), ("ian", "ia"), ("ine", "ines"), ("ish", "istan"), ("s", ""))
_ADJECTIVE_KINDS = frozenset({"country", "continent", "region", "admin1"})


def _stems(word: str) -> list[str]:
    """The names an adjective's ending may point to, in order: "European" -> "Europe", "Europea"."""
    if not word[:1].isupper():
        return []
    stems = [word[: -len(ending)] + replacement for ending, replacement in _ADJECTIVE_ENDINGS if word.endswith(ending) and len(word) > len(ending) + 2]
    if word.endswith("s") and len(word) > 4:  # "Europeans" -> "European" -> "Europe"
        stems += [stem for stem in _stems(word[:-1]) if stem not in stems]
    return stems


def _broadest(entries: tuple[Entry, ...]) -> Entry | None:
    broad = [e for e in entries if e.kind in _ADJECTIVE_KINDS]
    return max(broad, key=lambda e: (e.kind == "country", e.population)) if broad else None


def demonym_entry(word: str, gazetteer: Gazetteer) -> Entry | None:
    """The place a demonym or place adjective names: the gazetteer's demonyms,
    else a name the adjective's ending points to (a country, continent,
    region or division).
    """
    entry = gazetteer.demonym(word) if " " not in word else None
    if entry is not None:
        return entry
    for stem in _stems(word):
        entry = _broadest(gazetteer.lookup(stem))
        if entry is not None:
            return entry
    return None


def _demonym_book(article: Article, gazetteer: Gazetteer) -> Callable[[str], Entry | None]:
    """:func:`demonym_entry` for an article's words, asked of the gazetteer in two batches."""
    words = {strip_possessive(t.text) for tokens in article.tokens for t in tokens if t.is_word and t.text[0].isupper()}
    direct = gazetteer.demonyms_many(words)
    stems = {word: _stems(word) for word in words if name_key(word) not in direct}
    places = gazetteer.lookup_many({stem for found in stems.values() for stem in found})

    def entry(word: str) -> Entry | None:
        if word not in words:  # a two-word phrase ("Central American"): rare, asked alone
            return demonym_entry(word, gazetteer)
        key = name_key(word)
        if key in direct:
            return direct[key]
        return next((e for stem in stems[word] if (e := _broadest(places.get(name_key(stem), ()))) is not None), None)

    return entry


def _recognise(article: Article, gazetteer: Gazetteer) -> tuple[tuple[Mention, ...], dict[str, tuple[Entry, ...]], dict[str, Entry]]:
    keys: dict[str, str] = {}  # each phrase's name key, computed once for both passes
    known = gazetteer.lookup_many(candidate_names(article, gazetteer.max_name_tokens, keys), keys=keys)
    demonyms: dict[str, Entry] = {}
    asked: dict[str, bool] = {}  # every word asked about once per article, yes or no
    book = _demonym_book(article, gazetteer)

    def demonym(word: str) -> bool:
        if word not in asked:
            entry = book(word)
            if entry is not None:
                demonyms[name_key(word)] = entry
            asked[word] = entry is not None
        return asked[word]

    mentions = find_mentions(article, known, demonym, gazetteer.max_name_tokens, keys)
    return mentions, known, demonyms


def _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder, *, keep_unsupported=False) -> tuple[Resolution, ...]:
    geocoder = geocoder if geocoder is not None else GazetteerGeocoder(gazetteer)
    names = {m.key: m.text for m in mentions if not m.demonym}
    candidates = candidate_entries(geocoder, names, known)
    return resolve(article, mentions, candidates, demonyms, gazetteer.lookup, keep_unsupported=keep_unsupported)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A name of a place in the text and where it was put (``None``: nowhere)."""

    mention: Mention
    entry: Entry | None


def toponyms(article: Article, *, gazetteer: Gazetteer, geocoder=None) -> tuple[Toponym, ...]:
    """Every toponym the article names, resolved, those inside organisations' names included.

    The story's places are drawn from the others (:func:`find_places`); the
    embedded ones ("the Peru Chamber of Commerce") are toponyms all the same,
    which is what a geoparsing benchmark counts.
    """
    mentions, known, demonyms = _recognise(article, gazetteer)
    resolutions = _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder)
    chosen = {m.start: r.best.entry for r in resolutions for m in r.mentions}
    return tuple(Toponym(m, chosen.get(m.start)) for m in mentions)


def find_places(article: Article, *, gazetteer: Gazetteer | None = None, geocoder=None) -> tuple[Place, ...]:
    """The places an article names, in order of first mention.

    Names are recognised with the gazetteer; they are resolved with
    ``geocoder`` (any geopy-style geocoder) or, by default, the gazetteer.
    Names inside organisations' names count as context, not as places.
    """
    if gazetteer is None:
        with Gazetteer.open() as own:
            return find_places(article, gazetteer=own, geocoder=geocoder)
    mentions, known, demonyms = _recognise(article, gazetteer)
    return _places(_resolve_all(article, mentions, known, demonyms, gazetteer, geocoder), gazetteer)


# Words that qualify a place without changing where it is, for spans the
# gazetteer lacks: "Orange County" is about Orange, "Northern X" about X.
_QUALIFIERS = frozenset(
    "county district province state city town village street road avenue river lake valley mountains "
    "estate cathedral square region area peninsula island islands bay coast north south east west "
    "northern southern eastern western central upper lower greater downtown metro municipality".split()
)


def _reading_of(text: str, gazetteer: Gazetteer) -> tuple[str, tuple[Entry, ...], Entry | None]:
    """The key, entries and demonym country of a given span's text, trying in turn:
    the name; a demonym or place adjective; the adjective phrase's place
    ("Central American" -> "Central America"); and the name without its
    qualifying words ("Orange County" -> "Orange", "Korean Peninsula" -> "Korean").
    """
    key = name_key(text)
    entries = gazetteer.lookup(text)
    if entries:
        return key, entries, None
    words = text.split()
    if len(words) == 1:
        return key, (), demonym_entry(text, gazetteer)
    for ending, replacement in _ADJECTIVE_ENDINGS:
        if words[-1].endswith(ending):
            phrase = " ".join(words[:-1] + [words[-1][: -len(ending)] + replacement])
            broad = _broadest(gazetteer.lookup(phrase))
            if broad is not None:
                return key, (broad,), None
    kept = [w for w in words if w.lower() not in _QUALIFIERS]
    if kept and len(kept) < len(words):
        _, entries, demonym = _reading_of(" ".join(kept), gazetteer)
        if entries or demonym is not None:
            return key, entries, demonym
    return key, (), demonym_entry(words[-1], gazetteer)


def locate_spans(
    article: Article, spans: tuple[tuple[int, int], ...], *, gazetteer: Gazetteer, geocoder=None
) -> tuple[Entry | None, ...]:
    """Where ``geo`` puts each given span of the article (``None``: nowhere).

    For measuring resolution apart from recognition: the spans are taken as
    place mentions (a demonym where the gazetteer says so), resolved in the
    context of everything else the article names. A span the gazetteer cannot
    read at all is put at the article's centre (:func:`_article_centre`).
    """
    found, known, demonyms = _recognise(article, gazetteer)
    given = []
    for start, end in spans:
        text = strip_possessive(article.text[start:end].strip())
        key, entries, demonym = _reading_of(text, gazetteer)
        if demonym is not None:
            demonyms[key] = demonym
        elif entries:
            known[key] = entries
        given.append(Mention(start, end, text, key, article.paragraph_of(start), demonym=demonym is not None))
    overlapping = [m for m in found if not m.embedded and not any(m.start < b and a < m.end for a, b in spans)]
    mentions = tuple(sorted(overlapping + given, key=lambda m: m.start))
    resolutions = _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder, keep_unsupported=True)
    chosen = {m.start: r.best.entry for r in resolutions for m in r.mentions}
    centre = _article_centre(resolutions)
    return tuple(chosen.get(start, centre) for start, _ in spans)


def _article_centre(resolutions: tuple[Resolution, ...]) -> Entry | None:
    """The place an article is centred on: the country most of its names lie in,
    and there its most-named town, else division, else the country itself.

    A name the gazetteer lacks (a street, a building, a neighbourhood) is
    most likely there; placing it there beats placing it nowhere.
    """
    weights = Counter()
    for resolution in resolutions:
        if resolution.best.entry.country_code:
            weights[resolution.best.entry.country_code] += len(resolution.mentions)
    if not weights:
        return None
    country = weights.most_common(1)[0][0]
    for kinds in (("city",), ("admin1",), ("country",)):
        named = [
            r for r in resolutions
            if r.best.entry.kind in kinds and r.best.entry.country_code == country and not r.mentions[0].demonym
        ]
        if named:
            return max(named, key=lambda r: (len(r.mentions), -r.mentions[0].start)).best.entry
    return next((r.best.entry for r in resolutions if r.best.entry.country_code == country), None)


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
