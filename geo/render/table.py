"""The story's places as CSV, one row a place, for spreadsheets and graphics desks."""

from __future__ import annotations

import csv
import io

from ..layers import story_layers
from ..story import Story

__all__ = ["places_csv", "COLUMNS"]

COLUMNS = (
    "id", "name", "kind", "country_code", "country", "lat", "lon", "inferred", "confidence",
    "mentions", "paragraphs", "roles", "port_trend", "quotes", "gazetteer_id", "members", "note",
)
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def places_csv(story: Story) -> bytes:
    """One row a place (port groups included), UTF-8 with a header row.

    Text cells that a spreadsheet would run as a formula are prefixed with
    an apostrophe; numbers are left as they are.
    """
    features = story_layers(story)["features"]
    trends = {f["properties"]["place"]: f["properties"]["trend"] for f in features if f["properties"]["layer"] == "port_pressure"}
    by_id = {f["properties"]["id"]: f["properties"] for f in features if f["properties"]["layer"] == "places"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for place in story.places:
        properties = by_id.get(place.id, {})
        row = {
            "id": place.id,
            "name": place.name,
            "kind": place.kind,
            "country_code": place.country_code,
            "country": place.country_name,
            "lat": round(place.lat, 6),
            "lon": round(place.lon, 6),
            "inferred": str(place.inferred).lower(),
            "confidence": place.confidence,
            "mentions": len([m for m in place.mentions if not m.reference]),
            "paragraphs": " ".join(str(p) for p in sorted({m.paragraph for m in place.mentions})),
            "roles": "; ".join(properties.get("roles", [])),
            "port_trend": trends.get(place.id, ""),
            "quotes": len(place.quotes(story.article)),
            "gazetteer_id": place.entry_id,
            "members": "; ".join(place.member_names),
            "note": place.note,
        }
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")
