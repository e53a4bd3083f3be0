"""Named questions as REST routes: who is responsible, obligations, documents, diffs, terms, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.graph import api_query, document_lookup, is_minted, kind_name, label_of, page_path
from api.lookup import name_candidates
from api.models import (
    AgencyAnswer,
    DiffAnswer,
    DocumentInfo,
    DocumentMechanism,
    EntityRef,
    Evidence,
    ObligationInfo,
    SearchHit,
    TermInfo,
)
from api.text import normalize_query
from kg.iris import BASE
from kg.paging import Page, run_page
from kg.queries import QueryParamError, run_named
from kg.store import GraphStore, QueryError
from kg.summary_index import summary_index

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["questions"])
Row = dict[str, object]
Label = Annotated[str, Path(min_length=1, max_length=200, examples=["三同步"])]


def _s(row: Row, key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def _named(store: GraphStore, name: str, params: dict[str, object]) -> list[Row]:
    try:
        return run_named(store, name, params)
    except (QueryParamError, QueryError) as err:
        raise HTTPException(400, str(err)) from None


def _by_label(store: GraphStore, name: str, param: str, label: str, kind: str) -> list[Row]:
    """Run a named query by label: as given, then normalised (traditional → simplified), then for
    the ``kind`` entities the name stands for as people write it (see :mod:`api.lookup`)."""
    rows = _named(store, name, {param: label.strip()})
    normalised = normalize_query(label)
    if not rows and normalised != label.strip():
        rows = _named(store, name, {param: normalised})
    if not rows:
        for candidate in name_candidates(store, kind, label):
            rows.extend(row for row in _named(store, name, {param: candidate}) if row not in rows)
    return rows


Limit = Annotated[
    int | None,
    Query(ge=1, le=1000, description="page size: the answer's first rows (busiest agencies first); "
          "the header X-Total-Count gives the size of the whole answer. Without it, every row."),
]
Offset = Annotated[int, Query(ge=0, description="rows to skip (with limit)")]


def _paged(store: GraphStore, name: str, param: str, label: str, kind: str, limit: int, offset: int) -> Page:
    """A page of a named question by label, tried as :func:`_by_label` tries it (as given, normalised,
    then the names it stands for), the first that answers."""
    try:
        page = run_page(store, name, {param: label.strip()}, limit, offset)
        candidates = [normalize_query(label), *name_candidates(store, kind, label)] if not page.total else []
        for candidate in candidates:
            if candidate != label.strip():
                page = run_page(store, name, {param: candidate}, limit, offset)
                if page.total:
                    break
    except (QueryParamError, QueryError) as err:
        raise HTTPException(400, str(err)) from None
    return page


def _total(response: Response, page: Page, store: GraphStore | None = None) -> None:
    response.headers["X-Total-Count"] = str(page.total)
    if store is not None and getattr(store, "replica_in_background", False):  # which path answered
        ready = summary_index(store, wait=False) is not None
        response.headers["X-Summary-Replica"] = "ready" if ready else "loading"
        if not ready:  # answered through SPARQL meanwhile: right, but not worth keeping
            response.headers["Cache-Control"] = "no-store"


def _agencies(rows: list[Row]) -> list[AgencyAnswer]:
    answers: dict[str, AgencyAnswer] = {}
    for row in rows:
        agency = str(row["agency"])
        documents = row.get("documents")
        answer = answers.setdefault(agency, AgencyAnswer(
            agency=agency, name=str(row["name"]),
            documents=None if documents is None else int(str(documents))))
        if "document" not in row:  # a paged answer's agency with no evidence sentence
            continue
        evidence = Evidence(
            document=str(row["document"]),
            source_file=str(row["sourceFile"]),
            ref=_s(row, "ref"),
            text=_s(row, "evidence"),
        )
        if evidence not in answer.evidence:
            answer.evidence.append(evidence)
    return list(answers.values())


@router.get("/mechanisms/{label}/agencies", summary="Agencies responsible for a mechanism")
async def mechanism_agencies(
    label: Label, store: StoreDep, response: Response, limit: Limit = None, offset: Offset = 0
) -> list[AgencyAnswer]:
    """Agencies responsible for a mechanism given by label or alias (simplified or traditional).

    With ``limit``: a page of agencies, busiest first, each with its number of documents and its
    first evidence sentences; ``X-Total-Count`` is the number of agencies.
    """
    if limit is not None:
        page = await run_in_threadpool(
            _paged, store, "agencies-for-mechanism", "mechanism", label, "Mechanism", limit, offset)
        _total(response, page, store)
        return _agencies(page.rows)
    rows = await run_in_threadpool(
        _by_label, store, "agencies-for-mechanism", "mechanism", label, "Mechanism"
    )
    return _agencies(rows)


@router.get("/platforms/{label}/agencies", summary="Agencies responsible for work using a platform")
async def platform_agencies(
    label: Annotated[str, Path(min_length=1, max_length=200, examples=["12345热线"])], store: StoreDep,
    response: Response, limit: Limit = None, offset: Offset = 0,
) -> list[AgencyAnswer]:
    """Agencies responsible for work that uses a platform given by label or alias (``limit``: a page)."""
    if limit is not None:
        page = await run_in_threadpool(
            _paged, store, "agencies-for-platform", "platform", label, "Platform", limit, offset)
        _total(response, page, store)
        return _agencies(page.rows)
    rows = await run_in_threadpool(_by_label, store, "agencies-for-platform", "platform", label, "Platform")
    return _agencies(rows)


def _agency_label(store: GraphStore, label_or_id: str) -> str:
    iri = label_or_id if is_minted(label_or_id) else BASE + label_or_id.removeprefix("/")
    if label_or_id.startswith(("agency/", BASE)):
        found = label_of(store, iri)
        if found is None:
            raise HTTPException(404, f"no agency {label_or_id!r} in the graph")
        return found
    return label_or_id


@router.get("/agencies/{label_or_id:path}/obligations", summary="An agency's obligations across documents")
async def agency_obligations(
    label_or_id: Annotated[str, Path(min_length=1, max_length=300, examples=["区数据局"])], store: StoreDep,
    response: Response, limit: Limit = None, offset: Offset = 0,
) -> list[ObligationInfo]:
    """Obligations of an agency (label, alias or id ``agency/…``) with deadlines and frequencies.

    With ``limit``: the obligations of a page of the agency's items (by year, file and ref);
    ``X-Total-Count`` is the number of items.
    """
    label = await run_in_threadpool(_agency_label, store, label_or_id)
    if limit is not None:
        page = await run_in_threadpool(
            _paged, store, "agency-obligations", "agency", label, "Agency", limit, offset)
        _total(response, page)
        rows = page.rows
    else:
        rows = await run_in_threadpool(_by_label, store, "agency-obligations", "agency", label, "Agency")
    return [
        ObligationInfo(
            obligation=str(r["obligation"]),
            document=str(r["document"]),
            source_file=str(r["sourceFile"]),
            year=_s(r, "year"),
            ref=_s(r, "ref"),
            action=_s(r, "action"),
            strength=_s(r, "strength"),
            deadline=_s(r, "deadline"),
            deadline_text=_s(r, "deadlineText"),
            frequency=_s(r, "frequency"),
            evidence=_s(r, "evidence"),
        )
        for r in rows
    ]


@router.get("/documents", summary="Every document in the graph")
async def documents(store: StoreDep) -> list[DocumentInfo]:
    """Documents with title, year, jurisdiction and issuing agency."""
    rows = await run_in_threadpool(store.select, api_query("documents"))
    return [
        DocumentInfo(
            document=str(r["document"]),
            id=str(r["document"]).removeprefix(BASE),
            source_file=str(r["sourceFile"]),
            title=_s(r, "title"),
            year=_s(r, "year"),
            jurisdiction=_s(r, "jurisdiction"),
            issuer=_s(r, "issuer"),
        )
        for r in rows
    ]


def _document(store: GraphStore, key: str) -> tuple[str, str]:
    found = document_lookup(store, key)
    if found is None:
        raise HTTPException(404, f"no document {key!r} (give its id doc/…, its IRI or its source file name)")
    return found


@router.get("/documents/{doc_id:path}/mechanisms", summary="Mechanisms a document mentions")
async def document_mechanisms(
    doc_id: Annotated[str, Path(examples=["doc/0123456789abcdef"])], store: StoreDep
) -> list[DocumentMechanism]:
    """Mechanisms of one document (by id, IRI or source file), with the number of items concerning each."""
    iri, source_file = await run_in_threadpool(_document, store, doc_id)
    rows = await run_in_threadpool(_named, store, "mechanisms-by-document", {"sourceFile": source_file})
    return [
        DocumentMechanism(
            mechanism=str(r["mechanism"]), name=str(r["name"]), items=int(str(r.get("items", 0)))
        )
        for r in rows
        if str(r["document"]) == iri
    ]


def _diff(store: GraphStore, a: str, b: str) -> DiffAnswer:
    (_, before), (_, after) = _document(store, a), _document(store, b)
    answer = DiffAnswer(a=before, b=after)
    try:  # the fast path: two lookups merged (kg.paging), the same rows as the named query
        rows = run_page(store, "document-diff", {"before": before, "after": after}, limit=100_000).rows
    except (QueryParamError, QueryError) as err:
        raise HTTPException(400, str(err)) from None
    for row in rows:
        ref = EntityRef(entity=str(row["entity"]), name=str(row["name"]), kind=kind_name(row["kind"]))
        getattr(answer, str(row["change"])).append(ref)
    return answer


@router.get("/diff", summary="Mechanisms and platforms added, dropped and kept between two documents")
async def diff(
    a: Annotated[str, Query(min_length=1, examples=["doc/0123456789abcdef"])],
    b: Annotated[str, Query(min_length=1, examples=["doc/fedcba9876543210"])],
    store: StoreDep,
) -> DiffAnswer:
    """Compare two documents (ids, IRIs or source file names)."""
    return await run_in_threadpool(_diff, store, a, b)


@router.get("/terms", summary="Mechanisms and platforms by year and jurisdiction")
async def terms(
    store: StoreDep,
    year: Annotated[str | None, Query(max_length=4, examples=["2025"])] = None,
    jurisdiction: Annotated[str | None, Query(max_length=100, examples=["杭州市西湖区"])] = None,
) -> list[TermInfo]:
    """Mechanisms and platforms mentioned, optionally filtered by year and jurisdiction (traditional ok)."""
    rows = await run_in_threadpool(store.select, api_query("terms"))
    place = normalize_query(jurisdiction) if jurisdiction else None
    return [
        TermInfo(
            entity=str(r["entity"]),
            name=str(r["name"]),
            kind=kind_name(r["kind"]),
            year=_s(r, "year"),
            jurisdiction=_s(r, "jurisdiction"),
            documents=int(str(r.get("documents", 0))),
        )
        for r in rows
        if (year is None or _s(r, "year") == year.strip())
        and (place is None or _s(r, "jurisdiction") == place)
    ]


@router.get("/search", summary="Entities by any name or alias")
async def search(
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["三同步", "政務公開"])], store: StoreDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=1000, description="page size (most mentioned first)")] = 200,
    offset: Offset = 0,
) -> list[SearchHit]:
    """Entities whose name or alias contains ``q`` (simplified or traditional); ``X-Total-Count`` is
    the number of entities found."""
    text = normalize_query(q)
    if not text:
        return []
    try:
        page = await run_in_threadpool(run_page, store, "search-entities", {"text": text}, limit, offset)
    except (QueryParamError, QueryError) as err:
        raise HTTPException(400, str(err)) from None
    _total(response, page)
    rows = page.rows
    return [
        SearchHit(
            entity=str(r["entity"]),
            name=str(r["name"]),
            kind=kind_name(r["kind"]),
            documents=int(str(r.get("documents", 0))),
            page=page_path(str(r["entity"])),
        )
        for r in rows
    ]
