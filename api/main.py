"""The web service: ``create_app()`` builds it, ``serve()`` runs it with uvicorn.

The lifespan opens the store once: an on-disk Oxigraph store (this process is
its only writer; SPARQL endpoint queries run in worker processes holding
read-only views), a remote endpoint, or an empty in-memory store.

Example:
    >>> app = create_app(Settings(query_timeout=5))
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.cache import CachedStore
from api.query_worker import QueryPool
from api.response_cache import ResponseCache, ResponseCacheMiddleware
from api.routers import (
    ask,
    dataset,
    displacy,
    editor,
    entities,
    ingest,
    pages,
    questions,
    sparql,
    upload,
    viz,
)
from api.runner import InProcessRunner, PoolRunner, QueryRunner, RunawayGuard, oxigraph_of
from api.settings import Settings
from api.snapshots import Snapshots
from kg.store import GraphStore, OxigraphStore, QueryError, open_store
from kg.viz import vis_assets_dir

__all__ = ["create_app", "serve"]

STATIC_DIR = Path(__file__).with_name("static")
SWAGGER = "/static/vendor/swagger-ui"


def _open(settings: Settings, store: GraphStore | None) -> tuple[GraphStore, QueryRunner]:
    if store is not None:
        return store, InProcessRunner(store, settings.query_timeout, settings.max_answer_bytes)
    if settings.endpoint:  # the server stops a query a second after this service has answered 503
        remote = open_store(None, settings.endpoint, timeout=settings.query_timeout + 1)
        return remote, InProcessRunner(remote, settings.query_timeout, settings.max_answer_bytes)
    if settings.store_dir is None:
        memory = OxigraphStore(None)
        return memory, InProcessRunner(memory, settings.query_timeout, settings.max_answer_bytes)
    on_disk = CachedStore(open_store(settings.store_dir))  # the API is the store's only writer
    on_disk.warm()  # the summary graph's replica, read in the background
    inner = oxigraph_of(on_disk.inner)
    snapshots = None
    if inner is not None:
        snapshots = Snapshots(inner, settings.store_dir, lambda: on_disk.generation)
    pool = QueryPool(
        settings.store_dir,
        settings.query_workers,
        settings.query_timeout,
        snapshots,
        memory_mb=settings.query_memory_mb,
        max_answer_bytes=settings.max_answer_bytes,
        checkers=settings.check_workers,
        large_check_bytes=settings.large_query_bytes,
    )
    return on_disk, PoolRunner(pool)


async def _query_error(request: Request, exc: Exception) -> JSONResponse:
    """A query built from user input that the store refuses is the user's error (400)."""
    return JSONResponse({"detail": " ".join(str(exc).split())}, status_code=400)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the application.

    Args:
        settings: the settings; default read from ``ZWGK_*`` environment variables.
        store: an already opened store to serve (tests, notebooks); queries then run in-process.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store, runner = _open(settings, store)
        app.state.runner = RunawayGuard(runner, settings.runaway_hold)
        try:
            yield
        finally:
            app.state.runner.close()
            if store is None:
                app.state.store.close()

    app = FastAPI(
        title="zwgk-kg",
        summary="Knowledge graph of Chinese government-transparency work priorities, with a SPARQL endpoint",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below with Swagger UI's bundled assets (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    cache = ResponseCache(settings.response_cache_bytes, settings.response_cache_entry_bytes)
    app.state.response_cache = cache
    app.add_middleware(ResponseCacheMiddleware, cache=cache)
    app.add_exception_handler(QueryError, _query_error)
    app.mount("/static/vis", StaticFiles(directory=vis_assets_dir()), name="vis")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (sparql, questions, ask, entities, viz, ingest, upload, dataset, pages, editor, displacy):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI over /openapi.json, from the assets bundled in api/static/vendor (works offline)."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="zwgk-kg API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )

    return app


def serve(
    store_dir: Path | None, host: str = "127.0.0.1", port: int = 8000, endpoint: str | None = None
) -> None:
    """Serve the graph in ``store_dir``, or at a SPARQL ``endpoint``, until interrupted (``kg serve``)."""
    import uvicorn

    settings = Settings()
    if endpoint is not None:
        settings = settings.model_copy(update={"endpoint": endpoint, "store_dir": None})
    elif store_dir is not None:
        settings = settings.model_copy(update={"store_dir": store_dir})
    uvicorn.run(create_app(settings), host=host, port=port)
