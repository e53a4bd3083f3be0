"""Measuring helpers for the benchmarks: timers, percentiles, memory sampling, subprocess steps."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values`` by linear interpolation; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> dict[str, float]:
    """Run ``fn`` ``warmup`` + ``repeat`` times; p50/p95/mean of the timed runs in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "mean_ms": round(sum(samples) / len(samples), 3),
        "runs": repeat,
    }


@dataclass
class MemorySampler:
    """Samples the RSS of this process and of its child processes in a background thread."""

    interval: float = 0.25
    main_peak: int = 0
    child_peaks: dict[int, int] = field(default_factory=dict)
    series: list[tuple[float, int, int]] = field(default_factory=list)  # (t, main rss, children rss)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _sample(self, proc: psutil.Process, start: float) -> None:
        main = proc.memory_info().rss
        self.main_peak = max(self.main_peak, main)
        total = 0
        for child in proc.children(recursive=True):
            try:
                rss = child.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            self.child_peaks[child.pid] = max(self.child_peaks.get(child.pid, 0), rss)
        self.series.append((round(time.perf_counter() - start, 2), main, total))

    def _run(self) -> None:
        proc = psutil.Process()
        start = time.perf_counter()
        while not self._stop.is_set():
            self._sample(proc, start)
            self._stop.wait(self.interval)

    @contextmanager
    def running(self) -> Iterator[MemorySampler]:
        """Sample while the ``with`` block runs."""
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()

    def summary(self) -> dict[str, Any]:
        """Peaks in MB: the main process, each worker, and RSS at each quarter of the run (flatness)."""
        quarters = []
        if self.series:
            for q in (0.25, 0.5, 0.75, 1.0):
                t, main, kids = self.series[min(len(self.series) - 1, int(q * (len(self.series) - 1)))]
                quarters.append({"t": t, "main_mb": round(main / MB), "workers_mb": round(kids / MB)})
        return {
            "main_peak_mb": round(self.main_peak / MB),
            "worker_peaks_mb": sorted(round(v / MB) for v in self.child_peaks.values()),
            "rss_by_quarter": quarters,
        }


def run_step(module: str, args: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run ``python -m module args`` in a fresh process; its last stdout line is a JSON result.

    The child's own peak RSS (``ru_maxrss``) is added as ``process_peak_mb``.
    """
    cmd = [sys.executable, "-m", module, *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tail: deque[str] = deque(maxlen=3)
    relay = threading.Thread(target=_relay, args=(proc, tail), daemon=True)
    relay.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    code = proc.wait()
    killer.cancel()
    relay.join()
    lines = out.strip().splitlines()
    if code != 0 or not lines:
        why = f"killed after {timeout:.0f} s" if code == -9 else " | ".join(tail)
        return {"skipped": f"step failed ({module} {' '.join(args)}): {why}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _relay(proc: subprocess.Popen[str], tail: deque[str]) -> None:
    """Pass a step's stderr through (progress lines) and keep its last lines for error messages."""
    assert proc.stderr is not None
    for line in proc.stderr:
        sys.stderr.write(line)
        if line.strip():
            tail.append(line.strip())


def own_peak_mb() -> int:
    """Peak RSS of this process so far (Linux ``ru_maxrss`` is in KiB)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def machine() -> dict[str, Any]:
    """The machine, interpreter and commit the figures were measured on."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "git_commit": commit.stdout.strip(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def emit(result: dict[str, Any]) -> None:
    """Print a step's result as the last line of stdout (read by :func:`run_step`)."""
    sys.stdout.flush()
    print(json.dumps(result, ensure_ascii=False))


def progress(message: str) -> None:
    """A progress line on stderr with the time of day."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
