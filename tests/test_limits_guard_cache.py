"""Issue #17: the guard's memory of verdicts is bounded in bytes, whatever the size of the queries."""

from __future__ import annotations

import sys

from kg import sparql_guard
from kg.sparql_guard import CACHE_BYTES, CACHE_ENTRY_BYTES, check_query


def _cached_bytes() -> int:
    """What the guard's cache holds in query texts, measured independently of its own count."""
    total = 0
    for (text, _), (verdict, _) in list(sparql_guard._CACHE._entries.items()):
        total += sys.getsizeof(text)
        if isinstance(verdict, sparql_guard.CheckedQuery) and verdict.text is not text:
            total += sys.getsizeof(verdict.text)
    return total


def _big_query(n: int, size: int) -> str:
    head = f"SELECT ?s WHERE {{ ?s ?p ?o }} # {n}\n"
    return head + "#" + "x" * (size - len(head) - 2) + "\n"


def test_limits_guard_cache_keeps_no_megabyte_texts() -> None:
    sparql_guard._CACHE.clear()
    for n in range(50):
        assert check_query(_big_query(n, 1 << 20)).form == "SELECT"
    assert _cached_bytes() < 1 << 20  # 50 MiB of texts checked, none kept


def test_limits_guard_cache_is_bounded_in_bytes() -> None:
    sparql_guard._CACHE.clear()
    size = CACHE_ENTRY_BYTES // 2 - 100  # each kept
    for n in range(CACHE_BYTES // size + 50):
        check_query(_big_query(n, size))
    assert _cached_bytes() <= CACHE_BYTES
    assert sparql_guard._CACHE.bytes == _cached_bytes()
    assert check_query("ASK { ?s ?p ?o }").form == "ASK"  # small texts are still remembered
    assert ("ASK { ?s ?p ?o }", ()) in sparql_guard._CACHE._entries
