"""Test and demo helpers: a small hand-made graph (``api/data/sample_graph.trig``) in a store.

The graph holds two 杭州市西湖区 documents and one 成都市教育局 document in the
contract's terms, including hostile labels (``</script>``, ``<img onerror>``,
``href``), so every surface can be tested for escaping.
"""

from __future__ import annotations

from pathlib import Path

from kg.store import OxigraphStore

__all__ = ["SAMPLE_GRAPH", "sample_store"]

SAMPLE_GRAPH = Path(__file__).with_name("data") / "sample_graph.trig"


def sample_store(path: Path | None = None) -> OxigraphStore:
    """An Oxigraph store (in memory, or on disk at ``path``) loaded with the sample graph."""
    store = OxigraphStore(path)
    store.load(SAMPLE_GRAPH)
    return store
