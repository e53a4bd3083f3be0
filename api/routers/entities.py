"""Entity pages: every IRI the graph mints dereferences at ``/id/{path}``.

A browser gets HTML; RDF clients get Turtle, JSON-LD or N-Triples by content
negotiation: the node's triples both ways plus the labels of its neighbours.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from api.deps import StoreDep
from api.graph import api_query, kind_name, page_path
from api.routers import ask
from api.sparql_formats import NotAcceptable, ResultFormat, choose
from api.templating import templates
from kg.iris import BASE
from kg.store import GraphStore

__all__ = ["ENTITY_FORMATS", "router", "safe_path"]

router = APIRouter(tags=["entities"])

ENTITY_FORMATS: dict[str, ResultFormat] = {
    "text/html": ResultFormat("html", "text/html"),
    "application/xhtml+xml": ResultFormat("html", "text/html"),
    "text/turtle": ResultFormat("turtle", "text/turtle"),
    "application/ld+json": ResultFormat("jsonld", "application/ld+json"),
    "application/n-triples": ResultFormat("ntriples", "application/n-triples"),
}
"""Formats of an entity page; HTML first (the default)."""
FORMAT_PARAM = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}

CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> . ?o rdfs:label ?ol . ?s rdfs:label ?sl }}
WHERE {{ {{ <{iri}> ?p ?o OPTIONAL {{ ?o rdfs:label ?ol }} }}
         UNION {{ ?s ?q <{iri}> OPTIONAL {{ ?s rdfs:label ?sl }} }} }}"""
_SAFE_SEGMENT = re.compile(r"[^\s<>\"{}|^`\\\x00]+")


def safe_path(path: str) -> str:
    """Check a path from a URL: no ``..`` segment (also percent-encoded), no NUL or IRI-breaking characters.

    Raises:
        HTTPException: 400 when the path is unsafe.
    """
    decoded = path
    for _ in range(3):
        decoded = unquote(decoded)
    segments = decoded.replace("\\", "/").split("/")
    if "\x00" in decoded or any(seg in {"..", "."} for seg in segments) or not _SAFE_SEGMENT.fullmatch(path):
        raise HTTPException(400, f"invalid path {path!r}: no '..', NUL or special characters allowed")
    return path


def _describe_rows(store: GraphStore, iri: str) -> list[dict[str, object]]:
    return store.select(api_query("describe"), {"node": URIRef(iri)})


PROPERTY_ZH = {
    "jurisdiction": "地区",
    "subOrganizationOf": "上级单位",
    "hasMember": "成员",
    "issuedBy": "发文单位",
    "mentions": "提及",
    "hasItem": "条目",
    "hasObligation": "义务",
    "responsibleAgency": "责任单位",
    "concernsMechanism": "涉及机制",
    "usesPlatform": "使用平台",
    "concernsEntity": "涉及",
    "ref": "编号",
    "title": "标题",
    "deadline": "完成时限",
    "frequency": "频次",
    "evidence": "原文",
    "text": "文本",
    "action": "任务",
    "strength": "要求",
    "actor": "主体",
    "parentItem": "上级条目",
    "level": "层级",
    "number": "序号",
    "sourceFile": "源文件",
    "year": "年份",
    "issued": "成文日期",
    "noticeTitle": "印发通知",
    "documentNumber": "文号",
    "hasMention": "提及",
    "mentionOf": "所指",
    "surface": "原文写法",
    "start": "起始位置",
    "end": "结束位置",
    "wasDerivedFrom": "来源",
    "responsibilityNote": "责任单位原文",
    "altLabel": "别名",
    "responsibilitySource": "责任来源",
    "deadlineText": "时限原文",
    "isDraft": "征求意见稿",
}
INVERSE_ZH = {
    "hasItem": "所属文件",
    "hasObligation": "所属条目",
    "mentions": "提及它的文件",
    "issuedBy": "印发的文件",
    "responsibleAgency": "负责的条目",
    "concernsMechanism": "涉及它的条目",
    "usesPlatform": "使用它的条目",
    "parentItem": "下级条目",
    "subOrganizationOf": "下属单位",
    "hasMember": "所属集合",
    "mentionOf": "提及",
}
"""Names of properties read backwards (``?s p <this>``)."""
KIND_ZH = {
    "Agency": "单位",
    "AgencyGroup": "单位集合",
    "Mechanism": "机制",
    "Platform": "平台",
    "Document": "文件",
    "Item": "条目",
    "Obligation": "义务",
    "Place": "地区",
    "Mention": "提及",
    "Evidence": "原文",
    "Campaign": "专项行动",
    "Brand": "品牌",
    "TargetGroup": "对象群体",
    "PolicyArea": "政策领域",
    "LegalInstrument": "法规文件",
    "Frequency": "频次",
}


def _rdf_links(path: str) -> list[dict[str, str]]:
    return [
        {"label": label, "href": f"{path}?format={fmt}"}
        for fmt, label in (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
    ]


def _kind_page(store: GraphStore, iri: str, kinds: set[str]) -> tuple[str, dict[str, Any]] | None:
    """The template and context of a readable page for an agency, mechanism, platform or document."""
    docs = ask.documents_meta(store)
    if "Document" in kinds:
        view = ask.document_view(store, iri, docs)
        if view is None:
            return None
        return "entity_document.html", {
            "meta": view.meta,
            "items": view.items,
            "terms": view.terms,
            "ask_href": "/ask/document?" + urlencode({"doc": iri.removeprefix(BASE)}),
        }
    label, alts, _ = ask.names_of(store, iri)
    if "Agency" in kinds:
        obligations = ask.agency_obligations(store, iri, docs)
        by_year: dict[str, list[dict[str, Any]]] = {}
        for row in obligations:
            by_year.setdefault(row["year"] or "年份不详", []).append(row)
        relations: dict[str, list[dict[str, str]]] = {}
        for r in store.select(api_query("ask-agency"), {"agency": URIRef(iri)}):
            other = str(r["other"])
            relations.setdefault(str(r["rel"]), []).append(
                {
                    "name": str(r.get("name") or other),
                    "href": page_path(other) if other.startswith(BASE) else "",
                }
            )
        terms = [
            {
                "name": str(r["name"]),
                "href": page_path(str(r["term"])),
                "kind": "机制" if str(r["rel"]).endswith("concernsMechanism") else "平台",
                "item_count": int(str(r["items"])),
                "document_count": int(str(r["documents"])),
            }
            for r in store.select(api_query("ask-agency-terms"), {"agency": URIRef(iri)})
        ]
        return "entity_agency.html", {
            "label": label or iri,
            "alts": alts,
            "relations": relations,
            "terms": terms,
            "years": sorted(by_year.items(), reverse=True),
            "total": len(obligations),
            "group": "AgencyGroup" in kinds,
            "ask_href": "/ask/tasks?" + urlencode({"agency": label or iri}),
        }
    kind = "Mechanism" if "Mechanism" in kinds else "Platform"
    rows = ask.responsible_rows(store, iri, docs)
    agencies: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = agencies.setdefault(
            row["agency"],
            {
                "name": row["agency_name"],
                "href": row["agency_href"],
                "item_count": 0,
                "documents": set(),
                "years": set(),
            },
        )
        entry["item_count"] += 1
        entry["documents"].add(row["title"])
        if row["year"]:
            entry["years"].add(row["year"])
    mentioned = [
        docs[str(r["document"])]
        for r in store.select(api_query("ask-entity-documents"), {"entity": URIRef(iri)})
        if str(r["document"]) in docs
    ]
    mentioned.sort(key=lambda d: (d["year"] or "", d["title"] or ""))
    return "entity_term.html", {
        "label": label or iri,
        "alts": alts,
        "kind": kind,
        "kind_zh": ask.KIND_ZH[kind],
        "agencies": sorted(agencies.values(), key=lambda a: (-a["item_count"], a["name"] or "")),
        "rows": rows[:50],
        "total": len(rows),
        "documents": mentioned,
        "ask_href": "/ask/responsible?" + urlencode({"name": label or iri, "kind": kind.lower()}),
    }


def _html(request: Request, store: GraphStore, iri: str, rows: list[dict[str, object]]) -> HTMLResponse:
    labels = [str(r["other"]) for r in rows if r["direction"] == "out" and str(r["p"]).endswith("#label")]
    kinds = {kind_name(r["other"]) for r in rows if r["direction"] == "out" and str(r["p"]).endswith("#type")}
    base: dict[str, Any] = {
        "iri": iri,
        "kinds": sorted(KIND_ZH[k] for k in kinds if k in KIND_ZH),
        "rdf_links": _rdf_links(request.url.path),
        "viz": "/viz/neighbourhood?" + urlencode({"iri": iri}),
        "segments": ask.segments,
    }
    if kinds & {"Agency", "Mechanism", "Platform", "Document"}:
        page = _kind_page(store, iri, kinds)
        if page is not None:
            return templates.TemplateResponse(request, page[0], base | page[1])
    titles = {iri: d["title"] for iri, d in ask.documents_meta(store).items()}  # documents have no label
    links: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        if str(r["p"]).endswith(("#label", "#type")):
            continue
        other, kind = str(r["other"]), kind_name(r.get("otherKind") or "")
        key = (str(r["direction"]), str(r["p"]), other)
        known = links.get(key)
        if known is not None:  # one row per kind of the neighbour: keep a kind the page names
            known["kind"] = known["kind"] or KIND_ZH.get(kind, "")
            continue
        links[key] = {
            "direction": str(r["direction"]),
            "p": _property_name(kind_name(r["p"]), str(r["direction"]) == "out"),
            "other": other,
            "label": str(r.get("otherLabel") or titles.get(other) or _node_text(other, r.get("otherKind"))),
            "kind": KIND_ZH.get(kind, ""),
            "href": page_path(other) if other.startswith(BASE) else None,
        }
    ordered = sorted(links.values(), key=lambda link: (link["direction"] != "out", link["p"]))
    values = {kind_name(r["p"]): str(r["other"]) for r in rows if r["direction"] == "out"}
    heading = labels[0] if labels else _fallback_name(iri, kinds)
    if "Item" in kinds and "ref" in values:  # an item: its reference and title, not its IRI
        heading = f"{values['ref']} {values.get('title', '')}".strip()
    context = base | {"label": heading, "labels": labels, "links": ordered}
    return templates.TemplateResponse(request, "entity.html", context)


def _property_name(name: str, forward: bool) -> str:
    if forward:
        return PROPERTY_ZH.get(name, name)
    return INVERSE_ZH.get(name) or PROPERTY_ZH.get(name, name) + "（反向）"


def _node_text(value: str, kind: object) -> str:
    """A neighbour without a label: a minted IRI as its kind and decoded tail, anything else as is."""
    if not value.startswith(BASE):
        return value
    return _fallback_name(value, {kind_name(kind)} if kind else set())


def _fallback_name(iri: str, kinds: set[str]) -> str:
    """A heading for a node without a label: its kind and the tail of its IRI (decoded)."""
    kind = next((KIND_ZH[k] for k in sorted(kinds) if k in KIND_ZH), "节点")
    tail = unquote(iri.removeprefix(BASE))
    return f"{kind} {tail}"


@router.get(
    "/id/{path:path}",
    summary="Entity page (HTML, Turtle, JSON-LD or N-Triples)",
    responses={200: {"content": {m: {} for m in ENTITY_FORMATS}}, 404: {}, 406: {}},
)
async def entity_page(
    path: Annotated[str, Path(examples=["agency/0123456789abcdef"])],
    request: Request,
    store: StoreDep,
    format: Annotated[
        Literal["html", "ttl", "jsonld", "nt"] | None,
        Query(description="Overrides the Accept header (for links): html, ttl, jsonld or nt"),
    ] = None,
) -> Response:
    """Describe a node minted by this graph: its triples both ways plus its neighbours' labels."""
    iri = BASE + safe_path(path)
    try:
        accept = FORMAT_PARAM[format] if format else request.headers.get("accept")
        fmt = choose(accept, ENTITY_FORMATS)
    except NotAcceptable as err:
        raise HTTPException(406, str(err)) from None
    rows = await run_in_threadpool(_describe_rows, store, iri)
    if not rows:
        raise HTTPException(404, f"no node <{iri}> in the graph")
    if fmt.name == "html":
        return await run_in_threadpool(_html, request, store, iri, rows)
    body, _ = await run_in_threadpool(store.query_raw, CONSTRUCT.format(iri=iri), fmt.media_type)
    return Response(body, media_type=f"{fmt.media_type}; charset=utf-8")
