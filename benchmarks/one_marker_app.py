"""The yardstick for streamlit_bench.py: the smallest st_folium page, one marker.

It loads Leaflet the same offline way as streamlit_app.py (the vendored copy,
served from static/ beside this file), so the two pages differ only in what
they draw. streamlit_bench.py runs it from a temporary directory holding
this file, static/ and the repository's .streamlit/config.toml.
"""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.render.offline import STREAMLIT_STATIC_URL, OfflineMap

st.set_page_config(page_title="one marker", layout="wide")
st.title("One marker")
fmap = OfflineMap(location=[3.88, -77.03], zoom_start=6, static_url=STREAMLIT_STATIC_URL, basemap=False)
folium.Marker([3.88, -77.03], tooltip="Buenaventura").add_to(fmap)
st_folium(fmap, key="map", height=600, use_container_width=True, returned_objects=["last_object_clicked_tooltip"])
