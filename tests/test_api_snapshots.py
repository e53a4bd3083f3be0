"""Query workers read private checkpoints of the API's store: fresh after writes, cleaned up after use."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from api.query_worker import QueryPool
from api.snapshots import Snapshots
from api.sparql_exec import Dataset
from api.sparql_formats import negotiate

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _add(store: ox.Store, n: int) -> None:
    graph = ox.NamedNode("https://w3id.org/zwgk/graph/test")
    store.add(ox.Quad(ox.NamedNode(f"urn:s:{n}"), ox.NamedNode("urn:p"), ox.Literal(str(n)), graph))


class _Generation:
    def __init__(self) -> None:
        self.value = 0

    def __call__(self) -> int:
        return self.value


def test_snapshot_is_an_independent_copy_of_the_store(tmp_path: Path) -> None:
    """A checkpoint opens as a store with the data of its generation, unaffected by later writes."""
    store = ox.Store(str(tmp_path / "store"))
    _add(store, 1)
    snapshots = Snapshots(store, tmp_path / "store", _Generation())
    path, generation = snapshots.current(0)
    _add(store, 2)
    copy = ox.Store(str(path))
    assert (generation, len(copy), len(store)) == (0, 1, 2)
    del copy
    snapshots.discard(path)
    assert not path.exists()
    snapshots.close()
    assert not snapshots.root.exists()


def test_pool_on_snapshots_sees_writes_and_keeps_one_checkpoint_per_worker(tmp_path: Path) -> None:
    """After a write and a new generation the workers answer from the new data; old checkpoints go."""
    store = ox.Store(str(tmp_path / "store"))
    _add(store, 1)
    generation = _Generation()
    snapshots = Snapshots(store, tmp_path / "store", generation)
    pool = QueryPool(tmp_path / "store", 2, 30.0, snapshots)
    fmt = negotiate("text/csv", False)
    try:
        assert pool.run(COUNT, fmt, Dataset(), 10).body.split()[-1] == b"1"
        _add(store, 2)
        generation.value += 1
        answers = {pool.run(COUNT, fmt, Dataset(), 10).body.split()[-1] for _ in range(4)}
        assert answers == {b"2"}
        assert len(list(snapshots.root.iterdir())) <= 2
    finally:
        pool.close()
    assert not snapshots.root.exists()
