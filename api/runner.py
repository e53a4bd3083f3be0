"""Where SPARQL queries run: worker processes for an on-disk store, in-process otherwise.

Both runners answer :meth:`QueryRunner.run` with a :class:`~api.sparql_exec.QueryAnswer`
or raise :class:`~api.query_worker.QueryTimeout` / :class:`~api.sparql_exec.QueryFailed`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Protocol

import pyoxigraph as ox

from api.query_worker import QueryPool, QueryTimeout
from api.sparql_exec import Dataset, QueryAnswer, QueryFailed, execute
from api.sparql_formats import ResultFormat
from kg.store import GraphStore, QueryError

__all__ = ["InProcessRunner", "PoolRunner", "QueryRunner", "oxigraph_of"]


class QueryRunner(Protocol):
    """Runs a checked query and serialises its capped answer."""

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query; blocking."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


def oxigraph_of(store: GraphStore) -> ox.Store | None:
    """The pyoxigraph store behind a GraphStore, if it has one."""
    inner = getattr(store, "_store", None)
    return inner if isinstance(inner, ox.Store) else None


class PoolRunner:
    """Queries in killable worker processes (see :mod:`api.query_worker`)."""

    def __init__(self, pool: QueryPool) -> None:
        self.pool = pool

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query in a worker process with the pool's hard timeout."""
        return self.pool.run(text, fmt, dataset, max_rows)

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()


class InProcessRunner:
    """Queries in a thread of this process; the timeout answers in time but cannot stop the query.

    Args:
        store: the graph store (in memory, or a remote endpoint).
        timeout: seconds to wait for an answer.
    """

    def __init__(self, store: GraphStore, timeout: float) -> None:
        self.store = store
        self.timeout = timeout
        self._threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zwgk-query")

    def _run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        inner = oxigraph_of(self.store)
        if inner is not None:
            return execute(inner, text, fmt, dataset, max_rows)
        return self._via_query_raw(text, fmt, dataset, max_rows)

    def _via_query_raw(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """For stores without pyoxigraph (a remote endpoint): fetch N-Triples or JSON and re-serialise."""
        scratch = ox.Store()
        try:
            body, media = self.store.query_raw(
                text,
                "application/n-triples, application/sparql-results+json",
                list(dataset.default_graphs) or None,
                list(dataset.named_graphs) or None,
            )
        except QueryError as err:
            raise QueryFailed(" ".join(str(err).split())) from None
        if "sparql-results" in media:
            rows = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            values = "\n".join(_values_rows(rows))
            return execute(scratch, values or "ASK { FILTER(false) }", fmt, Dataset(), max_rows)
        scratch.extend(
            ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        )
        return execute(scratch, "CONSTRUCT WHERE { ?s ?p ?o }", fmt, Dataset(), max_rows)

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
        """Run one query in a thread and wait at most the timeout."""
        future = self._threads.submit(self._run, text, fmt, dataset, max_rows)
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            raise QueryTimeout(
                f"query stopped after {self.timeout:g} s (the limit of this endpoint)"
            ) from None

    def close(self) -> None:
        """Stop accepting queries."""
        self._threads.shutdown(wait=False, cancel_futures=True)


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
