"""Issue #17: a remote endpoint that is down or answers garbage gives a clean 503, not a traceback."""

from __future__ import annotations

import socket
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from api.main import create_app
from api.query_worker import QueryTimeout
from api.runner import InProcessRunner
from api.settings import Settings
from api.sparql_exec import Dataset
from api.sparql_formats import negotiate
from kg.store import EndpointStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"  # nothing listens there any more


class _Garbage(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"'
        self.send_response(200)
        self.send_header("content-type", "application/sparql-results+json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def garbage_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_attack_unreachable_endpoint_is_a_clean_timeout() -> None:
    runner = InProcessRunner(EndpointStore(_closed_port_url(), timeout=5), timeout=10)
    try:
        with pytest.raises(QueryTimeout, match="cannot read the store") as caught:
            runner.run("SELECT * WHERE { ?s ?p ?o }", negotiate(None, False), Dataset(), 10)
        assert "\n" not in str(caught.value)
    finally:
        runner.close()


def test_attack_garbage_from_the_endpoint_is_a_clean_timeout(garbage_url: str) -> None:
    runner = InProcessRunner(EndpointStore(garbage_url, timeout=5), timeout=10)
    try:
        with pytest.raises(QueryTimeout, match="cannot read the store"):
            runner.run("SELECT * WHERE { ?s ?p ?o }", negotiate(None, False), Dataset(), 10)
    finally:
        runner.close()


def test_attack_unreachable_endpoint_is_503_at_sparql() -> None:
    with TestClient(create_app(Settings(endpoint=_closed_port_url(), query_timeout=10))) as client:
        answer = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 503, answer.text
    assert "cannot read the store" in answer.json()["detail"]
