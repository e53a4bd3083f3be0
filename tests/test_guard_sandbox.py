"""Issue #16, defence in depth: a SERVICE that reaches the engine still connects nowhere.

The guard is bypassed on purpose here (the query goes straight to the runner, or
the guard is patched out), and a loopback listener must record no connection:
query worker processes, the API's in-process query threads and ``kg query`` on an
embedded store run in a network namespace of their own (:mod:`kg.sandbox`).
Skipped, with the reason, where network namespaces cannot be made (not root).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from guard_cases import Listener
from typer.testing import CliRunner

import kg.sandbox
import kg.sparql_guard
import kg.store
from api.query_worker import QueryPool, QueryTimeout
from api.runner import InProcessRunner
from api.sparql_exec import Dataset, QueryFailed
from api.sparql_formats import negotiate
from kg.cli import app as cli
from kg.sandbox import network_dropping_available, offline
from kg.sparql_guard import CheckedQuery
from kg.store import EndpointStore, OxigraphStore

REASON = network_dropping_available()
needs_namespaces = pytest.mark.skipif(REASON is not None, reason=f"no network namespaces here: {REASON}")
JSON = negotiate("application/sparql-results+json", False)


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _service(listener: Listener) -> str:
    return f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"


def _store_with_a_triple(path: Path | None) -> OxigraphStore:
    store = OxigraphStore(path)
    store._store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    store.close()
    return store


@needs_namespaces
def test_offline_thread_cannot_connect_while_the_caller_still_can(listener: Listener) -> None:
    def connect() -> None:
        socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()

    with pytest.raises(OSError, match="unreachable"):
        offline(connect)
    assert listener.settled_hits() == 0
    connect()  # the calling thread kept its network
    assert listener.wait_for(1) == 1


@needs_namespaces
def test_query_worker_process_has_no_network(listener: Listener, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    _store_with_a_triple(store_dir)  # released as it goes out of scope
    pool = QueryPool(store_dir, size=1, timeout=20)
    try:
        with pytest.raises(QueryFailed, match="unreachable"):
            pool.run(_service(listener), JSON, Dataset(), 10)
        answer = pool.run("SELECT * WHERE { ?s ?p ?o }", JSON, Dataset(), 10)  # the worker still answers
        assert answer.rows == 1
    finally:
        pool.close()
    assert listener.settled_hits() == 0


@needs_namespaces
def test_in_process_query_threads_have_no_network(listener: Listener) -> None:
    runner = InProcessRunner(_store_with_a_triple(None), timeout=20)
    try:
        with pytest.raises(QueryFailed, match="unreachable"):
            runner.run(_service(listener), JSON, Dataset(), 10)
        assert runner.run("SELECT * WHERE { ?s ?p ?o }", JSON, Dataset(), 10).rows == 1
    finally:
        runner.close()
    assert listener.settled_hits() == 0


@needs_namespaces
def test_a_remote_endpoint_keeps_the_network(listener: Listener) -> None:
    """The sandbox is not applied where the store itself is reached over the network."""
    runner = InProcessRunner(EndpointStore(listener.url), timeout=20)
    try:
        with pytest.raises((QueryFailed, QueryTimeout)):  # the listener hangs up: 503 "cannot read the store"
            runner.run("SELECT * WHERE { ?s ?p ?o }", JSON, Dataset(), 10)
    finally:
        runner.close()
    assert listener.wait_for(1) >= 1


@needs_namespaces
def test_kg_query_runs_without_network(
    listener: Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "store"
    _store_with_a_triple(store_dir)  # released as it goes out of scope
    monkeypatch.setattr(kg.sparql_guard, "check_query", lambda text, *_: CheckedQuery(text, "SELECT"))
    monkeypatch.setattr(kg.store, "refuse_remote", lambda text: text)
    result = CliRunner().invoke(cli, ["query", _service(listener), "--store", str(store_dir)])
    assert result.exit_code == 1
    assert "unreachable" in result.output, result.output
    assert listener.settled_hits() == 0


def test_without_namespaces_the_reason_is_logged_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Where unshare is refused, queries still run (the guard alone protects) and one warning says why."""
    refused = "unshare(CLONE_NEWNET) failed: Operation not permitted"
    monkeypatch.setattr(kg.sandbox, "_unshare", lambda: refused)
    monkeypatch.setattr(kg.sandbox, "_reason", None)
    with caplog.at_level(logging.WARNING, logger="kg.sandbox"):
        assert kg.sandbox.drop_network() is False
        assert kg.sandbox.drop_network() is False
        assert offline(lambda: 42) == 42
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert "Operation not permitted" in caplog.records[0].getMessage()
