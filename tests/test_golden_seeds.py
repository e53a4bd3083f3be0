"""Golden tests: the graph built from the five seeds, scored against their gold annotations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN, ROOT, SCORER_ENV

SHARED_SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SCORER = SHARED_SCORER if SHARED_SCORER.exists() else GOLDEN / "score.py"
GOLD = sorted((GOLDEN / "gold").glob("*.json"))

# The targets of the issues (metadata, items, entities, pairs, resolution).
TARGETS = {
    "metadata": 0.95,
    "items": 0.95,
    "agencies": 0.95,
    "platforms": 0.90,
    "mechanisms": 0.85,
    "pairs": 0.90,
    "resolution": 0.95,
}


@pytest.fixture(scope="module")
def summary(seed_trig: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("score") / "score.json"
    subprocess.run(
        [
            sys.executable,
            str(SCORER),
            str(seed_trig),
            "--gold",
            str(GOLDEN / "gold"),
            "--json",
            str(out),
            "--quiet",
        ],
        check=True,
        capture_output=True,
        env=SCORER_ENV,
    )
    return json.loads(out.read_text("utf-8"))


def _f1(summary: dict, key: str) -> float:
    value = summary["summary"][key]
    return float(value if isinstance(value, int | float) else value["f1"])


@pytest.mark.parametrize(("key", "floor"), sorted(TARGETS.items()))
def test_golden_seed_score_meets_target(summary: dict, key: str, floor: float) -> None:
    """Each score of the seed graph reaches its target."""
    assert _f1(summary, key) >= floor, json.dumps(summary["summary"], ensure_ascii=False)


def test_golden_every_seed_found(summary: dict) -> None:
    """The scorer finds every document of the corpus in the graph."""
    assert summary["summary"]["found"] == summary["summary"]["documents"] == len(GOLD)


def test_golden_no_duplicate_entities(summary: dict) -> None:
    """No real entity gets two nodes within a document."""
    assert summary["summary"]["duplicates"] == 0


@pytest.mark.parametrize("kind", ["agencies", "platforms", "mechanisms"])
def test_golden_canonical_names(summary: dict, kind: str) -> None:
    """Matched entities carry their canonical name as rdfs:label."""
    assert summary["summary"][kind]["canonical"] >= 0.90
