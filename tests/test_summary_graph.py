"""The corpus summary graph (kg/summary.py) and the paged answers that read it (kg/paging.py).

The tallies agree with the plain graph on the seeds and a generated corpus, follow a replaced and
a removed document (written as a difference), and every page of every named question, put
together, gives the plain question's answer, from the in-memory replica as through SPARQL.
"""

from __future__ import annotations

import pyoxigraph
import pytest

from kg.build import ingest_record
from kg.paging import EVIDENCE_PER_AGENCY, run_page
from kg.queries import run_named
from kg.store import OxigraphStore
from kg.summary import SUMMARY_GRAPH, summarize_store, summary_lines
from kg.summary_index import summary_index

from kg_fixtures import XIHU_TEXT, suileng_record, xihu_record

P = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# per agency and mechanism or platform: the documents with an item of the agency concerning it
PLAIN_TALLIES = (
    P
    + """SELECT ?agency ?term (COUNT(DISTINCT ?doc) AS ?n) WHERE {
  ?doc zwgk:hasItem ?item . ?item zwgk:responsibleAgency ?agency ;
    zwgk:concernsMechanism|zwgk:usesPlatform ?term .
} GROUP BY ?agency ?term"""
)
STORED_TALLIES = (
    P
    + f"""SELECT ?agency ?term ?n WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{
  ?t zwgk:tallyAgency ?agency ; zwgk:tallyTerm ?term ; zwgk:documentCount ?n }} }}"""
)
PLAIN_MENTIONED = P + "SELECT ?e (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d zwgk:mentions ?e } GROUP BY ?e"
STORED_MENTIONED = (
    P
    + f"""SELECT ?e ?n WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?e zwgk:documentCount ?n }}
  FILTER NOT EXISTS {{ GRAPH <{SUMMARY_GRAPH}> {{ ?e zwgk:tallyAgency ?a }} }} }}"""
)
NAMES = P + "SELECT DISTINCT ?n WHERE {{ ?i zwgk:{prop} ?m . ?m rdfs:label|skos:altLabel ?n }}"
KINDS = {"mechanism": "concernsMechanism", "platform": "usesPlatform"}


def _rows(store: OxigraphStore, query: str, *names: str) -> set[tuple[str, ...]]:
    return {tuple(str(r[n]) for n in names) for r in store.select(query)}


def assert_tallies_consistent(store: OxigraphStore) -> None:
    assert _rows(store, STORED_TALLIES, "agency", "term", "n") == _rows(
        store, PLAIN_TALLIES, "agency", "term", "n"
    )
    assert _rows(store, STORED_MENTIONED, "e", "n") == _rows(store, PLAIN_MENTIONED, "e", "n")


class Replicated:
    """A read view with a ``generation``, as the API's store has: the paged answers use the replica."""

    def __init__(self, store: OxigraphStore) -> None:
        self.inner = store
        self.generation = 1

    def select(self, *args: object) -> object:
        return self.inner.select(*args)  # type: ignore[arg-type]


def _all_pages(
    store: object, name: str, params: dict[str, str], size: int
) -> tuple[list[dict[str, object]], int]:
    rows: list[dict[str, object]] = []
    first = run_page(store, name, params, size)  # type: ignore[arg-type]
    rows += first.rows
    offset = size
    while offset < first.total:
        rows += run_page(store, name, params, size, offset).rows  # type: ignore[arg-type]
        offset += size
    return rows, first.total


def assert_pages_give_the_answer(store: OxigraphStore) -> None:
    """For every name and both paths (replica, SPARQL), the pages together are the plain answer."""
    for view in (Replicated(store), store):
        for param, prop in KINDS.items():
            names = sorted(str(r["n"]) for r in store.select(NAMES.format(prop=prop)))
            assert names
            for name in names:
                whole = run_named(store, f"{param}-agencies", {param: name})
                rows, total = _all_pages(view, f"{param}-agencies", {param: name}, 3)
                assert total == len(whole), name
                assert [(r["agency"], r["documents"]) for r in rows] == [
                    (r["agency"], r["documents"]) for r in whole
                ], name
                evidence = run_named(store, f"agencies-for-{param}", {param: name})
                rows, total = _all_pages(view, f"agencies-for-{param}", {param: name}, 2)
                # the contract's agencies (those of the tallies), the plain query's among them
                assert (
                    {r["agency"] for r in rows}
                    == {r["agency"] for r in whole}
                    >= {r["agency"] for r in evidence}
                )
                assert total == len(whole), name
                plain = {(r["agency"], r["sourceFile"], r["ref"], r["evidence"]) for r in evidence}
                paged = [
                    (r["agency"], r["sourceFile"], r["ref"], r["evidence"]) for r in rows if "evidence" in r
                ]
                with_evidence = {r["agency"] for r in rows if "evidence" in r}
                assert with_evidence == {r["agency"] for r in evidence}, name
                assert set(paged) <= plain
                per_agency: dict[object, int] = {}
                for agency, *_ in paged:
                    per_agency[agency] = per_agency.get(agency, 0) + 1
                assert (
                    max(per_agency.values(), default=0) <= EVIDENCE_PER_AGENCY * 2
                )  # a label may name two terms
        agencies = sorted(
            {
                str(r["n"])
                for r in store.select(
                    P + "SELECT ?n WHERE { ?i a zwgk:Item ; zwgk:responsibleAgency/rdfs:label ?n }"
                )
            }
        )
        for agency in agencies[:: max(1, len(agencies) // 15)]:
            whole = run_named(store, "agency-obligations", {"agency": agency})
            rows, _ = _all_pages(view, "agency-obligations", {"agency": agency}, 2)
            key = ("document", "ref", "obligation", "action", "deadline", "evidence")
            assert sorted(tuple(str(r.get(k)) for k in key) for r in rows) == sorted(
                tuple(str(r.get(k)) for k in key) for r in whole
            ), agency
        for text in ("公开", "政务", "局", "平台", "无此名称"):
            whole = run_named(store, "search-entities", {"text": text})
            rows, total = _all_pages(view, "search-entities", {"text": text}, 7)
            assert [(r["entity"], int(str(r["documents"]))) for r in rows][:200] == [
                (r["entity"], int(str(r["documents"]))) for r in whole
            ], text
        files = sorted(str(r["f"]) for r in store.select(P + "SELECT ?f WHERE { ?d zwgk:sourceFile ?f }"))
        for before, after in zip(files, files[1:] + files[:1], strict=True):
            params = {"before": before, "after": after}
            whole = run_named(store, "document-diff", params)
            rows, _ = _all_pages(view, "document-diff", params, 4)
            key = ("change", "kind", "entity")
            assert [tuple(str(r[k]) for k in key) for r in rows] == [
                tuple(str(r[k]) for k in key) for r in whole
            ]
            doc = run_named(store, "mechanisms-by-document", {"sourceFile": before})
            page, total = _all_pages(view, "mechanisms-by-document", {"sourceFile": before}, 2)
            assert total == len(doc) and {str(r["mechanism"]) for r in page} == {
                str(r["mechanism"]) for r in doc
            }


@pytest.fixture(scope="module")
def seed_store(seed_records: dict[str, object]) -> OxigraphStore:
    """The seeds written one by one, then summarised (what kg build does at its end)."""
    store = OxigraphStore(None)
    for record in seed_records.values():
        ingest_record(store, record)  # type: ignore[arg-type]
    summarize_store(store)
    return store


def test_tallies_match_the_plain_graph_on_the_seeds(seed_store: OxigraphStore) -> None:
    store = seed_store
    assert store.select(P + f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ ?t zwgk:tallyAgency ?a }} }}")[0]["result"]
    assert_tallies_consistent(store)
    assert_pages_give_the_answer(store)


def test_tallies_and_pages_on_a_generated_corpus(generated_store: OxigraphStore) -> None:
    assert_tallies_consistent(generated_store)
    assert_pages_give_the_answer(generated_store)


def test_the_summary_follows_a_replaced_and_a_removed_document_as_a_difference() -> None:
    store = OxigraphStore(None)
    assert summarize_store(store)["triples"] == 0  # an empty store gets no summary graph
    assert not store.select(f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}")[0]["result"]
    assert ingest_record(store, xihu_record())
    assert ingest_record(store, suileng_record())
    first = summarize_store(store)
    assert first["changed"] == first["triples"] + 1 > 1  # and the content hash
    assert_tallies_consistent(store)
    assert summarize_store(store)["changed"] == 0  # nothing changed, nothing written
    assert ingest_record(store, xihu_record(text=XIHU_TEXT.replace("〔2024〕3号", "〔2024〕13号")))
    summarize_store(store)
    assert_tallies_consistent(store)
    assert store.remove_document("suileng_2023.txt")
    changed = summarize_store(store)
    assert 0 < changed["changed"] < first["triples"]  # only what the removal changed was written
    assert_tallies_consistent(store)
    stored = store._store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(SUMMARY_GRAPH))
    lines = {f"{q.subject} {q.predicate} {q.object}" for q in stored}
    lines = {line for line in lines if "contentHash>" not in line}
    assert lines == set(summary_lines(store))


def test_the_replica_follows_the_store_generation(seed_store: OxigraphStore) -> None:
    view = Replicated(seed_store)
    first = summary_index(view)  # type: ignore[arg-type]
    assert first is not None and first.by_term
    assert summary_index(view) is first  # type: ignore[arg-type]
    view.generation += 1  # a write
    assert summary_index(view) is not first  # type: ignore[arg-type]
    assert summary_index(seed_store) is None  # no generation: no replica


def test_removing_every_document_leaves_no_derived_graph(seed_records: dict[str, object]) -> None:
    """The summary and link graphs go with the last document (they hold no source file to be found by)."""
    from kg.summary import refresh_derived_graphs

    store = OxigraphStore(None)
    for record in seed_records.values():
        ingest_record(store, record)  # type: ignore[arg-type]
    refresh_derived_graphs(store)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert any(str(r["g"]).endswith("graph/summary") for r in store.select(graphs))
    for record in seed_records.values():
        assert store.remove_document(record.source_file)  # type: ignore[attr-defined]
    refresh_derived_graphs(store)
    left = {str(r["g"]) for r in store.select(graphs)}
    assert not any(g.endswith(("graph/summary", "graph/links", "graph/inferred")) for g in left), left
