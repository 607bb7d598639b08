"""article-geomap: turn a news article into a geographic map of its story.

The data flows one way::

    text -> Article -> mentions -> places -> story -> layers -> renderers

>>> import geo
>>> article = geo.read_article("Rain in Quito\\n“It is wet,” said Ana Ruiz.")
>>> article.quotes[0].speaker
'Ana Ruiz'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .article import Article, Paragraph, Sentence, read_article
from .errors import (
    ArticleError,
    CorrectionsError,
    ExportError,
    GazetteerError,
    GeocoderError,
    GeocoderNotFound,
    GeoError,
)
from .escape import html_text
from .gazetteer import Entry, Gazetteer
from .geocoders import GazetteerGeocoder, get_geocoder
from .places import Place, find_places
from .quotes import Quote
from .pipeline import story_from_file, tell_story
from .reader import article_from_bytes, load_article
from .story import Story


def build_map(subject: Article | Story, *, gazetteer: Gazetteer | None = None, **options):
    """The folium map of an article (or of a story already told); shows inline in a notebook.

    ``options`` go to :func:`geo.render.html.build_map` (``tiles``, ``static_url``).
    """
    # folium is imported here, on first use: a command that only lists
    # places should not pay for it.
    from .render.html import build_map as story_map

    story = subject if isinstance(subject, Story) else tell_story(subject, gazetteer=gazetteer)
    return story_map(story, **options)


__all__ = [
    "__version__",
    "build_map",
    "Article",
    "ArticleError",
    "CorrectionsError",
    "Entry",
    "ExportError",
    "Gazetteer",
    "GazetteerError",
    "GazetteerGeocoder",
    "GeoError",
    "GeocoderError",
    "GeocoderNotFound",
    "Paragraph",
    "Place",
    "Quote",
    "Sentence",
    "Story",
    "article_from_bytes",
    "find_places",
    "get_geocoder",
    "html_text",
    "load_article",
    "read_article",
    "story_from_file",
    "tell_story",
]
