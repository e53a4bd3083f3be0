"""The API's read-through answer cache: repeated questions from memory, every write forgets."""

from __future__ import annotations

from api.cache import CachedStore
from kg.build import ingest_record
from kg.store import OxigraphStore

from kg_fixtures import suileng_record, xihu_record

DOCS = "SELECT ?f WHERE { GRAPH ?g { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } } ORDER BY ?f"


def test_api_cache_repeated_select_is_answered_from_memory() -> None:
    """The second identical question does not reach the store."""
    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    assert store.select(DOCS) == store.select(DOCS)
    assert (store.hits, store.misses) == (1, 1)


def test_api_cache_write_forgets_answers() -> None:
    """An ingest through the cache makes the next answer fresh."""
    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    assert len(store.select(DOCS)) == 1
    ingest_record(store, suileng_record())
    assert len(store.select(DOCS)) == 2
    assert store.remove_document("suileng_2023.txt")
    assert len(store.select(DOCS)) == 1


def test_api_cache_bindings_are_part_of_the_key() -> None:
    """The same query with other parameters is another answer."""
    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    query = "SELECT ?d WHERE { GRAPH ?g { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } }"
    assert len(store.select(query, {"f": "xihu_2024.txt"})) == 1
    assert store.select(query, {"f": "other.txt"}) == []


def test_api_cache_callers_cannot_corrupt_cached_rows() -> None:
    """Mutating a returned row leaves the cached answer intact."""
    store = CachedStore(OxigraphStore(None))
    ingest_record(store, xihu_record())
    store.select(DOCS)[0]["f"] = "changed"
    assert store.select(DOCS)[0]["f"] == "xihu_2024.txt"
