"""/api/ask/…: the questions' answers as JSON (filtered, paged) and as whole CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routers.ask import Answer, _xlsx, highlight, level_of
from api.settings import Settings
from kg.store import OxigraphStore

QUESTIONS = [
    ("responsible", {"name": "三同步"}),
    ("responsible", {"name": "12345热线", "kind": "platform"}),
    ("tasks", {"agency": "天桥区人民政府办公室"}),
    ("document", {}),
    ("document", {"doc": "002_9926d4960841ea23.txt"}),
    ("diff", {"a": "003_54602a7d52bf3670.txt", "b": "001_710408dceed5a885.txt"}),
]


@pytest.fixture(scope="module")
def client(seed_store_dir: Path) -> Iterator[TestClient]:
    store = OxigraphStore.read_only(seed_store_dir)
    with TestClient(create_app(Settings(), store=store)) as test_client:
        yield test_client
    store.close()


def _whole(client: TestClient, question: str, params: dict[str, str]) -> dict:
    answer = client.get(f"/api/ask/{question}", params={**params, "size": 500})
    assert answer.status_code == 200
    return answer.json()


def _as_table(answer: dict) -> list[list[str]]:
    keys = [c["key"] for c in answer["columns"]]
    rows = [["" if r.get(k) is None else str(r[k]) for k in keys] for r in answer["rows"]]
    return [[c["title"] for c in answer["columns"]], *rows]


@pytest.mark.parametrize(("question", "params"), QUESTIONS)
def test_csv_is_the_whole_json_answer(client, question, params):
    answer = _whole(client, question, params)
    assert answer["total"] > 0 and answer["total"] == len(answer["rows"])
    response = client.get(f"/api/ask/{question}.csv", params={**params, "size": 2, "page": 2})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table == _as_table(answer)  # every row, not the page asked for


@pytest.mark.parametrize(("question", "params"), QUESTIONS)
def test_xlsx_is_the_whole_json_answer(client, question, params):
    from openpyxl import load_workbook

    answer = _whole(client, question, params)
    response = client.get(f"/api/ask/{question}.xlsx", params=params)
    assert response.status_code == 200
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert table == _as_table(answer)


def test_headings_are_chinese_and_rows_name_things(client):
    answer = _whole(client, "responsible", {"name": "三同步制度"})
    assert answer["matched"][0]["name"] == "三同步"
    assert [c["title"] for c in answer["columns"]][:3] == ["责任单位", "机制/平台", "文件"]
    for row in answer["rows"]:
        assert not row["agency_name"].startswith("http") and not row["title"].endswith(".txt")
        assert row["marks"] and all("三同步" in row["evidence"][s:e] for s, e in row["marks"])


def test_paging_covers_the_answer_once(client):
    whole = _whole(client, "tasks", {"agency": "天桥区人民政府办公室"})
    assert whole["total"] == 13
    seen: list[dict] = []
    for page in (1, 2, 3):
        part = client.get(
            "/api/ask/tasks", params={"agency": "天桥区人民政府办公室", "size": 5, "page": page}
        ).json()
        assert part["total"] == 13 and part["pages"] == 3 and part["page"] == page
        seen.extend(part["rows"])
    assert seen == whole["rows"]
    past = client.get(
        "/api/ask/tasks", params={"agency": "天桥区人民政府办公室", "size": 5, "page": 4}
    ).json()
    assert past["rows"] == [] and past["total"] == 13
    assert client.get("/api/ask/tasks", params={"agency": "x", "size": 0}).status_code == 422
    assert client.get("/api/ask/tasks", params={"agency": "x", "size": 501}).status_code == 422


def test_filters_year_jurisdiction_level(client):
    whole = _whole(client, "responsible", {"name": "三同步"})
    assert {r["year"] for r in whole["rows"]} == {"2023", "2025"}
    for params, check in (
        ({"year": "2025"}, lambda r: r["year"] == "2025"),
        ({"level": "区县"}, lambda r: r["level"] == "区县"),
        ({"jurisdiction": "天桥"}, lambda r: "天桥" in r["jurisdiction"]),
        ({"jurisdiction": "濟南市"}, lambda r: "济南市" in r["jurisdiction"]),  # traditional script
    ):
        part = _whole(client, "responsible", {"name": "三同步", **params})
        expected = [r for r in whole["rows"] if check(r)]
        assert part["rows"] == expected and part["total"] == len(expected) > 0, params
    none = _whole(client, "responsible", {"name": "三同步", "year": "1999"})
    assert none["total"] == 0
    documents = _whole(client, "document", {"level": "部门"})
    assert [d["title"] for d in documents["rows"]] == ["2025年济南市城乡交通运输局政务公开工作要点"]
    assert client.get("/api/ask/document", params={"level": "乡镇"}).status_code == 422


def test_diff_agrees_with_the_diff_route(client):
    a, b = "003_54602a7d52bf3670.txt", "001_710408dceed5a885.txt"
    plain = client.get("/api/diff", params={"a": a, "b": b}).json()
    answer = _whole(client, "diff", {"a": a, "b": b})
    for key, zh in (("added", "新增"), ("dropped", "删除"), ("kept", "保留")):
        assert sorted(r["name"] for r in answer["rows"] if r["change"] == zh) == sorted(
            e["name"] for e in plain[key]
        )
        assert answer["extra"]["counts"][zh] == len(plain[key])


def test_unknown_names_answer_with_a_message(client):
    answer = client.get("/api/ask/responsible", params={"name": "不存在的机制名称"}).json()
    assert answer["total"] == 0 and "没有" in answer["message"]
    assert client.get("/api/ask/nothing").status_code == 422
    assert client.get("/api/ask/responsible.pdf").status_code == 422


def test_xlsx_keeps_formulas_as_text():
    """A value starting with '=' is written as text, not as a formula; control characters are dropped."""
    from openpyxl import load_workbook

    answer = Answer("tasks", "t", [("a", "甲"), ("b", "乙")], rows=[{"a": "=HYPERLINK(1)", "b": "x\x01y"}])
    sheet = load_workbook(io.BytesIO(_xlsx(answer))).active
    assert [c.value for c in sheet[2]] == ["=HYPERLINK(1)", "xy"]
    assert all(c.data_type == "s" for c in sheet[2])


def test_levels_and_highlights():
    assert level_of("绥化市绥棱县", "绥化市绥棱县人民政府办公室") == "区县"
    assert level_of("呼伦贝尔市", None) == "市"
    assert level_of("广西壮族自治区", None) == "省"
    assert level_of("中华人民共和国", "国务院办公厅") == "国家"
    assert level_of("成都市", "成都市教育局") == "部门"
    assert highlight("甲乙丙甲乙", names=["甲乙"]) == [[0, 2], [3, 5]]
    assert highlight("甲乙丙", spans=[(1, 3), (9, 12)]) == [[1, 3]]
