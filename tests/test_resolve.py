"""Choosing readings: the far-fetched rule, on made-up places so that no gazetteer change moves it."""

from __future__ import annotations

from geo.gazetteer import Entry
from geo.mentions import Mention
from geo.resolve import _QUALIFIED_REASON, Candidate, Resolution, _not_far_fetched, _weak


def _town(name: str, country: str, population: int, lat: float, lon: float, feature: str = "PPL") -> Entry:
    return Entry(f"test:{name}:{country}", name, "city", feature, country, "", lat, lon, population)


def _resolution(key: str, *entries: Entry, start: int = 0) -> Resolution:
    mention = Mention(start, start + len(key), key.title(), key, 1)
    return Resolution(key, (mention,), tuple(Candidate(e, 5.0 - i, ()) for i, e in enumerate(entries)))


HOME = _town("Homeburg", "AA", 500_000, 10.0, 10.0)


def test_a_small_town_is_weak_and_a_big_one_is_not():
    assert _weak(Candidate(_town("Zorp", "BB", 900, 0, 0), 1.0, ()), "zorp")
    assert not _weak(Candidate(_town("Zorp", "BB", 300_000, 0, 0), 1.0, ()), "zorp")
    assert _weak(Candidate(_town("Zorp", "BB", 900, 0, 0, feature="PPLA"), 1.0, ()), "zorp")  # small, even as a seat
    country = Entry("test:country", "Zorp", "country", "PCLI", "BB", "", 0, 0, 10)
    assert not _weak(Candidate(country, 1.0, ()), "zorp")  # a country is never a coincidence
    # A remote geocoder's answer (no feature code, population 0 for unknown) is no coincidence by size...
    assert not _weak(Candidate(Entry("remote:1", "Zrp", "city", "", "BB", "", 0, 0, 0), 1.0, ()), "zrp")
    # ... while a gazetteer town of unknown population named by a short form is.
    assert _weak(Candidate(Entry("test:zrp", "Zrp", "city", "PPLA4", "BB", "", 0, 0, 0), 1.0, ()), "zrp")
    # A town named by common English words ("Kettle", as in a headline in capitals) is weak.
    assert _weak(Candidate(_town("Kettle", "BB", 30_000, 0, 0), 1.0, ()), "kettle")
    # A short form read as a town is weak; as a division (an abbreviation) it is not.
    assert _weak(Candidate(_town("Xyz", "BB", 50_000, 0, 0), 1.0, ()), "xyz")
    division = Entry("test:div", "Xyzland", "admin1", "ADM1", "BB", "BB-X", 0, 0, 500_000)
    assert not _weak(Candidate(division, 1.0, ()), "xyz")


def test_a_division_named_by_descriptive_words_alone_is_weak_unless_big_and_its_own():
    central = Entry("test:central", "Central", "admin1", "ADM1", "BB", "BB-C", 0, 0, 600_000)
    assert _weak(Candidate(central, 1.0, ()), "central")
    big = Entry("test:central", "Central", "admin1", "ADM1", "BB", "BB-C", 0, 0, 3_000_000)
    assert not _weak(Candidate(big, 1.0, ()), "central")
    # A big division found by the descriptive word only as an alternate name is weak all the same.
    other = Entry("test:other", "Zorpbelt", "admin1", "ADM1", "BB", "BB-Z", 0, 0, 3_000_000)
    assert _weak(Candidate(other, 1.0, ()), "central")


def test_a_hamlet_abroad_yields_to_a_sound_reading_or_to_none():
    home = _resolution("homeburg", HOME)
    hamlet = _town("Zorp", "BB", 900, -40.0, 100.0)
    seat = _town("Zorp", "CC", 60_000, 30.0, -5.0, feature="PPLA")
    (kept_home, replaced) = _not_far_fetched([home, _resolution("zorp", hamlet, seat, start=20)], frozenset())
    assert kept_home is home
    assert replaced.best.entry == seat and replaced.candidates[1].entry == hamlet
    assert _not_far_fetched([home, _resolution("zorp", hamlet, start=20)], frozenset()) == [home]


def test_a_hamlet_stays_where_the_article_points_or_near_a_neighbour():
    hamlet = _town("Zorp", "BB", 900, -40.0, 100.0)
    home = _resolution("homeburg", HOME)
    alone = _resolution("zorp", hamlet, start=20)
    # The article names the hamlet's country.
    assert _not_far_fetched([home, alone], frozenset({"BB"})) == [home, alone]
    # Nothing else in the article: nothing speaks against it.
    assert _not_far_fetched([alone], frozenset()) == [alone]
    # Another hamlet of its country within reach holds it.
    neighbour = _resolution("quux", _town("Quux", "BB", 800, -40.5, 100.5), start=40)
    assert _not_far_fetched([home, alone, neighbour], frozenset()) == [home, alone, neighbour]


def test_a_short_form_in_a_country_the_article_points_to_is_a_sound_fallback():
    from geo.resolve import _sound

    town = _town("Xyz", "BB", 30_000, 0, 0, feature="PPLA")
    assert _sound(Candidate(town, 1.0, ()), "xyz", {"BB"})
    assert not _sound(Candidate(town, 1.0, ()), "xyz", {"CC"})  # a short form abroad is no fallback


def test_a_descriptive_name_with_nothing_else_to_go_by_is_dropped():
    lakes = Entry("test:lakes", "Lakes", "admin1", "ADM1", "BB", "BB-L", 0, 0, 40_000)
    assert _not_far_fetched([_resolution("lakes", lakes)], frozenset()) == []
    # Named with its country, it stands.
    alone = _resolution("lakes", lakes)
    assert _not_far_fetched([alone], frozenset({"BB"})) == [alone]


def test_a_hamlet_named_by_ordinary_words_far_from_every_sure_place_is_a_coincidence():
    # A story set in Homeburg: a "Mill" 2,000 km away is a building, not the village.
    home = _resolution("homeburg", HOME)
    far = _resolution("mill", _town("Mill", "AA", 900, 28.0, 10.0), start=20)
    assert _not_far_fetched([home, far], frozenset({"AA"})) == [home]
    # Within reach of the article's town it holds.
    near = _resolution("mill", _town("Mill", "AA", 900, 11.0, 10.0), start=20)
    assert _not_far_fetched([home, near], frozenset({"AA"})) == [home, near]
    # So does a hamlet the text places itself: "Mill, Quuxshire" or "in Mill".
    qualified = Candidate(_town("Mill", "AA", 900, 28.0, 10.0), 9.0, ((_QUALIFIED_REASON, 5.0),))
    placed = Resolution("mill", far.mentions, (qualified,))
    assert _not_far_fetched([home, placed], frozenset({"AA"})) == [home, placed]
    assert _not_far_fetched([home, far], frozenset({"AA"}), located=frozenset({20})) == [home, far]
    # A name of its own is no coincidence of words, however far.
    own = _resolution("zorpville", _town("Zorpville", "AA", 900, 28.0, 10.0), start=20)
    assert _not_far_fetched([home, own], frozenset({"AA"})) == [home, own]
    # With no sure place of its country to be far from, nothing speaks against it.
    assert _not_far_fetched([far], frozenset({"AA"})) == [far]
    # A division the article names is as sure a place to be far from.
    division = _resolution("homeshire", Entry("admin1:AA-H", "Homeshire", "admin1", "ADM1", "AA", "", 10.0, 10.0, 2_000_000))
    assert _not_far_fetched([division, far], frozenset({"AA"})) == [division]


def test_a_far_city_found_by_a_name_a_home_town_bears_is_no_fallback():
    from geo.resolve import _BORNE_ELSEWHERE_REASON, _sound

    # "White Town", say, as the translation of a far capital's former name.
    capital = _town("Zorbagrad", "CC", 3_000_000, 30.0, -5.0, feature="PPLA")
    assert _sound(Candidate(capital, 1.0, ()), "zorbagrad", set())
    assert not _sound(Candidate(capital, 1.0, ((_BORNE_ELSEWHERE_REASON, -2.0),)), "white town", set())


def _scored(entry: Entry, key: str, **context):
    from geo.resolve import _Context, _score

    fields = {"focus": {}, "division_names": {}, "anchors": ()} | context
    return dict(_score(
        entry, key=key, context=_Context(**fields), use_focus=True, qualifier=frozenset(), port=False, coasts=(),
        world_list=False, seats=frozenset(),
    ).reasons)


def test_a_place_named_in_another_form_does_not_vouch_for_itself_as_a_neighbour():
    town = _town("Zorbton", "AA", 600_000, 10.0, 10.0)
    # "Zorbton, Z.D." names the very place a bare "Zorbton" may be: no neighbour.
    assert not any("km from another place" in reason for reason in _scored(town, "zorbton", anchors=((10.0, 10.0),)))
    assert "11 km from another place of the article" in _scored(town, "zorbton", anchors=((10.1, 10.0),))


def test_a_division_the_article_names_in_another_form_supports_its_full_name():
    division = Entry("admin1:AA-Z", "Zorbia", "admin1", "ADM1", "AA", "", 10.0, 10.0, 5_000_000)
    reason = "a division the article names in another form"
    # "QUUXTON, Zorb." has named the division: a bare "Zorbia" is it too.
    assert reason in _scored(division, "zorbia", division_names={"AA-Z": frozenset({("zorb.", "admin1")})})
    # A name's own reading is no other form of it.
    assert reason not in _scored(division, "zorbia", division_names={"AA-Z": frozenset({("zorbia", "admin1")})})
    # A county of the division is not the division by another name.
    assert reason not in _scored(division, "zorbia", division_names={"AA-Z": frozenset({("quux county", "county")})})
