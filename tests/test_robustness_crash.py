"""Crash safety: kill -9 during ingestion leaves every document wholly old or wholly new (promise 7).

A writer process (forked from a preloaded fork server, so each round is fast)
ingests prepared records in a loop, alternating two versions of each document;
the test kills it with SIGKILL at a seeded random moment, reopens the store and
compares each document's named graph with the versions it may hold.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import time
from ctypes import c_int
from datetime import datetime
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from extractors.records import DocumentRecord
from kg.build import ingest_record
from kg.mapping import map_record
from kg.store import OxigraphStore

from kg_fixtures import suileng_record, xihu_record

ROUNDS = 50
SEED = 20240611
FIXED = datetime(2024, 1, 1)
MAX_DELAY = 0.3  # seconds after the writer is ready; a write of the big document takes ~0.1 s
ROOT = Path(__file__).resolve().parents[1]

Pair = tuple[DocumentRecord, DocumentRecord]


def _widened(record: DocumentRecord, copies: int) -> DocumentRecord:
    """The record with its items repeated under new refs, so one write takes long enough to be hit."""
    extra = [dataclasses.replace(it, ref=f"{k}/{it.ref}", title=f"{it.title}{k}")
             for k in range(copies) for it in record.items[1:]]
    return dataclasses.replace(record, items=[*record.items, *extra])


def _second(record: DocumentRecord) -> DocumentRecord:
    """The same document (same bytes hash, so the same graph) with one item title changed."""
    items = list(record.items)
    items[-1] = dataclasses.replace(items[-1], title=items[-1].title + "（修订）")
    return dataclasses.replace(record, items=items)


def _pairs() -> list[Pair]:
    firsts = [xihu_record(), suileng_record(), _widened(xihu_record("big_2024.txt"), 20)]
    firsts[2] = dataclasses.replace(firsts[2], sha256="b" * 64)
    return [(r, _second(r)) for r in firsts]


def _graph_nt(store: OxigraphStore, graph: str) -> frozenset[str]:
    data, _ = store.query_raw(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                              "application/n-triples")
    return frozenset(line for line in data.decode("utf-8").splitlines() if line.strip())


def _expected(pairs: list[Pair]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each document graph's triples in version A and version B, written once in memory."""
    out = {}
    for a, b in pairs:
        versions = []
        for record in (a, b):
            memory = OxigraphStore(None)
            ingest_record(memory, record, started=FIXED)
            versions.append(_graph_nt(memory, map_record(record).graph_iri))
        out[map_record(a).graph_iri] = (versions[0], versions[1])
    return out


def _writer(store_dir: str, pairs: list[Pair], ready: Event, writes: c_int) -> None:
    """Child: open the store, then ingest version A and B of every document in turn, forever.

    ``writes`` is a shared counter without a lock: one writer runs at a time and the parent reads
    it once the writer is dead (a kill -9 inside a locked increment left the lock held for ever).
    """
    store = OxigraphStore(Path(store_dir))
    ready.set()
    for n in itertools.count():
        for pair in pairs:
            ingest_record(store, pair[n % 2], started=FIXED)
            writes.value += 1


def _context() -> mp.context.ForkServerContext:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.build", "kg.store", "kg.mapping", "extractors.records", __name__])
    return ctx


def _check_documents(store: OxigraphStore, expected: dict[str, tuple[frozenset[str], frozenset[str]]],
                     written: set[str]) -> None:
    """Each graph holds version A or B; a graph never written yet may also be absent."""
    for graph, versions in expected.items():
        held = _graph_nt(store, graph)
        allowed = versions if graph in written else (*versions, frozenset())
        assert held in allowed, f"{graph}: {len(held)} triples, neither version A nor B (a torn write)"
        if held:
            written.add(graph)


@pytest.mark.slow
def test_robustness_crash_kill9_fifty_rounds(tmp_path: Path) -> None:
    """50 kill -9 at random moments: each graph is wholly A or B, the store opens, a retry succeeds."""
    pairs = _pairs()
    expected = _expected(pairs)
    path = tmp_path / "store"
    ctx = _context()
    rng = random.Random(SEED)
    writes = ctx.Value("i", 0, lock=False)
    written: set[str] = set()
    for round_no in range(ROUNDS):
        ready = ctx.Event()
        child = ctx.Process(target=_writer, args=(str(path), pairs, ready, writes))
        child.start()
        ready.wait(timeout=30)
        time.sleep(rng.uniform(0.0, MAX_DELAY))
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
        assert child.exitcode == -signal.SIGKILL
        store = OxigraphStore(path)
        _check_documents(store, expected, written)
        record = pairs[round_no % len(pairs)][round_no % 2]
        ingest_record(store, record, started=FIXED)
        graph = map_record(record).graph_iri
        assert _graph_nt(store, graph) == expected[graph][round_no % 2]
        written.add(graph)
        store.close()
        del store
        gc.collect()
    assert writes.value > ROUNDS, f"only {writes.value} writes completed: kills did not land during ingestion"


ACK_WRITER = """
import sys
sys.path[:0] = [{root!r}, {root!r} + "/tests"]
from pathlib import Path
from kg.build import ingest_record
from kg.store import OxigraphStore
from kg_fixtures import xihu_record
store = OxigraphStore(Path({path!r}))
ingest_record(store, xihu_record("acked.txt"))
print("acknowledged", flush=True)
{after}
"""


@pytest.mark.parametrize("after", ["store.close()", "import time; time.sleep(60)"], ids=["exit", "kill9"])
def test_robustness_crash_acknowledged_ingest_survives(tmp_path: Path, after: str) -> None:
    """Once ingest_record returns, the document is there after the process exits or is killed."""
    path = tmp_path / "store"
    code = ACK_WRITER.format(root=str(ROOT), path=str(path), after=after)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "acknowledged"
    if "sleep" in after:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    store = OxigraphStore.read_only(path)
    assert store.stats()["documents"] == 1
    ask = "ASK { ?d <https://w3id.org/zwgk/ontology#sourceFile> 'acked.txt' }"
    assert store.select(ask) == [{"result": True}]
