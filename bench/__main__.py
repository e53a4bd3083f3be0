"""Run the benchmark suite: ``python -m bench`` (full: 1,000 and 10,000 documents) or ``--quick``.

Writes ``bench/results/results.json`` and ``bench/results/SUMMARY.md`` (a quick
run writes ``results-quick.json`` and ``SUMMARY-quick.md``) and prints the
summary. Generated corpora and stores live in ``bench/.corpus`` and ``bench/.work``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench.build_bench import measure_build
from bench.corpus import harvest, sources_fingerprint, write_corpus
from bench.measure import machine, progress, run_step
from bench.report import summary_markdown, targets

HERE = Path(__file__).parent
STEPS = ("build", "queries", "named-uncached", "endpoint", "load", "viz", "cold", "sizes", "segmenters")


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (50, 200) and short load runs")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 1000,10000; quick 50,200)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--only", default=",".join(STEPS), help=f"steps to run among {', '.join(STEPS)}")
    parser.add_argument("--duration", type=int, help="seconds per load scenario (default 10; quick 3)")
    parser.add_argument("--connections", type=int, default=16, help="connections of the load tool")
    parser.add_argument("--build-limit", type=float, help="stop each pipeline build after this many minutes")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    return parser.parse_args(argv)


def _corpora(sizes: list[int], seed: int) -> tuple[dict[int, Path], dict[str, Any]]:
    pieces = harvest()
    dirs, info = {}, {}
    for size in sizes:
        target = HERE / ".corpus" / f"n{size}-s{seed}"
        shutil.rmtree(target, ignore_errors=True)
        start = time.perf_counter()
        written = write_corpus(target, size, seed=seed, pieces=pieces)
        dirs[size] = target
        info[str(size)] = {
            "documents": written.documents,
            "characters": written.characters,
            "bytes": written.bytes,
            "mean_chars": round(written.characters / max(1, written.documents)),
            "layouts": written.layouts,
            "generate_s": round(time.perf_counter() - start, 2),
            "sources_fingerprint": sources_fingerprint(),
        }
        progress(f"corpus {size}: {written.characters:,} characters in {target}")
    return dirs, info


def _store_ready(store: Path) -> bool:
    return store.is_dir() and any(store.iterdir())


def run(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the selected steps and write the results; returns them."""
    args = _args(argv)
    sizes = [int(s) for s in (args.sizes or ("50,200" if args.quick else "1000,10000")).split(",")]
    duration = args.duration or (3 if args.quick else 10)
    steps = [s.strip() for s in args.only.split(",") if s.strip()]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "label": "quick" if args.quick else "full",
        "machine": machine(),
        "load_average": os.getloadavg(),
        "config": {
            "sizes": sizes,
            "seed": args.seed,
            "load_duration_s": duration,
            "connections": args.connections,
            "steps": steps,
            "build_limit_min": args.build_limit,
        },
    }
    corpora, results["corpus"] = _corpora(sizes, args.seed)
    store = args.work / f"store-{max(sizes)}"
    if "build" in steps:
        limit = args.build_limit * 60 if args.build_limit else None
        results["build"] = measure_build(corpora, args.work, args.results, args.quick, limit)
    ready = _store_ready(store)
    why = f"no built store at {store} (the build step failed or was not run)"
    common = [str(store), "--work", str(args.work)]
    if "queries" in steps:
        small = args.work / f"store-{min(sizes)}"
        query_args = [*common, *(["--baseline-store", str(small)] if _store_ready(small) else [])]
        results["queries"] = run_step("bench.query_bench", query_args, 3600.0) if ready else {"skipped": why}
    if "named-uncached" in steps:  # every named question over ≤ 200 distinct parameters (issue #19)
        named_args = [str(store)] if ready else []
        results["named_uncached"] = (
            run_step("bench.named_bench", named_args, 3600.0) if ready else {"skipped": why}
        )
    if "endpoint" in steps:  # /sparql beside the bare engine, the GROUP BY against rdflib (smallest store)
        small = args.work / f"store-{min(sizes)}"
        dump = args.work / f"dump-{min(sizes)}.nq"
        endpoint_args = [str(small), "--work", str(args.work), "--rdflib", str(dump)]
        results["endpoint"] = (run_step("bench.endpoint_bench", endpoint_args, 3600.0) if _store_ready(small)
                               else {"skipped": f"no built store at {small}"})
    if "load" in steps:
        load_args = ["load", *common, "--duration", str(duration), "--connections", str(args.connections)]
        results["load"] = run_step("bench.api_bench", load_args, 1800.0) if ready else {"skipped": why}
    if "viz" in steps:
        results["viz"] = run_step("bench.viz_bench", [str(store)], 900.0) if ready else {"skipped": why}
    if "cold" in steps:
        results["cold_start"] = (
            run_step("bench.api_bench", ["cold", *common], 900.0) if ready else {"skipped": why}
        )
    if "sizes" in steps:  # extraction time against document size (no corpus or store needed)
        sizes_args = ["--sizes", "0.25,0.5" if args.quick else "0.25,0.5,1,2"]
        results["sizes"] = run_step("bench.size_bench", sizes_args, 1800.0)
    if "segmenters" in steps:  # F1, speed and memory per segmenter on realdev + seeds (issue #18)
        from bench.segmenter_bench import measure as measure_segmenters

        results["segmenters"] = measure_segmenters()
    _carry_over(results, steps, args.results)
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["load_average_after"] = os.getloadavg()
    results["targets"] = targets(results)
    _write(results, args.results)
    return results


STEP_KEYS = {
    "build": "build", "queries": "queries", "named-uncached": "named_uncached", "endpoint": "endpoint",
    "load": "load", "viz": "viz",
    "cold": "cold_start", "sizes": "sizes", "segmenters": "segmenters",
}


def _carry_over(results: dict[str, Any], steps: list[str], out: Path) -> None:
    """Keep the previous results of the steps not run this time, saying so."""
    suffix = "-quick" if results["label"] == "quick" else ""
    path = out / f"results{suffix}.json"
    if not path.exists():
        return
    previous = json.loads(path.read_text(encoding="utf-8"))
    if any(step not in steps for step in STEP_KEYS):
        results["suite_elapsed_s"] = previous.get("suite_elapsed_s", previous.get("elapsed_s"))
    if "build" not in steps and "corpus" in previous:  # the figures carried over were built from it
        results["corpus"] = previous["corpus"]
    for step, key in STEP_KEYS.items():
        if step not in steps and key in previous:
            results[key] = previous[key]
            date = previous.get("carried_over_dates", {}).get(key, previous["machine"]["date"])
            results.setdefault("carried_over_dates", {})[key] = date


def _write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if results["label"] == "quick" else ""
    (out / f"results{suffix}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    text = summary_markdown(results, notes=out / "NOTES.md")
    (out / f"SUMMARY{suffix}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    run()
