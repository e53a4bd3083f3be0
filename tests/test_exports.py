"""kg.exports: JSON-LD with the project context, the schema.org view and its validation, VoID/DCAT."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, VOID

from kg.exports import (
    CONTEXT_URL,
    SDO,
    export_jsonld,
    no_network_loader,
    schema_org_view,
    to_jsonld,
    validate_schema_org,
    void_description,
)
from kg.iris import ENTITY_GRAPH, agency_iri
from kg.link import LINK_GRAPH, WD, ZWGK, link_places, place_iri, read_linkset, sameas_triples

DOC = URIRef("https://w3id.org/zwgk/id/doc/00000000000000aa")
ITEM = URIRef(str(DOC) + "/item/table/1")
BUREAU = URIRef(agency_iri("成都市教育局"))
CITY = URIRef(agency_iri("成都市人民政府"))
GROUP = URIRef(agency_iri("成都市各区（市）县人民政府"))
PLATFORM = URIRef("https://w3id.org/zwgk/id/platform/test")


def _refuse(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    raise AssertionError(f"network fetch attempted: {url}")


def _dataset() -> Dataset:
    """A small hand-built graph: a document of 成都市教育局, a collective, a platform, places."""
    data = Dataset()
    ent = data.graph(URIRef(ENTITY_GRAPH))
    for agency, label in ((BUREAU, "成都市教育局"), (CITY, "成都市人民政府")):
        ent.add((agency, RDF.type, ZWGK.Agency))
        ent.add((agency, RDFS.label, Literal(label, lang="zh")))
        ent.add((agency, ZWGK.jurisdiction, place_iri("510100")))
    ent.add((BUREAU, SKOS.altLabel, Literal("市教育局", lang="zh")))
    ent.add((BUREAU, ORG.subOrganizationOf, CITY))
    ent.add((GROUP, RDF.type, ZWGK.AgencyGroup))
    ent.add((GROUP, RDF.type, ZWGK.Agency))
    ent.add((GROUP, RDFS.label, Literal("成都市各区（市）县人民政府", lang="zh")))
    ent.add((PLATFORM, RDF.type, ZWGK.Platform))
    ent.add((PLATFORM, RDFS.label, Literal("成都市教育局门户网站", lang="zh")))
    doc = data.graph(URIRef(str(DOC) + "/graph"))
    doc.add((DOC, RDF.type, ZWGK.Document))
    doc.add((DOC, DCTERMS.title, Literal("2025年成都市教育局政务公开工作要点", lang="zh")))
    doc.add((DOC, DCTERMS.issued, Literal("2025-03-01", datatype=XSD.date)))
    doc.add((DOC, ZWGK.year, Literal("2025", datatype=XSD.gYear)))
    doc.add((DOC, ZWGK.issuedBy, BUREAU))
    doc.add((DOC, ZWGK.hasItem, ITEM))
    doc.add((ITEM, ZWGK.usesPlatform, PLATFORM))
    doc.add((ITEM, ZWGK.responsibleAgency, BUREAU))
    link_places(data)
    for triple in sameas_triples(read_linkset()):
        data.graph(LINK_GRAPH).add(triple)
    return data


def test_jsonld_expands_offline() -> None:
    """The export expands with pyld under a loader that fails on any fetch, to the same quads."""
    data = _dataset()
    doc = to_jsonld(data)
    assert isinstance(doc["@context"], dict)
    expanded = jsonld.expand(doc, {"documentLoader": _refuse})
    back = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert len(set(back.splitlines())) == len(list(data.quads()))


def test_jsonld_uses_context_terms() -> None:
    """Compaction uses the context's terms (label, jurisdiction, issuedBy) and keeps named graphs."""
    text = json.dumps(to_jsonld(_dataset()), ensure_ascii=False)
    assert '"issuedBy"' in text and '"jurisdiction"' in text and '"label": "成都市教育局"' in text
    assert '"@id": "id:doc/00000000000000aa/graph"' in text or str(DOC) + "/graph" in text


def test_jsonld_linked_context() -> None:
    """With inline_context=False the file names the published context, served by the local loader only."""
    doc = to_jsonld(_dataset(), inline_context=False)
    assert doc["@context"] == CONTEXT_URL
    expanded = jsonld.expand(doc, {"documentLoader": no_network_loader})
    assert expanded
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/other.jsonld", "a": 1},
                      {"documentLoader": no_network_loader})


def test_export_jsonld_writes(tmp_path: Path) -> None:
    """export_jsonld writes UTF-8 JSON that parses back into the same number of quads."""
    data = _dataset()
    path = export_jsonld(data, tmp_path / "graph.jsonld")
    expanded = jsonld.expand(json.loads(path.read_text("utf-8")), {"documentLoader": _refuse})
    back = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert len(set(back.splitlines())) == len(list(data.quads()))


@pytest.mark.parametrize(
    ("node", "prop", "value"),
    [
        (BUREAU, RDF.type, SDO.GovernmentOrganization),
        (BUREAU, SDO.name, Literal("成都市教育局", lang="zh")),
        (BUREAU, SDO.alternateName, Literal("市教育局", lang="zh")),
        (BUREAU, SDO.parentOrganization, CITY),
        (BUREAU, SDO.areaServed, place_iri("510100")),
        (PLATFORM, RDF.type, SDO.GovernmentService),
        (PLATFORM, SDO.provider, BUREAU),
        (DOC, RDF.type, SDO.DigitalDocument),
        (DOC, SDO.datePublished, Literal("2025-03-01", datatype=XSD.date)),
        (DOC, SDO.publisher, BUREAU),
        (place_iri("510100"), RDF.type, SDO.AdministrativeArea),
        (place_iri("510100"), SDO.identifier, Literal("510100")),
        (place_iri("510100"), SDO.containedInPlace, place_iri("510000")),
        (place_iri("370100"), SDO.sameAs, WD.Q170247),
    ],
)
def test_schema_view_terms(node: URIRef, prop: URIRef, value: Any) -> None:
    """The schema.org view carries the expected types and properties."""
    data = _dataset()
    data.graph(URIRef(ENTITY_GRAPH)).add((place_iri("370100"), RDF.type, ZWGK.Place))
    data.graph(URIRef(ENTITY_GRAPH)).add((place_iri("370100"), OWL.sameAs, WD.Q170247))
    assert (node, prop, value) in schema_org_view(data)


def test_schema_view_validates() -> None:
    """The view of a hand-built graph conforms to the schema.org extract."""
    assert validate_schema_org(schema_org_view(_dataset())) == []


@pytest.mark.parametrize(
    ("triple", "fragment"),
    [
        ((PLATFORM, SDO.parentOrganization, BUREAU), "parentOrganization is not allowed"),
        ((DOC, SDO.areaServed, place_iri("510100")), "areaServed is not allowed"),
        ((BUREAU, SDO.datePublished, Literal("2025-01", datatype=XSD.date)), "datePublished is not allowed"),
        ((BUREAU, SDO.parentOrganization, DOC), "outside its schema.org range"),
        ((DOC, SDO.datePublished, Literal("March")), "outside its schema.org range"),
        ((BUREAU, SDO.foundedBy, CITY), "not a schema.org property"),
    ],
)
def test_schema_view_violations(triple: tuple[Any, Any, Any], fragment: str) -> None:
    """A property outside its domainIncludes (with superclasses) or its range is reported."""
    view = schema_org_view(_dataset())
    view.add(triple)
    problems = validate_schema_org(view)
    assert any(fragment in p for p in problems), problems


def test_schema_view_untyped_node() -> None:
    """A node with no schema.org type is reported."""
    view = Graph()
    view.add((BUREAU, SDO.name, Literal("x")))
    assert validate_schema_org(view) == [f"{BUREAU}: no schema.org type of the extract ()"]


def _count(desc: Graph, node: Any, prop: URIRef) -> int:
    value = desc.value(node, prop)
    assert value is not None
    return int(value)


def test_void_counts() -> None:
    """void:triples, entities, classes, properties and partitions are counted on the data."""
    data = Dataset()
    g = data.graph(URIRef(ENTITY_GRAPH))
    a, b = URIRef(agency_iri("甲")), URIRef(agency_iri("乙"))
    g.add((a, RDF.type, ZWGK.Agency))
    g.add((b, RDF.type, ZWGK.Agency))
    g.add((a, RDFS.label, Literal("甲", lang="zh")))
    g.add((place_iri("370100"), OWL.sameAs, WD.Q170247))
    g.add((place_iri("370100"), OWL.sameAs, URIRef("https://example.org/not-wikidata")))
    desc = void_description(data)
    ds = next(s for s in desc.subjects(RDF.type, DCAT.Dataset))
    assert (_count(desc, ds, VOID.triples), _count(desc, ds, VOID.entities)) == (5, 3)
    assert (_count(desc, ds, VOID.classes), _count(desc, ds, VOID.properties)) == (1, 3)
    parts = desc.objects(ds, VOID.classPartition)
    part = next(p for p in parts if desc.value(p, VOID["class"]) == ZWGK.Agency)
    assert _count(desc, part, VOID.entities) == 2
    linkset = next(desc.subjects(RDF.type, VOID.Linkset))
    assert _count(desc, linkset, VOID.triples) == 1
    assert (linkset, VOID.linkPredicate, OWL.sameAs) in desc


def test_void_catalogue_terms() -> None:
    """The description has a licence, the areacodes source, vocabularies and distributions."""
    desc = void_description(_dataset())
    ds = next(desc.subjects(RDF.type, DCAT.Dataset))
    assert desc.value(ds, DCTERMS.license) is not None
    assert URIRef("https://github.com/yescallop/areacodes") in set(desc.objects(ds, DCTERMS.source))
    assert URIRef("https://w3id.org/zwgk/ontology#") in set(desc.objects(ds, VOID.vocabulary))
    dists = set(desc.objects(ds, DCAT.distribution))
    assert len(dists) == 3
    assert all(desc.value(d, DCAT.downloadURL) is not None for d in dists)
