"""kg.link.place_triples / link_places: GB/T 2260 place nodes, parents and history."""

from __future__ import annotations

import itertools

import pytest
from rdflib import PROV, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from extractors.layout.places import resolve
from kg.iris import ENTITY_GRAPH
from kg.link import CENTRAL, LINK_GRAPH, ZWGK, link_places, place_iri, place_triples


def _graph(name: str, year: int | None = 2025) -> Graph:
    place = resolve(name, year)
    assert place is not None, name
    graph = Graph()
    for triple in place_triples(place):
        graph.add(triple)
    return graph


@pytest.mark.parametrize(
    ("name", "code", "label"),
    [
        ("济南市济阳区", "370115", "济南市济阳区"),
        ("济南市", "370100", "济南市"),
        ("济南市天桥区", "370105", "济南市天桥区"),
        ("绥化市绥棱县", "231226", "绥化市绥棱县"),
        ("北京市朝阳区", "110105", "北京市朝阳区"),
        ("杭州市西湖区", "330106", "杭州市西湖区"),
        ("广东省", "440000", "广东省"),
    ],
)
def test_place_code_and_label(name: str, code: str, label: str) -> None:
    """A place node carries its division code, P442 form and full label under its province."""
    graph = _graph(name)
    node = place_iri(code)
    assert (node, ZWGK.divisionCode, Literal(code)) in graph
    assert (node, ZWGK.p442, Literal(f"{code[:2]} {code[2:4]} {code[4:]}")) in graph
    assert (node, RDFS.label, Literal(label, lang="zh")) in graph


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("济南市济阳区", ["370115", "370100", "370000", "CN"]),
        ("绥化市绥棱县", ["231226", "231200", "230000", "CN"]),
        ("北京市朝阳区", ["110105", "110000", "CN"]),
        ("山东省", ["370000", "CN"]),
    ],
)
def test_place_parent_chain(name: str, chain: list[str]) -> None:
    """zwgk:parentPlace links each level up to the province, then to 中华人民共和国."""
    graph = _graph(name)
    for child, parent in itertools.pairwise(chain):
        assert list(graph.objects(place_iri(child), ZWGK.parentPlace)) == [place_iri(parent)]
    assert (CENTRAL, RDFS.label, Literal("中华人民共和国", lang="zh")) in graph


def test_place_history_rename() -> None:
    """济阳县 in 2010 is 370125, replaced in 2018 by 济阳区 370115, with validity years."""
    place = resolve("济阳县", 2010)
    assert place is not None and place.code == "370125"
    graph = _graph("济阳县", 2010)
    old, new = place_iri("370125"), place_iri("370115")
    assert (new, DCTERMS.replaces, old) in graph
    assert (old, DCTERMS.isReplacedBy, new) in graph
    assert (new, PROV.wasRevisionOf, old) in graph
    assert (old, ZWGK.validTo, Literal("2018", datatype=XSD.gYear)) in graph
    assert (new, ZWGK.validFrom, Literal("2018", datatype=XSD.gYear)) in graph
    assert (new, RDFS.label, Literal("济南市济阳区", lang="zh")) in graph


def test_place_history_backwards() -> None:
    """The current 济阳区 node points back through 370125 to 德州地区济阳县 372430."""
    graph = _graph("济南市济阳区")
    assert (place_iri("370115"), DCTERMS.replaces, place_iri("370125")) in graph
    assert (place_iri("370125"), DCTERMS.replaces, place_iri("372430")) in graph


def test_place_split_is_not_a_revision() -> None:
    """A code split into several (济南市郊区 370111) gives dcterms:replaces but no prov:wasRevisionOf."""
    graph = _graph("济南市历下区")
    assert (place_iri("370102"), DCTERMS.replaces, place_iri("370111")) in graph
    assert (place_iri("370102"), PROV.wasRevisionOf, place_iri("370111")) not in graph


def test_place_in_use_has_no_valid_to() -> None:
    """A code still in use has zwgk:validFrom and no zwgk:validTo."""
    graph = _graph("北京市朝阳区")
    assert list(graph.objects(place_iri("110105"), ZWGK.validTo)) == []


def test_link_places_describes_jurisdictions() -> None:
    """link_places adds place triples for the jurisdiction IRIs found in any named graph."""
    data = Dataset()
    agency = URIRef("https://w3id.org/zwgk/id/agency/test")
    data.graph(URIRef(ENTITY_GRAPH)).add((agency, ZWGK.jurisdiction, place_iri("370105")))
    link_places(data)
    links = data.graph(LINK_GRAPH)
    assert (place_iri("370105"), RDFS.label, Literal("济南市天桥区", lang="zh")) in links
    assert (place_iri("370105"), ZWGK.parentPlace, place_iri("370100")) in links
