"""The admins' upload form (/admin/upload) and GET /api/documents/{id}/extracted, in process.

Issue #15 asked for "a web upload form for admins that shows what was extracted"; there was none.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from kg.build import build
from kg.store import OxigraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2
    from fastapi.testclient import TestClient

CITY_2025 = "001_710408dceed5a885.txt"


@pytest.fixture(scope="module")
def store(seed_records: dict[str, Any]) -> OxigraphStore:
    built = OxigraphStore(None)
    records = list(seed_records.values())
    build([Path("seeds")], built, progress=False, extractor=lambda paths, workers: iter(records))
    return built


@pytest.fixture
def client(store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(admin_token="t0ken"), store=store)) as test_client:
        yield test_client


def test_upload_form_page_is_chinese_and_posts_to_ingest(client: TestClient) -> None:
    """The form: a file field, the token, in Chinese, posting to POST /ingest."""
    page = client.get("/admin/upload")
    assert page.status_code == 200
    text = page.text
    assert "上传文件（管理员）" in text and "管理员令牌" in text and "上传并抽取" in text
    assert 'action="/ingest"' in text and 'type="file"' in text
    assert 'id="upload-disabled"' not in text
    assert client.get("/static/upload.js").status_code == 200


def test_upload_form_says_when_updates_are_disabled(store: OxigraphStore) -> None:
    """Without ZWGK_ADMIN_TOKEN the page says updates are disabled."""
    with TestClient(create_app(Settings(), store=store)) as test_client:
        assert "本服务未开放更新" in test_client.get("/admin/upload").text


def test_upload_form_extracted_summary(client: TestClient) -> None:
    """What the form shows after an upload: title, agencies, mechanisms, platforms and pairs."""
    response = client.get(f"/api/documents/{CITY_2025}/extracted")
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["meta"]["title"] == "2025年济南市政务公开工作要点"
    assert data["meta"]["source_file"] == CITY_2025 and data["meta"]["year"] == "2025"
    agencies = {a["name"] for a in data["agencies"]}
    assert {"济南市人民政府办公厅", "济南市各区县人民政府"} <= agencies
    assert "三同步" in {m["name"] for m in data["mechanisms"]}
    assert data["platforms"] and data["items"] > 10
    pairs = {(p["agency"], p["name"]): p for p in data["pairs"]}
    pair = pairs[("济南市各区县人民政府", "三同步")]
    assert pair["kind"] == "机制" and pair["refs"] == ["二/（五）"]
    assert all(p["agency_href"].startswith("/id/agency/") for p in data["pairs"])
    doc_id = data["document"].replace("https://w3id.org/zwgk/id/", "")
    by_id = client.get(f"/api/documents/{doc_id}/extracted")
    assert by_id.json() == data


def test_upload_form_extracted_unknown_is_404(client: TestClient) -> None:
    assert client.get("/api/documents/doc/0000000000000000/extracted").status_code == 404
