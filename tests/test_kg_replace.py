"""A changed version of a file replaces the old one: its graph, items and evidence go with it."""

from __future__ import annotations

from kg.build import ingest_record
from kg.store import OxigraphStore

from kg_fixtures import XIHU_TEXT, xihu_record

DOCS = "SELECT ?d WHERE { GRAPH ?g { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } }"
EVIDENCE = "SELECT ?e WHERE { GRAPH ?g { ?e <https://w3id.org/zwgk/ontology#start> ?s } }"


def test_kg_replace_changed_version_supersedes_old_graph() -> None:
    """Re-ingesting a changed file leaves exactly one document for that file, the new one."""
    store = OxigraphStore(None)
    old = xihu_record()
    new = xihu_record(text=XIHU_TEXT.replace("〔2024〕3号", "〔2024〕13号"))  # shifts every offset
    assert old.sha256 != new.sha256
    assert ingest_record(store, old)
    alone = {str(r["e"]) for r in store.select(EVIDENCE)}
    assert ingest_record(store, new)
    docs = store.select(DOCS)
    assert len(docs) == 1
    evidence = {str(r["e"]) for r in store.select(EVIDENCE)}
    assert evidence
    assert not evidence & alone  # the old version's evidence went with it


def test_kg_replace_other_files_are_untouched() -> None:
    """Ingesting a second file keeps the first one's graph."""
    store = OxigraphStore(None)
    assert ingest_record(store, xihu_record("a.txt"))
    assert ingest_record(store, xihu_record("b.txt", XIHU_TEXT + "（三）加强培训。\n"))
    assert len(store.select(DOCS)) == 2
