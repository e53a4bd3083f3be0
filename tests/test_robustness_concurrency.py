"""Concurrency: readers see a document's old or new graph, never a mix; a second writer fails fast.

Promise 8 of the robustness issue.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing as mp
import subprocess
import sys
import time
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from extractors.records import DocumentRecord
from kg.build import ingest_record
from kg.mapping import map_record
from kg.store import OxigraphStore, StoreError

from kg_fixtures import xihu_record

ROOT = Path(__file__).resolve().parents[1]
READ_SECONDS = 4.0
TITLE = "http://purl.org/dc/terms/title"


def _version(marker: str, extra_items: int) -> DocumentRecord:
    """The same document (same graph) carrying ``marker`` as a title and ``extra_items`` more items."""
    record = xihu_record()
    last = record.items[-1]
    extra = [dataclasses.replace(last, ref=f"{marker}/{k}", title=f"{marker}-{k}")
             for k in range(extra_items)]
    marked = dataclasses.replace(last, title=marker)
    return dataclasses.replace(record, items=[*record.items[:-1], marked, *extra])


VERSIONS = {"版本甲": 5, "版本乙": 40}
GRAPH = map_record(xihu_record()).graph_iri
READ = f"""SELECT ?n ?m WHERE {{
  {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} }}
  OPTIONAL {{ GRAPH <{GRAPH}> {{ ?i <{TITLE}> ?m FILTER(STR(?m) IN ("版本甲", "版本乙")) }} }}
}}"""


def _writer(store_dir: str, stop: Event, writes: Synchronized[int]) -> None:
    """Child: replace the document's graph, alternating the two versions, until told to stop."""
    store = OxigraphStore(Path(store_dir))
    records = [_version(m, n) for m, n in VERSIONS.items()]
    for n in itertools.count():
        if stop.is_set():
            break
        ingest_record(store, records[n % 2])
        with writes.get_lock():
            writes.value += 1
    store.close()


def _snapshot(store: OxigraphStore) -> tuple[int, str | None]:
    rows = store.select(READ)
    markers = sorted({str(r["m"]) for r in rows if "m" in r})
    return int(str(rows[0]["n"])), "+".join(markers) or None


def _read(path: Path) -> tuple[int, str | None]:
    """One reader: open a read-only view, read count and marker; a failed open reads as nothing."""
    try:
        return _snapshot(OxigraphStore.read_only(path))
    except (StoreError, RuntimeError) as exc:  # pyoxigraph reports RocksDB "Corruption" as RuntimeError
        return 0, f"error: {' '.join(str(exc).split())[:160]}"


def _expected_counts() -> dict[str, int]:
    out = {}
    for marker, extra in VERSIONS.items():
        memory = OxigraphStore(None)
        ingest_record(memory, _version(marker, extra))
        out[marker] = _snapshot(memory)[0]
    return out


@pytest.mark.slow
def test_robustness_concurrency_readers_see_whole_versions(tmp_path: Path) -> None:
    """While a writer process swaps versions, every read-only reader sees exactly one whole version."""
    counts = _expected_counts()
    path = tmp_path / "store"
    first = OxigraphStore(path)
    ingest_record(first, _version("版本甲", VERSIONS["版本甲"]))
    first.close()
    del first
    ctx = mp.get_context("forkserver")
    stop, writes = ctx.Event(), ctx.Value("i", 0)
    child = ctx.Process(target=_writer, args=(str(path), stop, writes))
    child.start()
    seen: list[tuple[int, str | None]] = []
    deadline = time.monotonic() + READ_SECONDS
    try:
        while time.monotonic() < deadline:
            seen.append(_read(path))
    finally:
        stop.set()
        child.join(timeout=30)
    bad = [s for s in seen if s[1] not in counts or s[0] != counts[s[1]]]
    assert not bad, f"{len(bad)} of {len(seen)} reads saw a mixed or empty graph: {bad[:3]}"
    assert len(seen) > 20 and writes.value > 5, f"{len(seen)} reads, {writes.value} writes"
    assert child.exitcode == 0


LOCKER = """
import sys, time
sys.path[:0] = [{root!r}]
from pathlib import Path
from kg.store import OxigraphStore, StoreLockedError
started = time.monotonic()
try:
    OxigraphStore(Path({path!r}))
except StoreLockedError as exc:
    print(f"{{time.monotonic() - started:.3f}}", exc, sep="\\n")
"""


def test_robustness_concurrency_second_writer_fails_fast(tmp_path: Path) -> None:
    """A second process opening the store for writing gets StoreLockedError within 5 s, clearly."""
    path = tmp_path / "store"
    holder = OxigraphStore(path)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", LOCKER.format(root=str(ROOT), path=str(path))],
                            capture_output=True, text=True, timeout=30, check=True)
    elapsed = time.monotonic() - started
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2, result.stdout + result.stderr
    assert float(lines[0]) < 5.0 and elapsed < 10.0
    assert lines[1] == f"{path}: store is already opened for writing by another process"
    holder.close()


def test_robustness_concurrency_second_writer_cli_message(tmp_path: Path) -> None:
    """A writing command (``kg remove``) on a store another process holds exits 1 with one line naming
    the store and the lock. (Read-only commands open it read-only: tests/test_cli_default_store.py.)"""
    path = tmp_path / "store"
    holder = OxigraphStore(path)
    kg = Path(sys.executable).with_name("kg")
    started = time.monotonic()
    result = subprocess.run([str(kg), "remove", "x.txt", "--store", str(path)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {path}: store is already opened for writing by another process"
    holder.close()
