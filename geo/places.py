"""Article -> places: find the mentions, resolve them, gather them per place."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable
from collections import Counter
from dataclasses import dataclass

from .article import Article
from .coords import distance_km
from .gazetteer import COUNTY_WORDS, PROMINENT_TOWN, Entry, Gazetteer
from .geocoders import GazetteerGeocoder, candidate_entries
from .lexicon import lexicon
from .mentions import Mention, PhraseMemo, abbreviation_key, candidate_names, find_mentions
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
        story_mentions = tuple(m for m in resolution.mentions if m.in_story)
        if story_mentions:  # a name only inside organisations' names or as a qualifier is no place of the story
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
_ENDINGS = tuple(ending for ending, _ in _ADJECTIVE_ENDINGS)
_ADJECTIVE_KINDS = frozenset({"country", "continent", "region", "admin1"})


def _stems(word: str) -> list[str]:
    """The names an adjective's ending may point to, in order: "European" -> "Europe", "Europea".

    A generic word points nowhere: "Mountains" is no demonym of a Mountain Province.
    """
    if not word[:1].isupper() or word.lower() in _GENERIC or not word.endswith(_ENDINGS):
        return []  # most capitalised words of an article: no ending to take off
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
    listed = lexicon().demonym_places.get(name_key(word))
    if listed is not None:
        return _broadest(gazetteer.lookup(listed))
    for stem in _stems(word):
        entry = _broadest(gazetteer.lookup(stem))
        if entry is not None:
            return entry
    return None


def _demonym_book(article: Article, gazetteer: Gazetteer) -> Callable[[str], Entry | None]:
    """:func:`demonym_entry` for an article's words, asked of the gazetteer in two batches."""
    words = {
        strip_possessive(tokens[i].text)
        for paragraph, tokens in enumerate(article.tokens)
        for i in article.capitalized(paragraph)
        if tokens[i].is_word
    }
    keys = {word: name_key(word) for word in words}  # each word keyed once, for every question below
    direct = gazetteer.demonyms_many(words, keys=keys)
    listed = lexicon().demonym_places
    for word, key in keys.items():
        if key not in direct and key in listed and (entry := _broadest(gazetteer.lookup(listed[key]))) is not None:
            direct[key] = entry
    stems = {word: _stems(word) for word, key in keys.items() if key not in direct}
    places = gazetteer.lookup_many({stem for found in stems.values() for stem in found})

    def entry(word: str) -> Entry | None:
        key = keys.get(word)
        if key is None:  # a two-word phrase ("Central American"): rare, asked alone
            return demonym_entry(word, gazetteer)
        if key in direct:
            return direct[key]
        return next((e for stem in stems[word] if (e := _broadest(places.get(name_key(stem), ()))) is not None), None)

    return entry


_FULL_STOP = re.compile(r"\.")


def _abbreviations_written(text: str) -> set[str]:
    """The listed abbreviations that occur anywhere in the text, as substrings.

    A listed form ends with a full stop, so it is looked for only where the
    text has one, a slice for each length of form: a few dozen slices, not
    a search of the whole text for each of the fifty forms.

    >>> sorted(_abbreviations_written("Snow fell in Vt. and (N.H.) overnight.")), _abbreviations_written("")
    (['N.H.', 'Vt.'], set())
    """
    listed = lexicon().abbreviations
    lengths = {len(form) for form in listed}
    written = {
        text[stop - length : stop]
        for stop in (match.end() for match in _FULL_STOP.finditer(text))
        for length in lengths
        if length <= stop
    }
    # A form without a final stop, should the list gain one, is looked for the plain way.
    return {form for form in listed if form in written or (not form.endswith(".") and form in text)}


def _recognise(article: Article, gazetteer: Gazetteer) -> tuple[tuple[Mention, ...], dict[str, tuple[Entry, ...]], dict[str, Entry]]:
    keys: dict[str, str] = {}  # each phrase's name key, computed once for both passes
    memo = PhraseMemo()  # the article's runs and phrases, listed once for both passes
    known = _with_namesakes_abroad(
        gazetteer.lookup_many(candidate_names(article, gazetteer.max_name_tokens, keys, memo), keys=keys), gazetteer
    )
    written = _abbreviations_written(article.text)
    for form, entry_id in lexicon().abbreviations.items():
        if form in written:
            known[abbreviation_key(form)] = (gazetteer.get(entry_id),)
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

    mentions = find_mentions(article, known, demonym, gazetteer.max_name_tokens, keys, memo)
    return _with_initials(article, mentions), known, demonyms


# A short form in capitals: "SKN", "A&B", "Z.G.Q.". Two bare or dotted
# capitals ("PM", "A.D.", "G.M.") are too often something else to be read as
# a name's initials; two joined by "&" ("A&B") are not.
_SHORT_CAPITALS = re.compile(r"(?<![\w&.])(?:[A-Z](?:\.[A-Z]){2,4}\.?|[A-Z]&[A-Z](?:&?[A-Z]){0,3}|[A-Z]{3,5})(?![\w&])")
_WORD = re.compile(r"[^\W\d_]+")


def _shouted(text: str, start: int, end: int) -> bool:
    """Whether the word before or after ``[start, end)`` is in capitals too:
    a headline in capitals ("CAR BOMB KILLS 12") makes every word look like initials."""
    before = _WORD.findall(text[max(0, start - 40) : start])
    after = _WORD.search(text, end, min(len(text), end + 40))
    return any(word is not None and len(word) > 1 and word.isupper() for word in (before[-1] if before else None, after and after.group()))


def _with_initials(article: Article, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """The mentions, and the initials of names the article spells out ("A&B"
    after "Antigua and Barbuda"), each as a mention of its name. Initials in
    a line of capitals, or inside a person's or an organisation's name, are
    left alone.
    """
    by_initials: dict[str, Mention] = {}
    for mention in mentions:
        if mention.in_story and not mention.demonym and " " in mention.text:
            by_initials.setdefault(_initials_of(mention.text), mention)
    by_initials.pop("", None)
    if not by_initials:
        return mentions
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    reach = list(itertools.accumulate((m.end for m in ordered), max))  # the furthest end so far, in text order
    text = article.text
    found = []
    for match in _SHORT_CAPITALS.finditer(text):
        start, end = match.span()
        full = by_initials.get(match.group().replace("&", "").replace(".", ""))
        if full is None:
            continue
        before = bisect.bisect_left(starts, end)  # the mentions starting before this one ends
        if before and reach[before - 1] > start:
            continue  # inside or across a mention
        if _shouted(text, start, end) or article.person_at(start) or article.organisation_at(start):
            continue
        found.append(dataclasses.replace(full, start=start, end=end, text=match.group(), paragraph=article.paragraph_of(start)))
    return tuple(sorted(mentions + tuple(found), key=lambda m: m.start)) if found else mentions


def _with_namesakes_abroad(known: dict[str, tuple[Entry, ...]], gazetteer: Gazetteer) -> dict[str, tuple[Entry, ...]]:
    """Readings by name key, where a name read only as US counties ("X County")
    also keeps the bare name's divisions and towns outside the US: British and
    Irish news write "X County Council" of their own X, and a qualifier
    ("X County, Ontario") or the article's country must be able to choose them.
    """
    heads = {
        key: head
        for key, entries in known.items()
        for head, _, word in (key.rpartition(" "),)
        if head and word in COUNTY_WORDS and entries and all(e.kind == "county" for e in entries)
    }
    if not heads:
        return known
    bare = gazetteer.lookup_many(heads.values(), keys={head: head for head in heads.values()})
    widened = dict(known)
    for key, head in heads.items():
        abroad = tuple(e for e in bare.get(head, ()) if e.country_code != "US" and e.kind in ("admin1", "city"))
        if abroad:
            widened[key] = known[key] + abroad
    return widened


def _abbreviated(name: str, gazetteer: Gazetteer) -> tuple[Entry, ...]:
    """The division a listed abbreviation stands for ("Ore." or "Ore"), else nothing."""
    listed = lexicon().abbreviations
    entry_id = listed.get(name) or listed.get(name + ".")
    return (gazetteer.get(entry_id),) if entry_id else ()


def _resolve_all(article, mentions, known, demonyms, gazetteer, geocoder, *, known_places=frozenset()) -> tuple[Resolution, ...]:
    geocoder = geocoder if geocoder is not None else GazetteerGeocoder(gazetteer)
    names = {m.key: m.text for m in mentions if not m.demonym}
    candidates = candidate_entries(geocoder, names, known)

    def qualifier_lookup(name: str) -> tuple[Entry, ...]:  # "Bend, Ore." is qualified by Oregon
        return _abbreviated(name, gazetteer) or gazetteer.lookup(name)

    return resolve(article, mentions, candidates, demonyms, qualifier_lookup, known_places=known_places)


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
    "county district province state city town village river lake valley mountains estate cathedral "
    "region area peninsula island islands bay coast delta north south east west "
    "northern southern eastern western central upper lower greater downtown metro municipality".split()
)
# Words of names that lie in one place and are named after another: a street
# or a square is in the town it runs through, not in its namesake.
_NAMESAKES = frozenset("street st road rd avenue ave drive lane boulevard blvd square".split())


def _reading_of(text: str, gazetteer: Gazetteer) -> tuple[str, tuple[Entry, ...], Entry | None]:
    """The key, entries and demonym country of a given span's text, trying in turn:
    the name (a demonym before a small town: "Canadian"); the adjective
    phrase's place ("Central American" -> "Central America"); the name
    without its qualifying words ("Orange County" -> "Orange", "Malay
    Peninsula" -> "Malay"); a well-known place inside it ("Reserve Bank of India");
    a demonym ending it. The key is that of the name actually read.
    """
    if text in lexicon().abbreviations:
        return abbreviation_key(text), _abbreviated(text, gazetteer), None
    key = name_key(text)
    words = text.split()
    if not words:
        return key, (), None
    entries = _with_namesakes_abroad({key: gazetteer.lookup(text)}, gazetteer)[key]
    if len(words) == 1:
        demonym = demonym_entry(text, gazetteer) if not any(_prominent(e, key) for e in entries) else None
        return (key, (), demonym) if demonym is not None else (key, entries, None)
    if entries:
        return key, entries, None
    if words[-1].lower().strip(".") in _NAMESAKES:
        return key, (), None  # a street named after a place is not in it
    for ending, replacement in _ADJECTIVE_ENDINGS:
        if words[-1].endswith(ending):
            phrase = " ".join(words[:-1] + [words[-1][: -len(ending)] + replacement])
            broad = _broadest(gazetteer.lookup(phrase))
            if broad is not None:
                return name_key(phrase), (broad,), None
    kept = [w for w in words if w.lower() not in _QUALIFIERS]
    if kept and len(kept) < len(words):
        inner_key, entries, demonym = _reading_of(" ".join(kept), gazetteer)
        if entries or demonym is not None:
            return inner_key, entries, demonym
    inner = _inner_place(words, gazetteer)
    if inner is not None:
        return name_key(inner[0]), inner[1], None
    # A generic word ending a name ("Zorblat Mountains") says what kind of
    # place it is, not whose: _stems gives it no demonym.
    demonym = demonym_entry(words[-1], gazetteer)
    if demonym is None and any(w in lexicon().organisation_keywords for w in words[1:]):
        # An organisation named by a nationality and placed nowhere else
        # ("the Ruritanian Investment Bank") is that nation's.
        nation = demonym_entry(words[0], gazetteer)
        if nation is not None:
            return name_key(words[0]), (nation,), None
    return (name_key(words[-1]) if demonym is not None else key), (), demonym


# Words that name no place on their own inside a longer name ("Visitor Centre").
_GENERIC = _QUALIFIERS | _NAMESAKES | frozenset(
    "centre center trust national international federal royal new old saint st mount lakes "
    "northwest northeast southwest southeast northwestern northeastern southwestern southeastern".split()
)


def _prominent(entry: Entry, key: str) -> bool:
    """A reading a name inside a longer name can be trusted with: a country
    by any of its names, a division by its own, a town by its own name and
    only if it is a capital or a big city ("Edo" is also Tokyo's)."""
    if entry.kind in ("continent", "region"):  # "Bank of America", "Africa Cup": a brand or an event, not a setting
        return False
    if entry.kind != "city":
        return entry.kind == "country" or name_key(entry.name) == key
    return name_key(entry.name) == key and (entry.feature_code in ("PPLC", "PPLA") or entry.population >= PROMINENT_TOWN)


def _names_a_place(run: list[str]) -> bool:
    """Whether a run of words may be a place's name: capitalised at both ends, not only generic words."""
    return run[0][:1].isupper() and run[-1][:1].isupper() and not all(w.lower().strip(".") in _GENERIC for w in run)


def _short_or_shouted(run: list[str]) -> bool:
    """A lone abbreviation or capitalised word ("NB", "MIT", "NORTH"): trusted only as a country ("US")."""
    return len(run) == 1 and (len(run[0]) < 4 or run[0].isupper())


def _inner_place(words: list[str], gazetteer: Gazetteer) -> tuple[str, tuple[Entry, ...]] | None:
    """The readings of the longest, then leftmost, well-known place named
    inside a longer name: "Reserve Bank of India", "Nairobi Film Festival",
    "German Embassy Lima". A small town's name inside a school's or a street's
    ("Clayton High School") says too little to be trusted, so only names
    with a prominent reading count.
    """
    for length in range(len(words) - 1, 0, -1):
        for first in range(len(words) - length + 1):
            run = words[first : first + length]
            if not _names_a_place(run):
                continue
            phrase = " ".join(run)
            entries = gazetteer.lookup(phrase)
            if _short_or_shouted(run):
                entries = tuple(e for e in entries if e.kind == "country")
            if any(_prominent(e, name_key(phrase)) for e in entries):
                return phrase, entries
    return None


def locate_spans(
    article: Article, spans: tuple[tuple[int, int], ...], *, gazetteer: Gazetteer, geocoder=None
) -> tuple[Entry | None, ...]:
    """Where ``geo`` puts each given span of the article (``None``: nowhere).

    For measuring resolution apart from recognition: the spans are taken as
    place mentions (a demonym where the gazetteer says so), resolved in the
    context of everything else the article names. A span the gazetteer cannot
    read at all is put at the article's centre (:func:`_article_centre`), or
    at the capital of a division the article is centred on.
    """
    found, known, demonyms = _recognise(article, gazetteer)
    given = []
    for start, end in spans:
        text = strip_possessive(article.text[start:end].strip())
        key, entries, demonym = _reading_of(text, gazetteer)
        if not entries and demonym is None:
            spelled = _spelled_out_initials(text, found)
            if spelled is not None and known.get(spelled.key):
                key, entries = spelled.key, known[spelled.key]
        if demonym is not None:
            demonyms[key] = demonym
        elif entries:
            known[key] = entries
        given.append(Mention(start, end, text, key, article.paragraph_of(start), demonym=demonym is not None))
    story = [m for m in found if m.in_story]
    within = [any(m.start < b and a < m.end for a, b in spans) for m in story]  # inside a given span
    outside = [m for m, inside in zip(story, within) if not inside]
    mentions = tuple(sorted(outside + given, key=lambda m: m.start))
    resolutions = _resolve_all(
        article, mentions, known, demonyms, gazetteer, geocoder, known_places=frozenset(m.start for m in given)
    )
    chosen = {m.start: r.best.entry for r in resolutions for m in r.mentions}
    centre = _article_centre(resolutions)
    if centre is None:
        # The only names the article gives may lie inside the spans ("Ardmore" in
        # "Ardmore and Kilbride Ward"): where they are beats nowhere.
        inner = tuple(m for m, inside in zip(story, within) if inside)
        if inner:
            centre = _article_centre(_resolve_all(article, inner, known, demonyms, gazetteer, geocoder))
    # An article set in a whole division names no town: its streets and
    # buildings are likelier in the capital, where most of its people are,
    # than at the middle of its map.
    setting = centre
    if centre is not None and centre.kind == "admin1":
        setting = gazetteer.seat(centre.id.removeprefix("admin1:")) or centre
    located = []
    for start, end in spans:
        entry = chosen.get(start)
        if entry is None and centre is not None:
            entry = _water_named_by_kind(article.text[start:end], centre, gazetteer) or setting
        located.append(entry)
    return tuple(located)


# Kinds of water a bare capitalised word names ("the Gulf", "the Bay"): the one on the setting's coast.
_WATER_WORDS = frozenset({"gulf", "bay", "sea", "strait", "straits", "channel", "sound", "lagoon"})


def _water_named_by_kind(text: str, centre: Entry, gazetteer: Gazetteer) -> Entry | None:
    """The water a bare kind word means in an article set on its shore: "the
    Gulf" of a story set in a Gulf port is the gulf on that port's coast.

    >>> _water_named_by_kind("Harbour", Entry("x", "X", "city", "PPL", "AA", "", 0, 0, 0), None) is None
    True
    """
    word = name_key(text)
    word = word.removeprefix("the ")
    if word not in _WATER_WORDS:
        return None
    for name in centre.coast:
        if word in name_key(name).split():
            water = next((e for e in gazetteer.lookup(name) if e.kind in ("sea", "ocean")), None)
            if water is not None:
                return water
    return None


_INITIALS_SPLIT = re.compile(r"[\s-]+")
_INITIALS_SKIPPED = frozenset({"of", "the", "and", "de", "del", "la"})


def _initials_of(name: str) -> str:
    """The capital initials of a name of two words or more, short words
    skipped; "" for one word.

    >>> _initials_of("Republic of the Zorblands"), _initials_of("Saint Zorb and Grenadines"), _initials_of("Zorbia")
    ('RZ', 'SZG', '')
    """
    words = [w for w in _INITIALS_SPLIT.split(name) if w and w.lower() not in _INITIALS_SKIPPED]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def _spelled_out_initials(text: str, mentions: Iterable[Mention]) -> Mention | None:
    """The first name the article writes in full whose initials a short
    capital form stands for: "Z&G" or "Z.G." after "Zorbia and Gallia".
    A reader meets the full name first, or at least somewhere in the same
    article; initials the article never spells out stay unread.

    >>> from geo.mentions import Mention
    >>> full = Mention(0, 17, "Zorbia and Gallia", "zorbia and gallia", 0)
    >>> _spelled_out_initials("Z&G", [full]).text, _spelled_out_initials("Z&G", []), _spelled_out_initials("ZG officials", [full])
    ('Zorbia and Gallia', None, None)
    """
    letters = text.replace("&", "").replace(".", "")
    if not (2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()):
        return None
    return next((m for m in mentions if not m.demonym and _initials_of(m.text) == letters), None)


_CENTRE_KM = 150.0  # places this close count for each other as an article's centre
_LEAD_PARAGRAPHS = 1  # the headline (paragraph 0) and the lead


def _centre_weight(mention: Mention) -> float:
    """How much a mention says about where an article is set: a news lead
    names its setting ("NAIROBI —", "Nairobi woke to rain"), a demonym
    ("Kenyan runners") says less than a place."""
    return (2.0 if mention.paragraph <= _LEAD_PARAGRAPHS else 1.0) * (0.5 if mention.demonym else 1.0)


def _article_centre(resolutions: tuple[Resolution, ...]) -> Entry | None:
    """The place an article is centred on: the country most of its names lie in,
    and there its most-named town or county, else division, else the country itself.

    Names count by how sure their reading is, so that a surname that happens
    to be a town's alternate name does not outweigh the places the article
    is about. A name the gazetteer lacks (a street, a building, a
    neighbourhood) is most likely there; placing it there beats placing it
    nowhere.
    """
    weights: Counter[str] = Counter()  # entry id -> confidence-weighted mentions
    entries: dict[str, Entry] = {}
    named: set[str] = set()  # entries named as places, not only as demonyms
    for resolution in resolutions:
        entry = resolution.best.entry
        weights[entry.id] += resolution.confidence * sum(_centre_weight(m) for m in resolution.mentions)
        entries[entry.id] = entry
        if not resolution.mentions[0].demonym:
            named.add(entry.id)
    countries: Counter[str] = Counter()
    for entry_id, weight in weights.items():
        if entries[entry_id].country_code:
            countries[entries[entry_id].country_code] += weight
    if not countries:
        return None
    country = min(countries, key=lambda code: (-countries[code], code))
    home = sorted(i for i in named if entries[i].country_code == country)  # sorted: sums in a fixed order, ties settle alike

    def support(entry_id: str) -> float:
        """A town's own weight and its neighbours': its division, places near it."""
        entry = entries[entry_id]
        near = sum(
            weights[i] for i in home
            if i != entry_id and (
                f"admin1:{entry.admin1}" == i
                or entries[i].kind == "city" and distance_km((entry.lat, entry.lon), (entries[i].lat, entries[i].lon)) <= _CENTRE_KM
            )
        )
        return weights[entry_id] + near

    for kinds in (("city", "county"), ("admin1",), ("country",)):  # a county is as local as a town
        found = [i for i in home if entries[i].kind in kinds]
        if found:
            return entries[min(found, key=lambda i: (-support(i), i))]
    return entries[min((i for i in entries if entries[i].country_code == country), key=lambda i: (-weights[i], i))]


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
