"""Invariants of the graph the builder writes, which the named queries rely on."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import OxigraphStore

P = "PREFIX zwgk: <https://w3id.org/zwgk/ontology#>\n"

VIOLATIONS = {
    "an obligation's mechanism is also its item's": """SELECT ?ob WHERE {
        ?item zwgk:hasObligation ?ob . ?ob zwgk:concernsMechanism ?m .
        FILTER NOT EXISTS { ?item zwgk:concernsMechanism ?m } }""",
    "an obligation's platform is also its item's": """SELECT ?ob WHERE {
        ?item zwgk:hasObligation ?ob . ?ob zwgk:usesPlatform ?m .
        FILTER NOT EXISTS { ?item zwgk:usesPlatform ?m } }""",
    "an obligation's actor is also responsible for its item": """SELECT ?ob WHERE {
        ?item zwgk:hasObligation ?ob . ?ob zwgk:responsibleAgency ?a .
        FILTER NOT EXISTS { ?item zwgk:responsibleAgency ?a } }""",
    "an item's mechanism is named in one of its mentions, with a sentence": """SELECT ?item WHERE {
        ?item a zwgk:Item ; zwgk:concernsMechanism ?m .
        FILTER NOT EXISTS {
            ?item zwgk:hasMention ?x . ?x zwgk:mentionOf ?m ; zwgk:evidence/zwgk:text ?t } }""",
    "an item's platform is named in one of its mentions, with a sentence": """SELECT ?item WHERE {
        ?item a zwgk:Item ; zwgk:usesPlatform ?m .
        FILTER NOT EXISTS {
            ?item zwgk:hasMention ?x . ?x zwgk:mentionOf ?m ; zwgk:evidence/zwgk:text ?t } }""",
}


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_kg_invariant_holds_on_the_seed_graph(seed_store_dir: Path, rule: str) -> None:
    """The seed graph has no violation of the rule."""
    store = OxigraphStore.read_only(seed_store_dir)
    try:
        assert store.select(P + VIOLATIONS[rule]) == []
    finally:
        store.close()


def test_kg_invariant_queries_can_find_a_violation() -> None:
    """A graph that breaks a rule is caught (the check is not vacuous)."""
    from rdflib import Literal, URIRef

    store = OxigraphStore(None)
    z = "https://w3id.org/zwgk/ontology#"
    ids = ("doc/x/item/1", "ob/1", "mechanism/m")
    item, ob, mech = (URIRef(f"https://w3id.org/zwgk/id/{x}") for x in ids)
    store.replace_document(
        "https://w3id.org/zwgk/id/doc/x/graph",
        [(item, URIRef(z + "hasObligation"), ob), (ob, URIRef(z + "concernsMechanism"), mech)],
        [(mech, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("m", lang="zh"))],
        "h",
    )
    assert store.select(P + VIOLATIONS["an obligation's mechanism is also its item's"])
