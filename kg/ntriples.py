"""Terms in N-Triples syntax, escaped once and remembered.

A build writes the same IRIs and labels thousands of times (every item points
to the same agencies); writing each term once keeps mapping, hashing and the
store's update text cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

__all__ = ["InvalidTermError", "term_nt"]

_BAD_IRI = re.compile(r"[\s<>\"{}|^`\\]")


class InvalidTermError(ValueError):
    """A term cannot be written in N-Triples (an IRI with spaces or angle brackets …)."""


@lru_cache(maxsize=1 << 18)
def term_nt(term: Identifier) -> str:
    """``term`` in N-Triples/SPARQL syntax.

    Raises:
        InvalidTermError: an IRI that N-Triples cannot hold, or something that is no RDF term.
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if _BAD_IRI.search(iri):
            raise InvalidTermError(f"invalid IRI: {iri!r}")
        return f"<{iri}>"
    if isinstance(term, Literal | BNode):
        return str(term.n3())
    raise InvalidTermError(f"not an RDF term: {term!r}")
