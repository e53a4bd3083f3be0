"""What the project's ``/sparql`` costs over the engine served bare, and over rdflib (issue #19).

``python -m bench.endpoint_bench STORE [--rdflib DUMP.nq]`` serves one store two ways, side by side:

- ``api``: ``kg serve`` (the guard, a query worker, the time and memory limits; the answer cache
  is off, ``ZWGK_RESPONSE_CACHE_BYTES=0``, and every query is new to it);
- ``bare``: ``oxigraph serve-read-only --union-default-graph`` on the same directory (the user's
  alternative: the same engine with nothing in front);

and sends each the same :data:`AGGREGATES` texts, each once (30 distinct aggregate queries: counts
per agency, year, strength, mechanism and platform with varying filters), then the GROUP BY over
all obligations (plain and summary forms) several times. p50/p90 per server and their ratio. With
``--rdflib DUMP`` the GROUP BY also runs on rdflib's in-memory ``Dataset`` parsed from the store's
N-Quads, in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.measure import emit, percentile, progress
from bench.named_bench import GROUP_BY_FAST, GROUP_BY_PLAIN, P
from bench.server import copy_store, free_port, running

# 30 distinct aggregates: (what is grouped, a filter that varies)
_GROUPS = (
    ("?agency", "?item a zwgk:Item ; zwgk:responsibleAgency ?agency ."),
    ("?year", "?doc zwgk:hasItem ?item ; zwgk:year ?year ."),
    ("?strength", "?item zwgk:hasObligation ?ob . ?ob zwgk:strength ?strength ."),
    ("?m", "?item zwgk:concernsMechanism ?m ."),
    ("?p", "?item zwgk:usesPlatform ?p ."),
    ("?doc", "?doc zwgk:hasItem ?item ."),
)
_FILTERS = (
    "",
    'FILTER(STRSTARTS(STR(?item), "https://w3id.org/zwgk/id/doc/{c}"))',
    'FILTER(CONTAINS(STR(?item), "/item/{n}"))',
    'FILTER(!CONTAINS(STR(?item), "table"))',
    "FILTER(STRLEN(STR(?item)) > {k})",
)


def aggregates() -> list[str]:
    """The 30 distinct aggregate texts."""
    out = []
    for i, (key, pattern) in enumerate(_GROUPS):
        for j, template in enumerate(_FILTERS):
            where = pattern + " " + template.format(c="0123456789abcdef"[(i + j) % 16], n=j + 1, k=60 + i)
            out.append(
                P
                + f"SELECT {key} (COUNT(*) AS ?n) WHERE {{ {where} }}"
                + f" GROUP BY {key} ORDER BY DESC(?n) LIMIT 20"
            )
    return out


def _post(client: httpx.Client, url: str, query: str) -> float:
    start = time.perf_counter()
    response = client.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return (time.perf_counter() - start) * 1000


def _stats(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p90_ms": round(percentile(times, 90), 1),
    }


def _bare(store: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    cmd = [
        binary,
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("oxigraph serve-read-only did not start")


def measure(store: Path, work: Path, repeat: int = 7, rdflib_dump: Path | None = None) -> dict[str, Any]:
    texts = aggregates()
    out: dict[str, Any] = {"store": str(store), "queries": len(texts)}
    copy = copy_store(store, work / "store-endpoint")
    env = {"ZWGK_RESPONSE_CACHE_BYTES": "0", "ZWGK_QUERY_TIMEOUT": "30"}
    with running(copy, query_workers=2, extra_env=env) as server, httpx.Client(timeout=60) as client:
        url = server.url + "/sparql"
        _post(client, url, "ASK { ?s ?p ?o }")
        out["api"] = _stats([_post(client, url, q) for q in texts])
        out["api_group_by"] = {
            name: _stats([_post(client, url, q) for _ in range(repeat)])
            for name, q in (("plain", GROUP_BY_PLAIN), ("summary", GROUP_BY_FAST))
        }
    port = free_port()
    process = _bare(copy, port)  # the same directory, after the API let go of it
    try:
        with httpx.Client(timeout=60) as client:
            url = f"http://127.0.0.1:{port}/query"
            _post(client, url, "ASK { ?s ?p ?o }")
            out["bare"] = _stats([_post(client, url, q) for q in texts])
            out["bare_group_by"] = {
                name: _stats([_post(client, url, q) for _ in range(repeat)])
                for name, q in (("plain", GROUP_BY_PLAIN), ("summary", GROUP_BY_FAST))
            }
    finally:
        process.terminate()
        process.wait()
    out["api_over_bare"] = {
        k: round(out["api"][k] / max(out["bare"][k], 0.01), 2) for k in ("p50_ms", "p90_ms")
    }
    if rdflib_dump is not None:
        from bench.named_bench import time_group_by_rdflib
        from kg.store import OxigraphStore

        rdflib = time_group_by_rdflib(OxigraphStore.read_only(copy), rdflib_dump, repeat=5)
        out["rdflib_group_by"] = rdflib
        plain_rdflib = rdflib["plain"]["p50_ms"]
        out["rdflib_over_api"] = {
            name: round(plain_rdflib / max(out["api_group_by"][name]["p50_ms"], 0.01), 1)
            for name in ("plain", "summary")
        }
    shutil.rmtree(copy, ignore_errors=True)
    progress(f"endpoint: {json.dumps({k: v for k, v in out.items() if k != 'store'}, ensure_ascii=False)}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.endpoint_bench", description=__doc__)
    parser.add_argument("store", type=Path)
    parser.add_argument("--work", type=Path, default=Path(__file__).parent / ".work")
    parser.add_argument("--rdflib", type=Path, metavar="DUMP", help="also time the GROUP BY on rdflib")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.store, args.work, rdflib_dump=args.rdflib)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    emit(result)


if __name__ == "__main__":
    main()
