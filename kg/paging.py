"""A page of a named question and its total, without computing every row where that can be avoided.

:func:`run_page` answers any named question (``ontology/queries``) a page at a time:

- ``mechanism-agencies`` / ``platform-agencies`` read the in-memory replica of the summary graph
  (:mod:`kg.summary_index`): the page is a slice of the term's ranked agencies, the total its length;
- ``agencies-for-mechanism`` / ``agencies-for-platform`` page over agencies the same way (busiest
  first) and fetch evidence for the page's agencies only, a few sentences each (each lookup stops
  at its first rows, so which sentences come first is the engine's choice); the total is the number
  of agencies. These are the contract's agencies (every item concerning the term): an agency whose
  items name it with no sentence that mentions it has a row without evidence, where the plain
  query, which needs the sentence, leaves it out;
- without a replica (a SPARQL endpoint, or a store opened for one command) the agencies come from
  ``{mechanism,platform}-agencies`` through SPARQL, a page of them, the evidence as above;
- every other question runs its query with ``LIMIT``/``OFFSET`` and counts its rows in a second
  query, but ``document-diff`` (two lookups merged here), ``agency-obligations`` (a page of the
  agency's items first, then the question for those items) and ``search-entities`` (the
  replica's names, when there is one).

The rows have the plain query's columns; the fast paths add ``documents`` (how many documents
the agency answers for the term in). ``tests/test_summary_graph.py`` checks that the pages put
together give the plain answer, and ``tests/test_api_paging.py`` the routes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.ntriples import iri_nt
from kg.queries import QueryParamError, bind_params, load_query
from kg.sparql_guard import check_query
from kg.store import values_clause
from kg.summary import SUMMARY_GRAPH
from kg.summary_index import summary_index

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kg.store import GraphStore, Row
    from kg.summary_index import SummaryIndex

__all__ = ["EVIDENCE_PER_AGENCY", "Page", "run_page"]

EVIDENCE_PER_AGENCY = 3
_P = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_TERMS = _P + "SELECT DISTINCT ?node WHERE {{ ?node a zwgk:{kind} ; rdfs:label|skos:altLabel ?label }}"
_EVIDENCE = (
    _P
    + """SELECT ?document ?sourceFile ?ref ?evidence WHERE {{
  ?item zwgk:responsibleAgency ?agency ; zwgk:{link} ?term ; zwgk:hasMention ?mention .
  ?mention zwgk:mentionOf ?term ; zwgk:evidence/zwgk:text ?evidence .
  ?document zwgk:hasItem ?item ; zwgk:sourceFile ?sourceFile .
  ?item zwgk:ref ?ref .
}} LIMIT {limit}"""
)
_MENTIONED = (
    _P
    + """SELECT DISTINCT ?entity ?kind ?name WHERE {
  ?document zwgk:sourceFile ?file ; zwgk:mentions ?entity .
  ?entity a ?kind ; rdfs:label ?name .
  FILTER(?kind = zwgk:Mechanism || ?kind = zwgk:Platform)
}"""
)
# an agency's items (by its label or alias) in the order of agency-obligations: year, file, ref
_ITEMS = (
    _P
    + """SELECT ?item WHERE {
  ?agencyNode a zwgk:Agency ; rdfs:label|skos:altLabel ?agency .
  ?item zwgk:responsibleAgency ?agencyNode ; zwgk:ref ?ref .
  ?document zwgk:hasItem ?item ; zwgk:sourceFile ?sourceFile .
  OPTIONAL { ?document zwgk:year ?year }
} ORDER BY ?year ?sourceFile ?ref ?item"""
)
_ITEM_COUNT = (
    _P
    + """SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {
  ?agencyNode a zwgk:Agency ; rdfs:label|skos:altLabel ?agency .
  ?item zwgk:responsibleAgency ?agencyNode ; zwgk:ref ?ref .
  ?document zwgk:hasItem ?item .
}"""
)
_HAS_SUMMARY = f"ASK {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}"
# a store written before the summary graph existed: the same ranking from the plain graph (slower)
_PLAIN_AGENCIES = _P + """SELECT ?agency ?name (COUNT(DISTINCT ?document) AS ?documents) WHERE {{
  ?node a zwgk:{kind} ; rdfs:label|skos:altLabel ?{param} .
  ?document zwgk:hasItem ?item . ?item zwgk:{link} ?node ; zwgk:responsibleAgency ?agency .
  ?agency rdfs:label ?name .
}} GROUP BY ?agency ?name ORDER BY DESC(?documents) ?name"""
# question -> (parameter, class of the term, the item's link to it, the plain query's column of the term)
_BY_TERM = {
    "mechanism-agencies": ("mechanism", "Mechanism", "concernsMechanism", ""),
    "platform-agencies": ("platform", "Platform", "usesPlatform", ""),
    "agencies-for-mechanism": ("mechanism", "Mechanism", "concernsMechanism", "mechanismNode"),
    "agencies-for-platform": ("platform", "Platform", "usesPlatform", "platformNode"),
}
_PROLOGUE_END = re.compile(r"(?im)^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b")
_TAIL = re.compile(r"(?is)\s*(ORDER\s+BY(?:(?!LIMIT|OFFSET)[^{}])*)?(LIMIT\s+\d+\s*)?(OFFSET\s+\d+\s*)?$")


@dataclass(frozen=True)
class Page:
    """Rows ``offset`` … ``offset + limit`` of an answer, and how many there are in all."""

    rows: list[Row]
    total: int
    limit: int
    offset: int


def run_page(
    store: GraphStore, name: str, params: Mapping[str, object] | None = None, limit: int = 20, offset: int = 0
) -> Page:
    """A page of a named question and the size of its whole answer.

    Raises:
        QueryParamError: unknown question or bad parameters (as :func:`kg.queries.run_named`).
    """
    if limit < 1 or offset < 0:
        raise ValueError("limit must be ≥ 1 and offset ≥ 0")
    params = dict(params or {})
    query = load_query(name)
    bindings = bind_params(query, params)
    if name == "document-diff":
        return _slice(_diff_rows(store, bindings["before"], bindings["after"]), limit, offset)
    if name == "agency-obligations":
        return _obligations_page(store, query.sparql, bindings, limit, offset)
    # the API's store reads its replica in the background (answers through SPARQL meanwhile)
    wait = not getattr(store, "replica_in_background", False)
    index = summary_index(store, wait) if name in (*_BY_TERM, "search-entities") else None
    if index is not None and name == "search-entities":
        hits = index.search(str(bindings["text"]))
        rows: list[Row] = [{"entity": e, "name": n, "kind": k, "documents": d} for e, n, k, d in hits]
        return _slice(rows, limit, offset)
    if name in _BY_TERM:
        return _term_page(store, index, name, bindings, limit, offset)
    return _sparql_page(store, query.sparql, bindings, limit, offset)


def _slice(rows: list[Row], limit: int, offset: int) -> Page:
    return Page(rows[offset : offset + limit], len(rows), limit, offset)


def _diff_rows(store: GraphStore, before: object, after: object) -> list[Row]:
    """``document-diff`` as two lookups merged here: one query can't make the engine start from both
    documents (it evaluates a UNION of the two sides over every mention of the store)."""
    sides = [
        {(str(r["entity"]), str(r["kind"]), str(r["name"])) for r in store.select(_MENTIONED, {"file": f})}  # type: ignore[dict-item]
        for f in (before, after)
    ]
    change = {"dropped": sides[0] - sides[1], "added": sides[1] - sides[0], "kept": sides[0] & sides[1]}
    rows: list[Row] = [
        {"change": c, "kind": k, "entity": e, "name": n} for c, found in change.items() for e, k, n in found
    ]
    return sorted(rows, key=lambda r: (str(r["change"]), str(r["kind"]), str(r["name"]), str(r["entity"])))


def _obligations_page(
    store: GraphStore, sparql: str, bindings: Mapping[str, object], limit: int, offset: int
) -> Page:
    """``agency-obligations`` a page of items at a time: the items are ranked first (a few lookups
    each), then the question's own query runs for the page's items only. The total counts items."""
    agency = bindings["agency"]
    ranked = store.select(_ITEMS + f" LIMIT {limit} OFFSET {offset}", {"agency": agency})  # type: ignore[dict-item]
    if offset == 0 and len(ranked) < limit:
        total = len(ranked)
    else:
        total = int(str(store.select(_ITEM_COUNT, {"agency": agency})[0]["n"]))  # type: ignore[dict-item]
    if not ranked:
        return Page([], total, limit, offset)
    checked = check_query(sparql).text  # the question's text, checked once (the guard remembers it)
    where = _PROLOGUE_END.search(checked)
    if where is None:
        raise QueryParamError("agency-obligations is not a SELECT")
    brace = checked.index("{", where.start())
    items = " ".join(iri_nt(str(r["item"])) for r in ranked)  # the store's own IRIs, escaped
    scoped = f"{checked[: brace + 1]} VALUES ?item {{ {items} }}{checked[brace + 1 :]}"
    return Page(store.select(scoped, bindings), total, limit, offset)  # type: ignore[arg-type]


def _term_page(
    store: GraphStore,
    index: SummaryIndex | None,
    name: str,
    bindings: Mapping[str, object],
    limit: int,
    offset: int,
) -> Page:
    param, kind, link, column = _BY_TERM[name]
    terms = [str(r["node"]) for r in store.select(_TERMS.format(kind=kind), {"label": bindings[param]})]  # type: ignore[dict-item]
    if index is not None:
        tallies, total = index.page(terms, limit, offset)
        ranked: list[Row] = [{"agency": t.agency, "name": t.name, "documents": t.documents} for t in tallies]
    else:  # no replica: the summary question through SPARQL, a page of it
        summarised = store.select(_HAS_SUMMARY)[0]["result"]
        plain = _PLAIN_AGENCIES.format(kind=kind, link=link, param=param)
        text = load_query(f"{param}-agencies").sparql if summarised else plain
        page = _sparql_page(store, text, {param: bindings[param]}, limit, offset)
        ranked, total = page.rows, page.total
    rows: list[Row] = []
    for ranked_row in ranked:
        row: Row = {k: ranked_row[k] for k in ("agency", "name", "documents")}
        if not column:
            rows.append(row)
            continue
        found: list[Row] = []
        for term in terms:
            query = _EVIDENCE.format(link=link, limit=EVIDENCE_PER_AGENCY)
            evidence = store.select(query, {"agency": URIRef(str(row["agency"])), "term": URIRef(term)})
            found.extend({**row, column: term, **e} for e in evidence)
        rows.extend(found or [row])  # an agency whose items name the term without a sentence for it
    return Page(rows, total, limit, offset)


def _sparql_page(
    store: GraphStore, sparql: str, bindings: Mapping[str, object], limit: int, offset: int
) -> Page:
    start = _PROLOGUE_END.search(sparql)
    if start is None:  # not a SELECT we can page: the whole answer is the page
        rows = store.select(sparql, bindings)  # type: ignore[arg-type]
        return Page(rows, len(rows), len(rows), 0)
    prologue, body = sparql[: start.start()], sparql[start.start() :]
    tail = _TAIL.search(body)
    order = (tail.group(1) or "") if tail else ""
    core = body[: tail.start()] if tail else body
    page = f"{prologue}{core}\n{order}\nLIMIT {limit} OFFSET {offset}"
    rows = store.select(check_query(page).text, bindings)  # type: ignore[arg-type]
    if offset == 0 and len(rows) < limit:
        return Page(rows, len(rows), limit, offset)  # the whole answer fits: no need to count
    # the bindings go inside the counted subquery, where they select (a trailing VALUES would not)
    counted = f"{prologue}SELECT (COUNT(*) AS ?total) WHERE {{ {{ {values_clause(core, bindings)} }} }}"  # type: ignore[arg-type]
    total = int(str(store.select(check_query(counted).text)[0]["total"]))
    return Page(rows, total, limit, offset)
