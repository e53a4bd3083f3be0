"""A real uvicorn server on loopback, queried with SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator

import httpx
import pytest

from api.testing import serve_sample

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    store_dir = tmp_path_factory.mktemp("server") / "store"
    with serve_sample(store_dir, ZWGK_QUERY_TIMEOUT="5", ZWGK_QUERY_WORKERS="2") as base:
        yield base


def test_api_server_sparqlwrapper_select(server):
    """SPARQLWrapper runs a SELECT against the live endpoint."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery('SELECT ?m WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> "三同步"@zh }')
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert rows[0]["m"]["value"] == "https://w3id.org/zwgk/id/mechanism/santongbu"


def test_api_server_sparqlwrapper_update_refused(server):
    """SPARQLWrapper's update against the public endpoint is refused."""
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(server + "/sparql")
    client.setMethod(POST)
    client.setQuery("DROP ALL")
    with pytest.raises((SPARQLWrapperException, OSError)):
        client.query()


def test_api_server_rdflib_sparqlstore(server):
    """rdflib's SPARQLStore reads the graph through the endpoint."""
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = Graph(store=SPARQLStore(server + "/sparql"))
        rows = list(
            graph.query(
                "PREFIX zwgk: <https://w3id.org/zwgk/ontology#> SELECT ?d WHERE { ?d a zwgk:Document }"
            )
        )
    assert len(rows) == 3


def test_api_server_runaway_query_does_not_block(server):
    """While a runaway query is being stopped, other requests are answered."""
    import threading

    slow: dict[str, int] = {}
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"

    def run() -> None:
        slow["status"] = httpx.get(server + "/sparql", params={"query": query}, timeout=60).status_code

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    assert httpx.get(server + "/api/search", params={"q": "三同步"}, timeout=30).status_code == 200
    assert httpx.get(server + "/sparql", params={"query": "ASK {?s ?p ?o}"}, timeout=30).status_code == 200
    assert thread.is_alive(), "the other requests were answered only after the runaway query ended"
    thread.join(60)
    assert slow["status"] == 503
