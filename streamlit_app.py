"""The Streamlit page: the seed article's places and quotes (the map comes with the maps issue)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import geo
from geo.records import places_document, quotes_document

SEED = Path(__file__).resolve().parent / "seeds" / "000_52007b56ccc49824.txt"


@st.cache_resource
def _gazetteer() -> geo.Gazetteer:
    return geo.Gazetteer.open()


article = geo.load_article(SEED)
places = geo.find_places(article, gazetteer=_gazetteer())
st.title(article.headline)
st.subheader("Places")
st.dataframe(
    [
        {k: p[k] for k in ("name", "kind", "country_code", "lat", "lon", "confidence", "inferred")}
        for p in places_document(article, places)["places"]
    ],
    use_container_width=True,
)
st.subheader("Quotes")
st.dataframe(
    [{k: q[k] for k in ("paragraph", "speaker", "text")} for q in quotes_document(article)["quotes"]],
    use_container_width=True,
)
