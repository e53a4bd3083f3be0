"""Every IRI of the graph is minted here, deterministically.

The same input always gives the same IRI, whatever the build order: documents
are named by the hash of their bytes, entities by a hash of their normalised
key, and everything inside a document (items, obligations, evidence, mentions)
by its place in that document.

Examples:
    >>> document_iri("0" * 64)
    'https://w3id.org/zwgk/id/doc/0000000000000000'
    >>> item_iri(document_iri("0" * 64), "一/（五）")
    'https://w3id.org/zwgk/id/doc/0000000000000000/item/%E4%B8%80/%EF%BC%88%E4%BA%94%EF%BC%89'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

__all__ = [
    "BASE",
    "ENTITY_GRAPH",
    "ONTOLOGY",
    "agency_iri",
    "document_graph_iri",
    "document_iri",
    "entity_iri",
    "evidence_iri",
    "frequency_iri",
    "item_iri",
    "mention_iri",
    "obligation_iri",
    "place_iri",
    "relative_deadline_iri",
    "run_iri",
    "slug",
    "summary_edge_iri",
]

BASE = "https://w3id.org/zwgk/id/"
ONTOLOGY = "https://w3id.org/zwgk/ontology#"
ENTITY_GRAPH = BASE + "graph/entities"
COUNTRY_LABEL = "中华人民共和国"  # the jurisdiction of central organs


@lru_cache(maxsize=1 << 16)
def slug(key: str) -> str:
    """Return a stable, URL-safe slug of a key: first 16 hex of sha1 of its NFKC form.

    Args:
        key: a canonical name or key; surrounding whitespace is ignored.
    """
    text = unicodedata.normalize("NFKC", key).strip()
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def document_iri(sha256: str) -> str:
    """IRI of a document from the sha256 (hex) of its original bytes."""
    digest = sha256.strip().lower()
    if len(digest) < 16 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"{BASE}doc/{digest[:16]}"


def document_graph_iri(doc_iri: str) -> str:
    """IRI of the named graph holding one document's triples."""
    return f"{doc_iri}/graph"


_CONCEPT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


def entity_iri(kind: str, key: str) -> str:
    """IRI of an entity of a kind (``agency``, ``platform``, ``mechanism`` …) by its key.

    A key of the form ``<kind>/<id>`` names a concept of the curated schemes
    (``ontology/mechanisms.ttl``); its IRI is that concept's, so extracted
    mentions and the SKOS scheme meet in one node. Any other key is hashed.

    Example:
        >>> entity_iri("mechanism", "mechanism/san-tongbu")
        'https://w3id.org/zwgk/id/mechanism/san-tongbu'
    """
    prefix = f"{kind}/"
    if key.startswith(prefix) and _CONCEPT_ID.fullmatch(key[len(prefix) :]):
        return f"{BASE}{key}"
    return f"{BASE}{quote(kind, safe='')}/{slug(key)}"


def agency_iri(key: str) -> str:
    """IRI of an agency (or collective of agencies) from its canonical name."""
    return entity_iri("agency", key)


def place_iri(label: str, division_code: str | None = None) -> str:
    """IRI of a place: its GB/T 2260 division code when known, else a slug of its label."""
    if division_code and division_code.strip().isdigit():
        return f"{BASE}place/{division_code.strip()}"
    if label.strip() == COUNTRY_LABEL:
        return f"{BASE}place/CN"
    return f"{BASE}place/{slug(label)}"


def item_iri(doc_iri: str, ref: str) -> str:
    """IRI of an item of a document from its reference (``一/（五）``, ``table/12``)."""
    return f"{doc_iri}/item/{quote(ref, safe='/')}"


def obligation_iri(item: str, n: int) -> str:
    """IRI of the n-th obligation (from 1) of an item."""
    return f"{item}/obligation/{n}"


def frequency_iri(owner: str, n: int) -> str:
    """IRI of the n-th frequency node (from 1) of an item or obligation."""
    return f"{owner}/frequency/{n}"


def relative_deadline_iri(owner: str, n: int) -> str:
    """IRI of the n-th relative deadline node (from 1) of an item or obligation."""
    return f"{owner}/relative-deadline/{n}"


def evidence_iri(doc_iri: str, start: int, end: int) -> str:
    """IRI of an evidence passage ``[start, end)`` of a document."""
    return f"{doc_iri}/evidence/{start}-{end}"


def mention_iri(doc_iri: str, entity: str, start: int, end: int) -> str:
    """IRI of a mention ``[start, end)`` of an entity (by IRI) in a document."""
    return f"{doc_iri}/mention/{start}-{end}/{slug(entity)}"


def summary_edge_iri(doc_iri: str, agency: str) -> str:
    """IRI of a document's summary edge of a responsible agency (by IRI)."""
    return f"{doc_iri}/edge/{slug(agency)}"


def run_iri(tool_version: str, sha256: str) -> str:
    """IRI of the extraction run of one tool version over one document (no wall-clock)."""
    return f"{BASE}run/{slug(tool_version + ':' + sha256)}"
