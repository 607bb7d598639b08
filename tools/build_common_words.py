"""Build assets/words/common_english.txt: the commonest English words.

A capitalised word that is also a common English word ("Economy", "Luck",
"Mission") reads as a place only when a large place bears it or the text
puts it somewhere ("in Mission"): a small town of that name is rarely meant.

Source: the English frequency list of wordfreq (PyPI ``wordfreq==3.1.1``,
code Apache-2.0, data CC BY-SA 4.0; Robyn Speer and contributors), the
words of Zipf frequency 3.5 or more (about one in 300,000 words of running
text) made of letters only. Its data file is MessagePack; it is read with
msgpack's pure-Python unpacker, taken from msgpack's pinned sdist and never
installed.

    python tools/build_common_words.py [--cache DIR]

The output is sorted and deterministic.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.files import write_atomic  # noqa: E402

WORDFREQ = ("wordfreq", "3.1.1", "wordfreq-3.1.1-py3-none-any.whl",
            "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473", ":all:")
MSGPACK = ("msgpack", "1.2.4", "msgpack-1.2.4.tar.gz",
           "475c44e12f2a5de766a8448783f149c9b33f3f49b88953c6cd739a77d93c732c", None)
DATA_MEMBER = "wordfreq/data/large_en.msgpack.gz"
MIN_ZIPF = 3.5
OUTPUT = ROOT / "assets" / "words" / "common_english.txt"


def fetch(cache: Path, pin: tuple[str, str, str, str, str | None]) -> Path:
    """The pinned file from PyPI through pip, checked against its sha256."""
    name, version, filename, sha256, binary = pin
    path = cache / filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        kind = ["--only-binary", binary] if binary else ["--no-binary", ":all:"]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", *kind, "-d", str(cache), f"{name}=={version}"],
            check=True,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {sha256}")
    return path


def unpacker(sdist: Path, workdir: Path):
    """msgpack's pure-Python ``unpackb``, imported from its sdist."""
    with tarfile.open(sdist) as tar:
        tar.extractall(workdir, filter="data")
    os.environ["MSGPACK_PUREPYTHON"] = "1"  # the C extension is not built: use the fallback
    sys.path.insert(0, str(workdir / sdist.name.removesuffix(".tar.gz")))
    import msgpack  # noqa: PLC0415

    return msgpack.unpackb


def common_words(wheel: Path, unpackb, min_zipf: float = MIN_ZIPF) -> list[str]:
    """Letters-only words at or above ``min_zipf``.

    The file is ``[header, bucket_0, bucket_1, ...]``: bucket ``i`` holds the
    words of frequency 10^(-i/100), Zipf 9 - i/100.
    """
    with zipfile.ZipFile(wheel) as archive:
        data = unpackb(gzip.decompress(archive.read(DATA_MEMBER)), raw=False)
    header, buckets = data[0], data[1:]
    if header.get("format") != "cB":
        raise SystemExit(f"{DATA_MEMBER}: unexpected format {header}")
    return sorted({word for index, bucket in enumerate(buckets) if 9 - index / 100 >= min_zipf for word in bucket if word.isalpha()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "geomap-common-words")
    args = parser.parse_args()
    wheel = fetch(args.cache, WORDFREQ)
    sdist = fetch(args.cache, MSGPACK)
    with tempfile.TemporaryDirectory() as workdir:
        words = common_words(wheel, unpacker(sdist, Path(workdir)))
    header = (
        f"# English words of Zipf frequency {MIN_ZIPF}+, letters only: wordfreq {WORDFREQ[1]}\n"
        f"# (PyPI, wheel sha256 {WORDFREQ[3]}), large_en list.\n"
        "# Data CC BY-SA 4.0 (wordfreq, Robyn Speer and contributors); this file is CC BY-SA 4.0.\n"
        "# Rebuild: python tools/build_common_words.py\n"
    )
    write_atomic(OUTPUT, header + "\n".join(words) + "\n")
    print(f"{OUTPUT}: {len(words)} words")


if __name__ == "__main__":
    main()
