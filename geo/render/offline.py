"""folium maps that render with no network at all.

:class:`OfflineMap` is a real ``folium.Map`` (``st_folium`` accepts it) with
two ways of reaching Leaflet and jQuery, both from the vendored copies in
``assets/web/`` (see ``tools/vendor_web_assets.py``):

* inline (default): ``m.save(path)`` writes ONE self-contained file: the
  scripts and the stylesheet are pasted into it and its images become
  ``data:`` URIs, so the page makes zero requests.
* static URL: ``OfflineMap(static_url="/app/static/")`` links
  ``/app/static/leaflet/leaflet.js`` and so on instead, for a server that
  serves a copy of ``assets/web/`` there (:func:`copy_web_assets`), such as
  Streamlit with ``server.enableStaticServing``. The world basemap is a
  script there too (named by what it is made from, so a browser may keep
  it), not part of every page: 450 KB a page (in Streamlit, a run) less.

With no tiles (the default) the map draws the Natural Earth basemap from
``geo.basemap``: land, coastline and country borders, plus, on request, the
provinces of some countries. ``tiles="osm"`` or any xyzservices name adds an
online tile layer instead; such a map then needs the network for its tiles.

folium keeps its CDN links in class-level lists (``folium.Map.default_js``)
shared by every map in the process; this module never touches them and sets
its own lists on each instance.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import folium
import shapely
from branca.element import CssLink, Element, JavascriptLink
from folium.elements import ElementAddToElement
from folium.template import Template
from markupsafe import Markup
from shapely.geometry import mapping, shape

from geo import basemap as natural_earth
from geo._assets import asset_path
from geo.errors import GeoError
from geo.escape import html_text, script_json
from geo.files import write_atomic
from geo.gazetteer import DATA_CREDITS
from geo.render.style import BORDER_STYLE, LAND_STYLE, PROVINCE_STYLE, SEA

__all__ = [
    "OfflineMap",
    "OfflineAssetError",
    "PageElement",
    "CREDITS",
    "STREAMLIT_STATIC_URL",
    "copy_web_assets",
]

CREDITS: tuple[str, ...] = DATA_CREDITS
STREAMLIT_STATIC_URL = "/app/static/"

# Header entry names are folium's own, so a plugin that re-adds e.g. the
# "jquery" CDN link overwrites ours and is caught in OfflineMap.render.
_SCRIPTS = (("leaflet", "leaflet/leaflet.js"), ("jquery", "jquery/jquery.min.js"))
_STYLESHEETS = (("leaflet_css", "leaflet/leaflet.css"),)
_ICON_FILES = (
    ("iconUrl", "marker-icon.png"),
    ("iconRetinaUrl", "marker-icon-2x.png"),
    ("shadowUrl", "marker-shadow.png"),
)
_SCRIPT_NAMES = frozenset(name for name, _ in _SCRIPTS)
_ICON_DIR = "leaflet/images/"
_TILE_ALIASES = {"osm": "OpenStreetMap"}
_STATIC_URL = re.compile(r"[A-Za-z0-9_.~:/%-]*/\Z")

# A calm basemap: pale land on a pale sea, grey lines that stay behind the story.
_BASEMAP_PANE = "geomapBasemap"
_BASEMAP_Z = 250  # above tiles (200), below vector overlays (400) and markers


class OfflineAssetError(GeoError, RuntimeError):
    """A map element needs a script or stylesheet that is not vendored."""


class OfflineMap(folium.Map):
    """A ``folium.Map`` whose saved HTML needs no network.

    Parameters beyond ``folium.Map``'s (all keyword-only):

    tiles
        None (default): no tile layer. ``"osm"``, an xyzservices name or
        provider, or a ``folium.TileLayer``: an online tile layer with its
        attribution.
    basemap
        Draw the Natural Earth land and borders; default: only when there
        are no tiles.
    provinces
        ISO alpha-2 codes of countries whose province borders to draw.
    static_url
        None (default): inline every asset. A URL prefix ending in ``/``
        (e.g. :data:`STREAMLIT_STATIC_URL`): link the assets under it.
    credits
        Attribution texts (escaped here); Leaflet's own credit stays.
    bounds
        ``((south, west), (north, east))`` to open on instead of ``location``:
        fitted before anything is drawn, so nothing is drawn twice.
    jquery
        True (default): load jQuery, which folium's popups need. None: only
        when the map holds an element not known to do without it (decided
        when the map is rendered), so a map that draws its popups with
        Leaflet skips a 90 KB script.

    >>> html = OfflineMap(basemap=False).get_root().render()
    >>> "cdn." in html or 'src="http' in html
    False
    """

    def __init__(
        self,
        location: Sequence[float] | None = None,
        *,
        tiles: str | folium.TileLayer | None = None,
        basemap: bool | None = None,
        provinces: Iterable[str] = (),
        static_url: str | None = None,
        credits: Iterable[str] = CREDITS,
        bounds: Sequence[Sequence[float]] | None = None,
        jquery: bool | None = True,
        **kwargs,
    ) -> None:
        tile_layer = _tile_layer(tiles)
        super().__init__(location, tiles=tile_layer, **kwargs)
        if bounds is not None:
            self.add_child(_FitBounds(bounds), name="view")
        self.static_url = _checked_static_url(static_url)
        self.jquery = jquery
        # Per-instance lists: folium's are class attributes shared by every
        # map in the process, and add_js_link() mutates whichever it finds.
        self.default_js = self._asset_links(self._scripts(jquery is not False))
        self.default_css = self._asset_links(_STYLESHEETS)

        self.add_child(_DefaultIcon(self.static_url), name="default_icon")
        draw_basemap = tile_layer is None if basemap is None else basemap
        if draw_basemap:
            if self.static_url is None:
                world = [(Markup(_world_json(layer)), style) for layer, style in _WORLD_LAYERS]
            else:
                self.default_js.append((_WORLD_SCRIPT_NAME, self.static_url + _world_script_path()))
                # Without its script (a static/ not copied) the story is still drawn, on the sea alone.
                world = [(Markup(f"(window.{_WORLD_VARIABLE} || {{}}).{layer} || []"), style) for layer, style in _WORLD_LAYERS]
            self.add_child(_Basemap(world), name="basemap")
        if isinstance(provinces, str):
            provinces = [provinces]
        province_json = _province_json(tuple(sorted(set(provinces))))
        if province_json:
            self.add_child(_Basemap([(Markup(province_json), PROVINCE_STYLE)], sea=None), name="provinces")
        self.add_child(_Credits(credits), name="credits")

    @staticmethod
    def _scripts(jquery: bool) -> tuple[tuple[str, str], ...]:
        return tuple((name, path) for name, path in _SCRIPTS if jquery or name != "jquery")

    def _asset_links(self, assets: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        if self.static_url is None:
            return []  # inlined by render()
        return [(name, self.static_url + path) for name, path in assets]

    def render(self, **kwargs) -> None:
        _refuse_awesome_icons(self)
        if self.jquery is None and self.static_url is not None:
            # st_folium reads default_js after rendering: it loads what is listed here.
            ours = self._asset_links(self._scripts(_needs_jquery(self)))
            self.default_js = ours + [(n, u) for n, u in self.default_js if n not in _SCRIPT_NAMES]
        header = self.get_root().header
        if self.static_url is None:
            # Added before folium's own header entries so that Leaflet is
            # defined before anything else in the page runs.
            for name, element in self._asset_elements().items():
                header.add_child(element, name=name)
        super().render(**kwargs)
        self._settle_links(header)

    def _asset_elements(self) -> dict[str, Element]:
        """Header elements that provide the vendored libraries, by folium's names."""
        if self.static_url is None:
            scripts = dict(self._scripts(self.jquery or (self.jquery is None and _needs_jquery(self))))
            return {name: _Raw(html) for name, html in _inline_html() if name in scripts or name not in _SCRIPT_NAMES}
        return {
            name: (JavascriptLink if name in _SCRIPT_NAMES or name == _WORLD_SCRIPT_NAME else CssLink)(url)
            for name, url in [*self.default_js, *self.default_css]
        }

    def _settle_links(self, header: Element) -> None:
        """Point vendored libraries at our copies; refuse anything else external."""
        ours = self._asset_elements()
        for name, child in list(header._children.items()):
            if not isinstance(child, (JavascriptLink, CssLink)):
                continue
            if name not in ours:
                raise OfflineAssetError(
                    f"{name!r} needs {child.url}, which is not vendored in "
                    "assets/web/; an offline map cannot load it"
                )
            header.add_child(ours[name], name=name)  # same name keeps its place


class PageElement(folium.MacroElement):
    """A MacroElement whose rendered header, HTML and script go into the page as they are.

    branca's MacroElement.render wraps each rendered piece in an Element, which
    compiles it as a Jinja template before rendering it again: about a millisecond
    a piece, 50 ms for the world basemap's script, on every render of the map
    (st_folium renders it on each run of a page). And a ``{{`` in the text would
    be taken for a template tag.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


# Elements whose scripts never use jQuery; any other (a folium Popup, a plugin,
# a GeoJson loaded by URL) may, and brings jQuery back when jquery=None.
_JQUERY_FREE = (
    folium.FeatureGroup,
    folium.LayerControl,
    folium.TileLayer,
    folium.Marker,
    folium.DivIcon,
    folium.Tooltip,
    folium.CircleMarker,
    ElementAddToElement,
)


def _needs_jquery(fmap: folium.Map) -> bool:
    if fmap.objects_to_stay_in_front:  # folium orders them in $(document).ready
        return True
    stack = list(fmap._children.values())
    while stack:
        element = stack.pop()
        if not isinstance(element, (PageElement, *_JQUERY_FREE)):
            return True
        stack.extend(element._children.values())
    return False


def _refuse_awesome_icons(element: Element) -> None:
    # folium.Icon draws with L.AwesomeMarkers and Font Awesome, which folium
    # expects from the Map's CDN links; without them the map script stops.
    for child in element._children.values():
        if isinstance(child, folium.Icon):
            raise OfflineAssetError(
                "folium.Icon needs Leaflet.awesome-markers and Font Awesome, which "
                "are not vendored; use the default marker, a DivIcon or a CircleMarker"
            )
        _refuse_awesome_icons(child)


def copy_web_assets(static_dir: Path | str) -> Path:
    """Copy the vendored Leaflet and jQuery into ``static_dir`` for static_url mode, and the world's script.

    A map made with ``static_url=P`` expects ``P + "leaflet/leaflet.js"``,
    ``P + "basemap/world-<digest>.js"`` and so on; with Streamlit,
    ``static_dir`` is the app's ``static/``.
    """
    target = Path(static_dir)
    for top in sorted({path.split("/")[0] for _, path in (*_SCRIPTS, *_STYLESHEETS)}):
        source = asset_path("web", top)
        for file in sorted(source.rglob("*")):
            if file.is_file():
                # File by file, atomically: a server may already be serving this directory.
                destination = target / top / file.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(destination, file.read_bytes())
    world = target / _world_script_path()
    # Named by what it is made from, so a file already there is this one (each
    # is written whole): left as it is, it keeps its age, by which browsers judge
    # how long to keep it without asking again (Streamlit sends no Cache-Control).
    if not world.is_file():
        world.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(world, _world_script().encode("utf-8"))
    for stale in world.parent.glob("world-*.js"):
        if stale != world:  # an earlier simplification's
            stale.unlink(missing_ok=True)
    return target


# --- inline assets ------------------------------------------------------------


class _Raw(Element):
    """Literal HTML. branca's Element would compile the text as a Jinja
    template, which is slow for a library and breaks on a stray ``{{``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self._html = html

    def render(self, **kwargs) -> str:
        return self._html


@lru_cache(maxsize=1)
def _inline_html() -> tuple[tuple[str, str], ...]:
    """(header name, HTML) pairs; cached as immutable strings, not as elements,
    because branca elements get a parent when added to a page."""
    # An explicit empty icon stops the browser asking for /favicon.ico.
    pairs = [("favicon", '<link rel="icon" href="data:,">')]
    for name, path in _STYLESHEETS:
        css = _with_data_uris(_web_text(path), base=path.rsplit("/", 1)[0] + "/")
        pairs.append((name, f"<style>{_checked(css, '</style')}</style>"))
    for name, path in _SCRIPTS:
        js = _without_source_map(_web_text(path))
        pairs.append((name, f"<script>{_checked(js, '</script', '<!--')}</script>"))
    return tuple(pairs)


def _web_text(path: str) -> str:
    return asset_path("web", path).read_text(encoding="utf-8")


def _data_uri(path: str) -> str:
    data = base64.b64encode(asset_path("web", path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{data}"


def _with_data_uris(css: str, base: str) -> str:
    """``url(images/x.png)`` -> ``url("data:image/png;base64,...")``."""
    return re.sub(
        r"""url\((['"]?)(images/[\w.-]+\.png)\1\)""",
        lambda m: f'url("{_data_uri(base + m.group(2))}")',
        css,
    )


def _without_source_map(js: str) -> str:
    # The .map file is not vendored; a browser's dev tools would fetch it.
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)


def _checked(text: str, *forbidden: str) -> str:
    """Refuse text that would end or confuse the element it is pasted into."""
    lowered = text.lower()
    for needle in forbidden:
        if needle in lowered:
            raise OfflineAssetError(f"vendored asset contains {needle!r}; cannot inline it")
    return text


# --- map elements -------------------------------------------------------------


def _script_json(value) -> Markup:
    """Compact :func:`geo.escape.script_json`, marked safe for the page's templates."""
    return Markup(script_json(value, compact=True))


class _DefaultIcon(PageElement):
    """Tell ``L.Icon.Default`` where its images are.

    Leaflet guesses the image folder from its stylesheet's URL, which fails
    for an inlined stylesheet or one behind Streamlit (which answers a wrong
    path with 200 text/html, so the icons vanish without an error).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Icon.Default.imagePath = {{ this.image_path }};
            {%- if this.icons %}
            L.Icon.Default.mergeOptions({{ this.icons }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, static_url: str | None) -> None:
        super().__init__()
        self._name = "DefaultIcon"
        if static_url is None:
            # imagePath "" + a data: URI is the data: URI itself.
            self.image_path = _script_json("")
            self.icons = _script_json(
                {key: _data_uri(_ICON_DIR + file) for key, file in _ICON_FILES}
            )
        else:
            self.image_path = _script_json(static_url + _ICON_DIR)
            self.icons = None


class _FitBounds(PageElement):
    """The first view, set before any layer is added.

    A fitBounds after the layers are drawn draws them twice (at the first zoom,
    then again after a zoom animation), the whole world's basemap included.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds }}, {animate: false});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()
        self._name = "FitBounds"
        self.bounds = _script_json([[float(v) for v in corner] for corner in bounds])


class _Basemap(PageElement):
    """Non-interactive GeoJSON layers in a pane below the story's own layers."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            {%- if this.sea %}
            <style>#{{ this._parent.get_name() }} { background: {{ this.sea }}; }</style>
            {%- endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function (map) {
                var pane = map.getPane({{ this.pane }}) || map.createPane({{ this.pane }});
                pane.style.zIndex = {{ this.z_index }};
                pane.style.pointerEvents = "none";
                {%- for data, style in this.layers %}
                L.geoJSON({{ data }}, {
                    pane: {{ this.pane }}, interactive: false, style: {{ style }}
                }).addTo(map);
                {%- endfor %}
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[tuple[Markup, dict]], sea: str | None = SEA) -> None:
        """``layers``: (data, style) pairs; data is script-safe JavaScript (JSON text or a variable)."""
        super().__init__()
        self._name = "Basemap"
        self.sea = sea
        self.pane = _script_json(_BASEMAP_PANE)
        self.z_index = _BASEMAP_Z
        self.layers = [(data, _script_json(style)) for data, style in layers]


class _Credits(PageElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            if ({{ this._parent.get_name() }}.attributionControl) {
                {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text }});
            }
        {% endmacro %}
        """
    )

    def __init__(self, credits: Iterable[str]) -> None:
        super().__init__()
        self._name = "Credits"
        if isinstance(credits, str):
            credits = [credits]
        # Leaflet shows attributions as HTML.
        self.text = _script_json(" | ".join(html_text(c) for c in credits))


# --- layer data ---------------------------------------------------------------


def _geometries(collection: dict) -> list[dict]:
    # Only shapes reach the page: no names, so nothing there needs escaping.
    return [f["geometry"] for f in collection["features"]]


_WORLD_LAYERS = (("land", LAND_STYLE), ("borders", BORDER_STYLE))
_WORLD_SCRIPT_NAME = "geomap_world"  # its header entry, beside folium's "leaflet" and "jquery"
_WORLD_VARIABLE = "geomapWorld"


@lru_cache(maxsize=1)
def _world_script() -> str:
    """The world basemap as a script of its own, for static_url mode: ``geomapWorld = {land, borders}``."""
    # Geometry JSON holds numbers and type names only: nothing to escape, no
    # quote or backslash to end the string. JSON.parse reads it a third faster
    # than the browser parses the same text as a JavaScript literal.
    layers = ",".join(f"{json.dumps(layer)}:{_world_json(layer)}" for layer, _ in _WORLD_LAYERS)
    if "'" in layers or "\\" in layers or "<" in layers:
        raise OfflineAssetError("the world basemap's JSON holds characters a script string cannot")
    return f"var {_WORLD_VARIABLE} = JSON.parse('{{{layers}}}');\n"


_WORLD_FORMAT = 1  # one more whenever _world_json makes something else of the same files


@lru_cache(maxsize=1)
def _world_script_path() -> str:
    """Where the world's script goes under a static URL, named by what it is made from.

    The name is known without simplifying the world (three quarters of a
    second), so a server finds the file an earlier one wrote; and a browser may
    keep the file as long as it likes, since other data gets another name.
    """
    digest = hashlib.sha256(f"{_WORLD_FORMAT} {_WORLD_TOLERANCE} {_WORLD_GRID}".encode())
    for layer, _ in _WORLD_LAYERS:
        digest.update(asset_path("basemap", f"{layer}.geojson").read_bytes())
    return f"basemap/world-{digest.hexdigest()[:16]}.js"


# A page draws the whole world's land and borders; at the zooms a story is
# read at, a shape simplified by 5 km looks the same, carries a third of the
# points and draws in half the time.
_WORLD_TOLERANCE = 0.05  # degrees
_WORLD_GRID = 0.001  # degrees: coordinates to three decimals


@lru_cache(maxsize=2)
def _world_json(layer: str) -> str:
    """The world layer's geometries, simplified, as JSON text (immutable, so cached)."""
    collection = natural_earth.land() if layer == "land" else natural_earth.borders()
    shapes = [
        shapely.set_precision(shapely.simplify(shape(geometry), _WORLD_TOLERANCE, preserve_topology=True), _WORLD_GRID)
        for geometry in _geometries(collection)
    ]
    return json.dumps([mapping(geometry) for geometry in shapes if not geometry.is_empty], separators=(",", ":"))


@lru_cache(maxsize=64)
def _province_json(country_codes: tuple[str, ...]) -> str:
    """The inner province borders of these countries as script-safe JSON text, "" for none.

    Cached as text (immutable): the shapely work takes a tenth of a second
    and a page rebuilds its map at every correction.
    """
    if not country_codes:
        return ""  # without reading the provinces file (5 MB)
    layers = _province_layers(country_codes)
    return _script_json(layers[0][0]) if layers else ""


def _province_layers(country_codes: Iterable[str]) -> list[tuple[object, dict]]:
    features = natural_earth.provinces(country_codes)["features"]
    by_country: dict[str, list] = {}
    for f in features:
        by_country.setdefault(f["properties"]["country"], []).append(shape(f["geometry"]))
    lines = [_inner_edges(shapes) for _, shapes in sorted(by_country.items())]
    # Cutting at the outline leaves full-precision ends; 4 decimals is ~10 m.
    lines = [mapping(shapely.transform(line, lambda xy: xy.round(4)))
             for line in lines if not line.is_empty]
    return [(lines, PROVINCE_STYLE)] if lines else []


def _inner_edges(shapes: list) -> shapely.Geometry:
    """Edges between a country's provinces, without its coast or outer border.

    The country outline is already drawn by the world layer; drawing the
    provinces' own (differently simplified) outline would double it.
    """
    edges = shapely.union_all([s.boundary for s in shapes])
    outline = shapely.union_all(shapes).boundary
    return shapely.line_merge(edges.difference(outline.buffer(1e-4)))


def _tile_layer(tiles) -> folium.TileLayer | None:
    if tiles is None or isinstance(tiles, folium.TileLayer):
        return tiles
    if isinstance(tiles, str):
        tiles = _TILE_ALIASES.get(tiles.strip().lower(), tiles)
    return folium.TileLayer(tiles=tiles)


def _checked_static_url(url: str | None) -> str | None:
    # The prefix goes into src="..." attributes unescaped by branca.
    if url is not None and not _STATIC_URL.match(url):
        raise ValueError(f"static_url must be a plain URL path ending in '/': {url!r}")
    return url
