"""Network views (pyvis / vis-network) of the graph, as HTML pages: see :mod:`kg.viz`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.deps import RunnerDep, SettingsDep, StoreDep
from api.query_worker import QueryTimeout
from api.sparql_exec import Dataset, QueryFailed
from api.sparql_formats import GRAPH_FORMATS
from api.text import normalize_query
from kg.iris import BASE
from kg.sparql_guard import GuardError, UpdateForbidden
from kg.viz import construct_network, neighbourhood_network, render_html, responsibility_network

__all__ = ["ASSET_URL", "router"]

router = APIRouter(prefix="/viz", tags=["visualisation"], default_response_class=HTMLResponse)
ASSET_URL = "/static/vis"
Kind = Literal[
    "Agency", "AgencyGroup", "Mechanism", "Platform", "Document", "Item", "Obligation", "Place", "Other"
]
HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}}}


@router.get("/responsibility", responses=HTML, summary="Agency → mechanism/platform responsibility network")
async def responsibility(
    store: StoreDep,
    settings: SettingsDep,
    year: Annotated[str | None, Query(max_length=4, examples=["2025"])] = None,
    jurisdiction: Annotated[str | None, Query(max_length=100, examples=["杭州市西湖区"])] = None,
) -> HTMLResponse:
    """Who is responsible for which mechanisms and platforms, for a jurisdiction and year."""
    place = normalize_query(jurisdiction) if jurisdiction else None
    net = await run_in_threadpool(
        responsibility_network, store, (year or "").strip() or None, place or None, settings.viz_node_limit
    )
    return HTMLResponse(render_html(net, asset_url=ASSET_URL))


@router.get("/neighbourhood", responses=HTML, summary="The neighbourhood of a node")
async def neighbourhood(
    store: StoreDep,
    settings: SettingsDep,
    iri: Annotated[str, Query(min_length=len(BASE) + 1, examples=[BASE + "mechanism/0123456789abcdef"])],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    kind: Annotated[list[Kind] | None, Query(description="Keep only neighbours of these kinds")] = None,
) -> HTMLResponse:
    """Nodes within ``depth`` links of a node of this graph."""
    if not iri.startswith(BASE) or any(c in iri for c in '<>"{}|^`\\ \x00'):
        raise HTTPException(400, f"not a node of this graph: {iri!r}")
    net = await run_in_threadpool(neighbourhood_network, store, iri, depth, kind, settings.viz_node_limit)
    return HTMLResponse(render_html(net, asset_url=ASSET_URL))


@router.get("/construct", responses=HTML, summary="Draw the result of a CONSTRUCT query")
async def construct(
    settings: SettingsDep,
    runner: RunnerDep,
    query: Annotated[str, Query(min_length=1, examples=["CONSTRUCT WHERE { ?s ?p ?o } LIMIT 50"])],
) -> HTMLResponse:
    """Run a CONSTRUCT or DESCRIBE query through the SPARQL endpoint's guards and draw its triples."""
    try:
        checked = await run_in_threadpool(runner.check, query, tuple(settings.allowed_graph_prefixes))
    except UpdateForbidden as err:
        raise HTTPException(403, str(err)) from None
    except GuardError as err:
        raise HTTPException(400, str(err)) from None
    except QueryTimeout as err:  # the check was stopped at the time limit
        raise HTTPException(503, str(err)) from None
    if not checked.is_graph:
        raise HTTPException(400, "only CONSTRUCT and DESCRIBE queries can be drawn")
    try:
        answer = await run_in_threadpool(
            runner.run, checked.text, GRAPH_FORMATS["application/n-triples"], Dataset(), settings.max_rows
        )
    except QueryTimeout as err:
        raise HTTPException(503, str(err)) from None
    except QueryFailed as err:
        raise HTTPException(400, str(err)) from None
    triples = [
        (t.subject, t.predicate, t.object) for t in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
    ]
    net = construct_network(triples, settings.viz_node_limit)
    return HTMLResponse(render_html(net, asset_url=ASSET_URL))
