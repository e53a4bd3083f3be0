"""Shared fixtures: the example corpus, extracted once and built into a store once per session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"
# The scorer matches greedily over sets: fix the hash seed so a score is reproducible.
SCORER_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The five example documents shipped in corpus/seeds."""
    assert SEEDS, "corpus/seeds is empty"
    return SEEDS


@pytest.fixture(scope="session")
def seed_records(seed_paths: list[Path]) -> dict[str, object]:
    """Each seed extracted by the default pipeline, by file name."""
    from extractors.pipeline import extract

    return {p.name: extract(p) for p in seed_paths}


@pytest.fixture(scope="session")
def seed_store_dir(
    tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path], seed_records: dict[str, object]
) -> Path:
    """An on-disk Oxigraph store holding the seeds' graph (closed, ready to be opened)."""
    from kg.build import ingest_record
    from kg.store import OxigraphStore

    path = tmp_path_factory.mktemp("seed-store") / "store"
    store = OxigraphStore(path)
    for record in seed_records.values():
        ingest_record(store, record)  # type: ignore[arg-type]
    store.close()
    return path


@pytest.fixture(scope="session")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> object:
    """An in-memory store of 40 generated documents built by ``kg build`` (bench/corpus.py: three
    layouts, many places and years), with its link and summary graphs; read, never written."""
    from bench.corpus import write_corpus
    from kg.build import build
    from kg.store import OxigraphStore

    docs = tmp_path_factory.mktemp("generated-corpus")
    write_corpus(docs, 40, seed=19)
    store = OxigraphStore(None)
    build([docs], store, progress=False)
    return store


@pytest.fixture(scope="session")
def seed_trig(tmp_path_factory: pytest.TempPathFactory, seed_store_dir: Path) -> Path:
    """The seeds' graph exported as TriG."""
    from kg.store import OxigraphStore

    out = tmp_path_factory.mktemp("seed-graph") / "graph.trig"
    store = OxigraphStore.read_only(seed_store_dir)
    store.dump(out)
    store.close()
    return out


def build_and_score(docs: Path, gold: Path, tmp: Path) -> dict[str, Any]:
    """Build ``docs`` with ``kg build`` into a fresh store under ``tmp`` and score it against ``gold``.

    Returns the scorer's JSON (``summary`` and per-``documents`` results).
    """
    graph = tmp / "g.trig"
    kg = Path(sys.executable).with_name("kg")
    build = [str(kg), "build", str(docs), "--store", str(tmp / "store"), "-o", str(graph)]
    subprocess.run(build, check=True, capture_output=True, cwd=ROOT)
    out = tmp / "score.json"
    score = [
        sys.executable,
        str(GOLDEN / "score.py"),
        str(graph),
        "--gold",
        str(gold),
        "--json",
        str(out),
        "--quiet",
    ]
    subprocess.run(score, check=True, capture_output=True, cwd=ROOT, env=SCORER_ENV)
    result: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return result
