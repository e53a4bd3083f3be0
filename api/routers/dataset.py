"""The dataset described for others: VoID/DCAT, the published JSON-LD context, the schema.org view."""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from rdflib import Dataset

from api.deps import StoreDep
from kg.export import load_rdf
from kg.exports import context_document, schema_org_view, to_jsonld, void_description
from kg.store import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["dataset"])

_LOCK = threading.Lock()
_VIEWS: dict[tuple[str, int], str] = {}  # (view, triple count) → serialised view


def _dataset(store: GraphStore) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nq"
        store.dump(path)
        return load_rdf(path)


def _view(store: GraphStore, name: str) -> str:
    """A described view of the whole store, recomputed when the store's size changes."""
    key = (name, store.stats().get("triples", 0))
    with _LOCK:
        if key in _VIEWS:
            return _VIEWS[key]
    data = _dataset(store)
    if name == "void":
        text = void_description(data).serialize(format="turtle")
    else:
        view = Dataset()
        view.default_graph += schema_org_view(data)  # to_jsonld writes datasets (N-Quads inside)
        text = json.dumps(to_jsonld(view), ensure_ascii=False)
    with _LOCK:
        if len(_VIEWS) > 8:
            _VIEWS.clear()
        _VIEWS[key] = text
    return text


@router.get(
    "/void",
    summary="VoID/DCAT description of the dataset",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}}}},
)
async def void(store: StoreDep) -> Response:
    """Counts, vocabularies, link sets and distributions of this dataset, as Turtle."""
    return Response(await run_in_threadpool(_view, store, "void"), media_type="text/turtle")


@router.get("/context.jsonld", summary="The published JSON-LD context", response_class=JSONResponse)
async def context() -> JSONResponse:
    """The context of the project's JSON-LD exports (https://w3id.org/zwgk/context.jsonld)."""
    return JSONResponse(context_document(), media_type="application/ld+json")


@router.get(
    "/schema.jsonld",
    summary="The schema.org view of the dataset",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {}}}},
)
async def schema_org(store: StoreDep) -> Response:
    """Agencies as GovernmentOrganization, platforms as GovernmentService, documents and places."""
    return Response(await run_in_threadpool(_view, store, "schema"), media_type="application/ld+json")
