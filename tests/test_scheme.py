"""The SKOS scheme file is generated from the data and names concepts by concept_id."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from extractors.components.mechanisms import find_mechanisms
from extractors.components.schemes import concept_id, load_scheme
from kg.gen_scheme import OUTPUT, concept_iri, render


def test_scheme_committed_file_in_sync() -> None:
    """ontology/mechanisms.ttl equals what kg.gen_scheme renders from the data files."""
    assert OUTPUT.read_text("utf-8") == render(), "run: python -m kg.gen_scheme"


def test_scheme_every_concept_typed() -> None:
    """Every mechanism of the data is a skos:Concept in the scheme file."""
    g = Graph().parse(OUTPUT, format="turtle")
    for c in load_scheme("mechanisms.jsonl"):
        assert (concept_iri("mechanism", c.id), RDF.type, SKOS.Concept) in g


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("三同步", "san-tongbu"),
        ("“三同步”", "san-tongbu"),
        ("双随机一公开", "shuang-suiji-yi-gongkai"),
        ("政府开放日", "zhengfu-kaifang-huodong"),
    ],
)
def test_scheme_concept_id_known(label: str, expected: str) -> None:
    """concept_id maps labels and aliases to the curated id."""
    assert concept_id(label) == expected


def test_scheme_concept_id_unknown_stable() -> None:
    """Unknown names get a stable hash slug."""
    assert concept_id("公文属性认定机制") == concept_id("公文属性认定机制")
    assert concept_id("公文属性认定机制").startswith("x-")


def test_scheme_key_is_iri_path() -> None:
    """A known match's key appended to the id base is the concept IRI."""
    m = find_mechanisms("严格落实“三同步”工作制度")[0]
    assert URIRef("https://w3id.org/zwgk/id/" + m.key) == concept_iri("mechanism", "san-tongbu")
