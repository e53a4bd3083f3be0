"""A small pool of killable processes that run SPARQL queries on the on-disk store.

Neither pyoxigraph nor rdflib can cancel a running query, so each query runs in
a worker process. A query that outlives the timeout gets its worker killed and
replaced, and :class:`QueryStopped` is raised; the other workers keep answering.
Workers run without network (see :mod:`kg.sandbox`).

A worker reads either its own checkpoint of the store (given
:class:`api.snapshots.Snapshots`: the API's case, fastest) or a read-only view
of the store directory (``pyoxigraph.Store.read_only``). Both are snapshots: a
worker gets a new checkpoint after a write, and a read-only view is reopened
when the store's :func:`store_signature` changed.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from api.snapshots import Snapshots
from api.sparql_exec import Dataset, QueryAnswer, QueryFailed, execute
from api.sparql_formats import ResultFormat
from kg.sandbox import drop_network
from kg.store import StoreError, open_read_only

__all__ = ["QueryPool", "QueryStopped", "QueryTimeout", "store_signature"]

_CTX = mp.get_context("spawn")
GENERATION_FILE = "GENERATION"
STARTUP_TIMEOUT = 60.0


class QueryTimeout(TimeoutError):
    """The query could not be answered in time (HTTP 503)."""


class QueryStopped(QueryTimeout):
    """The query itself ran longer than the timeout and was stopped."""


def store_signature(store_dir: Path) -> tuple[int, int]:
    """Return a value that changes whenever a writer changes the store.

    It combines the newest modification time of the store's files (RocksDB
    writes new files on every flush) and the content of an optional
    ``GENERATION`` file that writers may bump.
    """
    newest = 0
    generation = 0
    for entry in store_dir.iterdir() if store_dir.is_dir() else ():
        stat = entry.stat()
        newest = max(newest, stat.st_mtime_ns)
        if entry.name == GENERATION_FILE:
            text = entry.read_text(encoding="ascii", errors="replace").strip()
            generation = int(text) if text.isdigit() else stat.st_mtime_ns
    return newest, generation


@dataclass(frozen=True)
class _Request:
    text: str
    fmt: ResultFormat
    dataset: Dataset
    max_rows: int
    path: str
    private: bool  # the worker's own checkpoint (opened normally) or the shared store (read-only)
    signature: tuple[int, int]


def _worker_main(store_dir: str, conn: Connection) -> None:
    """Loop of a worker process: answer requests until the pipe closes.

    The worker first leaves the network (:func:`kg.sandbox.drop_network`): it
    only needs its pipe and the store's files, so a SERVICE that got past the
    guard cannot connect anywhere.
    """
    drop_network()
    import pyoxigraph as ox

    store: ox.Store | None = None
    opened: tuple[str, tuple[int, int]] | None = None
    conn.send("ready")
    while True:
        try:
            request: _Request = conn.recv()
        except EOFError:
            return
        try:
            if store is None or opened != (request.path, request.signature):
                store = None  # close the old view first: its checkpoint is deleted after this answer
                store = ox.Store(request.path) if request.private else open_read_only(request.path)
                opened = (request.path, request.signature)
            answer: QueryAnswer | QueryFailed = execute(
                store, request.text, request.fmt, request.dataset, request.max_rows
            )
        except QueryFailed as err:
            answer = err
        except (OSError, StoreError) as err:
            answer = QueryFailed(f"{store_dir}: cannot read the store: {' '.join(str(err).split())}")
        conn.send(answer)


class _Worker:
    def __init__(self, store_dir: Path, number: int) -> None:
        self.number = number
        self.snapshot: Path | None = None
        self.generation: int | None = None
        self.conn, child = _CTX.Pipe()
        self.process: BaseProcess = _CTX.Process(
            target=_worker_main, args=(str(store_dir), child), daemon=True, name="zwgk-query-worker"
        )
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(STARTUP_TIMEOUT) and self.conn.recv() == "ready"
        except EOFError:
            ready = False
        if not ready:
            self.kill()
            raise OSError(f"{store_dir}: a query worker did not start within {STARTUP_TIMEOUT:g} s")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Worker processes answering queries on an on-disk store, with a hard timeout.

    Args:
        store_dir: the Oxigraph store directory.
        size: number of worker processes.
        timeout: seconds a query may run.
        snapshots: checkpoints of the store for the workers; without them workers open
            read-only views of ``store_dir``.
    """

    def __init__(
        self, store_dir: Path, size: int, timeout: float, snapshots: Snapshots | None = None
    ) -> None:
        self.store_dir = store_dir
        self.timeout = timeout
        self.snapshots = snapshots
        self._numbers = itertools.count()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._idle.put(_Worker(store_dir, next(self._numbers)))

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query in a free worker; blocks (call it from a thread).

        Raises:
            QueryTimeout: no worker became free, or the query ran out of time.
            QueryFailed: the store refused the query.
        """
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(
                f"all query workers stayed busy for {self.timeout:g} s; try again later"
            ) from None
        try:
            worker = self._revived(worker)
        except OSError as err:  # could not start a new worker (machine overloaded): retry later
            self._give_back(worker)
            raise QueryTimeout(f"no query worker available ({err}); try again later") from None
        try:
            request, retired = self._request(worker, text, fmt, dataset, max_rows)
        except OSError as err:
            self._give_back(worker)
            reason = f"cannot make a checkpoint for a query worker ({err}); try again later"
            raise QueryTimeout(reason) from None
        try:
            worker.conn.send(request)
            if not worker.conn.poll(self.timeout):
                self._kill(worker)  # a dead worker goes back to the pool and is restarted on its next use
                raise QueryStopped(f"query stopped after {self.timeout:g} s (the limit of this endpoint)")
            answer: QueryAnswer | QueryFailed = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionError):
            self._kill(worker)
            raise QueryFailed("query failed: the query worker died") from None
        finally:
            if self.snapshots is not None:
                self.snapshots.discard(retired)  # the worker has closed it, or is dead
            self._give_back(worker)
        if isinstance(answer, QueryFailed):
            raise answer
        return answer

    def _request(
        self, worker: _Worker, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int
    ) -> tuple[_Request, Path | None]:
        """The request for ``worker``, and a checkpoint it stops using (to delete after its answer)."""
        if self.snapshots is None:
            signature = store_signature(self.store_dir)
            return _Request(text, fmt, dataset, max_rows, str(self.store_dir), False, signature), None
        retired = None
        if worker.snapshot is None or worker.generation != self.snapshots.generation():
            retired = worker.snapshot
            worker.snapshot, worker.generation = self.snapshots.current(worker.number)
        return _Request(text, fmt, dataset, max_rows, str(worker.snapshot), True, (0, 0)), retired

    def _kill(self, worker: _Worker) -> None:
        worker.kill()
        if self.snapshots is not None:
            self.snapshots.discard(worker.snapshot)
        worker.snapshot = worker.generation = None

    def _revived(self, worker: _Worker) -> _Worker:
        """The worker itself, or a new one in its place when it was killed or died."""
        if worker.process.is_alive() and not worker.conn.closed:
            return worker
        self._kill(worker)
        return _Worker(self.store_dir, next(self._numbers))

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                self._kill(worker)
            else:
                self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker process and delete their checkpoints."""
        with self._lock:
            self._closed = True
        while True:
            try:
                self._kill(self._idle.get_nowait())
            except queue.Empty:
                break
        if self.snapshots is not None:
            self.snapshots.close()
