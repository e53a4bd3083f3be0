"""The question routes a page at a time (``?limit=&offset=``, ``X-Total-Count``), on a store with
the summary graph (its replica) and on one written before it (the plain graph's ranking)."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from api.main import create_app
from api.response_cache import ResponseCache, ResponseCacheMiddleware
from api.settings import Settings
from api.testing import sample_store
from kg.build import build
from kg.summary_index import summary_index


def _pages(client: TestClient, path: str, size: int) -> tuple[list[dict[str, object]], int]:
    first = client.get(path, params={"limit": size})
    assert first.status_code == 200
    total = int(first.headers["X-Total-Count"])
    rows = first.json()
    for offset in range(size, total, size):
        rows += client.get(path, params={"limit": size, "offset": offset}).json()
    return rows, total


@pytest.fixture(scope="module")
def seeds_client(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]):  # type: ignore[no-untyped-def]
    """The API on an on-disk store built by ``kg build`` (so with its summary graph)."""
    from kg.store import OxigraphStore

    path = tmp_path_factory.mktemp("paging") / "store"
    store = OxigraphStore(path)
    build(seed_paths, store, progress=False)
    store.close()
    del store  # the RocksDB lock goes with the object
    gc.collect()
    with TestClient(create_app(Settings(store_dir=path, query_workers=1))) as client:
        yield client


def test_a_page_of_agencies_with_its_total_and_evidence(seeds_client: TestClient) -> None:
    whole = seeds_client.get("/api/mechanisms/三同步/agencies").json()
    page = seeds_client.get("/api/mechanisms/三同步/agencies", params={"limit": 2})
    assert page.status_code == 200 and len(page.json()) == 2
    total = int(page.headers["X-Total-Count"])
    assert total >= len(whole) >= 2  # every agency of the contract's question; the plain one needs a sentence
    first = page.json()[0]
    assert first["documents"] >= 1 and first["name"]
    rows, count = _pages(seeds_client, "/api/mechanisms/三同步/agencies", 2)
    assert count == total == len(rows) == len({r["agency"] for r in rows})
    assert {a["agency"] for a in whole} <= {r["agency"] for r in rows}
    sentences = {e["text"] for a in whole for e in a["evidence"]}
    assert all(e["text"] in sentences for r in rows for e in r["evidence"])  # type: ignore[attr-defined]
    assert any("三同步" in str(e["text"]) for r in rows for e in r["evidence"])  # type: ignore[attr-defined]
    counts = [r["documents"] for r in rows]
    assert counts == sorted(counts, reverse=True)  # busiest first


def test_the_replica_is_read_in_the_background_and_then_used(seeds_client: TestClient) -> None:
    store = seeds_client.app.state.store  # type: ignore[attr-defined]
    for _ in range(200):  # started when the app opened the store
        if summary_index(store, wait=False) is not None:
            break
        time.sleep(0.05)
    assert summary_index(store, wait=False) is not None
    hits = seeds_client.get("/api/search", params={"q": "公开", "limit": 3})
    assert len(hits.json()) == 3 and int(hits.headers["X-Total-Count"]) > 3


def test_obligations_and_platforms_page_too(seeds_client: TestClient) -> None:
    whole = seeds_client.get("/api/platforms/12345热线/agencies").json()
    rows, total = _pages(seeds_client, "/api/platforms/12345热线/agencies", 3)
    assert {a["agency"] for a in whole} <= {r["agency"] for r in rows} and total == len(rows)
    agency = whole[0]["name"]
    everything = seeds_client.get(f"/api/agencies/{agency}/obligations").json()
    rows, total = _pages(seeds_client, f"/api/agencies/{agency}/obligations", 1)
    assert sorted(r["obligation"] for r in rows) == sorted(r["obligation"] for r in everything)


def test_a_store_without_the_summary_graph_still_pages() -> None:
    """The sample graph predates the summary graph: the ranking comes from the plain graph."""
    with TestClient(create_app(Settings(), store=sample_store())) as client:
        whole = client.get("/api/mechanisms/三同步/agencies").json()
        rows, total = _pages(client, "/api/mechanisms/三同步/agencies", 1)
        assert whole and {a["agency"] for a in whole} <= {r["agency"] for r in rows} and total == len(rows)
        assert client.get("/api/mechanisms/三同步/agencies", params={"limit": 0}).status_code == 422


def test_an_answer_made_while_the_replica_loads_is_not_kept() -> None:
    """``Cache-Control: no-store`` keeps an answer out of the service's answer cache."""
    app = FastAPI()
    app.state.store = type("Store", (), {"generation": 0})()
    app.add_middleware(ResponseCacheMiddleware, cache=ResponseCache(1 << 20, 1 << 16))
    calls = []

    @app.get("/api/a")
    def answer(response: Response, keep: bool = True) -> dict[str, int]:
        calls.append(1)
        if not keep:
            response.headers["Cache-Control"] = "no-store"
        return {"n": len(calls)}

    with TestClient(app) as client:
        assert client.get("/api/a").json() == client.get("/api/a").json() == {"n": 1}  # kept
        assert client.get("/api/a?keep=false").json() == {"n": 2}
        assert client.get("/api/a?keep=false").json() == {"n": 3}  # not kept
