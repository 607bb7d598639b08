"""Writing a story to files, the format chosen by the file's suffix.

Every writer renders to bytes first and then replaces the target in one
atomic step, so a failed or interrupted export leaves no partial file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ExportError
from .files import write_atomic
from .layers import geojson_text, story_layers
from .story import Story

__all__ = ["export", "render", "export_formats"]


def _geojson(story: Story, **_: Any) -> bytes:
    return geojson_text(story_layers(story)).encode("utf-8")


_RENDERERS: Mapping[str, Callable[..., bytes]] = MappingProxyType({".geojson": _geojson, ".json": _geojson})


def export_formats() -> tuple[str, ...]:
    """The file suffixes :func:`export` can write."""
    return tuple(_RENDERERS)


def render(story: Story, suffix: str, **options: Any) -> bytes:
    """The story rendered in the format of a file suffix (``".geojson"`` ...)."""
    renderer = _RENDERERS.get(suffix.lower())
    if renderer is None:
        raise ExportError(f"cannot write {suffix or 'a file without a suffix'}; use one of {', '.join(export_formats())}")
    return renderer(story, **options)


def export(story: Story, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write the story to ``path`` in the format its suffix names, atomically."""
    target = Path(path)
    return write_atomic(target, render(story, target.suffix, **options))
