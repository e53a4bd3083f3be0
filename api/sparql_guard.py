"""The SPARQL guard of the API: :mod:`kg.sparql_guard`, shared with ``kg query`` and the named queries."""

from kg.sparql_guard import (
    CheckedQuery,
    ForbiddenQuery,
    GuardError,
    MalformedQuery,
    UpdateForbidden,
    check_graph_iris,
    check_query,
    engine_text,
)

__all__ = [
    "CheckedQuery",
    "ForbiddenQuery",
    "GuardError",
    "MalformedQuery",
    "UpdateForbidden",
    "check_graph_iris",
    "check_query",
    "engine_text",
]
