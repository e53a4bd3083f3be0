"""Helpers of the web-page tests: a server over a copy of a store, Chromium, screenshots."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from api.testing import serve_store_dir

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"  # artifacts (git-ignored)
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (apt-get install -y chromium)"
    ),
]
"""The marks of every browser test module (``pytestmark = BROWSER_MARKS``)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve_store(store_dir: Path, work: Path, timeout: float = 60) -> Iterator[str]:
    """Run uvicorn on a free loopback port over a copy of ``store_dir``; yield its base URL."""
    copy = work / "store"
    shutil.copytree(store_dir, copy)
    with serve_store_dir(copy, timeout) as base:
        yield base


@contextmanager
def chromium_page(width: int = 1400) -> Iterator[Any]:
    """A page of headless Chromium (Debian's /usr/bin/chromium through Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
        try:
            yield page
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """Write a full-page screenshot to build/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_overflow(page: Any) -> bool:
    """True when nothing makes the page wider than the window (tables scroll inside their box)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
