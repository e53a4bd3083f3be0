"""Issue #17: a query needing too much memory is stopped by the OS in its worker (503); the pool recovers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox

from api.query_worker import QueryOutOfMemory, QueryPool
from api.sparql_exec import Dataset
from api.sparql_formats import negotiate
from api.testing import serve_sample

# The red-team query: each OPTIONAL level materialises the cross product of the level below.
OPTIONAL_CHAIN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c OPTIONAL { ?d ?e ?f OPTIONAL { ?g ?h ?i } } }"
CHEAP = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
LIMIT_MB = "300"  # a worker with the store open uses ~100 MB of data segment; the chain needs GBs


def _filler(store_dir: Path, triples: int = 1000) -> None:
    """A store with ``triples`` triples: enough for the chain to need far more than LIMIT_MB at once."""
    store = ox.Store(str(store_dir))
    graph = ox.NamedNode("https://w3id.org/zwgk/graph/filler")
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:x:s{i}"), ox.NamedNode(f"urn:x:p{i % 7}"), ox.Literal(f"v{i}"), graph)
        for i in range(triples)
    )
    store.flush()
    del store


def test_limits_memory_pool_stops_the_query_and_replaces_the_worker(tmp_path: Path) -> None:
    _filler(tmp_path / "store")
    pool = QueryPool(tmp_path / "store", 1, 20.0, memory_mb=int(LIMIT_MB))
    fmt = negotiate("text/csv", False)
    try:
        try:
            pool.run(OPTIONAL_CHAIN, fmt, Dataset(), 10)
        except QueryOutOfMemory as err:
            assert "ZWGK_QUERY_MEMORY_MB" in str(err)
        else:
            raise AssertionError("the OPTIONAL chain was answered under a 300 MB bound")
        assert pool.run(CHEAP, fmt, Dataset(), 10).body.split()[-1] == b"1000"
    finally:
        pool.close()


def test_limits_memory_http_503_then_next_query_answers(tmp_path: Path) -> None:
    _filler(tmp_path / "store")
    env = {"ZWGK_QUERY_MEMORY_MB": LIMIT_MB, "ZWGK_QUERY_WORKERS": "1", "ZWGK_QUERY_TIMEOUT": "20"}
    with serve_sample(tmp_path / "store", **env) as base:
        blown = httpx.get(base + "/sparql", params={"query": OPTIONAL_CHAIN}, timeout=30)
        assert blown.status_code == 503, blown.text
        assert "ZWGK_QUERY_MEMORY_MB" in blown.json()["detail"]
        assert "\n" not in blown.json()["detail"]
        csv = {"Accept": "text/csv"}
        cheap = httpx.get(base + "/sparql", params={"query": CHEAP}, headers=csv, timeout=30)
        assert cheap.status_code == 200, cheap.text
        assert int(cheap.text.split()[-1]) > 1000
