"""Extraction time against document size: one document made of the seeds repeated to 0.25–2 MB.

Each size is extracted once (after a warm-up on one seed, so model loading is not
counted) in a fresh process; the result gives CPU and wall seconds and CPU
milliseconds per KB. Linear extraction keeps ms/KB flat across the sizes;
before the term resolution was bounded (2026-12) it was 10 → 56 ms/KB from
0.25 to 2 MB.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import ROOT, emit, own_peak_mb, progress

SIZES_MB = (0.25, 0.5, 1.0, 2.0)


def sized_document(size_bytes: int) -> bytes:
    """The seeds joined and repeated, cut at a line end just under ``size_bytes`` (UTF-8)."""
    seeds = b"\n".join(p.read_bytes() for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt")))
    data = (seeds * (size_bytes // len(seeds) + 1))[:size_bytes]
    return data[: data.rfind(b"\n")]


def run_sizes(sizes_mb: tuple[float, ...] = SIZES_MB) -> dict[str, Any]:
    """Extract a document of each size; CPU and wall time, ms per KB, items found."""
    from extractors.pipeline import extract

    extract(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0])  # load the models first
    rows = []
    with tempfile.TemporaryDirectory(prefix="zwgk-sizes-") as tmp:
        for size in sizes_mb:
            path = Path(tmp) / f"size-{size}MB.txt"
            path.write_bytes(sized_document(int(size * 1024 * 1024)))
            kb = path.stat().st_size / 1024
            wall, cpu = time.perf_counter(), time.process_time()
            record = extract(path)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rows.append({
                "mb": size, "kb": round(kb), "characters": len(record.original),
                "cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "cpu_ms_per_kb": round(cpu * 1000 / kb, 2),
                "items": len(record.items),
            })
            progress(f"sizes: {size} MB in {cpu:.1f} s CPU ({cpu * 1000 / kb:.1f} ms/KB)")
    return {"sizes": rows, "peak_rss_mb": own_peak_mb()}


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.size_bench [--sizes 0.25,0.5,1,2]``: measure and print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.size_bench")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES_MB)), help="document sizes in MB")
    args = parser.parse_args(argv)
    emit(run_sizes(tuple(float(s) for s in args.sizes.split(","))))


if __name__ == "__main__":
    main()
