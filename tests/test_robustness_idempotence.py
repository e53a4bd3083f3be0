"""Idempotence: the same document twice changes nothing; a changed version replaces the old (promise 9)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rdflib import URIRef

from extractors.records import DocumentRecord
from kg.build import ingest_record
from kg.mapping import map_record
from kg.store import OxigraphStore

from kg_fixtures import XIHU_TEXT, suileng_record, xihu_record

SOURCE_FILE = "https://w3id.org/zwgk/ontology#sourceFile"
OLD_TITLE = "用好12345热线"
NEW_TITLE = "用好12345市民服务热线（修订）"


def _quads(store: OxigraphStore, tmp_path: Path) -> set[str]:
    out = tmp_path / "dump.nq"
    store.dump(out)
    return set(out.read_text("utf-8").splitlines())


def _changed() -> DocumentRecord:
    """A new version of xihu_2024.txt: one sentence added (so new bytes, new hash) and one item retitled."""
    record = xihu_record(text=XIHU_TEXT + "（三）区数据资源局要按季度公开数据开放目录。\n")
    items = [dataclasses.replace(i, title=NEW_TITLE) if i.title == OLD_TITLE else i for i in record.items]
    return dataclasses.replace(record, items=items)


def _titles(store: OxigraphStore) -> set[str]:
    rows = store.select("SELECT ?t WHERE { ?i <http://purl.org/dc/terms/title> ?t }")
    return {str(r["t"]) for r in rows}


def test_robustness_idempotence_same_document_twice(tmp_path: Path) -> None:
    """Ingesting the same record again (at another time) reports no change and leaves every quad as it was."""
    store = OxigraphStore(None)
    assert ingest_record(store, xihu_record())
    assert ingest_record(store, suileng_record())
    before = _quads(store, tmp_path)
    assert not ingest_record(store, xihu_record())
    assert not ingest_record(store, suileng_record())
    assert _quads(store, tmp_path) == before


def test_robustness_idempotence_changed_version_replaces_old() -> None:
    """A changed file of the same name replaces the old document: one document, the new text only."""
    store = OxigraphStore(None)
    old, new = xihu_record(), _changed()
    assert old.sha256 != new.sha256 and old.source_file == new.source_file
    ingest_record(store, old)
    ingest_record(store, new)
    files = store.select(f"SELECT ?d WHERE {{ ?d <{SOURCE_FILE}> 'xihu_2024.txt' }}")
    assert len(files) == 1, f"{len(files)} documents for xihu_2024.txt: the old version was kept"
    assert NEW_TITLE in _titles(store) and OLD_TITLE not in _titles(store)


def test_robustness_idempotence_old_evidence_goes() -> None:
    """After the replacement no triple of the old document (items, evidence, mentions) is left."""
    store = OxigraphStore(None)
    old, new = xihu_record(), _changed()
    ingest_record(store, old)
    ingest_record(store, new)
    old_doc = map_record(old).doc_iri
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                        "FILTER(STRSTARTS(STR(?s), STR(?doc)) || STRSTARTS(STR(?g), STR(?doc))) }",
                        {"doc": URIRef(old_doc)})
    assert int(str(rows[0]["n"])) == 0, f"{rows[0]['n']} triples of the old version {old_doc} remain"


def test_robustness_idempotence_back_to_old_version() -> None:
    """Going back to the first version leaves exactly the first version's document graph."""
    first = OxigraphStore(None)
    ingest_record(first, xihu_record())
    store = OxigraphStore(None)
    for record in (xihu_record(), _changed(), xihu_record()):
        ingest_record(store, record)
    assert store.stats()["documents"] == first.stats()["documents"] == 1
    assert _titles(store) == _titles(first)
