"""The one exception tree of ``geo``.

Every error the library raises on purpose derives from :class:`GeoError`, and
each subclass also inherits the builtin a caller would naturally catch, so
``except ValueError`` keeps working for people who do not know our names.
"""

from __future__ import annotations

__all__ = [
    "GeoError",
    "ArticleError",
    "GazetteerError",
    "GeocoderError",
    "GeocoderNotFound",
    "CorrectionsError",
    "ExportError",
    "AssetError",
]


class GeoError(Exception):
    """Root of every error raised by ``geo``."""


class ArticleError(GeoError, ValueError):
    """The input cannot be read as an article (empty, binary, too large ...)."""


class GazetteerError(GeoError, LookupError):
    """The gazetteer is missing, unreadable, or lacks a requested entry."""


class GeocoderError(GeoError, RuntimeError):
    """A geocoder failed to answer (network, service or cache trouble)."""


class GeocoderNotFound(GeoError, KeyError):
    """No geocoder is registered under the requested name."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class CorrectionsError(GeoError, ValueError):
    """A corrections file is malformed or names something that does not exist."""


class ExportError(GeoError, OSError):
    """An output file could not be written."""


class AssetError(GeoError, FileNotFoundError):
    """A data file the package ships (basemap, web assets, name lists) is missing or unreadable."""
