"""The admins' upload form (``/admin/upload``) and what was extracted from a document.

The form posts to ``POST /ingest`` with the admin's bearer token (the same route and
authorisation as any client), then shows ``GET /api/documents/{id}/extracted``: the
document's title and metadata, the agencies, mechanisms and platforms it mentions, and the
responsibility pairs (agency → mechanism/platform, with the items) read from its items.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from rdflib import URIRef

from api.deps import SettingsDep, StoreDep
from api.graph import api_query, document_lookup, kind_name, page_path
from api.routers.ask import document_view
from api.templating import templates
from kg.store import GraphStore

__all__ = ["extracted_summary", "router"]

router = APIRouter()
KINDS = {"Agency": "agencies", "Mechanism": "mechanisms", "Platform": "platforms"}


def extracted_summary(store: GraphStore, iri: str) -> dict[str, Any] | None:
    """Title, metadata, entities by kind and responsibility pairs of the document ``iri``."""
    view = document_view(store, iri)
    if view is None:
        return None
    out: dict[str, Any] = {
        "document": iri,
        "href": view.meta["href"],
        "meta": {k: view.meta.get(k) for k in
                 ("title", "source_file", "number", "issued", "year", "issuer", "jurisdiction", "level")},
        "agencies": [], "mechanisms": [], "platforms": [], "pairs": [],
        "items": len(view.items),
    }
    for r in store.select(api_query("ask-document-entities"), {"document": URIRef(iri)}):
        key = KINDS.get(kind_name(r["kind"]))
        if key is not None:
            out[key].append({"name": str(r["name"]), "href": page_path(str(r["entity"]))})
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for item in view.items:
        terms = [(t, "机制") for t in item["mechanism_links"]] + [(t, "平台") for t in item["platform_links"]]
        for agency in item["agency_links"]:
            for term, kind in terms:
                pair = pairs.setdefault((agency["name"], term["name"]), {
                    "agency": agency["name"], "agency_href": agency["href"], "name": term["name"],
                    "href": term["href"], "kind": kind, "refs": [],
                })
                if item["ref"] and item["ref"] not in pair["refs"]:
                    pair["refs"].append(item["ref"])
    out["pairs"] = sorted(pairs.values(), key=lambda p: (p["agency"], p["kind"], p["name"]))
    return out


@router.get("/admin/upload", response_class=HTMLResponse, include_in_schema=False)
async def upload_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The upload form: a document and the admin token, then what was extracted."""
    context = {"enabled": bool(settings.admin_token), "max_mb": settings.max_upload_bytes / (1 << 20)}
    return templates.TemplateResponse(request, "upload.html", context)


@router.get("/api/documents/{doc_id:path}/extracted", tags=["updates"],
            summary="What was extracted from a document: title, agencies, mechanisms, platforms, pairs")
async def extracted(doc_id: str, store: StoreDep) -> dict[str, Any]:
    """The document by id (``doc/…``), IRI or source file name, as the upload form shows it."""

    def run() -> dict[str, Any] | None:
        found = document_lookup(store, doc_id.strip())
        return extracted_summary(store, found[0]) if found else None

    summary = await run_in_threadpool(run)
    if summary is None:
        raise HTTPException(404, f"no document {doc_id!r} in the graph")
    return summary
