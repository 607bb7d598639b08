"""Where the package's data files live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["asset_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent


def _assets_root() -> Path:
    # A wheel carries the assets inside the package (see pyproject.toml);
    # a source checkout or an editable install keeps them at the repository top.
    installed = _PACKAGE_DIR / "assets"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "assets"


def asset_path(*parts: str) -> Path:
    """Path of a data file under ``assets/``; it may not exist."""
    return _assets_root().joinpath(*parts)
