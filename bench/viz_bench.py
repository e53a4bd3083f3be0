"""Visualisation: time and HTML size of neighbourhood views of about 100, 300 and 1,000 nodes."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from bench.measure import emit, progress

SIZES = (100, 300, 1000)
CENTRE = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
SELECT ?m (COUNT(?x) AS ?n) WHERE { ?x zwgk:concernsMechanism ?m } GROUP BY ?m ORDER BY DESC(?n) LIMIT 1"""


def run_viz(store_dir: Path, sizes: tuple[int, ...] = SIZES, repeats: int = 3) -> dict[str, Any]:
    """Build and render the 2-hop neighbourhood of the busiest mechanism, limited to each size.

    Time is the best of ``repeats`` runs, split into the store queries and the HTML rendering.
    """
    from kg.store import OxigraphStore
    from kg.viz import neighbourhood_network, render_html

    store = OxigraphStore.read_only(store_dir)
    centre = str(store.select(CENTRE)[0]["m"])
    progress(f"viz: neighbourhoods of {centre}")
    views = []
    for size in sizes:
        best: tuple[float, float, int, int] | None = None
        for _ in range(repeats):
            start = time.perf_counter()
            net = neighbourhood_network(store, centre, depth=3, node_limit=size)
            built = time.perf_counter()
            page = render_html(net)
            done = time.perf_counter()
            run = (built - start, done - built, len(net.nodes), len(page.encode("utf-8")))
            best = run if best is None or sum(run[:2]) < sum(best[:2]) else best
        assert best is not None
        views.append(
            {
                "node_limit": size,
                "nodes": best[2],
                "query_s": round(best[0], 3),
                "render_s": round(best[1], 3),
                "total_s": round(best[0] + best[1], 3),
                "html_kb": round(best[3] / 1024),
            }
        )
    return {"centre": centre, "depth": 3, "views": views}


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.viz_bench STORE_DIR``: measure and print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.viz_bench")
    parser.add_argument("store", type=Path)
    args = parser.parse_args(argv)
    emit(run_viz(args.store))


if __name__ == "__main__":
    main()
