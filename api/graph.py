"""Small helpers the routes share: the API's own queries, IRIs ⇄ page paths, lookups."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef

from kg.iris import BASE, ONTOLOGY
from kg.store import GraphStore

__all__ = [
    "api_query",
    "document_lookup",
    "is_iri",
    "is_minted",
    "kind_name",
    "label_of",
    "page_path",
]

QUERY_DIR = Path(__file__).with_name("queries")
LABEL_QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l WHERE { ?n rdfs:label ?l } LIMIT 1"
)
# two lookups, each from its bound term (a FILTER over every document took 0.17 s at 10,000)
DOC_BY_IRI = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
SELECT ?f WHERE { ?key a zwgk:Document ; zwgk:sourceFile ?f } LIMIT 1"""
DOC_BY_FILE = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
SELECT ?d WHERE { ?d zwgk:sourceFile ?key ; a zwgk:Document } LIMIT 1"""


@cache
def api_query(name: str) -> str:
    """The text of ``api/queries/<name>.rq``."""
    return QUERY_DIR.joinpath(f"{name}.rq").read_text("utf-8")


_IRI = re.compile(r"https?://[^\s<>\"{}|^`\\\x00-\x20\x7f-\x9f\ufffe\uffff]+")


def is_iri(text: str) -> bool:
    """True for an http(s) IRI that can be written in SPARQL without escaping."""
    return _IRI.fullmatch(text) is not None


def is_minted(iri: str) -> bool:
    """True for IRIs this graph mints (``https://w3id.org/zwgk/id/…``) that are safe to query."""
    return iri.startswith(BASE) and is_iri(iri)


def page_path(iri: str) -> str:
    """The path of an entity page on this server: ``…/id/agency/x`` → ``/id/agency/x``."""
    return "/id/" + iri.removeprefix(BASE) if is_minted(iri) else iri


def kind_name(iri: object) -> str:
    """``https://w3id.org/zwgk/ontology#Mechanism`` → ``Mechanism``."""
    text = str(iri)
    return text.removeprefix(ONTOLOGY).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def label_of(store: GraphStore, iri: str) -> str | None:
    """The ``rdfs:label`` of a node, or None."""
    if not is_iri(iri):
        return None
    rows = store.select(LABEL_QUERY, {"n": URIRef(iri)})
    return str(rows[0]["l"]) if rows else None


def document_lookup(store: GraphStore, key: str) -> tuple[str, str] | None:
    """Find a document by id (``doc/…``), IRI or source file name; return (IRI, source file)."""
    candidates = [key]
    if not key.startswith(("http://", "https://")):
        candidates.append(BASE + key.removeprefix("/"))
    for candidate in candidates:
        if candidate.startswith(("http://", "https://")) and not is_iri(candidate):
            continue
        if candidate.startswith(("http://", "https://")):
            rows = store.select(DOC_BY_IRI, {"key": URIRef(candidate)})
            if rows:
                return candidate, str(rows[0]["f"])
        else:
            rows = store.select(DOC_BY_FILE, {"key": Literal(candidate)})
            if rows:
                return str(rows[0]["d"]), candidate
    return None
