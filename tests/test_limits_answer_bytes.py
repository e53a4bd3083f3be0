"""Issue #17: answers are capped in bytes too (ZWGK_MAX_ANSWER_BYTES), cut with the usual headers."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox
import pytest

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store, serve_sample

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

CAP = 1 << 20


def _blown(levels: int) -> str:
    """The red-team shape: each REPLACE makes every character ten; 30 rows."""
    inner = "STR(?o)"
    for _ in range(levels):
        inner = f'REPLACE({inner}, ".", "xxxxxxxxxx")'
    return f"SELECT ?s ?big WHERE {{ ?s ?p ?o BIND({inner} AS ?big) }} LIMIT 30"


BIG = _blown(4)  # ~100 KB to ~1 MB a row: a few MB in all, well over CAP
BIG_GRAPH = BIG.replace("SELECT ?s ?big WHERE", "CONSTRUCT { ?s <urn:big> ?big } WHERE")


@pytest.fixture(scope="module")
def client():
    settings = Settings(max_rows=1000, max_answer_bytes=CAP, admin_token=None)
    with TestClient(create_app(settings, store=sample_store())) as c:
        yield c


def _assert_cut(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert len(response.content) <= CAP + 1024
    assert response.headers["X-Result-Truncated"] == "true"
    assert "ZWGK_MAX_ANSWER_BYTES" in response.headers["Warning"]
    assert int(response.headers["X-Result-Rows"]) < 30


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("application/sparql-results+json", lambda body: json.loads(body)["results"]["bindings"]),
        ("application/sparql-results+xml", lambda body: ElementTree.fromstring(body).iter()),
        ("text/csv", lambda body: body.decode().split("\r\n")),
        ("text/tab-separated-values", lambda body: body.decode().split("\n")),
    ],
)
def test_limits_answer_bytes_select_is_cut_in_every_format(client, accept, parse) -> None:
    response = client.get("/sparql", params={"query": BIG}, headers={"Accept": accept})
    _assert_cut(response)
    parse(response.content)  # still a whole document of its format


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml"])
def test_limits_answer_bytes_construct_is_cut(client, accept) -> None:
    response = client.get("/sparql", params={"query": BIG_GRAPH}, headers={"Accept": accept})
    _assert_cut(response)
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
    ox.parse(response.content, format=fmt.get(accept, ox.RdfFormat.RDF_XML))


def test_limits_answer_bytes_small_answer_is_whole(client) -> None:
    response = client.get("/sparql", params={"query": _blown(1)})
    assert response.status_code == 200 and "X-Result-Truncated" not in response.headers
    assert len(response.json()["results"]["bindings"]) == 30


def test_limits_answer_bytes_in_query_workers(tmp_path: Path) -> None:
    """The worker stops serialising at the cap: the answer through the pool is cut too."""
    env = {"ZWGK_MAX_ANSWER_BYTES": str(CAP), "ZWGK_QUERY_WORKERS": "1"}
    with serve_sample(tmp_path / "store", **env) as base:
        _assert_cut(httpx.get(base + "/sparql", params={"query": BIG}, timeout=30))
