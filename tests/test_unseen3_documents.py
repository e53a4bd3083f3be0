"""Generalisation: the pipeline scored on a third held-out set (tests/unseen3) it was never tuned on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import build_and_score

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "tests" / "unseen3"

# The targets minus 0.10.
FLOORS = {
    "agencies": 0.85,
    "platforms": 0.80,
    "mechanisms": 0.75,
    "pairs": 0.80,
    "resolution": 0.85,
    "metadata": 0.85,
    "items": 0.85,
}


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Build tests/unseen3/docs with the CLI and score the graph against tests/unseen3/gold."""
    summary: dict[str, object] = build_and_score(
        UNSEEN / "docs", UNSEEN / "gold", tmp_path_factory.mktemp("unseen3")
    )["summary"]
    return summary


def _score(summary: dict[str, object], key: str) -> float:
    value = summary[key]
    return float(value["f1"] if isinstance(value, dict) else value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("key", "floor"), sorted(FLOORS.items()))
def test_unseen3_score_meets_floor(summary: dict[str, object], key: str, floor: float) -> None:
    """Each score on the third unseen set reaches the issue's target minus 0.10."""
    assert _score(summary, key) >= floor, json.dumps(summary, ensure_ascii=False)


def test_unseen3_every_document_found(summary: dict[str, object]) -> None:
    """All five unseen documents are read and appear in the graph."""
    assert (summary["found"], summary["documents"]) == (5, 5), json.dumps(summary, ensure_ascii=False)


def test_unseen3_gold_names_every_document() -> None:
    """Every document of the set has a gold file and every gold file names a document of the set."""
    docs = {p.name for p in (UNSEEN / "docs").iterdir()}
    golds = {json.loads(p.read_text("utf-8"))["doc"] for p in (UNSEEN / "gold").glob("*.json")}
    assert docs == golds
