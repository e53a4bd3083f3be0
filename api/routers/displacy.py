"""A document rendered by displaCy with what the pipeline found in it: ``GET /doc/{id}/displacy``.

The same page as ``kg parse FILE --html OUT``: agencies, platforms, mechanisms and deadlines
highlighted, canonical names on hover. The graph keeps mentions,
not whole texts, so the source file is read again: from the uploads folder, or from the folders
named in ``ZWGK_SOURCE_DIRS`` (``os.pathsep``-separated; where ``kg build`` read them), and only
if its sha256 is the document's. Extraction runs in a separate process
(``python -m extractors.display``): the service itself never imports spaCy.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from rdflib import URIRef

from api.deps import SettingsDep, StoreDep
from api.settings import Settings
from kg.iris import BASE
from kg.store import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["pages"])

_SHA = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
SELECT ?f ?h WHERE { ?d a zwgk:Document ; zwgk:sourceFile ?f ; zwgk:sha256 ?h }"""
_TIMEOUT = 120.0
_KEEP = 16  # rendered pages kept in memory (by the document's sha256)
_pages: OrderedDict[str, str] = OrderedDict()


def _document(store: GraphStore, key: str) -> tuple[str, str]:
    rows = store.select(_SHA, {"d": URIRef(f"{BASE}doc/{key}")})
    if not rows:
        raise HTTPException(404, f"no document doc/{key}")
    return str(rows[0]["f"]), str(rows[0]["h"])


def _source_dirs(settings: Settings) -> list[FsPath]:
    dirs = [FsPath(d) for d in os.environ.get("ZWGK_SOURCE_DIRS", "").split(os.pathsep) if d]
    uploads = settings.data_dir or (settings.store_dir.parent / "uploads" if settings.store_dir else None)
    return ([uploads] if uploads is not None else []) + dirs


def _source(settings: Settings, name: str, sha256: str) -> FsPath | None:
    if FsPath(name).name != name:  # a bare file name, nothing else
        return None
    for folder in _source_dirs(settings):
        path = folder / name
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256:
            return path
    return None


def _render(path: FsPath) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "extractors.display", str(path)],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["extraction failed"])[-1]
        raise HTTPException(422, reason[:300])
    return result.stdout


@router.get(
    "/doc/{key}/displacy",
    response_class=HTMLResponse,
    summary="The document with its agencies, platforms, mechanisms and deadlines highlighted (displaCy)",
    responses={404: {}, 422: {}},
)
async def displacy_view(
    key: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", examples=["0123456789abcdef"])],
    store: StoreDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Re-read the document's source and render what the pipeline finds in it."""
    name, sha256 = await run_in_threadpool(_document, store, key)
    page = _pages.get(sha256)
    if page is None:
        path = await run_in_threadpool(_source, settings, name, sha256)
        if path is None:
            raise HTTPException(404, f"the source of doc/{key} ({name}) is not kept by this server")
        page = await run_in_threadpool(_render, path)
        _pages[sha256] = page
        while len(_pages) > _KEEP:
            _pages.popitem(last=False)
    return HTMLResponse(page)
