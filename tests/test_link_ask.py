"""The question pages answer for collectives' members, from the links ``kg build`` writes.

济南市's 2025 要点 makes 济南市各区县人民政府 responsible for 三同步. Asked for 三同步 in 济阳区,
the page now also shows 济南市济阳区人民政府, marked 经 济南市各区县人民政府; before, the
filter dropped the city's row and the store had no members to answer with.
"""

from __future__ import annotations

import csv
import io
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

GROUP = "济南市各区县人民政府"
MEMBER = "济南市济阳区人民政府"


@pytest.fixture(scope="module")
def client(seed_records: dict[str, Any]) -> Iterator[TestClient]:
    store = OxigraphStore(None)
    records = list(seed_records.values())
    build([Path("seeds")], store, progress=False, extractor=lambda paths, workers: iter(records))
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client


def _ask(client: TestClient, question: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/api/ask/{question}", params={"size": "500", **params})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_link_ask_responsible_in_a_district_shows_the_member(client: TestClient) -> None:
    """三同步 in 济阳区: the district's government answers through 济南市各区县人民政府."""
    data = _ask(client, "responsible", name="三同步", jurisdiction="济阳区")
    via = [r for r in data["rows"] if r.get("via_name") == GROUP]
    assert [r["agency_name"] for r in via] == [MEMBER]
    row = via[0]
    assert row["title"] == "2025年济南市政务公开工作要点" and row["jurisdiction"] == "济南市"
    assert "三同步" in row["evidence"]
    assert row["agency_href"] != row["via_href"]
    assert {"key": "via_name", "title": "经由集合单位"} in data["columns"]
    # the district's own document still answers for itself, without a via
    assert any(r["title"].startswith("济南市济阳区") and not r.get("via") for r in data["rows"])


def test_link_ask_responsible_without_place_keeps_the_collective(client: TestClient) -> None:
    """Without a jurisdiction the collective answers as itself (no member rows, no via column)."""
    data = _ask(client, "responsible", name="三同步")
    names = [r["agency_name"] for r in data["rows"]]
    assert GROUP in names and MEMBER not in names
    assert all(c["key"] != "via_name" for c in data["columns"])


def test_link_ask_other_district_other_member(client: TestClient) -> None:
    """Another district of 济南市 gets its own government, and a place outside gets none."""
    data = _ask(client, "responsible", name="三同步", jurisdiction="历城区")
    assert [r["agency_name"] for r in data["rows"] if r.get("via")] == ["济南市历城区人民政府"]
    data = _ask(client, "responsible", name="三同步", jurisdiction="杭州市")
    assert not data["rows"]


def test_link_ask_tasks_of_a_member(client: TestClient) -> None:
    """单位 → 任务 for 济阳区人民政府: what it must do as a member of 济南市各区县人民政府."""
    data = _ask(client, "tasks", agency="济阳区人民政府")
    assert data["matched"][0]["name"] == MEMBER
    via = [r for r in data["rows"] if r.get("via_name") == GROUP]
    assert len(via) >= 10
    assert {r["agency_name"] for r in via} == {MEMBER}
    assert any("三同步" in (r["evidence"] or "") for r in via)
    # asked within the district, the city's rows still reach it through the collective
    placed = _ask(client, "tasks", agency="济阳区人民政府", jurisdiction="济阳区")
    assert len([r for r in placed["rows"] if r.get("via_name") == GROUP]) == len(via)
    assert not _ask(client, "tasks", agency="济阳区人民政府", jurisdiction="历城区")["rows"]


def test_link_ask_csv_has_the_via_column(client: TestClient) -> None:
    """The download carries the 经由集合单位 column."""
    response = client.get("/api/ask/responsible.csv",
                          params={"name": "三同步", "jurisdiction": "济阳区"})
    assert response.status_code == 200, response.text
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["责任单位", "经由集合单位"]
    assert [MEMBER, GROUP] in [row[:2] for row in table[1:]]
