"""The benchmark reads the small corpus's 2-worker figures from the large run's first documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# bench/ is a top-level folder of the repo, not an installed package (see test_bench_corpus.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.build_bench import _prefix_run, _Progress
from bench.report import summary_markdown, targets


def _feed(progress: _Progress, n: int) -> list[object]:
    """Run the progress tracker over ``n`` fake results (no workers: the pipeline is replaced)."""
    import kg.build

    real = kg.build.mapped_pipeline
    kg.build.mapped_pipeline = lambda paths, workers: iter(range(n))  # type: ignore[assignment]
    try:
        return list(progress.extractor()([], 2))
    finally:
        kg.build.mapped_pipeline = real


def test_snapshot_taken_at_each_mark_with_checkpoints_up_to_it() -> None:
    progress = _Progress(total=200, marks=(50,))
    assert len(_feed(progress, 200)) == 200
    (snap,) = progress.snapshots
    assert snap["documents"] == 50
    # checkpoints every tenth of the smallest mark, and none after the mark in its snapshot
    assert [c[0] for c in snap["checkpoints"]] == [5 * i for i in range(1, 11)]
    assert progress.checkpoints[-1][0] == 200


def test_prefix_run_figures_are_those_of_its_documents() -> None:
    snap = {
        "documents": 4, "seconds": 2.0, "main_cpu_s": 1.0, "failed": 1,
        "checkpoints": [(2, 1.0), (4, 2.0)], "main_peak_mb": 300, "worker_peaks_mb": [900, 910],
    }
    sizes = [100, 200, 300, 400, 10_000]
    run = _prefix_run(snap, sizes, workers=2, total=5)
    assert run["characters"] == 1000 and run["chars_per_s"] == 500 and run["docs_per_s"] == 2.0
    assert run["written"] == 3 and run["prefix_of"] == 5 and run["triples"] is None
    assert run["steady_chars_per_s"] == 700  # documents 3 and 4 in the second after the first checkpoint


def _results(small_ms: float, large_ms: float, small_mb: int, large_mb: int) -> dict[str, Any]:
    def run(docs: int, ms: float, workers_mb: int, **extra: object) -> dict[str, object]:
        return {
            "documents": docs, "corpus_documents": docs, "workers": 2, "seconds": docs * ms / 1000,
            "docs_per_s": 1000 / ms, "chars_per_s": 20_000, "steady_docs_per_s": 1000 / ms,
            "steady_chars_per_s": 21_000, "ms_per_doc": ms, "worker_peaks_mb": [workers_mb, workers_mb],
            "main_peak_mb": 400, "main_busy_share": 0.5, "failed": 0, **extra,
        }

    return {
        "label": "full",
        "load_average": [0.0, 0.0, 0.0],
        "config": {"sizes": [1000, 10_000], "seed": 1},
        "elapsed_s": 60.0,
        "machine": {"date": "d", "git_commit": "c", "cpu": "cpu", "cores": 2, "memory_gb": 1, "python": "3"},
        "build": {
            "baselines": {},
            "pipeline": [
                run(1000, small_ms, small_mb, prefix_of=10_000, finish_s=None, triples=None),
                run(10_000, large_ms, large_mb, finish_s=75.0, triples=14_000_000),
            ],
        },
    }


def test_scaling_and_memory_targets_compare_the_prefix_with_the_whole_run() -> None:
    found = {t["target"]: t for t in targets(_results(100.0, 110.0, 1000, 1100))}
    assert found["linear scaling"]["met"] is True
    assert "one run" in found["linear scaling"]["measured"]
    assert found["flat memory"]["met"] is True
    slow = {t["target"]: t for t in targets(_results(100.0, 130.0, 1000, 1300))}
    assert slow["linear scaling"]["met"] is False and slow["flat memory"]["met"] is False


def test_summary_marks_the_prefix_row_and_leaves_its_unknowns_empty() -> None:
    results = _results(100.0, 110.0, 1000, 1100)
    results["targets"] = targets(results)
    text = summary_markdown(results)
    row = next(line for line in text.splitlines() if line.startswith("| 1,000 (first of the 10,000)"))
    assert "None" not in row
