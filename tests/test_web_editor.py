"""The SPARQL editor page (/editor): YASGUI bundled offline, named-query templates with examples bound."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from web_helpers import CHROMIUM, chromium_page, screenshot, serve_store

from api.main import create_app
from api.routers.editor import bound_example
from kg.queries import list_queries, load_query, run_named
from kg.store import OxigraphStore

ASSETS = ("/static/vendor/yasgui/yasgui.min.js", "/static/vendor/yasgui/yasgui.min.css", "/static/editor.js")


def test_templates_bind_the_example_like_run_named():
    """Each template carries its example values as the VALUES line run_named would inject."""
    text = bound_example(load_query("agencies-for-mechanism"))
    assert 'VALUES (?mechanism) { ("三同步"@zh) }' in text
    assert text.index("VALUES") > text.index("WHERE {")
    diff = bound_example(load_query("document-diff"))
    assert re.search(r'VALUES \(\?before \?after\) \{ \("[^"]+\.txt" "[^"]+\.txt"\) \}', diff)
    for query in list_queries():
        if not query.params:
            assert bound_example(query) == query.sparql


def test_templates_name_their_entities_and_answer_like_run_named(seed_store_dir: Path):
    """A parameter naming an entity is projected beside its IRI; each template gives run_named's rows."""
    obligations = bound_example(load_query("agency-obligations"))
    assert re.search(r"SELECT DISTINCT \?agencyNode \?agency \?document", obligations)
    store = OxigraphStore.read_only(seed_store_dir)
    try:
        with TestClient(create_app(store=store)) as client:
            for query in list_queries():
                answer = client.post(
                    "/sparql",
                    data={"query": bound_example(query)},
                    headers={"Accept": "application/sparql-results+json"},
                )
                assert answer.status_code == 200, (query.name, answer.text)
                rows = answer.json()["results"]["bindings"]
                assert len(rows) == len(run_named(store, query.name, query.example)), query.name
        assert rows  # the last one (search-entities 公开) finds something in the seeds
    finally:
        store.close()


def test_editor_page_references_bundled_assets_that_are_served():
    with TestClient(create_app()) as client:
        page = client.get("/editor")
        assert page.status_code == 200
        for asset in ASSETS:
            assert f'src="{asset}"' in page.text or f'href="{asset}"' in page.text
            served = client.get(asset)
            assert served.status_code == 200 and len(served.content) > 1000
        assert "SPARQL 编辑器" in page.text and "agencies-for-mechanism" in page.text
        assert "http://" not in page.text.split("<script id=")[0].replace("http://www.w3.org", "")
        assert '<a href="/editor">SPARQL 编辑器</a>' in client.get("/").text
        for name in ("LICENSE", "SOURCE.md"):
            assert (Path(__file__).parents[1] / "api/static/vendor/yasgui" / name).is_file()


@pytest.fixture(scope="module")
def server(seed_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_store(seed_store_dir, tmp_path_factory.mktemp("web-editor")) as base:
        yield base


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent")
def test_editor_runs_a_template_offline(server):
    """Pick agencies-for-mechanism: 三同步 is bound, the run shows agency names, paged, no outside request."""
    expected = httpx.post(
        server + "/sparql",
        data={"query": bound_example(load_query("agencies-for-mechanism"))},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    names = {b["name"]["value"] for b in expected}
    assert "济南市天桥区人民政府办公室" in names
    requests: list[str] = []
    with chromium_page() as page:
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server + "/editor")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.select_option("#template", "agencies-for-mechanism")
        text = page.evaluate("window.zwgkYasgui.getTab().getQuery()")
        assert 'VALUES (?mechanism) { ("三同步"@zh) }' in text
        assert "三同步" in page.inner_text(".yasqe .CodeMirror")  # shown in the editor
        assert page.locator(".yasqe .cm-string-2, .yasqe .cm-keyword").count() > 0  # highlighted
        page.click(".yasqe .yasqe_queryButton")
        page.wait_for_selector(".yasr table.dataTable tbody tr td")
        assert page.inner_text("#editor-rows") == f"共 {len(expected)} 行"
        table = page.inner_text(".yasr table.dataTable")
        assert "济南市天桥区人民政府办公室" in table
        with page.expect_download() as download:  # YASR's CSV download of the whole result
            page.click(".yasr .yasr_downloadIcon")
        assert download.value.suggested_filename.endswith(".csv")
        csv_text = Path(download.value.path()).read_text("utf-8")
        assert "济南市天桥区人民政府办公室" in csv_text and len(csv_text.splitlines()) == len(expected) + 1
        screenshot(page, "editor")
        # paging: a larger answer, 10 rows a page
        page.select_option("#template", "mechanisms-by-document")
        page.click(".yasqe .yasqe_queryButton")
        page.wait_for_function("document.querySelector('#editor-rows').textContent.startsWith('共 ')")
        total = int(page.inner_text("#editor-rows").split()[1])
        assert total > 10
        page.select_option(".yasr .pageSizeWrapper select", "10")
        assert page.locator(".yasr table.dataTable tbody tr").count() == 10
        assert f"第 1–10 行，共 {total} 行" in page.inner_text(".yasr")
        assert "每页行数" in page.inner_text(".yasr")
    local = ("blob:", "data:", "about:")
    outside = [
        u for u in requests if not u.startswith(local) and urlsplit(u).netloc != urlsplit(server).netloc
    ]
    assert not outside, outside
    assert any(urlsplit(u).path == "/sparql" for u in requests)
