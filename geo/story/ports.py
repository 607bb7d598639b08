"""Port pressure: which ports the article says are squeezed or pressed.

A port is named ("Callao, the country’s main port"), owned ("its ports",
"our Atlantic ports" in a president's mouth, "the port areas of A", "A’s
ports") or implied ("The ports must be secured" after a sentence
about A). A named port is a place of the article; an owned or implied one is
a group inferred from the gazetteer: that country's largest coastal places,
on the coast the text names if it names one, marked ``inferred`` with its
members listed. The trend comes from the sentence's cues: shipments kept out,
amounts reduced -> down; new outlets, traffickers moving in, must be secured
-> up; neither or both -> steady.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..article import Article
from ..gazetteer import Entry, Gazetteer
from ..mentions import Mention
from ..places import Place, place_slug
from ..resolve import COASTAL_KM
from .evidence import Evidence, evidence_at
from .slots import SLOT, SlottedSentence, slot_ids
from .vocabulary import StoryVocabulary, vocabulary

__all__ = ["Pressure", "find_pressure", "infer_port_group"]

_GROUP_SIZE = 5
_GROUP_MIN_POPULATION = 50_000


@dataclass(frozen=True, slots=True)
class Pressure:
    """The pressure on a port (or port group) ``place``: ``up``, ``down`` or ``steady``."""

    id: str
    place: str
    trend: str
    evidence: tuple[Evidence, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Sighting:
    """One sentence's word about a port: a named place, or a country's (coast's) ports."""

    place: str  # a place id for a named port, "" for a group
    country: str  # the owning country's place id, for a group
    coast: str
    evidence: Evidence
    trend: str
    cues: tuple[str, ...]
    phrase: tuple[int, int]  # article span of the words naming the port(s)


def _port_regex(words: StoryVocabulary) -> re.Pattern[str]:
    # A sea the gazetteer knows, right before the port word, names the coast:
    # "⟨4⟩ ports" where ⟨4⟩ is the Atlantic.
    ports = "|".join(re.escape(w) for w in sorted(words.port_words, key=len, reverse=True))
    return re.compile(rf"(?:(?P<coast_slot>{SLOT})\s+)?\b(?P<port>{ports})\b", re.IGNORECASE)


def _coast(places: dict[str, Place], sentence: SlottedSentence, match: re.Match[str]) -> str:
    if match.group("coast_slot"):
        place = places[slot_ids(match.group("coast_slot"), sentence)[0]]
        if place.kind in ("sea", "ocean", "region"):
            return next((m.text for m in place.mentions), place.name)
    return ""


def _trend(text: str, words: StoryVocabulary) -> tuple[str, tuple[str, ...]]:
    down = [m.group() for cue in words.down for m in re.finditer(rf"\b{cue}\b", text, re.IGNORECASE)]
    up = [m.group() for cue in words.up for m in re.finditer(rf"\b{cue}\b", text, re.IGNORECASE)]
    trend = "up" if len(up) > len(down) else "down" if len(down) > len(up) else "steady"
    return trend, tuple(up + down)


def _kinds(places: dict[str, Place], sentence: SlottedSentence, slot: str) -> str:
    return places[sentence.places[int(slot)]].kind


def _speaker_country(article: Article, places: dict[str, Place], offset: int) -> str:
    """The country of the person quoted at ``offset`` ("our ports" is theirs)."""
    quote = article.quote_of(offset)
    if quote is None:
        return ""
    person = next((p for p in article.people if p.name == quote.speaker), None)
    if person is None or not person.affiliation:
        return ""
    for place in places.values():
        if place.kind == "country" and any(m.text == person.affiliation for m in place.mentions):
            return place.id
    return ""


def _owner(article, places, sentence: SlottedSentence, match: re.Match[str], previous_country: str) -> str:
    """The country whose ports a port word speaks of, or ``""``."""
    text = sentence.text
    before = text[: match.start()]
    after = text[match.end() :]
    of = re.match(rf"\s+(?:of|in) {SLOT}", after)
    if of and _kinds(places, sentence, of.group(1)) == "country":
        return sentence.places[int(of.group(1))]
    possessive = re.search(rf"{SLOT}(?:\u2019s|'s)\s+$", before)
    if possessive and _kinds(places, sentence, possessive.group(1)) == "country":
        return sentence.places[int(possessive.group(1))]
    if re.search(r"\b(?:our)\s+$", before, re.IGNORECASE):
        return _speaker_country(article, places, sentence.offset(match.start()))
    countries = [sentence.places[int(n)] for n in re.findall(SLOT, text) if _kinds(places, sentence, n) == "country"]
    if re.search(r"\b(?:its|their)\s+$", before, re.IGNORECASE):
        earlier = [sentence.places[int(n)] for n in re.findall(SLOT, before) if _kinds(places, sentence, n) == "country"]
        return earlier[-1] if earlier else previous_country
    if len(set(countries)) == 1:
        return countries[0]
    return previous_country if not countries else ""


def _named_ports(places, sentence: SlottedSentence, match: re.Match[str]) -> list[str]:
    """Cities the sentence calls ports: "⟨n⟩, the country’s main port", "port of ⟨n⟩"."""
    text = sentence.text
    named = []
    appositive = re.search(rf"{SLOT},?\s+(?:(?:the|a|an|its|their)\s+)?(?:[\w\u2019'-]+\s+){{0,5}}$", text[: match.start()])
    if appositive:
        named.append(appositive.group(1))
    of = re.match(rf"\s+(?:of|at|in)\s+{SLOT}", text[match.end() :])
    if of:
        named.append(of.group(1))
    especially = re.match(rf"[^.]{{0,40}}?\b(?:especially|notably|particularly|such as|including|like)\s+(?:at|in)?\s*{SLOT}", text[match.end() :])
    if especially:
        named.append(especially.group(1))
    return [sentence.places[int(n)] for n in named if _kinds(places, sentence, n) == "city"]


def _sightings(article: Article, places: dict[str, Place], sentences: tuple[SlottedSentence, ...]) -> list[_Sighting]:
    words = vocabulary()
    ports = _port_regex(words)
    found: list[_Sighting] = []
    last_country: dict[int, str] = {}
    for sentence in sentences:
        paragraph = sentence.sentence.paragraph
        for match in ports.finditer(sentence.text):
            offset = sentence.offset(match.start())
            evidence = evidence_at(article, offset)
            trend, cues = _trend(article.text[evidence.start : evidence.end], words)
            phrase = (sentence.offset(match.start()), sentence.offset(match.end()))
            named = _named_ports(places, sentence, match)
            owner = _owner(article, places, sentence, match, last_country.get(paragraph, ""))
            if named:
                for place_id in named:
                    found.append(_Sighting(place_id, "", "", evidence, trend, cues, phrase))
            elif owner:
                coast = _coast(places, sentence, match)
                found.append(_Sighting("", owner, coast, evidence, trend, cues, _phrase_start(article, sentence, match, phrase)))
        countries = [sentence.places[int(n)] for n in re.findall(SLOT, sentence.text) if _kinds(places, sentence, n) == "country"]
        if countries:
            last_country[paragraph] = countries[-1]
    return found


def _phrase_start(article: Article, sentence: SlottedSentence, match: re.Match[str], phrase: tuple[int, int]) -> tuple[int, int]:
    """Widen a port word to the words that own it: "our Atlantic ports", "The ports"."""
    before = re.search(r"\b(?:its|their|our|the|new)\s+$", sentence.text[: match.start()], re.IGNORECASE)
    start = sentence.offset(before.start()) if before else phrase[0]
    return (start, phrase[1])


def _mean_point(entries: tuple[Entry, ...]) -> tuple[float, float]:
    # Average on the sphere, so a group across the antimeridian stays put.
    x = y = z = 0.0
    for entry in entries:
        lat, lon = math.radians(entry.lat), math.radians(entry.lon)
        x += math.cos(lat) * math.cos(lon)
        y += math.cos(lat) * math.sin(lon)
        z += math.sin(lat)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return (lat, lon)


def infer_port_group(gazetteer: Gazetteer, country_code: str, coast: str = "") -> tuple[Entry, ...]:
    """A country's main coastal places (on ``coast`` if given): a port group's members."""
    coastal = [
        e
        for e in gazetteer.places(country_code, kinds=("city",), coast=coast or None, limit=200)
        if e.coast_km is not None and e.coast_km <= COASTAL_KM
    ]
    if coast:
        coastal = [e for e in coastal if any(coast.lower() in name.lower() for name in e.coast)]
    large = [e for e in coastal if e.population >= _GROUP_MIN_POPULATION]
    return tuple((large or coastal)[:_GROUP_SIZE])


def _group_place(article, gazetteer, country: Place, coast: str, sightings: list[_Sighting]) -> Place | None:
    members = infer_port_group(gazetteer, country.country_code, coast)
    if not members:
        return None
    lat, lon = _mean_point(members)
    name = f"{country.name}\u2019s {coast + ' ' if coast else ''}ports"
    mentions = tuple(
        Mention(a, b, article.text[a:b], "", article.paragraph_of(a)) for a, b in sorted({s.phrase for s in sightings})
    )
    return Place(
        id=place_slug(f"{country.id} {coast} ports"),
        name=name,
        kind="port_group",
        country_code=country.country_code,
        lat=lat,
        lon=lon,
        entry_id="",
        confidence=0.5,
        mentions=mentions,
        inferred=True,
        members=tuple(e.id for e in members),
        member_names=tuple(e.name for e in members),
        member_points=tuple((e.lat, e.lon) for e in members),
        country_name=country.name,
        evidence=tuple(sorted({(s.evidence.start, s.evidence.end) for s in sightings})),
    )


def find_pressure(
    article: Article, places: tuple[Place, ...], sentences: tuple[SlottedSentence, ...], gazetteer: Gazetteer
) -> tuple[tuple[Place, ...], tuple[Pressure, ...]]:
    """Port groups the article implies, and the pressure on every port it speaks of."""
    by_id = {p.id: p for p in places}
    sightings = _sightings(article, by_id, sentences)
    # "its ports, especially at Callao": the named port carries the sentence.
    named_sentences = {(s.evidence.start, by_id[s.place].country_code) for s in sightings if s.place}
    groups: dict[tuple[str, str], list[_Sighting]] = {}
    targets: dict[str, list[_Sighting]] = {}
    for sighting in sightings:
        if sighting.place:
            targets.setdefault(sighting.place, []).append(sighting)
        elif (sighting.evidence.start, by_id[sighting.country].country_code) not in named_sentences:
            groups.setdefault((sighting.country, sighting.coast), []).append(sighting)
    new_places = []
    for (country_id, coast), members in sorted(groups.items()):
        group = _group_place(article, gazetteer, by_id[country_id], coast, members)
        if group is not None:
            new_places.append(group)
            targets[group.id] = members
    pressures = []
    for place_id, seen in sorted(targets.items()):
        ranked = Counter(s.trend for s in seen if s.trend != "steady").most_common()
        # The majority of the sentences' trends; a tie is no trend.
        trend = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else "steady"
        pressures.append(
            Pressure(
                id=f"pressure:{place_id}",
                place=place_id,
                trend=trend,
                evidence=tuple(sorted({s.evidence for s in seen})),
                cues=tuple(dict.fromkeys(c for s in seen for c in s.cues)),
            )
        )
    return tuple(new_places), tuple(pressures)
