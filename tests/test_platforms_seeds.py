"""Seed check: platforms and mechanisms found in the five seeds against the gold lists.

Run with ``-s`` to see precision/recall per seed. Gold entries marked optional
are neutral. Matching follows the scorer: labels compared without quotes and
whitespace, a system term matches a gold entry by its name or any surface.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.components.platforms import find_platforms
from extractors.components.schemes import TermMatch
from extractors.reading.normalize import normalize_str

GOLD = Path("/work/shared/gold")
SEEDS = Path("/work/shared/seeds")
pytestmark = pytest.mark.skipif(not GOLD.is_dir(), reason="gold annotations not available")


def _n(s: str) -> str:
    return re.sub(r"[\s“”‘’\"'「」『』《》]", "", unicodedata.normalize("NFKC", s))


def prf(found: list[TermMatch], gold: list[dict[str, object]]) -> tuple[int, int, int, list[str], list[str]]:
    """(tp, fp, fn, fp names, fn names) with the scorer's greedy label matching."""
    nodes: dict[str, set[str]] = {}
    for m in found:
        nodes.setdefault(m.key, set()).update({_n(m.name), _n(m.surface)})
    entries = [({_n(str(g["name"]))} | {_n(a) for a in g.get("aliases", [])}, g) for g in gold]  # type: ignore[attr-defined]
    used: set[str] = set()
    mapped: set[str] = set()
    for names, g in sorted(entries, key=lambda t: bool(t[1].get("optional"))):
        for key, labels in nodes.items():
            if key not in mapped and labels & names:
                mapped.add(key)
                used.add(str(g["name"]))
                break
    dup = {k for k, labels in nodes.items() if k not in mapped and any(labels & n for n, _ in entries)}
    fps = [k for k in nodes if k not in mapped and k not in dup]
    fns = [str(g["name"]) for _, g in entries if str(g["name"]) not in used and not g.get("optional")]
    tp = sum(1 for _, g in entries if str(g["name"]) in used and not g.get("optional"))
    return tp, len(fps), len(fns), fps, fns


def _run(kind: str, fn: Callable[[str], list[TermMatch]]) -> tuple[float, float]:
    tp = fp = fnn = 0
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text("utf-8"))
        text = normalize_str((SEEDS / gold["doc"]).read_text("utf-8"))
        t, f, n, fps, fns = prf(fn(text), gold[kind])
        tp, fp, fnn = tp + t, fp + f, fnn + n
        print(f"{kind} {gold['doc'][:3]}: tp={t} fp={f} fn={n}\n   FP {fps}\n   FN {fns}")
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fnn)
    print(f"{kind}: precision={p:.3f} recall={r:.3f}")
    return p, r


def test_platforms_seeds_recall() -> None:
    """find_platforms reaches the recall floor on the seeds."""
    p, r = _run("platforms", find_platforms)
    assert r >= 0.8 and p >= 0.6


def test_mechanisms_seeds_recall() -> None:
    """find_mechanisms reaches the recall floor on the seeds."""
    p, r = _run("mechanisms", find_mechanisms)
    assert r >= 0.8 and p >= 0.6
