"""Result formats of the SPARQL endpoint: the negotiation table and the writers.

The table is data: each row maps a media type to a format for solutions
(SELECT, ASK) or for graphs (CONSTRUCT, DESCRIBE). Writers take pyoxigraph
terms, so results can be cut at the row cap before anything is serialised.

Examples:
    >>> negotiate("text/csv;q=0.9, application/sparql-results+json", graph=False).name
    'json'
    >>> negotiate("*/*", graph=True).name
    'turtle'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "GRAPH_FORMATS",
    "PREFIXES",
    "SOLUTION_FORMATS",
    "NotAcceptable",
    "ResultFormat",
    "choose",
    "negotiate",
    "write_boolean",
    "write_solutions",
    "write_triples",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
PREFIXES = {
    "zwgk": "https://w3id.org/zwgk/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class ResultFormat:
    """One row of the negotiation table."""

    name: str
    media_type: str  # what the response's Content-Type says
    charset: bool = True


SOLUTION_FORMATS: dict[str, ResultFormat] = {
    "application/sparql-results+json": ResultFormat("json", "application/sparql-results+json"),
    "application/json": ResultFormat("json", "application/sparql-results+json"),
    "application/sparql-results+xml": ResultFormat("xml", "application/sparql-results+xml"),
    "application/xml": ResultFormat("xml", "application/sparql-results+xml"),
    "text/csv": ResultFormat("csv", "text/csv"),
    "text/tab-separated-values": ResultFormat("tsv", "text/tab-separated-values"),
}
"""Media types for SELECT and ASK; the first is the default."""

GRAPH_FORMATS: dict[str, ResultFormat] = {
    "text/turtle": ResultFormat("turtle", "text/turtle"),
    "application/n-triples": ResultFormat("ntriples", "application/n-triples"),
    "application/ld+json": ResultFormat("jsonld", "application/ld+json"),
    "application/rdf+xml": ResultFormat("rdfxml", "application/rdf+xml"),
    "text/plain": ResultFormat("ntriples", "application/n-triples"),
}
"""Media types for CONSTRUCT and DESCRIBE; the first is the default."""

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class NotAcceptable(ValueError):
    """No format of the table matches the Accept header (HTTP 406)."""


def _parse_accept(header: str) -> list[tuple[float, int, str]]:
    """Return ``(q, position, media range)`` for each range, best first."""
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, media.lower()))
    return sorted(ranges)


def negotiate(accept: str | None, graph: bool) -> ResultFormat:
    """Pick the result format for an Accept header.

    Args:
        accept: the Accept header; missing or empty means the default format.
        graph: True for CONSTRUCT/DESCRIBE results, False for SELECT/ASK.

    Raises:
        NotAcceptable: nothing in the table matches.
    """
    return choose(accept, GRAPH_FORMATS if graph else SOLUTION_FORMATS)


def choose(accept: str | None, table: Mapping[str, ResultFormat]) -> ResultFormat:
    """Pick from any negotiation table (its first row is the default).

    Raises:
        NotAcceptable: nothing in the table matches.
    """
    default = next(iter(table.values()))
    if not accept or not accept.strip():
        return default
    for _, _, media in _parse_accept(accept):
        if media in table:
            return table[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            family = media[:-1]
            for key, fmt in table.items():
                if key.startswith(family):
                    return fmt
    offered = ", ".join(sorted({fmt.media_type for fmt in table.values()}))
    raise NotAcceptable(f"cannot answer in {accept!r}; this result can be given as {offered}")


def _binding(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _json(variables: Sequence[str], rows: Iterable[Sequence[object | None]]) -> bytes:
    bindings = [
        {var: _binding(term) for var, term in zip(variables, row, strict=True) if term is not None}
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _xml_term(term: object) -> str:
    bound = _binding(term)
    value = escape(bound["value"])
    if bound["type"] == "uri":
        return f"<uri>{value}</uri>"
    if bound["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    attrs = ""
    if "xml:lang" in bound:
        attrs = f" xml:lang={quoteattr(bound['xml:lang'])}"
    elif "datatype" in bound:
        attrs = f" datatype={quoteattr(bound['datatype'])}"
    return f"<literal{attrs}>{value}</literal>"


def _xml(variables: Sequence[str], rows: Iterable[Sequence[object | None]]) -> bytes:
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n<head>']
    out.extend(f"<variable name={quoteattr(var)}/>" for var in variables)
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        out.extend(
            f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>"
            for var, term in zip(variables, row, strict=True)
            if term is not None
        )
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _csv_value(term: object | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    value = getattr(term, "value", None)
    return str(term) if value is None else str(value)


def _csv(variables: Sequence[str], rows: Iterable[Sequence[object | None]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: Sequence[str], rows: Iterable[Sequence[object | None]]) -> bytes:
    lines = ["\t".join(f"?{var}" for var in variables)]
    lines.extend("\t".join("" if term is None else str(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


_SOLUTION_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_solutions(
    fmt: ResultFormat, variables: Sequence[str], rows: Sequence[Sequence[object | None]]
) -> bytes:
    """Serialise SELECT solutions (pyoxigraph terms, ``None`` for unbound) in a solutions format."""
    return _SOLUTION_WRITERS[fmt.name](variables, rows)


def write_boolean(fmt: ResultFormat, value: bool) -> bytes:
    """Serialise an ASK answer."""
    text = "true" if value else "false"
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.name == "xml":
        head = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n<head/>\n'
        return f"{head}<boolean>{text}</boolean>\n</sparql>\n".encode()
    if fmt.name == "csv":
        return f"_askResult\r\n{text}\r\n".encode()
    return f"?_askResult\n{text}\n".encode()


def write_triples(fmt: ResultFormat, triples: Sequence[ox.Triple]) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples in a graph format."""
    rdf_format = _RDF_FORMATS[fmt.name]
    prefixes = PREFIXES if rdf_format in {ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML} else None
    data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    return data if data is not None else b""
