"""The web page at ``/``: search, responsibility view, SPARQL editor."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.deps import StoreDep
from api.routers.ask import documents_meta
from api.templating import templates
from kg.queries import list_queries

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
DEFAULT_QUERY = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?mechanism ?name (COUNT(DISTINCT ?doc) AS ?documents) WHERE {
  ?doc zwgk:mentions ?mechanism . ?mechanism a zwgk:Mechanism ; rdfs:label ?name .
} GROUP BY ?mechanism ?name ORDER BY DESC(?documents) LIMIT 50"""


def _script_json(value: object) -> Markup:
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, store: StoreDep) -> HTMLResponse:
    """The home page: the four questions, search, the responsibility network, SPARQL."""
    examples = [{"name": q.name, "summary": q.summary, "sparql": q.sparql} for q in list_queries()]
    docs = list((await run_in_threadpool(documents_meta, store)).values())
    context = {
        "examples": examples,
        "examples_json": _script_json(examples),
        "default_query": DEFAULT_QUERY,
        "documents": len(docs),
        "years": sorted({d["year"] for d in docs if d["year"]}, reverse=True),
        "jurisdictions": sorted({d["jurisdiction"] for d in docs if d["jurisdiction"]}),
    }
    return templates.TemplateResponse(request, "index.html", context)
