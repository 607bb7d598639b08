"""The HTML inside popups, built from a feature's properties.

Every string that came from the article goes through :func:`~geo.escape.html_text`;
the markup around it is ours and holds no backticks, ``${`` or backslashes,
so it is safe in the JavaScript template literal folium pastes popups into.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..escape import html_text
from .style import TREND_GLYPHS, TREND_WORDS

__all__ = ["place_popup", "flow_popup", "pressure_popup"]

_KIND_WORDS = {
    "country": "country",
    "admin1": "province or state",
    "county": "county",
    "city": "town or city",
    "port_group": "group of ports",
    "sea": "sea",
    "ocean": "ocean",
    "region": "region",
    "continent": "continent",
    "site": "site",
}


def _heading(name: str, detail: str) -> str:
    return f'<div class="geomap-popup"><h4 style="margin:0 0 2px 0">{html_text(name)}</h4><div style="color:#555;font-size:11px">{html_text(detail)}</div>'


def _quotes(quotes: Iterable[Mapping[str, Any]]) -> str:
    items = [
        f'<li>\u201c{html_text(q["text"])}\u201d <span style="color:#555">\u2014 {html_text(q["speaker"] or "unattributed")}, paragraph {int(q["paragraph"])}</span></li>'
        for q in quotes
    ]
    return f'<div style="margin-top:6px"><b>Quotes</b><ul style="margin:2px 0;padding-left:16px">{"".join(items)}</ul></div>' if items else ""


def _evidence(evidence: Iterable[Mapping[str, Any]], title: str) -> str:
    items = [
        f'<li>{html_text(e["text"])} <span style="color:#555">({html_text(e.get("speaker") or "narration")}, paragraph {int(e["paragraph"])})</span></li>'
        for e in evidence
    ]
    return f'<div style="margin-top:6px"><b>{html_text(title)}</b><ul style="margin:2px 0;padding-left:16px">{"".join(items)}</ul></div>' if items else ""


def _inferred(properties: Mapping[str, Any], members: Iterable[str] = ()) -> str:
    if not properties.get("inferred"):
        return ""
    listed = ", ".join(html_text(m) for m in members)
    extra = f" Members: {listed}." if listed else ""
    return f'<div style="margin-top:6px;padding:3px 5px;border:1px dashed #555"><b>Inferred</b>: the article does not name this; it is drawn from the gazetteer.{extra}</div>'


def _note(properties: Mapping[str, Any]) -> str:
    note = properties.get("note")
    return f'<div style="margin-top:6px"><i>Editor: {html_text(note)}</i></div>' if note else ""


def _close(*parts: str) -> str:
    return "".join(parts) + "</div>"


def place_popup(properties: Mapping[str, Any], country_name: str = "") -> str:
    """A place: name, kind and country; its roles; its quotes; the sentences naming it."""
    kind = _KIND_WORDS.get(properties["kind"], properties["kind"])
    where = f"{kind} \u00b7 {country_name}" if country_name and properties["kind"] != "country" else kind
    roles = properties.get("roles") or []
    role_html = f'<div style="margin-top:4px"><b>Role</b>: {html_text("; ".join(roles))}</div>' if roles else ""
    return _close(
        _heading(properties["name"], where),
        role_html,
        _inferred(properties),
        _note(properties),
        _quotes(properties.get("quotes", ())),
        _evidence(properties.get("evidence", ()), "In the article"),
    )


def flow_popup(properties: Mapping[str, Any]) -> str:
    """A flow: what moves, from where to where, and the sentences that say so."""
    return _close(
        _heading(properties["name"], "moves both ways" if properties.get("two_way") else "arrow points where it goes"),
        _inferred(properties),
        _note(properties),
        _quotes(properties.get("quotes", ())),
        _evidence(properties.get("evidence", ()), "Evidence"),
    )


def pressure_popup(properties: Mapping[str, Any]) -> str:
    """A port or port group: its trend and why."""
    trend = properties["trend"]
    return _close(
        _heading(properties["name"], f"{TREND_GLYPHS[trend]} {TREND_WORDS[trend]}"),
        _inferred(properties, properties.get("members", ())),
        _quotes(properties.get("quotes", ())),
        _evidence(properties.get("evidence", ()), "Evidence"),
    )
