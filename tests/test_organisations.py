"""Organisations hide the places in their names."""

from __future__ import annotations

from geo.article import read_article


def test_seed_organisations(seed_article):
    names = {o.name: o.acronym for o in seed_article.organisations}
    assert names["Latin America Security College"] == ""
    assert names["Ecuador Center for Strategic Intelligence"] == "CIES"


def test_organisation_named_after_a_region():
    article = read_article("Headline\nShe studied at the Andes Regional University of Bolivia in La Paz.")
    (organisation,) = article.organisations
    assert organisation.name == "Andes Regional University of Bolivia"


def test_preposition_before_an_organisation_is_not_part_of_it():
    article = read_article("Headline\nIn Colombia Police said nothing.")
    (organisation,) = article.organisations
    assert organisation.name == "Colombia Police"


def test_place_words_alone_are_no_organisation():
    assert read_article("Headline\nShips left Buenaventura for Esmeraldas Province.").organisations == ()
