"""The Streamlit page: read an article's story on a map, check it, correct it, take it away.

    streamlit run streamlit_app.py

The page opens on ``$GEOMAP_ARTICLE`` (default: the seed article). Corrections
of a file article go beside it (``<article>.corrections.json``); those of a
pasted or uploaded text go to ``$GEOMAP_WORKDIR/corrections/`` (default
``~/.cache/article-geomap/corrections/``), named by a hash of the text.

This file only composes library calls: everything it shows comes from ``geo``,
and every string of the article that becomes HTML goes through
``geo.escape.html_text`` (inside ``geo.render``).
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import hashlib
import html
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

import geo
from geo.corrections import (
    Corrections,
    NewFlow,
    PlaceFix,
    corrections_path,
    flow_id_of,
    load_corrections,
    parse_corrections,
    save_corrections,
)
from geo.escape import html_text
from geo.export import render
from geo.layers import LAYER_ORDER, story_layers
from geo.render.highlight import article_html
from geo.render.html import build_map
from geo.render.offline import STREAMLIT_STATIC_URL, copy_web_assets
from geo.render.popups import flow_popup, place_popup, pressure_popup
from geo.render.style import LAYER_TITLES, TREND_GLYPHS

ROOT = Path(__file__).resolve().parent
SEED = ROOT / "seeds" / "000_52007b56ccc49824.txt"
STATIC = ROOT / "static"  # served at /app/static/ (server.enableStaticServing); git-ignored
TILES = {
    "": "Offline: Natural Earth, no network",
    "osm": "OpenStreetMap tiles (online)",
}
FLOW_LAYERS = tuple(layer for layer in LAYER_ORDER if layer not in ("places", "port_pressure"))
DOWNLOADS = (  # label, suffix, render options, MIME type, file name suffix
    ("Map (HTML)", ".html", {}, "text/html", ".html"),
    ("GeoJSON", ".geojson", {}, "application/geo+json", ".geojson"),
    ("KML", ".kml", {}, "application/vnd.google-earth.kml+xml", ".kml"),
    ("CSV", ".csv", {}, "text/csv", ".csv"),
    ("PNG", ".png", {}, "image/png", ".png"),
    ("Embed snippet", ".html", {"embed": True}, "text/html", ".embed.html"),
)
state = st.session_state


# --- the library, cached -------------------------------------------------------


@st.cache_resource(show_spinner=False)
def gazetteer() -> geo.Gazetteer:
    return geo.Gazetteer.open()


@st.cache_resource(show_spinner=False)
def settled() -> bool:
    """Once per server, with the libraries and the gazetteer loaded: freeze them for the garbage collector.

    Streamlit collects garbage after every run of a page (runner.postScriptGC).
    A full collection scanned the ~110,000 objects of the libraries, which live
    as long as the server, in 60 to 100 ms here, holding the interpreter while the
    browser asked this server for the map's frame and scripts. Frozen, they are
    skipped; what the runs of pages make is collected as before.
    """
    gazetteer()
    gc.freeze()
    return True


@st.cache_resource(show_spinner=False)
def web_assets() -> str:
    """Copy the vendored Leaflet and jQuery to ``static/`` once per server.

    Returns a problem to show, or "". Streamlit serves files created after it
    started, and each file is replaced whole, so a browser never reads half of one.
    """
    try:
        copy_web_assets(STATIC)
    except (OSError, geo.GeoError) as err:
        return f"cannot copy the map's scripts to {STATIC}: {err}"
    return ""


@st.cache_data(show_spinner=False, max_entries=64)
def story_of(text: str, source: str, corrections_json: str, corrections_source: str) -> geo.Story:
    """The story of an article text with corrections (a JSON document, "" for none)."""
    corrections = parse_corrections(json.loads(corrections_json), corrections_source) if corrections_json else None
    article = geo.read_article(text, source=source)
    return geo.tell_story(article, gazetteer=gazetteer(), corrections=corrections, corrections_source=corrections_source)


@st.cache_resource(show_spinner=False, max_entries=16)
def pristine_map(text: str, source: str, corrections_json: str, corrections_source: str, tiles: str):
    """The story's folium map; never handed to st_folium itself (which changes it): copy it."""
    story = story_of(text, source, corrections_json, corrections_source)
    return build_map(story, tiles=tiles or None, static_url=STREAMLIT_STATIC_URL)


@st.cache_data(show_spinner=False, max_entries=64)
def features_of(text: str, source: str, corrections_json: str, corrections_source: str) -> list[dict]:
    return story_layers(story_of(text, source, corrections_json, corrections_source))["features"]


# --- small helpers ---------------------------------------------------------------


def md(text: str) -> str:
    """Text shown through Streamlit's Markdown (alerts) exactly as written."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>$~])", r"\\\1", text)


def flash(kind: str, message: str) -> None:
    state.setdefault("flash", []).append((kind, message))


def workdir() -> Path:
    return Path(os.environ.get("GEOMAP_WORKDIR") or Path.home() / ".cache" / "article-geomap")


def default_article_path() -> Path:
    return Path(os.environ.get("GEOMAP_ARTICLE") or SEED)


def corrections_file(article: dict) -> Path:
    if article["path"]:
        return corrections_path(article["path"])
    digest = hashlib.sha256(article["text"].encode("utf-8")).hexdigest()[:16]
    return workdir() / "corrections" / f"{digest}.corrections.json"


def corrections_json(corrections: Corrections) -> str:
    return "" if corrections.empty else json.dumps(corrections.to_json(), sort_keys=True, ensure_ascii=False)


def key_of(article: dict, corrections: Corrections) -> tuple[str, str, str, str]:
    """The plain, hashable inputs of the cached functions."""
    return article["text"], article["source"], corrections_json(corrections), str(corrections_file(article))


def download_name(article: dict) -> str:
    if article["path"] or article["source"] != "pasted text":
        stem = Path(article["source"]).stem
    else:
        stem = "pasted-article-" + hashlib.sha256(article["text"].encode("utf-8")).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "article"


# --- choosing an article ------------------------------------------------------------


def activate(article: geo.Article, path: Path | None) -> None:
    """Make ``article`` the page's article, with the corrections saved for it."""
    source = path.name if path else article.source  # the file's name is what a reader needs to see
    record = {"text": article.text, "source": source, "path": str(path) if path else None}
    try:
        corrections = load_corrections(corrections_file(record))
    except geo.CorrectionsError as err:
        flash("warning", f"Corrections ignored: {err}")
        corrections = Corrections()
    # Whether they still fit the article is seen when its story is made (in main, with a spinner).
    state.article, state.corrections = record, corrections
    state.pop("click_seen", None)


def open_default_article() -> None:
    path = default_article_path()
    try:
        activate(geo.load_article(path), path)
    except geo.ArticleError as err:
        flash("error", str(err))


def open_pasted_text() -> None:
    text = state.get("paste_text", "")
    try:
        activate(geo.article_from_bytes(text.encode("utf-8"), name="pasted text"), None)
    except geo.ArticleError as err:
        flash("error", str(err))


def open_upload() -> None:
    upload = state.get("upload")
    if upload is None or upload.file_id == state.get("upload_seen"):
        return
    state.upload_seen = upload.file_id
    try:
        activate(geo.article_from_bytes(upload.getvalue(), name=upload.name), None)
    except geo.ArticleError as err:
        flash("error", str(err))


# --- correcting ---------------------------------------------------------------------


def correct(change: Callable[[Corrections], Corrections], done: str) -> None:
    """Apply a change to the corrections if the story accepts it, and save them."""
    article = state.article
    new = change(state.corrections)
    try:
        story_of(*key_of(article, new))
    except (geo.CorrectionsError, geo.GazetteerError) as err:
        flash("error", f"Not changed: {err}")
        return
    state.corrections = new
    file = corrections_file(article)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        save_corrections(file, new)
    except (OSError, geo.ExportError) as err:
        flash("warning", f"{done}, but the corrections could not be saved: {err}")
        return
    flash("success", f"{done}. Saved to {file}")


def pick_candidate() -> None:
    place = state.fix_place
    entry = state.get(f"fix_candidate_{place}")
    if entry:
        correct(lambda c: c.with_place_fix(PlaceFix(place, pick=entry)), f"{place} is now {entry}")


def drop_place() -> None:
    place = state.fix_place
    correct(lambda c: c.with_place_fix(PlaceFix(place, drop=True)), f"Removed {place}")


def drop_flow() -> None:
    flow = state.get("drop_flow")
    if not flow:
        return
    added = {flow_id_of(f) for f in state.corrections.add_flows}
    change = (lambda c: c.without_added_flow(flow)) if flow in added else (lambda c: c.with_dropped_flow(flow))
    correct(change, f"Dropped the flow {flow}")


def add_flow() -> None:
    source, target, what = state.get("flow_from"), state.get("flow_to"), state.get("flow_what", "").strip()
    if not (source and target and what) or source == target:
        flash("error", "A flow needs two different places and what moves.")
        return
    flow = NewFlow(source, target, what, state.get("flow_layer", "smuggling"), bool(state.get("flow_two_way")), state.get("flow_note", "").strip())
    correct(lambda c: c.with_added_flow(flow), f"Added the flow {flow_id_of(flow)}")


def undo_correction() -> None:
    item = state.get("undo_item")
    if not item:
        return
    kind, _, ident = item.partition(":")
    if kind == "place":
        change = lambda c: c.without_place_fix(ident)  # noqa: E731
    elif kind == "drop":
        change = lambda c: dataclasses.replace(c, drop_flows=tuple(f for f in c.drop_flows if f != ident))  # noqa: E731
    else:
        change = lambda c: c.without_added_flow(ident)  # noqa: E731
    correct(change, f"Undid {ident}")


def undo_all() -> None:
    correct(lambda c: Corrections(), "Undid every correction")


def correction_items(corrections: Corrections) -> dict[str, str]:
    items = {}
    for fix in corrections.places:
        items[f"place:{fix.place}"] = f"{fix.place}: " + ("removed" if fix.drop else f"is {fix.pick}")
    for flow in corrections.drop_flows:
        items[f"drop:{flow}"] = f"flow {flow} dropped"
    for flow in corrections.add_flows:
        items[f"add:{flow_id_of(flow)}"] = f"flow {flow_id_of(flow)} added"
    return items


# --- the page -----------------------------------------------------------------------


def choose(key: str, options: list, default=None) -> None:
    """Keep a widget's stored value among its current options (they change with the story)."""
    if state.get(key) not in options:
        state[key] = default if default in options else (options[0] if options else None)


# Widgets go in popovers, which the browser builds only when they open. The
# browser loads each kind of widget's code when the page first shows one, and
# shows the map's frame only once the widgets around it are ready: with this
# page's widgets out in the open, the map appeared 0.3 s later at every open.


def sidebar() -> None:
    with st.sidebar:
        st.header("Article")
        with st.popover("Open another article", icon=":material/upload_file:", width="stretch"):
            st.file_uploader(
                "Upload an article (.txt, .md, .html)", type=["txt", "md", "html", "htm"], key="upload", on_change=open_upload
            )
            st.text_area("…or paste its text (headline on the first line)", key="paste_text", height=160)
            st.button("Map the pasted text", key="paste_go", on_click=open_pasted_text, type="primary")
            st.button("Back to the sample article", key="open_default", on_click=open_default_article)
        st.header("Basemap")
        with st.popover(TILES[state.get("tiles", "")], width="stretch"):  # shows the basemap in use
            st.radio("Basemap", list(TILES), format_func=TILES.get, key="tiles", label_visibility="collapsed")
        st.caption("Online tiles need the network; the offline basemap never does.")


def headline(story: geo.Story, article: dict) -> None:
    a = story.article
    counts = f"{len(story.places)} places \u00b7 {len(story.flows)} flows \u00b7 {len(a.quotes)} quotes"
    st.html(
        f'<h1 style="font-size:1.6rem;line-height:1.25;margin:0 0 0.2rem 0;padding:0">{html_text(a.headline)}</h1>'
        f'<div style="color:#666;font-size:0.85rem">{html_text(article["source"] or "pasted text")} \u00b7 {counts}'
        " \u00b7 a draft: check it before you publish</div>"
    )


def panel_items(story: geo.Story, features: list[dict]) -> tuple[dict[str, str], dict[str, str]]:
    """Items a person can open in the panel (id -> label) and the map tooltip of each (tooltip -> id)."""
    labels, tooltips = {}, {}
    for feature in features:
        p = feature["properties"]
        if p["layer"] == "places":
            labels[f"place:{p['id']}"] = p["name"]
            tooltips[p["name"]] = f"place:{p['id']}"
        elif p["layer"] == "port_pressure":
            tooltips[f"{p['name']} {TREND_GLYPHS[p['trend']]}"] = f"place:{p['place']}"
        elif p.get("part") == "line":
            labels[f"flow:{p['id']}"] = p["name"]
            tooltips[p["name"]] = f"flow:{p['id']}"
    return labels, {" ".join(k.split()): v for k, v in tooltips.items()}


def panel(story: geo.Story, features: list[dict], labels: dict[str, str]) -> None:
    st.subheader("On the map")
    if not labels:
        st.info("Nothing to show: the article names no place the gazetteer knows.")
        return
    choose("panel_item", list(labels))
    st.caption("Click a place or a flow on the map, or choose one:")
    with st.popover(md(labels[state.panel_item]), width="stretch"):  # shows what the panel shows
        # Option labels are Markdown: article names are escaped.
        item = st.radio("Place or flow", list(labels), format_func=lambda i: md(labels[i]), key="panel_item", label_visibility="collapsed")
    kind, _, ident = item.partition(":")
    parts = []
    for feature in features:
        p = feature["properties"]
        if kind == "place" and p["layer"] == "places" and p["id"] == ident:
            parts.insert(0, place_popup(p, p.get("country", "")))
        elif kind == "place" and p["layer"] == "port_pressure" and p["place"] == ident:
            parts.append(pressure_popup(p))
        elif kind == "flow" and p.get("part") == "line" and p["id"] == ident:
            parts.append(flow_popup(p))
    with st.container(height=380):  # a long list scrolls here instead of pushing the page down
        st.html('<div class="geomap-panel" style="font-size:0.9rem">' + "<hr>".join(parts) + "</div>")
    if kind == "place":
        place = story.place(ident)
        st.caption(
            md(f"Confidence {place.confidence:.2f} \u00b7 {place.entry_id or 'inferred'} \u00b7 {len(place.candidates)} candidates")
            + " \u2014 change it under **Correct**."
        )


def downloads(story: geo.Story, article: dict, tiles: str) -> None:
    st.subheader("Take it away")
    name = download_name(article)
    menu = st.popover("Download the map", icon=":material/download:", width="stretch")  # see above sidebar()
    for label, suffix, options, mime, ending in DOWNLOADS:
        extra = {"tiles": tiles or None} if suffix == ".html" else {}
        menu.download_button(
            label,
            # Made when clicked (Streamlit runs the callable), from the corrected story.
            data=lambda suffix=suffix, options={**options, **extra}: render(story, suffix, **options),
            file_name=name + ending,
            mime=mime,
            key=f"download_{label}",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
        )
    if not state.corrections.empty:
        st.caption("All of them show the corrected map.")


def places_tab(story: geo.Story) -> None:
    rows = [
        {
            "name": p.name,
            "kind": p.kind,
            "country": p.country_name or p.country_code,
            "lat": round(p.lat, 4),
            "lon": round(p.lon, 4),
            "mentions": len([m for m in p.mentions if not m.reference]),
            "confidence": p.confidence,
            "inferred": p.inferred,
            "gazetteer id": p.entry_id,
        }
        for p in story.places
    ]
    st.dataframe(rows, width="stretch", hide_index=True)


def quotes_tab(story: geo.Story) -> None:
    article = story.article
    named = {}
    for place in story.places:
        for quote in place.quotes(article):
            named.setdefault(quote.start, []).append(place.name)
    speakers = list(article.speakers) + (["unattributed"] if any(not q.speaker for q in article.quotes) else [])
    chosen = st.multiselect("Speakers (none chosen: everyone)", speakers, key="speakers")
    rows = [
        {"paragraph": q.paragraph, "speaker": q.speaker or "unattributed", "quote": article.quote_text(q), "places": ", ".join(named.get(q.start, []))}
        for q in article.quotes
        if not chosen or (q.speaker or "unattributed") in chosen
    ]
    st.dataframe(rows, width="stretch", hide_index=True, column_config={"quote": st.column_config.TextColumn(width="large")})


def correct_tab(story: geo.Story, article: dict) -> None:
    corrections: Corrections = state.corrections
    names = {p.id: p.name + (f" ({p.country_name})" if p.country_name and p.kind != "country" else "") for p in story.places}
    st.subheader("A place")
    if names:
        choose("fix_place", list(names), state.get("panel_item", "").partition(":")[2])
        place_id = st.selectbox("Place", list(names), format_func=names.get, key="fix_place")
        place = story.place(place_id)
        drop = st  # where the remove button goes: beside the candidates, if any
        if place.candidates:
            st.caption("What the gazetteer offered for the name, best first, and why each scored as it did:")
            st.dataframe(
                [
                    {
                        "candidate": f"{c.entry.name}, {c.entry.country_code or '-'}",
                        "kind": c.entry.kind,
                        "score": "chosen" if c.score == float("inf") else f"{c.score:.2f}",
                        "why": "; ".join(f"{reason} ({points:+.2f})" for reason, points in c.reasons),
                        "lat, lon": f"{c.entry.lat:.4f}, {c.entry.lon:.4f}",
                        "gazetteer id": c.entry.id,
                    }
                    for c in place.candidates
                ],
                width="stretch",
                hide_index=True,
                column_config={"why": st.column_config.TextColumn(width="large")},
            )
            entries = {c.entry.id: c for c in place.candidates}
            choose(f"fix_candidate_{place_id}", list(entries))
            pick, use, drop = st.columns([3, 1, 1], vertical_alignment="bottom")
            pick.selectbox(
                "Put it at",
                list(entries),
                format_func=lambda e: f"{entries[e].entry.name}, {entries[e].entry.country_code or '-'} ({entries[e].entry.kind}) \u00b7 {e}",
                key=f"fix_candidate_{place_id}",
            )
            use.button("Use this candidate", key="fix_pick", on_click=pick_candidate, type="primary", width="stretch")
        else:
            st.caption("Inferred from the text: there are no gazetteer candidates, only removal.")
        drop.button("Remove from the map", key="fix_drop", on_click=drop_place, width="stretch")
    else:
        st.caption("No places.")
    st.subheader("Flows")
    flows = {f.id: f for f in story.flows}
    if flows:
        table, action = st.columns([3, 1], vertical_alignment="bottom")
        table.dataframe(
            [
                {
                    "flow": f.id,
                    "what": f.what,
                    "layer": f.layer,
                    "paragraphs": " ".join(str(e.paragraph) for e in f.evidence) or "-",
                    "note": f.note,
                }
                for f in flows.values()
            ],
            width="stretch",
            hide_index=True,
        )
        choose("drop_flow", list(flows))
        action.selectbox("Flow", list(flows), key="drop_flow")
        action.button("Drop this flow", key="flow_drop", on_click=drop_flow, width="stretch")
    if len(names) >= 2:
        st.markdown("**Add a flow**")
        ids = list(names)
        choose("flow_from", ids)
        choose("flow_to", ids, ids[1])
        choose("flow_layer", list(FLOW_LAYERS))
        first, second = st.columns(3), st.columns(3, vertical_alignment="bottom")
        first[0].selectbox("From", ids, format_func=names.get, key="flow_from")
        first[1].selectbox("To", ids, format_func=names.get, key="flow_to")
        first[2].text_input("What moves", key="flow_what", placeholder="cocaine, migrants, money …")
        second[0].selectbox("Layer", list(FLOW_LAYERS), format_func=lambda layer: LAYER_TITLES.get(layer, layer), key="flow_layer")
        second[1].text_input("Note (optional)", key="flow_note")
        second[2].checkbox("Both ways", key="flow_two_way")
        st.button("Add this flow", key="flow_add", on_click=add_flow)
    st.subheader("Corrections so far")
    file = corrections_file(article)
    items = correction_items(corrections)
    if items:
        choose("undo_item", list(items))
        which, one, every = st.columns([3, 1, 1], vertical_alignment="bottom")
        which.selectbox("Correction", list(items), format_func=items.get, key="undo_item")
        one.button("Undo it", key="undo_one", on_click=undo_correction, width="stretch")
        every.button("Undo them all", key="undo_all", on_click=undo_all, width="stretch")
    else:
        st.caption("None yet.")
    st.text(f"Corrections file: {file}" + ("" if file.exists() else " (written at the first correction)"))
    st.download_button(
        "Download the corrections (JSON)",
        data=json.dumps(corrections.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        file_name=file.name,
        mime="application/json",
        key="download_corrections",
        on_click="ignore",
        icon=":material/download:",
    )


def main() -> None:
    st.set_page_config(page_title="article-geomap", layout="wide")  # no page_icon: a Material icon is fetched online
    problem = web_assets()
    settled()
    if "article" not in state:
        open_default_article()
    # Messages live in one container, so the map below keeps its place in the page
    # (an element that moves is rebuilt: the map would reload).
    messages = st.container()
    with messages:
        for kind, message in state.pop("flash", []):
            getattr(st, kind)(md(message))
        if problem:
            st.warning(md(problem))
    if "article" not in state:
        sidebar()  # to open another article
        st.stop()  # the default article could not be read; the error says why
    article = state.article
    # The map goes to the browser first (then the sidebar and the rest): the tiles
    # chosen in the sidebar on an earlier run are in the session state already.
    tiles = state.get("tiles", "")
    title = st.empty()
    with st.spinner("Reading the article and drawing its map…"):
        try:
            story = story_of(*key_of(article, state.corrections))
        except (geo.CorrectionsError, geo.GazetteerError) as err:
            # Corrections saved for this article that no longer fit it (the file is left alone).
            messages.warning(md(f"Corrections ignored: {err}"))
            state.corrections = Corrections()
            story = story_of(*key_of(article, state.corrections))
        key = key_of(article, state.corrections)
        features = features_of(*key)
        fmap = copy.deepcopy(pristine_map(*key, tiles))  # st_folium renames the elements of what it gets
    labels, tooltips = panel_items(story, features)
    # render=False: st_folium still renders the map once itself; with True it renders it twice
    # (a sixth of a second here, and every marker's setIcon written twice).
    clicked = st_folium(
        fmap, key="map", height=560, use_container_width=True, returned_objects=["last_object_clicked_tooltip"], render=False
    )
    with title:
        headline(story, article)
    sidebar()
    tooltip = (clicked or {}).get("last_object_clicked_tooltip")
    if tooltip and tooltip != state.get("click_seen"):  # a click on the map: open what was clicked
        state.click_seen = tooltip
        item = tooltips.get(" ".join(html.unescape(tooltip).split()))
        if item is not None:
            state.panel_item = item
            if item.startswith("place:"):
                state.fix_place = item.partition(":")[2]
    panel_column, take_column = st.columns([2, 1], gap="large")
    with panel_column:
        panel(story, features, labels)
    with take_column:
        downloads(story, article, tiles)
    # Only the open tab runs ("rerun" on a switch): the map reaches the browser sooner.
    # The article comes first: it is light for the browser, and shows what was found where.
    tabs = st.tabs(["Article", "Places", "Quotes", "Correct"], key="tab", on_change="rerun")
    for tab, show in zip(tabs, (lambda s: st.html(article_html(s)), places_tab, quotes_tab, lambda s: correct_tab(s, article))):
        if tab.open:
            with tab:
                show(story)


main()
