"""The API under load (wrk, or a small asyncio/httpx generator when wrk is absent) and its cold start.

Scenarios, each a bounded run against ``kg serve`` on 127.0.0.1:

- ``named``: the named question (agencies responsible for a mechanism);
- ``sparql-mix``: a mix of named questions and ``/sparql`` queries (selective
  join, GROUP BY, 2-hop CONSTRUCT, ASK);
- ``mix+runaway``: the mix from many clients while one more client keeps
  sending a runaway (cartesian-product) query;
- ``under attack`` (issue #17): the named question and a cheap ``ASK`` from many
  clients while 8 clients send runaways varied per request (comment and variable
  names), 4 send distinct ~1 MiB queries and one sends a memory-hungry OPTIONAL
  chain; the peak memory of the service and of each query worker is sampled.

Each runs with 1 and 2 SPARQL query worker processes (``ZWGK_QUERY_WORKERS``):
the service opens its store for writing in one process, so its "server
workers" are those query processes. Cold start is the time from spawning
``kg serve`` to the first answered ``ASK{}``, with a check that neither the
server nor its workers mapped spaCy or pkuseg libraries.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
import psutil

from bench.measure import emit, percentile, progress
from bench.query_bench import GENERAL, pick_parameters, query_texts
from bench.server import copy_store, running

QUERY_TIMEOUT_S = 5  # the service's SPARQL timeout during the load runs (ZWGK_QUERY_TIMEOUT)
WRK_TIMEOUT_S = 2  # a request not answered within this counts as a timeout error (wrk --timeout)
NLP_LIBRARIES = ("pkuseg", "spacy", "thinc", "jieba")
_WRK_LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def request_paths(params: dict[str, str], texts: dict[str, str]) -> dict[str, list[str]]:
    """The URL paths of each scenario's requests."""
    named = f"/api/mechanisms/{quote(params['mechanism'])}/agencies?limit=20"  # a first page and its total
    obligations = f"/api/agencies/{quote(params['agency'])}/obligations?limit=20"
    diff = "/api/diff?" + urlencode({"a": params["before"], "b": params["after"]})
    sparql = ["/sparql?" + urlencode({"query": texts[name]}) for name in GENERAL]
    sparql.append("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
    return {"named": [named], "sparql-mix": [named, obligations, diff, *sparql]}


def _lua(paths: list[str], delay_ms: int | None = None) -> str:
    items = ",\n".join('  "' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    pace = f"delay = function()\n  return {delay_ms}\nend\n" if delay_ms else ""
    return (
        "local paths = {\n" + items + "\n}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n" + pace
    )


def parse_wrk(text: str) -> dict[str, Any]:
    """Requests/s, latency percentiles (ms), and errors from wrk's ``--latency`` report."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    lat = {f"p{q}_ms": round(float(v) * _UNIT[u], 2) for q, v, u in _WRK_LATENCY.findall(text)}
    return {
        "requests_per_s": float(rps.group(1)) if rps else 0.0,
        "requests": int(total.group(1)) if total else 0,
        **lat,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0,
    }


def run_wrk(
    url: str, paths: list[str], duration: int, connections: int, rate: int | None = None
) -> dict[str, Any]:
    """One wrk run cycling through ``paths`` with ``connections`` open connections.

    With ``rate``, each connection waits ``connections / rate`` seconds before its next request
    (wrk's ``delay()``), so the service is offered about ``rate`` requests/s instead of as many
    as it can answer: the latency at that load, not at saturation.
    """
    delay_ms = round(connections * 1000 / rate) if rate else None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as fh:
        fh.write(_lua(paths, delay_ms))
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        fh.name,
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    Path(fh.name).unlink()
    paced = {"offered_per_s": rate} if rate else {}
    info = {"tool": "wrk", "connections": connections, "duration_s": duration, **paced}
    return {**parse_wrk(out.stdout), **info}


async def _client(
    client: httpx.AsyncClient,
    paths: list[str],
    stop: float,
    lat: list[float],
    codes: Counter[int],
    offset: int,
) -> None:
    i = offset
    while time.perf_counter() < stop:
        start = time.perf_counter()
        try:
            reply = await client.get(paths[i % len(paths)])
            codes[reply.status_code] += 1
        except httpx.HTTPError:
            codes[0] += 1
        lat.append((time.perf_counter() - start) * 1000)
        i += 1


async def _load(
    url: str, paths: list[str], duration: int, connections: int
) -> tuple[list[float], Counter[int]]:
    lat: list[float] = []
    codes: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=url, timeout=10.0, limits=limits) as client:
        for name in ("accept", "accept-encoding"):  # as wrk asks (and as warm_up warmed the cache)
            client.headers.pop(name, None)
        stop = time.perf_counter() + duration
        await asyncio.gather(*(_client(client, paths, stop, lat, codes, k) for k in range(connections)))
    return lat, codes


def run_python_load(url: str, paths: list[str], duration: int, connections: int) -> dict[str, Any]:
    """The fallback load generator: ``connections`` asyncio clients with httpx for ``duration`` seconds."""
    lat, codes = asyncio.run(_load(url, paths, duration, connections))
    ok = sum(n for c, n in codes.items() if 200 <= c < 400)
    return {
        "requests_per_s": round(len(lat) / duration, 1),
        "requests": len(lat),
        "p50_ms": round(percentile(lat, 50), 2),
        "p99_ms": round(percentile(lat, 99), 2),
        "non_2xx": len(lat) - ok,
        "socket_errors": codes.get(0, 0),
        "tool": "python-httpx",
        "connections": connections,
        "duration_s": duration,
    }


def load(
    url: str, paths: list[str], duration: int, connections: int, rate: int | None = None
) -> dict[str, Any]:
    """wrk when installed, else the Python generator (the result says which; it cannot pace)."""
    if shutil.which("wrk"):
        return run_wrk(url, paths, duration, connections, rate)
    return run_python_load(url, paths, duration, connections)


NO_CACHE = " (no answer cache)"
PACED = "named @ 600 req/s"
PACED_RATE = 600  # offered above the target of 500 req/s: wrk waits its delay on top of each answer
SCENARIOS = ("named", PACED, "sparql-mix", "mix+runaway", "sparql-mix" + NO_CACHE, "mix+runaway" + NO_CACHE)


def warm_up(url: str, paths: list[str]) -> None:
    """Ask every path of a scenario once before measuring, as a running service would have been.

    The requests carry no ``Accept*`` header, like wrk's: the answer cache keys on them, and a
    warm-up with other headers (httpx sends ``Accept: */*``) would leave wrk's first requests
    to recompute every answer while the other connections wait.
    """
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120.0)
    try:
        for path in paths:
            conn.putrequest("GET", path, skip_accept_encoding=True)
            conn.endheaders()
            conn.getresponse().read()
    finally:
        conn.close()


class Runaway:
    """One client sending a runaway query again and again until stopped; it records the answers."""

    def __init__(self, url: str, query: str) -> None:
        self.url, self.query = url, query
        self.codes: Counter[int] = Counter()
        self.seconds: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60.0) as client:
            while not self._stop.is_set():
                start = time.perf_counter()
                # a new text every time, so the service cannot refuse it as a query it just stopped
                text = f"{self.query}\n# attempt {len(self.seconds)}"
                try:
                    self.codes[client.get("/sparql", params={"query": text}).status_code] += 1
                except httpx.HTTPError:
                    self.codes[0] += 1
                self.seconds.append(time.perf_counter() - start)

    def __enter__(self) -> Runaway:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=90)

    def summary(self) -> dict[str, Any]:
        """Status codes of the runaway requests and how long each took to be answered or stopped."""
        return {
            "requests": len(self.seconds),
            "status_codes": {str(k): v for k, v in self.codes.items()},
            "max_s": round(max(self.seconds, default=0.0), 2),
        }


ATTACK = "under attack"
ATTACK_MEMORY_MB = 1024  # ZWGK_QUERY_MEMORY_MB during the attack: the bound no worker may pass


def varied_runaway(n: int) -> str:
    """The runaway cartesian product with the request's own comment and variable names."""
    v = [f"?r{n}x{i}" for i in range(9)]
    return (f"# attacker request {n}\nSELECT (COUNT(*) AS ?n{n}) WHERE "
            f"{{ {v[0]} {v[1]} {v[2]} . {v[3]} {v[4]} {v[5]} . {v[6]} {v[7]} {v[8]} }}")


def new_shape_runaway(n: int) -> str:
    """The runaway with a literal of its own, so that its shape is new on every request (never held)."""
    return varied_runaway(n).replace(" }", f" FILTER(?r{n}x8 != {n}) }}")


def big_query(n: int, size: int = 1_000_000) -> str:
    """A distinct query of ``size`` bytes (under the 1 MiB body limit): a long VALUES list."""
    head, tail = f"SELECT ?s WHERE {{ VALUES ?x {{ {n} ", " } ?s ?p ?x } LIMIT 1"
    values, total, i = [], len(head) + len(tail), 0
    while total + len(str(i)) + 1 <= size:
        values.append(str(i))
        total += len(str(i)) + 1
        i += 1
    return head + " ".join(values) + tail


def optional_chain(n: int) -> str:
    """A memory-hungry query: every triple with every triple with every triple, kept by OPTIONAL."""
    return f"SELECT (COUNT(*) AS ?c{n}) {{ ?a ?b ?c OPTIONAL {{ ?d ?e ?f OPTIONAL {{ ?g ?h ?i }} }} }}"


class Attacker:
    """Clients POSTing queries made by ``make(n)`` again and again until stopped; they record the answers."""

    def __init__(self, url: str, make: Any, clients: int) -> None:
        self.url, self.make = url, make
        self.codes: Counter[int] = Counter()
        self.seconds: list[float] = []
        self._serial = iter(range(10**9))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _run(self) -> None:
        headers = {"content-type": "application/sparql-query", "accept": "application/sparql-results+json"}
        with httpx.Client(base_url=self.url, timeout=120.0) as client:
            while not self._stop.is_set():
                with self._lock:
                    n = next(self._serial)
                text = self.make(n)
                start = time.perf_counter()
                try:
                    code = client.post("/sparql", content=text.encode(), headers=headers).status_code
                except httpx.HTTPError:
                    code = 0
                with self._lock:
                    self.codes[code] += 1
                    self.seconds.append(time.perf_counter() - start)

    def __enter__(self) -> Attacker:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=150)

    def summary(self) -> dict[str, Any]:
        """Status codes of the attack requests and the longest wait for an answer."""
        return {
            "requests": len(self.seconds),
            "status_codes": {str(k): v for k, v in sorted(self.codes.items())},
            "max_s": round(max(self.seconds, default=0.0), 2),
        }


class PeakMemory:
    """Samples the resident memory of a server process and of each of its children (the query workers)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.server_mb = 0.0
        self.worker_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                process = psutil.Process(self.pid)
                self.server_mb = max(self.server_mb, process.memory_info().rss / 2**20)
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        self.worker_mb = max(self.worker_mb, child.memory_info().rss / 2**20)
            except psutil.Error:
                return
            time.sleep(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_attack(
    store_dir: Path, work: Path, duration: int, connections: int, named_path: str, new_shapes: bool = False
) -> dict[str, Any]:
    """The named question and a cheap ASK under attack, 2 query workers, no answer cache.

    Both are asked once before the attack starts, as a service would have answered them before.

    The 1 MiB queries are allowed (``ZWGK_MAX_QUERY_BYTES``, 256 KiB by default) so that the
    worst case of the guard's parser is part of the attack. With ``new_shapes``, the runaways
    differ by a literal too, so that no runaway is ever held by its shape.
    """
    paths = [named_path, "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"})]
    env = {"ZWGK_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S), "ZWGK_QUERY_MEMORY_MB": str(ATTACK_MEMORY_MB),
           "ZWGK_MAX_QUERY_BYTES": str(1 << 20),
           "ZWGK_RESPONSE_CACHE_BYTES": "0"}  # every request computed: the cache would hide the attack
    copy = copy_store(store_dir, work / "store-attack")
    runaway = new_shape_runaway if new_shapes else varied_runaway
    with running(copy, query_workers=2, extra_env=env) as server:
        progress(f"load: {ATTACK}, 2 query workers, {connections} connections, {duration} s")
        warm_up(server.url, paths)  # as a running service would have answered them before the attack
        with PeakMemory(server.process.pid) as memory, \
                Attacker(server.url, runaway, 8) as runaways, \
                Attacker(server.url, big_query, 4) as big, \
                Attacker(server.url, optional_chain, 1) as chain:
            time.sleep(1.0)  # let the attackers take the workers first
            named = load(server.url, paths[:1], duration, connections)
            cheap = load(server.url, paths[1:], duration, max(2, connections // 4))
    shutil.rmtree(work / "store-attack", ignore_errors=True)
    return {
        "scenario": ATTACK + (" (runaways of new shapes)" if new_shapes else ""),
        "query_workers": 2,
        "named": named,
        "cheap_ask": cheap,
        "attackers": {"varied_runaways_x8": runaways.summary(), "1mib_queries_x4": big.summary(),
                      "optional_chain_x1": chain.summary()},
        "peak_rss_mb": {"service": round(memory.server_mb), "query_worker": round(memory.worker_mb),
                        "worker_bound": ATTACK_MEMORY_MB},
    }


def run_load(store_dir: Path, work: Path, duration: int, connections: int) -> dict[str, Any]:
    """Every load scenario at 1 and 2 query workers."""
    from kg.store import OxigraphStore

    view = OxigraphStore.read_only(store_dir)
    files = [
        str(r["f"])
        for r in view.select(
            "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f LIMIT 2"
        )
    ]
    params = pick_parameters(view, files)
    texts = query_texts(params)
    paths = request_paths(params, texts)
    runaway = (Path(__file__).parent / "queries" / "runaway.rq").read_text(encoding="utf-8")
    out: dict[str, Any] = {"tool": "wrk" if shutil.which("wrk") else "python-httpx", "scenarios": []}
    out["parameters"] = params
    for workers in (1, 2):
        for name in SCENARIOS:
            conns = connections * 4 if name.startswith("mix+runaway") else connections
            env = {"ZWGK_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S)}
            if name.endswith(NO_CACHE):
                env["ZWGK_RESPONSE_CACHE_BYTES"] = "0"
            mix = paths["named" if name in ("named", PACED) else "sparql-mix"]
            copy = copy_store(store_dir, work / "store-load")  # a fresh server: no backlog from the last run
            with running(copy, query_workers=workers, extra_env=env) as server:
                if not name.endswith(NO_CACHE):  # nothing to warm: every request is computed anew
                    warm_up(server.url, mix)
                progress(f"load: {name}, {workers} query worker(s), {conns} connections, {duration} s")
                if name.startswith("mix+runaway"):
                    with Runaway(server.url, runaway) as bad:
                        result = load(server.url, mix, duration, conns)
                    result["runaway"] = bad.summary()
                else:
                    result = load(server.url, mix, duration, conns, PACED_RATE if name == PACED else None)
            out["scenarios"].append({"scenario": name, "query_workers": workers, **result})
    shutil.rmtree(work / "store-load", ignore_errors=True)
    out["attack"] = run_attack(store_dir, work, duration, connections, paths["named"][0])
    return out


def mapped_libraries(pid: int) -> list[str]:
    """NLP libraries (pkuseg, spaCy, thinc, jieba) whose files the process or its children mapped."""
    found: set[str] = set()
    proc = psutil.Process(pid)
    for p in [proc, *proc.children(recursive=True)]:
        try:
            maps = Path(f"/proc/{p.pid}/maps").read_text()
        except OSError:
            continue
        found.update(lib for lib in NLP_LIBRARIES if f"/{lib}/" in maps)
    return sorted(found)


def run_cold_start(store_dir: Path, work: Path, repeats: int = 3) -> dict[str, Any]:
    """Seconds from spawning ``kg serve`` to its first answered query, and NLP libraries it mapped."""
    times, libraries, command = [], set(), ""
    for _ in range(repeats):
        copy = copy_store(store_dir, work / "store-cold")
        with running(copy, query_workers=2, wait_replica=False) as server:
            times.append(server.startup_s)
            command = server.command
            time.sleep(0.5)
            libraries.update(mapped_libraries(server.process.pid))
    shutil.rmtree(work / "store-cold", ignore_errors=True)
    return {
        "seconds": [round(t, 2) for t in times],
        "median_s": round(sorted(times)[len(times) // 2], 2),
        "nlp_libraries_mapped": sorted(libraries),
        "command": command,
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.api_bench {load,cold} STORE_DIR --work DIR``: measure and print JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench")
    parser.add_argument("step", choices=("load", "cold"))
    parser.add_argument("store", type=Path)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--attack-only", action="store_true", help="only the 'under attack' scenario")
    parser.add_argument(
        "--new-shapes", action="store_true", help="attack runaways differ by a literal too (never held)"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.step == "load" and args.attack_only:
        from kg.store import OxigraphStore

        view = OxigraphStore.read_only(args.store)
        files = [str(r["f"]) for r in view.select(
            "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f LIMIT 2")]
        named = request_paths(pick_parameters(view, files), {n: "ASK {}" for n in GENERAL})["named"][0]
        view.close()
        attack = run_attack(args.store, args.work, args.duration, args.connections, named, args.new_shapes)
        emit({"attack": attack})
    elif args.step == "load":
        emit(run_load(args.store, args.work, args.duration, args.connections))
    else:
        emit(run_cold_start(args.store, args.work))


if __name__ == "__main__":
    main()
