"""kg.link.expand_collectives: 各区县人民政府 → the county governments of the year."""

from __future__ import annotations

import pytest
from rdflib import PROV, RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import ORG

from extractors.layout.places import children
from kg.iris import ENTITY_GRAPH, agency_iri
from kg.link import INFERRED_GRAPH, ZWGK, expand_collectives, place_iri

DOC = URIRef("https://w3id.org/zwgk/id/doc/0000000000000000")


def _dataset(label: str, year: int = 2025, jurisdiction: str | None = None) -> tuple[Dataset, URIRef]:
    data = Dataset()
    graph = data.graph(URIRef(ENTITY_GRAPH))
    group = URIRef(agency_iri(label))
    graph.add((group, RDF.type, ZWGK.AgencyGroup))
    graph.add((group, RDFS.label, Literal(label, lang="zh")))
    if jurisdiction:
        graph.add((group, ZWGK.jurisdiction, place_iri(jurisdiction)))
    doc_graph = data.graph(URIRef(str(DOC) + "/graph"))
    doc_graph.add((DOC, ZWGK.mentions, group))
    doc_graph.add((DOC, ZWGK.year, Literal(str(year), datatype=XSD.gYear)))
    return data, group


def _members(data: Dataset, group: URIRef) -> set[str]:
    inferred = data.graph(INFERRED_GRAPH)
    return {str(inferred.value(m, RDFS.label)) for m in inferred.objects(group, ORG.hasMember)}


def test_collective_jinan_2025() -> None:
    """济南市各区县人民政府 in 2025 has the 人民政府 of each of 370100's county-level divisions."""
    data, group = _dataset("济南市各区县人民政府")
    expand_collectives(data, 2025)
    members = _members(data, group)
    assert "济南市济阳区人民政府" in members
    assert "济南市历下区人民政府" in members
    assert len(members) == len(children("370100", 2025)) == 12


def test_collective_member_node() -> None:
    """Each member is an agency with the kg.iris IRI of its canonical name and its jurisdiction."""
    data, group = _dataset("济南市各区县人民政府")
    expand_collectives(data, 2025)
    inferred = data.graph(INFERRED_GRAPH)
    member = URIRef(agency_iri("济南市济阳区人民政府"))
    assert (group, ORG.hasMember, member) in inferred
    assert (member, RDF.type, ZWGK.Agency) in inferred
    assert (member, ZWGK.jurisdiction, place_iri("370115")) in inferred


def test_collective_rule_is_described() -> None:
    """The inferred graph names the rule that produced it (prov:Activity, zwgk:InferenceRule)."""
    data, _ = _dataset("济南市各区县人民政府")
    expand_collectives(data, 2025)
    inferred = data.graph(INFERRED_GRAPH)
    rule = inferred.value(INFERRED_GRAPH, PROV.wasGeneratedBy)
    assert rule is not None
    assert (rule, RDF.type, PROV.Activity) in inferred
    assert (rule, RDF.type, ZWGK.InferenceRule) in inferred
    assert "GB/T 2260" in str(inferred.value(rule, RDFS.label))


def test_collective_year_matters() -> None:
    """In 2010 济南市 had 济阳县 (370125), not 济阳区, and no 莱芜区."""
    data, group = _dataset("济南市各区县人民政府", year=2010)
    expand_collectives(data)
    members = _members(data, group)
    assert "济南市济阳县人民政府" in members
    assert "济南市济阳区人民政府" not in members
    assert "济南市莱芜区人民政府" not in members
    assert len(members) == len(children("370100", 2010))


@pytest.mark.parametrize(
    ("label", "jurisdiction", "member", "count_of"),
    [
        ("绥化市各县（市、区）人民政府", None, "绥化市绥棱县人民政府", "231200"),
        ("各区县政府", "370100", "济南市天桥区人民政府", "370100"),
        ("杭州市各区、县（市）人民政府", None, "杭州市西湖区人民政府", "330100"),
    ],
)
def test_collective_forms(label: str, jurisdiction: str | None, member: str, count_of: str) -> None:
    """Other wordings and places: jurisdiction from the label or from the group node."""
    data, group = _dataset(label, jurisdiction=jurisdiction)
    expand_collectives(data, 2025)
    members = _members(data, group)
    assert member in members
    assert len(members) == len(children(count_of, 2025))


def test_collective_municipality() -> None:
    """北京市各区人民政府 expands to Beijing's 16 districts."""
    data, group = _dataset("北京市各区人民政府")
    expand_collectives(data, 2025)
    members = _members(data, group)
    assert "北京市朝阳区人民政府" in members
    assert len(members) == 16


@pytest.mark.parametrize("label", ["济南市各街道办事处", "各镇人民政府", "济南市人民政府各部门"])
def test_collective_townships_left_alone(label: str) -> None:
    """Collectives below county level or of departments are not expanded."""
    data, group = _dataset(label, jurisdiction="370100")
    expand_collectives(data, 2025)
    assert _members(data, group) == set()
    assert len(data.graph(INFERRED_GRAPH)) == 0


def test_collective_prefectures_of_province() -> None:
    """山东省各市人民政府 stands for the prefecture-level cities of 山东省 (16 in 2025)."""
    data, group = _dataset("山东省各市人民政府")
    expand_collectives(data, 2025)
    members = _members(data, group)
    assert "济南市人民政府" in members
    assert len(members) == 16
