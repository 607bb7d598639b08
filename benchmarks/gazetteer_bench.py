#!/usr/bin/env python3
"""Benchmark of the embedded gazetteer: cold load time, file size, query times.

Run from the repository root::

    python benchmarks/gazetteer_bench.py [--names 3000] [--runs 5]

Load time is measured in fresh subprocesses (import ``geo.gazetteer`` and open
the database); query times are means over a deterministic sample of stored
names (every k-th entry) plus as many misses.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo._assets import asset_path  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402

_COLD_OPEN = (
    "import time; t = time.perf_counter(); "
    "from geo.gazetteer import Gazetteer; g = Gazetteer.open(); "
    "print(time.perf_counter() - t)"
)


def cold_load_seconds(runs: int) -> list[float]:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD_OPEN], cwd=REPO, env=env, check=True,
                             capture_output=True, text=True).stdout
        times.append(float(out.strip()))
    return times


def sample_names(gaz: Gazetteer, count: int) -> list[str]:
    # every k-th entry by eid: a deterministic spread over all kinds and countries
    total = gaz._rows("SELECT count(*) FROM entries")[0][0]
    step = max(1, total // count)
    rows = gaz._rows("SELECT name FROM entries WHERE abs(eid) % ? = 0 ORDER BY eid LIMIT ?", (step, count))
    return [r[0] for r in rows]


def mean_microseconds(func, items) -> float:
    start = time.perf_counter()
    for item in items:
        func(item)
    return (time.perf_counter() - start) / len(items) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    folder = asset_path("gazetteer")
    sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}
    loads = cold_load_seconds(args.runs)

    with Gazetteer.open() as gaz:
        hits = sample_names(gaz, args.names)
        misses = [f"{name} zzq" for name in hits]
        gaz.lookup("warm up")
        hit_us = mean_microseconds(gaz.lookup, hits)
        miss_us = mean_microseconds(gaz.lookup, misses)
        start = time.perf_counter()
        found = gaz.lookup_many(hits)
        many_us = (time.perf_counter() - start) / len(hits) * 1e6
        points = [(e.lat, e.lon) for e in (gaz.lookup(n)[0] for n in hits[:500]) if e]
        nearest_us = mean_microseconds(lambda p: gaz.nearest(*p), points)
        places_us = mean_microseconds(lambda c: gaz.places(c, coast="Pacific"), ["PE", "CL", "US", "FR", "CN"] * 10)
        matched = sum(1 for n in hits if gaz.lookup(n))

    print(f"gazetteer assets: {sum(sizes.values()) / 1e6:.2f} MB "
          + ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in sizes.items()))
    print(f"cold load (import geo.gazetteer + open, {args.runs} fresh processes): "
          f"median {statistics.median(loads) * 1000:.1f} ms, min {min(loads) * 1000:.1f} ms, "
          f"max {max(loads) * 1000:.1f} ms")
    print(f"lookup(): mean {hit_us:.1f} us per name over {len(hits)} stored names "
          f"({matched} matched), {miss_us:.1f} us per miss")
    print(f"lookup_many(): {many_us:.1f} us per name ({len(hits)} names, {len(found)} keys matched)")
    print(f"nearest(): mean {nearest_us:.1f} us over {len(points)} points")
    print(f"places(country, coast='Pacific'): mean {places_us:.0f} us")


if __name__ == "__main__":
    main()
