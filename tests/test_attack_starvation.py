"""Issue #17: under attack, cheap and already-known queries keep a query worker.

Two ways of starving them are tried: new large texts whose check takes the whole time
limit, and runaway queries whose shape changes with every request (so the runaway
hold, keyed on the shape, never refuses them). The bounds on the cheap query are a
fraction of the time limit with a wide margin: the latency targets are the benchmark's.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from api.query_worker import QueryBusy, QueryPool, QueryStopped
from api.runner import PoolRunner
from api.sparql_exec import Dataset, QueryAnswer
from api.sparql_formats import ResultFormat, negotiate
from api.testing import sample_store, serve_sample
from kg.sparql_guard import CheckedQuery, MalformedQuery, Verdict

CHEAP = "ASK { ?s ?p ?o }"
SPARQL = {"content-type": "application/sparql-query"}


def _hostile(n: int, terms: int = 20_000) -> str:
    """A distinct ~80 KB operator chain: rdflib's parser needs about a minute for it."""
    return f"# attacker {n}\nASK {{ FILTER(" + " + ".join(["1"] * terms) + ") }"


def _runaway(n: int) -> str:
    """A cross product whose shape differs per ``n`` (a literal is part of the shape)."""
    return f"SELECT (COUNT(*) AS ?c) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l FILTER(?l != {n}) }}"


def _timed(client: httpx.Client, query: str) -> tuple[int, float]:
    start = time.monotonic()
    status = client.get("/sparql", params={"query": query}).status_code
    return status, time.monotonic() - start


def test_attack_large_new_texts_do_not_hold_the_query_workers(tmp_path: Path) -> None:
    timeout = 6.0
    env = {"ZWGK_QUERY_TIMEOUT": str(timeout), "ZWGK_QUERY_WORKERS": "2", "ZWGK_RESPONSE_CACHE_BYTES": "0"}
    with (
        serve_sample(tmp_path / "store", **env) as base,
        httpx.Client(base_url=base, timeout=60) as client,
        ThreadPoolExecutor(4) as attackers,
    ):
        assert _timed(client, CHEAP)[0] == 200  # checked once, remembered
        texts = [_hostile(n) for n in range(4)]

        def attack(text: str) -> tuple[httpx.Response, float]:
            start = time.monotonic()
            return client.post("/sparql", content=text, headers=SPARQL), time.monotonic() - start

        in_flight = [attackers.submit(attack, text) for text in texts]
        time.sleep(1.0)  # every large text is being checked, or was refused
        for _ in range(3):
            status, seconds = _timed(client, CHEAP)
            assert status == 200 and seconds < timeout / 3, seconds
        answers = [future.result(timeout=timeout + 30) for future in in_flight]
        assert all(reply.status_code == 503 for reply, _ in answers)
        details = [reply.json()["detail"] for reply, _ in answers]
        assert sum("too complex to check" in d for d in details) == 1, details  # the one checker
        busy = [s for (reply, s) in answers if "checker of large queries is busy" in reply.json()["detail"]]
        assert len(busy) == 3 and max(busy) < timeout / 3, busy  # refused at once, not queued
        stopped = next(t for t, d in zip(texts, details, strict=True) if "too complex" in d)
        start = time.monotonic()
        again = client.post("/sparql", content=stopped, headers=SPARQL)
        assert again.status_code == 503 and time.monotonic() - start < timeout / 3


def test_attack_runaways_of_ever_new_shapes_leave_a_worker_to_known_queries(tmp_path: Path) -> None:
    timeout = 5.0
    env = {"ZWGK_QUERY_TIMEOUT": str(timeout), "ZWGK_QUERY_WORKERS": "2", "ZWGK_RESPONSE_CACHE_BYTES": "0"}
    with (
        serve_sample(tmp_path / "store", **env) as base,
        httpx.Client(base_url=base, timeout=60) as client,
        ThreadPoolExecutor(3) as attackers,
    ):
        assert _timed(client, CHEAP)[0] == 200  # ran fast once: proven
        # no runaway stopped yet: a new query takes the worker the runaway leaves
        first = attackers.submit(client.get, "/sparql", params={"query": _runaway(0)})
        time.sleep(1.0)
        status, seconds = _timed(client, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
        assert status == 200 and seconds < timeout / 3, seconds
        assert first.result(timeout=timeout + 30).status_code == 503  # stopped: the service is under attack
        runaways = [{"query": _runaway(n)} for n in range(1, 4)]
        in_flight = [attackers.submit(client.get, "/sparql", params=params) for params in runaways]
        time.sleep(1.0)
        for _ in range(3):
            status, seconds = _timed(client, CHEAP)
            assert status == 200 and seconds < timeout / 3, seconds
        assert all(f.result(timeout=3 * timeout + 30).status_code == 503 for f in in_flight)


def test_attack_checker_busy_is_refused_at_once_and_small_checks_go_on(tmp_path: Path) -> None:
    sample_store(tmp_path / "store").close()
    pool = QueryPool(tmp_path / "store", 1, 4.0, checkers=1, large_check_bytes=1000)
    try:
        with ThreadPoolExecutor(1) as background:
            slow = background.submit(pool.check, _hostile(0), ())
            time.sleep(1.0)
            start = time.monotonic()
            with pytest.raises(QueryBusy, match="busy"):
                pool.check(_hostile(1), ())
            assert time.monotonic() - start < 1.0
            assert isinstance(pool.check(CHEAP, ()), CheckedQuery)  # small texts: a query worker
            assert pool.run(CHEAP, negotiate(None, False), Dataset(), 10).rows == 1
            with pytest.raises(QueryStopped, match="too complex to check"):
                slow.result(timeout=30)
        big_ok = "# " + "x" * 2000 + "\n" + CHEAP  # the checker is replaced (in the background)
        for _ in range(100):
            try:
                assert isinstance(pool.check(big_ok, ()), CheckedQuery)
                break
            except QueryBusy:
                time.sleep(0.2)
        else:
            raise AssertionError("the checker was not replaced")
    finally:
        pool.close()


class _Pool:
    """A stand-in pool counting checks and runs; answers with the given verdict and run time."""

    def __init__(self, verdict: Verdict, seconds: float = 0.01) -> None:
        self.verdict, self.seconds = verdict, seconds
        self.checks = 0
        self.proven: list[bool] = []

    def check(self, text: str, allowed_prefixes: tuple[str, ...]) -> Verdict:
        self.checks += 1
        return self.verdict

    def run(self, text: str, fmt: ResultFormat, dataset: Dataset, max_rows: int, proven: bool) -> QueryAnswer:
        self.proven.append(proven)
        return QueryAnswer(b"", "text/csv", 0, False, seconds=self.seconds)

    def close(self) -> None:
        pass


def test_attack_large_verdicts_are_remembered_by_digest() -> None:
    big = "# " + "y" * (1 << 20) + "\nASK { ?s ?p "  # malformed, and too large for the guard's memory
    refusal: Verdict = (MalformedQuery, "malformed query: " + "z" * 5000)
    pool = _Pool(refusal)
    runner = PoolRunner(pool)  # type: ignore[arg-type]
    for _ in range(3):
        with pytest.raises(MalformedQuery):
            runner.check(big, ())
    assert pool.checks == 1
    accepted = "# " + "w" * (1 << 20) + "\nASK { ?s ?p ?o }"
    pool.verdict = CheckedQuery(accepted, "ASK", shape="s1")
    assert runner.check(accepted, ()).text is accepted
    assert runner.check(accepted, ()).form == "ASK"
    assert pool.checks == 2


def test_attack_a_shape_is_proven_by_a_fast_run_and_unproven_by_a_slow_one() -> None:
    pool = _Pool(CheckedQuery(CHEAP, "ASK", shape="s"))
    runner = PoolRunner(pool)  # type: ignore[arg-type]
    fmt = negotiate(None, False)
    runner.check(CHEAP, ())
    runner.run(CHEAP, fmt, Dataset(), 10)
    runner.run(CHEAP, fmt, Dataset(), 10)
    pool.seconds = 1.0  # slowed by a busy machine: still proven
    runner.run(CHEAP, fmt, Dataset(), 10)
    pool.seconds = 10.0
    runner.run(CHEAP, fmt, Dataset(), 10)
    runner.run(CHEAP, fmt, Dataset(), 10)
    assert pool.proven == [False, True, True, True, False]
