"""The dataset described for others: VoID/DCAT, the published JSON-LD context, the schema.org view.

Both descriptions are computed by SPARQL against the store (GROUP BY aggregates for
VoID, one bounded CONSTRUCT for the schema.org view), never by loading the store into
rdflib. Each is kept until the next write (the store's ``generation``), and concurrent
cold requests wait for one computation rather than start their own.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from rdflib import Dataset

from api.deps import StoreDep
from kg.exports import context_document, schema_org_view_of_store, to_jsonld, void_of_store
from kg.store import GraphStore

__all__ = ["SCHEMA_MAX_ENTITIES", "router"]

router = APIRouter(tags=["dataset"])

SCHEMA_MAX_ENTITIES = 5_000
"""Entities (agencies, platforms, documents, places) in the schema.org view at most; beyond, it is cut.

The view of 1,000 documents (~3,000 entities) takes ~8 s and ~+50 MB to make (rdflib and pyld
hold it whole); the cap keeps any store's view near that."""


@dataclass(frozen=True)
class _View:
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _void(store: GraphStore) -> _View:
    return _View(void_of_store(store).serialize(format="turtle", encoding="utf-8"), "text/turtle")


def _schema(store: GraphStore) -> _View:
    view, truncated = schema_org_view_of_store(store, SCHEMA_MAX_ENTITIES)
    data = Dataset()
    data.default_graph += view  # to_jsonld writes datasets (N-Quads inside)
    del view
    body = json.dumps(to_jsonld(data), ensure_ascii=False).encode("utf-8")
    headers = {}
    if truncated:
        headers["X-Result-Truncated"] = "true"
        headers["Warning"] = f'199 zwgk-kg "schema.org view cut to {SCHEMA_MAX_ENTITIES} entities"'
    return _View(body, "application/ld+json", headers)


def _generation(store: GraphStore) -> int | None:
    generation = getattr(store, "generation", None)
    return generation if isinstance(generation, int) else None


class _Views:
    """Described views of one app's store: kept per store generation, computed once at a time.

    A store without a generation (a remote endpoint others may write, a store handed in by a
    test) is never answered from memory, but concurrent requests still share one computation.
    """

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, _View]] = {}
        self.running: dict[tuple[str, int | None], asyncio.Future[_View]] = {}

    async def get(self, store: GraphStore, name: str, compute: Callable[[GraphStore], _View]) -> _View:
        generation = _generation(store)
        kept = self.kept.get(name)
        if kept is not None and kept[0] == generation:
            return kept[1]
        key = (name, generation)
        task = self.running.get(key)
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = asyncio.ensure_future(run_in_threadpool(compute, store))
            self.running[key] = task
            task.add_done_callback(lambda done: self._settle(store, key, done))
        return await asyncio.shield(task)  # a client that leaves does not stop the others' answer

    def _settle(self, store: GraphStore, key: tuple[str, int | None], task: asyncio.Future[_View]) -> None:
        if self.running.get(key) is task:
            del self.running[key]
        if task.cancelled() or task.exception() is not None:
            return
        name, generation = key
        if generation is not None and _generation(store) == generation:  # no write while computing
            self.kept[name] = (generation, task.result())


def _views(request: Request) -> _Views:
    views = getattr(request.app.state, "dataset_views", None)
    if not isinstance(views, _Views):
        views = _Views()
        request.app.state.dataset_views = views
    return views


async def _answer(
    request: Request, store: GraphStore, name: str, compute: Callable[[GraphStore], _View]
) -> Response:
    view = await _views(request).get(store, name, compute)
    return Response(view.body, media_type=view.media_type, headers=view.headers)


@router.get(
    "/void",
    summary="VoID/DCAT description of the dataset",
    response_class=Response,
    responses={200: {"content": {"text/turtle": {}}}},
)
async def void(request: Request, store: StoreDep) -> Response:
    """Counts, vocabularies, link sets and distributions of this dataset, as Turtle."""
    return await _answer(request, store, "void", _void)


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
async def schema_org(request: Request, store: StoreDep) -> Response:
    """Agencies as GovernmentOrganization, platforms as GovernmentService, documents and places.

    At most ``SCHEMA_MAX_ENTITIES`` entities; a cut view says so with ``X-Result-Truncated: true``.
    """
    return await _answer(request, store, "schema", _schema)
