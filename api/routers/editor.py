"""The SPARQL editor page at ``/editor``: YASGUI (bundled, offline) over this server's ``/sparql``.

The named queries are offered as templates, each with its example parameters already bound in
the text (the same ``VALUES`` block that ``kg.queries.run_named`` injects), so a template runs as
it is and its values can be edited in place; a parameter naming an entity is projected beside
the entity's IRI (``?agencyNode ?agency``), so every IRI column has a name column.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.templating import templates
from kg.queries import NamedQuery, QueryParamError, bind_params, list_queries
from kg.store import values_clause

__all__ = ["bound_example", "router"]

router = APIRouter(include_in_schema=False)
YASGUI = "/static/vendor/yasgui"


def _show_params(query: NamedQuery, text: str) -> str:
    """Project each parameter ``?x`` beside the ``?xNode`` it selects (its name beside the IRI).

    Only for queries without GROUP BY, where an extra projected variable changes nothing else.
    """
    select = re.search(r"(?m)^SELECT\b.*?\bWHERE\b", text, re.DOTALL)
    if select is None or re.search(r"(?i)\bGROUP\s+BY\b", text):
        return text
    head = select.group()
    for name in query.params:
        if re.search(rf"\?{name}Node\b", head) and not re.search(rf"\?{name}\b", head):
            head = re.sub(rf"\?{name}Node\b", f"?{name}Node ?{name}", head, count=1)
    return text[: select.start()] + head + text[select.end() :]


def bound_example(query: NamedQuery) -> str:
    """The query text with its example parameters bound as a ``VALUES`` line (as run_named does)."""
    try:
        bindings = bind_params(query, query.example)
    except QueryParamError:  # no or an incomplete example: leave the parameters unbound
        return query.sparql
    if not bindings:
        return query.sparql
    bound = values_clause(query.sparql, bindings)
    start = next(i for i, (a, b) in enumerate(zip(bound, query.sparql, strict=False)) if a != b)
    end = start + len(bound) - len(query.sparql)
    return _show_params(query, f"{bound[:start]}\n  {bound[start:end].strip()}{bound[end:]}")


def _script_json(value: object) -> Markup:
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@router.get("/editor", response_class=HTMLResponse)
async def editor(request: Request) -> HTMLResponse:
    """The SPARQL editor: syntax highlighting, named-query templates, paged tables, CSV download."""
    queries = [
        {
            "name": q.name,
            "summary": q.summary,
            "params": q.params,
            "example": q.example,
            "sparql": bound_example(q),
        }
        for q in list_queries()
    ]
    context = {"queries": queries, "queries_json": _script_json(queries), "yasgui": YASGUI}
    return templates.TemplateResponse(request, "editor.html", context)
