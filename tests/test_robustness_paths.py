"""Document ids and names cannot escape the data directory: ``../``, ``%2e%2e``, NUL (promise 6, file side).

User input names files in three places: upload names (``POST /ingest``, saved
under the data directory), document ids and names in ``DELETE /documents/…``
(which may unlink the saved upload), and ``kg remove DOC`` (a store lookup).
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from extractors.reading.readers import read_bytes
from kg.build import ingest_record
from kg.store import OxigraphStore

from kg_fixtures import xihu_record

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "robustness-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
ESCAPES = [
    "../sentinel.txt", "..\\sentinel.txt", "../../sentinel.txt", "%2e%2e%2fsentinel.txt",
    "%2E%2E/sentinel.txt", "%252e%252e%252fsentinel.txt", "uploads/../../sentinel.txt",
    "sentinel.txt\x00.pdf", "a\x00/../sentinel.txt", "/tmp/sentinel.txt", ".sentinel.txt", "..",
]


@pytest.fixture
def layout(tmp_path: Path) -> Iterator[tuple[TestClient, Path, Path]]:
    """An app whose uploads go to ``tmp/uploads``, with a sentinel file beside that directory."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("keep me", "utf-8")
    settings = Settings(admin_token=TOKEN, data_dir=uploads)
    with TestClient(create_app(settings, store=sample_store())) as client:
        yield client, uploads, sentinel


@pytest.mark.parametrize("name", ESCAPES)
def test_robustness_paths_upload_name(layout: tuple[TestClient, Path, Path], name: str) -> None:
    """An upload whose name tries to escape is refused with 400 and writes nothing anywhere."""
    client, uploads, sentinel = layout
    response = client.post("/ingest", files={"file": (name, "政务公开".encode())}, headers=AUTH)
    assert response.status_code == 400, response.text
    assert sentinel.read_text("utf-8") == "keep me"
    assert list(uploads.iterdir()) == []


@pytest.mark.parametrize("name", ESCAPES[:-2])
def test_robustness_paths_delete_name(layout: tuple[TestClient, Path, Path], name: str) -> None:
    """DELETE /documents/<escaping name> is refused (400/404) and deletes no file outside the data dir."""
    client, _, sentinel = layout
    response = client.delete(f"/documents/{quote(name, safe='/%')}", headers=AUTH)
    assert response.status_code in (400, 404), response.text
    assert sentinel.is_file()


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\windows\\win.ini.txt", "/abs/dir/doc.txt"])
def test_robustness_paths_reader_keeps_base_name(name: str) -> None:
    """read_bytes keeps only the base name of an upload as the document's source file."""
    source = read_bytes("杭州市西湖区政务公开工作要点".encode(), name).source_file
    assert "/" not in source and "\\" not in source and ".." not in source.removesuffix(".txt")


@pytest.mark.parametrize("doc", ["../../etc/passwd", "%2e%2e%2fxihu_2024.txt", "xihu_2024.txt/../x"])
def test_robustness_paths_kg_remove(tmp_path: Path, doc: str) -> None:
    """``kg remove`` with an escaping name only looks the name up in the store: nothing removed, exit 1."""
    store_dir = tmp_path / "store"
    store = OxigraphStore(store_dir)
    ingest_record(store, xihu_record())
    store.close()
    del store
    kg = Path(sys.executable).with_name("kg")
    result = subprocess.run([str(kg), "remove", doc, "--store", str(store_dir)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1 and result.stderr.strip() == f"error: {doc}: no such document in the store"
    assert OxigraphStore.read_only(store_dir).stats()["documents"] == 1
