"""Choosing which place each name means, and keeping the reasons.

Every name's candidates are scored on evidence a person can read back: what
kind of place it is, its rank (capital, seat), its population, whether it lies
in the countries the article is about, whether the text qualifies it
("Valencia, Spain"), calls it a port, names its province, and the company it
keeps: a name listed with far-off world cities ("Paris, Valencia and Singapore") is
judged as a world city, not by the article's home countries. The best
candidate wins; all of them stay with their scores so a person can pick
another.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .article import Article
from .coords import distance_km, nearest_km
from .gazetteer import COUNTY_WORDS, PROMINENT_TOWN, Entry
from .lexicon import lexicon
from .mentions import Mention
from .names import name_key, spelled_out

__all__ = ["COASTAL_KM", "Candidate", "Resolution", "rank", "resolve"]

# Seas and oceans carry no population, yet a bare "Atlantic" in the news is
# the ocean far more often than a town of a few thousand called Atlantic.
# A county is a division like a state or province: what its full name ("X County") means first.
_KIND_PRIOR = {"country": 3.0, "continent": 2.5, "ocean": 6.0, "admin1": 2.0, "county": 2.0, "sea": 4.5, "region": 2.0, "city": 0.0}
_FEATURE_PRIOR = {"PPLC": 2.0, "PPLA": 1.0, "PPLA2": 0.5, "PPLA3": 0.2, "PPLA4": 0.1, "PPLG": 1.0, "PPLX": -0.5, "PPLH": -1.5, "PPLQ": -1.5, "PPLW": -1.5}
_POPULATION_WEIGHT = 0.5
_FOCUS_WEIGHT = 2.0
_QUALIFIER_WEIGHT = 5.0
_PORT_WEIGHT = 1.5
_COAST_NAMED_WEIGHT = 1.0
_DIVISION_WEIGHT = 1.5
_NEARBY_WEIGHT = 1.0
_NEARBY_KM = 400.0
_CLOSE_WEIGHT = 2.0
_CLOSE_KM = 50.0
_WORLD_CITY_WEIGHT = 1.0
_LISTED_WEIGHT = 1.5
_LISTED_DIVISION_WEIGHT = 2.0
# A place this close to the sea is on the coast. Port cities on estuaries and
# river mouths lie a few km inside the simplified sea polygons, so the margin
# is wider than a beach town would need.
COASTAL_KM = 15.0
_WORLD_CITY = 250_000  # a town this populous counts as a world city in a list of them
_SEAT_WEIGHT = 1.5
_METROPOLIS_WEIGHT = 1.0
_ALTERNATE_NAME_WEIGHT = -2.0
_ALTERNATE_REASON = "bears this name only as an alternate name"
_BORNE_ELSEWHERE_WEIGHT = -2.0
_BORNE_ELSEWHERE_REASON = "another place bears this name as its own"
_SMALL_TOWN = 20_000
_QUALIFIED_REASON = "in the place written after it"
_DIVISION_NAMED_REASON = ", a division the article names"
_AFTER_ITS_TOWN_REASON = "the division of the town written before it"
_NO_READING_SCORE = 2.0  # what "it is none of these places" scores, for confidence
_SETTLED = 0.8  # confidence at which a first-pass reading tells the article's country
_BIG_CITY = 1_000_000
_SEAT_CODES = frozenset({"PPLC", "PPLA", "PPLA2"})
_CAPITAL_CODES = frozenset({"PPLC", "PPLG", "PPLA"})  # a country's or a division's seat
_LOCATIVE = frozenset("in into to from near at across outside inside around through toward towards via".split())
_KIND_WORDS = {
    "country": "a country",
    "continent": "a continent",
    "ocean": "an ocean",
    "admin1": "a first-level division",
    "county": "a county",
    "sea": "a sea",
    "region": "a region",
    "city": "a populated place",
}
# A name after a comma, up to the next punctuation or conjunction (see _qualifier).
_QUALIFIER_AFTER = re.compile(r",\s*([A-Z][\w.\u2019' -]*?)(?=[,.;:)\n]|\s+(?:and|or|in|on|at|where|which)\b|$)")
# What separates the items of a list of places: a comma, "and", "or" (see _listed_with).
_LIST_SEPARATOR = re.compile(r"\s*(?:,|,?\s*and|,?\s*or)\s*")
_PORT_WORDS = re.compile(r"\b(?:port|ports|harbou?rs?|seaport|docks?|shipping|coast(?:al)?|waterfront)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of a name, its score and the reasons that make it up."""

    entry: Entry
    score: float
    reasons: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one name (or demonym) in the article was taken to mean."""

    key: str
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]  # best first

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    @property
    def confidence(self) -> float:
        """Share of the winner in a softmax over the candidates' scores and
        a reading of "none of these", so that one weak reading is not certain."""
        top = self.candidates[0].score
        total = sum(math.exp(c.score - top) for c in self.candidates) + math.exp(_NO_READING_SCORE - top)
        return 1.0 / total


@dataclass(frozen=True, slots=True)
class _Context:
    focus: Mapping[str, float]  # country code -> share of the article's country mentions
    # Each ISO 3166-2 code the article names -> (name key, kind of its reading) for
    # the names read as it or in it: "admin1" for the division itself, "county" for one of its counties.
    division_names: Mapping[str, frozenset[tuple[str, str]]]
    anchors: tuple[tuple[float, float], ...]  # unambiguous places' points


def _speaks_of_port(article: Article, mention: Mention, answers: dict[int, bool]) -> bool:
    """Whether the sentence of a mention speaks of a port. Many names share a
    sentence: ``answers`` keeps each sentence's answer (by its start) for the article."""
    sentence = article.sentence_of(mention.start)
    found = answers.get(sentence.start)
    if found is None:
        found = answers[sentence.start] = _PORT_WORDS.search(article.text[sentence.start : sentence.end]) is not None
    return found


def _qualifier(article: Article, mention: Mention, lookup: Callable[[str], tuple[Entry, ...]]) -> frozenset[str]:
    """Codes of the country/division written right after a name: "Valencia, Spain"."""
    rest = article.text[mention.end : mention.end + 60]
    match = _QUALIFIER_AFTER.match(rest)
    if not match:
        return frozenset()
    codes = set()
    for entry in lookup(match.group(1)):
        if entry.kind == "country":
            codes.add(entry.country_code)
        elif entry.kind == "admin1":
            # A county or department below the top level ("Rockingham,
            # Northamptonshire") vouches for its top-level unit, which is
            # what a town's own admin1 records.
            codes.update({entry.id.removeprefix("admin1:"), entry.admin1} - {""})
    return frozenset(codes)


def _by_sentence(article: Article, mentions: Iterable[Mention]) -> dict[int, list[Mention]]:
    """Mentions grouped by the start of their sentence, in text order (built once per article)."""
    grouped: dict[int, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        grouped.setdefault(article.sentence_of(mention.start).start, []).append(mention)
    return grouped


def _listed_with(article: Article, mention: Mention, by_sentence: Mapping[int, list[Mention]]) -> tuple[Mention, ...]:
    """Other places in the same comma/and list as this mention: "Paris, Valencia and Singapore"."""
    same = [m for m in by_sentence[article.sentence_of(mention.start).start] if not m.demonym]
    index = next((i for i, m in enumerate(same) if m.start == mention.start), None)
    if index is None:  # a demonym lists nothing
        return ()
    group = [same[index]]
    for step in (-1, 1):
        i = index
        while 0 <= i + step < len(same):
            a, b = (same[i], same[i + step]) if step == 1 else (same[i + step], same[i])
            if not _LIST_SEPARATOR.fullmatch(article.text[a.end : b.start]):
                break
            group.append(same[i + step])
            i += step
    return tuple(m for m in group if m.start != mention.start)


@lru_cache(maxsize=65_536)
def _own_key(name: str) -> str:
    """A place's own name as a key with short forms spelled out (a pure function: cached)."""
    return spelled_out(name_key(name))


def _bears(entry: Entry, key: str, *, whole_name_only: bool) -> bool:
    """Whether a place's own name is the name read, or the name read begins
    with it and a qualifier ("Lima, Peru"), or it begins with the name read
    ("Santa Cruz de la Sierra", "Guatemala City") unless a country bears the
    whole name: then "Guatemala" is the country's.

    >>> city = Entry("x", "Guatemala City", "city", "PPLC", "GT", "", 14.6, -90.5, 0)
    >>> _bears(city, "guatemala", whole_name_only=True), _bears(city, "guatemala city guatemala", whole_name_only=True)
    (False, True)
    """
    own, key = _own_key(entry.name), spelled_out(key)
    return own == key or key.startswith(own + " ") or (not whole_name_only and own.startswith(key + " "))


def _score(
    entry: Entry,
    *,
    key: str,
    namesake_country: str = "",
    context: _Context,
    use_focus: bool,
    qualifier,
    port: bool,
    coasts: tuple[str, ...],
    world_list: bool,
    seats: frozenset[str],
    listed_in: frozenset[str] = frozenset(),
    listed_divisions: frozenset[str] = frozenset(),
    borne: bool = False,
    biggest_town: int = 0,
    qualifies: frozenset[str] = frozenset(),
) -> Candidate:
    reasons: list[tuple[str, float]] = []

    def add(reason: str, value: float) -> None:
        if value:
            reasons.append((reason, round(value, 3)))

    listed_division = entry.kind == "admin1" and entry.country_code in listed_divisions
    if entry.kind == "admin1" and 0 < entry.population < biggest_town and not listed_division:
        # A parish of sixty thousand does not outrank a city of four hundred
        # thousand bearing the same name just for being a division.
        reasons.append(("a division smaller than a town of this name: no division prior", 0.0))
    else:
        add(_KIND_WORDS.get(entry.kind, entry.kind), _KIND_PRIOR.get(entry.kind, 0.0))
    # Most places (a plain "PPL") have no feature prior, and most lie outside the
    # article's countries: such reasons are dropped, so their text is not written.
    feature_prior = _FEATURE_PRIOR.get(entry.feature_code, 0.0)
    if feature_prior:
        add(f"feature {entry.feature_code}", feature_prior)
    add(f"population {entry.population:,}", _POPULATION_WEIGHT * math.log10(entry.population + 1))
    if entry.kind == "city" and entry.population >= _BIG_CITY:
        # A city of millions is what its name means in the news anywhere;
        # a county seat of ten thousand in the article's country is not.
        add("a city of a million or more", _METROPOLIS_WEIGHT)
    country_named = bool(namesake_country)
    if (entry.kind == "city" or entry.kind == "admin1" and country_named) and key and not _bears(entry, key, whole_name_only=country_named):
        # GeoNames lists former, historic and stray names ("Edo" for Tokyo,
        # "Madras" for Chennai): a town found by such a name is a
        # weaker reading than one that bears it.
        add(_ALTERNATE_REASON, _ALTERNATE_NAME_WEIGHT)
        if borne:
            # A former name ("Madras" for Chennai) means the places that
            # still bear it, in an article about their country.
            add(_BORNE_ELSEWHERE_REASON, _BORNE_ELSEWHERE_WEIGHT)
    # An article about Guatemala is about the country, not about its department of the same name.
    if use_focus and entry.kind not in ("country", "ocean", "sea", "continent", "region") and entry.country_code != namesake_country:
        focus = _FOCUS_WEIGHT * context.focus.get(entry.country_code, 0.0)
        if focus:
            add(f"in {entry.country_code}, a country the article is about", focus)
    if entry.kind == "city" and entry.admin1 in seats and (entry.feature_code in ("PPLA", "PPLC") or entry.population >= _BIG_CITY):
        # "Valparaíso", "Mendoza": a name shared by a province and its seat,
        # or its big city, means the city.
        add("the seat or big city of the division of the same name", _SEAT_WEIGHT)
    if entry.kind in _DIVISION_KINDS and _division_code(entry) in qualifies:
        add(_AFTER_ITS_TOWN_REASON, _QUALIFIER_WEIGHT / 2)
    if qualifier:
        inside = entry.country_code in qualifier or entry.admin1 in qualifier
        add(_QUALIFIED_REASON if inside else "not in the place written after it", _QUALIFIER_WEIGHT * (1 if inside else -1))
    if entry.kind == "admin1" and any(
        other != key and kind == "admin1" for other, kind in context.division_names.get(entry.id.removeprefix("admin1:"), ())
    ):
        # A dateline ("SALEM, Ore.") or a full form ("Zorb State") has named
        # the division: a bare name that may also be a city is it too.
        add("a division the article names in another form", _DIVISION_WEIGHT)
    if entry.kind in _LOCAL_KINDS and entry.admin1 and any(other != key for other, _ in context.division_names.get(entry.admin1, ())):
        # Shared among the divisions named: an article about Texas and
        # California says less about any one town than one about Texas alone.
        add(f"in {entry.admin1}{_DIVISION_NAMED_REASON}", _DIVISION_WEIGHT / len(context.division_names))
    if port and entry.kind == "city":
        coastal = entry.coast_km is not None and entry.coast_km <= COASTAL_KM
        add("on the coast, and the text speaks of a port" if coastal else "inland, but the text speaks of a port", _PORT_WEIGHT * (1 if coastal else -0.5))
    named = [c for c in coasts if any(c.lower() in name.lower() for name in entry.coast)]
    if named:
        add(f"on the {named[0]} coast the sentence names", _COAST_NAMED_WEIGHT)
    if context.anchors and entry.kind in _LOCAL_KINDS and use_focus:
        here = (entry.lat, entry.lon)
        nearest = nearest_km(here, context.anchors)
        if nearest == 0.0:
            # The same place under another name (a city's full name beside its
            # bare one) does not vouch for itself. Rare: asked again only then.
            nearest = nearest_km(here, [point for point in context.anchors if point != here])
        if nearest <= _NEARBY_KM:
            # A town a short drive from a place the article names is likelier
            # the one meant than one merely in the same region.
            add(f"{nearest:.0f} km from another place of the article", _CLOSE_WEIGHT if nearest <= _CLOSE_KM else _NEARBY_WEIGHT)
    if world_list and (entry.feature_code == "PPLC" or entry.population >= _WORLD_CITY):
        add("a world city, listed with other world cities", _WORLD_CITY_WEIGHT)
    if entry.country_code in listed_in and entry.kind == "city":
        add(f"in {entry.country_code}, like a city it is listed with", _LISTED_WEIGHT)
    if listed_division:
        # A name in a list of a country's divisions is that country's
        # division, not a city of the same name elsewhere or in it.
        add(f"listed with other divisions of {entry.country_code}", _LISTED_DIVISION_WEIGHT)
    return Candidate(entry, round(sum(value for _, value in reasons), 6), tuple(reasons))


def _rank(candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    return tuple(sorted(candidates, key=lambda c: (-c.score, -c.entry.population, c.entry.id)))


def _biggest_town(entries: Iterable[Entry], key: str) -> int:
    """Population of the most populous town bearing the name read, 0 if none:
    Tokyo's old name "Edo" does not make Edo State a small division."""
    return max((e.population for e in entries if e.kind == "city" and _bears(e, key, whole_name_only=False)), default=0)


def _namesake_seat_countries(entries: Iterable[Entry], key: str) -> frozenset[str]:
    """Countries where a town bearing the name is the seat of a division bearing it too."""
    entries = tuple(entries)
    divisions = {e.id.removeprefix("admin1:") for e in entries if e.kind == "admin1" and _bears(e, key, whole_name_only=True)}
    return frozenset(
        e.country_code for e in entries
        if e.kind == "city" and e.feature_code in _CAPITAL_CODES and e.admin1 in divisions and _bears(e, key, whole_name_only=True)
    )


def _seats(entries: Iterable[Entry]) -> frozenset[str]:
    return frozenset(e.id.removeprefix("admin1:") for e in entries if e.kind == "admin1")


# A county names its state as surely as the state's own name does.
_DIVISION_KINDS = frozenset({"admin1", "county"})
# Towns and counties are placed by the divisions and places around them.
_LOCAL_KINDS = frozenset({"city", "county"})


def _division_code(entry: Entry) -> str:
    """The code of the first-level division a division entry is or lies in
    (its state, for a county); "" when unknown (a remote geocoder's county abroad)."""
    return entry.id.removeprefix("admin1:") if entry.kind == "admin1" else entry.admin1


def _names_of_divisions(readings: Iterable[tuple[str, Entry]]) -> dict[str, frozenset[tuple[str, str]]]:
    """Each first-level division among the readings (a county's: its state)
    -> the (name key, kind) of the readings that are it or lie in it."""
    names: dict[str, set[tuple[str, str]]] = {}
    for key, entry in readings:
        code = _division_code(entry) if entry.kind in _DIVISION_KINDS else ""
        if code:
            names.setdefault(code, set()).add((key, entry.kind))
    return {code: frozenset(keys) for code, keys in names.items()}


_QUALIFIER_BEFORE = re.compile(r",\s*")


def _divisions_after_their_towns(article: Article, group: list[Mention], by_sentence, entries, candidates) -> frozenset[str]:
    """Codes of this name's division readings that hold a town written right
    before it: "Fresnillo, Zacatecas" names the state Fresnillo is in, not its seat."""
    codes = {_division_code(e) for e in entries if e.kind in _DIVISION_KINDS} - {""}
    if not codes:
        return frozenset()
    found = set()
    for mention in group:
        same = by_sentence[article.sentence_of(mention.start).start]
        index = next((i for i, m in enumerate(same) if m.start == mention.start), 0)
        if index == 0:
            continue
        before = same[index - 1]
        if before.demonym or not _QUALIFIER_BEFORE.fullmatch(article.text[before.end : mention.start]):
            continue
        found.update(e.admin1 for e in candidates.get(before.key, ()) if e.kind in _LOCAL_KINDS and e.admin1 in codes)
    return frozenset(found)


_NO_CONTEXT = _Context(focus={}, division_names={}, anchors=())


def rank(entries: tuple[Entry, ...], name: str = "") -> tuple[Candidate, ...]:
    """Readings of a name with no article around it, most likely first.

    >>> rank(())
    ()
    """
    seats = _seats(entries)
    key = name_key(name)
    biggest_town = _biggest_town(entries, key)
    return _rank(
        _score(
            e, key=key, context=_NO_CONTEXT, use_focus=False, qualifier=frozenset(), port=False, coasts=(),
            world_list=False, seats=seats, biggest_town=biggest_town,
        )
        for e in entries
    )


def _country_votes(article_mentions, resolved_kinds: Mapping[str, tuple[Entry, ...]], demonyms: Mapping[str, Entry]) -> list[tuple[str, str]]:
    """(name key, country code) for every mention of a country or demonym."""
    votes = []
    for mention in article_mentions:
        if mention.demonym:
            votes.append((mention.key, demonyms[mention.key].country_code))
            continue
        countries = [e for e in resolved_kinds.get(mention.key, ()) if e.kind == "country"]
        if countries:
            votes.append((mention.key, countries[0].country_code))
    return votes


def _focus(votes: list[tuple[str, str]], excluding: str = "") -> dict[str, float]:
    """Each country's share of the article's country mentions, a name's own aside.

    Without the exclusion "Panama" would vote for Panama City as "a place in
    a country the article is about", on the strength of itself.
    """
    counts = Counter(code for key, code in votes if key != excluding)
    total = sum(counts.values())
    return {code: count / total for code, count in counts.items()} if total else {}


def resolve(
    article: Article,
    mentions: tuple[Mention, ...],
    candidates: Mapping[str, tuple[Entry, ...]],
    demonyms: Mapping[str, Entry],
    lookup: Callable[[str], tuple[Entry, ...]],
    *,
    known_places: frozenset[int] = frozenset(),
) -> tuple[Resolution, ...]:
    """Resolve every mention; one resolution per name, in order of first mention.

    ``candidates`` maps each mention key to its gazetteer entries,
    ``demonyms`` each demonym key to its country, and ``lookup`` answers a
    name (used for qualifiers such as "Spain" in "Valencia, Spain"). Single
    words read as small towns that nothing supports are dropped, unless a
    mention's start is in ``known_places`` (spans known to be places).
    """
    by_key: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, []).append(mention)
    marine = frozenset(key for key, entries in candidates.items() if any(e.kind in ("ocean", "sea") for e in entries))

    votes = _country_votes(mentions, candidates, demonyms)
    focus = _focus(votes)
    division_names = _names_of_divisions(
        (key, entries[0]) for key, entries in candidates.items() if key in by_key and len(entries) == 1
    )
    divisions = frozenset(division_names)
    # A name cannot vouch for itself: each name's anchors leave it out.
    anchors = tuple(
        (key, (entries[0].lat, entries[0].lon))
        for key, entries in candidates.items()
        if key in by_key and len(entries) == 1 and entries[0].kind in ("city", "county", "admin1")
    )
    context = _Context(focus=focus, division_names=division_names, anchors=())
    by_sentence = _by_sentence(article, mentions)
    port_sentences: dict[int, bool] = {}
    clues = {
        key: _clues_of(article, key, group, by_sentence, candidates, marine, lookup, port_sentences)
        for key, group in by_key.items()
        if not group[0].demonym and candidates.get(key)
    }

    # Two passes: the first reads each name with the countries the article
    # names; the second also counts the countries its confidently read towns
    # and provinces lie in (an article about Lima, Cusco and Arequipa is about
    # Peru even if it never says so).
    # The countries the article names; the second pass's settled towns do not
    # make a world city's country one of them ("Houston, Rome and Sydney").
    home = frozenset(focus)
    first = _resolve_groups(by_key, clues, candidates, demonyms, context, votes, anchors, home)
    settled = [
        (r.key, r.best.entry.country_code)
        for r in first
        for _ in r.mentions
        if r.best.entry.kind in ("city", "county", "admin1") and r.best.entry.country_code and r.confidence >= _SETTLED
    ]
    # "Indiana" is also a town elsewhere, so only its settled reading says
    # which division the article names ("Richmond" is in several states).
    settled_names = _names_of_divisions((r.key, r.best.entry) for r in first if r.confidence >= _SETTLED)
    settled_divisions = frozenset(settled_names) - divisions
    if settled:
        # Only names whose readings lie in different countries, or in
        # different divisions once new ones are settled, can change.
        torn = {
            key for key in clues
            if len({e.country_code for e in candidates[key]}) > 1
            or settled_divisions and len({e.admin1 for e in candidates[key]}) > 1
        }
        second = dataclasses.replace(
            context,
            division_names={code: division_names.get(code, frozenset()) | settled_names.get(code, frozenset()) for code in divisions | settled_divisions},
        )
        # Towns read surely in the first pass are anchors too: a sure
        # "Trujillo" places the "El Porvenir" beside it.
        sure_points = tuple(
            (r.key, (r.best.entry.lat, r.best.entry.lon))
            for r in first
            if r.best.entry.kind == "city" and r.confidence >= _SETTLED and len(candidates.get(r.key, ())) > 1
        )
        again = {
            r.key: r for r in _resolve_groups(by_key, clues, candidates, demonyms, second, votes + settled, anchors + sure_points, home, only=torn)
        }
        resolutions = [again.get(r.key, r) for r in first]
    else:
        resolutions = first
    located = frozenset(m.start for m in mentions if _after_locative(article, m))
    return _supported(article, _not_far_fetched(_short_for_counties(resolutions), home, located), known_places)


_SHORT_FORM_WEIGHT = 1.0


def _short_for_counties(resolutions: list[Resolution]) -> list[Resolution]:
    """A bare name that a county the article names in full begins with is
    that county: after "Tangipahoa Parish", "Tangipahoa officials" are the
    parish's, as a surname after a full name is the person."""
    named: dict[str, Candidate] = {}
    for resolution in resolutions:
        entry = resolution.best.entry
        head, _, word = name_key(entry.name).rpartition(" ")
        # However unsure the full name's reading, the short form means the same place.
        if entry.kind == "county" and word in COUNTY_WORDS and head:
            named.setdefault(head, resolution.best)
    if not named:
        return resolutions
    shortened = []
    for resolution in resolutions:
        county = named.get(resolution.key)
        if county is not None and not resolution.mentions[0].demonym and resolution.best.entry.id != county.entry.id:
            score = resolution.best.score + _SHORT_FORM_WEIGHT
            short = Candidate(county.entry, score, (("short for the county the article names in full", score),))
            resolution = Resolution(resolution.key, resolution.mentions, (short, *resolution.candidates))
        shortened.append(resolution)
    return shortened


@dataclass(frozen=True, slots=True)
class _Clues:
    """What the text says around a name, read once for both passes."""

    qualifier: frozenset[str]
    seats: frozenset[str]
    port: bool
    coasts: tuple[str, ...]
    listed_in: frozenset[str]
    listed_divisions: frozenset[str]  # countries whose divisions it is listed with (_listed_divisions)
    namesake_country: str  # the code of the country bearing this very name, if one does
    bearers: frozenset[str]  # countries of the readings that bear this name as their own
    biggest_town: int  # population of the most populous town bearing the name (_biggest_town)
    qualifies: frozenset[str]  # division codes of the towns written right before it ("Fresnillo, Zacatecas")


def _clues_of(article: Article, key: str, group: list[Mention], by_sentence, candidates, marine, lookup, port_sentences: dict[int, bool]) -> _Clues:
    entries = candidates[key]
    qualifier = frozenset().union(*(_qualifier(article, m, lookup) for m in group))
    # A following name is a qualifier only if some reading lies in it;
    # otherwise it is the next item of a list ("Paris, Valencia and Singapore").
    if not any(e.country_code in qualifier or e.admin1 in qualifier for e in entries):
        qualifier = frozenset()
    companions = [c for m in group for c in _listed_with(article, m, by_sentence)]
    # Each companion's own division, if it is one before anything else: asked once, for both lists below.
    companion_divisions = [_division_named(m, candidates) for m in companions]
    spelled_key = spelled_out(key)
    return _Clues(
        qualifier=qualifier,
        # A name a country bears is the country's before any seat's ("Panama").
        seats=frozenset() if any(e.kind == "country" for e in entries) else _seats(entries),
        port=any(_speaks_of_port(article, m, port_sentences) for m in group),
        coasts=_seas_named_with(article, group, by_sentence, marine),
        listed_in=_companion_countries(companions, companion_divisions, candidates),
        listed_divisions=_listed_divisions(companion_divisions, entries, key),
        namesake_country=next((e.country_code for e in entries if e.kind == "country" and name_key(e.name) == key), ""),
        bearers=frozenset(e.country_code for e in entries if e.kind in ("city", "admin1") and _own_key(e.name) == spelled_key),
        biggest_town=_biggest_town(entries, key),
        qualifies=_divisions_after_their_towns(article, group, by_sentence, entries, candidates),
    )


def _resolve_groups(
    by_key, clues: Mapping[str, _Clues], candidates, demonyms, context: _Context, votes: list[tuple[str, str]], anchors,
    home: frozenset[str], only: set[str] | None = None,
) -> list[Resolution]:
    resolutions = []
    for key, group in by_key.items():
        if only is not None and key not in only:
            continue
        if group[0].demonym:
            entry = demonyms[key]
            candidate = Candidate(entry, 10.0, (("a demonym of this country", 10.0),))
            resolutions.append(Resolution(key, tuple(group), (candidate,)))
            continue
        if key not in clues:
            continue
        clue = clues[key]
        # Listed with major cities beyond the countries the article names:
        # judge it as a world city, not by the article's home countries.
        world_list = bool(clue.listed_in - home)
        # Built directly, not by dataclasses.replace: this runs for every name of every article.
        own_context = _Context(
            focus=_focus(votes, excluding=key),
            division_names=context.division_names,
            anchors=tuple(point for other, point in anchors if other != key),
        )
        scored = _rank(
            _score(
                entry,
                key=key,
                namesake_country=clue.namesake_country,
                context=own_context,
                use_focus=not world_list,
                qualifier=clue.qualifier,
                port=clue.port,
                coasts=clue.coasts,
                world_list=world_list,
                seats=clue.seats,
                listed_in=clue.listed_in,
                listed_divisions=clue.listed_divisions,
                # Only a bearer in a country the article is about: "Madras"
                # alone is still Chennai's former name, not a small American town.
                borne=not world_list and any(code in own_context.focus for code in clue.bearers),
                biggest_town=clue.biggest_town,
                qualifies=clue.qualifies,
            )
            for entry in candidates[key]
        )
        resolutions.append(Resolution(key, tuple(group), scored))
    resolutions.sort(key=lambda r: r.mentions[0].start)
    return resolutions


def _by_alternate_name(candidate: Candidate) -> bool:
    return any(reason == _ALTERNATE_REASON for reason, _ in candidate.reasons)


def _is_supported_alone(article: Article, resolution: Resolution) -> bool:
    entry = resolution.best.entry
    # A word read only through some town's alternate name ("Hugo", "Lin") is
    # as weak as a hamlet's: a given name or a surname more often than not.
    weak = _by_alternate_name(resolution.best) or 0 < entry.population < _SMALL_TOWN
    # Population 0 is unknown (a remote geocoder's answer), not small.
    if entry.kind != "city" or not weak or resolution.mentions[0].demonym:
        return True
    if any(" " in m.text or "-" in m.text for m in resolution.mentions):
        return True
    return any(_after_locative(article, mention) for mention in resolution.mentions)


def _after_locative(article: Article, mention: Mention) -> bool:
    """Whether a preposition of place comes right before a mention: "in Zorb"."""
    before = article.text[max(0, mention.start - 12) : mention.start].split()
    return bool(before) and before[-1].lower() in _LOCATIVE


def _supported(article: Article, resolutions: list[Resolution], known_places: frozenset[int]) -> tuple[Resolution, ...]:
    """Drop single words read as small towns that nothing in the article supports.

    A capitalised word that happens to name a village somewhere ("Research",
    "Star", a surname) is kept only if the text puts it somewhere ("in
    Star"), or another place of the article lies in its country within reach.
    """
    strong = [r for r in resolutions if any(m.start in known_places for m in r.mentions) or _is_supported_alone(article, r)]
    strong_keys = {r.key for r in strong}
    anchors = [(r.best.entry.country_code, (r.best.entry.lat, r.best.entry.lon)) for r in strong if r.best.entry.kind in _LOCAL_KINDS]
    countries = {r.best.entry.country_code for r in strong if r.best.entry.kind in ("country", "admin1")}
    kept = []
    for resolution in resolutions:
        entry = resolution.best.entry
        if resolution.key in strong_keys or entry.country_code in countries or any(
            code == entry.country_code and distance_km(point, (entry.lat, entry.lon)) <= _NEARBY_KM for code, point in anchors
        ):
            kept.append(resolution)
    return tuple(kept)


def _descriptive(key: str) -> bool:
    """A name made only of words saying where or what ("central", "lakes", "north coast")."""
    words = key.split()
    return bool(words) and all(word in lexicon().descriptive_words for word in words)


def _weak(candidate: Candidate, key: str) -> bool:
    """A reading little more than a coincidence of names: a small town, a town
    found by an alternate name, by a short form or by common English words,
    or a place named by descriptive words alone ("Central", "Lakes"), of
    which there are many.

    A remote geocoder's answer (no feature code) has population 0 for
    unknown: it is judged by its name alone.
    """
    entry = candidate.entry
    if entry.kind not in ("city", "admin1"):
        return False
    if 0 < entry.population < _SMALL_TOWN:
        return True
    if _descriptive(key):
        # Only a big division bearing the name itself is known by it.
        return not _bears(entry, key, whole_name_only=False) or entry.population < _BIG_CITY
    if entry.kind == "admin1":
        return False  # by its own name, an exonym ("Bavaria") or an abbreviation ("QLD")
    # An exonym ("Munich") is an alternate name too: a seat or a big town so named is no coincidence.
    if entry.feature_code in _SEAT_CODES or entry.population >= PROMINENT_TOWN or not entry.feature_code:
        return False
    # "XYZ" is an acronym far more often than a town of that name; "Kettle"
    # in a headline in capitals is a word. The frequency list holds names
    # too, so it judges only towns, never divisions.
    common = all(word in lexicon().common_words for word in key.split())
    return len(key) <= 3 or common or _by_alternate_name(candidate)


def _county_with_namesake_abroad(resolution: Resolution) -> bool:
    """Whether a name read as a county ("X County") is also another country's
    division: in an article about that country, "X County Council" is its
    own X, and the county a coincidence of names. (Towns abroad called X are
    not called "X County".)"""
    county = resolution.best.entry
    return county.kind == "county" and any(
        c.entry.kind == "admin1" and c.entry.country_code != county.country_code for c in resolution.candidates
    )


def _sound(candidate: Candidate, key: str, pointed: set[str]) -> bool:
    """A reading to fall back on: no coincidence, and the place's own name in
    a country the article points to, or a big town (by any of its names:
    "Munich") or a seat by its own name, if the name is no short form ("XYZ")."""
    if _weak(candidate, key) or any(reason == _BORNE_ELSEWHERE_REASON for reason, _ in candidate.reasons):
        # A translated former name ("White Town" for some far city) is no
        # fallback where a place of the article's own country bears the name.
        return False
    entry = candidate.entry
    own = _bears(entry, key, whole_name_only=False)
    if own and entry.country_code in pointed:
        return True
    if len(key) <= 3 or entry.kind == "county":  # a county is known at home, never abroad
        return False
    return entry.population >= PROMINENT_TOWN or own and entry.feature_code in _SEAT_CODES


def _initials(name: str) -> str:
    """The initials of a name of two words or more, as a key ("South Africa" -> "sa"); "" for one word.

    >>> _initials("South Africa"), _initials("Chile"), _initials("")
    ('sa', '', '')
    """
    words = name_key(name).split()
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def _not_far_fetched(resolutions: list[Resolution], home: frozenset[str], located: frozenset[int] = frozenset()) -> list[Resolution]:
    """Replace or drop weak readings in countries the article otherwise never
    points to, or far from all its sure places (``located``: starts of the
    mentions a preposition of place puts somewhere, "in Zorb").

    An article about Queensland whose "Tonopah" reads as a hamlet in the
    United States, or whose "Plateau" reads as a state of Nigeria, is better
    served by another reading that is no coincidence, if the name has one,
    else by none: a span known to be a place then goes to the article's
    centre. The article points to the countries it names and those of its
    readings that are not weak; a weak reading near another place of its
    country holds.
    """
    coincidences = [_county_with_namesake_abroad(r) for r in resolutions]
    weak = [not r.mentions[0].demonym and (_weak(r.best, r.key) or coincidence) for r, coincidence in zip(resolutions, coincidences)]
    weak_ids = {id(r) for r, is_weak in zip(resolutions, weak) if is_weak}
    # Weak readings point nowhere, so the set is the same for each of them: built once.
    sure_countries = Counter(r.best.entry.country_code for r, is_weak in zip(resolutions, weak) if not is_weak)
    pointed = set(home) | set(sure_countries)
    pointed.discard("")
    by_country: dict[str, list[Resolution]] = {}
    for resolution in resolutions:
        by_country.setdefault(resolution.best.entry.country_code, []).append(resolution)
    sure_places: dict[str, list[tuple[float, float]]] = {}
    for resolution, is_weak in zip(resolutions, weak):
        entry = resolution.best.entry
        if not is_weak and entry.kind in _LOCAL_KINDS | _DIVISION_KINDS:
            sure_places.setdefault(entry.country_code, []).append((entry.lat, entry.lon))
    # "SA" in an article that names South Africa is South Africa, not South Australia.
    # (A reading found by its own initials is no witness for them.)
    initialled = {
        initials: r.best.entry
        for r in resolutions
        if r.best.entry.kind in ("country", "admin1") and (initials := _initials(r.best.entry.name)) and initials != r.key
    }
    # "SD" after "Santo Domingo" is the city of millions, not the state those
    # letters also stand for, unless the article names that state in full too
    # or names a place in it.
    initialled_towns = {
        initials: r.best.entry
        for r in resolutions
        if r.best.entry.kind == "city" and r.best.entry.population >= _BIG_CITY
        and (initials := _initials(r.best.entry.name)) and initials != r.key
    }
    entry_ids = Counter(r.best.entry.id for r in resolutions)
    # Divisions the article names a place in ("SD officials in Pierre" keep "SD" the state).
    holding = {r.best.entry.admin1 for r in resolutions if r.best.entry.kind in _LOCAL_KINDS}
    kept = []
    for resolution, is_weak, coincidence in zip(resolutions, weak, coincidences):
        entry = resolution.best.entry
        town = initialled_towns.get(resolution.key)
        if (
            town is not None and entry.kind == "admin1" and entry_ids[entry.id] == 1
            and entry.id.removeprefix("admin1:") not in holding
            and not _bears(entry, resolution.key, whole_name_only=False)
            # "Zorbton, SD" still names the state.
            and not any(m.qualifier for m in resolution.mentions)
            and all(reason != _AFTER_ITS_TOWN_REASON for reason, _ in resolution.best.reasons)
        ):
            reading = Candidate(town, resolution.best.score, (("the initials of a city the article names", 0.0),))
            kept.append(dataclasses.replace(resolution, candidates=(reading, *resolution.candidates)))
            continue
        named = initialled.get(resolution.key)
        if (
            named is not None and named.country_code != entry.country_code
            and not _bears(entry, resolution.key, whole_name_only=False)
            # Unless the article points to the abbreviation's own country otherwise ("Adelaide firms in SA").
            and entry.country_code not in home and sure_countries[entry.country_code] <= (0 if is_weak else 1)
        ):
            reading = Candidate(named, resolution.best.score, (("the initials of a place the article names", 0.0),))
            kept.append(dataclasses.replace(resolution, candidates=(reading, *resolution.candidates)))
            continue
        if not is_weak:
            kept.append(resolution)
            continue
        # With nothing else to go by a weak reading stands, unless it is only
        # descriptive words ("the Lakes were full"): one of many, it is none.
        alone = not pointed and not _descriptive(resolution.key)
        # A hamlet named by ordinary words, far from every sure town, county or
        # division its country has in the article, is a coincidence of names even
        # there: in a story set in one city, "the Mill" is a building, not a
        # village of that name 2,000 km away. The text can still place it ("in
        # Mill", "Mill, Quuxshire"), and a name of its own is not ordinary words.
        places = sure_places.get(entry.country_code)
        far = (
            places is not None
            and 0 < entry.population < _SMALL_TOWN
            and not _placed_by_text(resolution.best)
            and not any(m.start in located for m in resolution.mentions)
            and _ordinary_words(resolution.key)
            and nearest_km((entry.lat, entry.lon), places) > _NEARBY_KM
        )
        # Counties named after places abroad cluster ("X County" beside "Y County",
        # both Irish names in one state): only a sure place holds such a county.
        if alone or entry.country_code in pointed and not far or any(
            other is not resolution
            and not (coincidence and id(other) in weak_ids)
            and distance_km((entry.lat, entry.lon), (other.best.entry.lat, other.best.entry.lon)) <= _NEARBY_KM
            for other in by_country.get(entry.country_code, ())
        ):
            kept.append(resolution)
            continue
        sound = next((c for c in resolution.candidates[1:] if _sound(c, resolution.key, pointed)), None)
        if sound is not None:
            rest = tuple(c for c in resolution.candidates if c is not sound)
            kept.append(dataclasses.replace(resolution, candidates=(sound, *rest)))
    return kept


def _ordinary_words(key: str) -> bool:
    """Whether every word of a name is also an ordinary word or a person's
    name ("Mill", "Stone Quarry", "Ann"): such a name meets a hamlet
    by coincidence. A name of its own ("Zorbville") does not."""
    words = lexicon()
    return all(
        word in words.common_words or word.title() in words.given_names or word.title() in words.surnames
        for word in key.split()
    )


def _placed_by_text(candidate: Candidate) -> bool:
    """Whether the text itself puts a reading where it is: a qualifier after
    it ("Zorb, Quuxshire") or a division the article names around it."""
    return any(reason == _QUALIFIED_REASON or reason.endswith(_DIVISION_NAMED_REASON) for reason, _ in candidate.reasons)


def _seas_named_with(article: Article, group: list[Mention], by_sentence: Mapping[int, list[Mention]], marine: frozenset[str]) -> tuple[str, ...]:
    """Seas the gazetteer knows, named in the same sentences as a name ("the country’s Atlantic port")."""
    own = {m.key for m in group}
    sentences = {article.sentence_of(m.start).start for m in group}
    return tuple(sorted({m.text for start in sentences for m in by_sentence[start] if m.key in marine and m.key not in own}))


def _division_named(mention: Mention, candidates: Mapping[str, tuple[Entry, ...]]) -> Entry | None:
    """The division a name is and nothing else: one bearing the name as its
    own, named by no country, with no capital, seat or big town of its country
    bearing it ("Chubut"; not a province named after its capital city, whose
    list is a list of cities)."""
    entries = candidates.get(mention.key, ())
    own = spelled_out(mention.key)
    divisions = [e for e in entries if e.kind == "admin1" and _own_key(e.name) == own]
    if not divisions or any(e.kind == "country" for e in entries):
        return None
    division = max(divisions, key=lambda e: (e.population, e.id))
    if any(
        e.kind == "city" and e.country_code == division.country_code
        and (e.feature_code in _CAPITAL_CODES or e.population >= PROMINENT_TOWN)
        and _bears(e, mention.key, whole_name_only=False)
        for e in entries
    ):
        return None
    return division


def _listed_divisions(companion_divisions: list[Entry | None], entries: tuple[Entry, ...], key: str) -> frozenset[str]:
    """Countries whose divisions a name is listed with: at least two of its
    companions, or its only one, are divisions of the country
    (:func:`_division_named`); less the countries where a division whose seat
    bears the name is the seat's, as _score's seat rule says."""
    countries = [division.country_code for division in companion_divisions if division is not None]
    needed = 1 if len(companion_divisions) == 1 else 2
    listed = frozenset(code for code in countries if countries.count(code) >= needed)
    return listed - _namesake_seat_countries(entries, key) if listed else listed


def _companion_countries(
    companions: list[Mention], companion_divisions: list[Entry | None], candidates: Mapping[str, tuple[Entry, ...]]
) -> frozenset[str]:
    """Countries of the major cities a name is listed with ("Valencia, Paris and
    Singapore"); a companion that is a division first (``companion_divisions``) names no city."""
    countries = set()
    for mention, division in zip(companions, companion_divisions):
        if division is not None:
            continue
        prominent = [e for e in candidates.get(mention.key, ()) if e.kind == "city" and (e.feature_code in ("PPLC", "PPLA") or e.population >= _WORLD_CITY)]
        if prominent:
            countries.add(max(prominent, key=lambda e: e.population).country_code)
    return frozenset(countries)
