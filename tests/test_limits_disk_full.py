"""Issue #17: when checkpoints cannot be made (a full disk) query workers read the store read-only,
and checkpoints come back once they can be made again."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from api import query_worker
from api.query_worker import QueryPool
from api.snapshots import Snapshots
from api.sparql_exec import Dataset
from api.sparql_formats import negotiate

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPH = ox.NamedNode("https://w3id.org/zwgk/graph/test")


def _add(store: ox.Store, n: int) -> None:
    store.add(ox.Quad(ox.NamedNode(f"urn:s:{n}"), ox.NamedNode("urn:p"), ox.Literal(str(n)), GRAPH))


class _Generation:
    def __init__(self) -> None:
        self.value = 0

    def __call__(self) -> int:
        return self.value


def _count(pool: QueryPool) -> int:
    return int(pool.run(COUNT, negotiate("text/csv", False), Dataset(), 10).body.split()[-1])


def test_limits_disk_full_falls_back_to_read_only_then_recovers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(query_worker, "CHECKPOINT_RETRY", 0.0)
    store = ox.Store(str(tmp_path / "store"))
    _add(store, 1)
    generation = _Generation()
    snapshots = Snapshots(store, tmp_path / "store", generation)
    made = Snapshots.current
    full = {"disk": True}

    def current(self: Snapshots, worker: int) -> tuple[Path, int]:
        if full["disk"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return made(self, worker)

    monkeypatch.setattr(Snapshots, "current", current)
    pool = QueryPool(tmp_path / "store", 1, 30.0, snapshots)
    try:
        assert _count(pool) == 1  # answered from the store itself, read-only
        _add(store, 2)
        store.flush()
        generation.value += 1
        assert _count(pool) == 2
        assert list(snapshots.root.iterdir()) == []
        full["disk"] = False  # space is back: the next query gets a checkpoint again
        assert _count(pool) == 2
        assert len(list(snapshots.root.iterdir())) == 1
    finally:
        pool.close()


def _can_mount_tmpfs(where: Path) -> str:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return "mounting a small tmpfs needs root and mount(8)"
    where.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(where)]
    done = subprocess.run(command, capture_output=True)
    return "" if done.returncode == 0 else f"cannot mount a tmpfs: {done.stderr.decode().strip()}"


def test_limits_disk_full_on_a_real_small_file_system(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    reason = _can_mount_tmpfs(mount)
    if reason:
        pytest.skip(reason)
    try:
        store = ox.Store(str(mount / "store"))
        for n in range(50):
            _add(store, n)
        store.flush()
        generation = _Generation()
        snapshots = Snapshots(store, mount / "store", generation)
        pool = QueryPool(mount / "store", 1, 30.0, snapshots)
        filler = mount / "filler"
        try:
            assert _count(pool) == 50
            with filler.open("wb") as out:  # fill the file system
                try:
                    while True:
                        out.write(b"\0" * (1 << 20))
                        out.flush()
                except OSError as err:
                    assert err.errno == errno.ENOSPC
            generation.value += 1  # a write happened: the worker needs a new checkpoint, which cannot be made
            assert _count(pool) == 50
            assert list(snapshots.root.iterdir()) == []  # no checkpoint, not even a partial one
            filler.unlink()
            query_worker_retry = query_worker.CHECKPOINT_RETRY
            query_worker.CHECKPOINT_RETRY = 0.0
            try:
                assert _count(pool) == 50
                assert len(list(snapshots.root.iterdir())) == 1  # checkpoints are made again
            finally:
                query_worker.CHECKPOINT_RETRY = query_worker_retry
        finally:
            pool.close()
            del store
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
