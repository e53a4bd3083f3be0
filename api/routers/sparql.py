"""SPARQL 1.1 Protocol endpoint at ``/sparql``: read-only, guarded, timed out, capped.

Queries come by GET (``?query=``), POST form or POST ``application/sparql-query``;
results are negotiated from :mod:`api.sparql_formats`. Updates are refused
(403), SERVICE and foreign graphs are refused (400), a query that runs longer
than ``ZWGK_QUERY_TIMEOUT`` is stopped (503), and answers longer than
``ZWGK_MAX_ROWS`` rows or ``ZWGK_MAX_ANSWER_BYTES`` bytes are cut with ``X-Result-Truncated: true``
and a ``Warning``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import RunnerDep, SettingsDep, StoreDep
from api.query_worker import QueryTimeout
from api.settings import Settings
from api.sparql_exec import Dataset, QueryAnswer, QueryFailed
from api.sparql_formats import NotAcceptable, negotiate
from kg.sparql_guard import (
    CheckedQuery,
    ForbiddenQuery,
    GuardError,
    UpdateForbidden,
    check_graph_iris,
)
from kg.store import GraphStore

__all__ = ["read_limited", "router"]

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
SD_TEMPLATE = Path(__file__).parent.parent / "templates" / "service_description.ttl"
EXAMPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"

RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Query results, in the negotiated format",
        "content": {
            media: {}
            for media in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
                "text/turtle",
                "application/n-triples",
                "application/ld+json",
            )
        },
    },
    400: {"description": "Malformed query, SERVICE, or a graph outside this service"},
    403: {"description": "SPARQL Update is not allowed"},
    406: {"description": "No acceptable result format"},
    413: {"description": "Query larger than the limit"},
    415: {"description": "Unsupported content type"},
    503: {"description": "Query stopped at the timeout"},
}


async def read_limited(request: Request, limit: int) -> bytes:
    """Read a request body, refusing (413) from Content-Length or while streaming once over ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body of {declared} bytes is over the limit of {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _service_description(request: Request, store: GraphStore, settings: Settings) -> Response:
    endpoint = str(request.url.replace(query=""))
    graphs = [str(row["g"]) for row in store.select(GRAPHS_QUERY)][: settings.max_rows]
    named = "".join(f"        sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ] ;\n" for g in graphs)
    body = SD_TEMPLATE.read_text("utf-8").format(endpoint=endpoint, named_graphs=named)
    return Response(body, media_type="text/turtle; charset=utf-8", headers={"Vary": "Host"})


def _answer_headers(answer: QueryAnswer, settings: Settings) -> dict[str, str]:
    headers = {"X-Result-Rows": str(answer.rows)}
    if answer.truncated:
        headers["X-Result-Truncated"] = "true"
        cap = (
            f"{settings.max_answer_bytes} bytes (ZWGK_MAX_ANSWER_BYTES)"
            if answer.cut_by == "bytes"
            else f"{settings.max_rows} rows (ZWGK_MAX_ROWS)"
        )
        headers["Warning"] = f'199 zwgk-kg "result truncated to {cap}"'
    return headers


async def _run(
    request: Request,
    text: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
    settings: Settings,
    runner: RunnerDep,
) -> Response:
    if not text or not text.strip():
        raise HTTPException(400, "missing query: give it as the 'query' parameter or the request body")
    if len(text.encode("utf-8")) > settings.max_query_bytes:
        raise HTTPException(413, f"query is over the limit of {settings.max_query_bytes} bytes")
    try:
        checked: CheckedQuery = await run_in_threadpool(
            runner.check, text, tuple(settings.allowed_graph_prefixes)
        )
        check_graph_iris(default_graphs, settings.allowed_graph_prefixes, "default-graph-uri")
        check_graph_iris(named_graphs, settings.allowed_graph_prefixes, "named-graph-uri")
    except UpdateForbidden as err:
        raise HTTPException(403, str(err)) from None
    except (ForbiddenQuery, GuardError) as err:
        raise HTTPException(400, str(err)) from None
    except QueryTimeout as err:  # the check itself was stopped at the time limit
        raise HTTPException(503, str(err), headers={"Retry-After": "1"}) from None
    try:
        fmt = negotiate(request.headers.get("accept"), checked.is_graph)
    except NotAcceptable as err:
        raise HTTPException(406, str(err)) from None
    if default_graphs or named_graphs:
        dataset = Dataset(tuple(default_graphs), tuple(named_graphs))
    else:  # pyoxigraph ignores FROM when the union default graph is on: pass the query's dataset
        dataset = Dataset(checked.default_graphs, checked.named_graphs)
    try:
        answer = await run_in_threadpool(runner.run, checked.text, fmt, dataset, settings.max_rows)
    except QueryTimeout as err:
        raise HTTPException(503, str(err), headers={"Retry-After": "1"}) from None
    except QueryFailed as err:
        raise HTTPException(400, str(err)) from None
    media = f"{answer.media_type}; charset=utf-8" if fmt.charset else answer.media_type
    return Response(answer.body, media_type=media, headers=_answer_headers(answer, settings))


@router.get("/sparql", responses=RESPONSES, summary="SPARQL 1.1 query (GET), or the service description")
async def sparql_get(
    request: Request,
    settings: SettingsDep,
    runner: RunnerDep,
    store: StoreDep,
    query: Annotated[str | None, Query(description="A SPARQL 1.1 query", examples=[EXAMPLE])] = None,
    default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],  # noqa: B006
    named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],  # noqa: B006
) -> Response:
    """Run a query given as ``?query=``; without a query, describe the service (SPARQL-SD, Turtle)."""
    if query is None:
        return await run_in_threadpool(_service_description, request, store, settings)
    return await _run(request, query, default_graph_uri, named_graph_uri, settings, runner)


@router.post(
    "/sparql",
    responses=RESPONSES,
    summary="SPARQL 1.1 query (POST form or application/sparql-query)",
    openapi_extra={
        "requestBody": {
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}},
                        "required": ["query"],
                    },
                    "example": {"query": EXAMPLE},
                },
                DIRECT: {"schema": {"type": "string"}, "example": EXAMPLE},
            },
            "required": True,
        }
    },
)
async def sparql_post(request: Request, settings: SettingsDep, runner: RunnerDep) -> Response:
    """Run a query sent as a URL-encoded form or directly as ``application/sparql-query``."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in (FORM, DIRECT):
        raise HTTPException(415, f"unsupported content type {media or '(none)'!r}; use {FORM} or {DIRECT}")
    body = await read_limited(request, settings.max_query_bytes)
    url_params = parse_qs(request.url.query)
    text: str | None
    if media == DIRECT:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(400, "query body is not UTF-8") from None
        params = url_params
    else:
        params = parse_qs(body.decode("utf-8", errors="replace"))
        text = next(iter(params.get("query", [])), None)
        if "update" in params:
            raise HTTPException(403, "SPARQL Update is not allowed on the public endpoint")
    return await _run(
        request,
        text,
        params.get("default-graph-uri", []),
        params.get("named-graph-uri", []),
        settings,
        runner,
    )
