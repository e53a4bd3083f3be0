"""In Chromium: an admin uploads a document on /admin/upload and sees what was extracted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web_helpers import BROWSER_MARKS, chromium_page, no_overflow, screenshot

from api.testing import serve_store_dir
from kg.store import OxigraphStore

from conftest import ROOT

pytestmark = BROWSER_MARKS
TOKEN = "upload-form-token"
SEED = ROOT / "corpus" / "seeds" / "001_710408dceed5a885.txt"  # 济南市 2025


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("upload-form") / "store"
    OxigraphStore(path).close()  # an empty store
    with serve_store_dir(path, ZWGK_ADMIN_TOKEN=TOKEN, ZWGK_INGEST_TIMEOUT="900") as base:
        yield base


@pytest.mark.timeout(1200)
def test_upload_form_shows_what_was_extracted(server: str) -> None:
    """A wrong token is refused in Chinese; the right one shows title, agencies, mechanisms, pairs."""
    with chromium_page() as page:
        page.goto(server + "/admin/upload")
        assert page.inner_text("h1") == "上传文件（管理员）"
        page.set_input_files("#upload-file", str(SEED))
        page.fill("#upload-token", "wrong")
        page.click("#upload-submit")
        page.wait_for_selector("#upload-status:has-text('上传失败')")
        assert "令牌错误" in page.inner_text("#upload-status")
        page.fill("#upload-token", TOKEN)
        page.click("#upload-submit")
        page.wait_for_selector("#upload-result:not([hidden])", timeout=900_000)
        assert page.inner_text("#result-title") == "2025年济南市政务公开工作要点"
        assert "已上传并写入知识图谱" in page.inner_text("#upload-status")
        agencies = page.locator("#result-agencies li").all_inner_texts()
        assert "济南市人民政府办公厅" in agencies and "济南市各区县人民政府" in agencies
        assert "三同步" in page.locator("#result-mechanisms li").all_inner_texts()
        assert page.locator("#result-platforms li").count() > 0
        rows = [r.split("\t") for r in page.locator("#result-pairs tbody tr").all_inner_texts()]
        assert ["济南市各区县人民政府", "机制", "三同步", "二/（五）"] in rows
        assert no_overflow(page)
        screenshot(page, "upload-form")
        # the review page of the new document is one click away
        page.click("#result-review")
        page.wait_for_load_state()
        assert "2025年济南市政务公开工作要点" in page.inner_text("h1")
