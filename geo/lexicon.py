"""The word lists of ``geo/data/lexicon.toml`` as one immutable value."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from ._assets import asset_path
from .errors import AssetError
from .names import name_key

__all__ = ["Lexicon", "lexicon"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    titles: frozenset[str]
    title_first_words: frozenset[str]
    max_title_words: int
    roles: frozenset[str]
    speech_verbs: frozenset[str]
    adverbs: frozenset[str]
    pronouns: frozenset[str]
    name_particles: frozenset[str]
    person_prepositions: frozenset[str]  # "to", "of": they take people as readily as places
    motion_words: frozenset[str]  # "flew", "trip": before "to" they make it a place again
    organisation_keywords: frozenset[str]
    organisation_connectors: frozenset[str]
    locative_prepositions: frozenset[str]
    not_places: frozenset[str]
    not_place_phrases: frozenset[str]
    place_prefixes: frozenset[str]
    place_suffixes: frozenset[str]
    landform_words: frozenset[str]
    descriptive_words: frozenset[str]  # lower case: "central", "lakes", "coast" (prefixes, landforms and the like)
    given_names: frozenset[str]
    surnames: frozenset[str]
    common_words: frozenset[str]  # lower case: "economy", "mission" (assets/words)
    demonym_places: Mapping[str, str]  # name key of a demonym -> the place's name
    abbreviations: Mapping[str, str]  # "Ore." -> "admin1:US-OR", read after a town and a comma


def _word_list(folder: str, name: str, tool: str) -> frozenset[str]:
    path = asset_path(folder, name)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as err:
        raise AssetError(f"word list {path} cannot be read ({err.strerror or err}); rebuild it with `python tools/{tool}`") from err
    return frozenset(line for line in lines if line and not line.startswith("#"))


@functools.cache
def lexicon() -> Lexicon:
    """The packaged lexicon (read once; the value is immutable).

    >>> "said" in lexicon().speech_verbs, "Colonel" in lexicon().titles
    (True, True)
    """
    raw = tomllib.loads(resources.files("geo").joinpath("data", "lexicon.toml").read_text("utf-8"))
    # Third-party word lists are assets, with their sources (assets/*/SOURCES.md).
    given = _word_list("names", "given_names.txt", "build_given_names.py")
    surnames = _word_list("names", "surnames.txt", "build_given_names.py")
    people, organisations, places = raw["people"], raw["organisations"], raw["places"]
    return Lexicon(
        titles=frozenset(people["titles"]),
        title_first_words=frozenset(title.split()[0] for title in people["titles"]),
        max_title_words=max(len(title.split()) for title in people["titles"]),
        roles=frozenset(people["roles"]),
        speech_verbs=frozenset(people["speech_verbs"]),
        adverbs=frozenset(people["adverbs"]),
        pronouns=frozenset(people["pronouns"]),
        name_particles=frozenset(people["name_particles"]),
        person_prepositions=frozenset(people["person_prepositions"]),
        motion_words=frozenset(people["motion_words"]),
        organisation_keywords=frozenset(organisations["keywords"]),
        organisation_connectors=frozenset(organisations["connectors"]),
        locative_prepositions=frozenset(places["locative"]),
        not_places=frozenset(places["not_places"]),
        not_place_phrases=frozenset(places["not_place_phrases"]),
        place_prefixes=frozenset(places["prefixes"]),
        place_suffixes=frozenset(places["suffixes"]),
        landform_words=frozenset(places["landforms"]),
        descriptive_words=frozenset(
            word.lower() for word in (*places["prefixes"], *places["landforms"], *places["descriptive"])
        ),
        given_names=given,
        surnames=surnames,
        common_words=_word_list("words", "common_english.txt", "build_common_words.py"),
        demonym_places=MappingProxyType({name_key(word): place for word, place in raw["demonyms"].items()}),
        abbreviations=MappingProxyType(dict(raw["abbreviations"])),
    )
