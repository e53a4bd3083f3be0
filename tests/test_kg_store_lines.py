"""Writing a document from N-Triples lines: a new graph is loaded, a stored one replaced, same triples."""

from __future__ import annotations

from datetime import datetime

import pytest
from rdflib import Literal, URIRef

from kg.build import mapped_result, write_mapped
from kg.mapping import triple_lines
from kg.store import OxigraphStore

from kg_fixtures import suileng_record, xihu_record

FIXED = datetime(2024, 1, 1)
GRAPH = "https://w3id.org/zwgk/id/doc/0123456789abcdef/graph"
DOC = URIRef(GRAPH.removesuffix("/graph"))
P = URIRef("https://w3id.org/zwgk/ontology#text")


def _graph(store: OxigraphStore, graph: str) -> set[tuple[object, ...]]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(r["s"], r["p"], r["o"]) for r in rows}


@pytest.mark.parametrize(
    "text",
    ["一行", "第一行\n第二行", 'quote " and \\ backslash', "制表\t符\r\n回车", "'''\"\"\"", ""],
)
def test_kg_store_lines_literal_round_trips(text: str) -> None:
    """A literal with line breaks, quotes or backslashes is stored exactly as given."""
    store = OxigraphStore(None)
    lines = triple_lines([(DOC, P, Literal(text, lang="zh"))])
    assert store.replace_document_nt(GRAPH, lines, [], "h1", None)
    assert (str(DOC), str(P), text) in _graph(store, GRAPH)


def test_kg_store_lines_replace_equals_fresh_write() -> None:
    """Writing over a stored version of the graph leaves exactly what a fresh write leaves."""
    record = xihu_record()
    fresh = OxigraphStore(None)
    write_mapped(fresh, mapped_result(record, FIXED, "1.0"))
    over = OxigraphStore(None)
    write_mapped(over, mapped_result(record, FIXED, "0.9"))  # other version: other hash, same graph
    assert write_mapped(over, mapped_result(record, FIXED, "1.0"))
    graph = mapped_result(record, FIXED, "1.0").graph_iri
    assert _graph(over, graph) == _graph(fresh, graph)


def test_kg_store_lines_stale_graph_without_hash_is_dropped() -> None:
    """Triples already in the graph (without a content hash) do not survive a write."""
    store = OxigraphStore(None)
    stale = triple_lines([(DOC, P, Literal("旧"))])
    store._update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {stale[0]} }} }}")
    store.replace_document_nt(GRAPH, triple_lines([(DOC, P, Literal("新"))]), [], "h2", None)
    assert {str(o) for _s, _p, o in _graph(store, GRAPH)} == {"新", "h2"}


def test_kg_store_lines_unchanged_hash_is_noop() -> None:
    """A second write with the same content hash changes nothing and says so."""
    store = OxigraphStore(None)
    result = mapped_result(suileng_record(), FIXED, "1.0")
    assert write_mapped(store, result)
    assert not write_mapped(store, result)


@pytest.mark.parametrize("form", ['"{f}"', '"{f}"^^<http://www.w3.org/2001/XMLSchema#string>'])
def test_kg_store_lines_older_version_of_file_is_replaced(form: str) -> None:
    """A stored graph of the same source file (simple or xsd:string literal) goes when a new version comes."""
    store = OxigraphStore(None)
    old_graph = "https://w3id.org/zwgk/id/doc/aaaaaaaaaaaaaaaa/graph"
    source = "https://w3id.org/zwgk/ontology#sourceFile"
    name = "西湖区/2024.txt"
    old_doc = old_graph.removesuffix("/graph")
    store._update(f"INSERT DATA {{ GRAPH <{old_graph}> {{ <{old_doc}> <{source}> {form.format(f=name)} }} }}")
    store.replace_document_nt(GRAPH, triple_lines([(DOC, URIRef(source), Literal(name))]), [], "h", name)
    assert not _graph(store, old_graph)
    assert _graph(store, GRAPH)


def test_kg_build_lines_back_to_triples_with_line_breaks() -> None:
    """A literal with a line break (written triple-quoted) reads back for stores that take triples."""
    from rdflib import Literal, URIRef

    from kg.build import _triples
    from kg.mapping import triple_lines

    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    triple = (s, p, Literal("第一行\n第二行", lang="zh"))
    assert _triples(triple_lines([triple])) == [triple]
