"""Fixtures for tests that open pages in a real browser.

They use Debian's Chromium through Playwright (never ``playwright install``)
and skip, saying why, when either is missing. CI installs both:

    apt-get install -y chromium && pip install playwright
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (shared with the page benchmark)

VIEWPORT = {"width": 1200, "height": 800}


@dataclass
class PageLog:
    """What a page did that a test may want to forbid."""

    blocked: list[str] = field(default_factory=list)  # requests we aborted
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt texts
    errors: list[str] = field(default_factory=list)  # uncaught script errors


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser_context(playwright, tmp_path_factory):
    """One Chromium for the session, with a fresh profile of its own."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
    )
    yield context
    context.close()


@pytest.fixture
def open_page(browser_context) -> Iterator[Callable]:
    """``open_page(url, allowed)``: a loaded page and its :class:`PageLog`.

    Every request whose URL does not satisfy ``allowed`` is aborted and
    recorded; dialogs are dismissed and recorded; script errors recorded.
    """
    pages = []

    def open_(url: str, allowed: Callable[[str], bool]):
        log = PageLog()
        page = browser_context.new_page()
        pages.append(page)

        def route(route):
            if allowed(route.request.url):
                route.continue_()
            else:
                log.blocked.append(route.request.url)
                route.abort()

        def dialog(d):
            log.dialogs.append(d.message)
            d.dismiss()

        page.route("**/*", route)
        page.on("dialog", dialog)
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.goto(url)
        return page, log

    yield open_
    for page in pages:
        page.close()
