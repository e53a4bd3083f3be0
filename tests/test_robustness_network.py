"""No outbound network from queries or documents: a loopback listener records no connection (promise 2).

Every case points at a TCP listener on 127.0.0.1 that accepts, records and
closes each connection; after the case the listener must have recorded none.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from kg.build import ingest_record
from kg.sparql_guard import ForbiddenQuery, GuardError, UpdateForbidden, check_query
from kg.store import OxigraphStore, QueryError, StoreError

from kg_fixtures import xihu_record

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.hits: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL pointing at the listener."""
        return f"http://127.0.0.1:{self.port}"

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            self.hits.append(peer)
            conn.close()

    def settle(self) -> list[tuple[str, int]]:
        """Wait a moment for late connections, then return the connections seen."""
        time.sleep(0.3)
        return list(self.hits)

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    trap = Listener()
    yield trap
    trap.close()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(admin_token=None), store=sample_store())) as c:
        yield c


def test_robustness_network_listener_sees_connections(listener: Listener) -> None:
    """The listener itself works: a direct connection is recorded (so the other tests can fail)."""
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    assert len(listener.settle()) == 1


def _queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <https://w3id.org/zwgk/id/g>",
    ]


QUERY_IDS = ["service", "service-silent", "from", "from-named", "load", "load-silent"]


@pytest.mark.parametrize("n", range(len(QUERY_IDS)), ids=QUERY_IDS)
def test_robustness_network_sparql_endpoint(client: TestClient, listener: Listener, n: int) -> None:
    """/sparql refuses SERVICE, LOAD and remote FROM (400/403) without connecting anywhere."""
    query = _queries(listener.url)[n]
    for response in (client.get("/sparql", params={"query": query}),
                     client.post("/sparql", data={"update": query})):
        assert response.status_code in (400, 403), response.text
    assert listener.settle() == []


def test_robustness_network_graph_parameters(client: TestClient, listener: Listener) -> None:
    """default-graph-uri and named-graph-uri pointing elsewhere are refused without a fetch."""
    for param in ("default-graph-uri", "named-graph-uri"):
        response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", param: f"{listener.url}/g"})
        assert response.status_code == 400
    assert listener.settle() == []


@pytest.mark.parametrize("n", range(len(QUERY_IDS)), ids=QUERY_IDS)
def test_robustness_network_guard_refuses(listener: Listener, n: int) -> None:
    """The guard refuses each remote-reaching query before it reaches the store (pyoxigraph would fetch)."""
    with pytest.raises((ForbiddenQuery, UpdateForbidden)):
        check_query(_queries(listener.url)[n], allowed_prefixes=Settings().allowed_graph_prefixes)


def test_robustness_network_guard_catches_nested_service(listener: Listener) -> None:
    """SERVICE hidden in a subquery, OPTIONAL or UNION is still refused."""
    inner = f"SERVICE <{listener.url}/s> {{ ?s ?p ?o }}"
    for query in (f"SELECT * WHERE {{ {{ SELECT * WHERE {{ {inner} }} }} }}",
                  f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {inner} }} }}",
                  f"ASK {{ {{ ?a ?b ?c }} UNION {{ {inner} }} }}"):
        with pytest.raises(GuardError):
            check_query(query)


@pytest.mark.parametrize("n", [0, 1, 2], ids=["service", "service-silent", "from"])
def test_robustness_network_store_layer(listener: Listener, n: int) -> None:
    """OxigraphStore.select (behind ``kg query`` and named queries) never connects out either."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    with contextlib.suppress(QueryError):  # a refusal is fine; a connection is not
        store.select(_queries(listener.url)[n])
    assert listener.settle() == [], "pyoxigraph fetched a remote SERVICE: the store layer needs a guard"


def _jsonld(url: str) -> str:
    return json.dumps({"@context": f"{url}/context.jsonld", "@id": "https://w3id.org/zwgk/id/x",
                       "label": "外部上下文"})


def test_robustness_network_jsonld_export_loader(listener: Listener) -> None:
    """The exports' pyld loader refuses a remote @context instead of fetching it."""
    from pyld import jsonld

    from kg.exports import no_network_loader

    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(json.loads(_jsonld(listener.url)), {"documentLoader": no_network_loader})
    assert listener.settle() == []


def test_robustness_network_jsonld_store_load(listener: Listener, tmp_path: Path) -> None:
    """Loading a JSON-LD file with a remote @context into the store fails without a fetch."""
    path = tmp_path / "remote.jsonld"
    path.write_text(_jsonld(listener.url), "utf-8")
    with pytest.raises(StoreError):
        OxigraphStore(None).load(path)
    assert listener.settle() == []


def test_robustness_network_jsonld_load_rdf(listener: Listener, tmp_path: Path) -> None:
    """kg.export.load_rdf on a JSON-LD file with a remote @context does not fetch it."""
    from kg.export import load_rdf

    path = tmp_path / "remote.jsonld"
    path.write_text(_jsonld(listener.url), "utf-8")
    with contextlib.suppress(StoreError, ValueError, OSError):  # refusing is fine
        load_rdf(path)
    assert listener.settle() == [], "rdflib's JSON-LD parser fetched the remote @context"


def _page(url: str) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{url}/style.css"><script src="{url}/app.js"></script>
<base href="{url}/"><meta http-equiv="refresh" content="0; url={url}/next">
<title>杭州市西湖区2025年政务公开工作要点</title></head>
<body style="background:url({url}/bg.png)"><img src="{url}/logo.png"><iframe src="{url}/frame"></iframe>
<p>杭州市西湖区人民政府办公室关于印发2025年政务公开工作要点的通知</p>
<p>一、深化政策公开</p><p>（一）区政府办公室要通过区政府门户网站（{url}/zwgk）公开政策文件。</p>
<object data="{url}/obj"></object></body></html>""".encode()


def test_robustness_network_documents_with_urls(listener: Listener) -> None:
    """Reading and extracting a page or text full of links to the listener connects nowhere."""
    from extractors.pipeline import extract_raw
    from extractors.reading.readers import read_bytes

    url = listener.url
    text = f"绥化市绥棱县政务公开工作要点\n1.县政府办公室要在{url}/gk 和 {url}/img.png 公开目录。\n"
    for raw in (read_bytes(_page(listener.url), "links.html"), read_bytes(text.encode(), "links.txt")):
        assert extract_raw(raw).source_file == raw.source_file
    assert listener.settle() == []


def test_robustness_network_docx_external_relationship(listener: Listener) -> None:
    """A .docx with an external image/hyperlink relationship is read without fetching the target."""
    import io
    import zipfile

    from extractors.reading.readers import read_bytes

    from variants import docx_bytes

    source = docx_bytes("杭州市西湖区政务公开工作要点\n区政府办公室要公开政策文件。")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
            f' Target="{listener.url}/pic.png" TargetMode="External"/>'
            f'<Relationship Id="rIdY" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'hyperlink" Target="{listener.url}/page" TargetMode="External"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rels.split("relationships\">", 1)[1].encode())
            zout.writestr(info, data)
    assert "政务公开" in read_bytes(out.getvalue(), "links.docx").original
    assert listener.settle() == []
