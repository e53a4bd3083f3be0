"""The question pages (/ask/…) in headless Chromium over the seeds' graph: what an analyst sees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_helpers import BROWSER_MARKS, chromium_page, no_overflow, screenshot, serve_store

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_store(seed_store_dir, tmp_path_factory.mktemp("web-questions")) as base:
        yield base


def _cells(page, column: str) -> list[str]:
    return [t.strip() for t in page.locator(f"#answer-table tbody td.col-{column}").all_inner_texts()]


def test_responsible_page_names_agencies_and_highlights_sentence(server):
    """三同步制度 (as people type it) → the 三同步 mechanism; agencies by name, sentence marked, filters."""
    api = httpx.get(server + "/api/ask/responsible", params={"name": "三同步"}).json()
    with chromium_page() as page:
        page.goto(server + "/")
        assert page.locator("#questions form").count() == 4
        screenshot(page, "home")
        page.fill("#questions input[name=name]", "三同步制度")
        page.click("#questions form[action='/ask/responsible'] button")
        page.wait_for_selector("#answer-table")
        assert "三同步 的责任单位" in page.inner_text("#answer-title")
        assert page.inner_text("#answer-total") == f"共 {api['total']} 条"
        agencies = _cells(page, "agency_name")
        assert "济南市天桥区人民政府办公室" in agencies
        assert not any(a.startswith("http") for a in agencies)
        titles = _cells(page, "title")
        assert "2023济南市天桥区政务公开工作要点" in titles and not any(t.endswith(".txt") for t in titles)
        marks = page.locator("#answer-table td.col-evidence mark").all_inner_texts()
        assert marks and all("三同步" in m for m in marks)
        assert "2023-12-31" in _cells(page, "deadline")
        assert no_overflow(page)
        screenshot(page, "ask-responsible")
        # filters: level 区县, then the permalink shows the same answer
        page.select_option("select[name=level]", "区县")
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#answer-table")
        assert "level=%E5%8C%BA%E5%8E%BF" in page.url and "name=" in page.url
        levels = set(_cells(page, "level"))
        assert levels == {"区县"}
        total = page.inner_text("#answer-total")
        permalink = page.get_attribute("#permalink", "href")
        page.goto(permalink)
        assert page.inner_text("#answer-total") == total
        assert page.input_value("select[name=level]") == "区县"
        assert page.input_value("input[name=name]") == "三同步制度"


def test_tasks_page_deadlines_frequencies_and_paging(server):
    """单位 → 任务 for 天桥区人民政府办公室: 13 tasks (2023-12-31, 定期), 5 a page, a CSV download."""
    with chromium_page() as page:
        page.goto(server + "/ask/tasks?agency=天桥区人民政府办公室&size=5")
        page.wait_for_selector("#answer-table")
        assert page.inner_text("#answer-title") == "济南市天桥区人民政府办公室 的任务"
        assert page.inner_text("#answer-total") == "共 13 条"
        assert page.locator("#answer-table tbody tr").count() == 5
        assert "2023-12-31" in _cells(page, "deadline")
        assert set(_cells(page, "year")) == {"2023"}
        assert page.locator("#answer-table td.col-evidence mark").count() > 0
        screenshot(page, "ask-tasks")
        seen = set(_cells(page, "num"))
        page.click("#page-next")
        page.wait_for_selector("#answer-table")
        assert "page=2" in page.url
        assert page.locator("#answer-table tbody tr").count() == 5
        assert seen.isdisjoint(_cells(page, "num"))
        frequencies = []
        for n in (1, 2, 3):
            page.goto(server + f"/ask/tasks?agency=天桥区人民政府办公室&size=5&page={n}")
            frequencies += _cells(page, "frequency")
        assert frequencies.count("定期") == 2
        with page.expect_download() as info:
            page.click("#download-csv")
        text = Path(info.value.path()).read_text("utf-8-sig")
        assert text.splitlines()[0].startswith("单位,年份,文件")
        assert len(list(csv.reader(io.StringIO(text)))) == 14  # header + every row, not one page


def test_document_page_lists_then_shows_items(server):
    """文件 → 内容: the documents by title (level filter 部门), then one document's items and terms."""
    with chromium_page() as page:
        page.goto(server + "/ask/document")
        page.wait_for_selector("#answer-table")
        assert page.inner_text("#answer-total") == "共 5 条"
        screenshot(page, "ask-document-list")
        page.goto(server + "/ask/document?level=部门")
        assert _cells(page, "title") == ["2025年济南市城乡交通运输局政务公开工作要点"]
        page.goto(server + "/ask/document")
        page.click('#answer-table a:text("2023济南市天桥区政务公开工作要点")')
        page.wait_for_selector("#document-meta")
        assert "2023济南市天桥区政务公开工作要点 的内容" in page.inner_text("#answer-title")
        assert "济南市天桥区" in page.inner_text("#document-meta")
        terms = page.inner_text("#document-terms")
        assert "三同步" in terms and "built-in" not in terms
        refs = _cells(page, "ref")
        assert "table/12" in refs
        assert "济南市天桥区人民政府办公室" in " ".join(_cells(page, "agencies"))
        assert page.locator("#answer-table td.col-evidence mark").count() > 10
        assert no_overflow(page)
        screenshot(page, "ask-document")


def test_diff_page_added_dropped_kept(server):
    """两份文件 → 变化 between the 2021 and 2025 济南市 priorities: counts, names, sentences."""
    docs = {d["source_file"]: d["id"] for d in httpx.get(server + "/api/documents").json()}
    a, b = docs["003_54602a7d52bf3670.txt"], docs["001_710408dceed5a885.txt"]
    api = httpx.get(server + "/api/diff", params={"a": a, "b": b}).json()
    with chromium_page() as page:
        page.goto(server + "/ask/diff?level=区县")  # the filters narrow the documents to pick
        options = page.locator("select[name=a] option").all_inner_texts()
        assert len(options) == 3 and all("区" in o for o in options[1:])
        page.goto(server + "/ask/diff")
        page.select_option("select[name=a]", a)
        page.select_option("select[name=b]", b)
        page.click("#ask-form button[type=submit]")
        page.wait_for_selector("#answer-table")
        title = page.inner_text("#answer-title")
        assert "2021年济南市政务公开工作要点" in title and "2025年济南市政务公开工作要点" in title
        counts = page.inner_text("#diff-counts")
        for key, zh in (("added", "新增"), ("dropped", "删除"), ("kept", "保留")):
            assert f"{zh} {len(api[key])}" in counts
        total = len(api["added"]) + len(api["dropped"]) + len(api["kept"])
        assert page.inner_text("#answer-total") == f"共 {total} 条"
        names = _cells(page, "name")
        assert {e["name"] for e in api["added"]} & set(names)
        assert page.locator("#answer-table td.col-evidence mark").count() > 0
        assert no_overflow(page)
        screenshot(page, "ask-diff")
