"""In Chromium: from a document's page, open its displaCy view and see a highlighted name whose
canonical form shows on hover (a made-up document, built into a store served by uvicorn)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from web_helpers import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS

from api.testing import serve_store_dir

pytestmark = BROWSER_MARKS

DOC = """汉中市南郑区人民政府办公室关于印发南郑区2024年政务公开工作要点的通知

各镇人民政府，区政府各部门：
现将《南郑区2024年政务公开工作要点》印发给你们，请认真贯彻落实。

汉中市南郑区人民政府办公室
2024年3月12日

南郑区2024年政务公开工作要点

一、深化政策解读
1.区人力资源和社会保障局依托政府门户网站发布就业政策，2024年9月底前完成。
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from extractors.pipeline import extract
    from kg.build import ingest_record
    from kg.store import OxigraphStore

    folder = tmp_path_factory.mktemp("sources")
    path = folder / "nanzheng.txt"
    path.write_text(DOC, encoding="utf-8")
    record = extract(path)
    store_dir = tmp_path_factory.mktemp("store") / "store"
    store = OxigraphStore(store_dir)
    ingest_record(store, record)
    store.close()
    copy = store_dir.with_name("served")  # as web_helpers.serve_store: a copy of the closed store
    shutil.copytree(store_dir, copy)
    with serve_store_dir(copy, ZWGK_SOURCE_DIRS=str(folder)) as base:
        yield base, record.sha256[:16]


def test_spacy_browser_displacy_view_from_the_document_page(served: tuple[str, str]) -> None:
    """The document page links to the displaCy view; hovering an agency shows its canonical name."""
    from playwright.sync_api import sync_playwright

    base, key = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/id/doc/{key}")
        page.click("#displacy-link", timeout=120_000)
        page.wait_for_selector(".zwgk-tok", timeout=120_000)
        assert page.url.endswith(f"/doc/{key}/displacy")
        token = page.locator(".zwgk-tok", has_text="区人力资源和社会保障局").first
        canonical = token.locator(".zwgk-kb")
        assert not canonical.is_visible()
        token.hover()
        assert canonical.is_visible()
        assert "汉中市南郑区人力资源和社会保障局" in canonical.inner_text()
        assert page.locator(".zwgk-tok", has_text="政府门户网站").count() >= 1
        browser.close()
