"""Real pages: the real development set (``../shared/realdev``) built with ``kg build`` and scored.

Fifty openings of real 政务公开 pages from all over China (provinces, cities, counties, departments,
task tables, annual reports), exactly as the pages gave them, with gold per ANNOTATION.md. Issue #14's
targets (agencies 0.95, platforms 0.90, mechanisms 0.88, pairs 0.90, items 0.95, metadata 0.95,
resolution 0.95, no duplicates) are in ``TARGETS`` and asserted; the floors above them are what the
pipeline reaches now, less a small margin, and guard against regressions on real pages.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import ROOT, build_and_score

REALDEV = ROOT.parent / "shared" / "realdev"

TARGETS = {
    "agencies": 0.95,
    "platforms": 0.90,
    "mechanisms": 0.88,
    "pairs": 0.90,
    "items": 0.95,
    "resolution": 0.95,
    "metadata": 0.95,
}
# Measured on the whole set at the commit that set them (agencies 0.987, platforms 0.993, mechanisms
# 0.993, pairs 0.964, items 0.997, deadlines 1.0, resolution 0.973, metadata 0.993), minus 0.02;
# every one is at or above its target.
FLOORS = {
    "agencies": 0.967,
    "platforms": 0.973,
    "mechanisms": 0.973,
    "pairs": 0.944,
    "items": 0.977,
    "deadlines": 0.98,
    "resolution": 0.953,
    "metadata": 0.973,
}
MAX_DUPLICATES = 0

pytestmark = pytest.mark.skipif(
    not (REALDEV / "docs").is_dir(), reason=f"the real development set is not at {REALDEV}"
)

Summary = dict[str, Any]


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    """The whole real set built into a fresh store and scored with the scorer in tests/golden."""
    result: Summary = build_and_score(
        REALDEV / "docs", REALDEV / "gold", tmp_path_factory.mktemp("realdev")
    )["summary"]
    return result


def _value(summary: Summary, key: str) -> float:
    value = summary[key]
    return float(value["f1"] if isinstance(value, dict) else value)


@pytest.mark.parametrize(("key", "target"), sorted(TARGETS.items()))
def test_realdev_meets_target(summary: Summary, key: str, target: float) -> None:
    """Each figure of issue #14 on the real pages reaches its target."""
    assert _value(summary, key) >= target, json.dumps(summary, ensure_ascii=False)


@pytest.mark.parametrize(("key", "floor"), sorted(FLOORS.items()))
def test_realdev_meets_floor(summary: Summary, key: str, floor: float) -> None:
    """Each figure on the real pages stays at or above its floor."""
    assert _value(summary, key) >= floor, json.dumps(summary, ensure_ascii=False)


def test_realdev_every_document_built(summary: Summary) -> None:
    """Every real page is read and written: none is lost."""
    assert summary["found"] == summary["documents"] == len(list((REALDEV / "docs").glob("*.txt")))


def test_realdev_duplicates_bounded(summary: Summary) -> None:
    """One real entity is one node within a document."""
    assert summary["duplicates"] <= MAX_DUPLICATES, json.dumps(summary, ensure_ascii=False)

