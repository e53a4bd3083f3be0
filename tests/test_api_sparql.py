"""SPARQL 1.1 Protocol endpoint: methods, content negotiation, guards, errors, timeout, row cap."""

from __future__ import annotations

import csv
import io
import json
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

SELECT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
SELECT ?m ?name WHERE { ?m a zwgk:Mechanism ; rdfs:label ?name } ORDER BY ?name"""
CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?m rdfs:label ?name }
WHERE { ?m a <https://w3id.org/zwgk/ontology#Mechanism> ; rdfs:label ?name }"""
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def store():
    return sample_store()


@pytest.fixture(scope="module")
def client(store):
    with TestClient(create_app(Settings(max_rows=50, admin_token=None), store=store)) as c:
        yield c


def _select_names(response) -> list[str]:
    rows = response.json()["results"]["bindings"]
    return [row["name"]["value"] for row in rows]


@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_api_sparql_select_by_each_method(client, method):
    """GET ?query=, POST form and POST application/sparql-query give the same answer."""
    if method == "get":
        response = client.get("/sparql", params={"query": SELECT})
    elif method == "form":
        response = client.post("/sparql", data={"query": SELECT})
    else:
        response = client.post(
            "/sparql", content=SELECT.encode(), headers={"content-type": "application/sparql-query"}
        )
    assert response.status_code == 200, response.text
    assert "三同步" in _select_names(response)


def test_api_sparql_json_parses(client):
    """SPARQL JSON results parse with json and carry the head variables."""
    body = json.loads(client.get("/sparql", params={"query": SELECT}).content)
    assert body["head"]["vars"] == ["m", "name"]


def test_api_sparql_xml_parses(client):
    """SPARQL XML results parse and hold one result per mechanism."""
    response = client.get(
        "/sparql", params={"query": SELECT}, headers={"accept": "application/sparql-results+xml"}
    )
    root = ET.fromstring(response.content)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{ns}results/{ns}result")) == 3


def test_api_sparql_csv_parses(client):
    """CSV results parse with csv: a header row and plain values."""
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["m", "name"] and any(row[1] == "三同步" for row in rows[1:])


def test_api_sparql_tsv_uses_term_syntax(client):
    """TSV results name variables with ? and write literals in SPARQL syntax."""
    response = client.get(
        "/sparql", params={"query": SELECT}, headers={"accept": "text/tab-separated-values"}
    )
    lines = response.text.splitlines()
    assert lines[0] == "?m\t?name" and any('"三同步"@zh' in line for line in lines)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_api_sparql_construct_parses_back(client, accept, fmt):
    """CONSTRUCT answers in Turtle, N-Triples and JSON-LD parse back into the same graph."""
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    if fmt == "json-ld":  # rdflib's JSON-LD parser warns (ConjunctiveGraph); pyoxigraph reads it
        triples = list(ox.parse(response.content, format=ox.RdfFormat.JSON_LD))
    else:
        triples = list(Graph().parse(data=response.text, format=fmt))
    assert len(triples) == 3


def test_api_sparql_ask(client):
    """ASK answers a boolean."""
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_api_sparql_service_description(client):
    """GET /sparql without a query gives a SPARQL-SD description in Turtle naming the endpoint."""
    response = client.get("/sparql")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(
        str(o).endswith("/sparql")
        for o in graph.objects(predicate=__import__("rdflib").URIRef(sd + "endpoint"))
    )


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { <https://w3id.org/zwgk/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }',
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/data.ttl>",
        "CREATE GRAPH <https://w3id.org/zwgk/id/g>",
        "ADD DEFAULT TO <https://w3id.org/zwgk/id/g>",
        "MOVE DEFAULT TO <https://w3id.org/zwgk/id/g>",
        "COPY DEFAULT TO <https://w3id.org/zwgk/id/g>",
    ],
)
def test_api_sparql_update_is_forbidden(client, store, update):
    """Every kind of SPARQL Update is refused with 403 and the store stays unchanged."""
    before = store.stats()
    for response in (
        client.post("/sparql", data={"query": update}),
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", content=update, headers={"content-type": "application/sparql-query"}),
    ):
        assert response.status_code == 403, response.text
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert store.stats() == before


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } } } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
        "PREFIX e: <http://example.org/> SELECT * FROM NAMED e:g WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_api_sparql_remote_access_is_refused(client, query):
    """SERVICE and FROM / FROM NAMED outside this graph are refused with 400 before running."""
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and ("SERVICE" in response.text or "not a graph" in response.text)


def test_api_sparql_remote_graph_parameter_is_refused(client):
    """A default-graph-uri outside this graph is refused with 400."""
    response = client.get("/sparql", params={"query": SELECT, "default-graph-uri": "http://example.org/g"})
    assert response.status_code == 400


def test_api_sparql_graph_parameters_select_the_dataset(client):
    """default-graph-uri restricts the default graph to the named document graph."""
    query = "PREFIX zwgk: <https://w3id.org/zwgk/ontology#> SELECT ?d WHERE { ?d a zwgk:Document }"
    graph = "https://w3id.org/zwgk/id/doc/cdedu2025/graph"
    response = client.get("/sparql", params={"query": query, "default-graph-uri": graph})
    docs = [row["d"]["value"] for row in response.json()["results"]["bindings"]]
    assert docs == ["https://w3id.org/zwgk/id/doc/cdedu2025"]


def test_api_sparql_from_clause_of_this_graph_is_allowed(client):
    """FROM a graph this service minted is allowed and selects that graph."""
    query = (
        "PREFIX zwgk: <https://w3id.org/zwgk/ontology#> SELECT ?d "
        "FROM <https://w3id.org/zwgk/id/doc/xihu2024/graph> WHERE { ?d a zwgk:Document }"
    )
    docs = [
        row["d"]["value"]
        for row in client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    ]
    assert docs == ["https://w3id.org/zwgk/id/doc/xihu2024"]


@pytest.mark.parametrize("query", ["SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s x:p ?o }", ""])
def test_api_sparql_malformed_is_400_with_message(client, query):
    """Malformed or missing queries give 400 with a message."""
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400 and response.json()["detail"]


def test_api_sparql_wrong_content_type_is_415(client):
    """A POST body that is neither a form nor application/sparql-query gives 415."""
    response = client.post("/sparql", content=SELECT, headers={"content-type": "text/plain"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("query", "accept"), [(SELECT, "text/turtle"), (CONSTRUCT, "text/csv"), (SELECT, "image/png")]
)
def test_api_sparql_unacceptable_accept_is_406(client, query, accept):
    """An Accept header no format of this result can meet gives 406."""
    assert client.get("/sparql", params={"query": query}, headers={"accept": accept}).status_code == 406


def test_api_sparql_body_over_limit_is_413(client):
    """A query body over 1 MiB gives 413."""
    big = "# " + "x" * (1 << 20) + "\nASK {}"
    response = client.post("/sparql", content=big, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 413


def test_api_sparql_row_cap_is_announced(client):
    """Beyond ZWGK_MAX_ROWS the answer is cut and headers say so."""
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 50
    assert response.headers["X-Result-Truncated"] == "true" and "truncated" in response.headers["Warning"]


def test_api_sparql_under_cap_is_not_marked(client):
    """An answer under the cap carries no truncation header."""
    assert "X-Result-Truncated" not in client.get("/sparql", params={"query": SELECT}).headers


def test_api_sparql_timeout_stops_query_and_frees_worker(tmp_path: Path):
    """A runaway query on the on-disk store is stopped with 503 while other queries are answered."""
    sample_store(tmp_path / "store").close()
    app = create_app(Settings(store_dir=tmp_path / "store", query_timeout=1.0, query_workers=2))
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.get("/sparql", params={"query": CARTESIAN})
        assert response.status_code == 503 and "stopped" in response.json()["detail"]
        assert time.monotonic() - started < 10 * 1.0  # stopped near the 1 s timeout, not run to the end
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
