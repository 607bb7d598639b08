"""The whole job in one call: article -> places -> story, with corrections applied."""

from __future__ import annotations

import os

from .article import Article
from .corrections import Corrections, apply_corrections, corrections_path, load_corrections
from .gazetteer import Gazetteer
from .places import find_places
from .reader import DEFAULT_MAX_BYTES, load_article
from .story import Story, build_story

__all__ = ["tell_story", "story_from_file"]


def tell_story(
    article: Article,
    *,
    gazetteer: Gazetteer | None = None,
    geocoder=None,
    corrections: Corrections | None = None,
    corrections_source: str = "corrections",
) -> Story:
    """The story of an article: its places, flows, port pressure and roles."""
    if gazetteer is None:
        with Gazetteer.open() as own:
            return tell_story(article, gazetteer=own, geocoder=geocoder, corrections=corrections, corrections_source=corrections_source)
    story = build_story(article, find_places(article, gazetteer=gazetteer, geocoder=geocoder), gazetteer)
    if corrections is not None:
        story = apply_corrections(story, corrections, gazetteer, corrections_source)
    return story


def story_from_file(
    path: str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    geocoder=None,
    use_corrections: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Story:
    """The story of an article file, with the corrections file beside it, if any."""
    article = load_article(path, max_bytes=max_bytes)
    sidecar = corrections_path(path)
    corrections = load_corrections(sidecar) if use_corrections else None
    return tell_story(article, gazetteer=gazetteer, geocoder=geocoder, corrections=corrections, corrections_source=str(sidecar))
