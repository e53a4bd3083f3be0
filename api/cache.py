"""A read-through cache of SELECT answers in front of the store the API writes to.

The API process is the only writer of its on-disk store (Oxigraph's lock keeps
every other writer out), so an answer stays true until the API itself changes
the store: every write through this wrapper clears the cache. Named questions
are asked over and over with the same parameters; answering them from memory
is what lets the service hold hundreds of requests a second on two cores.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rdflib.term import Identifier

from kg.store import Binding, GraphStore

__all__ = ["CachedStore"]

Row = dict[str, object]


class CachedStore:
    """A :class:`GraphStore` whose ``select`` answers are kept until the next write."""

    def __init__(self, store: GraphStore, max_entries: int = 2048) -> None:
        self.inner = store
        self.max_entries = max_entries
        self._answers: OrderedDict[tuple[str, tuple[tuple[str, str], ...]], list[Row]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.generation = 0
        """Bumped by every write: answers made under an older generation are stale."""
        self.replica_in_background = True
        """Paged questions read the summary graph's replica once a background thread has it
        (:func:`kg.summary_index.summary_index`), and answer through SPARQL until then."""

    def __getattr__(self, name: str) -> object:  # anything else the store offers
        return getattr(self.inner, name)

    @staticmethod
    def _key(sparql: str, bindings: Mapping[str, Binding] | None) -> tuple[str, tuple[tuple[str, str], ...]]:
        items = sorted((k, f"{type(v).__name__}:{v!r}") for k, v in (bindings or {}).items())
        return sparql, tuple(items)

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> list[Row]:
        """The answer from memory when the same query was asked since the last write."""
        key = self._key(sparql, bindings)
        with self._lock:
            rows = self._answers.get(key)
            if rows is not None:
                self._answers.move_to_end(key)
                self.hits += 1
                return [dict(r) for r in rows]
        rows = self.inner.select(sparql, bindings)
        with self._lock:
            self.misses += 1
            self._answers[key] = [dict(r) for r in rows]
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)
        return rows

    def clear(self) -> None:
        """Forget every answer and start a new generation (whose replica starts loading)."""
        with self._lock:
            self._answers.clear()
            self.generation += 1
        self.warm()

    def warm(self) -> None:
        """Start reading this generation's replica of the summary graph in the background."""
        from kg.summary_index import summary_index

        summary_index(self, wait=False)

    def replace_document(
        self,
        doc_graph: str,
        doc_quads: Iterable[Sequence[Identifier]],
        entity_quads: Iterable[Sequence[Identifier]],
        content_hash: str,
    ) -> bool:
        """Write through, then forget every answer."""
        try:
            return self.inner.replace_document(doc_graph, doc_quads, entity_quads, content_hash)
        finally:
            self.clear()

    def sync_graph(self, graph: str, lines: Sequence[str]) -> int:
        """Write a derived graph through (the store must have ``sync_graph``), then forget every answer."""
        try:
            return int(self.inner.sync_graph(graph, lines))  # type: ignore[attr-defined]
        finally:
            self.clear()

    def drop_graph(self, graph: str) -> None:
        """Drop a derived graph through, then forget every answer."""
        try:
            self.inner.drop_graph(graph)
        finally:
            self.clear()

    def remove_document(self, doc_iri_or_source_file: str) -> bool:
        """Remove through, then forget every answer."""
        try:
            return self.inner.remove_document(doc_iri_or_source_file)
        finally:
            self.clear()

    def query_raw(
        self,
        sparql: str,
        accept: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[bytes, str]:
        """Not cached: the SPARQL endpoint runs in killable workers."""
        return self.inner.query_raw(sparql, accept, default_graph_uris, named_graph_uris)

    def dump(self, path: Path, fmt: str | None = None) -> None:
        """Export the store."""
        self.inner.dump(path, fmt)

    def stats(self) -> dict[str, int]:
        """Counts of the store."""
        return self.inner.stats()

    def close(self) -> None:
        """Close the store."""
        self.clear()
        self.inner.close()
