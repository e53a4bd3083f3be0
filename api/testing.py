"""Test and demo helpers: a small hand-made graph (``api/data/sample_graph.trig``) in a store.

The graph holds two 杭州市西湖区 documents and one 成都市教育局 document in the
contract's terms, including hostile labels (``</script>``, ``<img onerror>``,
``href``), so every surface can be tested for escaping.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kg.store import OxigraphStore

__all__ = ["SAMPLE_GRAPH", "sample_store", "serve_sample", "serve_store_dir"]

SAMPLE_GRAPH = Path(__file__).with_name("data") / "sample_graph.trig"


def sample_store(path: Path | None = None) -> OxigraphStore:
    """An Oxigraph store (in memory, or on disk at ``path``) loaded with the sample graph."""
    store = OxigraphStore(path)
    store.load(SAMPLE_GRAPH)
    return store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError(f"{url}: server did not answer within {timeout:g} s")


@contextmanager
def serve_store_dir(store_dir: Path, timeout: float = 60, **env: str) -> Iterator[str]:
    """Run uvicorn on a free loopback port over the store at ``store_dir``; yield its base URL.

    Args:
        store_dir: an on-disk store (closed: the server opens it for writing).
        timeout: seconds to wait for the server to answer.
        **env: extra ``ZWGK_*`` settings, e.g. ``ZWGK_QUERY_TIMEOUT="5"``.
    """
    port = _free_port()
    environ = {**os.environ, "ZWGK_STORE_DIR": str(store_dir), **env}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=environ)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/sparql", process, timeout)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def serve_sample(store_dir: Path, timeout: float = 60, **env: str) -> Iterator[str]:
    """Run uvicorn on a free loopback port over the sample graph stored at ``store_dir``; yield its base URL.

    Args:
        store_dir: where to build the on-disk store.
        timeout: seconds to wait for the server to answer.
        **env: extra ``ZWGK_*`` settings, e.g. ``ZWGK_QUERY_TIMEOUT="5"``.
    """
    sample_store(store_dir).close()
    with serve_store_dir(store_dir, timeout, **env) as base:
        yield base
