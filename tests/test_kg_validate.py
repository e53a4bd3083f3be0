"""SHACL shapes, generated namespace and named queries."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.build import ingest_record
from kg.gen_namespaces import TARGET, generate
from kg.mapping import map_record
from kg.namespaces import ZWGK
from kg.queries import QueryParamError, list_queries, run_named
from kg.store import OxigraphStore
from kg.validate import validate

from kg_fixtures import suileng_record, xihu_record

D, ITEM, A = URIRef("urn:d"), URIRef("urn:i"), URIRef("urn:a")
E = URIRef("urn:e")


def _good() -> Graph:
    g = Graph()
    for t in [(D, RDF.type, ZWGK.Document), (D, ZWGK.sourceFile, Literal("x.txt")),
              (D, ZWGK.year, Literal("2024", datatype=XSD.gYear)), (D, ZWGK.hasItem, ITEM),
              (ITEM, RDF.type, ZWGK.Item), (ITEM, ZWGK.ref, Literal("1")), (ITEM, ZWGK.responsibleAgency, A),
              (A, RDF.type, ZWGK.Agency), (A, RDFS.label, Literal("某局", lang="zh"))]:
        g.add(t)
    return g


def _drop(p):
    def f(g: Graph) -> None:
        g.remove((None, p, None))
    return f


def _evidence(g: Graph, start: int, end: int) -> None:
    for t in [(E, RDF.type, ZWGK.Evidence), (E, ZWGK.text, Literal("x")),
              (E, ZWGK.start, Literal(start)), (E, ZWGK.end, Literal(end))]:
        g.add(t)


VIOLATIONS = {
    "no sourceFile": _drop(ZWGK.sourceFile),
    "year not gYear": lambda g: g.set((D, ZWGK.year, Literal("2024"))),
    "item without ref": _drop(ZWGK.ref),
    "item without document": _drop(ZWGK.hasItem),
    "agency target not Agency": lambda g: g.remove((A, RDF.type, ZWGK.Agency)),
    "two zh labels": lambda g: g.add((A, RDFS.label, Literal("另一局", lang="zh"))),
    "mechanism not concept": lambda g: g.add((URIRef("urn:m"), RDF.type, ZWGK.Mechanism)),
    "negative offset": lambda g: _evidence(g, -1, 3),
    "start after end": lambda g: _evidence(g, 5, 3),
}


def test_shapes_conforming_graph():
    """A minimal well-formed graph conforms."""
    assert validate(_good())[0]


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_shapes_violation(name):
    """Each shape catches its violation."""
    g = _good()
    VIOLATIONS[name](g)
    conforms, text = validate(g)
    assert not conforms, text


def test_built_graph_conforms():
    """The mapping of the fixtures conforms to the shapes."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    ingest_record(store, suileng_record())
    assert validate(store)[0]


def test_namespaces_generated_file_is_fresh():
    """kg/namespaces.py equals a fresh generation from the ontology."""
    assert TARGET.read_text("utf-8") == generate()


def test_mistyped_term_raises():
    """A mistyped ZWGK term raises AttributeError."""
    with pytest.raises(AttributeError):
        _ = ZWGK.responsibleAgencyy


def test_every_ontology_term_has_zh_and_en_labels():
    """Every zwgk term carries a Chinese and an English label and definition."""
    from ontology import ontology_path
    g = Graph().parse(str(ontology_path()), format="turtle")
    for term in set(g.subjects(RDFS.isDefinedBy, None)):
        for p in (RDFS.label, SKOS.definition):
            assert {o.language for o in g.objects(term, p)} >= {"zh", "en"}, term


@pytest.mark.parametrize("query", [q.name for q in list_queries()])
def test_named_query_example_runs(query):
    """Every named query runs with its example parameters."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    q = next(x for x in list_queries() if x.name == query)
    assert isinstance(run_named(store, query, q.example), list)


def test_named_query_alias_match():
    """agencies-for-platform matches an alias and returns the responsible collective."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    rows = run_named(store, "agencies-for-platform", {"platform": "12345热线"})
    assert {r["name"] for r in rows} == {"杭州市西湖区人民政府各部门"}


def test_named_query_missing_param():
    """A missing parameter is a QueryParamError."""
    with pytest.raises(QueryParamError):
        run_named(OxigraphStore(None), "agencies-for-mechanism", {})


def test_mapping_hash_ignores_order():
    """The content hash does not depend on entity order."""
    r1, r2 = xihu_record(), xihu_record()
    r2.entities.reverse()
    assert map_record(r1).content_hash == map_record(r2).content_hash
