"""Shared fixtures: the seed article, its gold reading, the gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_52007b56ccc49824.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text("utf-8")


@pytest.fixture(scope="session")
def gold() -> dict:
    """What a careful reader finds in the seed (a copy of shared/acceptance/seed_gold.json)."""
    return json.loads((FIXTURES / "seed_gold.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def seed_article(seed_path):
    from geo.reader import load_article

    return load_article(seed_path)


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer import Gazetteer

    with Gazetteer.open() as opened:
        yield opened


@pytest.fixture(scope="session")
def seed_places(seed_article, gazetteer):
    from geo.places import find_places

    return find_places(seed_article, gazetteer=gazetteer)
