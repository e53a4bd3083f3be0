"""Graph storage behind one interface, with two backends.

:class:`OxigraphStore` keeps the graph in an embedded pyoxigraph (RocksDB)
store on disk or in memory; :class:`EndpointStore` talks to any SPARQL 1.1
Query/Update server (Oxigraph server, Fuseki …). Both keep each document in
its own named graph (``<doc>/graph``), replaced atomically in one update, and
merge the shared entity triples (labels, types, hierarchy) into one graph
(:data:`kg.iris.ENTITY_GRAPH`) add-only. Queries see the union of all graphs
as their default graph.

Example:
    >>> store = OxigraphStore(None)
    >>> store.stats()["triples"]
    0
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol, TypeAlias

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from kg.iris import ENTITY_GRAPH, ONTOLOGY
from kg.ntriples import InvalidTermError, term_nt
from kg.sparql_text import GuardError, engine_text

__all__ = [
    "Binding",
    "EndpointStore",
    "GraphStore",
    "OxigraphStore",
    "QueryError",
    "StoreError",
    "StoreLockedError",
    "Triple",
    "open_read_only",
    "open_store",
    "refuse_remote",
    "to_python",
    "values_clause",
]

Triple: TypeAlias = tuple[Identifier, Identifier, Identifier]
Binding: TypeAlias = str | int | float | bool | date | Identifier
Row: TypeAlias = dict[str, object]

CONTENT_HASH = ONTOLOGY + "contentHash"
SOURCE_FILE = ONTOLOGY + "sourceFile"

# media type -> format; the first of each table is the default
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
BATCH_FLUSH_BYTES = 64 << 20  # in a batch, flush after this much update/TriG text (~300 documents)
# In bulk mode, documents new to the store are loaded together once this many quads wait
# (~500 typical documents) or this much TriG (a bound on memory). Oxigraph's bulk loader
# ingests at most BULK_MAX_QUADS at once, so a group never grows past it (one ingestion, so
# all-or-nothing). Fewer, larger groups cost RocksDB far less compaction: in the benchmark's
# 10,000-document build the writer took 85 ms of CPU a document with ~110-document groups
# (~32 MB of TriG), 45 ms with these (final compaction included); its peak RSS 0.5 → 1.2 GB.
BULK_MAX_QUADS = 1_000_000
BULK_GROUP_QUADS = 800_000
BULK_GROUP_BYTES = 192 << 20
QUERY_KIND = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
XSD = "http://www.w3.org/2001/XMLSchema#"


class StoreError(Exception):
    """The store cannot be opened or written."""


class StoreLockedError(StoreError):
    """The on-disk store is already opened for writing by another process."""


class QueryError(ValueError):
    """A SPARQL query or update is malformed or cannot be evaluated."""


class GraphStore(Protocol):
    """What every backend offers."""

    def replace_document(
        self, doc_graph: str, doc_quads: Iterable[Sequence[Identifier]],
        entity_quads: Iterable[Sequence[Identifier]], content_hash: str,
    ) -> bool:
        """Replace a document's named graph atomically; False (no-op) when the hash is unchanged."""
        ...

    def remove_document(self, doc_iri_or_source_file: str) -> bool:
        """Drop a document's graph, by document IRI, graph IRI or source file name."""
        ...

    def drop_graph(self, graph: str) -> None:
        """Drop a derived named graph by its IRI (nothing happens when there is none)."""
        ...

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> list[Row]:
        """Run a SELECT (or ASK) query and return rows of Python values."""
        ...

    def query_raw(
        self, sparql: str, accept: str, default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[bytes, str]:
        """Run any query and return its serialized results and their media type."""
        ...

    def dump(self, path: Path, fmt: str | None = None) -> None:
        """Write the whole dataset to a file, format by extension."""
        ...

    def stats(self) -> dict[str, int]:
        """Counts of triples, graphs, documents and entities."""
        ...

    def close(self) -> None:
        """Flush and release the store."""
        ...


# ---------------------------------------------------------------- terms


def _nt(term: Identifier) -> str:
    """A term in N-Triples/SPARQL syntax, escaped (see :mod:`kg.ntriples`)."""
    try:
        return term_nt(term)
    except InvalidTermError as exc:
        raise StoreError(str(exc)) from exc


def _binding_term(value: Binding) -> Identifier:
    if isinstance(value, Identifier):
        return value
    return Literal(value)


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"not an RDF term: {term!r}")


def to_python(term: object) -> object:
    """Convert a pyoxigraph term to a Python value: IRIs to str, literals to int/date/bool/str …"""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return term.value
        value = Literal(term.value, datatype=term.datatype.value).toPython()
        if isinstance(value, Literal):
            return str(value)
        if isinstance(value, int | float | bool | date | datetime | str | Decimal):
            return value
        return term.value
    return term


def _rows(solutions: ox.QuerySolutions) -> list[Row]:
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        rows.append({n: to_python(solution[n]) for n in names if solution[n] is not None})
    return rows


def _pick(accept: str, table: Mapping[str, object]) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media
    return next(iter(table))


def _source_file(doc: Sequence[Sequence[Identifier]]) -> str | None:
    for q in doc:
        if str(q[1]) == SOURCE_FILE:
            return str(q[2])
    return None


def _lines(triples: Iterable[Sequence[Identifier]]) -> list[str]:
    """Triples (a fourth element is ignored) as N-Triples lines without the final `` .``."""
    return [" ".join(_nt(t) for t in q[:3]) for q in triples]


def _hash_line(doc_graph: str, content_hash: str) -> str:
    return f"<{doc_graph.removesuffix('/graph')}> <{CONTENT_HASH}> {_nt(Literal(content_hash))}"


def _insert_data(doc_graph: str, doc_lines: Sequence[str], entity_lines: Sequence[str], content_hash: str,
                 superseded: Sequence[str] = ()) -> str:
    """One update: drop the document's graph (and older versions of the same file), insert the new."""
    doc = [*doc_lines, _hash_line(doc_graph, content_hash)]
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in superseded if g != doc_graph)
    # no empty block: Virtuoso 7.2 reads ``GRAPH <g> { }`` in INSERT DATA as a syntax error
    entity_block = "".join(line + " .\n" for line in entity_lines)
    entities = f"GRAPH <{ENTITY_GRAPH}> {{\n{entity_block}}}" if entity_lines else ""
    return (
        drops + f"DROP SILENT GRAPH <{doc_graph}> ;\n"
        f"INSERT DATA {{ GRAPH <{doc_graph}> {{\n" + " .\n".join(doc) + " .\n}\n" + entities + " }"
    )


def _trig(doc_graph: str, doc_lines: Sequence[str], entity_lines: Sequence[str], content_hash: str) -> bytes:
    """A new document's graph, its content hash and its entity triples as TriG.

    TriG rather than N-Quads: the terms are written as in SPARQL (a literal with
    a line break is a long string), which TriG reads as such.
    """
    text = (
        f"<{doc_graph}> {{\n" + " .\n".join([*doc_lines, _hash_line(doc_graph, content_hash)]) + " .\n}\n"
        f"<{ENTITY_GRAPH}> {{\n" + "".join(line + " .\n" for line in entity_lines) + "}\n"
    )
    return text.encode("utf-8")


HASH_QUERY = f"SELECT ?h WHERE {{ GRAPH ?g {{ ?d <{CONTENT_HASH}> ?h }} }}"
HAS_GRAPH_QUERY = "ASK { GRAPH ?g { ?s ?p ?o } }"
FIND_DOC_QUERY = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?d <{SOURCE_FILE}> ?f }}
  FILTER(?d = ?key || ?g = ?key || STR(?f) = STR(?key))
}}"""
# the graphs of one source file, by the exact term the mapping writes (an index lookup, where
# FIND_DOC_QUERY's FILTER reads every document's source file: 20 ms per write at 10,000 documents)
VERSIONS_QUERY = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d <{SOURCE_FILE}> ?key }} }}"
STATS_QUERY = """SELECT
  (COUNT(*) AS ?quads)
  (COUNT(DISTINCT ?g) AS ?graphs)
WHERE { GRAPH ?g { ?s ?p ?o } }"""
DOCS_QUERY = f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH ?g {{ ?d <{SOURCE_FILE}> ?f }} }}"
CLASS_QUERY = f"""SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  GRAPH <{ENTITY_GRAPH}> {{ ?e a ?c }} FILTER(STRSTARTS(STR(?c), "{ONTOLOGY}"))
}} GROUP BY ?c"""


def open_read_only(path: Path | str, attempts: int = 8) -> ox.Store:
    """Open a read-only view of an on-disk store, retrying while a writer compacts it.

    RocksDB may delete a file a read-only opener is about to read; pyoxigraph
    reports that as a corruption error. The view is a snapshot, so a retry
    simply opens the newer state.

    Raises:
        StoreError: the store cannot be opened after ``attempts`` tries.
    """
    delay = 0.01
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if attempt == attempts - 1:
                reason = " ".join(str(exc).split())
                raise StoreError(f"{path}: cannot open store read-only ({reason})") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
    raise AssertionError("unreachable")


_STRIP = re.compile(  # long strings, strings, IRIs, comments
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*'
)
_REMOTE = re.compile(r"(?<![?$:\w])(SERVICE|LOAD)(?![\w:])", re.IGNORECASE)


def refuse_remote(sparql: str) -> str:
    """Refuse SERVICE and LOAD, which make the engine fetch URLs; return the text the engine must run.

    The text is first normalised as the engine's grammar reads it
    (:func:`kg.sparql_text.engine_text`: codepoint escapes decoded, line ends
    made LF), so the scan below and the engine see the same comments and
    strings. Strings, IRIs and comments are skipped, so a literal or a variable
    named ``?service`` is no problem. This scan is a cheap belt for every query
    the store runs; text from a user is checked with the full parser first
    (:func:`kg.sparql_guard.check_query`).

    Raises:
        QueryError: the query or update would reach out to the network, or its
            escapes are ambiguous.
    """
    try:
        text = engine_text(sparql)
    except GuardError as exc:
        raise QueryError(str(exc)) from None
    match = _REMOTE.search(_STRIP.sub(" ", text))
    if match:
        raise QueryError(f"{match.group(1).upper()} is not allowed: the store never fetches remote data")
    return text


def _remove_document(select: _Selector, update: Callable[[str], None], key: str) -> bool:
    """Drop the graphs of the document named by IRI, graph IRI or source file name, in one update."""
    term: Identifier = URIRef(key) if key.startswith(("http://", "https://")) else Literal(key)
    graphs = [str(r["g"]) for r in select(FIND_DOC_QUERY, {"key": term})]
    if not graphs:
        return False
    update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    return True


def _stats_from(select: _Selector, stats_query: str = STATS_QUERY) -> dict[str, int]:
    row = select(stats_query, None)[0]
    out = {"triples": int(str(row.get("quads", 0))), "graphs": int(str(row.get("graphs", 0)))}
    out["documents"] = int(str(select(DOCS_QUERY, None)[0].get("n", 0)))
    for r in select(CLASS_QUERY, None):
        out[str(r["c"]).removeprefix(ONTOLOGY)] = int(str(r["n"]))
    return out


class _Selector(Protocol):
    def __call__(self, sparql: str, bindings: Mapping[str, Binding] | None) -> list[Row]: ...


# ---------------------------------------------------------------- Oxigraph


class _TermWriter:
    """``replace_document`` for rdflib terms, written through the store's ``replace_document_nt``."""

    def replace_document_nt(
        self, doc_graph: str, doc_lines: Sequence[str], entity_lines: Sequence[str], content_hash: str,
        source_file: str | None,
    ) -> bool:
        raise NotImplementedError

    def replace_document(
        self, doc_graph: str, doc_quads: Iterable[Sequence[Identifier]],
        entity_quads: Iterable[Sequence[Identifier]], content_hash: str,
    ) -> bool:
        """Replace a document's named graph all-or-nothing; False when the hash is unchanged.

        Args:
            doc_graph: IRI of the document's named graph (``<doc>/graph``).
            doc_quads: the document's triples (a fourth element, if any, is ignored).
            entity_quads: shared entity triples, merged add-only into the entity graph.
            content_hash: hash of the content; equal to the stored one means nothing to do.
        """
        doc = list(doc_quads)
        return self.replace_document_nt(
            doc_graph, _lines(doc), _lines(entity_quads), content_hash, _source_file(doc)
        )


class OxigraphStore(_TermWriter):
    """Embedded pyoxigraph store: on disk at ``path``, or in memory when ``path`` is None."""

    def __init__(self, path: Path | None = None, *, _store: ox.Store | None = None) -> None:
        self.path = path
        self.writable = _store is None
        self._batches = 0
        self._unflushed = 0  # bytes written in a batch since the last flush
        self._write_lock = threading.Lock()  # check-then-write of one document at a time
        self._bulk = 0  # depth of bulk() blocks
        self._pending: list[bytes] = []  # new documents' TriG waiting for one bulk load
        self._pending_bytes = self._pending_quads = 0
        self._pending_keys: set[str] = set()  # their graph IRIs and source files
        self.bulk_groups = 0  # groups bulk-loaded since the store was opened
        if _store is not None:
            self._store = _store
            return
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(
                    f"{path}: store is already opened for writing by another process"
                ) from exc
            raise StoreError(f"{path}: cannot open store ({exc})") from exc

    @classmethod
    def read_only(cls, path: Path) -> OxigraphStore:
        """Open an on-disk store read-only (for query workers beside a writer)."""
        return cls(path, _store=open_read_only(path))

    def _stored_hash(self, doc_graph: str) -> str | None:
        rows = self.select(HASH_QUERY, {"g": URIRef(doc_graph)})
        return str(rows[0]["h"]) if rows else None

    def replace_document_nt(
        self, doc_graph: str, doc_lines: Sequence[str], entity_lines: Sequence[str], content_hash: str,
        source_file: str | None,
    ) -> bool:
        """:meth:`replace_document` for triples already written as N-Triples lines (no final `` .``).

        A document new to the store is loaded as TriG in one transaction; one
        that replaces a stored graph (or older versions of the same file) is
        dropped and inserted in one update. Either way the write is all-or-nothing.

        Args:
            doc_graph: IRI of the document's named graph (``<doc>/graph``).
            doc_lines: the document's triples (see :func:`kg.mapping.triple_lines`).
            entity_lines: shared entity triples, merged add-only into the entity graph.
            content_hash: hash of the content; equal to the stored one means nothing to do.
            source_file: the document's ``zwgk:sourceFile``; older versions of that file are replaced.
        """
        with self._write_lock:
            if self._pending_keys & {doc_graph, source_file}:
                self._load_pending()  # an earlier version waits in this bulk group: settle it first
            if self._stored_hash(doc_graph) == content_hash:
                return False
            superseded = [g for g in self._versions_of(source_file) if g != doc_graph]
            if superseded or self._has_graph(doc_graph):
                self._update(_insert_data(doc_graph, doc_lines, entity_lines, content_hash, superseded),
                             generated=True)
                return True
            trig = _trig(doc_graph, doc_lines, entity_lines, content_hash)
            quads = len(doc_lines) + len(entity_lines) + 1  # one line a quad, and the content hash
            fits = len(trig) < BULK_GROUP_BYTES and quads < BULK_GROUP_QUADS
            if self._bulk and self.path is not None and fits:
                self._queue(trig, quads, doc_graph, source_file)
            else:
                self._load(trig)
        return True

    def _queue(self, trig: bytes, quads: int, doc_graph: str, source_file: str | None) -> None:
        """Keep a new document for the next bulk load; load the group once it is big enough."""
        if self._pending_quads + quads > BULK_MAX_QUADS:
            self._load_pending()  # it would no longer be one ingestion
        self._pending.append(trig)
        self._pending_bytes += len(trig)
        self._pending_quads += quads
        self._pending_keys.update(k for k in (doc_graph, source_file) if k is not None)
        if self._pending_bytes >= BULK_GROUP_BYTES or self._pending_quads >= BULK_GROUP_QUADS:
            self._load_pending()

    def _load_pending(self) -> None:
        """Bulk-load the waiting new documents in one call: one RocksDB ingestion, all-or-nothing."""
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._clear_pending()
        self._load(data, bulk=True)
        self.bulk_groups += 1

    def _clear_pending(self) -> None:
        self._pending, self._pending_keys = [], set()
        self._pending_bytes = self._pending_quads = 0

    def compact(self) -> None:
        """Merge the table files (a full RocksDB compaction), as Oxigraph advises after bulk loads.

        Bulk groups land as overlapping table files that every read must merge; after
        compaction a GROUP BY over all obligations of 1,000 documents runs ~2× faster.
        It takes about a minute for 10,000 documents.
        """
        if self.path is None or not self.writable:
            return
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"{self.path}: compaction failed ({exc})") from exc

    def _has_graph(self, graph: str) -> bool:
        return bool(self.select(HAS_GRAPH_QUERY, {"g": URIRef(graph)})[0]["result"])

    def _load(self, trig: bytes, bulk: bool = False) -> None:
        """Load TriG in one transaction, or ``bulk`` with the bulk loader (one ingestion, no flush)."""
        load = self._store.bulk_load if bulk else self._store.load
        try:
            load(trig, format=ox.RdfFormat.TRIG)
        except SyntaxError as exc:
            raise StoreError(f"{self.path}: invalid TriG written ({exc})") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from exc
        if not bulk:
            self._flush(len(trig))

    def _versions_of(self, source_file: str | None) -> list[str]:
        """Graphs of stored documents read from the same file (older versions to replace)."""
        if source_file is None:
            return []
        return [str(r["g"]) for r in self.select(VERSIONS_QUERY, {"key": Literal(source_file)})]

    def add_triples(self, graph: str, triples: Iterable[Sequence[Identifier]]) -> None:
        """Add triples to a named graph in one transaction (used for ontology and schemes)."""
        self._store.extend(
            ox.Quad(_to_ox(t[0]), _to_ox(t[1]), _to_ox(t[2]), ox.NamedNode(graph))  # type: ignore[arg-type]
            for t in triples
        )
        self._flush()

    def remove_document(self, doc_iri_or_source_file: str) -> bool:
        """Drop a document's graph by document IRI, graph IRI or source file name."""
        return _remove_document(self.select, self._update, doc_iri_or_source_file)

    def drop_graph(self, graph: str) -> None:
        """Drop a derived named graph (a link or summary graph: no ``zwgk:sourceFile`` to find it by)."""
        self._update(f"DROP SILENT GRAPH {_nt(URIRef(graph))}", generated=True)

    def sync_graph(self, graph: str, lines: Sequence[str]) -> int:
        """Make a derived named graph hold exactly ``lines`` (N-Triples, no final `` .``), all-or-nothing.

        Only the difference is written (one ``DELETE DATA`` / ``INSERT DATA`` update), so a large
        graph that changes a little after each write costs what changed; a new graph is loaded
        as TriG. Returns the number of triples deleted or inserted.
        """
        with self._write_lock:
            self._load_pending()
            node = ox.NamedNode(graph)
            stored = self._store.quads_for_pattern(None, None, None, node)
            old = {f"{q.subject} {q.predicate} {q.object}" for q in stored}
            if not old:  # a new graph: the bulk loader (a transaction held 1.5 M triples in memory, +2.3 GB)
                body = "".join(line + " .\n" for line in lines)
                self._load(f"<{graph}> {{\n{body}}}\n".encode(), bulk=self.path is not None)
                return len(lines)
            new = set(lines)
            gone, added = sorted(old - new), sorted(new - old)
            block = {key: "".join(line + " .\n" for line in part)
                     for key, part in (("-", gone), ("+", added))}
            if gone or added:
                parts = [f"DELETE DATA {{ GRAPH <{graph}> {{\n{block['-']}}} }}"] if gone else []
                if added:
                    parts.append(f"INSERT DATA {{ GRAPH <{graph}> {{\n{block['+']}}} }}")
                self._update(" ;\n".join(parts), generated=True)
            return len(gone) + len(added)

    def _update(self, sparql: str, generated: bool = False) -> None:
        """Run an update; ``generated`` ones (our DROP/INSERT DATA of escaped terms) skip refuse_remote."""
        if not generated:
            sparql = refuse_remote(sparql)
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed update: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: write failed ({exc})") from exc
        self._flush(len(sparql))

    @contextmanager
    def batch(self) -> Iterator[OxigraphStore]:
        """Flush table files every :data:`BATCH_FLUSH_BYTES` written and at the end, not per write.

        Each write stays atomic and survives a killed process through RocksDB's
        write-ahead log, and readers opening the store see it; flushing the
        memtables after every document only made small table files (half the
        time of an on-disk build), never flushing let them grow to ~1.4 GB.
        """
        self._batches += 1
        try:
            yield self
        finally:
            self._batches -= 1
            self._flush()

    @contextmanager
    def bulk(self) -> Iterator[OxigraphStore]:
        """Batch mode in which documents new to the store are bulk-loaded in groups (``kg build``).

        Oxigraph's transactional load checks every key it writes against the
        store (~45 ms for a document of ~1,500 quads, growing with the store);
        its bulk loader writes sorted table files and ingests them, ~3× cheaper.
        A group (:data:`BULK_GROUP_QUADS` quads, never above :data:`BULK_MAX_QUADS`) is
        one ingestion of every index, so a killed build leaves each document wholly there or absent,
        but a document is durable and visible only once its group is loaded:
        when the group is full, before a write that touches a document still
        waiting, and when the block ends without an error (on an error the
        waiting documents are not written). Replacements stay transactional.
        """
        with self.batch():
            self._bulk += 1
            try:
                yield self
                with self._write_lock:
                    self._load_pending()
            finally:
                self._bulk -= 1
                if not self._bulk:
                    self._clear_pending()

    def _flush(self, written: int = 0) -> None:
        if self.path is None or not self.writable:
            return
        self._unflushed += written
        if self._batches and self._unflushed < BATCH_FLUSH_BYTES:
            return
        self._store.flush()
        self._unflushed = 0

    def _query(self, sparql: str, bindings: Mapping[str, Binding] | None = None,
               default_graph_uris: Sequence[str] | None = None,
               named_graph_uris: Sequence[str] | None = None) -> object:
        sparql = values_clause(refuse_remote(sparql), bindings or {})
        kwargs: dict[str, object] = {}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
        try:
            return self._store.query(sparql, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> list[Row]:
        """Run a SELECT (or ASK) query; ``bindings`` are injected as a ``VALUES`` block of escaped terms.

        Args:
            sparql: the query.
            bindings: variable name → value; str/int/date … become typed literals, rdflib
                terms are used as given (``URIRef`` for IRIs, ``Literal(x, lang="zh")``).

        Returns:
            One dict per solution, unbound variables left out; ASK gives ``[{"result": bool}]``.
        """
        result = self._query(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return [{"result": bool(result)}]
        if isinstance(result, ox.QuerySolutions):
            try:
                return _rows(result)
            except OSError as exc:  # raised while reading the answer, e.g. by a SERVICE that cannot connect
                message = f"query failed: {exc}"
            del result  # dropped here: pyoxigraph answers must not be dropped by another thread
            raise QueryError(message)
        raise QueryError("select() needs a SELECT or ASK query")

    def query_raw(
        self, sparql: str, accept: str = "", default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[bytes, str]:
        """Run any query; SELECT/ASK as SPARQL JSON/XML/CSV/TSV, CONSTRUCT/DESCRIBE as RDF."""
        result = self._query(sparql, None, default_graph_uris, named_graph_uris)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            media = _pick(accept, RESULT_FORMATS)
            if isinstance(result, ox.QueryBoolean) and media in ("text/csv", "text/tab-separated-values"):
                media = "application/sparql-results+json"
            data = result.serialize(format=RESULT_FORMATS[media])
        else:
            media = _pick(accept, GRAPH_FORMATS)
            data = result.serialize(format=GRAPH_FORMATS[media])  # type: ignore[attr-defined]
        return bytes(data or b""), media

    def dump(self, path: Path, fmt: str | None = None) -> None:
        """Write the dataset to ``path``; format from ``fmt`` (an extension) or the file's extension.

        Triple formats (.ttl, .nt, .rdf) get the union of all graphs.
        """
        ext = "." + (fmt or path.suffix).lstrip(".").lower()
        if ext not in DUMP_FORMATS:
            raise StoreError(f"{path}: unknown export format {ext!r} (use {', '.join(DUMP_FORMATS)})")
        rdf_format = DUMP_FORMATS[ext]
        if rdf_format.supports_datasets:
            self._store.dump(str(path), format=rdf_format, prefixes=PREFIXES)
            return
        union = ox.Store()
        union.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in self._store)
        union.dump(str(path), format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)

    def load(self, path: Path) -> None:
        """Load an RDF file into the store (triple formats go to the default graph)."""
        try:
            self._store.load(path=str(path))
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{path}: cannot load ({exc})") from exc
        self._flush()

    def stats(self) -> dict[str, int]:
        """Counts: triples, named graphs, documents, and entities per zwgk class."""
        return _stats_from(self.select)

    def close(self) -> None:
        """Flush writes to disk; the store is released when garbage-collected."""
        self._flush()

    def __len__(self) -> int:
        return len(self._store)


PREFIXES = {
    "zwgk": ONTOLOGY,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "xsd": XSD,
}


# ---------------------------------------------------------------- endpoint


def values_clause(sparql: str, bindings: Mapping[str, Binding]) -> str:
    """Inject ``VALUES`` for the bindings at the start of the outermost group (never string-built values)."""
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"invalid variable name: {name!r}")
    row = " ".join(_nt(_binding_term(bindings[n])) for n in names)
    clause = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    masked = re.sub(r"(?m)^\s*#.*$", lambda m: " " * len(m.group()), sparql)
    masked = re.sub(r"<[^<>\s]*>", lambda m: " " * len(m.group()), masked)
    masked = re.sub(r'"(?:[^"\\\n]|\\.)*"', lambda m: " " * len(m.group()), masked)
    brace = masked.find("{")
    if brace < 0:
        raise QueryError("query has no group pattern { … }")
    return sparql[: brace + 1] + clause + sparql[brace + 1 :]


class EndpointStore(_TermWriter):
    """Any SPARQL 1.1 Query/Update server (Oxigraph server, Fuseki …) over HTTP.

    The server should expose the union of named graphs as the default graph
    (``oxigraph serve --union-default-graph``; Fuseki ``tdb:unionDefaultGraph``).
    """

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 60.0) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url.removesuffix("/query") + "/update"
        self._client = httpx.Client(timeout=timeout)

    def _post_query(self, sparql: str, accept: str, default_graph_uris: Sequence[str] | None = None,
                    named_graph_uris: Sequence[str] | None = None) -> httpx.Response:
        data: dict[str, str | list[str]] = {"query": sparql}
        if default_graph_uris:
            data["default-graph-uri"] = list(default_graph_uris)
        if named_graph_uris:
            data["named-graph-uri"] = list(named_graph_uris)
        try:
            response = self._client.post(self.query_url, data=data, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.query_url}: {exc}") from exc
        if response.status_code == 400:
            raise QueryError(f"malformed query: {response.text.strip()[:300]}")
        if response.status_code >= 300:
            raise StoreError(f"{self.query_url}: HTTP {response.status_code} {response.text.strip()[:200]}")
        return response

    def _update(self, sparql: str) -> None:
        try:
            response = self._client.post(
                self.update_url, content=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.update_url}: {exc}") from exc
        if response.status_code == 400:
            raise QueryError(f"malformed update: {response.text.strip()[:300]}")
        if response.status_code >= 300:
            raise StoreError(f"{self.update_url}: HTTP {response.status_code} {response.text.strip()[:200]}")

    def replace_document_nt(
        self, doc_graph: str, doc_lines: Sequence[str], entity_lines: Sequence[str], content_hash: str,
        source_file: str | None,
    ) -> bool:
        """:meth:`replace_document` for triples already written as N-Triples lines (one update request)."""
        rows = self.select(HASH_QUERY, {"g": URIRef(doc_graph)})
        if rows and str(rows[0]["h"]) == content_hash:
            return False
        superseded = (
            [str(r["g"]) for r in self.select(VERSIONS_QUERY, {"key": Literal(source_file)})]
            if source_file is not None else []
        )
        self._update(_insert_data(doc_graph, doc_lines, entity_lines, content_hash, superseded))
        return True

    def drop_graph(self, graph: str) -> None:
        """Drop a derived named graph (a link or summary graph: no ``zwgk:sourceFile`` to find it by)."""
        self._update(f"DROP SILENT GRAPH {_nt(URIRef(graph))}")

    def remove_document(self, doc_iri_or_source_file: str) -> bool:
        """Drop a document's graph by document IRI, graph IRI or source file name."""
        return _remove_document(self.select, self._update, doc_iri_or_source_file)

    def select(self, sparql: str, bindings: Mapping[str, Binding] | None = None) -> list[Row]:
        """Run a SELECT or ASK query; bindings are injected as a ``VALUES`` block of escaped terms."""
        text = values_clause(refuse_remote(sparql), bindings or {})
        response = self._post_query(text, "application/sparql-results+json")
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QueryBoolean):
            return [{"result": bool(result)}]
        return _rows(result)

    def query_raw(
        self, sparql: str, accept: str = "", default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> tuple[bytes, str]:
        """Run any query on the server and return its body and media type."""
        sparql = refuse_remote(sparql)
        kind = QUERY_KIND.search(re.sub(r"(?m)^\s*#.*$", "", sparql))
        graph_query = kind is not None and kind.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
        media = _pick(accept, GRAPH_FORMATS if graph_query else RESULT_FORMATS)
        response = self._post_query(sparql, media, default_graph_uris, named_graph_uris)
        return response.content, response.headers.get("content-type", media).split(";")[0]

    def dump(self, path: Path, fmt: str | None = None) -> None:
        """Fetch every quad and write them to ``path`` (format by extension)."""
        local = OxigraphStore(None)
        response = self._post_query(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json"
        )
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        local._store.extend(
            ox.Quad(row["s"], row["p"], row["o"], row["g"])
            for row in result  # type: ignore[union-attr]
        )
        local.dump(path, fmt)

    def stats(self) -> dict[str, int]:
        """Counts: triples, named graphs, documents, and entities per zwgk class."""
        return _stats_from(self.select)

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()


def open_store(store_dir: Path | None, endpoint: str | None = None, timeout: float = 60.0) -> GraphStore:
    """Open the store: a SPARQL endpoint when ``endpoint`` is given, else Oxigraph at ``store_dir``.

    Args:
        store_dir: directory of the embedded store (created if missing); None for in memory.
        endpoint: SPARQL query URL. A Virtuoso server (asked by its ``Server`` header) gets
            :class:`kg.store_virtuoso.VirtuosoStore`; any other server's update URL is
            ``…/update`` (Oxigraph, Fuseki conventions).
        timeout: seconds an endpoint query may take.

    Raises:
        StoreLockedError: the directory is opened for writing by another process.
    """
    if endpoint:
        from kg.store_virtuoso import VirtuosoStore, is_virtuoso

        if is_virtuoso(endpoint):
            return VirtuosoStore(endpoint, timeout=timeout)
        return EndpointStore(endpoint, timeout=timeout)
    if store_dir is not None:
        store_dir.mkdir(parents=True, exist_ok=True)
    return OxigraphStore(store_dir)
