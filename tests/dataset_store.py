"""A generated store of many documents, written without NLP, for the bounded dataset-description tests.

Each document is the hand-made 西湖区 record of :mod:`tests.kg_fixtures` moved to another made-up
county and prefecture (same-length names, so every span stays valid): a thousand documents give
~160,000 quads over ~320 counties, the size of the store the red-team run dumped.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from kg.build import ingest_record
from kg.store import OxigraphStore
from tests.kg_fixtures import xihu_record

_CHARS = "东南北中上下前后左右新老大小金银石青"  # 18 characters: 324 two-character county names


def _vary(value: Any, table: dict[str, str]) -> Any:
    """``value`` with every string rewritten by ``table`` (dataclasses, lists, sets, dicts followed)."""
    if isinstance(value, str):
        for old, new in table.items():
            value = value.replace(old, new)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _vary(getattr(value, f.name), table) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **fields)
    if isinstance(value, list | tuple | set):
        return type(value)(_vary(v, table) for v in value)
    if isinstance(value, dict):
        return {_vary(k, table): _vary(v, table) for k, v in value.items()}
    return value


def document(i: int) -> Any:
    """Document ``i``: the 西湖区 record in county ``i % 324`` of prefecture ``i % 18``, one year of seven."""
    county = _CHARS[i % 18] + _CHARS[(i // 18) % 18]
    table = {"西湖": county, "杭州": _CHARS[(i * 7) % 18] + "阳", "2024": str(2018 + i % 7),
             "330106": str(110101 + (i % 324) * 3)}
    record = _vary(xihu_record(source_file=f"doc{i:05d}.txt"), table)
    record.original += f"\n（第{i}号）\n"  # every document differs, even in a county seen before
    record.sha256 = hashlib.sha256(record.original.encode("utf-8")).hexdigest()
    return record


def build_store(path: Path | None, n: int = 1000) -> OxigraphStore:
    """An Oxigraph store (on disk at ``path``, or in memory) holding ``n`` generated documents."""
    store = OxigraphStore(path)
    with store.bulk():
        for i in range(n):
            ingest_record(store, document(i))
    return store
