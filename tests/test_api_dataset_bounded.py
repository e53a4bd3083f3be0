"""/void and /schema.jsonld stay bounded: SPARQL against the store, kept per write, one computation at a time.

The red-team run found both routes loading the whole store into rdflib (13.7 s and +1.5 GB on a
156,000-quad store, again for every parallel request). Here a generated 1,000-document store
(~169,000 quads, written without NLP) is served by a real API process and the peak RSS it adds
during each cold description is read from ``/proc/PID/status``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from api.cache import CachedStore
from api.main import create_app
from api.routers import dataset
from api.settings import Settings
from api.testing import sample_store
from kg.build import ingest_record
from kg.iris import ONTOLOGY
from tests.dataset_store import build_store
from tests.kg_fixtures import suileng_record

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2
    from fastapi.testclient import TestClient

VOID = Namespace("http://rdfs.org/ns/void#")
SDO = "https://schema.org/"
ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 1000
PEAK_BOUND_MB = 100  # the rdflib path took +446 MB for /void on this store (and 40 s)
DISTINCT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def _peak_increase_mb(pid: int, url: str) -> tuple[float, float, httpx.Response]:
    """GET ``url``; the peak RSS it added to process ``pid`` (MB), the seconds it took, the answer."""
    base = _kib(pid, "VmRSS")
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the present RSS
    except OSError:
        base = _kib(pid, "VmHWM")  # cannot reset: count only growth of the peak so far
    start = time.perf_counter()
    response = httpx.get(url, timeout=300)
    seconds = time.perf_counter() - start
    return (_kib(pid, "VmHWM") - base) / 1024, seconds, response


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    """A 1,000-document on-disk store served by uvicorn: (base URL, server pid, distinct triples)."""
    store_dir = tmp_path_factory.mktemp("bounded") / "store"
    store = build_store(store_dir, DOCUMENTS)
    triples = int(str(store.select(DISTINCT_TRIPLES)[0]["n"]))
    store.close()
    del store  # releases the store's lock for the server
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ZWGK_STORE_DIR": str(store_dir), "ZWGK_QUERY_WORKERS": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            try:
                if httpx.get(base + "/context.jsonld", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, process.pid, triples
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_void_of_1000_documents_is_bounded(served: tuple[str, int, int]) -> None:
    """A cold /void adds < 100 MB to the API's peak RSS and counts each distinct triple once."""
    base, pid, triples = served
    peak, seconds, response = _peak_increase_mb(pid, base + "/void")
    print(f"cold /void: {seconds:.2f} s, peak RSS +{peak:.0f} MB")
    assert response.status_code == 200
    assert peak < PEAK_BOUND_MB, f"cold /void added {peak:.0f} MB to the API's peak RSS"
    desc = Graph().parse(data=response.text, format="turtle")
    ds = next(desc.subjects(RDF.type, VOID.Dataset))
    assert int(desc.value(ds, VOID.triples)) == triples
    parts = {desc.value(p, VOID["class"]): int(desc.value(p, VOID.entities))
             for p in desc.objects(ds, VOID.classPartition)}
    assert parts[URIRef(ONTOLOGY + "Document")] == DOCUMENTS
    again = httpx.get(base + "/void", timeout=60)
    assert again.content == response.content


def test_schema_org_view_of_1000_documents_is_bounded(served: tuple[str, int, int]) -> None:
    """A cold /schema.jsonld adds < 100 MB to the API's peak RSS and maps every document."""
    base, pid, _ = served
    peak, seconds, response = _peak_increase_mb(pid, base + "/schema.jsonld")
    print(f"cold /schema.jsonld: {seconds:.2f} s, peak RSS +{peak:.0f} MB, {len(response.content)} bytes")
    assert response.status_code == 200
    assert peak < PEAK_BOUND_MB, f"cold /schema.jsonld added {peak:.0f} MB to the API's peak RSS"
    assert "x-result-truncated" not in response.headers
    nodes = response.json()["@graph"]  # the context calls @type "type"
    assert sum(1 for n in nodes if n.get("type") == SDO + "DigitalDocument") == DOCUMENTS


# --- in process: no dump, single flight, kept per write, the cap -------------------------------


class _NoDump(CachedStore):
    """The app's store, refusing to be dumped (the old path loaded the whole dump into rdflib)."""

    def dump(self, path: Path, fmt: str | None = None) -> None:
        raise AssertionError("the dataset descriptions must not dump the store")


@pytest.fixture
def store() -> _NoDump:
    return _NoDump(sample_store())


def test_descriptions_never_dump_the_store(store: _NoDump) -> None:
    """Both descriptions are computed from queries, not from a dump of the store."""
    with TestClient(create_app(Settings(), store=store)) as client:
        assert client.get("/void").status_code == 200
        assert client.get("/schema.jsonld").status_code == 200


def test_concurrent_cold_requests_share_one_computation(
    store: _NoDump, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six parallel cold /void requests compute it once; later ones are answered from memory."""
    calls: list[int] = []
    original = dataset._void

    def slow_void(s: object) -> object:
        calls.append(1)
        time.sleep(0.5)
        return original(s)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset, "_void", slow_void)
    with TestClient(create_app(Settings(), store=store)) as client:
        answers: list[httpx.Response] = []
        threads = [threading.Thread(target=lambda: answers.append(client.get("/void"))) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [a.status_code for a in answers] == [200] * 6
        assert len({a.content for a in answers}) == 1
        assert len(calls) == 1
        client.get("/void")
        assert len(calls) == 1


def test_descriptions_are_recomputed_after_a_write(store: _NoDump) -> None:
    """A write (a new store generation) gives a new description with the new counts."""
    with TestClient(create_app(Settings(), store=store)) as client:
        before = Graph().parse(data=client.get("/void").text, format="turtle")
        ingest_record(store, suileng_record())
        after = Graph().parse(data=client.get("/void").text, format="turtle")
    ds = next(before.subjects(RDF.type, VOID.Dataset))
    assert int(after.value(ds, VOID.triples)) > int(before.value(ds, VOID.triples))


def test_schema_org_view_is_capped_and_says_so(store: _NoDump, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond SCHEMA_MAX_ENTITIES the view is cut, with X-Result-Truncated and a Warning."""
    monkeypatch.setattr(dataset, "SCHEMA_MAX_ENTITIES", 3)
    with TestClient(create_app(Settings(), store=store)) as client:
        response = client.get("/schema.jsonld")
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert "3 entities" in response.headers["warning"]
    assert sum(1 for node in response.json()["@graph"] if "type" in node) == 3
