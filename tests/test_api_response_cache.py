"""Whole answers of repeated GETs from memory, never older than the store; runaway queries held back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from api.cache import CachedStore
from api.main import create_app
from api.query_worker import QueryStopped, QueryTimeout
from api.runner import RunawayGuard
from api.settings import Settings
from api.sparql_exec import Dataset, QueryAnswer
from api.sparql_formats import ResultFormat
from kg.build import ingest_record
from kg.sparql_guard import check_query
from kg.store import OxigraphStore

from kg_fixtures import suileng_record, xihu_record

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

DOCS = "SELECT ?f WHERE { GRAPH ?g { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } } ORDER BY ?f"
JSON = {"accept": "application/sparql-results+json"}


@pytest.fixture()
def cached() -> Iterator[tuple[TestClient, CachedStore]]:
    from fastapi.testclient import TestClient

    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    with TestClient(create_app(Settings(), store=store)) as client:
        yield client, store


def _files(client: TestClient) -> tuple[list[str], str | None]:
    reply = client.get("/sparql", params={"query": DOCS}, headers=JSON)
    assert reply.status_code == 200
    return [b["f"]["value"] for b in reply.json()["results"]["bindings"]], reply.headers.get("x-cache")


def test_response_cache_repeated_get_is_a_hit(cached: tuple[TestClient, CachedStore]) -> None:
    """The second identical GET is answered from memory with the same body."""
    client, _ = cached
    assert _files(client) == (["xihu_2024.txt"], None)
    assert _files(client) == (["xihu_2024.txt"], "hit")


def test_response_cache_write_makes_the_next_answer_fresh(cached: tuple[TestClient, CachedStore]) -> None:
    """After a document is ingested the same GET sees it (no stale answer)."""
    client, store = cached
    _files(client)
    ingest_record(store, suileng_record())
    assert _files(client) == (["suileng_2023.txt", "xihu_2024.txt"], None)
    assert store.remove_document("suileng_2023.txt")
    assert _files(client) == (["xihu_2024.txt"], None)


def test_response_cache_accept_header_is_part_of_the_key(cached: tuple[TestClient, CachedStore]) -> None:
    """A GET asking for another format is not answered with the cached one."""
    client, _ = cached
    _files(client)
    reply = client.get("/sparql", params={"query": DOCS}, headers={"accept": "text/csv"})
    assert reply.headers["content-type"].startswith("text/csv")
    assert "x-cache" not in reply.headers


def test_response_cache_keeps_no_errors(cached: tuple[TestClient, CachedStore]) -> None:
    """A refused query is refused again by the endpoint, not replayed from memory."""
    client, _ = cached
    for _ in range(2):
        reply = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p"})
        assert reply.status_code == 400
        assert "x-cache" not in reply.headers


def test_response_cache_off_for_stores_without_generation() -> None:
    """A store that others may change (no write generation here) is never answered from memory."""
    from fastapi.testclient import TestClient

    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    with TestClient(create_app(Settings(), store=store)) as client:
        assert _files(client)[1] is None
        assert _files(client)[1] is None


def test_response_cache_can_be_turned_off() -> None:
    """ZWGK_RESPONSE_CACHE_BYTES=0 answers every request afresh."""
    from fastapi.testclient import TestClient

    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    with TestClient(create_app(Settings(response_cache_bytes=0), store=store)) as client:
        assert _files(client)[1] is None
        assert _files(client)[1] is None


class _Runner:
    def __init__(self, error: type[Exception] | None) -> None:
        self.error = error
        self.calls = 0

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        self.calls += 1
        if self.error is not None:
            raise self.error("stopped")
        return QueryAnswer(b"{}", "application/json", 0, False)

    def close(self) -> None:
        pass


def _run(guard: RunawayGuard, text: str = "SELECT * {}") -> None:
    guard.run(text, None, Dataset(), 10)  # type: ignore[arg-type]


def test_runaway_guard_refuses_a_just_stopped_query_without_running_it() -> None:
    """The same text stopped at the timeout is refused at once, and does not reach a worker."""
    inner = _Runner(QueryStopped)
    guard = RunawayGuard(inner, hold=60)
    with pytest.raises(QueryStopped):
        _run(guard)
    with pytest.raises(QueryTimeout, match="not run again"):
        _run(guard)
    assert inner.calls == 1


def test_runaway_guard_runs_other_texts_and_forgets_after_the_hold() -> None:
    """Other queries still run, and the stopped one runs again once the hold is over."""
    inner = _Runner(QueryStopped)
    guard = RunawayGuard(inner, hold=0.05)
    with pytest.raises(QueryStopped):
        _run(guard)
    inner.error = None
    _run(guard, "ASK {}")
    time.sleep(0.06)
    _run(guard)
    assert inner.calls == 3


def test_runaway_guard_does_not_hold_back_queries_that_only_waited() -> None:
    """A query refused because every worker was busy is not remembered as a runaway."""
    inner = _Runner(QueryTimeout)
    guard = RunawayGuard(inner, hold=60)
    for _ in range(2):
        with pytest.raises(QueryTimeout):
            _run(guard)
    assert inner.calls == 2


def test_sparql_guard_parses_from_many_threads_at_once() -> None:
    """Concurrent checks of distinct queries all succeed (rdflib's parser alone is not thread-safe)."""
    errors: list[BaseException] = []

    def check(worker: int) -> None:
        for n in range(40):
            try:
                check_query(f"SELECT ?s WHERE {{ ?s ?p {worker * 1000 + n} . FILTER(?s != <urn:x:{n}>) }}")
            except BaseException as err:  # noqa: BLE001 - any failure is the test's finding
                errors.append(err)

    threads = [threading.Thread(target=check, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_response_cache_keys_on_host(cached: tuple[TestClient, CachedStore]) -> None:
    """A service description asked with a forged Host is never served to other clients."""
    client, _ = cached
    forged = client.get("/sparql", params={"format": "sd"}, headers={"host": "attacker.example"})
    assert "attacker.example" in forged.text
    assert forged.headers["vary"] == "Host"
    honest = client.get("/sparql", params={"format": "sd"})
    assert honest.status_code == 200
    assert "attacker.example" not in honest.text
    assert "<http://testserver/sparql>" in honest.text
