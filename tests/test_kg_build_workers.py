"""A build with several workers (extracting and mapping in parallel) writes the same graph as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.store import OxigraphStore

SEEDS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "seeds").glob("*.txt"))[:3]
QUADS = (
    "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
    "FILTER(?p != <http://www.w3.org/ns/prov#startedAtTime>) }"
)


def _quads(store: OxigraphStore) -> set[tuple[str, ...]]:
    return {tuple(str(r[k]) for k in ("s", "p", "o", "g")) for r in store.select(QUADS)}


@pytest.mark.slow
def test_kg_build_two_workers_write_the_same_graph_as_one() -> None:
    """Parallel extraction and mapping change nothing in what is written."""
    one, two = OxigraphStore(None), OxigraphStore(None)
    report_one = build(SEEDS, one, workers=1, progress=False)
    report_two = build(SEEDS, two, workers=2, progress=False)
    assert report_one.written == report_two.written == [p.name for p in SEEDS]
    assert _quads(one) == _quads(two)
