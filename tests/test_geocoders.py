"""Geocoders behind geopy's contract; remote ones tested against a loopback stub."""

from __future__ import annotations

import time

import pytest
from geopy.location import Location

from geo.coords import distance_km
from geo.errors import GeocoderError, GeocoderNotFound, GeoError
from geo.geocoders import GazetteerGeocoder, get_geocoder, geocoder_names
from tests.nominatim_stub import NominatimStub


@pytest.fixture()
def offline(gazetteer):
    return GazetteerGeocoder(gazetteer)


def test_registry_names():
    assert geocoder_names() == ("gazetteer", "nominatim")
    assert isinstance(get_geocoder(), GazetteerGeocoder)


def test_unknown_geocoder_is_a_clear_error():
    with pytest.raises(GeocoderNotFound, match="no geocoder named 'nope'") as caught:
        get_geocoder("nope")
    assert isinstance(caught.value, (GeoError, KeyError))


def test_gazetteer_geocode_returns_a_geopy_location(offline):
    location = offline.geocode("Madrid")
    assert isinstance(location, Location)
    assert location.raw["country_code"] == "ES" and location.raw["feature_code"] == "PPLC"
    assert distance_km(location.point[:2], (40.4165, -3.7026)) < 25
    assert "Spain" in location.address


def test_namesake_counties_are_told_apart_by_their_state(offline):
    counties = offline.geocode("Lancaster County", exactly_one=False)
    addresses = [location.address for location in counties]
    assert len(counties) > 1 and len(set(addresses)) == len(addresses)
    for location in counties:  # "X County, <its state>, United States"
        state = offline.gazetteer.get(f"admin1:{location.raw['admin1']}")
        assert location.address == f"Lancaster County, {state.name}, United States"


def test_gazetteer_geocode_all_and_country_filter(offline):
    everywhere = offline.geocode("Madrid", exactly_one=False)
    assert len(everywhere) > 1 and all(isinstance(item, Location) for item in everywhere)
    colombian = offline.geocode("Madrid", country_codes="co")
    assert colombian.raw["country_code"] == "CO"


def test_gazetteer_geocode_reads_a_qualifier(offline):
    assert offline.geocode("Madrid, Colombia").raw["country_code"] == "CO"


def test_gazetteer_geocode_unknown_is_none(offline):
    assert offline.geocode("Xqzzyville") is None
    assert offline.geocode("") is None


def test_gazetteer_reverse(offline):
    location = offline.reverse((3.88, -77.03))
    assert location.raw["name"] == "Buenaventura" and location.raw["country_code"] == "CO"
    assert offline.reverse("3.88, -77.03", exactly_one=False)[0].raw["id"] == location.raw["id"]


def test_nominatim_answers_through_geopy_with_user_agent_and_cache(tmp_path):
    with NominatimStub() as stub:
        geocoder = get_geocoder(
            "nominatim", domain=stub.domain, scheme="http", cache_path=tmp_path / "cache.sqlite", min_delay_seconds=0
        )
        first = geocoder.geocode("Buenaventura")
        again = geocoder.geocode("Buenaventura")
        assert isinstance(first, Location) and (first.latitude, first.longitude) == (3.8801, -77.0312)
        assert again.raw == first.raw
        assert len(stub.requests) == 1, "the second answer must come from the cache"
        assert stub.requests[0]["user_agent"].startswith("article-geomap/")
        assert geocoder.reverse((3.88, -77.03)).raw["name"] == "Buenaventura"
        geocoder.close()


def test_nominatim_cache_survives_a_new_geocoder(tmp_path):
    cache = tmp_path / "cache.sqlite"
    with NominatimStub() as stub:
        get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=cache, min_delay_seconds=0).geocode("Ecuador")
        again = get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=cache, min_delay_seconds=0)
        assert again.geocode("Ecuador").raw["osm_id"] == 108089
        assert len(stub.requests) == 1


def test_nominatim_is_rate_limited_to_one_request_a_second_by_default(tmp_path):
    with NominatimStub() as stub:
        geocoder = get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=tmp_path / "c.sqlite")
        assert geocoder._geocode.min_delay_seconds == 1.0
        fast = get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=tmp_path / "d.sqlite", min_delay_seconds=0.3)
        began = time.monotonic()
        fast.geocode("Buenaventura")
        fast.geocode("Ecuador")
        assert time.monotonic() - began >= 0.3


def test_nominatim_failure_is_a_geocoder_error(tmp_path):
    with NominatimStub(fail=True) as stub:
        geocoder = get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=tmp_path / "c.sqlite", min_delay_seconds=0)
        with pytest.raises(GeocoderError, match="nominatim could not geocode 'Buenaventura'"):
            geocoder.geocode("Buenaventura")


def test_places_resolved_by_a_remote_geocoder(tmp_path, gazetteer):
    from geo.article import read_article
    from geo.places import find_places

    article = read_article("Port news\nShips leave Buenaventura for Ecuador every week.")
    with NominatimStub() as stub:
        geocoder = get_geocoder("nominatim", domain=stub.domain, scheme="http", cache_path=tmp_path / "c.sqlite", min_delay_seconds=0)
        places = {p.name: p for p in find_places(article, gazetteer=gazetteer, geocoder=geocoder)}
    assert places["Buenaventura"].entry_id == "nominatim:relation1315437"
    assert places["Ecuador"].kind == "country" and places["Ecuador"].country_code == "EC"
