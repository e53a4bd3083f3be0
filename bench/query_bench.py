"""Query latency on the largest graph: pyoxigraph, the project's layers, and rdflib as the baseline.

The same query text runs on

- ``pyoxigraph``: the raw embedded store (read-only view, union default graph);
- ``project store``: :class:`kg.store.OxigraphStore` ``select`` / :func:`kg.queries.run_named`;
- ``rdflib``: an in-memory ``Dataset`` (union default graph) parsed from the store's N-Quads dump;
- ``API``: the running service over HTTP (``/api/…`` routes and ``/sparql``), one client.

Named parameters are bound exactly as the project binds them (a ``VALUES`` block).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable, Sized
from functools import partial
from pathlib import Path
from typing import Any, cast

import httpx

from bench.measure import MB, emit, own_peak_mb, progress, timed
from bench.server import copy_store, running

QUERIES = Path(__file__).parent / "queries"
NAMED = ("agencies-for-mechanism", "agency-obligations", "document-diff")
GENERAL = ("selective-join", "group-by-obligations", "two-hop-construct")
BUDGET_S = 6.0  # time spent per (query, engine) at most, after the first run


def _rq(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _first_value(store: Any, name: str) -> str:
    rows = store.select(_rq(name))
    return str(rows[0]["label"]) if rows else ""


def pick_parameters(store: Any, source_files: list[str]) -> dict[str, str]:
    """Parameters for the timed queries, picked from the graph itself (busiest mechanism and agency)."""
    return {
        "mechanism": _first_value(store, "pick-mechanism"),
        "agency": _first_value(store, "pick-agency"),
        "before": source_files[0],
        "after": source_files[1] if len(source_files) > 1 else source_files[0],
    }


def query_texts(params: dict[str, str]) -> dict[str, str]:
    """The SPARQL text of every timed query, with its parameters bound as the project binds them."""
    from kg.queries import bind_params, load_query
    from kg.store import _values_clause  # the exact text the project's store sends

    named_params = {
        "agencies-for-mechanism": {"mechanism": params["mechanism"]},
        "agency-obligations": {"agency": params["agency"]},
        "document-diff": {"before": params["before"], "after": params["after"]},
    }
    texts = {}
    for name, values in named_params.items():
        query = load_query(name)
        texts[name] = _values_clause(query.sparql, bind_params(query, values))
    subs = {"$SOURCE_FILE": params["before"], "$MECHANISM": params["mechanism"]}
    for name in GENERAL:
        text = _rq(name)
        for key, value in subs.items():
            text = text.replace(key, value)
        texts[name] = text
    return texts


def _time(fn: Callable[[], object]) -> dict[str, Any]:
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    repeat = max(3, min(200, int(BUDGET_S / max(first, 1e-4))))
    stats = timed(fn, repeat=repeat, warmup=0)
    stats["first_ms"] = round(first * 1000, 3)
    stats["rows"] = _size(result)
    return stats


def _size(result: object) -> int:
    if isinstance(result, Sized):
        return len(result)
    return sum(1 for _ in cast(Iterable[object], result))


def _oxigraph_runner(path: Path) -> Callable[[str], Callable[[], object]]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(path))
    return lambda text: lambda: list(store.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]


def _rdflib_dataset(dump: Path) -> tuple[Any, float, int]:
    import rdflib

    before = own_peak_mb()
    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(dump), format="nquads")
    return dataset, time.perf_counter() - start, own_peak_mb() - before


def _project_runners(path: Path, params: dict[str, str]) -> dict[str, Callable[[], object]]:
    from kg.queries import run_named
    from kg.store import OxigraphStore

    store = OxigraphStore.read_only(path)
    named = {
        "agencies-for-mechanism": {"mechanism": params["mechanism"]},
        "agency-obligations": {"agency": params["agency"]},
        "document-diff": {"before": params["before"], "after": params["after"]},
    }
    return {name: partial(run_named, store, name, p) for name, p in named.items()}


def _api_runners(url: str, texts: dict[str, str], params: dict[str, str]) -> dict[str, Callable[[], object]]:
    client = httpx.Client(base_url=url, timeout=120.0)

    def get(path: str, **query: str) -> Callable[[], object]:
        def call() -> object:
            reply = client.get(path, params=query)
            reply.raise_for_status()
            return reply.content.splitlines()

        return call

    routes = {
        "agencies-for-mechanism": get(f"/api/mechanisms/{params['mechanism']}/agencies"),
        "agency-obligations": get(f"/api/agencies/{params['agency']}/obligations"),
        "document-diff": get("/api/diff", a=params["before"], b=params["after"]),
    }
    for name in GENERAL:
        routes[f"sparql:{name}"] = get("/sparql", query=texts[name])
    return routes


def run_queries(store_dir: Path, work: Path, with_api: bool = True) -> dict[str, Any]:
    """Time every query on every engine; the rdflib load time and memory are reported too."""
    import pyoxigraph as ox

    from kg.store import OxigraphStore

    project = OxigraphStore.read_only(store_dir)
    files = [
        str(r["f"])
        for r in project.select(
            "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f LIMIT 2"
        )
    ]
    params = pick_parameters(project, files)
    texts = query_texts(params)
    raw = ox.Store.read_only(str(store_dir))
    triples = len(raw)
    progress(f"queries: {triples:,} quads; parameters {params}")
    out: dict[str, Any] = {"quads": triples, "parameters": params, "engines": {}}
    oxi = _oxigraph_runner(store_dir)
    out["engines"]["pyoxigraph"] = {name: _time(oxi(text)) for name, text in texts.items()}
    out["engines"]["project"] = {name: _time(fn) for name, fn in _project_runners(store_dir, params).items()}
    for name in GENERAL:
        out["engines"]["project"][name] = _time(partial(_query_raw, project, texts[name]))
    if with_api:
        out["engines"]["api"] = _api_times(store_dir, work, texts, params)
    dump = work / "graph.nq"
    raw.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    progress(f"rdflib: parsing {dump.stat().st_size / MB:.0f} MB of N-Quads")
    dataset, load_s, mem = _rdflib_dataset(dump)
    out["rdflib_load_s"] = round(load_s, 1)
    out["rdflib_memory_mb"] = mem
    out["engines"]["rdflib"] = {name: _time(partial(_rdflib_query, dataset, t)) for name, t in texts.items()}
    dump.unlink()
    out["speedup_vs_rdflib"] = _speedups(out["engines"])
    return out


def _query_raw(store: Any, text: str) -> object:
    """The project store's serialising query, as ``/sparql`` uses it."""
    graph = "CONSTRUCT" in text
    return store.query_raw(text, "application/n-triples" if graph else "application/sparql-results+json")


def _rdflib_query(dataset: Any, text: str) -> list[object]:
    return list(dataset.query(text))


def _api_times(store_dir: Path, work: Path, texts: dict[str, str], params: dict[str, str]) -> dict[str, Any]:
    copy = copy_store(store_dir, work / "store-api-latency")
    try:
        with running(copy, query_workers=2) as server:
            return {name: _time(fn) for name, fn in _api_runners(server.url, texts, params).items()}
    except (RuntimeError, httpx.HTTPError) as err:
        return {"skipped": f"API not measurable: {err}"}


def _speedups(engines: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """rdflib p50 over each engine's p50, per query (the API's SPARQL routes under their query name)."""
    base = engines.get("rdflib", {})
    out: dict[str, dict[str, float]] = {}
    for engine, results in engines.items():
        if engine == "rdflib" or "skipped" in results:
            continue
        for name, stats in results.items():
            key = name.removeprefix("sparql:")
            if key in base and stats.get("p50_ms"):
                out.setdefault(engine, {})[key] = round(base[key]["p50_ms"] / stats["p50_ms"], 1)
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.query_bench STORE_DIR --work DIR``: time the queries and print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.query_bench")
    parser.add_argument("store", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--no-api", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    emit(run_queries(args.store, args.work, with_api=not args.no_api))


if __name__ == "__main__":
    main()
