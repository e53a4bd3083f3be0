"""Issue #17: a runaway query is held by its shape, not its text: comment, layout and name variants wait."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from kg.sparql_guard import check_query, query_shape

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
VARIANT = """# the same cross product, once more
SELECT   (COUNT(*) AS ?total)
WHERE {
  ?s1 ?p1 ?o1 .  ?s2 ?p2 ?o2 .   # renamed
  ?s3 ?p3 ?o3 . ?s4 ?p4 ?o4 . ?s5 ?p5 ?o5
}"""


def test_limits_shape_ignores_comments_layout_and_variable_names() -> None:
    assert check_query(RUNAWAY).shape == check_query(VARIANT).shape == query_shape(VARIANT)
    prefixed = "PREFIX x: <urn:x:> SELECT ?who WHERE { ?who x:p [] }"
    spelled = "SELECT ?a WHERE {\n  ?a <urn:x:p> _:b1 }"
    assert query_shape(prefixed) == query_shape(spelled)


def test_limits_shape_of_select_star_and_values_variants() -> None:
    """rdflib builds SELECT *'s projection from a set, and VALUES rows as dicts: neither may leak names."""
    star = "SELECT * WHERE { ?a ?b ?c . ?c ?d ?e OPTIONAL { ?e ?f ?g } }"
    renamed = "SELECT * WHERE { ?zz ?yy ?xx . ?xx ?ww ?vv OPTIONAL { ?vv ?uu ?tt } }"
    assert query_shape(star) == query_shape(renamed)
    values = "SELECT * WHERE { VALUES (?a ?b) { (1 2) } ?a ?p ?b }"
    assert query_shape(values) == query_shape(values.replace("?a", "?q").replace("?b", "?r"))
    assert query_shape(values) != query_shape(values.replace("(1 2)", "(2 1)"))


def test_limits_shape_does_not_depend_on_the_hash_seed() -> None:
    script = "from kg.sparql_guard import query_shape as q; import sys; print(q(sys.argv[1]))"
    shapes = {
        subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                "ASK { ?s ?p ?o FILTER(?o IN (1, 2)) FILTER EXISTS { ?o ?q ?r } }",
            ],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(shapes) == 1


def test_limits_shape_tells_different_queries_apart() -> None:
    shapes = {
        query_shape(q)
        for q in (
            RUNAWAY,
            RUNAWAY.replace("?m ?n2 ?o", "?m ?n2 ?o FILTER(?a = ?d)"),
            "SELECT ?a WHERE { ?a ?b ?c } LIMIT 1",
            "SELECT ?a WHERE { ?a ?b ?c } LIMIT 2",
            "SELECT ?a WHERE { ?a ?b 'x' }",
            "SELECT ?a WHERE { ?a ?b 'y' }",
            "SELECT ?a ?b WHERE { ?a ?b ?b }",
            "SELECT ?a ?b WHERE { ?a ?b ?a }",
        )
    }
    assert len(shapes) == 8


def test_limits_runaway_variant_is_refused_at_once(tmp_path: Path) -> None:
    sample_store(tmp_path / "store").close()
    settings = Settings(store_dir=tmp_path / "store", query_timeout=1.0, query_workers=2, runaway_hold=60)
    with TestClient(create_app(settings)) as client:
        first = client.get("/sparql", params={"query": RUNAWAY})
        assert first.status_code == 503 and "stopped after" in first.json()["detail"]
        started = time.monotonic()
        again = client.post("/sparql", data={"query": VARIANT})
        assert again.status_code == 503 and "not run again" in again.json()["detail"]
        assert time.monotonic() - started < 0.5  # refused without running
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
