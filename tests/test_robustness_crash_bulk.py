"""Crash safety of a build's bulk mode: kill -9 leaves every document wholly there or absent.

``kg build`` loads documents new to the store in groups with Oxigraph's bulk
loader (:meth:`kg.store.OxigraphStore.bulk`). A writer process builds a dozen
documents in groups of about three, removes them and builds them again,
forever; the test kills it at seeded random moments, reopens the store and
compares each document's named graph with the one written alone in memory.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing as mp
import os
import random
import signal
import time
from collections.abc import Iterator
from ctypes import c_int
from datetime import datetime
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

import kg.store
from extractors.records import DocumentRecord
from kg.build import MappedResult, build, ingest_record, mapped_result
from kg.mapping import map_record, tool_version
from kg.store import OxigraphStore

from kg_fixtures import xihu_record

ROUNDS = 20
DOCUMENTS = 12
SEED = 20261122
FIXED = datetime(2024, 1, 1)
MAX_DELAY = 0.8  # seconds after the writer is ready; one build of the dozen takes about that


def _records() -> list[DocumentRecord]:
    """Distinct documents (own file and bytes hash), each big enough that a group takes a while."""
    base = xihu_record()
    extra = [dataclasses.replace(it, ref=f"{k}/{it.ref}", title=f"{it.title}{k}")
             for k in range(6) for it in base.items[1:]]
    wide = dataclasses.replace(base, items=[*base.items, *extra])
    return [dataclasses.replace(wide, source_file=f"doc{n:02d}.txt", sha256=f"{n:02d}" * 32)
            for n in range(DOCUMENTS)]


def _graph_nt(store: OxigraphStore, graph: str) -> frozenset[str]:
    data, _ = store.query_raw(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                              "application/n-triples")
    return frozenset(line for line in data.decode("utf-8").splitlines() if line.strip())


def _expected(records: list[DocumentRecord]) -> dict[str, frozenset[str]]:
    """Each document's graph written alone (transactionally) in memory."""
    out = {}
    for record in records:
        memory = OxigraphStore(None)
        ingest_record(memory, record, started=FIXED)
        graph = map_record(record).graph_iri
        out[graph] = _graph_nt(memory, graph)
    return out


def _writer(store_dir: str, records: list[DocumentRecord], ready: Event, loads: c_int) -> None:
    """Child: build every document in bulk groups of ~3, remove them all, again and again."""
    mapped = [mapped_result(r, FIXED, tool_version()) for r in records]
    kg.store.BULK_GROUP_BYTES = 3 * len(kg.store._trig(
        mapped[0].graph_iri, mapped[0].doc_lines, mapped[0].entity_lines, mapped[0].content_hash))
    store = OxigraphStore(Path(store_dir))

    def extractor(paths: list[Path], workers: int) -> Iterator[MappedResult]:
        return iter(mapped)

    ready.set()
    while True:
        build([], store, progress=False, extractor=extractor)
        loads.value += 1  # no lock: a kill -9 inside a locked increment would leave the lock held
        for result in mapped:
            store.remove_document(result.graph_iri)


@pytest.mark.slow
def test_robustness_crash_bulk_build_kill9(tmp_path: Path) -> None:
    """20 kill -9 during bulk builds: each graph is whole or absent, and the next build completes all."""
    records = _records()
    expected = _expected(records)
    path = tmp_path / "store"
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.build", "kg.store", "kg.mapping", "extractors.records", __name__])
    rng = random.Random(SEED)
    loads = ctx.Value("i", 0, lock=False)  # one writer at a time; read once it is dead
    partial_rounds = 0
    for _ in range(ROUNDS):
        ready = ctx.Event()
        child = ctx.Process(target=_writer, args=(str(path), records, ready, loads))
        child.start()
        ready.wait(timeout=60)
        time.sleep(rng.uniform(0.05, MAX_DELAY))
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        store = OxigraphStore(path)
        held = {graph: _graph_nt(store, graph) for graph in expected}
        for graph, triples in held.items():
            assert triples in (expected[graph], frozenset()), (
                f"{graph}: {len(triples)} triples, neither the whole document nor nothing (a torn group)"
            )
        partial_rounds += 0 < sum(bool(t) for t in held.values()) < len(held)
        mapped = [mapped_result(r, FIXED, tool_version()) for r in records]
        with store.bulk():
            for result in mapped:
                store.replace_document_nt(result.graph_iri, result.doc_lines, result.entity_lines,
                                          result.content_hash, result.source_file)
        assert all(_graph_nt(store, graph) == triples for graph, triples in expected.items())
        store.close()
        del store
        gc.collect()
    assert loads.value > 0 and partial_rounds > 0, "kills never landed in the middle of a build"
