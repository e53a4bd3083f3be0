"""The home page's responsibility network in headless Chromium over the seeds' store (issue #15, 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import BROWSER_MARKS

from tests.web_helpers import SCREENSHOTS, chromium_page, serve_store

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_store(seed_store_dir, tmp_path_factory.mktemp("network")) as base:
        yield base


def _frame(page):  # the network iframe once it has drawn
    page.frame_locator("#network-frame").locator("#mynetwork canvas").wait_for()
    frame = page.frame(name=None, url=lambda url: "/viz/" in url)
    assert frame is not None
    frame.wait_for_function("window.zwgkNodeCount > 0")
    return frame


def test_web_network_focus_filter_expand(server):
    """Focus on 三同步 (names, no IRIs), filter by kind (fewer nodes), click a node (more nodes)."""
    with chromium_page() as page:
        page.goto(server + "/")
        _frame(page)  # the page starts focused on one mechanism
        page.fill("#network-focus", "三同步")
        page.click("#network-form button[type=submit]")
        page.wait_for_function("document.getElementById('network-frame').src.includes('focus=')")
        page.wait_for_timeout(300)
        frame = _frame(page)
        assert "focus=%E4%B8%89%E5%90%8C%E6%AD%A5" in frame.url
        labels = frame.evaluate("window.zwgkLabels()")
        assert "三同步" in labels and not any("https://" in label for label in labels)
        focused = frame.evaluate("window.zwgkNodeCount")
        assert focused > 1
        # kind filter: only agencies (the focus stays)
        page.uncheck("#network-kinds input[value=Document]")
        page.click("#network-form button[type=submit]")
        page.wait_for_function("document.getElementById('network-frame').src.includes('kind=')")
        page.wait_for_timeout(300)
        frame = _frame(page)
        filtered = frame.evaluate("window.zwgkNodeCount")
        assert filtered < focused
        page.check("#network-kinds input[value=Document]")
        page.click("#network-form button[type=submit]")
        page.wait_for_function("!document.getElementById('network-frame').src.includes('kind=')")
        page.wait_for_timeout(300)
        frame = _frame(page)
        frame.wait_for_function(f"window.zwgkNodeCount === {focused}")
        # click an agency node: its other mechanisms and platforms join the network
        page.locator("#network-frame").scroll_into_view_if_needed()  # clicks land inside the window
        page.wait_for_timeout(1500)  # let the layout settle before aiming at a node
        point = frame.evaluate(
            """() => {
              const net = window.zwgkNetwork;
              const ids = net.body.data.nodes.getIds();
              const agency = ids.find((id) => id.includes('/agency/')) || ids[0];
              return net.canvasToDOM(net.getPositions([agency])[agency]);
            }"""
        )
        canvas = frame.locator("#mynetwork").bounding_box()  # in the page's coordinates
        page.mouse.click(canvas["x"] + point["x"], canvas["y"] + point["y"])
        frame.wait_for_function(f"window.zwgkNodeCount > {focused}", timeout=15_000)
        page.wait_for_timeout(4000)  # the layout settles and fits the grown network
        labels = frame.evaluate("window.zwgkLabels()")
        assert not any("https://" in label for label in labels)
        assert frame.evaluate("typeof window.__xss") == "undefined"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#network").screenshot(path=str(SCREENSHOTS / "network.png"))
        assert (SCREENSHOTS / "network.png").exists()
