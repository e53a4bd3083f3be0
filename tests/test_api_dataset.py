"""The dataset described for others: VoID/DCAT, the JSON-LD context, the schema.org view."""

from __future__ import annotations

import json
import warnings

import pytest
from pyld import jsonld
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from kg.exports import no_network_loader

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2
    from fastapi.testclient import TestClient

VOID = Namespace("http://rdfs.org/ns/void#")
SDO = "https://schema.org/"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(), store=sample_store())) as c:
        yield c


def test_api_dataset_void_counts_the_graph(client) -> None:
    """/void is Turtle describing a void:Dataset with a triple count."""
    response = client.get("/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=response.text, format="turtle")
    datasets = list(g.subjects(RDF.type, VOID.Dataset))
    assert datasets
    assert int(next(g.objects(datasets[0], VOID.triples))) > 0


def test_api_dataset_context_is_the_published_one(client) -> None:
    """/context.jsonld serves the context the JSON-LD exports refer to."""
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert "@context" in response.json()


def test_api_dataset_schema_org_view_expands_offline(client) -> None:
    """/schema.jsonld is JSON-LD that expands without the network and types agencies."""
    response = client.get("/schema.jsonld")
    assert response.status_code == 200
    expanded = jsonld.expand(json.loads(response.text), {"documentLoader": no_network_loader})
    types = {t for node in expanded for t in node.get("@type", [])}
    assert URIRef(SDO + "GovernmentOrganization") in {URIRef(t) for t in types}
