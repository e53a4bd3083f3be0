"""Virtuoso Open Source as an ``--endpoint`` store: its SPARQL dialect handled in one place.

:class:`VirtuosoStore` is an :class:`~kg.store.EndpointStore` that knows what
Virtuoso (7.2) does differently from the SPARQL 1.1 protocol as Oxigraph serves it:

- *Reads and writes are two URLs.* Queries go to ``/sparql`` (anonymous,
  read-only for Virtuoso's ``SPARQL`` user); updates to ``/sparql-auth`` with
  HTTP digest authentication (a user with the ``SPARQL_UPDATE`` role, ``dba``).
- *The default graph is already the union of all graphs*, but it includes
  Virtuoso's own graphs (``virtrdf#`` with ~2,500 quads of its mapping schema,
  ``ldp#`` …). Counts and exports leave them out (:data:`SYSTEM_GRAPHS`); a user's
  ``SELECT * { ?s ?p ?o }`` still sees them. The ``define input:default-graph-exclude``
  and ``input:named-graph-exclude`` pragmas that should hide them give wrong answers in
  7.2.5 (with either, ``GRAPH <g> { ?s ?p ?o }`` counts 1 triple or none), so none is sent.
- *Results are never silently partial.* An answer cut by the server's
  ``ResultSetMaxRows`` carries ``X-SPARQL-MaxRows``, and one cut by a timeout
  (Virtuoso's "anytime" queries: the ``timeout`` parameter, or ``MaxQueryExecutionTime``)
  carries ``X-SQL-State: S1TAT``: both raise :class:`~kg.store.QueryError`
  instead of returning a wrong count. Each query is sent with ``timeout`` (ms), so
  the server stops a runaway itself.
- *Literals come back normalised*: ``xsd:boolean`` as ``1``/``0`` in JSON results,
  language tags in lower case, ``xsd:decimal`` canonical. Exports therefore
  fetch graphs as N-Triples (where booleans are ``true``/``false``), one graph at a
  time, each checked against its count. The project's model uses only strings,
  ``@zh`` literals, ``xsd:date``, ``xsd:dateTime`` and ``xsd:gYear``, which
  round-trip unchanged (``tests/test_virtuoso.py``); Virtuoso refuses some
  datatypes outright (``xsd:duration``).
- *Errors*: syntax errors are HTTP 400 (``37000 … SP030``); other failures 500.

Use ``kg … --endpoint http://HOST:8890/sparql``: :func:`kg.store.open_store` asks the
server its name (the ``Server`` header) and picks this class. The update user
and password come from ``ZWGK_ENDPOINT_USER`` / ``ZWGK_ENDPOINT_PASSWORD``.

:class:`LocalVirtuoso` starts a private server on free loopback ports (tests, benchmark).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.store import STATS_QUERY, EndpointStore, OxigraphStore, QueryError, StoreError, _stats_from

__all__ = ["SYSTEM_GRAPHS", "LocalVirtuoso", "VirtuosoStore", "is_virtuoso", "virtuoso_binary"]

# graphs a fresh Virtuoso 7 database holds for itself (its quad-map schema, LDP, the URIQA service)
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
TIMEOUT_STATE = "S1TAT"  # X-SQL-State of an answer cut by the anytime-query timeout


def _not_system(variable: str, exclude: Sequence[str]) -> str:
    return f"FILTER({variable} NOT IN ({', '.join(f'<{g}>' for g in exclude)}))" if exclude else ""


def is_virtuoso(url: str, timeout: float = 10.0) -> bool:
    """Whether the server at ``url`` says it is Virtuoso (its ``Server`` header); False if unreachable."""
    try:
        response = httpx.post(url, data={"query": "ASK {}"}, timeout=timeout,
                              headers={"Accept": "application/sparql-results+json"})
    except httpx.HTTPError:
        return False
    return str(response.headers.get("server", "")).lower().startswith("virtuoso")


def _sibling(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class VirtuosoStore(EndpointStore):
    """A Virtuoso server's SPARQL endpoint as the graph store (see the module docstring).

    Args:
        query_url: the query endpoint, e.g. ``http://127.0.0.1:8890/sparql``.
        update_url: where updates go (default: ``/sparql-auth`` on the same server).
        user, password: digest credentials for updates (default: ``ZWGK_ENDPOINT_USER``,
            ``ZWGK_ENDPOINT_PASSWORD``, else ``dba``/``dba``, a fresh server's).
        timeout: seconds a query may run at the server (sent as Virtuoso's ``timeout``) and
            that the client waits; writes and exports wait up to ten times longer.
        exclude_graphs: graphs left out of counts and exports (Virtuoso's own).
    """

    def __init__(
        self, query_url: str, update_url: str | None = None, *, user: str | None = None,
        password: str | None = None, timeout: float = 60.0, exclude_graphs: Sequence[str] = SYSTEM_GRAPHS,
    ) -> None:
        super().__init__(query_url, update_url or _sibling(query_url, "/sparql-auth"), timeout=timeout * 10)
        self.timeout = timeout
        self._own = _not_system("?g", exclude_graphs)
        user = user or os.environ.get("ZWGK_ENDPOINT_USER") or "dba"
        password = password or os.environ.get("ZWGK_ENDPOINT_PASSWORD") or "dba"
        self._writer = httpx.Client(timeout=timeout * 10, auth=httpx.DigestAuth(user, password))

    # ------------------------------------------------------------ protocol

    def _post_query(self, sparql: str, accept: str, default_graph_uris: Sequence[str] | None = None,
                    named_graph_uris: Sequence[str] | None = None) -> httpx.Response:
        """One query with the server-side timeout; partial answers become errors."""
        data: dict[str, str | list[str]] = {"query": sparql, "timeout": str(int(self.timeout * 1000))}
        if default_graph_uris:
            data["default-graph-uri"] = list(default_graph_uris)
        if named_graph_uris:
            data["named-graph-uri"] = list(named_graph_uris)
        try:
            response = self._client.post(self.query_url, data=data, headers={"Accept": accept})
        except httpx.TimeoutException as exc:
            raise QueryError(f"query stopped: no answer from {self.query_url} in time ({exc})") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.query_url}: {exc}") from exc
        if response.status_code == 500 and "SR203" in response.text[:300]:  # cancelled at the time limit
            raise QueryError(f"query stopped after {self.timeout:g} s (the server's time limit, SR203)")
        _check(response, self.query_url, "query")
        if response.headers.get("x-sql-state") == TIMEOUT_STATE:
            raise QueryError(f"query stopped after {self.timeout:g} s (the server's time limit)")
        if "x-sparql-maxrows" in response.headers:
            raise QueryError(
                f"the answer reached the server's row limit ({response.headers['x-sparql-maxrows']} rows, "
                "ResultSetMaxRows in virtuoso.ini): add a LIMIT, or raise the limit"
            )
        return response

    def _update(self, sparql: str) -> None:
        try:
            response = self._writer.post(
                self.update_url, content=sparql.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.update_url}: {exc}") from exc
        if response.status_code in (401, 403):
            raise StoreError(f"{self.update_url}: HTTP {response.status_code}: the update user needs the "
                             "SPARQL_UPDATE role (set ZWGK_ENDPOINT_USER / ZWGK_ENDPOINT_PASSWORD)")
        _check(response, self.update_url, "update")

    # ------------------------------------------------------------ export

    def graph_sizes(self) -> dict[str, int]:
        """The named graphs holding the project's data (Virtuoso's own excluded) and their triple counts."""
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._own} }} GROUP BY ?g"
        rows = self.select(query)
        return {str(r["g"]): int(str(r["n"])) for r in rows}

    def stats(self) -> dict[str, int]:
        """Counts: triples, named graphs, documents, entities per zwgk class (Virtuoso's graphs left out)."""
        return _stats_from(self.select, STATS_QUERY.replace("} }", f"}} {self._own} }}"))

    def dump(self, path: Path, fmt: str | None = None) -> None:
        """Fetch every graph as N-Triples (one request a graph, its count checked) and write ``path``."""
        local = OxigraphStore(None)
        for graph, size in sorted(self.graph_sizes().items()):
            construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            response = self._post_query(construct, "application/n-triples")
            triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
            if len(triples) != size:
                raise StoreError(f"{self.query_url}: graph <{graph}> came back cut ({len(triples)} of "
                                 f"{size} triples): raise ResultSetMaxRows in virtuoso.ini")
            node = ox.NamedNode(graph)
            local._store.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in triples)
        local.dump(path, fmt)

    def close(self) -> None:
        """Close the HTTP clients."""
        super().close()
        self._writer.close()


def _check(response: httpx.Response, url: str, what: str) -> None:
    if response.status_code == 400 or (response.status_code == 500 and "SP030" in response.text[:200]):
        raise QueryError(f"malformed {what}: {' '.join(response.text.split())[:300]}")
    if response.status_code >= 300:
        raise StoreError(f"{url}: HTTP {response.status_code} {' '.join(response.text.split())[:200]}")


# ---------------------------------------------------------------- a private server


def virtuoso_binary() -> str | None:
    """The Virtuoso server binary on PATH (Debian's ``virtuoso-opensource`` installs ``virtuoso-t``)."""
    return shutil.which("virtuoso-t")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


class LocalVirtuoso:
    """A Virtuoso server of its own in ``directory``, on free loopback ports, stopped on exit.

    Args:
        directory: where the database lives (created; reused if it holds one).
        memory_mb: page buffer memory (Virtuoso's advice: about 2/3 of free RAM for a dedicated host).
        binary: the ``virtuoso-t`` to run.
        max_rows: the server's ``ResultSetMaxRows`` (rows or triples in one answer at most).
    """

    def __init__(
        self, directory: Path, memory_mb: int = 256, binary: str | None = None, max_rows: int = 10_000_000
    ) -> None:
        self.directory = directory = directory.resolve()  # the ini names absolute paths
        self.binary = binary or virtuoso_binary()
        if self.binary is None:
            raise StoreError("virtuoso-t not found (Debian: apt-get install virtuoso-opensource)")
        self.http_port, self.sql_port = _free_port(), _free_port()
        buffers = max(2000, memory_mb * 1024 // 8 * 2 // 3)  # 8 KB pages
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "virtuoso.ini").write_text(INI.format(
            d=directory, sql_port=self.sql_port, http_port=self.http_port, buffers=buffers,
            dirty=buffers * 3 // 4, max_rows=max_rows,
        ))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self, wait: float = 120.0) -> LocalVirtuoso:
        """Start the server in the foreground of a child process and wait until it answers SPARQL."""
        assert self.binary is not None
        self.process = subprocess.Popen(
            [self.binary, "+configfile", str(self.directory / "virtuoso.ini"), "+foreground"],
            cwd=self.directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise StoreError(f"virtuoso-t exited with {self.process.returncode}: {self.log_tail()}")
            if is_virtuoso(self.url, timeout=2.0):
                return self
            time.sleep(0.2)
        self.stop()
        raise StoreError(f"virtuoso-t did not answer in {wait:g} s: {self.log_tail()}")

    def isql(self, *statements: str, timeout: float = 3600.0) -> str:
        """Run SQL statements with ``isql-vt`` as dba (e.g. the bulk loader); their output."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise StoreError("isql-vt not found")
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        done = subprocess.run(
            [isql, str(self.sql_port), "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
            input=script.encode(), capture_output=True, timeout=timeout, check=False,
        )
        output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in output:
            raise StoreError(f"isql: {' '.join(output.split())[:300]}")
        return output

    def bulk_load(self, path: Path) -> None:
        """Load an N-Quads or TriG file with Virtuoso's bulk loader (keeping its graphs), then checkpoint."""
        inbox = self.directory / "load"  # inside DirsAllowed; linked, or copied across file systems
        inbox.mkdir(exist_ok=True)
        target = inbox / path.name
        target.unlink(missing_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
        self.isql(
            f"ld_dir('{inbox}', '{path.name}', 'https://w3id.org/zwgk/')",
            "rdf_loader_run()",
            "checkpoint",
        )
        errors = self.isql(f"SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '%{path.name}' "
                           "AND ll_error IS NOT NULL")
        target.unlink()
        if "Error" in errors or "SP0" in errors:
            raise StoreError(f"{path}: bulk load failed: {' '.join(errors.split())[:300]}")

    def log_tail(self, lines: int = 5) -> str:
        """The end of the server's log (for error messages)."""
        log = self.directory / "virtuoso.log"
        text = log.read_text("utf-8", "replace") if log.exists() else ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (SIGTERM, which checkpoints; SIGKILL after 30 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> LocalVirtuoso:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
