"""Entity pages: every IRI the graph mints dereferences at ``/id/{path}``.

A browser gets HTML; RDF clients get Turtle, JSON-LD or N-Triples by content
negotiation: the node's triples both ways plus the labels of its neighbours.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import unquote

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from api.deps import StoreDep
from api.graph import api_query, kind_name, page_path
from api.sparql_formats import NotAcceptable, ResultFormat, choose
from api.templating import templates
from kg.iris import BASE
from kg.store import GraphStore

__all__ = ["ENTITY_FORMATS", "router", "safe_path"]

router = APIRouter(tags=["entities"])

ENTITY_FORMATS: dict[str, ResultFormat] = {
    "text/html": ResultFormat("html", "text/html"),
    "application/xhtml+xml": ResultFormat("html", "text/html"),
    "text/turtle": ResultFormat("turtle", "text/turtle"),
    "application/ld+json": ResultFormat("jsonld", "application/ld+json"),
    "application/n-triples": ResultFormat("ntriples", "application/n-triples"),
}
"""Formats of an entity page; HTML first (the default)."""

CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> . ?o rdfs:label ?ol . ?s rdfs:label ?sl }}
WHERE {{ {{ <{iri}> ?p ?o OPTIONAL {{ ?o rdfs:label ?ol }} }}
         UNION {{ ?s ?q <{iri}> OPTIONAL {{ ?s rdfs:label ?sl }} }} }}"""
_SAFE_SEGMENT = re.compile(r"[^\s<>\"{}|^`\\\x00]+")


def safe_path(path: str) -> str:
    """Check a path from a URL: no ``..`` segment (also percent-encoded), no NUL or IRI-breaking characters.

    Raises:
        HTTPException: 400 when the path is unsafe.
    """
    decoded = path
    for _ in range(3):
        decoded = unquote(decoded)
    segments = decoded.replace("\\", "/").split("/")
    if "\x00" in decoded or any(seg in {"..", "."} for seg in segments) or not _SAFE_SEGMENT.fullmatch(path):
        raise HTTPException(400, f"invalid path {path!r}: no '..', NUL or special characters allowed")
    return path


def _describe_rows(store: GraphStore, iri: str) -> list[dict[str, object]]:
    return store.select(api_query("describe"), {"node": URIRef(iri)})


def _html(request: Request, iri: str, rows: list[dict[str, object]]) -> HTMLResponse:
    labels = [str(r["other"]) for r in rows if r["direction"] == "out" and str(r["p"]).endswith("#label")]
    kinds = sorted(
        {kind_name(r["other"]) for r in rows if r["direction"] == "out" and str(r["p"]).endswith("#type")}
    )
    links = [
        {
            "direction": str(r["direction"]),
            "p": kind_name(r["p"]),
            "other": str(r["other"]),
            "label": str(r.get("otherLabel") or r["other"]),
            "href": page_path(str(r["other"])) if str(r["other"]).startswith(BASE) else None,
        }
        for r in rows
        if not str(r["p"]).endswith(("#label", "#type"))
    ]
    context = {
        "iri": iri,
        "label": labels[0] if labels else iri,
        "labels": labels,
        "kinds": kinds,
        "links": links,
        "viz": f"/viz/neighbourhood?iri={iri}",
    }
    return templates.TemplateResponse(request, "entity.html", context)


@router.get(
    "/id/{path:path}",
    summary="Entity page (HTML, Turtle, JSON-LD or N-Triples)",
    responses={200: {"content": {m: {} for m in ENTITY_FORMATS}}, 404: {}, 406: {}},
)
async def entity_page(
    path: Annotated[str, Path(examples=["agency/0123456789abcdef"])], request: Request, store: StoreDep
) -> Response:
    """Describe a node minted by this graph: its triples both ways plus its neighbours' labels."""
    iri = BASE + safe_path(path)
    try:
        fmt = choose(request.headers.get("accept"), ENTITY_FORMATS)
    except NotAcceptable as err:
        raise HTTPException(406, str(err)) from None
    rows = await run_in_threadpool(_describe_rows, store, iri)
    if not rows:
        raise HTTPException(404, f"no node <{iri}> in the graph")
    if fmt.name == "html":
        return _html(request, iri, rows)
    body, _ = await run_in_threadpool(store.query_raw, CONSTRUCT.format(iri=iri), fmt.media_type)
    return Response(body, media_type=f"{fmt.media_type}; charset=utf-8")
