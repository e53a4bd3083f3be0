"""In Chromium: asked who is responsible for 三同步 in 济阳区, the page shows the district's government
answering through 济南市各区县人民政府 (linking runs as part of the build, into the served store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_helpers import BROWSER_MARKS, chromium_page, no_overflow, screenshot, serve_store

from kg.build import build
from kg.store import OxigraphStore

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(seed_records: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("link-built") / "store"
    store = OxigraphStore(path)
    records = list(seed_records.values())
    build([Path("seeds")], store, progress=False, extractor=lambda paths, workers: iter(records))
    store.close()
    del store
    with serve_store(path, tmp_path_factory.mktemp("link-web")) as base:
        yield base


def _cells(page: Any, column: str) -> list[str]:
    return [t.strip() for t in page.locator(f"#answer-table tbody td.col-{column}").all_inner_texts()]


def test_link_browser_district_government_through_collective(server: str) -> None:
    """Type 三同步 and 济阳区: 济南市济阳区人民政府, 经 济南市各区县人民政府, the city's sentence marked."""
    with chromium_page() as page:
        page.goto(server + "/ask/responsible")
        page.fill("#ask-form input[name=name]", "三同步")
        page.fill("#ask-form input[name=jurisdiction]", "济阳区")
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#answer-table")
        headers = page.locator("#answer-table thead th").all_inner_texts()
        assert headers[1:3] == ["责任单位", "经由集合单位"]
        agencies, via = _cells(page, "agency_name"), _cells(page, "via_name")
        row = agencies.index("济南市济阳区人民政府")
        assert via[row] == "经 济南市各区县人民政府（成员）"
        assert _cells(page, "title")[row] == "2025年济南市政务公开工作要点"
        line = page.locator("#answer-table tbody tr").nth(row)
        marks = line.locator("td.col-evidence mark").all_inner_texts()
        assert marks and all("三同步" in m for m in marks)
        assert no_overflow(page)
        screenshot(page, "ask-responsible-member")
        # the via link leads to the collective's page, which lists the member
        line.locator("td.col-via_name a").click()
        page.wait_for_load_state()
        assert "济南市各区县人民政府" in page.inner_text("h1")
        assert "济南市济阳区人民政府" in page.inner_text("main")
