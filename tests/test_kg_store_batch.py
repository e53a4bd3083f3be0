"""Batch mode of the on-disk store: one flush at the end, each write still durable and visible."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build, ingest_record
from kg.mapping import map_record
from kg.store import OxigraphStore

from kg_fixtures import suileng_record, xihu_record

ROOT = Path(__file__).resolve().parents[1]
FIXED = datetime(2024, 1, 1)


class _CountingStore:
    """A pyoxigraph store that counts its flushes."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner
        self.flushes = 0
        self.compactions = 0

    def flush(self) -> None:
        self.flushes += 1
        self.inner.flush()

    def optimize(self) -> None:
        self.compactions += 1
        self.inner.optimize()

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def _counting(tmp_path: Path) -> tuple[OxigraphStore, _CountingStore]:
    store = OxigraphStore(tmp_path / "store")
    counter = _CountingStore(store._store)
    store._store = counter  # type: ignore[assignment]
    return store, counter


@pytest.mark.parametrize("batched, expected", [(False, 2), (True, 1)])
def test_kg_store_batch_flushes_once(tmp_path: Path, batched: bool, expected: int) -> None:
    """Two writes flush twice alone, once (at the end) inside a batch."""
    store, counter = _counting(tmp_path)
    if batched:
        with store.batch():
            ingest_record(store, xihu_record())
            ingest_record(store, suileng_record())
            assert counter.flushes == 0
    else:
        ingest_record(store, xihu_record())
        ingest_record(store, suileng_record())
    assert counter.flushes == expected


def test_kg_store_batch_build_flushes_once(tmp_path: Path) -> None:
    """A build of several records writes in one batch."""
    store, counter = _counting(tmp_path)
    records = [xihu_record(), suileng_record()]
    report = build([], store, progress=False, extractor=lambda paths, workers: iter(records))
    assert len(report.written) == 2
    assert counter.flushes == 1


WRITE_THEN_DIE = """
import os, signal, sys
sys.path[:0] = [{tests!r}, {root!r}]
from pathlib import Path
from kg.build import ingest_record
from kg.store import OxigraphStore
from kg_fixtures import xihu_record
store = OxigraphStore(Path({store!r}))
with store.batch():
    ingest_record(store, xihu_record())
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_kg_store_batch_write_survives_kill(tmp_path: Path) -> None:
    """A write acknowledged inside a batch survives kill -9 before the batch's flush."""
    store_dir = tmp_path / "store"
    code = WRITE_THEN_DIE.format(tests=str(ROOT / "tests"), root=str(ROOT), store=str(store_dir))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode != 0  # killed
    store = OxigraphStore(store_dir)
    graph = map_record(xihu_record()).graph_iri
    rows = store.select(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert rows == [{"result": True}]


def test_kg_store_batch_flushes_after_enough_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a batch, a flush still comes once enough text was written (memory stays bounded)."""
    monkeypatch.setattr("kg.store.BATCH_FLUSH_BYTES", 1)
    store, counter = _counting(tmp_path)
    with store.batch():
        ingest_record(store, xihu_record())
        ingest_record(store, suileng_record())
        assert counter.flushes == 2
    assert counter.flushes == 3


def _dataset(store: OxigraphStore) -> set[str]:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    data, _ = store.query_raw(query, "application/n-triples")
    return set(data.decode("utf-8").splitlines())


def test_kg_store_bulk_same_graph_as_single_writes(tmp_path: Path) -> None:
    """Documents bulk-loaded in groups give the same triples as documents written one by one."""
    records = [xihu_record(), suileng_record(), xihu_record("xihu_copy.txt")]
    records[2] = dataclasses.replace(records[2], sha256="c" * 64)
    single = OxigraphStore(tmp_path / "single")
    for record in records:
        ingest_record(single, record, started=FIXED)
    bulk = OxigraphStore(tmp_path / "bulk")
    with bulk.bulk():
        for record in records:
            ingest_record(bulk, record, started=FIXED)
        assert bulk.stats()["documents"] == 0  # still waiting for their group
    assert _dataset(bulk) == _dataset(single)
    assert bulk.stats()["documents"] == 3


def test_kg_store_bulk_newer_version_in_the_same_group(tmp_path: Path) -> None:
    """A second version of a file waiting in the group settles the group first, then replaces it."""
    first = xihu_record()
    second = dataclasses.replace(first, sha256="d" * 64)
    store = OxigraphStore(tmp_path / "store")
    with store.bulk():
        ingest_record(store, first, started=FIXED)
        ingest_record(store, second, started=FIXED)
    graphs = {row["g"] for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a ?t } }")}
    assert str(map_record(second).graph_iri) in {str(g) for g in graphs}
    assert str(map_record(first).graph_iri) not in {str(g) for g in graphs}
    assert store.stats()["documents"] == 1


def test_kg_store_bulk_error_writes_nothing_waiting(tmp_path: Path) -> None:
    """An error inside the block leaves the waiting documents unwritten (never half-written)."""
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(RuntimeError), store.bulk():
        ingest_record(store, xihu_record(), started=FIXED)
        raise RuntimeError("stop")
    assert store.stats()["documents"] == 0
    ingest_record(store, xihu_record(), started=FIXED)  # and the store still takes writes
    assert store.stats()["documents"] == 1


def test_kg_build_compacts_after_bulk_loads_only(tmp_path: Path) -> None:
    """A build that bulk-loaded new documents compacts the store once; a build with nothing new does not."""
    store, counter = _counting(tmp_path)
    records = [xihu_record(), suileng_record()]
    build([], store, progress=False, extractor=lambda paths, workers: iter(records))
    assert counter.compactions == 1
    report = build([], store, progress=False, extractor=lambda paths, workers: iter(records))
    assert len(report.unchanged) == 2 and counter.compactions == 1


class _BulkCounting(_CountingStore):
    """Also records the quads of every bulk load."""

    def __init__(self, inner: ox.Store) -> None:
        super().__init__(inner)
        self.bulk_quads: list[int] = []

    def bulk_load(self, data: bytes, format: ox.RdfFormat) -> None:
        self.bulk_quads.append(sum(1 for _ in ox.parse(data, format=format)))
        self.inner.bulk_load(data, format=format)


def test_kg_store_bulk_group_never_above_one_ingestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group is loaded before the next document would take it past Oxigraph's one-ingestion limit."""
    import kg.store

    copy = dataclasses.replace(xihu_record("xihu_copy.txt"), sha256="c" * 64)
    records = [xihu_record(), suileng_record(), copy]
    sizes = []
    for record in records:
        memory = OxigraphStore(None)
        ingest_record(memory, record, started=FIXED)
        sizes.append(len(memory))  # every quad of the document and of its entities
    limit = sizes[0] + sizes[1] - 1  # the first two documents do not fit in one ingestion
    monkeypatch.setattr(kg.store, "BULK_MAX_QUADS", limit)
    monkeypatch.setattr(kg.store, "BULK_GROUP_QUADS", 10 * limit)
    store = OxigraphStore(tmp_path / "store")
    counter = _BulkCounting(store._store)
    store._store = counter  # type: ignore[assignment]
    with store.bulk():
        for record in records:
            ingest_record(store, record, started=FIXED)
    assert len(counter.bulk_quads) >= 2 and max(counter.bulk_quads) <= limit
    assert store.stats()["documents"] == 3


def test_kg_store_bulk_document_bigger_than_a_group_loads_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document with more quads than a group is written in its own transaction, not queued."""
    import kg.store

    monkeypatch.setattr(kg.store, "BULK_GROUP_QUADS", 10)
    store = OxigraphStore(tmp_path / "store")
    counter = _BulkCounting(store._store)
    store._store = counter  # type: ignore[assignment]
    with store.bulk():
        ingest_record(store, xihu_record(), started=FIXED)
        assert store.stats()["documents"] == 1  # visible at once
    assert counter.bulk_quads == []
