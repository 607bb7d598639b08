"""Whole-process time of `geomap places` on the seed article (target: under 1 s here).

Prints the median and best of several cold runs of the real command, each a
fresh Python process, so start-up, imports and the gazetteer's opening count.

    python benchmarks/places_bench.py [--runs N] [ARTICLE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(ROOT / "seeds" / "000_52007b56ccc49824.txt"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    command = [sys.executable, "-m", "geo.cli", "places", args.article, "--json"]
    subprocess.run(command, check=True, capture_output=True)  # warm the OS file cache
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    import_only = []
    for _ in range(args.runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import geo.cli"], check=True)
        import_only.append(time.perf_counter() - began)
    print(f"geomap places {Path(args.article).name} --json, {args.runs} cold processes")
    print(f"  whole process: median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms")
    print(f"  of which python start + imports: median {statistics.median(import_only) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
