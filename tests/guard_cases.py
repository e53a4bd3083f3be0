"""Shared by the tests/test_guard_*.py files: a loopback listener and queries that try to reach it."""

from __future__ import annotations

import socket
import threading
import time


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it (and closes it at once)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="guard-listener")
        self._thread.start()

    @property
    def url(self) -> str:
        """An HTTP URL on the listener."""
        return f"http://127.0.0.1:{self.port}/sparql"

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.hits += 1
            conn.close()

    def settled_hits(self) -> int:
        """The number of connections so far.

        Exact once the client has given up: a connection is counted before it is
        closed, and the engine connects synchronously, so no wait is needed.
        """
        return self.hits

    def wait_for(self, hits: int, timeout: float = 5.0) -> int:
        """The number of connections, once it reaches ``hits`` or after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.hits < hits and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.hits

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


def hostile_queries(url: str) -> dict[str, str]:
    """Queries whose raw text an engine would read as reaching ``url``, each hidden from a naive reader.

    Each must be refused (400 or 403) wherever a query enters, and nothing may connect to ``url``.
    """
    body = "{ ?a ?b ?c }"
    hide = f'#" ) SERVICE <{url}> {body} }}'  # after a string that the escape closes early
    return {
        # Oxigraph ends a comment at CR, rdflib only at LF: the SERVICE after the CR is live
        "comment-cr": f"SELECT ?s WHERE {{ ?s ?p ?o # note \r SERVICE <{url}> {body} \n }} LIMIT 1",
        "comment-cr-silent": f"SELECT ?s WHERE {{ ?s ?p ?o # \r SERVICE SILENT <{url}> {body}\n}}",
        # \u0022 is decoded before parsing: the string ends early and the SERVICE is live
        "escaped-quote": f'SELECT ?s WHERE {{ ?s ?p ?o FILTER("x\\u0022) }} {hide}',
        "escaped-quote-long": f'SELECT ?s WHERE {{ ?s ?p ?o FILTER("x\\U00000022) }} {hide}',
        # \u003E closes an IRI early
        "escaped-iri-end": f"SELECT ?s WHERE {{ ?s ?p <http://e/\\u003E . SERVICE <{url}> {body} #> }}",
        # an escaped CR or LF ends a comment
        "escaped-cr": f"SELECT ?s WHERE {{ ?s ?p ?o # \\u000D SERVICE <{url}> {body} \n }}",
        "escaped-lf": f"SELECT ?s WHERE {{ ?s ?p ?o # \\u000a SERVICE <{url}> {body} \n }}",
        # an escape that decodes to another escape
        "double-escape": f'SELECT ?s WHERE {{ ?s ?p ?o FILTER("x\\u005Cu0022) }} {hide}',
        # plain SERVICE in odd spellings and places
        "service-lower": f"select * where {{ service <{url}> {body} }}",
        "service-nospace": f"SELECT*{{?s?p?o SERVICE<{url}>{{?a?b?c}}}}",
        "service-in-optional": f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {body} }} }}",
        "service-in-exists": f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {body} }} }}",
        "service-in-subquery": f"SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {body} }} }} }}",
        "service-variable": f"SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {body} }}",
        # hides from a regular expression that takes `<…>` without spaces for an IRI
        "service-after-less-than": (
            f"PREFIX e:<{url}#>SELECT*{{?s?p?o FILTER(?o<1)BIND((e:x)AS?v)SERVICE?v{{?a?b?c}}FILTER(1>0)}}"
        ),
        # updates
        "load": f"LOAD <{url}>",
        "load-into": f"LOAD SILENT <{url}> INTO GRAPH <https://w3id.org/zwgk/g>",
        "insert-service": f"INSERT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {body} }}",
        "update-after-comment-cr": f"# x \r LOAD <{url}>",
    }


def construct_of(query: str) -> str:
    """The same attack as a CONSTRUCT, for /viz/construct."""
    return query.replace("SELECT ?s WHERE", "CONSTRUCT WHERE").replace("SELECT * ", "CONSTRUCT WHERE ")


def deep_queries() -> dict[str, str]:
    """Short queries (about 128 bytes) nested deeply enough to overflow a recursive parser (issue #17)."""
    return {
        "parens-50": "SELECT * WHERE { FILTER(" + "(" * 50 + "1" + ")" * 50 + ") }",
        "braces-40": "SELECT * WHERE " + "{" * 40 + "}" * 40,
        "brackets-40": "SELECT * WHERE { ?s ?p " + "[ ?p " * 40 + "?o" + " ]" * 40 + " }",
        "triples-100": "SELECT * WHERE { " + "?s ?p ?o . " * 100 + "}",  # rdflib recurses per pattern
    }
