"""Store, mapping and IRI behaviour of the knowledge graph."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from kg import iris
from kg.build import ingest_record
from kg.export import load_rdf, save_rdf
from kg.mapping import map_record
from kg.store import EndpointStore, OxigraphStore, QueryError, StoreLockedError

from kg_fixtures import suileng_record, xihu_record

FIXED = __import__("datetime").datetime(2024, 1, 1)


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if p != PROV.startedAtTime:
            g.add((s, p, o))
    return g


def _build(store, records):
    for r in records:
        ingest_record(store, r, started=FIXED)


def test_iris_stable_across_build_order(tmp_path: Path):
    """Two builds in different orders give identical datasets."""
    a, b = OxigraphStore(None), OxigraphStore(None)
    _build(a, [xihu_record(), suileng_record()])
    _build(b, [suileng_record(), xihu_record()])
    a.dump(tmp_path / "a.nq")
    b.dump(tmp_path / "b.nq")
    lines = [sorted((tmp_path / n).read_text().splitlines()) for n in ("a.nq", "b.nq")]
    assert lines[0] == lines[1]


@pytest.mark.parametrize(("func", "args", "expected"), [
    (iris.document_iri, ("ab" * 32,), "https://w3id.org/zwgk/id/doc/abababababababab"),
    (iris.place_iri, ("杭州市西湖区", "330106"), "https://w3id.org/zwgk/id/place/330106"),
    (iris.agency_iri, ("杭州市西湖区人民政府办公室",), iris.agency_iri("杭州市西湖区人民政府办公室 ")),
])
def test_iris_deterministic(func, args, expected):
    """IRIs depend on their inputs only."""
    assert func(*args) == expected


def test_reingest_identical_is_noop():
    """Re-ingesting identical content returns False and changes nothing."""
    store = OxigraphStore(None)
    assert ingest_record(store, xihu_record(), started=FIXED)
    before = len(store)
    assert not ingest_record(store, xihu_record())
    assert len(store) == before


def test_replace_changes_document_graph():
    """A changed record replaces the document's graph wholesale."""
    store = OxigraphStore(None)
    record = xihu_record()
    ingest_record(store, record)
    record.items = record.items[:1]
    assert ingest_record(store, record)
    rows = store.select("SELECT (COUNT(?i) AS ?n) WHERE { ?d <https://w3id.org/zwgk/ontology#hasItem> ?i }")
    assert rows[0]["n"] == 1


def test_remove_by_source_file():
    """remove_document accepts the source file name."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    assert store.remove_document("xihu_2024.txt")
    assert store.stats()["documents"] == 0
    assert not store.remove_document("xihu_2024.txt")


def test_malformed_query_raises_query_error():
    """A malformed query raises QueryError."""
    with pytest.raises(QueryError):
        OxigraphStore(None).select("SELEC ?x")


def test_bindings_are_escaped():
    """A binding with quotes and braces cannot inject SPARQL."""
    store = OxigraphStore(None)
    ingest_record(store, xihu_record())
    rows = store.select("SELECT ?d WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f }",
                        {"f": '" } ; DROP ALL ; #'})
    assert rows == []
    assert store.stats()["documents"] == 1


def test_second_writer_is_locked(tmp_path: Path):
    """Opening a store already open for writing fails with StoreLockedError."""
    store = OxigraphStore(tmp_path / "s")
    target = str(tmp_path / "s")
    code = f"from kg.store import OxigraphStore; OxigraphStore(__import__('pathlib').Path({target!r}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "StoreLockedError" in proc.stderr
    store.close()
    assert StoreLockedError.__mro__[1].__name__ == "StoreError"


@pytest.mark.parametrize("ext", [".trig", ".nq", ".ttl", ".nt", ".jsonld"])
def test_export_round_trip(tmp_path: Path, ext: str):
    """Every export format parses back to the same triples."""
    store = OxigraphStore(None)
    _build(store, [xihu_record(), suileng_record()])
    path = tmp_path / f"g{ext}"
    save_rdf(store, path)
    reference = tmp_path / "ref.nq"
    store.dump(reference)
    assert isomorphic(_union(load_rdf(path)), _union(load_rdf(reference)))


def test_mapping_asserts_contract_classes():
    """An AgencyGroup is also asserted a zwgk:Agency, a Mechanism a skos:Concept."""
    mapped = map_record(xihu_record())
    types = {(str(s), str(o)) for s, p, o in mapped.entity_triples if str(p).endswith("#type")}
    group = iris.agency_iri("杭州市西湖区人民政府各部门")
    assert (group, "https://w3id.org/zwgk/ontology#Agency") in types
    assert (iris.entity_iri("mechanism", "三同步"), "http://www.w3.org/2004/02/skos/core#Concept") in types


CRASH_WRITER = """
import sys, itertools
sys.path[:0] = [{root!r}, {root!r} + "/tests"]
from pathlib import Path
from kg.store import OxigraphStore
from kg.mapping import map_record
from kg_fixtures import xihu_record
store = OxigraphStore(Path({path!r}))
record = xihu_record()
for n in itertools.count():
    record.items[1].title = "v%d" % n
    m = map_record(record)
    store.replace_document(m.graph_iri, m.doc_triples, m.entity_triples, m.content_hash)
    print(n, flush=True)
"""


def test_atomic_replace_survives_kill(tmp_path: Path):
    """After kill -9 mid-write, the document's graph is wholly one version."""
    path = tmp_path / "store"
    code = CRASH_WRITER.format(root=str(Path(__file__).parents[1]), path=str(path))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for _ in range(20):
        proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = OxigraphStore(path)
    titles = store.select("SELECT ?t WHERE { ?i <https://w3id.org/zwgk/ontology#ref> '一/（二）' ; "
                          "<http://purl.org/dc/terms/title> ?t }")
    hashes = store.select("SELECT ?h WHERE { ?d <https://w3id.org/zwgk/ontology#contentHash> ?h }")
    assert len(titles) == 1 and len(hashes) == 1
    store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def oxigraph_server(tmp_path: Path):
    """A real Oxigraph server on a free loopback port."""
    binary = Path(sys.executable).with_name("oxigraph")
    port = _free_port()
    proc = subprocess.Popen([str(binary), "serve", "--location", str(tmp_path / "srv"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/query"
    proc.terminate()
    proc.wait()


@pytest.mark.server
def test_endpoint_store_matches_embedded(oxigraph_server: str, tmp_path: Path):
    """EndpointStore against a real server gives a graph isomorphic to the embedded build."""
    remote = EndpointStore(oxigraph_server)
    local = OxigraphStore(None)
    for store in (remote, local):
        _build(store, [xihu_record(), suileng_record()])
    assert not ingest_record(remote, xihu_record())
    remote.dump(tmp_path / "r.nq")
    local.dump(tmp_path / "l.nq")
    assert isomorphic(_union(load_rdf(tmp_path / "r.nq")), _union(load_rdf(tmp_path / "l.nq")))
    assert remote.stats() == local.stats()
    remote.close()
