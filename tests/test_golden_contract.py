"""The graph built from the seeds honours the contract: its question, its shapes, its exports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld

from kg.exports import no_network_loader
from kg.store import OxigraphStore
from kg.validate import validate

from conftest import GOLDEN, ROOT, SCORER_ENV

CONTRACT = (ROOT / "docs" / "CONTRACT.md").read_text("utf-8")


def _contract_query() -> str:
    block = re.search(r"```sparql\n(.*?)```", CONTRACT, re.S)
    assert block is not None
    return block.group(1)


def test_golden_contract_question_in_plain_sparql(seed_store_dir: Path) -> None:
    """CONTRACT.md's own query for 三同步 answers from several documents at once."""
    store = OxigraphStore.read_only(seed_store_dir)
    try:
        names = {str(r["name"]) for r in store.select(_contract_query())}
    finally:
        store.close()
    assert {"济南市人民政府各部门", "济南市各区县人民政府", "济南市济阳区人民政府各部门"} <= names
    assert "济南市天桥区人民政府办公室" in names  # from the 2023 task table


def test_golden_seed_graph_conforms_to_the_shapes(seed_store_dir: Path) -> None:
    """kg validate's SHACL shapes pass on the graph built from the seeds."""
    store = OxigraphStore.read_only(seed_store_dir)
    try:
        conforms, report = validate(store)
    finally:
        store.close()
    assert conforms, report


@pytest.mark.parametrize("gold", sorted((GOLDEN / "gold").glob("*.json")), ids=lambda p: p.name[:3])
def test_golden_each_seed_document(seed_trig: Path, gold: Path, tmp_path: Path) -> None:
    """Per document: metadata and items are right, entities and pairs near the targets."""
    doc = json.loads(gold.read_text("utf-8"))["doc"]
    out = tmp_path / "score.json"
    subprocess.run(
        [
            sys.executable,
            str(GOLDEN / "score.py"),
            str(seed_trig),
            "--gold",
            str(GOLDEN / "gold"),
            "--docs",
            doc,
            "--json",
            str(out),
            "--quiet",
        ],
        check=True,
        env=SCORER_ENV,
        capture_output=True,
    )
    summary = json.loads(out.read_text("utf-8"))["summary"]
    assert summary["found"] == 1
    assert summary["metadata"] == 1.0
    assert summary["items"]["f1"] == 1.0
    for kind, floor in (("agencies", 0.95), ("platforms", 0.9), ("mechanisms", 0.85), ("pairs", 0.9)):
        assert summary[kind]["f1"] >= floor, (kind, summary[kind])


def test_golden_jsonld_export_expands_offline(seed_store_dir: Path, tmp_path: Path) -> None:
    """kg export -o graph.jsonld writes compacted JSON-LD that pyld expands with no network."""
    out = tmp_path / "graph.jsonld"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("kg")), "export", "-o", str(out), "--store", str(seed_store_dir)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert "@context" in data
    expanded = jsonld.expand(data, {"documentLoader": no_network_loader})
    assert len(expanded) == 6  # the entity graph and one named graph per document
    assert sum(len(g.get("@graph", [])) for g in expanded) > 1000


def test_golden_schema_org_view_of_the_seed_graph_validates(seed_trig: Path) -> None:
    """The schema.org view of the seeds' graph uses only properties schema.org allows on its types."""
    from kg.export import load_rdf
    from kg.exports import schema_org_view, validate_schema_org

    view = schema_org_view(load_rdf(seed_trig))
    assert len(view) > 100
    assert validate_schema_org(view) == []
