"""Choosing readings: the far-fetched rule, on made-up places so that no gazetteer change moves it."""

from __future__ import annotations

from geo.gazetteer import Entry
from geo.mentions import Mention
from geo.resolve import Candidate, Resolution, _not_far_fetched, _weak


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
