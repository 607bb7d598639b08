"""General recognition rules (measured on GeoWebNews, tested here on sentences of our own)."""

from __future__ import annotations

import pytest

from geo.article import read_article
from geo.places import demonym_entry, find_places, locate_spans, toponyms
from geo.resolve import rank


def _places(text: str, gazetteer) -> dict[str, str]:
    return {p.name: p.country_code for p in find_places(read_article(text), gazetteer=gazetteer)}


def test_a_known_given_name_marks_a_person(gazetteer):
    article = read_article("H\nThe report by Barry Lindqvist was published. Lindqvist is a geologist in Oslo.")
    assert [p.name for p in article.people] == ["Barry Lindqvist"]
    assert _places(article.text, gazetteer) == {"Oslo": "NO"}


def test_a_place_that_speaks_is_still_a_place(gazetteer):
    assert _places("H\nTamil Nadu said the river water must be shared. Kerala agreed.", gazetteer) == {"Tamil Nadu": "IN", "Kerala": "IN"}


def test_titled_people_stay_people_even_when_named_like_places(gazetteer):
    assert _places("H\nGeneral Marco Florencia spoke in Quito.", gazetteer) == {"Quito": "EC"}


def test_place_based_compounds_name_the_place(gazetteer):
    assert _places("H\nThe Oslo-based firm expanded.", gazetteer) == {"Oslo": "NO"}


def test_county_and_compass_words_widen_the_name(gazetteer):
    mentions = [t.mention.text for t in toponyms(read_article("H\nFires hit Orange County and Northern Ontario."), gazetteer=gazetteer)]
    assert "Orange County" in mentions and "Northern Ontario" in mentions


def test_all_capital_acronyms_are_not_towns(gazetteer):
    assert _places("H\nNATO met in Brussels; the US and the UAE sent envoys.", gazetteer) == {
        "Brussels": "BE",
        "United States": "US",
        "United Arab Emirates": "AE",
    }


def test_names_inside_organisations_are_toponyms_but_not_places(gazetteer):
    article = read_article("H\nThe Jamaica Cancer Society met in Kingston.")
    assert _places(article.text, gazetteer) == {"Kingston": "JM"}
    embedded = [t for t in toponyms(article, gazetteer=gazetteer) if t.mention.embedded]
    assert [t.mention.text for t in embedded] == ["Jamaica"] and embedded[0].entry.country_code == "JM"


def test_place_adjectives_reach_their_place(gazetteer):
    assert demonym_entry("European", gazetteer).kind == "continent"
    assert demonym_entry("Philippine", gazetteer).country_code == "PH"
    assert demonym_entry("Peruvian", gazetteer).country_code == "PE"
    assert demonym_entry("Tuesday", gazetteer) is None and demonym_entry("", gazetteer) is None


def test_unsupported_single_words_read_as_hamlets_are_dropped(gazetteer):
    assert _places("H\nResearch shows the Star team won.", gazetteer) == {}


def test_a_small_town_the_text_places_is_kept(gazetteer):
    small = next(e for e in gazetteer.lookup("Lamas") if e.country_code == "PE")
    assert small.population < 20_000
    assert _places("H\nFarmers in Lamas protested.", gazetteer) == {"Lamas": "PE"}


def _located(text: str, *names: str, gazetteer):
    article = read_article(text)
    spans = tuple((article.text.index(n), article.text.index(n) + len(n)) for n in names)
    return locate_spans(article, spans, gazetteer=gazetteer)


def test_located_spans_fall_back_to_the_known_part(gazetteer):
    orange, ontario, central = _located(
        "H\nFires in Orange County, Northern Ontario and Central American towns.",
        "Orange County", "Northern Ontario", "Central American",
        gazetteer=gazetteer,
    )
    assert orange is not None and orange.country_code == "US"
    assert ontario is not None and ontario.id == "admin1:CA-ON"
    assert central is not None and central.kind == "region"


def test_located_span_the_gazetteer_lacks_is_nowhere(gazetteer):
    assert _located("H\nWe met on Xqzzy Street.", "Xqzzy Street", gazetteer=gazetteer) == (None,)


def test_a_street_the_gazetteer_lacks_is_put_where_the_article_is(gazetteer):
    (street,) = _located("H\nCrowds filled Xqzzy Street in Arequipa. Arequipa police watched.", "Xqzzy Street", gazetteer=gazetteer)
    assert street is not None and street.name == "Arequipa"


def test_a_country_name_is_the_country_not_its_capital(gazetteer):
    assert _places("H\nTrade with Mexico grew.", gazetteer) == {"Mexico": "MX"}
    assert next(p for p in find_places(read_article("H\nTrade with Mexico grew."), gazetteer=gazetteer)).kind == "country"


def test_a_demonym_beats_a_hamlet_of_the_same_name(gazetteer):
    places = find_places(read_article("H\nCanadian troops arrived in Riga."), gazetteer=gazetteer)
    assert {(p.name, p.kind) for p in places} == {("Canada", "country"), ("Riga", "city")}


def test_a_bare_ocean_name_is_the_ocean(gazetteer):
    (place,) = find_places(read_article("H\nStorms crossed the Atlantic."), gazetteer=gazetteer)
    assert place.kind == "ocean"


def test_two_word_place_adjectives(gazetteer):
    places = find_places(read_article("H\nCentral American migrants met South African envoys."), gazetteer=gazetteer)
    assert {(p.name, p.kind) for p in places} == {("Central America", "region"), ("South Africa", "country")}


def test_a_lone_first_name_or_common_surname_is_a_person_not_a_hamlet(gazetteer):
    assert _places("H\nBarry left early; Johnson stayed in Lima.", gazetteer) == {"Lima": "PE"}


def test_elided_particles_stay_inside_a_name(gazetteer):
    assert _places("H\nCocoa from Côte d’Ivoire reached Lima.", gazetteer) == {"Côte d'Ivoire": "CI", "Lima": "PE"}


def test_a_name_does_not_vouch_for_itself(gazetteer):
    (place,) = find_places(read_article("H\nIt rained in Arequipa."), gazetteer=gazetteer)
    assert not any("from another place" in reason for reason, _ in place.candidates[0].reasons)


def test_a_long_article_reads_in_one_pass(gazetteer):
    # Two thousand paragraphs: the sentence and paragraph look-ups bisect, and
    # list readings are grouped by sentence, so this stays linear.
    text = "H\n" + "\n".join(f"Ships left Lima for Callao, Arequipa and Cusco on day {n}." for n in range(2000))
    places = find_places(read_article(text), gazetteer=gazetteer)
    assert {p.name for p in places} == {"Lima", "Callao", "Arequipa", "Cusco"}
    assert len(next(p for p in places if p.name == "Cusco").mentions) == 2000


def test_capitals_in_a_shouted_headline_are_just_words(gazetteer):
    assert _places("FLOODS SURGE IN LIMA AS RIVERS RISE\nThe rivers rose overnight.", gazetteer) == {"Lima": "PE"}
    assert _places("Floods in Lima\nThe US and the UK sent help.", gazetteer) == {"Lima": "PE", "United States": "US", "United Kingdom": "GB"}


def test_weather_phrases_are_not_places_nor_their_words(gazetteer):
    assert _places("H\nLa Niña brought rain to Lima.", gazetteer) == {"Lima": "PE"}


def test_a_capitals_dateline_names_a_city(gazetteer):
    assert _places("H\nLIMA (Wire) — Rain fell on the city.", gazetteer) == {"Lima": "PE"}


def test_plural_place_adjectives(gazetteer):
    places = find_places(read_article("H\nEuropeans and Peruvians met in Quito."), gazetteer=gazetteer)
    assert {p.name for p in places} == {"Europe", "Peru", "Quito"}


def test_a_house_that_speaks_for_a_government_is_no_place(gazetteer):
    assert _places("H\nThe White House said the talks in Lima went well.", gazetteer) == {"Lima": "PE"}


def test_a_well_known_place_inside_a_longer_name_places_it(gazetteer):
    bank, festival = _located(
        "H\nThe Reserve Bank of India met as the Nairobi Film Festival opened.",
        "Reserve Bank of India", "Nairobi Film Festival",
        gazetteer=gazetteer,
    )
    assert bank is not None and bank.id == "country:IN"
    assert festival is not None and festival.name == "Nairobi"


def test_a_small_town_inside_a_longer_name_is_not_trusted(gazetteer):
    # Clayton is a small town in several countries: the school is put where the article is.
    assert all(e.population < 100_000 for e in gazetteer.lookup("Clayton") if e.kind == "city")
    (school,) = _located(
        "H\nPupils of Clayton High School marched in Arequipa. Arequipa police watched.",
        "Clayton High School",
        gazetteer=gazetteer,
    )
    assert school is not None and school.name == "Arequipa"


def test_generic_words_inside_a_longer_name_are_not_places(gazetteer):
    (centre,) = _located("H\nThe North Visitor Centre opened in Arequipa.", "North Visitor Centre", gazetteer=gazetteer)
    assert centre is not None and centre.name == "Arequipa"


def test_a_news_lead_outweighs_demonyms_for_the_articles_centre(gazetteer):
    # Nairobi is named once, in the lead; Texas and a demonym come later.
    # Counted flat, the US would win (two against one); the lead counts double
    # and a demonym half.
    (lane,) = _located(
        "H\nNairobi woke to rain.\nTraffic stopped on Xqzzy Lane. Visitors from Texas and American tourists waited.",
        "Xqzzy Lane",
        gazetteer=gazetteer,
    )
    assert lane is not None and lane.name == "Nairobi"


def test_a_towns_former_name_is_a_weaker_reading(gazetteer):
    ranked = {c.entry.country_code: c for c in rank(gazetteer.lookup("Madras"), "Madras")}
    alternate = "bears this name only as an alternate name"
    assert alternate in dict(ranked["IN"].reasons)
    assert alternate not in dict(ranked["US"].reasons)


def test_project_demonyms_reach_nations_within_states(gazetteer):
    assert demonym_entry("Welsh", gazetteer).id == "admin1:GB-WLS"
    assert demonym_entry("Scottish", gazetteer).id == "admin1:GB-SCT"
    assert demonym_entry("Bavarian", gazetteer).id == "admin1:DE-BY"


def test_each_part_of_a_hyphenated_pair_is_a_place(gazetteer):
    places = find_places(read_article("H\nShelling hit the Peruvian-Bolivian border on the Lima-Quito road."), gazetteer=gazetteer)
    assert {p.name for p in places} == {"Peru", "Bolivia", "Lima", "Quito"}


def test_a_lower_case_role_before_a_name_marks_a_person(gazetteer):
    # Tyler and Nancy are cities too; "his brother" and "cashier" say these are people.
    assert _places("H\nHis brother Tyler Brandt and cashier Nancy Oakes left Lima.", gazetteer) == {"Lima": "PE"}


def test_a_person_like_name_is_a_place_where_the_text_puts_it(gazetteer):
    # "Harris" is a common surname: alone it is a person, in "Harris County" a place.
    assert _places("H\nHarris left early.", gazetteer) == {}
    assert "Harris County" in [t.mention.text for t in toponyms(read_article("H\nThe ticket was sold in Harris County."), gazetteer=gazetteer)]


def test_state_abbreviations_after_a_town_and_a_comma(gazetteer):
    article = read_article("H\nA boy drowned in Bend, Ore., on Monday. Parishioners went to Mass.")
    found = {t.mention.text: t.entry.id for t in toponyms(article, gazetteer=gazetteer)}
    assert found.get("Ore.") == "admin1:US-OR"
    assert "Mass." not in found and "Mass" not in found
    (bend,) = [p for p in find_places(article, gazetteer=gazetteer) if p.name == "Bend"]
    assert bend.entry.admin1 == "US-OR"


def test_a_word_read_only_as_a_towns_alternate_name_needs_support(gazetteer):
    # "Madras" is Chennai's former name; alone in a sentence about a person it is dropped.
    assert _places("H\nMadras smiled at the camera.", gazetteer) == {}
    assert _places("H\nShe grew up in Madras.", gazetteer) == {"Madras": "IN"}


def test_of_does_not_put_a_hamlet_on_the_map(gazetteer):
    # Commerce, California is a town; "Department of Commerce" is not in it.
    assert any(e.kind == "city" for e in gazetteer.lookup("Commerce"))
    assert _places("H\nThe Department of Commerce met in Lima.", gazetteer) == {"Lima": "PE"}


def test_contractions_are_not_towns(gazetteer):
    assert _places("H\nWe're leaving Lima, she said. We’re tired.", gazetteer) == {"Lima": "PE"}


def test_a_city_of_millions_carries_its_size_as_a_reason(gazetteer):
    # News means the capital by "London" unless the text points elsewhere:
    # its size is a reason of its own, which a Kentucky namesake lacks.
    ranked = rank(gazetteer.lookup("London"), "London")
    big = "a city of a million or more"
    assert ranked[0].entry.country_code == "GB" and big in dict(ranked[0].reasons)
    assert all(big not in dict(c.reasons) for c in ranked if c.entry.country_code == "US")


def test_a_capitals_dateline_with_a_comma_names_even_a_small_town(gazetteer):
    # Bend, Oregon is far below the size an all-capitals word needs elsewhere.
    found = {t.mention.text: t.entry.id for t in toponyms(read_article("H\nBEND, Ore. -- Snow closed the pass."), gazetteer=gazetteer)}
    assert found["BEND"].startswith("geonames:") and found["Ore."] == "admin1:US-OR"


def test_a_capitalised_word_before_a_country_is_not_a_first_name(gazetteer):
    text = "H\nConsidering Peru’s offer, the envoys waited. Peru said it would wait."
    assert _places(text, gazetteer) == {"Peru": "PE"}
    assert len(next(p for p in find_places(read_article(text), gazetteer=gazetteer)).mentions) == 2


def test_a_small_town_inside_an_organisation_counts_when_named_alone_too(gazetteer):
    assert all(e.population < 100_000 for e in gazetteer.lookup("Lamas"))

    def embedded(text):
        return [t.mention.text for t in toponyms(read_article(text), gazetteer=gazetteer) if t.mention.embedded]

    assert embedded("H\nThe Lamas Walkers Club met in Lamas.") == ["Lamas"]
    assert embedded("H\nThe Lamas Walkers Club met.") == []


def test_a_county_or_department_after_a_town_qualifies_it(gazetteer):
    # Isère is a department (below the top-level region): it still says which Vienne.
    places = find_places(read_article("H\nThe festival in Vienne, Isère, drew crowds."), gazetteer=gazetteer)
    vienne = next(p for p in places if p.name == "Vienne")
    assert vienne.country_code == "FR" and vienne.entry.admin1 == "FR-ARA"


def test_world_cities_stay_world_cities_when_their_companions_are_sure(gazetteer):
    # Rome and Dubai are read confidently; that must not make Italy and the
    # Emirates "countries the article is about" and so take Houston's listing away.
    places = find_places(read_article("H\nPeruvian police said the bosses live in Houston, Rome and Dubai."), gazetteer=gazetteer)
    houston = next(p for p in places if p.name == "Houston")
    assert "a world city, listed with other world cities" in dict(houston.candidates[0].reasons)


def test_a_name_with_its_qualifier_bears_the_name(gazetteer):
    (place,) = find_places(read_article("H\nTalks in Washington, D.C. ended."), gazetteer=gazetteer)
    assert place.country_code == "US"
    assert "bears this name only as an alternate name" not in dict(place.candidates[0].reasons)


def test_a_demonym_naming_a_landform_covers_both_words(gazetteer):
    found = [(t.mention.text, t.entry.country_code) for t in toponyms(read_article("H\nTalks on the Korean Peninsula resumed."), gazetteer=gazetteer)]
    assert found == [("Korean Peninsula", "KR")]


def test_a_former_name_means_the_town_bearing_it_in_the_articles_country(gazetteer):
    # "Bombay" is a big Indian city's former name and a village's own name in New Zealand.
    assert {e.country_code for e in gazetteer.lookup("Bombay")} >= {"IN", "NZ"}
    assert _places("H\nShe grew up in Bombay.", gazetteer) == {"Bombay": "IN"}
    (bombay,) = [
        p for p in find_places(read_article("H\nNew Zealand farmers in Bombay reported rain on Monday."), gazetteer=gazetteer)
        if p.name == "Bombay"
    ]
    assert bombay.country_code == "NZ"
    mumbai = next(c for c in bombay.candidates if c.entry.country_code == "IN")
    assert ("another place bears this name as its own", -2.0) in mumbai.reasons


def test_a_short_form_of_mount_is_the_towns_own_name(gazetteer):
    (candidate, *_) = rank(gazetteer.lookup("Mt. Vernon"), "Mt. Vernon")
    assert candidate.entry.name == "Mount Vernon"
    assert "bears this name only as an alternate name" not in dict(candidate.reasons)


def test_a_small_division_does_not_outrank_a_city_of_its_name(gazetteer):
    entries = gazetteer.lookup("Toledo")
    division = next(e for e in entries if e.kind == "admin1" and 0 < e.population)
    assert any(e.kind == "city" and e.population > division.population for e in entries)
    best = rank(entries, "Toledo")[0]
    assert best.entry.kind == "city"
    assert dict(rank((division,), "Toledo")[0].reasons)["a first-level division"] == 2.0  # alone, it keeps its prior
    division_reasons = dict(next(c for c in rank(entries, "Toledo") if c.entry == division).reasons)
    assert "a first-level division" not in division_reasons
    assert division_reasons["a division smaller than a town of this name: no division prior"] == 0.0
    # Only towns bearing the name count: Tokyo's old name "Edo" leaves Edo State its division prior.
    edo_state = next(c for c in rank(gazetteer.lookup("Edo"), "Edo") if c.entry.id == "admin1:NG-ED")
    assert ("a first-level division", 2.0) in edo_state.reasons


def test_a_generic_word_ending_a_name_is_no_demonym(gazetteer):
    (span,) = _located("H\nHikers crossed the Zorblat Mountains.", "Zorblat Mountains", gazetteer=gazetteer)
    assert span is None
    # Nor alone.
    assert _places("H\nHikers crossed the Mountains.", gazetteer) == {}
    (alone,) = _located("H\nHikers crossed the Mountains.", "Mountains", gazetteer=gazetteer)
    assert alone is None


def test_an_empty_span_reads_as_nothing_and_goes_to_the_centre(gazetteer):
    (span,) = locate_spans(read_article("H\nRain fell on Arequipa."), ((2, 2),), gazetteer=gazetteer)
    assert span is not None and span.name == "Arequipa"  # like any span the gazetteer cannot read


def test_a_hamlet_abroad_is_not_where_an_article_elsewhere_is(gazetteer):
    # Tonopah's only reading is a small town in the United States; the article is about Queensland.
    text = "H\nFloods cut the road from Brisbane to Townsville in Queensland. In Tonopah, residents waited."
    (hamlet,) = _located(text, "Tonopah", gazetteer=gazetteer)
    assert hamlet is not None and hamlet.country_code == "AU"
    assert "Tonopah" not in _places(text, gazetteer)
    # Named with its own country, it stands.
    assert _places("H\nFloods cut the road from Brisbane to Townsville. In Tonopah, Nevada, residents waited.", gazetteer)["Tonopah"] == "US"
    # Alone, nothing speaks against it.
    assert _places("H\nIn Tonopah, residents waited.", gazetteer) == {"Tonopah": "US"}


def test_a_division_named_by_a_descriptive_word_needs_its_country(gazetteer):
    plateau = gazetteer.lookup("Plateau")
    assert plateau and all(e.kind == "admin1" and e.population < 1_000_000 for e in plateau)
    (abroad,) = _located("H\nTourists left Brisbane for the Plateau in Queensland.", "Plateau", gazetteer=gazetteer)
    assert abroad is not None and abroad.country_code == "AU"
    (home,) = _located("H\nFarmers in the Nigerian north said the Plateau had rain.", "Plateau", gazetteer=gazetteer)
    assert home is not None and home.id.startswith("admin1:NG")


def test_divisions_and_their_abbreviations_stay_beside_places_abroad(gazetteer):
    # Names that are also words of the frequency list ("vermont", "tasmania")
    # and short forms are no coincidence: the article naming another country
    # does not remove them.
    assert _places("H\nOslo officials flew to Vermont on Monday.", gazetteer)["Vermont"] == "US"
    assert _places("H\nThe Lyon agency sent teams to Tasmania.", gazetteer)["Tasmania"] == "AU"
    assert _places("H\nFloods in QLD worried insurers in Leeds.", gazetteer)["QLD"] == "AU"
    assert _places("H\nNigerian governors met in Edo on Monday.", gazetteer)["Edo"] == "NG"  # not Tokyo's old name
    # A big division by its abbreviation points to its country for the rest of the article.
    (town,) = _located("H\nQLD police said Tonopah roads were shut.", "Tonopah", gazetteer=gazetteer)
    assert town is not None and town.country_code == "AU"


def test_a_division_named_also_as_a_town_elsewhere_still_places_its_towns(gazetteer):
    # "Indiana" is a town in Pennsylvania and in Peru too; once read as the
    # state, it says which Richmond the article means.
    assert {e.country_code for e in gazetteer.lookup("Indiana")} > {"US"}
    (town,) = [p for p in find_places(read_article("H\nStorms hit Indiana on Monday. In Richmond, roads closed."), gazetteer=gazetteer) if p.name == "Richmond"]
    assert town.candidates[0].entry.admin1 == "US-IN"
    assert ("in US-IN, a division the article names", 1.5) in town.candidates[0].reasons


def test_divisions_named_together_share_their_weight(gazetteer):
    text = "H\nStorms hit Indiana and Maine on Monday. In Richmond, roads closed."
    (town,) = [p for p in find_places(read_article(text), gazetteer=gazetteer) if p.name == "Richmond"]
    in_indiana = next(c for c in town.candidates if c.entry.admin1 == "US-IN")
    assert ("in US-IN, a division the article names", 0.75) in in_indiana.reasons
    assert town.candidates[0].entry.population > in_indiana.entry.population  # a state capital six times its size wins


def test_a_countrys_name_is_the_country_not_its_division_of_that_name(gazetteer):
    text = "H\nGuatemalan officials said Guatemala would act. Guatemalans agreed, a Guatemalan minister said."
    (place,) = [p for p in find_places(read_article(text), gazetteer=gazetteer) if p.name == "Guatemala"]
    assert place.kind == "country"
    division = next(c for c in place.candidates if c.entry.kind == "admin1" and c.entry.country_code == "GT")
    # The demonyms speak for the country, not for its department of the same name.
    assert not any("a country the article is about" in reason for reason, _ in division.reasons)


def test_a_street_named_after_a_place_is_where_the_article_is(gazetteer):
    (street,) = _located(
        "H\nCrowds filled Tasmania Avenue in Arequipa. Arequipa police watched.", "Tasmania Avenue", gazetteer=gazetteer
    )
    assert street is not None and street.name == "Arequipa"
    for street in ("Tasmania Rd", "Tasmania St.", "Tasmania Blvd"):
        (located,) = _located(f"H\nCrowds filled {street} in Arequipa. Arequipa police watched.", street, gazetteer=gazetteer)
        assert located is not None and located.name == "Arequipa", street
    # A county, unlike a street, is about the place it is named for.
    (county,) = _located("H\nFires spread in Tasmania County.", "Tasmania County", gazetteer=gazetteer)
    assert county is not None and county.country_code == "AU"


def test_a_state_code_that_is_also_a_word_needs_its_town(gazetteer):
    # The article writes "in" in lower case, so a bare "IN" is the word, not Indiana.
    assert _places("H\nRISE IN RENTS. Shops in the east did well.", gazetteer) == {}
    # Nor after "in": the word may be an acronym there too.
    assert _places("H\nResearch in ME has lagged, patients said. Tell me more.", gazetteer) == {}
    qualified = toponyms(read_article("H\nShops in Kokomo, IN did well."), gazetteer=gazetteer)
    assert {t.mention.text: t.entry.id for t in qualified if t.entry is not None}["IN"] == "admin1:US-IN"


def test_a_state_code_before_a_number_is_a_code(gazetteer):
    assert _places("H\nThe gang TX-9 was named in the report.", gazetteer) == {}
    # A place's name with a year is still the place.
    assert _places("H\nThe Oslo-2024 and Lyon-2030 bids were heard.", gazetteer) == {"Oslo": "NO", "Lyon": "FR"}


def test_words_of_web_addresses_are_not_the_articles_lower_case(gazetteer):
    # "ns" appears only inside an address: "NS" stays Nova Scotia.
    text = "H\nNS crews fought fires. See https://www.example.gov.ns.ca for maps."
    assert _places(text, gazetteer).get("NS") == "CA"


def test_a_known_persons_bare_surname_is_the_person_not_the_town(gazetteer):
    assert any(e.population > 100_000 for e in gazetteer.lookup("Sheffield"))
    text = "H\nThe board hired Sarah Sheffield as chief. Sheffield said the plan would work."
    assert "Sheffield" not in _places(text, gazetteer)
    # A country keeps its name even as a surname.
    assert _places("H\nThe panel heard Mark Chad. Chad said talks would resume.", gazetteer) == {"Chad": "TD"}


def test_a_place_a_short_drive_from_another_counts_more_than_one_in_the_region(gazetteer):
    def nearby_reason(text):
        (place,) = [p for p in find_places(read_article(text), gazetteer=gazetteer) if p.name == "Trujillo"]
        assert place.country_code == "PE"
        return [value for reason, value in place.candidates[0].reasons if "km from another place" in reason]

    assert nearby_reason("H\nFloods hit Trujillo on Monday. In Huanchaco, roads closed.") == [2.0]  # about 10 km
    assert nearby_reason("H\nFloods hit Trujillo on Monday. In Chiclayo, roads closed.") == [1.0]  # about 190 km


def test_a_town_read_surely_is_an_anchor_for_its_neighbours(gazetteer):
    # "Trujillo" has readings in several countries, so it is no anchor at
    # first; read surely as Peru's, it places "El Porvenir" beside it.
    assert len({e.country_code for e in gazetteer.lookup("Trujillo")}) > 1
    text = "H\nPolice in Trujillo, Peru, said the march reached El Porvenir by noon."
    (place,) = [p for p in find_places(read_article(text), gazetteer=gazetteer) if p.name == "El Porvenir"]
    assert place.country_code == "PE"
    assert [value for reason, value in place.candidates[0].reasons if "km from another place" in reason] == [2.0]


def test_words_of_a_headline_in_capitals_are_words(gazetteer):
    # "HIT" is a small town's name and "RIVERS" a state's: in capitals they are still words.
    assert _places("FLOODS HIT LYON AS RIVERS RISE\nThe water rose.", gazetteer) == {"Lyon": "FR"}


def test_spans_holding_the_articles_only_names_go_where_those_names_are(gazetteer):
    # Nothing outside the spans is readable: the names inside them are the article's only clue.
    text = "H\nResidents of Ardmore and Kilbride Ward met their councillor. The Ardmore and Kilbride Ward has no library."
    article = read_article(text)
    first = text.index("Ardmore")
    second = text.index("Ardmore", first + 1)
    length = len("Ardmore and Kilbride Ward")
    spans = ((first, first + length), (second, second + length))
    inner = {t.entry.id for t in toponyms(article, gazetteer=gazetteer) if t.entry is not None}
    assert len(inner) == 1
    located = locate_spans(article, spans, gazetteer=gazetteer)
    assert all(entry is not None and entry.id in inner for entry in located)


def _read_as(text: str, name: str, gazetteer):
    return next(t.entry for t in toponyms(read_article(text), gazetteer=gazetteer) if t.mention.text == name)


def test_a_name_listed_with_a_countrys_divisions_is_its_division(gazetteer):
    # Alone, "Santa Cruz" is Bolivia's city of millions; listed with two Argentine
    # provinces named after no town it is the Argentine province of that name.
    alone = _read_as("H\nThe mayor of Santa Cruz spoke on Sunday.", "Santa Cruz", gazetteer)
    assert (alone.kind, alone.country_code) == ("city", "BO")
    listed = _read_as("H\nWinds lashed Chubut, Santa Cruz and Tierra del Fuego on Sunday.", "Santa Cruz", gazetteer)
    assert (listed.kind, listed.country_code) == ("admin1", "AR")
    # Provinces named after their capitals make a list of cities, which keep
    # each other at home: Trujillo in Venezuela, Sucre the Bolivian capital.
    for text, country in (("H\nFloods hit Mérida, Barinas and Trujillo.", "VE"), ("H\nOfficials in Oruro, Potosí and Sucre met.", "BO")):
        found = {t.mention.text: t.entry for t in toponyms(read_article(text), gazetteer=gazetteer)}
        assert {(entry.kind, entry.country_code) for entry in found.values()} == {("city", country)}, text


def test_a_seat_bearing_its_divisions_name_stays_the_seat_in_a_list(gazetteer):
    # Zacatecas is the seat of the state of the same name: the seat rule still holds.
    seat = _read_as("H\nDrought hit Zacatecas and Nayarit.", "Zacatecas", gazetteer)
    assert (seat.kind, seat.feature_code) == ("city", "PPLA")


@pytest.mark.parametrize("dateline, state", [("EPHRATA, Pa.", "US-PA"), ("LINCOLN, Nebraska", "US-NE")])
def test_a_county_name_several_states_share_is_the_one_in_the_state_named(gazetteer, dateline, state):
    county = _read_as(f"H\n{dateline} - Deputies in Lancaster County searched the fields.", "Lancaster County", gazetteer)
    assert (county.kind, county.admin1) == ("county", state)


def test_a_county_is_a_place_of_its_own_kind_on_the_map(gazetteer):
    (place,) = find_places(read_article("H\nFires burned in Yavapai County on Monday."), gazetteer=gazetteer)
    assert (place.name, place.kind, place.country_code) == ("Yavapai County", "county", "US")


def test_an_organisation_named_by_a_nationality_is_that_nations(gazetteer):
    # The text places the bank nowhere: its nationality says more than the article's centre.
    (bank,) = _located("H\nIn Kumasi, loans from the Uruguayan Investment Bank rose.", "Uruguayan Investment Bank", gazetteer=gazetteer)
    assert (bank.kind, bank.country_code) == ("country", "UY")
    # A district named after a nation is no organisation: it stays where the article is.
    (quarter,) = _located("H\nIn Kumasi, the Uruguayan Quarter was quiet.", "Uruguayan Quarter", gazetteer=gazetteer)
    assert quarter.country_code == "GH"


def test_a_bare_name_after_its_county_in_full_is_the_county(gazetteer):
    text = "H\nDeputies in Tangipahoa Parish searched the woods. Tangipahoa officials said the search would go on."
    found = {t.mention.text: t.entry for t in toponyms(read_article(text), gazetteer=gazetteer)}
    assert found["Tangipahoa Parish"].kind == "county"
    assert found["Tangipahoa"] == found["Tangipahoa Parish"]


def test_a_county_name_that_is_also_a_division_abroad_follows_the_article(gazetteer):
    irish = {t.mention.text: t.entry for t in toponyms(
        read_article("H\nRoscommon County Council and Wexford County Council met in Athlone."), gazetteer=gazetteer)}
    assert {(e.kind, e.country_code) for e in irish.values()} == {("admin1", "IE"), ("city", "IE")}
    american = _read_as("H\nGRAYLING, Mich. - Roscommon County deputies searched the lake.", "Roscommon County", gazetteer)
    assert (american.kind, american.admin1) == ("county", "US-MI")
    alone = _read_as("H\nRoscommon County deputies searched the lake.", "Roscommon County", gazetteer)
    assert alone.kind == "county"  # nothing points abroad: the county stands


def test_a_county_places_the_towns_in_it(gazetteer):
    # Its state is a division the article names, its point an anchor: Florence is Arizona's.
    town = _read_as("H\nPinal County deputies said the prison in Florence would reopen.", "Florence", gazetteer)
    assert (town.country_code, town.admin1) == ("US", "US-AZ")
    # A hamlet the county holds is supported by it, as by a town nearby.
    hamlet = _read_as("H\nDeputies in Yavapai County said the fire reached Yarnell.", "Yarnell", gazetteer)
    assert hamlet is not None and hamlet.admin1 == "US-AZ"


def test_an_article_about_a_county_is_centred_on_it_not_on_a_town_named_once(gazetteer):
    text = ("H\nYavapai County deputies searched the Zorblat Clinic. Yavapai County officials thanked "
            "the volunteers, who drove up from Tucson.")
    (clinic,) = _located(text, "Zorblat Clinic", gazetteer=gazetteer)
    assert (clinic.kind, clinic.name) == ("county", "Yavapai County")


def test_a_division_written_after_a_town_in_it_is_that_division(gazetteer):
    # Alone, "Zacatecas" is the state's seat; after a town of the state it qualifies it.
    assert _read_as("H\nRain fell on Zacatecas on Sunday.", "Zacatecas", gazetteer).kind == "city"
    state = _read_as("H\nGunmen attacked a bar in Fresnillo, Zacatecas, on Sunday.", "Zacatecas", gazetteer)
    assert (state.kind, state.id) == ("admin1", "admin1:MX-ZAC")


@pytest.mark.parametrize("text, initials, country", [
    ("H\nEnvoys met in Bridgetown, Barbados. Bridgetown hosts the talks with Antigua and Barbuda. A&B officials left.", "A&B", "AG"),
    ("H\nVoters in Saint Kitts and Nevis went to the polls. Observers from Kisumu and Mombasa said SKN turnout was high.", "SKN", "KN"),
])
def test_initials_of_a_name_the_article_spells_out_are_that_place(gazetteer, text, initials, country):
    (place,) = _located(text, initials, gazetteer=gazetteer)
    assert place is not None and place.country_code == country
    # The article's centre lies elsewhere, so this is the initials' own reading.
    (centre,) = _located(text.replace(initials, "Zorbfield"), "Zorbfield", gazetteer=gazetteer)
    assert centre is not None and centre.country_code != country
    # Initials the article never spells out stay unread: the span goes to the centre.
    unspelled = text.split(". ")[0] + f". {initials} officials left."
    assert _located(unspelled, initials, gazetteer=gazetteer) == _located(unspelled.replace(initials, "Zorbfield"), "Zorbfield", gazetteer=gazetteer)


def test_a_bare_kind_of_water_is_the_one_on_the_settings_coast(gazetteer):
    waters = []
    for port in ("Dammam", "Galveston"):
        (place,) = _located(f"H\n{port.upper()} — Storms churned the Gulf. {port} braced.", "Gulf", gazetteer=gazetteer)
        town = next(e for e in gazetteer.lookup(port) if e.kind == "city")
        assert place.kind == "sea" and place.name in town.coast and "Gulf" in place.name
        waters.append(place.name)
    assert waters[0] != waters[1]  # each story its own gulf


def test_initials_of_a_name_the_article_spells_out_are_found_as_its_mentions(gazetteer):
    text = "H\nVoters in Saint Kitts and Nevis went to the polls. SKN turnout was high, the PM said."
    found = {t.mention.text: t.entry.id for t in toponyms(read_article(text), gazetteer=gazetteer)}
    assert found["SKN"] == found["Saint Kitts and Nevis"]
    assert "PM" not in found  # two bare capitals are too often something else
    # Never spelled out, they stay unread.
    assert "SKN" not in {t.mention.text for t in toponyms(read_article("H\nSKN turnout was high."), gazetteer=gazetteer)}


@pytest.mark.parametrize("text, initials", [
    ("H\nSAINT KITTS AND NEVIS VOTES: SKN TURNOUT HIGH\nVoters in Saint Kitts and Nevis went to the polls.", "SKN"),  # a line in capitals
    ("H\nShips crossed the Gulf of Mexico. G.M. shares rose.", "G.M."),  # two dotted capitals
])
def test_initials_in_capitals_or_of_two_dotted_letters_are_left_alone(gazetteer, text, initials):
    assert initials not in {t.mention.text for t in toponyms(read_article(text), gazetteer=gazetteer)}


@pytest.mark.parametrize("text, kind", [
    ("H\nFloods hit Santo Domingo. SD officials said roads were shut.", "city"),
    ("H\nFloods hit Santo Domingo and South Dakota. SD officials met.", "admin1"),  # the state named in full too
    ("H\nSD officials met.", "admin1"),
    ("H\nTech firms in Santo Domingo hired. SD officials in Pierre said the state would follow.", "admin1"),  # a town of the state
    ("H\nFarmers in Brookings, SD met. Santo Domingo firms hired.", "admin1"),  # written after a town of the state
])
def test_initials_of_a_city_of_millions_the_article_names_are_the_city(gazetteer, text, kind):
    assert _read_as(text, "SD", gazetteer).kind == kind


@pytest.mark.parametrize("text, town", [
    ("H\nThe governor flew from Omaha to Uvalde on Sunday. Uvalde mourned.", "Uvalde"),  # a name of its own
    ("H\nSurvivors in Rolling Fork said officials in Omaha were slow.", "Rolling Fork"),  # ordinary words, but "in"
])
def test_a_small_town_the_story_is_about_stays_however_far_the_other_places(gazetteer, text, town):
    place = _read_as(text, town, gazetteer)
    assert place is not None and (place.name, place.country_code) == (town, "US")


def test_an_unread_name_in_a_story_about_a_division_goes_to_its_capital(gazetteer):
    (bridge,) = _located("H\nFloods swept across Queensland. Queensland officials closed the Zorblat Bridge.",
                         "Zorblat Bridge", gazetteer=gazetteer)
    assert (bridge.kind, bridge.name, bridge.admin1) == ("city", "Brisbane", "AU-QLD")
