"""The ontology, shapes, JSON-LD context and named queries, shipped as package data."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["context_path", "mechanisms_path", "ontology_path", "queries_dir", "resource", "shapes_path"]


def resource(name: str) -> Traversable:
    """Return a file of this package by name (``transparency.ttl``, ``queries/x.rq`` …)."""
    node = files(__name__)
    for part in name.split("/"):
        node = node.joinpath(part)
    return node


def ontology_path() -> Traversable:
    """The OWL ontology (``transparency.ttl``)."""
    return resource("transparency.ttl")


def shapes_path() -> Traversable:
    """The SHACL shapes (``shapes.ttl``)."""
    return resource("shapes.ttl")


def context_path() -> Traversable:
    """The JSON-LD context (``context.jsonld``)."""
    return resource("context.jsonld")


def mechanisms_path() -> Traversable | None:
    """The SKOS mechanism scheme (``mechanisms.ttl``), when it has been generated."""
    path = resource("mechanisms.ttl")
    return path if path.is_file() else None


def queries_dir() -> Traversable:
    """The directory of named queries (``queries/*.rq``)."""
    return resource("queries")
