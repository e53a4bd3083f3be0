"""The guard's fast path (kg/sparql_lexer.py): what it accepts from tokens, what it leaves to the parser."""

from __future__ import annotations

import pytest

from kg.queries import list_queries
from kg.sparql_guard import ForbiddenQuery, UpdateForbidden, check_query
from kg.sparql_lexer import MAX_DEPTH, MAX_TOKENS, fast_check


def test_every_named_question_is_checked_from_its_tokens() -> None:
    for query in list_queries():
        verdict = fast_check(query.sparql)
        assert verdict is not None and verdict.form == "SELECT", query.name
        assert check_query(query.sparql).shape == verdict.shape


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("ASK { ?s ?p ?o }", "ASK"),
        ("PREFIX : <http://x/> CONSTRUCT { ?s :p ?o } WHERE { ?s :q ?o FILTER(?o < 3 && ?o != 'a') }",
         "CONSTRUCT"),
        ('select (count(*) as ?n) where { ?s a <http://x/C> ; <http://x/l> "中文"@zh } group by ?s',
         "SELECT"),
        ("DESCRIBE ?s WHERE { ?s ?p ?o } # a comment", "DESCRIBE"),
    ],
)
def test_everyday_queries_are_accepted(text: str, form: str) -> None:
    verdict = fast_check(text)
    assert verdict is not None and verdict.form == form


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }",
        "SELECT * WHERE { service<http://e/>{ ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://e/>",
        "SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }",
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DELETE WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p 'a\\'b' }",
        'SELECT * WHERE { ?s ?p """x""" }',
        "SELECT * WHERE { ?s x:p ?o }",  # undeclared prefix
        "SELECT * WHERE { ?s ?p ?o ",  # unbalanced
        "SELECT WHERE",  # no group
        "SELECT * WHERE { ?s ?p ?o } ~",  # a character the scanner does not know
        "BASE <http://x/> SELECT * WHERE { ?s <p> ?o }",
        "SELECT * WHERE " + "{ " * (MAX_DEPTH + 1) + "?s ?p ?o" + " }" * (MAX_DEPTH + 1),
        "ASK { FILTER(" + " + ".join(["1"] * MAX_TOKENS) + ") }",
    ],
)
def test_what_the_parser_decides(text: str) -> None:
    assert fast_check(text) is None


def test_the_guard_still_refuses_what_it_refused() -> None:
    with pytest.raises(ForbiddenQuery):
        check_query("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }")
    with pytest.raises(UpdateForbidden):
        check_query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(ForbiddenQuery):
        check_query("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", allowed_prefixes=("https://w3id.org/zwgk/",))


def test_shapes_ignore_layout_comments_names_and_prefixes() -> None:
    one = fast_check("PREFIX x: <urn:x:> SELECT ?who WHERE { ?who x:p [] ; a x:C } # note")
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    two = fast_check(f"SELECT ?a\nWHERE {{\n  ?a <urn:x:p> _:b1 ; {rdf_type} <urn:x:C> }}")
    other = fast_check("SELECT ?a WHERE { ?a <urn:x:q> _:b1 }")
    assert one is not None and two is not None and other is not None
    assert one.shape == two.shape != other.shape
