"""kg.link Wikidata links: the linkset, owl:sameAs, and the P442 resolver against a loopback server."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from rdflib import OWL, URIRef
from typer.testing import CliRunner

from extractors.layout.places import resolve
from kg.iris import agency_iri
from kg.link import (
    LINKSET,
    WD,
    LinkRow,
    WikidataUnavailableError,
    app,
    read_linkset,
    resolve_wikidata,
    sameas_triples,
    wikidata_client,
)

FIXTURES = Path(__file__).parent / "fixtures"
# P442 code → recorded answer; anything else gets the empty answer.
ANSWERS = {"37 01 15": "wikidata_p442_370115.json", "37 01 05": "wikidata_p442_two.json"}


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []  # noqa: RUF012 (class-level log of (user agent, query))

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query).get("query", [""])[0]
        _Handler.seen.append((self.headers.get("User-Agent", ""), query))
        name = next((f for code, f in ANSWERS.items() if f'"{code}"' in query), "wikidata_p442_empty.json")
        body = (FIXTURES / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_linkset_hand_verified_rows() -> None:
    """The bundled linkset holds the four hand-verified pairs, each with a source and a date."""
    rows = {r.label: r for r in read_linkset()}
    expected = {"中华人民共和国": "Q148", "山东省": "Q43407", "济南市": "Q170247", "国务院": "Q59261"}
    assert {label: rows[label].qid for label in expected} == expected
    assert rows["国务院"].iri == agency_iri("国务院")
    assert all(r.source and dt.date.fromisoformat(r.retrieved) for r in rows.values())


def test_sameas_from_linkset() -> None:
    """Each linkset row gives one owl:sameAs to the Wikidata entity IRI."""
    triples = sameas_triples(read_linkset())
    assert (URIRef("https://w3id.org/zwgk/id/place/370100"), OWL.sameAs, WD.Q170247) in triples
    assert len(triples) == len(read_linkset())


def test_resolver_loopback_one_match(endpoint: str) -> None:
    """A code with exactly one P442 item gives a row whose source is the query, sent with a User-Agent."""
    place = resolve("济南市济阳区", 2025)
    assert place is not None
    with wikidata_client(5) as client:
        rows = resolve_wikidata([place], client, endpoint, today=dt.date(2025, 1, 2))
    assert rows == [
        LinkRow(
            "https://w3id.org/zwgk/id/place/370115",
            "济南市济阳区",
            "Q999000115",  # test-only QID from the fixture
            f'{endpoint} SELECT DISTINCT ?item WHERE {{ ?item wdt:P442 "37 01 15" . }}',
            "2025-01-02",
        )
    ]
    agent, query = _Handler.seen[0]
    assert agent.startswith("zwgk-kg/")
    assert 'wdt:P442 "37 01 15"' in query


@pytest.mark.parametrize("name", ["济南市天桥区", "绥化市绥棱县"])
def test_resolver_never_guesses(endpoint: str, name: str) -> None:
    """No item or several items for a code give no row (no label matching)."""
    place = resolve(name, 2025)
    assert place is not None
    with wikidata_client(5) as client:
        assert resolve_wikidata([place], client, endpoint) == []


def test_resolver_unreachable() -> None:
    """A refused connection raises WikidataUnavailableError with a one-line message."""
    place = resolve("济南市济阳区", 2025)
    assert place is not None
    with wikidata_client(2) as client, pytest.raises(WikidataUnavailableError) as err:
        resolve_wikidata([place], client, "http://127.0.0.1:9/sparql")
    assert "\n" not in str(err.value)


def test_cli_wikidata_caches(endpoint: str, tmp_path: Path) -> None:
    """`kg link wikidata CODE --endpoint URL` appends found pairs to the linkset, keeping the old rows."""
    linkset = tmp_path / "linkset.csv"
    linkset.write_text(LINKSET.read_text("utf-8"), "utf-8")
    result = CliRunner().invoke(
        app, ["wikidata", "370115", "370105", "--endpoint", endpoint, "--linkset", str(linkset)]
    )
    assert result.exit_code == 0, result.output
    rows = read_linkset(linkset)
    assert len(rows) == 5
    assert rows[-1].qid == "Q999000115"


def test_cli_wikidata_offline(tmp_path: Path) -> None:
    """With no network the command exits 1 with one line naming the endpoint."""
    linkset = tmp_path / "linkset.csv"
    linkset.write_text("place_or_agency_iri,label,wikidata_qid,source,retrieved\n", "utf-8")
    result = CliRunner().invoke(
        app, ["wikidata", "370115", "--endpoint", "http://127.0.0.1:9/sparql", "--linkset", str(linkset)]
    )
    assert result.exit_code == 1
    assert "cannot query Wikidata" in result.output
    assert linkset.read_text("utf-8").count("\n") == 1


def test_json_fixture_is_sparql_results() -> None:
    """The recorded fixture is valid SPARQL JSON results with the item variable."""
    payload = json.loads((FIXTURES / "wikidata_p442_370115.json").read_text("utf-8"))
    assert payload["head"]["vars"] == ["item"]
    assert httpx.URL(payload["results"]["bindings"][0]["item"]["value"]).host == "www.wikidata.org"
