"""An authorised upload is extracted, written, and answered by the next question; removal undoes it."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from api.main import create_app
from api.settings import Settings
from kg.store import OxigraphStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2
    from fastapi.testclient import TestClient

SEED = Path(__file__).resolve().parent.parent / "corpus" / "seeds" / "000_d186d61fd4268232.txt"
TOKEN = {"Authorization": "Bearer s3cret"}


@pytest.mark.slow
def test_api_ingest_upload_then_question_then_remove() -> None:
    """POST /ingest writes the document; /api answers from it; DELETE removes it."""
    app = create_app(Settings(admin_token="s3cret", ingest_timeout=300), store=OxigraphStore(None))
    with TestClient(app) as client:
        files = {"file": (SEED.name, SEED.read_bytes(), "text/plain")}
        response = client.post("/ingest", files=files, headers=TOKEN)
        assert response.status_code == 200, response.text
        assert response.json()["changed"] is True
        again = client.post("/ingest", files=files, headers=TOKEN)
        assert again.json()["changed"] is False  # identical content changes nothing
        names = {a["name"] for a in client.get("/api/mechanisms/三同步/agencies").json()}
        assert "济南市济阳区人民政府各部门" in names
        assert client.delete(f"/documents/{SEED.name}", headers=TOKEN).status_code == 204
        assert client.get("/api/mechanisms/三同步/agencies").json() == []
