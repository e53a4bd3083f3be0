"""Named SPARQL queries: ``ontology/queries/*.rq`` files with grlc-style headers.

A query file starts with comment lines such as::

    #+ summary: Agencies responsible for a mechanism
    #+ params: mechanism:zh, year:gYear
    #+ example: mechanism=三同步

Each parameter is a variable of the query with a type: ``zh`` (a ``"…"@zh``
literal, the default), ``str`` (plain string), ``int``, ``gYear``, ``date``,
``bool`` or ``iri``. Values are bound as RDF terms through the store's
bindings, never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.sparql_guard import check_query
from ontology import queries_dir

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kg.store import GraphStore

__all__ = ["NamedQuery", "QueryParamError", "bind_params", "list_queries", "load_query", "run_named"]

HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*)$")
PARAM_TYPES = ("zh", "str", "int", "gYear", "date", "bool", "iri")


class QueryParamError(ValueError):
    """A named query is unknown or its parameters are missing or malformed."""


@dataclass(frozen=True)
class NamedQuery:
    """A named query: its name, text and header."""

    name: str
    sparql: str
    summary: str = ""
    params: dict[str, str] = field(default_factory=dict)  # name -> type
    example: dict[str, str] = field(default_factory=dict)


def _parse_pairs(text: str, sep: str) -> dict[str, str]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition(sep)
        out[key.strip()] = value.strip()
    return out


def _parse(name: str, sparql: str) -> NamedQuery:
    headers: dict[str, str] = {}
    for line in sparql.splitlines():
        match = HEADER.match(line.strip())
        if match:
            headers[match.group(1)] = match.group(2).strip()
    params = {k: v or "zh" for k, v in _parse_pairs(headers.get("params", ""), ":").items()}
    for key, kind in params.items():
        if kind not in PARAM_TYPES or not re.fullmatch(r"[A-Za-z_]\w*", key):
            raise QueryParamError(f"{name}.rq: bad parameter {key}:{kind}")
    example = _parse_pairs(headers.get("example", ""), "=")
    return NamedQuery(name, sparql, headers.get("summary", ""), params, example)


def list_queries() -> list[NamedQuery]:
    """All named queries shipped in ``ontology/queries``, sorted by name."""
    out = []
    for entry in queries_dir().iterdir():
        if entry.name.endswith(".rq"):
            out.append(_parse(entry.name.removesuffix(".rq"), entry.read_text("utf-8")))
    return sorted(out, key=lambda q: q.name)


def load_query(name: str) -> NamedQuery:
    """Load one named query by name (file name without ``.rq``).

    Raises:
        QueryParamError: no query of that name.
    """
    if not re.fullmatch(r"[\w.-]+", name):
        raise QueryParamError(f"unknown named query: {name!r}")
    entry = queries_dir().joinpath(f"{name}.rq")
    if not entry.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryParamError(f"unknown named query: {name!r} (known: {known})")
    return _parse(name, entry.read_text("utf-8"))


def _term(name: str, kind: str, value: object) -> Identifier:
    text = str(value).strip()
    try:
        if kind == "zh":
            return Literal(text, lang="zh")
        if kind == "str":
            return Literal(text)
        if kind == "int":
            return Literal(int(text))
        if kind == "gYear":
            return Literal(f"{int(text):04d}", datatype=XSD.gYear)
        if kind == "date":
            return Literal(date.fromisoformat(text))
        if kind == "bool":
            if text.lower() not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return Literal(text.lower() in ("true", "1"))
    except ValueError as exc:
        raise QueryParamError(f"parameter {name}: {text!r} is not a valid {kind}") from exc
    if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", text):
        raise QueryParamError(f"parameter {name}: {text!r} is not an http(s) IRI")
    return URIRef(text)


def bind_params(query: NamedQuery, params: Mapping[str, object]) -> dict[str, Identifier]:
    """Turn raw parameter values into typed RDF terms for a named query.

    Raises:
        QueryParamError: a parameter is missing, unknown or malformed.
    """
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        raise QueryParamError(f"{query.name}: unknown parameter(s) {', '.join(unknown)}")
    missing = sorted(set(query.params) - set(params))
    if missing:
        raise QueryParamError(f"{query.name}: missing parameter(s) {', '.join(missing)}")
    return {k: _term(k, query.params[k], params[k]) for k in query.params}


def run_named(
    store: GraphStore, name: str, params: Mapping[str, object] | None = None
) -> list[dict[str, object]]:
    """Run a named query with its parameters bound safely as RDF terms.

    Args:
        store: the graph store.
        name: the query name, e.g. ``agencies-for-mechanism``.
        params: parameter values, e.g. ``{"mechanism": "三同步"}``.

    Returns:
        The rows of the result, as Python values.

    Raises:
        QueryParamError: unknown query, or bad parameters.
        GuardError: the query file holds SERVICE, an update, or does not parse.
    """
    query = load_query(name)
    checked = check_query(query.sparql)  # the same guard as /sparql; its verdict is cached per text
    return store.select(checked.text, bind_params(query, params or {}))
