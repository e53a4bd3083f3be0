"""An agency's obligations include its task-table rows, with their deadlines, once each (seeds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from api.cache import CachedStore
from api.main import create_app
from api.settings import Settings
from kg.store import OxigraphStore

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

TABLE_DOC = "002_9926d4960841ea23.txt"  # 天桥区's 2023 task table (责任单位 and 完成时限 columns)


@pytest.fixture(scope="module")
def client(seed_store_dir: Path) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    store = CachedStore(OxigraphStore.read_only(seed_store_dir))
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def _obligations(client: TestClient, agency: str) -> list[dict[str, Any]]:
    reply = client.get(f"/api/agencies/{agency}/obligations")
    assert reply.status_code == 200, reply.text
    rows: list[dict[str, Any]] = reply.json()
    return rows


def test_task_table_rows_are_obligations_with_their_deadlines(client: TestClient) -> None:
    """The district office is named in the 责任单位 cell of about a dozen rows due 2023年12月底前."""
    rows = [r for r in _obligations(client, "济南市天桥区人民政府办公室") if r["source_file"] == TABLE_DOC]
    table_refs = {r["ref"] for r in rows if r["ref"].startswith("table/")}
    assert len(table_refs) >= 10
    assert all(r["deadline"] == "2023-12-31" for r in rows if r["ref"].startswith("table/"))
    assert all(r["action"] and r["evidence"] for r in rows)


def test_no_row_twice(client: TestClient) -> None:
    """No obligation (nor the same sentence for one item) is listed twice."""
    rows = _obligations(client, "济南市天桥区人民政府办公室")
    assert len({r["obligation"] for r in rows}) == len(rows)
    keys = [(r["source_file"], r["ref"], r["evidence"], r["action"]) for r in rows]
    assert len(set(keys)) == len(keys)


def test_city_office_is_answered(client: TestClient) -> None:
    """济南市人民政府办公厅, responsible for an item of the city's 要点, has obligations (was [])."""
    assert _obligations(client, "济南市人民政府办公厅")
