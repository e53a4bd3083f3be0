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

__all__ = ["InvalidTermError", "iri_nt", "nt_term", "quote_literal", "term_nt"]

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


@lru_cache(maxsize=1 << 18)
def iri_nt(iri: str) -> str:
    """``<iri>``, the same text as :func:`term_nt` of ``URIRef(iri)`` (without building the term).

    Raises:
        InvalidTermError: an IRI that N-Triples cannot hold.
    """
    if _BAD_IRI.search(iri):
        raise InvalidTermError(f"invalid IRI: {iri!r}")
    return f"<{iri}>"


def quote_literal(text: str) -> str:
    """The quoted lexical form rdflib writes for a literal (``Literal._quote_encode``, byte for byte).

    A text with a line break is triple-quoted, as rdflib does (Turtle/TriG, which the stores load).
    """
    if "\n" in text:
        encoded = text.replace("\\", "\\\\")
        if '"""' in text:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r") + '"'


_ESCAPE = re.compile(r"\\(.)", re.S)
_UNESCAPE = {"\\": "\\", '"': '"', "r": "\r", "n": "\n"}


@lru_cache(maxsize=1 << 16)
def nt_term(text: str) -> Identifier:
    """The rdflib term of one term written by :func:`term_nt`, :func:`iri_nt` or :func:`quote_literal`."""
    if text.startswith("<"):
        return URIRef(text[1:-1])
    quote = '"""' if text.startswith('"""') else '"'
    close = text.rfind(quote)
    lexical = _ESCAPE.sub(lambda m: _UNESCAPE[m.group(1)], text[len(quote) : close])
    rest = text[close + len(quote) :]
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    if rest.startswith("^^"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    return Literal(lexical)
