"""Seed test: find_agencies over each seed against the gold agencies (run as a script for a report)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.components.agencies import AgencyContext, AgencyMatch, find_agencies
from extractors.reading.normalize import normalize_str

GOLD = Path("/work/shared/gold")
SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"


def context_of(meta: dict) -> AgencyContext:
    """The context the gold metadata implies."""
    return AgencyContext(
        jurisdiction=meta["jurisdiction"], level=None, issuer=meta["issuer"], year=meta["year"]
    )


def score_seed(gold_file: Path) -> dict:
    """tp/fp/fn of canonical agency names for one seed, the scorer's way (name or alias)."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = normalize_str((SEEDS / gold["doc"]).read_text(encoding="utf-8"))
    found = find_agencies(text, context_of(gold["metadata"]))
    entries = [({normalize_str(g["name"]), *map(normalize_str, g["aliases"])}, g) for g in gold["agencies"]]
    by_name: dict[str, list[AgencyMatch]] = {}
    for m in found:
        by_name.setdefault(m.name, []).append(m)
    matched: set[str] = set()
    fps: list[str] = []
    for name, ms in by_name.items():
        labels = {name} | {m.surface for m in ms}
        hits = [g for names, g in entries if names & labels]
        if hits:
            matched.update(g["name"] for g in hits if {normalize_str(g["name"])} & {name} or True)
        else:
            fps.append(f"{name} ({ms[0].surface})")
    fns = [g["name"] for g in gold["agencies"] if not g.get("optional") and g["name"] not in matched]
    tp = sum(1 for g in gold["agencies"] if not g.get("optional") and g["name"] in matched)
    canon = {m.name for m in found}
    wrong_canon = [g["name"] for g in gold["agencies"] if g["name"] in matched and g["name"] not in canon]
    return {
        "doc": gold["doc"],
        "tp": tp,
        "fp": len(fps),
        "fn": len(fns),
        "fps": fps,
        "fns": fns,
        "noncanonical": wrong_canon,
        "chars": len(text),
    }


SEED_GOLD = sorted(GOLD.glob("*.json")) if GOLD.exists() else []


@pytest.mark.skipif(not SEED_GOLD, reason="gold annotations not available")
@pytest.mark.parametrize("gold_file", SEED_GOLD, ids=lambda p: p.name[:3])
def test_agencies_seed_f1(gold_file):
    """Canonical agency names over each seed reach F1 >= 0.95 against the gold (optional entries neutral)."""
    r = score_seed(gold_file)
    p = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else 1.0
    rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else 1.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    assert f1 >= 0.95, (r["fps"], r["fns"])


if __name__ == "__main__":
    import time

    for f in sorted(GOLD.glob("*.json")):
        t = time.perf_counter()
        r = score_seed(f)
        dt = time.perf_counter() - t
        p = r["tp"] / (r["tp"] + r["fp"]) if r["tp"] + r["fp"] else 1.0
        rec = r["tp"] / (r["tp"] + r["fn"]) if r["tp"] + r["fn"] else 1.0
        print(
            f"{r['doc']}: P={p:.2f} R={rec:.2f} tp={r['tp']} fp={r['fp']} fn={r['fn']}",
            f"{r['chars'] / dt:.0f} chars/s",
        )
        for x in r["fps"]:
            print("   FP", x)
        for x in r["fns"]:
            print("   FN", x)
        for x in r["noncanonical"]:
            print("   NONCANON", x)
