"""A slow query check (rdflib parses some texts at ~1 ms a byte) is bounded and blocks no one (issue #17)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.query_worker import QueryStopped
from api.runner import InProcessRunner
from api.testing import sample_store, serve_sample
from kg.sparql_guard import MalformedQuery, UpdateForbidden, cached_verdict, check_query

CHEAP = "ASK { ?s ?p ?o }"
TIMEOUT = 3.0


def _chain(terms: int) -> str:
    """An operator chain: a few bytes a term, ~1 ms a term for rdflib's parser."""
    return "ASK { FILTER(" + " + ".join(["1"] * terms) + ") }"


def _timed_get(client: httpx.Client, path: str, **params: str) -> tuple[int, float]:
    start = time.monotonic()
    status = client.get(path, params=params).status_code
    return status, time.monotonic() - start


def test_a_served_slow_check_is_stopped_and_blocks_no_one(tmp_path: Path) -> None:
    hostile = _chain(20_000)  # ~80 KB: ~76 s to parse
    with (
        serve_sample(tmp_path / "store", ZWGK_QUERY_TIMEOUT=str(TIMEOUT), ZWGK_QUERY_WORKERS="2") as base,
        httpx.Client(base_url=base, timeout=60) as client,
        ThreadPoolExecutor(1) as background,
    ):
        assert client.get("/api/documents").status_code == 200  # warm up the named questions
        start = time.monotonic()
        slow = background.submit(
            lambda: client.post(
                "/sparql", content=hostile, headers={"content-type": "application/sparql-query"}
            )
        )
        time.sleep(0.5)  # the hostile text is being parsed in a worker by now
        ask, ask_s = _timed_get(client, "/sparql", query=CHEAP)
        named, named_s = _timed_get(client, "/api/documents")
        answer = slow.result(timeout=TIMEOUT + 10)
        hostile_s = time.monotonic() - start
        assert (ask, named) == (200, 200)
        assert ask_s < 1.5 and named_s < 1.5, (ask_s, named_s)
        assert answer.status_code == 503 and "too complex to check" in answer.json()["detail"]
        assert hostile_s < TIMEOUT + 3, hostile_s
        start = time.monotonic()  # the same text again is refused at once for a while (the runaway hold)
        again = client.post("/sparql", content=hostile, headers={"content-type": "application/sparql-query"})
        assert again.status_code == 503 and time.monotonic() - start < 1.0
        # refusals made in a worker are the guard's own, and are remembered in the API process
        update = client.get("/sparql", params={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"})
        assert update.status_code == 403
        assert (
            client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x/> {} }"}).status_code
            == 400
        )


def test_in_process_check_gives_up_at_the_timeout() -> None:
    runner = InProcessRunner(sample_store(), timeout=0.3)
    try:
        assert runner.check(CHEAP, ()).form == "ASK"  # remembered from now on
        start = time.monotonic()
        with pytest.raises(QueryStopped, match="too complex to check"):
            runner.check(_chain(2_500), ())
        assert time.monotonic() - start < 1.0
        start = time.monotonic()
        assert runner.check(CHEAP, ()).form == "ASK"  # a remembered verdict does not wait for the parser
        assert time.monotonic() - start < 0.1
    finally:
        runner.close()
    check_query("SELECT * WHERE { ?s ?p ?o }")  # waits for the abandoned parse to let go of the parser


def test_cached_verdict_replays_refusals() -> None:
    text = "DELETE WHERE { ?s ?p ?o }"
    assert cached_verdict("SELECT ?never_seen_before WHERE { ?s ?p ?o }") is None
    with pytest.raises(UpdateForbidden):
        check_query(text)
    with pytest.raises(UpdateForbidden):
        cached_verdict(text)
    with pytest.raises(MalformedQuery):
        check_query("SELECT WHERE")
    with pytest.raises(MalformedQuery):
        cached_verdict("SELECT WHERE")
