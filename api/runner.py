"""Where SPARQL queries run: worker processes for an on-disk store, in-process otherwise.

Both runners answer :meth:`QueryRunner.run` with a :class:`~api.sparql_exec.QueryAnswer`
or raise :class:`~api.query_worker.QueryTimeout` / :class:`~api.sparql_exec.QueryFailed`.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Protocol

import pyoxigraph as ox

from api.query_worker import QueryPool, QueryStopped, QueryTimeout
from api.sparql_exec import MAX_ANSWER_BYTES, Dataset, QueryAnswer, QueryFailed, execute
from api.sparql_formats import ResultFormat
from kg.sandbox import drop_network
from kg.sparql_guard import (
    CheckedQuery,
    GuardError,
    Verdict,
    cached_verdict,
    check_query,
    query_shape,
    remember_verdict,
)
from kg.store import GraphStore, QueryError, StoreError

MAX_REMEMBERED = 10_000
"""Entries in each of the runners' memories (held shapes, proven shapes, verdicts by digest)."""
PROVEN_SECONDS = 0.5
"""A query of a shape that ran within this many seconds is proven: it may use every query worker."""
UNPROVEN_SECONDS = 2.0
"""A proven shape stays proven until a run takes longer than this (or is stopped): a cheap query slowed
by a busy CPU keeps its place."""
MAX_REASON = 1000
"""Characters of a refusal's reason kept in the memory of verdicts by digest."""

__all__ = ["InProcessRunner", "PoolRunner", "QueryRunner", "RunawayGuard", "oxigraph_of"]


class QueryRunner(Protocol):
    """Runs a checked query and serialises its capped answer."""

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query; blocking."""
        ...

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery:
        """The guard's verdict (:func:`kg.sparql_guard.check_query`), bounded by the query timeout; blocking.

        Raises:
            GuardError: the guard refuses the query.
            QueryTimeout: the check was stopped at the timeout (or no worker was free).
        """
        ...

    def close(self) -> None:
        """Release workers."""
        ...


def oxigraph_of(store: GraphStore) -> ox.Store | None:
    """The pyoxigraph store behind a GraphStore, if it has one."""
    inner = getattr(store, "_store", None)
    return inner if isinstance(inner, ox.Store) else None


class PoolRunner:
    """Queries in killable worker processes (see :mod:`api.query_worker`).

    It remembers the shapes (:func:`kg.sparql_guard.query_shape`) that ran within
    :data:`PROVEN_SECONDS`, per dataset, until one runs longer than :data:`UNPROVEN_SECONDS`
    or is stopped: those run as ``proven`` and may take the worker that new shapes leave
    free. It also remembers the verdicts of checks made in workers by the text's digest,
    for texts too large for the guard's own memory: a large text refused once is refused
    at once when it comes again, and one accepted is not parsed again.
    """

    def __init__(self, pool: QueryPool) -> None:
        self.pool = pool
        self._proven: OrderedDict[tuple[str, Dataset], None] = OrderedDict()
        self._verdicts = _DigestVerdicts(MAX_REMEMBERED)
        self._lock = threading.Lock()

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query in a worker process with the pool's hard timeout."""
        key = (query_shape(text), dataset)
        with self._lock:
            proven = key in self._proven
        try:
            answer = self.pool.run(text, fmt, dataset, max_rows, proven=proven)
        except QueryStopped:
            self._note(key, proven=False)
            raise
        if answer.seconds <= PROVEN_SECONDS or answer.seconds > UNPROVEN_SECONDS:
            self._note(key, proven=answer.seconds <= PROVEN_SECONDS)
        return answer

    def _note(self, key: tuple[str, Dataset], proven: bool) -> None:
        with self._lock:
            if not proven:
                self._proven.pop(key, None)
                return
            self._proven[key] = None
            self._proven.move_to_end(key)
            if len(self._proven) > MAX_REMEMBERED:
                self._proven.popitem(last=False)

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery:
        """A remembered verdict at once; otherwise checked in a worker process, killed at the timeout."""
        known = cached_verdict(text, allowed_prefixes)
        if known is not None:
            return known
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        verdict = self._verdicts.get(digest, text, allowed_prefixes)
        if verdict is None:
            verdict = self.pool.check(text, allowed_prefixes)
            self._verdicts.put(digest, text, allowed_prefixes, verdict)
        return remember_verdict(text, allowed_prefixes, verdict)

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()


_Remembered = tuple[str, tuple[str, ...], tuple[str, ...], str] | tuple[type[GuardError], str]


class _DigestVerdicts:
    """Verdicts by the SHA-256 of the text, an LRU of ``size`` entries of a few hundred bytes each.

    Accepted queries are kept without their text (rebuilt from the asked text), so only
    those the guard did not rewrite (:func:`kg.sparql_text.engine_text`) are kept.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[bytes, tuple[str, ...]], _Remembered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: bytes, text: str, prefixes: tuple[str, ...]) -> Verdict | None:
        with self._lock:
            entry = self._entries.get((digest, prefixes))
            if entry is None:
                return None
            self._entries.move_to_end((digest, prefixes))
        if len(entry) == 2:
            return entry
        form, default, named, shape = entry
        return CheckedQuery(text, form, default, named, shape)

    def put(self, digest: bytes, text: str, prefixes: tuple[str, ...], verdict: Verdict) -> None:
        entry: _Remembered
        if isinstance(verdict, CheckedQuery):
            if verdict.text != text:
                return
            entry = (verdict.form, verdict.default_graphs, verdict.named_graphs, verdict.shape)
        else:
            entry = (verdict[0], verdict[1][:MAX_REASON])
        with self._lock:
            self._entries[(digest, prefixes)] = entry
            self._entries.move_to_end((digest, prefixes))
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)


class InProcessRunner:
    """Queries in a thread of this process; the timeout answers in time but cannot stop the query.

    For an embedded store the query threads run without network
    (:func:`kg.sandbox.drop_network`); for a remote endpoint they need it.

    Args:
        store: the graph store (in memory, or a remote endpoint).
        timeout: seconds to wait for an answer.
        max_answer_bytes: the byte cap on an answer's rows (see :func:`api.sparql_exec.execute`).
    """

    def __init__(self, store: GraphStore, timeout: float, max_answer_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.store = store
        self.timeout = timeout
        self.max_bytes = max_answer_bytes
        embedded = oxigraph_of(store) is not None
        self._threads = ThreadPoolExecutor(
            max_workers=4, thread_name_prefix="zwgk-query", initializer=drop_network if embedded else None
        )
        self._checkers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="zwgk-check")

    def _run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        inner = oxigraph_of(self.store)
        if inner is not None:
            return execute(inner, text, fmt, dataset, max_rows, self.max_bytes)
        return self._via_query_raw(text, fmt, dataset, max_rows)

    def _via_query_raw(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """For stores without pyoxigraph (a remote endpoint): fetch N-Triples or JSON and re-serialise.

        Raises:
            QueryFailed: the endpoint refused the query as malformed (400).
            QueryTimeout: the endpoint could not be reached, failed, or sent an answer that does
                not parse (503, as when a query worker cannot read the store).
        """
        scratch = ox.Store()
        try:
            body, media = self.store.query_raw(
                text,
                "application/n-triples, application/sparql-results+json",
                list(dataset.default_graphs) or None,
                list(dataset.named_graphs) or None,
            )
            if "sparql-results" in media:
                rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                query = "\n".join(_values_rows(rows)) or "ASK { FILTER(false) }"
            else:
                quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
                scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in quads)
                query = "CONSTRUCT WHERE { ?s ?p ?o }"
        except QueryError as err:
            raise QueryFailed(" ".join(str(err).split())) from None
        except (StoreError, OSError, SyntaxError, ValueError) as err:
            reason = " ".join(str(err).split())[:300]
            raise QueryTimeout(f"cannot read the store ({reason}); try again later") from None
        return execute(scratch, query, fmt, Dataset(), max_rows, self.max_bytes)

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query in a thread and wait at most the timeout."""
        future = self._threads.submit(self._run, text, fmt, dataset, max_rows)
        if not wait([future], timeout=self.timeout).done:  # not result(timeout): the query's own
            raise QueryStopped(  # TimeoutError (QueryTimeout is one) must not read as the limit
                f"query stopped after {self.timeout:g} s (the limit of this endpoint)"
            )
        return future.result()

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery:
        """A remembered verdict at once; otherwise checked in a thread, waited for at most the timeout.

        rdflib's parser runs one text at a time in a process: a slow parse still holds it
        (and a thread) until it ends, but no request waits on it longer than the timeout.
        """
        known = cached_verdict(text, allowed_prefixes)
        if known is not None:
            return known
        future = self._checkers.submit(check_query, text, allowed_prefixes)
        if not wait([future], timeout=self.timeout).done:
            future.cancel()
            raise QueryStopped(
                f"query too complex to check: stopped after {self.timeout:g} s (the limit of this endpoint)"
            )
        return future.result()

    def close(self) -> None:
        """Stop accepting queries."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._checkers.shutdown(wait=False, cancel_futures=True)


class RunawayGuard:
    """Refuse at once, for a while, a query that was just stopped at the time or memory limit.

    A client repeating a runaway query would otherwise hold a worker for the
    whole timeout on every attempt, while other clients wait. A query of the
    same shape (:func:`kg.sparql_guard.query_shape`: its parse tree with variables
    renamed, so comments, layout and variable names do not count) on the same
    dataset is answered 503 without running until ``hold`` seconds after it was
    stopped. A text whose check (:meth:`QueryRunner.check`) was stopped is held the same
    way, by its exact text (its shape is not known without a parse).

    Args:
        runner: the runner that does the work.
        hold: seconds a stopped query is refused without running.
    """

    def __init__(self, runner: QueryRunner, hold: float) -> None:
        self.runner = runner
        self.hold = hold
        self._stopped: dict[tuple[str, Dataset], float] = {}
        self._lock = threading.Lock()

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run through the inner runner unless a query of its shape was stopped less than ``hold`` s ago."""
        key = (query_shape(text), dataset)
        self._refuse_if_held(key)
        try:
            return self.runner.run(text, fmt, dataset, max_rows)
        except QueryStopped:
            self._hold(key)
            raise

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> CheckedQuery:
        """The inner runner's check, unless the check of this same text was stopped ``hold`` s ago or less."""
        key = ("check:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), Dataset())
        self._refuse_if_held(key)
        try:
            return self.runner.check(text, allowed_prefixes)
        except QueryStopped:
            self._hold(key)
            raise

    def _refuse_if_held(self, key: tuple[str, Dataset]) -> None:
        now = time.monotonic()
        with self._lock:
            since = now - self._stopped.get(key, -math.inf)
            if since >= self.hold:
                self._stopped.pop(key, None)
        if since < self.hold:
            raise QueryTimeout(
                f"a query of this shape was stopped at the time or memory limit {since:.0f} s ago; "
                f"it is not run again for {self.hold - since:.0f} s"
            )

    def _hold(self, key: tuple[str, Dataset]) -> None:
        with self._lock:
            self._stopped.pop(key, None)
            self._stopped[key] = time.monotonic()  # insertion order is age: the oldest go first
            while len(self._stopped) > MAX_REMEMBERED:
                del self._stopped[next(iter(self._stopped))]

    def close(self) -> None:
        """Close the inner runner."""
        self.runner.close()


def _values_rows(result: object) -> list[str]:
    """A SPARQL query that reproduces parsed results (SELECT … VALUES, or ASK)."""
    if isinstance(result, ox.QueryBoolean):
        return [f"ASK {{ FILTER({'true' if result else 'false'}) }}"]
    assert isinstance(result, ox.QuerySolutions)
    variables = [var.value for var in result.variables]
    rows = [
        "(" + " ".join("UNDEF" if sol[v] is None else str(sol[v]) for v in variables) + ")" for sol in result
    ]
    head = " ".join(f"?{v}" for v in variables)
    return [f"SELECT {head} WHERE {{ VALUES ({head}) {{ {' '.join(rows)} }} }}"] if variables else []
