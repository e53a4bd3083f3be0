"""A small pool of killable processes that run SPARQL queries on the on-disk store.

Neither pyoxigraph nor rdflib can cancel a running query, so each query runs in
a worker process. A query that outlives the timeout gets its worker killed and
replaced, and :class:`QueryStopped` is raised; the other workers keep answering.
Workers run without network (see :mod:`kg.sandbox`) and, given a memory limit,
with their data segment bounded by the OS (``RLIMIT_DATA``): a query that needs
more dies or raises MemoryError, is answered :class:`QueryOutOfMemory` (503),
and its worker is replaced.

Workers also check query texts the API has no verdict on (:meth:`QueryPool.check`):
rdflib's parser takes up to a millisecond per byte on some texts (45 µs a byte for a
long VALUES list of numbers: 44 s for 1 MB), so the check gets the same timeout and
kill as a query, outside the API process. Texts over ``large_check_bytes`` are checked
in a separate, lower-priority checker process instead, admitted only when it is free
(else :class:`QueryBusy` at once): new large texts never hold a query worker.

Queries whose shape already ran fast (``proven``, see :class:`api.runner.PoolRunner`)
may use every worker. All other work (new shapes, checks of small texts) may too, except
for :data:`PRESSURE_SECONDS` after a query was stopped at the time limit: then it may use
all workers but one, so known cheap queries keep a worker however many new runaways
are in flight. A killed or dead worker is replaced in the background, forked from
a fork server that has this module imported (6 ms, against 1–2 s for a fresh
interpreter), and goes back to the pool once it has started.

A worker reads either its own checkpoint of the store (given
:class:`api.snapshots.Snapshots`: the API's case, fastest) or a read-only view
of the store directory (``pyoxigraph.Store.read_only``). When a checkpoint cannot be
made (a full disk), workers fall back to the read-only view and checkpoints are
tried again every :data:`CHECKPOINT_RETRY` seconds. Both are snapshots: a
worker gets a new checkpoint after a write, and a read-only view is reopened
when the store's :func:`store_signature` changed.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import queue
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from api.snapshots import Snapshots
from api.sparql_exec import MAX_ANSWER_BYTES, Dataset, QueryAnswer, QueryFailed, execute
from api.sparql_formats import ResultFormat
from kg.sandbox import drop_network
from kg.sparql_guard import Verdict, fresh_verdict
from kg.store import StoreError, open_read_only

__all__ = [
    "LARGE_CHECK_BYTES",
    "QueryBusy",
    "QueryOutOfMemory",
    "QueryPool",
    "QueryStopped",
    "QueryTimeout",
    "store_signature",
]

_CTX = mp.get_context("forkserver")
"""Workers are forked from a server process that imported this module (pyoxigraph, rdflib) once: a
worker killed at the timeout is replaced in ~6 ms instead of the 1–2 s of a fresh interpreter.
The server is started by exec, so no thread or lock of the API process is inherited."""
GENERATION_FILE = "GENERATION"
STARTUP_TIMEOUT = 60.0
CHECKPOINT_RETRY = 5.0
"""Seconds workers read the store read-only after a checkpoint failed, before trying one again."""
LARGE_CHECK_BYTES = 8 * 1024
"""Query texts over this many bytes (UTF-8) are checked by the checker process, not a query worker."""
CHECKER_NICENESS = 10
"""The checker process runs at this lower CPU priority: its parses yield to queries and the API."""
PRESSURE_SECONDS = 60.0
"""For this long after a query or check was stopped at the time limit in a query worker, new work
(unproven shapes, checks) may use all workers but one."""
_LOG = logging.getLogger(__name__)


class QueryTimeout(TimeoutError):
    """The query could not be answered in time (HTTP 503)."""


class QueryStopped(QueryTimeout):
    """The query itself ran longer than the timeout and was stopped."""


class QueryBusy(QueryTimeout):
    """Refused at once: the checker of large texts is busy with others (HTTP 503, try again)."""


class QueryOutOfMemory(QueryStopped):
    """The query needed more memory than its worker may have, or the worker died while answering."""


def limit_memory(megabytes: int) -> None:
    """Bound this process's data segment (heap and private writable mappings) to ``megabytes``.

    ``RLIMIT_DATA`` rather than ``RLIMIT_AS``: a worker with the store open already
    reserves ~460 MB of address space (RocksDB's cache mappings, thread stacks and
    malloc arenas) while its data segment is ~100 MB, so an address-space limit
    either fails RocksDB's start or must be loose. ``0`` leaves memory unbounded.
    """
    if megabytes <= 0:
        return
    soft = megabytes << 20
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


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
    max_bytes: int
    path: str
    private: bool  # the worker's own checkpoint (opened normally) or the shared store (read-only)
    signature: tuple[int, int]


@dataclass(frozen=True)
class _CheckRequest:
    """Check a query text with the guard (parsing can take minutes on a hostile text)."""

    text: str
    allowed_prefixes: tuple[str, ...]


def _worker_main(store_dir: str, conn: Connection, memory_mb: int, niceness: int = 0) -> None:
    """Loop of a worker process: answer requests until the pipe closes.

    The worker first leaves the network (:func:`kg.sandbox.drop_network`): it
    only needs its pipe and the store's files, so a SERVICE that got past the
    guard cannot connect anywhere. Then its memory is bounded (:func:`limit_memory`)
    and, for the checker, its CPU priority lowered by ``niceness``.
    """
    drop_network()
    limit_memory(memory_mb)
    if niceness:
        os.nice(niceness)
    import pyoxigraph as ox

    store: ox.Store | None = None
    opened: tuple[str, tuple[int, int]] | None = None
    conn.send("ready")
    while True:
        try:
            request: _Request | _CheckRequest = conn.recv()
        except EOFError:
            return
        if isinstance(request, _CheckRequest):
            try:
                verdict: Verdict | QueryOutOfMemory = fresh_verdict(request.text, request.allowed_prefixes)
            except MemoryError:
                conn.send(QueryOutOfMemory(_out_of_memory(memory_mb)))
                return
            conn.send(verdict)
            continue
        try:
            if store is None or opened != (request.path, request.signature):
                store = None  # close the old view first: its checkpoint is deleted after this answer
                store = ox.Store(request.path) if request.private else open_read_only(request.path)
                opened = (request.path, request.signature)
            answer: QueryAnswer | QueryFailed | QueryOutOfMemory = execute(
                store, request.text, request.fmt, request.dataset, request.max_rows, request.max_bytes
            )
        except QueryFailed as err:
            answer = err
        except (OSError, StoreError) as err:
            answer = QueryFailed(f"{store_dir}: cannot read the store: {' '.join(str(err).split())}")
        except MemoryError:
            store = None
            conn.send(QueryOutOfMemory(_out_of_memory(memory_mb)))
            return  # a process that ran out of memory is not trusted further: the pool starts a new one
        conn.send(answer)


def _out_of_memory(memory_mb: int) -> str:
    return (
        f"query stopped: it needed more than the {memory_mb} MB a query worker may use "
        "(ZWGK_QUERY_MEMORY_MB); narrow it or add LIMIT"
    )


class _Worker:
    def __init__(self, store_dir: Path, number: int, memory_mb: int, niceness: int = 0) -> None:
        self.number = number
        self.niceness = niceness
        self.snapshot: Path | None = None
        self.generation: int | None = None
        self.conn, child = _CTX.Pipe()
        self.process: BaseProcess = _CTX.Process(
            target=_worker_main,
            args=(str(store_dir), child, memory_mb, niceness),
            daemon=True,
            name="zwgk-query-checker" if niceness else "zwgk-query-worker",
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


class _Permit:
    """A place taken among the workers unproven work may use (or none), given back once."""

    def __init__(self, give_back: Callable[[], None] | None) -> None:
        self._give_back = give_back

    def hand_over(self) -> _Permit:
        """A permit holding this one's place, which this one no longer gives back."""
        successor = _Permit(self._give_back)
        self._give_back = None
        return successor

    def release(self) -> None:
        give_back, self._give_back = self._give_back, None
        if give_back is not None:
            give_back()


def _preload() -> None:
    """Have the fork server import this module, and ``kg.cli`` when this process was started by ``kg``.

    A forked worker still runs the main script again (as ``__mp_main__``, like a spawned one);
    with the module it imports from already loaded, that costs nothing.
    """
    names = [__name__, *(name for name in ("kg.cli",) if name in sys.modules)]
    _CTX.set_forkserver_preload(names)


class QueryPool:
    """Worker processes answering queries on an on-disk store, with a hard timeout.

    Args:
        store_dir: the Oxigraph store directory.
        size: number of worker processes.
        timeout: seconds a query may run.
        snapshots: checkpoints of the store for the workers; without them workers open
            read-only views of ``store_dir``.
        memory_mb: the data segment a worker may use (:func:`limit_memory`); 0 for no bound.
        max_answer_bytes: the byte cap on an answer's rows (see :func:`api.sparql_exec.execute`).
        checkers: processes checking texts over ``large_check_bytes`` (started on first use).
        large_check_bytes: texts over this many bytes (UTF-8) go to a checker, not a query worker.
    """

    def __init__(
        self,
        store_dir: Path,
        size: int,
        timeout: float,
        snapshots: Snapshots | None = None,
        memory_mb: int = 0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        checkers: int = 1,
        large_check_bytes: int = LARGE_CHECK_BYTES,
    ) -> None:
        self.store_dir = store_dir
        self.timeout = timeout
        self.snapshots = snapshots
        self.memory_mb = memory_mb
        self.max_answer_bytes = max_answer_bytes
        self.large_check_bytes = large_check_bytes
        _preload()
        self._checkpoints_failed_at = -float("inf")
        self._numbers = itertools.count()
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._checkers: queue.Queue[_Worker | None] = queue.Queue()  # None: not started yet
        self._lock = threading.Lock()
        self._closed = False
        size = max(1, size)
        self.size = size
        self._unproven = 0  # unproven requests (and restarts they caused) holding a worker
        self._unproven_changed = threading.Condition()
        self._pressure_until = -float("inf")
        for _ in range(size):
            self._idle.put(_Worker(store_dir, next(self._numbers), memory_mb))
        for _ in range(max(1, checkers)):
            self._checkers.put(None)

    def run(
        self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int, proven: bool = False
    ) -> QueryAnswer:
        """Run one query in a free worker; blocks (call it from a thread).

        Args:
            proven: a query of this shape ran fast before: it may take the worker kept
                free for such queries.

        Raises:
            QueryTimeout: no worker became free, or the query ran out of time
                (:class:`QueryStopped`) or memory (:class:`QueryOutOfMemory`).
            QueryFailed: the store refused the query.
        """
        deadline = time.monotonic() + self.timeout
        with self._lane(proven, deadline) as permit:
            worker = self._take(self._idle, deadline)
            try:
                request, retired = self._request(worker, text, fmt, dataset, max_rows)
            except OSError as err:
                self._give_back(worker, self._idle)
                reason = f"cannot read the store for a query worker ({err}); try again later"
                raise QueryTimeout(reason) from None
            answer = self._ask(worker, self._idle, request, retired, "query stopped", permit)
        if isinstance(answer, QueryFailed | QueryOutOfMemory):
            raise answer
        assert isinstance(answer, QueryAnswer)
        return answer

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> Verdict:
        """The guard's verdict on a query text (:func:`kg.sparql_guard.fresh_verdict`), made in a free worker.

        A text over ``large_check_bytes`` goes to the checker process instead, without waiting.

        Raises:
            QueryBusy: the text is large and every checker is busy.
            QueryTimeout: no worker became free, or the check ran out of time
                (:class:`QueryStopped`) or memory (:class:`QueryOutOfMemory`).
        """
        request = _CheckRequest(text, allowed_prefixes)
        stopped = "query too complex to check: stopped"
        if len(text.encode("utf-8", "surrogatepass")) > self.large_check_bytes:
            answer = self._check_large(request, stopped)
        else:
            deadline = time.monotonic() + self.timeout
            with self._lane(False, deadline) as permit:
                worker = self._take(self._idle, deadline)
                answer = self._ask(worker, self._idle, request, None, stopped, permit)
        if isinstance(answer, QueryOutOfMemory):
            raise answer
        assert not isinstance(answer, QueryAnswer | QueryFailed)
        return answer

    def _check_large(
        self, request: _CheckRequest, stopped: str
    ) -> QueryAnswer | QueryFailed | QueryOutOfMemory | Verdict:
        """Check in a free checker process, or refuse at once when none is free."""
        try:
            slot = self._checkers.get_nowait()
        except queue.Empty:
            raise QueryBusy(
                f"a query over {self.large_check_bytes} bytes that this endpoint has not seen "
                "must wait: the checker of large queries is busy; try again later"
            ) from None
        try:
            checker = self._revived(slot, CHECKER_NICENESS)
        except OSError as err:
            self._give_back(slot, self._checkers)
            raise QueryTimeout(f"no query checker available ({err}); try again later") from None
        return self._ask(checker, self._checkers, request, None, stopped, _Permit(None))

    @contextmanager
    def _lane(self, proven: bool, deadline: float) -> Iterator[_Permit]:
        """Unproven work waits for a place among the workers it may use (:meth:`_unproven_limit`)."""
        if proven:
            yield _Permit(None)
            return
        with self._unproven_changed:
            while self._unproven >= self._unproven_limit():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeout(self._busy())
                self._unproven_changed.wait(min(remaining, 1.0))  # the limit rises when pressure ends
            self._unproven += 1
        permit = _Permit(self._unproven_done)
        try:
            yield permit
        finally:
            permit.release()

    def _unproven_limit(self) -> int:
        """Every worker; all but one for :data:`PRESSURE_SECONDS` after a query or check was stopped."""
        under_pressure = time.monotonic() < self._pressure_until
        return self.size - 1 if under_pressure and self.size > 1 else self.size

    def _unproven_done(self) -> None:
        with self._unproven_changed:
            self._unproven -= 1
            self._unproven_changed.notify()

    def _busy(self) -> str:
        return f"all query workers stayed busy for {self.timeout:g} s; try again later"

    def _take(self, idle: queue.Queue[_Worker | None], deadline: float) -> _Worker:
        """A free, live worker; waits until ``deadline`` at most."""
        try:
            worker = idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(self._busy()) from None
        try:
            return self._revived(worker)
        except OSError as err:  # could not start a new worker (machine overloaded): retry later
            self._give_back(worker, idle)
            raise QueryTimeout(f"no query worker available ({err}); try again later") from None

    def _ask(
        self,
        worker: _Worker,
        idle: queue.Queue[_Worker | None],
        request: _Request | _CheckRequest,
        retired: Path | None,
        stopped: str,
        permit: _Permit,
    ) -> QueryAnswer | QueryFailed | QueryOutOfMemory | Verdict:
        """Send one request, wait at most the timeout; the worker (or its successor) goes back to ``idle``.

        A killed or dead worker is replaced in a thread of its own, which holds the request's
        ``permit`` until the new worker is in the pool: the answer (503) is not delayed by the
        start of a process, and unproven work still leaves a worker to proven queries meanwhile.
        """
        try:
            worker.conn.send(request)
            if not worker.conn.poll(self.timeout):
                self._kill(worker)
                raise QueryStopped(f"{stopped} after {self.timeout:g} s (the limit of this endpoint)")
            answer: QueryAnswer | QueryFailed | QueryOutOfMemory | Verdict = worker.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionError):
            self._stopped_in(idle)
            raise QueryOutOfMemory(self._died(worker)) from None
        except QueryStopped:
            self._stopped_in(idle)
            raise
        finally:
            if self.snapshots is not None:
                self.snapshots.discard(retired)  # the worker has closed it, or is dead
            if worker.process.is_alive() and not worker.conn.closed:
                self._give_back(worker, idle)
            else:
                successor = permit.hand_over()
                threading.Thread(
                    target=self._replace, args=(worker, idle, successor), daemon=True, name="zwgk-restart"
                ).start()
        if isinstance(answer, QueryOutOfMemory):
            self._stopped_in(idle)
        return answer

    def _stopped_in(self, idle: queue.Queue[_Worker | None]) -> None:
        """A request was stopped at the time or memory limit: in a query worker, that is pressure."""
        if idle is self._idle:
            self._pressure_until = time.monotonic() + PRESSURE_SECONDS

    def _request(
        self, worker: _Worker, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int
    ) -> tuple[_Request, Path | None]:
        """The request for ``worker``, and a checkpoint it stops using (to delete after its answer).

        Without checkpoints, or while they fail, the worker reads the store directory read-only.
        """
        retired = None
        if self.snapshots is not None and (
            worker.snapshot is None or worker.generation != self.snapshots.generation()
        ):
            fresh: tuple[Path | None, int | None] = (None, None)
            if time.monotonic() - self._checkpoints_failed_at >= CHECKPOINT_RETRY:
                try:
                    fresh = self.snapshots.current(worker.number)
                except OSError as err:  # a full disk: read the store itself until a checkpoint works again
                    self._checkpoints_failed_at = time.monotonic()
                    _LOG.warning("cannot make a checkpoint (%s); query workers read the store read-only", err)
            retired = worker.snapshot
            worker.snapshot, worker.generation = fresh
        if self.snapshots is None or worker.snapshot is None:
            signature = store_signature(self.store_dir)
            path = str(self.store_dir)
            return _Request(
                text, fmt, dataset, max_rows, self.max_answer_bytes, path, False, signature
            ), retired
        path = str(worker.snapshot)
        return _Request(text, fmt, dataset, max_rows, self.max_answer_bytes, path, True, (0, 0)), retired

    def _died(self, worker: _Worker) -> str:
        """Reap a worker that died while answering; why, in one line."""
        worker.process.join(timeout=2)
        code = worker.process.exitcode
        self._kill(worker)
        if self.memory_mb > 0 and code in {-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV}:
            return _out_of_memory(self.memory_mb)  # Rust and C++ abort when an allocation fails
        return f"query stopped: its worker process died (exit status {code}); try again later"

    def _kill(self, worker: _Worker) -> None:
        worker.kill()
        if self.snapshots is not None:
            self.snapshots.discard(worker.snapshot)
        worker.snapshot = worker.generation = None

    def _revived(self, worker: _Worker | None, niceness: int = 0) -> _Worker:
        """The worker itself, or a new one in its place when it was killed, died or never started."""
        if worker is not None and worker.process.is_alive() and not worker.conn.closed:
            return worker
        if worker is not None:
            self._kill(worker)
            niceness = worker.niceness
        return _Worker(self.store_dir, next(self._numbers), self.memory_mb, niceness)

    def _replace(self, worker: _Worker, idle: queue.Queue[_Worker | None], permit: _Permit) -> None:
        """Start a successor to a dead worker and put it in the pool; then release ``permit``."""
        successor = worker
        try:
            with self._lock:
                closed = self._closed
            if not closed:
                successor = self._revived(worker)
        except OSError as err:  # the dead worker goes back: the next request to take it retries
            _LOG.warning("cannot start a query worker: %s", err)
        finally:
            self._give_back(successor, idle)
            permit.release()

    def _give_back(self, worker: _Worker | None, idle: queue.Queue[_Worker | None]) -> None:
        with self._lock:
            if self._closed and worker is not None:
                self._kill(worker)
            else:
                idle.put(worker)

    def close(self) -> None:
        """Stop every worker process and delete their checkpoints."""
        with self._lock:
            self._closed = True
        for idle in (self._idle, self._checkers):
            while True:
                try:
                    worker = idle.get_nowait()
                except queue.Empty:
                    break
                if worker is not None:
                    self._kill(worker)
        if self.snapshots is not None:
            self.snapshots.close()
