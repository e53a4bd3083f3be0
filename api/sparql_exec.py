"""Run a checked SPARQL query against a pyoxigraph store, cut at the row cap, serialise.

This is what a query worker process runs; the API process runs it directly
only for an in-memory store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from api.sparql_formats import ResultFormat, write_boolean, write_solutions, write_triples

__all__ = ["Dataset", "QueryAnswer", "QueryFailed", "execute"]


class QueryFailed(ValueError):
    """The store refused or failed the query; ``str(e)`` is its one-line message (HTTP 400)."""


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a request: the protocol's graph parameters, else the query's FROM."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised answer."""

    body: bytes
    media_type: str
    rows: int
    truncated: bool


def _dataset_kwargs(dataset: Dataset) -> dict[str, object]:
    kwargs: dict[str, object] = {}
    if dataset.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(iri) for iri in dataset.default_graphs]
    elif dataset.named_graphs:  # FROM NAMED alone: the default graph is the (empty) store default graph
        kwargs["default_graph"] = ox.DefaultGraph()
    else:
        kwargs["use_default_graph_as_union"] = True
    if dataset.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(iri) for iri in dataset.named_graphs]
    return kwargs


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


def execute(store: ox.Store, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int) -> QueryAnswer:
    """Run a query and serialise at most ``max_rows`` rows (or triples) of its answer.

    Args:
        store: the pyoxigraph store.
        text: a query that passed :func:`kg.sparql_guard.check_query` (its normalised ``text``).
        fmt: the negotiated result format.
        dataset: graphs from the protocol parameters (they override FROM / FROM NAMED).
        max_rows: the row cap; one more row is read to know whether the answer was cut.

    Raises:
        QueryFailed: the store could not parse or evaluate the query.
    """
    try:
        result = store.query(text, **_dataset_kwargs(dataset))  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            return QueryAnswer(write_boolean(fmt, bool(result)), fmt.media_type, 1, False)
        if isinstance(result, ox.QuerySolutions):
            variables = [var.value for var in result.variables]
            rows: Sequence[Sequence[object | None]] = [
                [solution[var] for var in variables] for solution in islice(result, max_rows + 1)
            ]
            truncated = len(rows) > max_rows
            rows = rows[:max_rows]
            return QueryAnswer(write_solutions(fmt, variables, rows), fmt.media_type, len(rows), truncated)
        triples = list(islice(result, max_rows + 1))
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise QueryFailed(f"query failed: {_one_line(err)}") from None
    truncated = len(triples) > max_rows
    triples = triples[:max_rows]
    return QueryAnswer(write_triples(fmt, triples), fmt.media_type, len(triples), truncated)
