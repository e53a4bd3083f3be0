"""Run a checked SPARQL query against a pyoxigraph store, cut at the row and byte caps, serialise.

This is what a query worker process runs; the API process runs it directly
only for an in-memory store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from api.sparql_formats import ResultFormat, write_boolean, write_solutions, write_triples

__all__ = ["MAX_ANSWER_BYTES", "Dataset", "QueryAnswer", "QueryFailed", "execute"]

MAX_ANSWER_BYTES = 64 << 20
"""Default cap on the bytes of a serialised answer (``ZWGK_MAX_ANSWER_BYTES``)."""
_Item = TypeVar("_Item")


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
    cut_by: str = ""  # "rows" (the row cap) or "bytes" (the byte cap) when truncated
    seconds: float = field(default=0.0, compare=False)  # time to evaluate and serialise it


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


def _term_bytes(term: object | None) -> int:
    """About what a term costs once serialised (its N-Triples form; every format is close)."""
    return 0 if term is None else len(str(term)) + 8


def _capped(
    items: Iterable[_Item],
    size: Callable[[_Item], int],
    write: Callable[[list[_Item]], bytes],
    max_rows: int,
    max_bytes: int,
) -> tuple[bytes, int, str]:
    """Serialise at most ``max_rows`` items in at most ``max_bytes`` (beyond the format's frame).

    Items are read one by one and reading stops at either cap, so an answer of huge
    rows is not built in memory first. Escaping can make the text longer than the
    estimate: then the kept items are halved until it fits.

    Returns:
        The body, the number of items in it, and which cap cut it ("" when none did).
    """
    kept: list[_Item] = []
    total = 0
    cut_by = ""
    for item in items:
        if len(kept) == max_rows:
            cut_by = "rows"
            break
        total += size(item)
        if total > max_bytes:
            cut_by = "bytes"
            break
        kept.append(item)
    body = write(kept)
    frame = len(write([])) if kept else len(body)
    while len(body) - frame > max_bytes and kept:
        kept = kept[: len(kept) // 2]
        cut_by = "bytes"
        body = write(kept)
    return body, len(kept), cut_by


def execute(
    store: ox.Store,
    text: str,
    fmt: ResultFormat,
    dataset: Dataset,
    max_rows: int,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> QueryAnswer:
    """Run a query and serialise at most ``max_rows`` rows (or triples) of its answer in ``max_bytes``.

    Args:
        store: the pyoxigraph store.
        text: a query that passed :func:`kg.sparql_guard.check_query` (its normalised ``text``).
        fmt: the negotiated result format.
        dataset: graphs from the protocol parameters (they override FROM / FROM NAMED).
        max_rows: the row cap; one more row is read to know whether the answer was cut.
        max_bytes: the byte cap on the rows (or triples) of the answer; the format's head and
            tail come on top (a few hundred bytes, the variable names).

    Raises:
        QueryFailed: the store could not parse or evaluate the query.
    """
    start = time.perf_counter()
    try:
        result = store.query(text, **_dataset_kwargs(dataset))  # type: ignore[arg-type]
        if isinstance(result, ox.QueryBoolean):
            body = write_boolean(fmt, bool(result))
            return QueryAnswer(body, fmt.media_type, 1, False, seconds=time.perf_counter() - start)
        if isinstance(result, ox.QuerySolutions):
            variables = [var.value for var in result.variables]
            rows: Iterable[Sequence[object | None]] = (
                [solution[var] for var in variables] for solution in result
            )
            body, count, cut_by = _capped(
                rows,
                lambda row: sum(map(_term_bytes, row)) + 16,
                lambda kept: write_solutions(fmt, variables, kept),
                max_rows,
                max_bytes,
            )
        else:
            body, count, cut_by = _capped(
                result,
                lambda t: _term_bytes(t.subject) + _term_bytes(t.predicate) + _term_bytes(t.object),
                lambda kept: write_triples(fmt, kept),
                max_rows,
                max_bytes,
            )
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        raise QueryFailed(f"query failed: {_one_line(err)}") from None
    return QueryAnswer(body, fmt.media_type, count, bool(cut_by), cut_by, time.perf_counter() - start)
