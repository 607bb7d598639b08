"""The common-English-words list: how the build reads wordfreq, and how recognition uses it."""

from __future__ import annotations

import gzip
import importlib.util
import zipfile
from pathlib import Path

import pytest

from geo.article import read_article
from geo.lexicon import lexicon
from geo.places import find_places

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build():
    """tools/build_common_words.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_common_words", REPO / "tools" / "build_common_words.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wheel(tmp_path: Path, build) -> Path:
    wheel = tmp_path / "wordfreq.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(build.DATA_MEMBER, gzip.compress(b"stand-in: the unpacker below ignores it"))
    return wheel


def test_buckets_are_read_as_zipf_frequencies(tmp_path, build):
    # Bucket i holds words of Zipf 9 - i/100: bucket 550 is Zipf 3.5, bucket 551 just below.
    buckets = [[] for _ in range(600)]
    buckets[300] = ["the", "mission"]
    buckets[550] = ["luck", "e-mail", "x2"]
    buckets[551] = ["rare"]
    data = [{"format": "cB", "version": 1}, *buckets]
    words = build.common_words(_wheel(tmp_path, build), lambda raw_bytes, raw: data)
    assert words == ["luck", "mission", "the"]  # letters only, sorted, the threshold inclusive


def test_a_wrong_format_is_refused(tmp_path, build):
    with pytest.raises(SystemExit, match="unexpected format"):
        build.common_words(_wheel(tmp_path, build), lambda raw_bytes, raw: [{"format": "other"}, []])


def test_the_shipped_list_is_lower_case_letters():
    words = lexicon().common_words
    assert len(words) > 10_000 and {"economy", "mission", "luck"} <= words
    assert all(word.isalpha() and word == word.lower() for word in words)


def test_a_common_word_is_a_small_town_only_where_the_text_puts_it(gazetteer):
    # Mission, Texas has 80,000 people: too many for the hamlet rule, too few to be what "Mission" means.
    towns = [e for e in gazetteer.lookup("Mission") if e.kind == "city"]
    assert max(e.population for e in towns) in range(20_000, 100_000)
    assert not find_places(read_article("H\nMission control waited. Mission planners slept."), gazetteer=gazetteer)
    placed = find_places(read_article("H\nFarmers in Mission protested."), gazetteer=gazetteer)
    assert [p.name for p in placed] == ["Mission"]
