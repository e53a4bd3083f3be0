"""Query latency on the largest graph: pyoxigraph, the project's layers, and rdflib as the baseline.

The same query text runs on

- ``pyoxigraph``: the raw embedded store (opened normally, union default graph);
- ``project store``: :class:`kg.store.OxigraphStore` ``select`` / :func:`kg.queries.run_named`;
- ``rdflib``: an in-memory ``Dataset`` (union default graph) parsed from the store's N-Quads dump;
- ``API``: the running service over HTTP (``/api/…`` routes and ``/sparql``), one client.

Named parameters are bound exactly as the project binds them (a ``VALUES`` block).
"""

from __future__ import annotations

import argparse
import json
import queue
import signal
import subprocess
import sys
import threading
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
SOURCE_FILE = "https://w3id.org/zwgk/ontology#sourceFile"
ENGINES = ("pyoxigraph", "pyoxigraph-memory", "project")
GENERAL = ("selective-join", "group-by-obligations", "two-hop-construct")
BUDGET_S = 3.0  # time spent per (query, engine) after the first run, roughly
CAP_S = 20.0  # a single run longer than this is stopped and reported as such (rdflib only)
MEMORY_COPY_MAX_QUADS = 3_000_000  # an in-memory copy of 14.7 M quads takes minutes and ~10 GB
RDFLIB_MAX_QUADS = 2_500_000  # beyond this, rdflib (≈1.5 KB per quad) runs on the smaller graph


def _rq(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _median_value(store: Any, name: str) -> str:
    rows = store.select(_rq(name))
    return str(rows[len(rows) // 2]["label"]) if rows else ""


def pick_parameters(store: Any, source_files: list[str]) -> dict[str, str]:
    """Parameters for the timed queries, picked from the graph: the median mechanism and agency by use."""
    return {
        "mechanism": _median_value(store, "pick-mechanism"),
        "agency": _median_value(store, "pick-agency"),
        "before": source_files[0],
        "after": source_files[1] if len(source_files) > 1 else source_files[0],
    }


def query_texts(params: dict[str, str]) -> dict[str, str]:
    """The SPARQL text of every timed query, with its parameters bound as the project binds them."""
    from kg.queries import bind_params, load_query
    from kg.store import values_clause  # the exact text the project's store sends

    named_params = {
        "agencies-for-mechanism": {"mechanism": params["mechanism"]},
        "agency-obligations": {"agency": params["agency"]},
        "document-diff": {"before": params["before"], "after": params["after"]},
    }
    texts = {}
    for name, values in named_params.items():
        query = load_query(name)
        texts[name] = values_clause(query.sparql, bind_params(query, values))
    subs = {"$SOURCE_FILE": params["before"], "$MECHANISM": params["mechanism"]}
    for name in GENERAL:
        text = _rq(name)
        for key, value in subs.items():
            text = text.replace(key, value)
        texts[name] = text
    return texts


class _Overtime(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise _Overtime


def _time(fn: Callable[[], object], cap_s: float | None = None) -> dict[str, Any]:
    """p50/p95 of ``fn``: a first run, then as many as fit in the budget (3 to 100).

    With ``cap_s`` (pure-Python engines only: the alarm interrupts Python code) a first
    run longer than that is stopped and reported as ``over_s``.
    """
    start = time.perf_counter()
    if cap_s:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, cap_s)
    try:
        result = fn()
    except _Overtime:
        return {"over_s": cap_s or CAP_S, "p50_ms": None, "p95_ms": None, "runs": 0}
    finally:
        if cap_s:
            signal.setitimer(signal.ITIMER_REAL, 0)
    first = time.perf_counter() - start
    if first >= BUDGET_S:
        ms = round(first * 1000, 3)
        return {"p50_ms": ms, "p95_ms": ms, "mean_ms": ms, "runs": 1, "first_ms": ms, "rows": _size(result)}
    stats = timed(fn, repeat=max(3, min(100, int(BUDGET_S / max(first, 1e-4)))), warmup=0)
    stats["first_ms"] = round(first * 1000, 3)
    stats["rows"] = _size(result)
    return stats


def _size(result: object) -> int:
    if isinstance(result, Sized):
        return len(result)
    return sum(1 for _ in cast(Iterable[object], result))


def _oxigraph_runner(path: Path, dump: Path | None = None) -> Callable[[str], Callable[[], object]]:
    """Raw pyoxigraph on the on-disk store (opened normally, as ``kg`` and the API's query workers
    open it: a read-only RocksDB view answers aggregates about 3× slower), or in memory, loaded
    from ``dump`` (the store's N-Quads, written once for this and for rdflib)."""
    import pyoxigraph as ox

    if dump is None:
        store = ox.Store(str(path))
    else:
        store = ox.Store()
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return lambda text: lambda: list(store.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]


def _rdflib_dataset(dump: Path) -> tuple[Any, float, int]:
    import rdflib

    before = own_peak_mb()
    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(dump), format="nquads")
    return dataset, time.perf_counter() - start, own_peak_mb() - before


def _project_runners(store: Any, params: dict[str, str]) -> dict[str, Callable[[], object]]:
    from kg.queries import run_named

    named = {
        "agencies-for-mechanism": {"mechanism": params["mechanism"]},
        "agency-obligations": {"agency": params["agency"]},
        "document-diff": {"before": params["before"], "after": params["after"]},
    }
    return {name: partial(run_named, store, name, p) for name, p in named.items()}


def _api_runners(url: str, texts: dict[str, str], params: dict[str, str]) -> dict[str, Callable[[], object]]:
    client = httpx.Client(base_url=url, timeout=CAP_S)

    def get(path: str, **query: str) -> Callable[[], object]:
        def call() -> object:
            try:
                reply = client.get(path, params=query)
            except httpx.TimeoutException:
                raise _Overtime from None
            reply.raise_for_status()
            return reply.content.splitlines()

        return call

    routes = {
        "agencies-for-mechanism": get(f"/api/mechanisms/{params['mechanism']}/agencies", limit="20"),
        "agency-obligations": get(f"/api/agencies/{params['agency']}/obligations", limit="20"),
        "document-diff": get("/api/diff", a=params["before"], b=params["after"]),
    }
    for name in GENERAL:
        routes[f"sparql:{name}"] = get("/sparql", query=texts[name])
    return routes


def _source_files(store: Any) -> list[str]:
    rows = store.select(f"SELECT ?f WHERE {{ ?d <{SOURCE_FILE}> ?f }} ORDER BY ?f LIMIT 2")
    return [str(r["f"]) for r in rows]


def engine_runners(
    engine: str, store_dir: Path, params: dict[str, str], dump: Path | None = None
) -> dict[str, Callable[[], object]]:
    """One callable per query for ``engine`` on ``store_dir`` (``pyoxigraph-memory``: on ``dump``)."""
    from kg.store import OxigraphStore

    texts = query_texts(params)
    if engine in ("pyoxigraph", "pyoxigraph-memory"):
        oxi = _oxigraph_runner(store_dir, dump if engine == "pyoxigraph-memory" else None)
        return {name: oxi(text) for name, text in texts.items()}
    project = OxigraphStore(store_dir)  # as `kg query` opens it
    runners = _project_runners(project, params)
    for name in GENERAL:
        runners[name] = partial(_query_raw, project, texts[name])
    return runners


def _engine_child(
    engine: str, store_dir: Path, params: dict[str, str], names: list[str], dump: Path | None
) -> None:
    """In a child process: time ``names`` one after the other, one JSON line each as soon as done."""
    runners = engine_runners(engine, store_dir, params, dump)
    for name in names:
        print(json.dumps({"name": name, "stats": _time(runners[name])}), flush=True)


def time_engine(
    engine: str, store_dir: Path, params: dict[str, str], cap_s: float = CAP_S, dump: Path | None = None
) -> dict[str, Any]:
    """Time every query of ``engine`` in a child process; a query still running after ``cap_s`` is
    stopped (the child is killed) and reported as ``over_s``, and the others go on in a new child."""
    remaining = [*NAMED, *GENERAL]
    out: dict[str, Any] = {}
    while remaining:
        cmd = [
            sys.executable,
            "-m",
            "bench.query_bench",
            "engine",
            str(store_dir),
            "--engine",
            engine,
            "--params",
            json.dumps(params),
            "--names",
            ",".join(remaining),
            *(["--dump", str(dump)] if dump is not None else []),
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(proc, lines), daemon=True).start()
        while remaining:
            try:
                line = lines.get(timeout=cap_s * 2 + BUDGET_S + 15)  # first run, repeats, start-up
            except queue.Empty:
                proc.kill()
                out[remaining.pop(0)] = {"over_s": cap_s, "p50_ms": None, "p95_ms": None, "runs": 0}
                break
            if line is None:  # the child ended early: report what is left as failed
                for name in remaining:
                    out[name] = {"failed": f"exit code {proc.wait()}", "p50_ms": None, "p95_ms": None}
                remaining = []
                break
            done = json.loads(line)
            out[done["name"]] = done["stats"]
            remaining.remove(done["name"])
        proc.wait()
    return out


def _pump(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("{"):
            lines.put(line)
    lines.put(None)


def time_engines(store_dir: Path, params: dict[str, str], dump: Path | None = None) -> dict[str, Any]:
    """p50/p95 of every query on raw pyoxigraph and through the project's store and named-query layers.

    The in-memory copy (``pyoxigraph-memory``) is timed when a ``dump`` of the store is given.
    """
    engines = [e for e in ENGINES if e != "pyoxigraph-memory" or dump is not None]
    return {engine: time_engine(engine, store_dir, params, dump=dump) for engine in engines}


def dump_store(store_dir: Path, work: Path) -> Path:
    """The store's N-Quads in ``work`` (read by the in-memory copy and by rdflib)."""
    import pyoxigraph as ox

    dump = work / f"{store_dir.name}.nq"
    ox.Store.read_only(str(store_dir)).dump(str(dump), format=ox.RdfFormat.N_QUADS)
    return dump


def time_rdflib(dump: Path, texts: dict[str, str]) -> dict[str, Any]:
    """Parse a store's N-Quads dump into an rdflib Dataset and time every query on it."""
    progress(f"rdflib: parsing {dump.stat().st_size / MB:.0f} MB of N-Quads ({dump.name})")
    dataset, load_s, mem = _rdflib_dataset(dump)
    progress(f"rdflib: parsed in {load_s:.0f} s; timing queries (each stopped after {CAP_S:.0f} s)")
    times = {name: _time(partial(_rdflib_query, dataset, t), cap_s=CAP_S) for name, t in texts.items()}
    return {"load_s": round(load_s, 1), "memory_mb": mem, "times": times}


def run_queries(
    store_dir: Path, work: Path, baseline_store: Path | None = None, with_api: bool = True
) -> dict[str, Any]:
    """Time every query on the largest graph, then compare with rdflib on a graph it can hold.

    rdflib runs on ``store_dir`` when it has at most ``RDFLIB_MAX_QUADS`` quads, else on
    ``baseline_store`` (a smaller build), where pyoxigraph and the project layers are timed again
    so that the speed-ups compare like with like.
    """
    import pyoxigraph as ox

    from kg.store import OxigraphStore

    project = OxigraphStore.read_only(store_dir)
    params = pick_parameters(project, _source_files(project))
    texts = query_texts(params)
    quads = len(ox.Store.read_only(str(store_dir)))
    progress(f"queries: {quads:,} quads; parameters {params}")
    out: dict[str, Any] = {"graph": store_dir.name, "quads": quads, "parameters": params}
    dump = dump_store(store_dir, work) if quads <= MEMORY_COPY_MAX_QUADS else None
    out["engines"] = time_engines(store_dir, params, dump)
    if with_api:
        out["engines"]["api"] = _api_times(store_dir, work, texts, params)
    same: dict[str, Any] = {"graph": store_dir.name, "quads": quads}
    engines = dict(out["engines"])
    rdf_store = store_dir
    if quads > RDFLIB_MAX_QUADS and baseline_store is not None:
        rdf_store = baseline_store
        small = OxigraphStore.read_only(baseline_store)
        small_params = pick_parameters(small, _source_files(small))
        texts = query_texts(small_params)
        same = {
            "graph": baseline_store.name,
            "quads": len(ox.Store.read_only(str(baseline_store))),
            "parameters": small_params,
        }
        progress(f"queries: rdflib comparison on {baseline_store.name} ({same['quads']:,} quads)")
        if dump is not None:
            dump.unlink()
        dump = dump_store(baseline_store, work) if same["quads"] <= MEMORY_COPY_MAX_QUADS else None
        engines = time_engines(baseline_store, small_params, dump)
    dump = dump or dump_store(rdf_store, work)
    rdf = time_rdflib(dump, texts)
    dump.unlink()
    out["rdflib_load_s"], out["rdflib_memory_mb"] = rdf["load_s"], rdf["memory_mb"]
    engines["rdflib"] = rdf["times"]
    same["engines"] = engines
    out["comparison"] = same
    out["speedup_vs_rdflib"] = _speedups(engines)
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
            if key in base and stats.get("p50_ms") and base[key].get("p50_ms"):
                out.setdefault(engine, {})[key] = round(base[key]["p50_ms"] / stats["p50_ms"], 1)
    return out


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.query_bench STORE_DIR --work DIR``: time the queries and print JSON."""
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "engine":
        child = argparse.ArgumentParser(prog="python -m bench.query_bench engine")
        child.add_argument("store", type=Path)
        child.add_argument("--engine", required=True, choices=ENGINES)
        child.add_argument("--params", required=True)
        child.add_argument("--names", required=True)
        child.add_argument("--dump", type=Path)
        ns = child.parse_args(sys.argv[2:])
        _engine_child(ns.engine, ns.store, json.loads(ns.params), ns.names.split(","), ns.dump)
        return
    parser = argparse.ArgumentParser(prog="python -m bench.query_bench")
    parser.add_argument("store", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument(
        "--baseline-store", type=Path, help="a smaller store for rdflib when the graph is big"
    )
    parser.add_argument("--no-api", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    emit(run_queries(args.store, args.work, args.baseline_store, with_api=not args.no_api))


if __name__ == "__main__":
    main()
