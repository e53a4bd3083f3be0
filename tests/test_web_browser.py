"""The web page in headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web_helpers import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

from api.testing import serve_sample

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with serve_sample(tmp_path_factory.mktemp("web") / "store") as base:
        yield base


def test_web_browser_search_network_and_no_xss(server):
    """In Chromium: search 三同步, open the responsibility view, see nodes, and no hostile script runs."""
    from playwright.sync_api import sync_playwright

    args = CHROMIUM_ARGS
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.goto(server + "/")
        page.fill("#search-q", "三同步")
        page.click("#search-form button")
        page.wait_for_selector("#search-results li a")
        assert "三同步" in page.inner_text("#search-results")
        page.fill("#search-q", "script")
        page.click("#search-form button")
        page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
        page.click("#network-form button")
        frame = page.frame_locator("#network-frame")
        frame.locator("#mynetwork canvas").wait_for()
        inner = page.frames[1]
        inner.wait_for_function("window.zwgkNodeCount > 0")
        assert inner.evaluate("window.zwgkNodeCount") > 0
        for url in (
            "/id/agency/hostile",
            "/id/mechanism/hostile",
            "/viz/neighbourhood?iri=https://w3id.org/zwgk/id/agency/hostile&depth=2",
        ):
            page.goto(server + url)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__xss") == "undefined"
        page.goto(server + "/")
        page.fill("#sparql-query", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
        page.click("#sparql-run")
        page.wait_for_selector("#sparql-results td")
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.frames[0].evaluate("typeof window.__xss") == "undefined"
        browser.close()


def test_web_browser_api_docs_offline(server):
    """/docs draws Swagger UI with every route from the bundled assets; no request leaves the server."""
    from playwright.sync_api import sync_playwright

    args = CHROMIUM_ARGS
    elsewhere: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.on("request", lambda r: None if r.url.startswith(server) else elsewhere.append(r.url))
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "docs.png"), full_page=True)
        browser.close()
    assert elsewhere == []
    assert "/sparql" in [path.replace("\u200b", "") for path in paths]
    assert any(path.replace("\u200b", "").startswith("/api/mechanisms/") for path in paths)
