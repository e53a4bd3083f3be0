"""Literals built once per value stay the literals rdflib would build."""

from __future__ import annotations

import pytest
from rdflib import Literal

from kg.mapping import _literal, zh


@pytest.mark.parametrize("value", [1, True, 0, False, "1", 1.0, "政务公开"])
def test_kg_mapping_literals_cached_equals_fresh(value: str | int) -> None:
    """A cached literal has the value and datatype of a fresh one, even after an equal-hashing value."""
    _literal(1)
    _literal(True)
    cached = _literal(value)
    fresh = Literal(value)
    assert cached == fresh
    assert cached.datatype == fresh.datatype


def test_kg_mapping_literals_zh_keeps_language() -> None:
    """A cached ``@zh`` literal is tagged ``zh`` and differs from the plain literal of the same text."""
    assert zh("三同步").language == "zh"
    assert zh("三同步") != _literal("三同步")
