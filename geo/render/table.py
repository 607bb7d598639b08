"""The story's places as CSV, one row a place, for spreadsheets and graphics desks."""

from __future__ import annotations

import csv
import io

from ..records import place_fields
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
    trends = {p.place: p.trend for p in story.pressures}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for place in story.places:
        row = {
            **place_fields(place),
            "inferred": str(place.inferred).lower(),
            "mentions": len([m for m in place.mentions if not m.reference]),
            "paragraphs": " ".join(str(p) for p in sorted({m.paragraph for m in place.mentions})),
            "roles": "; ".join(role.label for role in story.roles_of(place.id)),
            "port_trend": trends.get(place.id, ""),
            "quotes": len(place.quotes(story.article)),
            "members": "; ".join(place.member_names),
        }
        writer.writerow([_cell(row[column]) for column in COLUMNS])
    return out.getvalue().encode("utf-8")
