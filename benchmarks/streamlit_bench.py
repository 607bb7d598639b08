"""The Streamlit page in a real browser: time to a rendered map, and a layer toggle.

Starts ``streamlit run streamlit_app.py`` and, in the same run, the one-marker
yardstick page (benchmarks/one_marker_app.py) on loopback ports, and drives
Debian's Chromium with Playwright (any request off the machine is counted):

* cold: the first page open after the server started, in a fresh browser
  profile, until the map's markers are in the page;
* warm: the same again with the server's caches and the browser's cache warm
  (median of several opens);
* toggle: unticking a layer in the map's layer control until its lines are
  gone from the map (measured inside the page), and whether it made the
  page rerun (it must not).

Targets: the story page at most 1.5 times the one-marker page, cold and warm;
a toggle under 0.5 s. The figures are printed, never asserted.

    python benchmarks/streamlit_bench.py [--warm N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the browser helpers the tests use, from a checkout
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
STREAMLIT = Path(sys.executable).with_name("streamlit")


def yardstick_dir(tmp: Path) -> Path:
    """A directory to run the one-marker page from: the app, its static/ and the config."""
    from geo.render.offline import copy_web_assets

    shutil.copy(ROOT / "benchmarks" / "one_marker_app.py", tmp / "one_marker_app.py")
    copy_web_assets(tmp / "static")
    shutil.copytree(ROOT / ".streamlit", tmp / ".streamlit")
    return tmp


class Browser:
    def __init__(self, playwright, profile: Path):
        self.context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000}
        )
        # Requests for anything but the local servers. They are recorded, not blocked:
        # Playwright's request interception turns the browser's HTTP cache off, and
        # a warm open is one with the cache (the end-to-end test blocks and asserts).
        self.external: list[str] = []
        self.context.on("request", self._record)

    def _record(self, request) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")):
            self.external.append(request.url)

    def open_map(self, url: str, marker: str, sent: list | None = None) -> tuple[float, object]:
        """Seconds from asking for the page to the map's ``marker`` in it; and the page.

        ``sent`` collects the messages the page sends its server over its websocket.
        """
        page = self.context.new_page()
        if sent is not None:
            page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
        began = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.frame_locator(MAP_FRAME).locator(marker).first.wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - began, page

    def close(self):
        self.context.close()


TOGGLE_JS = """
(layer) => new Promise((resolve) => {
    const label = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
        .find((l) => l.textContent.trim() === layer);
    const box = label.querySelector('input');
    const want = !box.checked;  // after the click: lines shown or not
    const lines = () => document.querySelectorAll('path.leaflet-interactive[stroke="#D55E00"]').length;
    const began = performance.now();
    box.click();
    const check = () => {
        if ((lines() > 0) === want) {
            // the next frame paints it: time to the frame after that
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - began)));
        } else {
            requestAnimationFrame(check);
        }
    };
    check();
})
"""


def toggle_times(page, sent: list, runs: int) -> tuple[list[float], int]:
    """Milliseconds per toggle of the Smuggling layer, and the messages the page sent its server meanwhile."""
    frame = next(f for f in page.frames if "st_folium" in f.url)
    times = []
    # Headless Chromium stops making frames for an idle page and takes about a second
    # to start again, whatever the page: one frame first, so that pause is not counted.
    frame.evaluate("() => new Promise((resolve) => requestAnimationFrame(resolve))")
    before = len(sent)
    for _ in range(runs):
        times.append(frame.evaluate(TOGGLE_JS, "Smuggling"))
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)  # a rerun request would have gone out by now
    return times, len(sent) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=5, help="warm opens of each page (default 5)")
    parser.add_argument("--toggles", type=int, default=6)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack, sync_playwright() as playwright:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="streamlit-bench-")))
        (tmp / "yardstick").mkdir()
        (tmp / "work").mkdir()
        story_url = stack.enter_context(
            streamlit_server(ROOT / "streamlit_app.py", ROOT, {**os.environ, "GEOMAP_WORKDIR": str(tmp / "work")})
        )
        marker_url = stack.enter_context(
            streamlit_server(tmp / "yardstick" / "one_marker_app.py", yardstick_dir(tmp / "yardstick"), dict(os.environ))
        )
        pages = {"story page (seed article)": (story_url, '[data-place="buenaventura"]'), "one-marker page": (marker_url, ".leaflet-marker-icon")}
        cold: dict[str, float] = {}
        warm: dict[str, list[float]] = {name: [] for name in pages}
        browsers = []
        for index, (name, (url, marker)) in enumerate(pages.items()):
            browser = Browser(playwright, tmp / f"profile-{index}")  # a fresh profile: an empty browser cache
            browsers.append(browser)
            cold[name], page = browser.open_map(url, marker)
            page.close()
        for _ in range(args.warm):
            for browser, (name, (url, marker)) in zip(browsers, pages.items()):
                seconds, page = browser.open_map(url, marker)
                warm[name].append(seconds)
                page.close()
        sent: list = []
        _, page = browsers[0].open_map(story_url, pages["story page (seed article)"][1], sent)
        # Let the page settle, as it is when a person reaches for the layer control.
        page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached", timeout=60_000)
        page.wait_for_timeout(2000)
        assert sent, "the page's websocket was not watched"
        toggles, messages = toggle_times(page, sent, args.toggles)
        external = [u for b in browsers for u in b.external]
        for browser in browsers:
            browser.close()

    story, yardstick = "story page (seed article)", "one-marker page"
    print(f"Time from opening the page to a rendered map, Chromium {CHROMIUM}, {os.cpu_count()} CPUs")
    print(f"  {'':28}{'cold':>8}{'warm (median of ' + str(args.warm) + ')':>22}")
    for name in pages:
        print(f"  {name:28}{cold[name]:>7.2f}s{statistics.median(warm[name]):>21.2f}s")
    print(
        f"  ratio story / one-marker:   {cold[story] / cold[yardstick]:>7.2f}x"
        f"{statistics.median(warm[story]) / statistics.median(warm[yardstick]):>21.2f}x   (target <= 1.5x)"
    )
    print(f"  warm opens, story page:      {', '.join(f'{t:.2f}' for t in warm[story])} s")
    print(f"  warm opens, one-marker page: {', '.join(f'{t:.2f}' for t in warm[yardstick])} s")
    print(f"Layer toggle (Smuggling) to the updated map, {len(toggles)} toggles")
    print(f"  median {statistics.median(toggles):.0f} ms, worst {max(toggles):.0f} ms   (target < 500 ms)")
    print(f"  each: {', '.join(f'{t:.0f}' for t in toggles)} ms")
    print(f"  messages the page sent its server meanwhile (a rerun would be one): {messages}")
    print(f"Requests for anything off the machine: {len(external)}" + (f" {external[:5]}" if external else ""))


if __name__ == "__main__":
    main()
