"""Export the graph to a file, and load a file back (symmetric pair)."""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

from rdflib import Dataset

from kg.store import DUMP_FORMATS, GraphStore, StoreError

__all__ = ["FORMATS", "load_rdf", "save_rdf"]

FORMATS = tuple(DUMP_FORMATS)
RDFLIB_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld",
                  ".rdf": "xml"}


def save_rdf(store: GraphStore, path: Path) -> None:
    """Write the whole store to ``path``; the format follows the extension (.trig .nq .ttl .nt .jsonld .rdf).

    Raises:
        StoreError: unknown extension or unwritable file.
    """
    if path.suffix.lower() not in DUMP_FORMATS:
        raise StoreError(f"{path}: unknown export format {path.suffix!r} (use {', '.join(FORMATS)})")
    if path.parent and not path.parent.exists():
        raise StoreError(f"{path}: directory {path.parent} does not exist")
    try:
        if path.suffix.lower() == ".jsonld":
            _save_jsonld(store, path)
        else:
            store.dump(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _save_jsonld(store: GraphStore, path: Path) -> None:
    """Compacted JSON-LD with the project's context inline (see :mod:`kg.exports`)."""
    from kg.exports import export_jsonld

    with tempfile.TemporaryDirectory() as tmp:
        nquads = Path(tmp) / "graph.nq"
        store.dump(nquads)
        export_jsonld(load_rdf(nquads), path)


def load_rdf(path: Path) -> Dataset:
    """Read an exported file back into an rdflib Dataset (triple formats go to the default graph)."""
    fmt = RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix!r}")
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib 7 warns about its own Dataset.default_context inside parse
        warnings.simplefilter("ignore", DeprecationWarning)
        if fmt == "json-ld":
            dataset.parse(data=_offline_jsonld(path), format=fmt)
        else:
            dataset.parse(path, format=fmt)
    return dataset


def _offline_jsonld(path: Path) -> str:
    """The JSON-LD text with the project's published context inlined; any other remote context refused.

    rdflib's JSON-LD parser downloads remote ``@context`` URLs; nothing may leave the machine.
    """
    from kg.exports import CONTEXT_URL, context_document

    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: not valid JSON-LD ({exc})") from exc

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (inline_context(v) if k == "@context" else inline(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    def inline_context(ctx: Any) -> Any:
        if isinstance(ctx, list):
            return [inline_context(c) for c in ctx]
        if isinstance(ctx, str):
            if ctx == CONTEXT_URL:
                return context_document().get("@context", {})
            raise StoreError(f"{path}: remote JSON-LD @context {ctx!r} refused (only the project's own)")
        return inline(ctx)

    return json.dumps(inline(data), ensure_ascii=False)
