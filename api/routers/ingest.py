"""Authenticated updates: upload a document (``POST /ingest``), remove one (``DELETE /documents/{id}``).

Updates need ``Authorization: Bearer <ZWGK_ADMIN_TOKEN>``; with no token
configured they are disabled (403). Uploads are limited to
``ZWGK_MAX_UPLOAD_BYTES``, checked from Content-Length and while streaming.
Extraction runs in a subprocess (:mod:`api.ingest_worker`), so this process
never loads spaCy; a document the readers refuse gives 422 (413 when it is too large) with
their one-line message. What is written is what ``kg build`` writes (:func:`kg.build.write_mapped`),
and the link and summary graphs are rebuilt after each write (:func:`kg.summary.refresh_derived_graphs`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import json
import re
import sys
import threading
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.types import Message

from api.deps import SettingsDep, StoreDep
from api.ingest_worker import BAD_DOCUMENT, TOO_LARGE
from api.query_worker import GENERATION_FILE
from api.routers.entities import safe_path
from api.settings import Settings
from kg.build import MappedResult, write_mapped
from kg.iris import BASE
from kg.store import GraphStore
from kg.summary import refresh_derived_graphs

__all__ = ["IngestResult", "router"]

router = APIRouter(tags=["updates"])
_WRITE_LOCK = threading.Lock()
_NAME = re.compile(r"[^\x00/\\]{1,200}")
AUTH: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong bearer token"},
    403: {"description": "Updates disabled"},
}


class IngestResult(BaseModel):
    """What an upload did."""

    document: str
    graph: str
    source_file: str
    changed: bool


def _authorise(settings: Settings, authorization: str | None) -> None:
    if not settings.admin_token:
        raise HTTPException(403, "updates are disabled: no ZWGK_ADMIN_TOKEN is configured")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), settings.admin_token.encode()
    ):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


def _safe_name(name: str) -> str:
    """An upload or document name: no path separator, NUL or leading dot, also once percent-decoded."""
    base = safe_path(name.strip())
    decoded = base
    for _ in range(3):
        decoded = unquote(decoded)
    if not all(_NAME.fullmatch(n) and not n.startswith(".") for n in (base, decoded)):
        raise HTTPException(400, f"invalid document name {name!r}: no '/', '\\', NUL or leading '.'")
    return base


def _data_dir(settings: Settings) -> Path | None:
    if settings.data_dir is not None:
        return settings.data_dir
    return settings.store_dir.parent / "uploads" if settings.store_dir is not None else None


def _limited(request: Request, limit: int) -> Request:
    """The request with a body stream that refuses (413) past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"upload of {declared} bytes is over the limit of {limit} bytes")
    seen = 0
    receive = request.receive

    async def limited_receive() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise HTTPException(413, f"upload is over the limit of {limit} bytes")
        return message

    return Request(request.scope, limited_receive)


async def _extract(name: str, data: bytes, timeout: float) -> dict[str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "api.ingest_worker",
        name,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(data), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise HTTPException(503, f"{name}: extraction stopped after {timeout:g} s") from None
    message = err.decode("utf-8", "replace").strip().splitlines()
    if process.returncode in {BAD_DOCUMENT, TOO_LARGE}:
        status = 413 if process.returncode == TOO_LARGE else 422
        raise HTTPException(status, message[-1] if message else f"{name}: cannot read the document")
    if process.returncode != 0:
        reason = message[-1] if message else f"{name}: extraction failed (exit status {process.returncode})"
        raise HTTPException(500, reason)
    result: dict[str, Any] = json.loads(out)
    return result


def _write(store: GraphStore, settings: Settings, extracted: dict[str, Any]) -> bool:
    """Write what the worker mapped exactly as ``kg build`` writes it (the same lines, the same call)."""
    mapped = MappedResult(**{f.name: extracted[f.name] for f in dataclasses.fields(MappedResult)})
    with _WRITE_LOCK:
        changed = write_mapped(store, mapped)
        if changed:
            refresh_derived_graphs(store)  # link and summary graphs follow the documents (as kg build)
        _bump(settings)
    return changed


def _bump(settings: Settings) -> None:
    """Tell query workers the store changed (they reopen their read-only views)."""
    if settings.store_dir is not None and settings.store_dir.is_dir():
        marker = settings.store_dir / GENERATION_FILE
        current = marker.read_text("ascii").strip() if marker.is_file() else "0"
        marker.write_text(str(int(current) + 1 if current.isdigit() else 1), "ascii")


@router.post("/ingest", responses={**AUTH, 413: {}, 422: {}}, summary="Upload a document (admin)")
async def ingest(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> IngestResult:
    """Upload one document as multipart field ``file``; it is extracted and replaces its earlier version."""
    _authorise(settings, authorization)
    form = await _limited(request, settings.max_upload_bytes).form(max_part_size=settings.max_upload_bytes)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(400, "send the document as a multipart form field named 'file'")
    name = _safe_name(upload.filename or "upload")
    data = await upload.read()
    extracted = await _extract(name, data, settings.ingest_timeout)
    changed = await run_in_threadpool(_write, store, settings, extracted)
    folder = _data_dir(settings)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return IngestResult(
        document=extracted["document"], graph=extracted["graph_iri"], source_file=name, changed=changed
    )


def _remove(store: GraphStore, settings: Settings, key: str) -> bool:
    with _WRITE_LOCK:
        removed = store.remove_document(key)
        if removed:
            refresh_derived_graphs(store)
        _bump(settings)
    return removed


@router.delete(
    "/documents/{doc_id:path}",
    status_code=204,
    responses={**AUTH, 400: {}, 404: {}},
    summary="Remove a document (admin)",
)
async def remove_document(
    doc_id: str,
    store: StoreDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    """Remove a document by id (``doc/…``), or by source file name."""
    _authorise(settings, authorization)
    key = safe_path(doc_id)
    target = BASE + key if key.startswith("doc/") else _safe_name(key)
    if not await run_in_threadpool(_remove, store, settings, target):
        raise HTTPException(404, f"no document {doc_id!r} in the graph")
    folder = _data_dir(settings)
    if folder is not None and not key.startswith("doc/") and (folder / target).is_file():
        (folder / target).unlink()
