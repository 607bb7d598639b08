"""article-geomap: turn a news article into a geographic map of its story."""

from __future__ import annotations

__version__ = "0.1.0"
