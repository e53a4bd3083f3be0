"""SHACL validation of the graph against ``ontology/shapes.ttl``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph

from kg.export import load_rdf
from kg.store import GraphStore, OxigraphStore
from ontology import shapes_path

__all__ = ["load_shapes", "store_graph", "validate"]


def load_shapes() -> Graph:
    """The shipped SHACL shapes."""
    graph = Graph()
    with shapes_path().open("rb") as handle:
        graph.parse(handle, format="turtle")
    return graph


def store_graph(store: GraphStore) -> Graph:
    """The union of every graph of a store, as an rdflib Graph.

    A server's store is read through its export: a server may cut a CONSTRUCT answer without
    saying so (Virtuoso at ``ResultSetMaxRows``), and the export checks what it fetched.
    """
    if not isinstance(store, OxigraphStore):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "graph.nq"
            store.dump(path)
            return _union(load_rdf(path))
    data, _ = store.query_raw("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples")
    graph = Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _union(data: Graph | Dataset) -> Graph:
    if isinstance(data, Dataset):
        graph = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return data


def validate(data: GraphStore | Graph | Dataset | Path) -> tuple[bool, str]:
    """Validate a store, graph or RDF file against the shapes.

    Args:
        data: a :class:`~kg.store.GraphStore`, an rdflib Graph/Dataset, or a path to an RDF file.

    Returns:
        ``(conforms, report)``: the report is pySHACL's readable text.
    """
    if isinstance(data, Path):
        graph = _union(load_rdf(data))
    elif isinstance(data, Graph | Dataset):
        graph = _union(data)
    else:
        graph = store_graph(data)
    conforms, _, text = pyshacl.validate(
        graph, shacl_graph=load_shapes(), inference="none", allow_warnings=True
    )
    return bool(conforms), str(text)
