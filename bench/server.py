"""Start the project's API on loopback for the benchmarks, and stop it again."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.measure import ROOT

READY_QUERY = "ASK{}"


@dataclass(frozen=True)
class Server:
    """A running API process: its base URL, process and the seconds it took to answer a first query."""

    url: str
    process: subprocess.Popen[bytes]
    startup_s: float
    command: str


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _command(store: Path, port: int) -> list[str]:
    kg = Path(sys.executable).with_name("kg")
    if kg.exists() and (ROOT / "kg" / "cli.py").exists():
        return [str(kg), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)]
    uvicorn = [sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app"]
    return [*uvicorn, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Poll ``/sparql?query=ASK{}`` until it answers 200; seconds waited.

    Raises:
        RuntimeError: the server exited or did not answer within ``timeout`` seconds.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with code {process.returncode} before answering")
        try:
            reply = httpx.get(f"{url}/sparql", params={"query": READY_QUERY}, timeout=2.0)
            if reply.status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url}: no answer to {READY_QUERY} within {timeout:.0f} s")


def wait_for_replica(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait until the server's paged answers come from its summary replica (read in the background
    at start: ~30 s of one core at 10,000 documents, which would otherwise share the measurement)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with code {process.returncode}")
        reply = httpx.get(f"{url}/api/mechanisms/x/agencies", params={"limit": 1}, timeout=30.0)
        if reply.headers.get("x-summary-replica") == "ready":
            return
        time.sleep(0.5)
    raise RuntimeError(f"{url}: the summary replica was not read within {timeout:.0f} s")


@contextmanager
def running(
    store: Path, query_workers: int = 2, timeout: float = 120.0, extra_env: dict[str, str] | None = None,
    wait_replica: bool = True,
) -> Iterator[Server]:
    """Serve ``store`` (a copy is not made: the server opens it) with ``query_workers`` query processes;
    with ``wait_replica`` the server is handed over once its summary replica is read."""
    port = free_port()
    env = {
        **os.environ,
        "ZWGK_STORE_DIR": str(store),
        "ZWGK_QUERY_WORKERS": str(query_workers),
        **(extra_env or {}),
    }
    cmd = _command(store, port)
    start = time.perf_counter()
    log = (store.parent / f"server-{port}.log").open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, timeout)
        ready_s = time.perf_counter() - start
        if wait_replica:
            wait_for_replica(url, process, timeout)
        yield Server(url, process, ready_s, " ".join(cmd[-8:]))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def copy_store(store: Path, target: Path) -> Path:
    """A fresh copy of an on-disk store (so a server can hold its lock while others read the original).

    A RocksDB checkpoint: table files are hard-linked (they are never changed in place), the
    rest is copied, so a copy of the 4.6 GB store of 10,000 documents takes a second, not a minute.
    """
    import pyoxigraph as ox

    shutil.rmtree(target, ignore_errors=True)
    source = ox.Store(str(store))
    try:
        source.backup(str(target))
    finally:
        del source
    return target
