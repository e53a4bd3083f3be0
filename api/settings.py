"""Settings of the API service, read from the environment (prefix ``ZWGK_``).

Examples:
    ``ZWGK_STORE_DIR=.zwgk/store ZWGK_QUERY_TIMEOUT=10 ZWGK_ADMIN_TOKEN=s3cret kg serve``
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Every knob of the service; defaults are safe for a public endpoint."""

    model_config = SettingsConfigDict(env_prefix="ZWGK_", extra="ignore")

    store_dir: Path | None = None
    """On-disk Oxigraph store; ``None`` gives an empty in-memory store."""
    endpoint: str | None = None
    """A remote SPARQL endpoint to use instead of a local store."""
    data_dir: Path | None = None
    """Where uploaded documents are kept (default: ``<store_dir>/../uploads``)."""
    query_timeout: float = 30.0
    """Seconds a SPARQL query may run before it is stopped (503)."""
    runaway_hold: float = 60.0
    """Seconds a query stopped at the timeout is refused (503) without running again."""
    max_rows: int = 10_000
    """Rows (or triples) returned at most; more are cut and the cut announced in headers."""
    max_answer_bytes: int = 64 * 1024 * 1024
    """Bytes of rows (or triples) in one answer at most; more are cut like rows beyond ``max_rows``."""
    max_query_bytes: int = 256 * 1024
    """Largest accepted query text or form body (413 beyond). The guard's parser takes 8 µs a byte on a
    VALUES list of IRIs and 45 µs on one of numbers (bench/results/NOTES.md): at 1 MiB the latter cannot
    be checked within the default time limit, at 256 KiB both can."""
    max_upload_bytes: int = 20 * 1024 * 1024
    """Largest accepted document upload (413 beyond)."""
    admin_token: str | None = None
    """Bearer token for updates; when unset, updates are disabled (403)."""
    query_workers: int = 2
    """Worker processes running SPARQL queries against an on-disk store."""
    query_memory_mb: int = 2048
    """Memory (data segment, MB) per query worker; a query needing more is stopped (503); 0: no bound."""
    check_workers: int = 1
    """Processes checking new query texts over ``large_query_bytes`` (memory bound and timeout as above)."""
    large_query_bytes: int = 8 * 1024
    """New texts over this are checked by a checker process, when one is free (503 at once otherwise)."""
    response_cache_bytes: int = 64 * 1024 * 1024
    """Memory for whole answers of repeated GETs (kept until the next write); 0 turns it off."""
    response_cache_entry_bytes: int = 8 * 1024 * 1024
    """Larger answers are not kept."""
    viz_node_limit: int = 300
    """Networks with more nodes are cut to the most connected ones."""
    allowed_graph_prefixes: tuple[str, ...] = ("https://w3id.org/zwgk/",)
    """IRIs allowed in FROM / FROM NAMED / default-graph-uri / named-graph-uri."""
    ingest_timeout: float = 600.0
    """Seconds an ingestion subprocess may run."""
