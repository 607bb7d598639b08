"""GeoWebNews benchmark: ``python benchmarks/gwn.py PATH [--out F.json] [--errors N] [--limit N]``."""
import pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # also from a checkout that is not installed
from geo.bench.gwn import main  # noqa: E402
main()
