"""Writing a story to files, the format chosen by the file's suffix.

Every writer renders to bytes first and then replaces the target in one
atomic step, so a failed or interrupted export leaves no partial file.

============  =========================================================
``.html``     the standalone map: one self-contained file, offline
``.geojson``  the layers as one RFC 7946 FeatureCollection
``.kml``      the layers for Google Earth
``.csv``      one row a place
``.png``      a static map image (``width``/``height`` in pixels)
``.svg``      the same static map as vector graphics
============  =========================================================

With ``embed=True`` an ``.html`` file holds a fragment to paste into a
report or CMS page instead of a whole page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from typing import TYPE_CHECKING

from .errors import ExportError
from .files import write_atomic

if TYPE_CHECKING:
    from .story import Story

# Each renderer imports what it draws with (shapely, folium, matplotlib) when
# it runs: a command that lists places, or asks for --help, loads none of it.

__all__ = ["export", "render", "export_formats"]

DEFAULT_WIDTH = 1600
DEFAULT_HEIGHT = 1000


def _geojson(story: Story, **_: Any) -> bytes:
    from .layers import geojson_text, story_layers

    return geojson_text(story_layers(story)).encode("utf-8")


def _html(story: Story, *, embed: bool = False, tiles: str | None = None, height: int = DEFAULT_HEIGHT, **_: Any) -> bytes:
    from .render.html import embed_html, map_html

    if embed:
        return embed_html(story, tiles=tiles, height=min(height, 900)).encode("utf-8")
    return map_html(story, tiles=tiles).encode("utf-8")


def _kml(story: Story, **_: Any) -> bytes:
    from .render.kml import kml_bytes

    return kml_bytes(story)


def _csv(story: Story, **_: Any) -> bytes:
    from .render.table import places_csv

    return places_csv(story)


def _png(story: Story, *, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT, **_: Any) -> bytes:
    from .render.static import render_png

    return render_png(story, width=width, height=height)


def _svg(story: Story, *, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT, **_: Any) -> bytes:
    from .render.static import render_svg

    return render_svg(story, width=width, height=height)


_RENDERERS: Mapping[str, Callable[..., bytes]] = MappingProxyType(
    {
        ".html": _html,
        ".htm": _html,
        ".geojson": _geojson,
        ".json": _geojson,
        ".kml": _kml,
        ".csv": _csv,
        ".png": _png,
        ".svg": _svg,
    }
)


def export_formats() -> tuple[str, ...]:
    """The file suffixes :func:`export` can write."""
    return tuple(_RENDERERS)


def render(story: Story, suffix: str, **options: Any) -> bytes:
    """The story rendered in the format of a file suffix (``".geojson"`` ...)."""
    renderer = _RENDERERS.get(suffix.lower())
    if renderer is None:
        raise ExportError(f"cannot write {suffix or 'a file without a suffix'}; use one of {', '.join(export_formats())}")
    if options.get("embed") and suffix.lower() not in (".html", ".htm"):
        raise ExportError("--embed writes an HTML fragment: give an .html file")
    return renderer(story, **{k: v for k, v in options.items() if v is not None})


def export(story: Story, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write the story to ``path`` in the format its suffix names, atomically."""
    target = Path(path)
    return write_atomic(target, render(story, target.suffix, **options))
