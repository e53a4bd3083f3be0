"""Summary edges (issue #19) agree with the plain graph: on the seeds, a generated corpus, and after
a document is replaced or removed; the named questions that read them give the plain answers."""

from __future__ import annotations

from kg.build import ingest_record
from kg.queries import bind_params, load_query, run_named
from kg.store import OxigraphStore
from kg.summary import summarize_store

from kg_fixtures import XIHU_TEXT, suileng_record, xihu_record

P = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# the edges as the plain graph gives them: per document and responsible agency, its items, and
# the mechanisms and platforms of those items
PLAIN_EDGES = P + """SELECT ?doc ?agency (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?doc zwgk:hasItem ?item . ?item zwgk:responsibleAgency ?agency .
} GROUP BY ?doc ?agency"""
PLAIN_ENTITIES = P + """SELECT DISTINCT ?doc ?agency ?entity WHERE {
  ?doc zwgk:hasItem ?item . ?item zwgk:responsibleAgency ?agency ;
    zwgk:concernsMechanism|zwgk:usesPlatform ?entity .
}"""
STORED_EDGES = P + """SELECT ?doc ?agency ?n WHERE {
  ?e zwgk:edgeDocument ?doc ; zwgk:edgeAgency ?agency ; zwgk:itemCount ?n .
}"""
STORED_ENTITIES = P + """SELECT DISTINCT ?doc ?agency ?entity WHERE {
  ?e zwgk:edgeDocument ?doc ; zwgk:edgeAgency ?agency ; zwgk:edgeMechanism|zwgk:edgePlatform ?entity .
}"""
PLAIN_GROUP_BY = P + """SELECT ?agency (COUNT(?ob) AS ?n) WHERE {
  ?ob a zwgk:Obligation ; zwgk:responsibleAgency ?agency . } GROUP BY ?agency"""
SUMMARY_GROUP_BY = P + """SELECT ?agency (SUM(?c) AS ?n) WHERE {
  ?e zwgk:obligationCount ?c ; zwgk:edgeAgency ?agency . FILTER(?c > 0) } GROUP BY ?agency"""
CONTRACT = P + """SELECT DISTINCT ?agency WHERE {
  ?m a zwgk:Mechanism ; rdfs:label|skos:altLabel ?label .
  { ?x zwgk:concernsMechanism ?m ; zwgk:responsibleAgency ?agency }
  UNION
  { ?item zwgk:concernsMechanism ?m ; zwgk:hasObligation/zwgk:responsibleAgency ?agency }
}"""
SUMMARY_CONTRACT = P + """SELECT DISTINCT ?agency WHERE {
  ?m a zwgk:Mechanism ; rdfs:label|skos:altLabel ?label .
  ?e zwgk:edgeMechanism ?m ; zwgk:edgeAgency ?agency .
}"""
LABELS = P + """SELECT DISTINCT ?label WHERE {
  ?item zwgk:concernsMechanism ?m . ?m rdfs:label|skos:altLabel ?label }"""


PLAIN_AGENCIES = P + """SELECT ?agency ?name (COUNT(DISTINCT ?document) AS ?documents) WHERE {
  ?node a zwgk:KIND ; rdfs:label|skos:altLabel ?PARAM .
  ?document zwgk:hasItem ?item . ?item zwgk:PROP ?node ; zwgk:responsibleAgency ?agency .
  ?agency rdfs:label ?name .
} GROUP BY ?agency ?name"""
KINDS = {"mechanism": ("Mechanism", "concernsMechanism"), "platform": ("Platform", "usesPlatform")}


def _key(row: dict[str, object], *names: str) -> tuple[str, ...]:
    return tuple(str(row.get(n, "")) for n in names)


def assert_summary_consistent(store: OxigraphStore) -> None:
    """The stored edges are exactly those the plain graph gives, with the same counts."""
    stored = [_key(r, "doc", "agency", "n") for r in store.select(STORED_EDGES)]
    assert len(stored) == len(set(stored))  # one edge per document and agency, one count each
    assert set(stored) == {_key(r, "doc", "agency", "n") for r in store.select(PLAIN_EDGES)}
    entities = {_key(r, "doc", "agency", "entity") for r in store.select(STORED_ENTITIES)}
    assert entities == {_key(r, "doc", "agency", "entity") for r in store.select(PLAIN_ENTITIES)}
    by_plain = {_key(r, "agency", "n") for r in store.select(PLAIN_GROUP_BY)}
    assert {_key(r, "agency", "n") for r in store.select(SUMMARY_GROUP_BY)} == by_plain


def assert_named_agree(store: OxigraphStore) -> None:
    """The contract's question through the summary answers as the plain graph does, for every name."""
    labels = sorted(str(r["label"]) for r in store.select(LABELS))
    assert labels
    for label in labels:
        binding = bind_params(load_query("agencies-for-mechanism"), {"mechanism": label})
        contract = {str(r["agency"]) for r in store.select(CONTRACT, {"label": binding["mechanism"]})}
        fast = {str(r["agency"]) for r in store.select(SUMMARY_CONTRACT, {"label": binding["mechanism"]})}
        assert fast == contract, label
    for param, (kind, prop) in KINDS.items():
        plain_query = PLAIN_AGENCIES.replace("KIND", kind).replace("PROP", prop).replace("PARAM", param)
        names = P + f"SELECT DISTINCT ?n WHERE {{ ?i zwgk:{prop} ?m . ?m rdfs:label|skos:altLabel ?n }}"
        for name in sorted(str(r["n"]) for r in store.select(names)):
            params = bind_params(load_query(f"{param}-agencies"), {param: name})
            fields = ("agency", "name", "documents")
            summary = {_key(r, *fields) for r in run_named(store, f"{param}-agencies", {param: name})}
            assert summary == {_key(r, *fields) for r in store.select(plain_query, params)}, name
            evidence = {str(r["agency"]) for r in run_named(store, f"agencies-for-{param}", {param: name})}
            assert evidence <= {a for a, _, _ in summary}


def test_summary_edges_match_the_plain_graph_on_the_seeds(seed_records: dict[str, object]) -> None:
    store = OxigraphStore(None)
    for record in seed_records.values():
        ingest_record(store, record)  # type: ignore[arg-type]
    summarize_store(store)  # the summary graph the counted questions read, as kg build ends
    assert store.select(P + "ASK { ?e zwgk:edgeAgency ?a }")[0]["result"]
    assert_summary_consistent(store)
    assert_named_agree(store)


def test_summary_edges_match_the_plain_graph_on_a_generated_corpus(generated_store: OxigraphStore) -> None:
    assert_summary_consistent(generated_store)
    assert_named_agree(generated_store)


def test_summary_edges_follow_a_replaced_and_a_removed_document() -> None:
    """A new version of a file brings its own edges and takes the old ones; removal takes them all."""
    store = OxigraphStore(None)
    assert ingest_record(store, xihu_record())
    assert ingest_record(store, suileng_record())
    assert_summary_consistent(store)
    before = {_key(r, "doc", "agency", "n") for r in store.select(STORED_EDGES)}
    changed = XIHU_TEXT.replace("〔2024〕3号", "〔2024〕13号")
    assert ingest_record(store, xihu_record(text=changed))
    assert_summary_consistent(store)
    after = {_key(r, "doc", "agency", "n") for r in store.select(STORED_EDGES)}
    assert after != before  # the replaced document's edges are the new document's
    assert store.remove_document("xihu_2024.txt")
    assert_summary_consistent(store)
    left = {r[0] for r in (_key(x, "doc") for x in store.select(STORED_EDGES))}
    assert len(left) == 1
