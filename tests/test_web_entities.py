"""Entity pages (/id/…) in headless Chromium: one readable page per kind, names not IRIs, no script runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_helpers import BROWSER_MARKS, chromium_page, no_overflow, screenshot, serve_store

from api.testing import serve_sample

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_store(seed_store_dir, tmp_path_factory.mktemp("web-entities")) as base:
        yield base


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_sample(tmp_path_factory.mktemp("web-entities-sample") / "store") as base:
        yield base


def _page_of(server: str, text: str, kind: str) -> str:
    hits = httpx.get(server + "/api/search", params={"q": text}).json()
    return next(h["page"] for h in hits if h["kind"] == kind and h["name"] == text)


def test_agency_page(server):
    """An agency: its name as heading, jurisdiction, its mechanisms and platforms, tasks by year."""
    path = _page_of(server, "济南市天桥区人民政府办公室", "Agency")
    with chromium_page() as page:
        page.goto(server + path)
        assert page.inner_text("#entity-label") == "济南市天桥区人民政府办公室"
        facts = page.inner_text("#agency-facts")
        assert "济南市天桥区" in facts and "上级单位" in facts
        assert page.inner_text("#agency-total") == "13"
        assert "2023 年" in page.inner_text("h3.year")
        terms = page.inner_text("#agency-terms")
        assert "三同步" in terms and "built-in" not in terms
        assert page.locator("td.col-evidence mark").count() > 0
        assert "https://w3id.org" not in page.inner_text("main table")
        assert no_overflow(page)
        screenshot(page, "entity-agency")
        page.click("#ask-link")
        page.wait_for_selector("#answer-table")
        assert page.inner_text("#answer-total") == "共 13 条"


def test_mechanism_and_platform_pages(server):
    """A mechanism and a platform: who is responsible, where and when, aliases, marked sentences."""
    with chromium_page() as page:
        page.goto(server + _page_of(server, "三同步", "Mechanism"))
        assert page.inner_text("#entity-label") == "三同步"
        assert "机制" in page.inner_text("#term-facts")
        agencies = page.locator("#term-agencies tbody td:first-child").all_inner_texts()
        assert "济南市天桥区人民政府办公室" in agencies
        assert page.inner_text("#term-agency-count") == str(len(agencies))
        documents = page.inner_text("#term-documents")
        assert "2023济南市天桥区政务公开工作要点" in documents and "区县" in documents
        assert page.locator("#term-evidence mark").count() > 0
        assert no_overflow(page)
        screenshot(page, "entity-mechanism")
        page.goto(server + _page_of(server, "12345市民服务热线", "Platform"))
        assert page.inner_text("#entity-label") == "12345市民服务热线"
        assert "平台" in page.inner_text("#term-facts")
        assert page.locator("#term-aliases").count() == 1
        assert page.locator("#term-agencies tbody tr").count() > 0
        screenshot(page, "entity-platform")
        # the RDF stays one click away
        turtle = httpx.get(server + page.url.removeprefix(server) + "?format=ttl")
        assert turtle.headers["content-type"].startswith("text/turtle") and "12345市民服务热线" in turtle.text


def test_document_page(server):
    """A document: its title as heading, metadata, terms, and the outline with responsible agencies."""
    docs = httpx.get(server + "/api/documents").json()
    doc = next(d for d in docs if d["source_file"] == "002_9926d4960841ea23.txt")
    with chromium_page() as page:
        page.goto(server + "/id/" + doc["id"])
        assert page.inner_text("#entity-label") == "2023济南市天桥区政务公开工作要点"
        meta = page.inner_text("#document-meta")
        assert "济南市天桥区人民政府" in meta and "区县" in meta
        outline = page.inner_text("#document-outline")
        assert "table/12" in outline and "济南市天桥区人民政府办公室" in outline
        assert "二" in page.locator("#document-outline > li.section").all_inner_texts()
        items = page.locator("#document-outline > li:not(.section)").count()
        assert page.inner_text("#document-item-count") == str(items) and items > 10
        assert "三同步" in page.inner_text("#document-terms")
        page.locator("#document-outline details").first.click()
        assert no_overflow(page)
        screenshot(page, "entity-document")
        # other kinds keep the generic page, in Chinese and with names: an item
        page.goto(server + "/id/" + doc["id"] + "/item/table/12")
        assert page.inner_text("#entity-label") == "table/12 提升发布解读质量"
        table = page.inner_text("main table")
        assert "责任单位" in table and "济南市天桥区人民政府办公室" in table
        assert "2023济南市天桥区政务公开工作要点" in table
        screenshot(page, "entity-item")


def test_hostile_labels_stay_text(sample):
    """On the sample graph's hostile labels every new page shows the text and runs no script."""
    with chromium_page() as page:
        for url in (
            "/id/agency/hostile",
            "/id/mechanism/hostile",
            "/id/platform/hostile",
            "/id/doc/xihu2025",
            "/ask/tasks?agency=" + "</script><script>window.__xss=1</script>局",
            '/ask/responsible?name=<img src=x onerror="window.__xss=1">制度',
            "/ask/document?doc=doc/xihu2025",
            "/ask/diff?a=xihu_2024.txt&b=xihu_2025.txt",
        ):
            page.goto(sample + url)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__xss") == "undefined", url
        page.goto(sample + "/id/agency/hostile")
        assert page.inner_text("#entity-label") == "</script><script>window.__xss=1</script>局"
        page.goto(sample + "/ask/diff?a=xihu_2024.txt&b=xihu_2025.txt")
        assert "<a href" in page.inner_text("#answer-table")  # the hostile platform's name, as text
        screenshot(page, "ask-diff-sample")
