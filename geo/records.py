"""Plain records (dicts of JSON types) of what ``geo`` finds, for files and front ends."""

from __future__ import annotations

from typing import Any

from .article import Article
from .coords import rounded
from .places import Place
from .quotes import Quote

__all__ = ["quote_record", "place_fields", "place_record", "places_document", "quotes_document", "MAX_CANDIDATES"]

MAX_CANDIDATES = 5


def quote_record(article: Article, quote: Quote) -> dict[str, Any]:
    """``{"paragraph", "start", "end", "text", "speaker"}`` and how the quote was read."""
    return {
        "paragraph": quote.paragraph,
        "start": quote.start,
        "end": quote.end,
        "text": article.quote_text(quote),
        "speaker": quote.speaker,
        "partial": quote.partial,
        "opening_mark_missing": quote.opening_mark_missing,
    }


def place_fields(place: Place) -> dict[str, Any]:
    """What every record of a place says of it: the CLI's, a map layer's, a CSV row's."""
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "country_code": place.country_code,
        "country": place.country_name,
        "lat": rounded(place.lat),
        "lon": rounded(place.lon),
        "inferred": place.inferred,
        "confidence": place.confidence,
        "gazetteer_id": place.entry_id,
        "note": place.note,
    }


def place_record(article: Article, place: Place) -> dict[str, Any]:
    """A place as the CLI and exports show it, with the candidates it beat."""
    return {
        **place_fields(place),
        "mentions": [
            {"paragraph": m.paragraph, "start": m.start, "end": m.end, "text": m.text, "demonym": m.demonym}
            for m in place.mentions
        ],
        "quotes": [
            {"text": article.quote_text(q), "speaker": q.speaker, "paragraph": q.paragraph}
            for q in place.quotes(article)
        ],
        "candidates": [
            {
                "gazetteer_id": c.entry.id,
                "name": c.entry.name,
                "kind": c.entry.kind,
                "country_code": c.entry.country_code,
                "lat": rounded(c.entry.lat),
                "lon": rounded(c.entry.lon),
                "score": c.score,
                "reasons": [{"reason": reason, "points": points} for reason, points in c.reasons],
            }
            for c in place.candidates[:MAX_CANDIDATES]
        ],
    }


def places_document(article: Article, places: tuple[Place, ...]) -> dict[str, Any]:
    return {
        "article": article.source,
        "headline": article.headline,
        "places": [place_record(article, place) for place in places],
    }


def quotes_document(article: Article) -> dict[str, Any]:
    return {
        "article": article.source,
        "headline": article.headline,
        "speakers": list(article.speakers),
        "quotes": [quote_record(article, quote) for quote in article.quotes],
    }
