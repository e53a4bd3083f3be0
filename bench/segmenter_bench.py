"""The segmenters compared in one run (issue #18): F1, build speed and peak memory per segmenter.

``python -m bench --only segmenters`` (or ``python -m bench.segmenter_bench``) measures, on the real
development documents and the seeds, for each of ``pkuseg``, ``jieba`` and ``char``:

- F1 of the graph built with that segmenter (``kg build`` + ``/work/shared/eval/score.py``-style
  scorer, the realdev set and the seeds separately);
- extraction speed in one process (one worker): characters of cleaned text per second after the
  pipeline is loaded, the load time, CPU seconds, and the process's peak RSS;

and, on the same cleaned text, raw pkuseg and raw jieba segmentation speed (no pipeline), so the
build can be stated as a multiple of raw segmentation. Every measurement is a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import ROOT, emit, own_peak_mb, progress, run_step

SEGMENTERS = ("pkuseg", "jieba", "char")
SHARED = Path(os.environ.get("ZWGK_SHARED", "/work/shared"))
SETS = {
    "realdev": (SHARED / "realdev" / "docs", SHARED / "realdev" / "gold"),
    "seeds": (SHARED / "seeds", SHARED / "gold"),
}


def _paths() -> list[Path]:
    from extractors.pipeline import expand_paths

    return expand_paths([docs for docs, _gold in SETS.values()])


def _clean_texts(paths: list[Path]) -> list[str]:
    from extractors.reading.clean import prepare
    from extractors.reading.readers import read_document

    return [prepare(read_document(p)).text for p in paths]


def one_segmenter(name: str) -> dict[str, Any]:
    """Extract every document with segmenter ``name`` in this process (one worker)."""
    start, cpu0 = time.perf_counter(), time.process_time()
    from extractors.pipeline import PipelineConfig, _nlp, extract

    config = PipelineConfig(segmenter=name)
    _nlp(name)("预热")  # load the segmenter and its user dictionary
    load = time.perf_counter() - start
    paths = _paths()
    chars = sum(len(t) for t in _clean_texts(paths))
    start, cpu1 = time.perf_counter(), time.process_time()
    for path in paths:
        extract(path, config)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu1
    return {
        "segmenter": name,
        "documents": len(paths),
        "characters": chars,
        "load_s": round(load, 2),
        "extract_s": round(seconds, 2),
        "chars_per_s": round(chars / seconds),
        "cpu_s": round(cpu, 2),
        "chars_per_cpu_s": round(chars / cpu),
        "cpu_with_load_s": round(time.process_time() - cpu0, 2),
        "peak_mb": own_peak_mb(),
    }


def raw_segmentation(kind: str) -> dict[str, Any]:
    """Raw pkuseg (default model) or jieba over the same cleaned text, line by line as pkuseg cuts it."""
    texts = _clean_texts(_paths())
    lines = [line for text in texts for line in text.split("\n") if line.strip()]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    if kind == "pkuseg":
        import pkuseg

        seg: Any = pkuseg.pkuseg()
        load = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        for line in lines:
            seg.cut(line)
    else:
        from extractors.components.segment import quiet_jieba_tokenizer

        tok = quiet_jieba_tokenizer()
        load = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        for line in lines:
            list(tok.cut(line, HMM=False))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "kind": kind,
        "characters": chars,
        "load_s": round(load, 2),
        "seconds": round(seconds, 2),
        "chars_per_s": round(chars / seconds),
        "cpu_s": round(cpu, 2),
        "chars_per_cpu_s": round(chars / cpu),
        "peak_mb": own_peak_mb(),
    }


def f1(name: str) -> dict[str, Any]:
    """Build each set with segmenter ``name`` and score it against its gold."""
    env = {**os.environ, "ZWGK_SEGMENTER": name, "PYTHONHASHSEED": "0"}
    kg = Path(sys.executable).with_name("kg")
    scorer = SHARED / "eval" / "score.py"
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, (docs, gold) in SETS.items():
            trig = Path(tmp) / f"{label}.trig"
            build = [str(kg), "build", str(docs), "--store", f"{tmp}/{label}", "-o", str(trig)]
            subprocess.run(build, env=env, cwd=ROOT, check=True, capture_output=True)
            score = subprocess.run(
                [sys.executable, str(scorer), str(trig), "--gold", str(gold), "--quiet"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            line = score.stdout.strip().splitlines()[-1]
            out[label] = {k: _num(v) for k, v in (p.split("=", 1) for p in line.split() if "=" in p)}
    return out


def _num(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value


def measure(segmenters: tuple[str, ...] = SEGMENTERS) -> dict[str, Any]:
    """All segmenters, each step in a fresh process."""
    out: dict[str, Any] = {"raw": {}, "segmenters": {}}
    for kind in ("pkuseg", "jieba"):
        progress(f"segmenters: raw {kind}")
        out["raw"][kind] = run_step("bench.segmenter_bench", ["raw", kind], 1800.0)
    for name in segmenters:
        progress(f"segmenters: extraction with {name}")
        row = run_step("bench.segmenter_bench", ["extract", name], 1800.0)
        progress(f"segmenters: F1 with {name}")
        row["f1"] = f1(name)
        raw = out["raw"]["pkuseg"].get("chars_per_cpu_s")
        if raw and "chars_per_cpu_s" in row:  # CPU time: the machine is shared, wall time is noisy
            row["x_raw_pkuseg"] = round(row["chars_per_cpu_s"] / raw, 2)
        out["segmenters"][name] = row
    return out


def table(result: dict[str, Any]) -> str:
    """The Markdown table of a :func:`measure` result."""
    head = (
        "| segmenter | realdev agencies / platforms / mechanisms / pairs | seeds agencies / platforms / "
        "mechanisms / pairs | duplicates realdev | extraction chars per CPU-s (× raw pkuseg) | load s "
        "| peak MB |"
    )
    rows = [head, "|" + "---|" * 7]
    keys = ("agencies_f1", "platforms_f1", "mechanisms_f1", "pairs_f1")
    for name, row in result["segmenters"].items():
        f = row.get("f1", {})
        cells = [" / ".join(str(f.get(s, {}).get(k, "?")) for k in keys) for s in ("realdev", "seeds")]
        rows.append(
            f"| {name} | {cells[0]} | {cells[1]} | {f.get('realdev', {}).get('duplicates', '?')} "
            f"| {row.get('chars_per_cpu_s', '?'):,} "
            f"({row.get('x_raw_pkuseg', '?')}×) | {row.get('load_s', '?')} | {row.get('peak_mb', '?')} |"
        )
    for kind, raw in result["raw"].items():
        rows.append(
            f"| raw {kind} (no pipeline) | | | | {raw.get('chars_per_cpu_s', '?'):,} "
            f"| {raw.get('load_s', '?')} | {raw.get('peak_mb', '?')} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """``extract NAME`` / ``raw KIND`` (one step, JSON on stdout) or ``all`` (the table)."""
    parser = argparse.ArgumentParser(prog="python -m bench.segmenter_bench", description=__doc__)
    parser.add_argument("step", choices=("all", "extract", "raw"), nargs="?", default="all")
    parser.add_argument("name", nargs="?")
    parser.add_argument("--out", type=Path, help="write the JSON result here (step all)")
    args = parser.parse_args(argv)
    if args.step == "extract":
        emit(one_segmenter(args.name))
    elif args.step == "raw":
        emit(raw_segmentation(args.name))
    else:
        result = measure()
        if args.out:
            args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(table(result))
        emit(result)


if __name__ == "__main__":
    main()
