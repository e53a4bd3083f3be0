"""Network views (pyvis / vis-network) of the graph, as HTML pages: see :mod:`kg.viz`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import RunnerDep, SettingsDep, StoreDep
from api.query_worker import QueryTimeout
from api.sparql_exec import Dataset, QueryFailed
from api.sparql_formats import GRAPH_FORMATS
from api.text import normalize_query
from kg.iris import BASE
from kg.sparql_guard import GuardError, UpdateForbidden
from kg.viz import (
    construct_network,
    expand_data,
    focus_names,
    neighbourhood_network,
    render_html,
    responsibility_network,
)

__all__ = ["ASSET_URL", "router"]

router = APIRouter(prefix="/viz", tags=["visualisation"], default_response_class=HTMLResponse)
ASSET_URL = "/static/vis"
EXPAND_URL = "/viz/expand"
Kind = Literal[
    "Agency", "AgencyGroup", "Mechanism", "Platform", "Document", "Item", "Obligation", "Place", "Other"
]
NetworkKind = Literal["Agency", "Mechanism", "Platform", "Document"]
HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}}}


def _node_iri(iri: str) -> str:
    if not iri.startswith(BASE) or any(c in iri for c in '<>"{}|^`\\ \x00'):
        raise HTTPException(400, f"not a node of this graph: {iri!r}")
    return iri


@router.get("/responsibility", responses=HTML, summary="Agency → mechanism/platform responsibility network")
async def responsibility(
    store: StoreDep,
    settings: SettingsDep,
    year: Annotated[str | None, Query(max_length=4, examples=["2025"])] = None,
    jurisdiction: Annotated[str | None, Query(max_length=100, examples=["杭州市西湖区"])] = None,
    focus: Annotated[
        str | None,
        Query(max_length=300, description="Name or IRI of one agency, mechanism, platform or document"),
    ] = None,
    kind: Annotated[list[NetworkKind] | None, Query(description="Keep only nodes of these kinds")] = None,
    mechanism: Annotated[str | None, Query(max_length=100, description="Only this mechanism (name)")] = None,
) -> HTMLResponse:
    """Who is responsible for which mechanisms and platforms, for a jurisdiction and year; focused on
    one node and its neighbours, filtered by kind and mechanism."""
    place = normalize_query(jurisdiction) if jurisdiction else None
    centre = (normalize_query(focus) if focus else "").strip() or None
    only = (normalize_query(mechanism) if mechanism else "").strip() or None
    net = await run_in_threadpool(
        responsibility_network,
        store,
        (year or "").strip() or None,
        place or None,
        settings.viz_node_limit,
        centre,
        kind,
        only,
    )
    return HTMLResponse(render_html(net, asset_url=ASSET_URL, expand_url=EXPAND_URL))


@router.get("/names", response_class=JSONResponse, summary="Names to focus the responsibility network on")
async def names(store: StoreDep) -> JSONResponse:
    """Agencies, mechanisms and platforms of the responsibility network, most connected first."""
    return JSONResponse(await run_in_threadpool(focus_names, store))


@router.get("/expand", response_class=JSONResponse, summary="A node's neighbours as vis-network data")
async def expand(
    store: StoreDep,
    settings: SettingsDep,
    iri: Annotated[str, Query(min_length=len(BASE) + 1, examples=[BASE + "mechanism/0123456789abcdef"])],
) -> JSONResponse:
    """The neighbours of a node (names, kinds, escaped hover text) for the page to add on a click."""
    data = await run_in_threadpool(expand_data, store, _node_iri(iri), settings.viz_node_limit)
    return JSONResponse(data)


@router.get("/neighbourhood", responses=HTML, summary="The neighbourhood of a node")
async def neighbourhood(
    store: StoreDep,
    settings: SettingsDep,
    iri: Annotated[str, Query(min_length=len(BASE) + 1, examples=[BASE + "mechanism/0123456789abcdef"])],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    kind: Annotated[list[Kind] | None, Query(description="Keep only neighbours of these kinds")] = None,
) -> HTMLResponse:
    """Nodes within ``depth`` links of a node of this graph."""
    net = await run_in_threadpool(
        neighbourhood_network, store, _node_iri(iri), depth, kind, settings.viz_node_limit
    )
    return HTMLResponse(render_html(net, asset_url=ASSET_URL, expand_url=EXPAND_URL))


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
    return HTMLResponse(render_html(net, asset_url=ASSET_URL, expand_url=EXPAND_URL))
