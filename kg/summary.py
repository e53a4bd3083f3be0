"""The corpus summary graph: who answers for which mechanism or platform, in how many documents.

Each document's graph holds one summary edge per responsible agency (:mod:`kg.mapping`), so the
edges of a common mechanism grow with the documents. ``graph/summary`` folds them over the whole
store, rebuilt after every write like the link graphs (:func:`kg.link.link_store`):

- one tally node per agency and mechanism or platform, with the number of documents in which
  the agency answers for it (``zwgk:tallyAgency``, ``zwgk:tallyTerm``, ``zwgk:documentCount``;
  three triples, no ``rdf:type``: nothing reads it);
- on every mechanism and platform its number of responsible agencies (``zwgk:agencyCount``),
  the total of a paged answer without counting its rows;
- on every entity that documents mention, the number of documents (``zwgk:documentCount``).

The named questions that read it give the same answers as the plain graph's GROUP BY
(``tests/test_summary_graph.py``); the graph is derived, so ``kg build`` and every removal or
upload rebuild it from the documents and nothing else.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.iris import BASE, ONTOLOGY, slug
from kg.ntriples import iri_nt, quote_literal
from kg.store import CONTENT_HASH

if TYPE_CHECKING:
    from kg.store import GraphStore

__all__ = ["SUMMARY_GRAPH", "refresh_derived_graphs", "summarize_store", "summary_lines"]

SUMMARY_GRAPH = BASE + "graph/summary"
_Z = ONTOLOGY
_XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
# per agency and term: documents whose summary edge of the agency lists the term (one edge per
# document and agency, so COUNT(*) counts documents)
_TALLIES = f"""SELECT ?agency ?term (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{
  ?edge <{_Z}edgeAgency> ?agency .
  {{ ?edge <{_Z}edgeMechanism> ?term }} UNION {{ ?edge <{_Z}edgePlatform> ?term }}
}} }} GROUP BY ?agency ?term"""
_MENTIONED = f"""SELECT ?entity (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?d <{_Z}mentions> ?entity }} }}
GROUP BY ?entity"""


def _count(n: int) -> str:
    return f'"{n}"^^{_XSD_INTEGER}'


def summary_lines(store: GraphStore) -> list[str]:
    """The summary graph's triples as sorted N-Triples lines (no final ``.``), from the documents' graphs."""
    lines = [
        f"{iri_nt(SUMMARY_GRAPH)} {_LABEL} {quote_literal('汇总：各责任单位负责的机制与平台（文件数）')}@zh"
    ]
    agencies_per_term: dict[str, int] = {}
    for agency, term, n in _rows(store, _TALLIES, ("agency", "term", "n")):
        node = iri_nt(f"{BASE}summary/{slug(agency + ' ' + term)}")
        lines += [
            f"{node} <{_Z}tallyAgency> {iri_nt(agency)}",
            f"{node} <{_Z}tallyTerm> {iri_nt(term)}",
            f"{node} <{_Z}documentCount> {_count(int(n))}",
        ]
        agencies_per_term[term] = agencies_per_term.get(term, 0) + 1
    lines += [f"{iri_nt(t)} <{_Z}agencyCount> {_count(n)}" for t, n in agencies_per_term.items()]
    lines += [
        f"{iri_nt(entity)} <{_Z}documentCount> {_count(int(n))}"
        for entity, n in _rows(store, _MENTIONED, ("entity", "n"))
    ]
    lines.sort()  # in place: at 10,000 documents the graph is 1.5 M lines
    return lines


def _rows(store: GraphStore, query: str, names: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Rows as tuples of lexical values, streamed from an embedded store (no dict per row)."""
    raw = getattr(getattr(store, "inner", store), "_store", None)
    if isinstance(raw, ox.Store):
        solutions = raw.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        for solution in solutions:
            yield tuple(solution[n].value for n in names)
        return
    for row in store.select(query):
        yield tuple(str(row[n]) for n in names)


def summarize_store(store: GraphStore) -> dict[str, float]:
    """Rebuild ``graph/summary`` from the documents the store holds (left alone when unchanged).

    An empty store gets no summary graph. Returns the triples written and the seconds taken.
    """
    start = time.perf_counter()
    lines = summary_lines(store) if _has_documents(store) else []
    if not lines:
        store.drop_graph(SUMMARY_GRAPH)
        return {"triples": 0, "seconds": round(time.perf_counter() - start, 3)}
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    inner = getattr(store, "inner", store)  # the API's caching wrapper forwards sync_graph
    if hasattr(inner, "sync_graph"):  # the embedded store writes only what changed
        # with the content hash a SPARQL endpoint's replace_document_nt writes (the same graph on both)
        hashed = [*lines, f'{iri_nt(SUMMARY_GRAPH)} <{CONTENT_HASH}> "{digest}"']
        changed = store.sync_graph(SUMMARY_GRAPH, hashed)  # type: ignore[attr-defined]
    else:  # a SPARQL endpoint: the whole graph in one update, skipped when unchanged
        written = store.replace_document_nt(SUMMARY_GRAPH, lines, [], digest, None)  # type: ignore[attr-defined]
        changed = len(lines) if written else 0
    return {"triples": len(lines), "changed": changed, "seconds": round(time.perf_counter() - start, 3)}


def _has_documents(store: GraphStore) -> bool:
    return bool(store.select(f"SELECT ?d WHERE {{ GRAPH ?g {{ ?d <{_Z}sourceFile> ?f }} }} LIMIT 1"))


def refresh_derived_graphs(store: GraphStore) -> None:
    """After a write: the link graphs (:func:`kg.link.link_store`) and the summary graph follow."""
    from kg.link import link_store

    link_store(store)
    summarize_store(store)
