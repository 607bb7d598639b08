"""The story rules: flows, port pressure and roles, on the seed and on sentences of our own."""

from __future__ import annotations

import pytest

from geo.article import read_article
from geo.coords import distance_km
from geo.pipeline import tell_story


@pytest.fixture(scope="module")
def seed_story(seed_article, gazetteer):
    return tell_story(seed_article, gazetteer=gazetteer)


def _story(text: str, gazetteer):
    return tell_story(read_article(text), gazetteer=gazetteer)


def _flows(text: str, gazetteer) -> set[tuple[str, str, str, bool]]:
    story = _story(text, gazetteer)
    code = {p.id: p.country_code or p.name for p in story.places}
    return {(code[f.source], code[f.target], f.what, f.two_way) for f in story.flows}


# --- the seed -----------------------------------------------------------------


def _gold_place(gold, place_id):
    return next(p for p in gold["places"]["required"] if p["id"] == place_id)


def _ours(story, gold, place_id):
    expected = _gold_place(gold, place_id)
    candidates = [p for p in story.places if p.country_code == expected["country_code"] and p.kind == expected["kind"]]
    return min(candidates, key=lambda p: distance_km((p.lat, p.lon), tuple(expected["ref"])))


def test_seed_smuggling_flows(seed_story, gold):
    for expected in gold["layers"]["smuggling"]["required"]:
        source, target = _ours(seed_story, gold, expected["from"]), _ours(seed_story, gold, expected["to"])
        flow = next(
            (f for f in seed_story.flows if (f.source, f.target, f.what) == (source.id, target.id, expected["what"]) and not f.two_way),
            None,
        )
        assert flow is not None, expected
        assert flow.layer == "smuggling"
        assert sorted({e.paragraph for e in flow.evidence}) == expected["evidence_paragraphs"]


def test_seed_two_way_traffickers(seed_story):
    (flow,) = [f for f in seed_story.flows if f.two_way]
    assert flow.what == "traffickers" and {e.paragraph for e in flow.evidence} == {7}
    assert {e.speaker for e in flow.evidence} == {"Mario Pazmiño"}


def test_seed_port_pressure(seed_story, gold):
    for expected in gold["layers"]["port_pressure"]["required"]:
        place = _ours(seed_story, gold, expected["place"])
        pressure = seed_story.pressure_on(place.id)
        assert pressure is not None, expected["place"]
        assert pressure.trend == expected["trend"], expected["place"]
        assert sorted({e.paragraph for e in pressure.evidence}) == expected["evidence_paragraphs"], expected["place"]


def test_seed_port_groups_are_inferred_and_placed(seed_story, gold):
    for place_id in ("colombia_caribbean_ports", "ecuador_ports"):
        expected = _gold_place(gold, place_id)
        group = _ours(seed_story, gold, place_id)
        assert group.inferred and group.kind == "port_group" and len(group.members) >= 3
        assert distance_km((group.lat, group.lon), tuple(expected["ref"])) <= expected["tol_km"]
        assert set(expected["mentions_in_paragraphs"]) <= {m.paragraph for m in group.mentions}


def test_seed_port_group_members_are_coastal_places_of_their_country(seed_story, gazetteer):
    for group in (p for p in seed_story.places if p.kind == "port_group"):
        for member in group.members:
            entry = gazetteer.get(member)
            assert entry.country_code == group.country_code and entry.coast_km is not None


def test_seed_roles(seed_story, gold):
    labels = {
        "washington": "press conference",
        "esmeraldas_province": "border crossing",
        "miami": "home of cartel bosses",
        "madrid": "home of cartel bosses",
        "dubai": "home of cartel bosses",
        "mexico": "where cartels come from",
    }
    for expected in gold["layers"]["other_points"]["required"]:
        place = _ours(seed_story, gold, expected["place"])
        roles = {r.label: r for r in seed_story.roles_of(place.id)}
        assert labels[expected["place"]] in roles, expected["place"]
        role = roles[labels[expected["place"]]]
        assert sorted({e.paragraph for e in role.evidence}) == expected["evidence_paragraphs"]


def test_seed_two_countries_refer_to_both(seed_story, seed_article, gold):
    quote = next(q for q in seed_article.quotes if seed_article.quote_text(q).startswith("move freely"))
    for place_id in ("colombia", "ecuador"):
        place = _ours(seed_story, gold, place_id)
        assert quote in place.quotes(seed_article)


# --- flows, rule by rule --------------------------------------------------------


def test_out_of_and_into(gazetteer):
    assert _flows("H\nHeroin is pouring out of Afghanistan and into Iran.", gazetteer) == {("AF", "IR", "drugs", False)}


def test_from_to_takes_the_verbs_object(gazetteer):
    assert _flows("H\nSmugglers move weapons from Albania to Italy by boat.", gazetteer) == {("AL", "IT", "weapons", False)}


def test_into_from(gazetteer):
    assert _flows("H\nGangs use mule trails to carry cocaine into Peru from Bolivia.", gazetteer) == {("BO", "PE", "cocaine", False)}


def test_left_and_relocated(gazetteer):
    assert _flows("H\nThe smugglers left Honduras and relocated in Guatemala.", gazetteer) == {("HN", "GT", "traffickers", False)}


def test_exporting_to(gazetteer):
    assert _flows("H\nNigeria is exporting large amounts of oil to India.", gazetteer) == {("NG", "IN", "goods", False)}


def test_between_is_both_ways(gazetteer):
    assert _flows("H\nMigrants move freely between Haiti and the Dominican Republic.", gazetteer) == {("HT", "DO", "migrants", True)}


def test_and_so_are_adds_a_second_mover(gazetteer):
    found = _flows("H\nThe cocaine is flowing out of Peru and into Chile, and so are the traffickers.", gazetteer)
    assert found == {("PE", "CL", "cocaine", False), ("PE", "CL", "traffickers", False)}


@pytest.mark.parametrize(
    "text",
    [
        "H\nFlights from Lima were cancelled.",
        "H\nFlights from Lima to Quito were cancelled.",
        "H\nThe talks between Peru and Chile ended on Friday.",
        "H\nCocaine prices in Peru and Chile rose.",
    ],
)
def test_no_flow_without_direction_and_mover(text, gazetteer):
    assert _flows(text, gazetteer) == set()


def test_repeated_evidence_merges_into_one_flow(gazetteer):
    story = _story("H\nSmugglers move cocaine from Peru to Chile.\nMore cocaine goes from Peru to Chile each year.", gazetteer)
    (flow,) = story.flows
    assert [e.paragraph for e in flow.evidence] == [1, 2]


def test_a_second_article_with_a_different_flow(gazetteer):
    text = (
        "Venezuelan migrants head south\n"
        "Thousands of migrants are moving from Venezuela into Peru every month, officials said.\n"
        "“Families arrive with nothing,” said Mayor Rosa Quispe of Tumbes.\n"
    )
    story = _story(text, gazetteer)
    (flow,) = story.flows
    assert (story.place(flow.source).country_code, story.place(flow.target).country_code) == ("VE", "PE")
    assert flow.layer == "migration" and flow.what == "migrants"


# --- ports, rule by rule --------------------------------------------------------


def test_named_port_kept_clean_trends_down(gazetteer):
    story = _story("H\nPeru has been effective in keeping cocaine shipments out of Callao, the country’s main port.", gazetteer)
    (pressure,) = story.pressures
    assert story.place(pressure.place).name == "Callao" and pressure.trend == "down"


def test_our_coast_ports_belong_to_the_speakers_country(gazetteer):
    text = (
        "H\n“Some drugs still reach our Atlantic ports, but the amounts have been reduced,” "
        "Brazilian President Ana Ruiz said."
    )
    story = _story(text, gazetteer)
    (pressure,) = story.pressures
    group = story.place(pressure.place)
    assert group.inferred and group.kind == "port_group" and group.country_code == "BR"
    assert pressure.trend == "down" and pressure.evidence[0].speaker == "Ana Ruiz"
    for member in group.members:
        assert any("Atlantic" in coast for coast in gazetteer.get(member).coast)


def test_port_areas_of_a_country_with_traffickers_trend_up(gazetteer):
    story = _story("H\nMajor drug traffickers live near the port areas of Peru.", gazetteer)
    (pressure,) = story.pressures
    assert story.place(pressure.place).country_code == "PE" and pressure.trend == "up"


def test_the_ports_refer_to_the_last_country_of_the_paragraph(gazetteer):
    story = _story("H\nThe aim is to make Chile a less attractive option. The ports must be secured.", gazetteer)
    (pressure,) = story.pressures
    assert story.place(pressure.place).country_code == "CL" and pressure.trend == "up"


def test_ports_with_no_cue_are_steady(gazetteer):
    story = _story("H\nThe ports of Chile handled their usual cargo.", gazetteer)
    (pressure,) = story.pressures
    assert pressure.trend == "steady"


def test_no_port_words_no_pressure(gazetteer):
    assert _story("H\nChile and Peru signed a deal in Lima.", gazetteer).pressures == ()


# --- roles ---------------------------------------------------------------------------


def _roles(text: str, gazetteer) -> dict[str, set[str]]:
    story = _story(text, gazetteer)
    found: dict[str, set[str]] = {}
    for role in story.roles:
        found.setdefault(story.place(role.place).name, set()).add(role.label)
    return found


def test_roles_from_our_own_sentences(gazetteer):
    text = (
        "H\nThe minister spoke at a Lima press conference. "
        "A border crossing in Tumbes is barricaded and guarded by soldiers. "
        "The cartel bosses live in Paris, Rome and Istanbul. "
        "Albanian gangs run the trade."
    )
    roles = _roles(text, gazetteer)
    assert "press conference" in roles["Lima"]
    assert {"border crossing", "barricaded and guarded by soldiers"} <= roles["Tumbes"]
    for city in ("Paris", "Rome", "Istanbul"):
        assert "home of cartel bosses" in roles[city]
    assert "where cartels come from" in roles["Albania"]
