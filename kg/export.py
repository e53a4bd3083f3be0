"""Export the graph to a file, and load a file back (symmetric pair)."""

from __future__ import annotations

import warnings
from pathlib import Path

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
        store.dump(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def load_rdf(path: Path) -> Dataset:
    """Read an exported file back into an rdflib Dataset (triple formats go to the default graph)."""
    fmt = RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF format {path.suffix!r}")
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib 7 warns about its own Dataset.default_context inside parse
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(path, format=fmt)
    return dataset
