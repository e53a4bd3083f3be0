"""Build throughput: raw segmentation baselines and the whole pipeline into the embedded store.

Each measurement runs in its own process (``python -m bench.build_bench STEP …``)
so that model memory is measured from a clean start:

- ``baseline --kind pkuseg|jieba|aho``: raw pkuseg / jieba segmentation of the
  corpus text (one core), and Aho–Corasick matching of the project's user
  dictionary over it;
- ``pipeline --workers N``: read → extract → map → write to an on-disk
  Oxigraph store with ``kg.build.build``, with the RSS of the main process and
  of each worker sampled during the run;
- ``profile``: pyinstrument over a small single-worker build, saved as HTML and text.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import MB, MemorySampler, emit, own_peak_mb, progress, run_step


def _texts(corpus: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]


def _lines(texts: list[str]) -> list[str]:
    return [line for text in texts for line in text.split("\n") if line.strip()]


def baseline_pkuseg(texts: list[str]) -> dict[str, Any]:
    """Raw pkuseg (default model, no user dictionary) over every line, as the pipeline cuts it."""
    start = time.perf_counter()
    import pkuseg

    seg = pkuseg.pkuseg()
    load = time.perf_counter() - start
    lines = _lines(texts)
    start = time.perf_counter()
    words = sum(len(seg.cut(line)) for line in lines)
    return {"load_s": round(load, 2), "cut_s": time.perf_counter() - start, "words": words}


def baseline_jieba(texts: list[str]) -> dict[str, Any]:
    """jieba precise mode with HMM over every line."""
    start = time.perf_counter()
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    load = time.perf_counter() - start
    lines = _lines(texts)
    start = time.perf_counter()
    words = sum(1 for line in lines for _ in tok.cut(line, HMM=True))
    return {"load_s": round(load, 2), "cut_s": time.perf_counter() - start, "words": words}


def baseline_aho(texts: list[str]) -> dict[str, Any]:
    """pyahocorasick matching of the project's user dictionary (or the place names) over the text."""
    import ahocorasick

    start = time.perf_counter()
    words = _dictionary()
    auto = ahocorasick.Automaton()
    for word in words:
        auto.add_word(word, word)
    auto.make_automaton()
    load = time.perf_counter() - start
    start = time.perf_counter()
    hits = sum(1 for text in texts for _ in auto.iter(text))
    return {
        "load_s": round(load, 2),
        "cut_s": time.perf_counter() - start,
        "words": hits,
        "dictionary_words": len(words),
    }


def _dictionary() -> tuple[str, ...]:
    try:
        from extractors.components.lexicon import user_dictionary

        return user_dictionary()
    except ImportError:
        from bench.corpus import _area_rows

        return tuple(sorted({r["名称"] for r in _area_rows()}))


BASELINES = {"pkuseg": baseline_pkuseg, "jieba": baseline_jieba, "aho": baseline_aho}


def run_baseline(kind: str, corpus: Path) -> dict[str, Any]:
    """One raw baseline over the corpus: seconds, characters/s, MB/s and peak memory."""
    texts = _texts(corpus)
    chars = sum(len(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    progress(f"baseline {kind}: {len(texts)} documents, {chars:,} characters")
    result = BASELINES[kind](texts)
    cut = result.pop("cut_s")
    return {
        **result,
        "kind": kind,
        "documents": len(texts),
        "characters": chars,
        "seconds": round(cut, 2),
        "chars_per_s": round(chars / cut),
        "mb_per_s": round(size / MB / cut, 2),
        "chars_per_s_with_load": round(chars / (cut + result["load_s"])),
        "peak_mb": own_peak_mb(),
    }


@dataclass
class _Progress:
    """Documents extracted so far, checkpoints, snapshots at ``marks`` and an optional time limit.

    A snapshot at ``m`` documents gives what a build of the first ``m`` documents measured:
    the corpus of a smaller size is a prefix of a larger one, so the 2-worker run at the
    largest size also gives the 2-worker figures of the smaller ones (one run, not two).
    """

    total: int
    limit_s: float | None = None
    marks: tuple[int, ...] = ()
    sampler: MemorySampler | None = None
    start: float = field(default_factory=time.perf_counter)
    cpu_start: float = field(default_factory=time.process_time)
    done: int = 0
    failed: int = 0
    checkpoints: list[tuple[int, float]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    stopped: bool = False
    extracted_at: float | None = None  # when the last document came out of the workers

    def extractor(self) -> Callable[[list[Path], int], Iterator[Any]]:
        """The default pipeline (workers extract and map), reporting every tenth; stops at the time limit."""

        def extract(paths: list[Path], workers: int) -> Iterator[Any]:
            from extractors.errors import InputError
            from kg.build import mapped_pipeline  # workers extract and map, as in ``kg build``

            report_every = max(1, self.total // 10)
            step = max(1, min([self.total, *self.marks]) // 10)  # checkpoints fine enough for every mark
            for result in mapped_pipeline(paths, workers):
                self.done += 1
                self.failed += isinstance(result, InputError)
                elapsed = time.perf_counter() - self.start
                if self.done % step == 0:
                    self.checkpoints.append((self.done, round(elapsed, 2)))
                if self.done % report_every == 0:
                    progress(f"  {self.done:,}/{self.total:,} documents, {self.done / elapsed:.2f} docs/s")
                if self.done in self.marks:
                    self._snapshot(elapsed)
                yield result
                if self.limit_s is not None and elapsed > self.limit_s:
                    self.stopped = True
                    progress(f"  time limit {self.limit_s:.0f} s reached after {self.done:,} documents")
                    break
            self.extracted_at = time.perf_counter()

        return extract

    def _snapshot(self, elapsed: float) -> None:
        memory = self.sampler.summary() if self.sampler else {}
        self.snapshots.append(
            {
                "documents": self.done,
                "seconds": round(elapsed, 2),
                "main_cpu_s": round(time.process_time() - self.cpu_start, 2),
                "failed": self.failed,
                "checkpoints": [c for c in self.checkpoints if c[0] <= self.done],
                "main_peak_mb": memory.get("main_peak_mb"),
                "worker_peaks_mb": memory.get("worker_peaks_mb", []),
            }
        )


def _prefix_run(snap: dict[str, Any], sizes: list[int], workers: int, total: int) -> dict[str, Any]:
    """The figures of a build of the first ``snap['documents']`` documents, from a snapshot of a longer run.

    The documents were extracted and handed to the writer by then; what a separate build would
    add is its last group and compaction (``finish_s`` is left empty), and its quad count.
    """
    done, seconds = snap["documents"], snap["seconds"]
    chars = sum(sizes[:done])
    return {
        "documents": done,
        "corpus_documents": done,
        "prefix_of": total,
        "partial": False,
        "workers": workers,
        "characters": chars,
        "seconds": seconds,
        "docs_per_s": round(done / seconds, 2),
        "chars_per_s": round(chars / seconds),
        "ms_per_doc": round(seconds * 1000 / done, 2),
        "checkpoints": snap["checkpoints"],
        "finish_s": None,
        "main_cpu_s": snap["main_cpu_s"],
        "main_busy_share": round(snap["main_cpu_s"] / seconds, 3),
        **_steady(snap["checkpoints"], sizes),
        "written": done - snap["failed"],
        "failed": snap["failed"],
        "failures": [],
        "triples": None,
        "main_peak_mb": snap["main_peak_mb"],
        "worker_peaks_mb": snap["worker_peaks_mb"],
    }


def run_pipeline(
    corpus: Path, store_dir: Path, workers: int, limit_s: float | None = None, marks: tuple[int, ...] = ()
) -> dict[str, Any]:
    """Build the corpus into a fresh on-disk store with ``workers`` extraction processes.

    With ``limit_s`` the build stops after that many seconds; the figures are then those
    of the documents done (``partial`` is set). For each of ``marks`` (document counts)
    the result's ``prefixes`` give the figures of the run's first that many documents.
    """
    from kg.build import build
    from kg.store import OxigraphStore

    shutil.rmtree(store_dir, ignore_errors=True)
    paths = sorted(corpus.glob("*.txt"))
    sizes = [len(p.read_text(encoding="utf-8")) for p in paths]
    progress(f"pipeline: {len(paths)} documents, {sum(sizes):,} characters, {workers} worker(s)")
    sampler = MemorySampler(interval=0.5)
    tracker = _Progress(len(paths), limit_s, tuple(m for m in marks if 0 < m < len(paths)), sampler)
    start, cpu = tracker.start, tracker.cpu_start
    with sampler.running():
        store = OxigraphStore(store_dir)
        report = build(paths, store, workers=workers, progress=False, extractor=tracker.extractor())
        store.close()
    end = time.perf_counter()
    seconds = end - start
    # the last bulk group and the compaction after the last document was extracted
    finish_s = end - tracker.extracted_at if tracker.extracted_at is not None else None
    main_cpu = time.process_time() - cpu  # the main process (and its store threads) only
    memory = sampler.summary()
    if workers <= 1:
        memory["worker_peaks_mb"] = [memory["main_peak_mb"]]
    done = max(1, tracker.done)
    chars = sum(sizes[:done])
    return {
        "documents": done,
        "corpus_documents": len(paths),
        "partial": tracker.stopped,
        "workers": workers,
        "characters": chars,
        "seconds": round(seconds, 2),
        "docs_per_s": round(done / seconds, 2),
        "chars_per_s": round(chars / seconds),
        "ms_per_doc": round(seconds * 1000 / done, 2),
        "checkpoints": tracker.checkpoints,
        "finish_s": round(finish_s, 2) if finish_s is not None else None,
        "main_cpu_s": round(main_cpu, 2),
        "main_busy_share": round(main_cpu / seconds, 3),
        **_steady(tracker.checkpoints, sizes),
        "written": len(report.written),
        "failed": len(report.failed),
        "failures": report.failed[:5],
        "triples": len(store),
        **memory,
        "prefixes": [_prefix_run(snap, sizes, workers, len(paths)) for snap in tracker.snapshots],
    }


def _steady(checkpoints: list[tuple[int, float]], sizes: list[int]) -> dict[str, Any]:
    """Rate after the first checkpoint (models loaded, workers started): the steady state of a long build."""
    if not checkpoints or checkpoints[-1][0] <= checkpoints[0][0]:
        return {}
    (first, at), (last, end) = checkpoints[0], checkpoints[-1]
    span = max(end - at, 1e-9)
    chars = sum(sizes[first:last])
    docs_per_s, chars_per_s = (last - first) / span, chars / span
    progress(f"  steady state after {first} documents: {docs_per_s:.2f} docs/s, {chars_per_s:,.0f} chars/s")
    return {"steady_docs_per_s": round(docs_per_s, 2), "steady_chars_per_s": round(chars_per_s)}


def run_profile(corpus: Path, n: int, out_dir: Path) -> dict[str, Any]:
    """pyinstrument over a single-worker build of the first ``n`` documents (HTML + text)."""
    from pyinstrument import Profiler

    from kg.build import build
    from kg.store import OxigraphStore

    paths = sorted(corpus.glob("*.txt"))[:n]
    profiler = Profiler(interval=0.002)
    profiler.start()
    store = OxigraphStore(None)
    build(paths, store, workers=1, progress=False)
    profiler.stop()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "build_profile.html").write_text(profiler.output_html(), encoding="utf-8")
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (out_dir / "build_profile.txt").write_text(text, encoding="utf-8")
    session = profiler.last_session
    seconds = round(session.duration, 2) if session else 0.0
    return {"documents": len(paths), "hot_spots": hot_spots(profiler), "seconds": seconds}


def _key(frame: Any) -> str:
    return f"{frame.function} ({Path(frame.file_path or '?').name}:{frame.line_no})"


def _self_times(frame: Any, totals: dict[str, float]) -> None:
    """Self time per function: time not in real callees (pyinstrument's synthetic frames count as self)."""
    real = [c for c in frame.children if not c.is_synthetic]
    own = frame.time - sum(c.time for c in real)
    totals[_key(frame)] = totals.get(_key(frame), 0.0) + max(own, 0.0)
    for child in real:
        _self_times(child, totals)


STAGE_PARENTS = ("extract_raw", "build", "ingest_record")


def _stages(frame: Any, totals: dict[str, float], inside: bool = False) -> None:
    """Inclusive time of the direct callees of the pipeline's stage functions, summed over calls."""
    for child in frame.children:
        if child.is_synthetic:
            continue
        if frame.function in STAGE_PARENTS:
            totals[_key(child)] = totals.get(_key(child), 0.0) + child.time
        _stages(child, totals)


def hot_spots(profiler: Any, top: int = 8) -> dict[str, list[dict[str, Any]]]:
    """The build's stages (callees of extract_raw, build, ingest_record) and the top self-time functions."""
    root = profiler.last_session.root_frame()
    total = root.time or 1.0
    selfs: dict[str, float] = {}
    stages: dict[str, float] = {}
    _self_times(root, selfs)
    _stages(root, stages)

    def ranked(values: dict[str, float]) -> list[dict[str, Any]]:
        best = sorted(values.items(), key=lambda kv: -kv[1])[:top]
        return [{"function": k, "seconds": round(v, 2), "share": round(v / total, 3)} for k, v in best]

    return {"stages": ranked(stages), "self": ranked(selfs)}


def measure_build(
    corpora: dict[int, Path], work: Path, results: Path, quick: bool, limit_s: float | None = None
) -> dict[str, Any]:
    """All build measurements: baselines on the smallest corpus, pipeline at 1 and 2 workers, profile.

    The 1-worker build runs on the smallest corpus, the 2-worker build on the largest, whose
    first documents (a smaller corpus is a prefix of a larger one) give the 2-worker figures of
    the smaller sizes: growth in time and memory is then read within one run.

    ``limit_s`` stops each pipeline build after that many seconds (its figures are then partial).
    """
    sizes = sorted(corpora)
    small, large = sizes[0], sizes[-1]
    timeout = 900.0 if not quick else 300.0
    out: dict[str, Any] = {"baselines": {}, "pipeline": []}
    for kind in ("pkuseg", "jieba", "aho"):
        out["baselines"][kind] = run_step(
            "bench.build_bench", ["baseline", kind, str(corpora[small])], timeout
        )
    # the 2-worker figures of the small corpus come from the large run's first documents
    runs = [(small, 1), (large, 2)]
    for size, workers in runs:
        args = [
            "pipeline",
            str(corpora[size]),
            "--workers",
            str(workers),
            "--store",
            str(work / f"store-{size}"),
            *(["--limit", str(limit_s)] if limit_s else []),
            *(["--marks", ",".join(str(s) for s in sizes if s < size)] if workers > 1 else []),
        ]
        result = run_step("bench.build_bench", args, (limit_s or 7200.0) + 600.0)
        result.setdefault("documents", size)
        result.setdefault("workers", workers)
        out["pipeline"].extend([*result.pop("prefixes", []), result])
    out["store_dir"] = str(work / f"store-{large}")
    out["profile"] = run_step(
        "bench.build_bench", ["profile", str(corpora[small]), "--out", str(results)], 600.0
    )
    return out


def main(argv: list[str] | None = None) -> None:
    """Entry point of one measuring step (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m bench.build_bench")
    sub = parser.add_subparsers(dest="step", required=True)
    base = sub.add_parser("baseline")
    base.add_argument("kind", choices=sorted(BASELINES))
    base.add_argument("corpus", type=Path)
    pipe = sub.add_parser("pipeline")
    pipe.add_argument("corpus", type=Path)
    pipe.add_argument("--workers", type=int, default=1)
    pipe.add_argument("--store", type=Path, required=True)
    pipe.add_argument("--limit", type=float, help="stop after this many seconds (partial figures)")
    pipe.add_argument("--marks", default="", help="comma-separated document counts to give figures at")
    prof = sub.add_parser("profile")
    prof.add_argument("corpus", type=Path)
    prof.add_argument("--n", type=int, default=50)
    prof.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.step == "baseline":
        emit(run_baseline(args.kind, args.corpus))
    elif args.step == "pipeline":
        marks = tuple(int(m) for m in args.marks.split(",") if m)
        emit(run_pipeline(args.corpus, args.store, args.workers, args.limit, marks))
    else:
        emit(run_profile(args.corpus, args.n, args.out))


if __name__ == "__main__":
    main()
