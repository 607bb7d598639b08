"""Places of the seed against the gold reading, and each recognition rule on our own sentences."""

from __future__ import annotations

import pytest

from geo.article import read_article
from geo.coords import distance_km
from geo.names import name_key
from geo.places import find_places

# The port groups are inferred by the story stage (tests/test_story.py).
_STORY_ONLY = {"port_group"}


def _required(gold):
    return [p for p in gold["places"]["required"] if p["kind"] not in _STORY_ONLY]


def _match(places, expected):
    """Our place for a gold place: the one nearest its reference point with its country."""
    same_country = [p for p in places if p.country_code == expected["country_code"] and p.kind == expected["kind"]]
    return min(same_country, key=lambda p: distance_km((p.lat, p.lon), tuple(expected["ref"])), default=None)


def test_every_required_place_is_within_tolerance(seed_places, gold):
    for expected in _required(gold):
        place = _match(seed_places, expected)
        assert place is not None, f"{expected['id']} not found"
        error = distance_km((place.lat, place.lon), tuple(expected["ref"]))
        assert error <= expected["tol_km"], f"{expected['id']} is {error:.0f} km off"


def test_required_places_are_mentioned_where_gold_says(seed_places, gold):
    for expected in _required(gold):
        place = _match(seed_places, expected)
        paragraphs = {m.paragraph for m in place.mentions}
        assert set(expected["mentions_in_paragraphs"]) <= paragraphs, expected["id"]


def test_nothing_in_must_not_map_is_a_place(seed_places, gold):
    forbidden = {name_key(name) for name in gold["places"]["must_not_map"]}
    for place in seed_places:
        for mention in place.mentions:
            assert name_key(mention.text) not in forbidden, f"{mention.text!r} became {place.id}"


def test_every_place_is_a_gold_place(seed_places, gold):
    """No stray places: each one we map is required or optional in the gold file."""
    allowed = gold["places"]["required"] + gold["places"]["optional"]
    for place in seed_places:
        assert any(
            name_key(place.name).startswith(name_key(expected["name"]).split()[0]) for expected in allowed
        ), place.name


def test_the_traps(seed_places):
    by_id = {p.id: p for p in seed_places}
    assert distance_km((by_id["buenaventura"].lat, by_id["buenaventura"].lon), (3.8801, -77.0312)) < 10
    assert by_id["madrid"].country_code == "ES"
    assert by_id["esmeraldas_province"].country_code == "EC" and by_id["esmeraldas_province"].kind == "admin1"
    assert by_id["washington_dc"].country_code == "US"


def test_demonyms_count_as_mentions(seed_places):
    by_id = {p.id: p for p in seed_places}
    assert {m.paragraph for m in by_id["colombia"].mentions if m.demonym} == {1, 6, 8}
    assert {m.paragraph for m in by_id["ecuador"].mentions if m.demonym} == {7}
    assert all(m.demonym for m in by_id["mexico"].mentions)


def test_every_decision_keeps_its_candidates_and_reasons(seed_places):
    madrid = next(p for p in seed_places if p.id == "madrid")
    assert len(madrid.candidates) > 1
    assert any(c.entry.country_code == "CO" for c in madrid.candidates)
    assert madrid.candidates[0].score > madrid.candidates[1].score
    assert all(c.reasons for c in madrid.candidates)


def test_quotes_attach_to_the_places_they_name(seed_article, seed_places):
    by_id = {p.id: p for p in seed_places}
    texts = [seed_article.quote_text(q) for q in by_id["madrid"].quotes(seed_article)]
    assert texts and texts[0].startswith("The head honchos")


def _names(text: str, gazetteer) -> dict[str, str]:
    return {p.name: p.country_code for p in find_places(read_article(text), gazetteer=gazetteer)}


def test_person_who_shares_a_name_with_a_town_is_not_a_place(gazetteer):
    assert any(e.country_code == "CO" for e in gazetteer.lookup("Florencia")), "a Colombian city is called Florencia"
    names = _names("Headline\nGeneral Marco Florencia spoke in Quito. Florencia also says the army left.", gazetteer)
    assert names == {"Quito": "EC"}


def test_organisation_named_after_a_region_is_not_a_place(gazetteer):
    names = _names("Headline\nShe teaches at the Latin America Security College and the Andes Institute in Lima.", gazetteer)
    assert names == {"Lima": "PE"}


def test_multiword_possessive_and_province_forms(gazetteer):
    names = _names("Headline\nSanta Marta’s port and Esmeraldas Province were busy; Rio de Janeiro was quiet.", gazetteer)
    assert names == {"Santa Marta": "CO", "Esmeraldas Province": "EC", "Rio de Janeiro": "BR"}


def test_qualified_name_takes_the_qualifier(gazetteer):
    assert _names("Headline\nThe fair opened in Madrid, Colombia, on Sunday.", gazetteer)["Madrid"] == "CO"


def test_world_cities_listed_together(gazetteer):
    names = _names("Headline\nColombian police said the bosses live in Valencia, Madrid and Dubai.", gazetteer)
    assert names["Valencia"] == "ES" and names["Madrid"] == "ES" and names["Dubai"] == "AE"


def test_article_countries_pull_ambiguous_towns(gazetteer):
    names = _names("Headline\nEcuador and Peru signed the deal. Ships left San Lorenzo at dawn.", gazetteer)
    assert names["San Lorenzo"] in {"EC", "PE"}


def test_common_capitalised_words_are_not_places(gazetteer):
    names = _names("Headline\nYes, said the Army on Tuesday. Army units left the army base.", gazetteer)
    assert names == {}


def test_us_abbreviation_needs_capitals(gazetteer):
    assert _names("Headline\nThe U.S. sent aid.", gazetteer) == {"United States": "US"}
    assert _names("Headline\nLet us go.", gazetteer) == {}


def test_place_the_gazetteer_lacks_is_skipped_not_an_error(gazetteer):
    assert _names("Headline\nThey met in Xqzzyborough and Quito.", gazetteer) == {"Quito": "EC"}


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "${alert(3)}", "C:\\x", "</script>"])
def test_markup_in_text_is_just_text(gazetteer, hostile):
    names = _names(f"Headline {hostile}\nShips left Manta {hostile} for Guayaquil.", gazetteer)
    assert names == {"Manta": "EC", "Guayaquil": "EC"}
