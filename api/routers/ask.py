"""The analysts' questions as pages (``/ask/…``) and as data (``/api/ask/…`` JSON, CSV, XLSX).

Four questions, each answered as one table whose rows name agencies and documents by their
names and titles, with the item reference, the source sentence (spans to highlight), the
deadline and the frequency:

- ``responsible``: 机制/平台 → 责任单位 (``name``, optional ``kind`` mechanism|platform);
- ``tasks``: 单位 → 任务 (``agency``);
- ``document``: 文件 → 内容 (``doc``; without it, the documents that pass the filters);
- ``diff``: 两份文件 → 变化 (``a``, ``b``).

Every question takes the filters ``year``, ``jurisdiction`` (a place name or part of one) and
``level`` (国家/省/市/区县/部门, from the document's jurisdiction and issuer): they keep the rows
whose document passes them (for ``document`` and ``diff``, on the pages, they also narrow the
documents offered to pick), and ``page`` and ``size``. With a jurisdiction, a collective's row
(济南市各区县人民政府) also answers for the members in that place (济南市济阳区人民政府, marked
经 济南市各区县人民政府), from the members ``kg link`` infers; an agency's tasks include those of
the collectives it belongs to, marked the same way. The page's query string holds all of
them, so its URL is a permalink; the downloads hold the whole answer, not one page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from api.deps import StoreDep
from api.graph import api_query, document_lookup, kind_name, page_path
from api.lookup import name_candidates
from api.templating import templates
from api.text import normalize_query
from kg.iris import BASE, ONTOLOGY
from kg.queries import run_named
from kg.store import GraphStore

__all__ = [
    "QUESTIONS",
    "Answer",
    "DocumentView",
    "Filters",
    "agency_obligations",
    "document_view",
    "documents_meta",
    "highlight",
    "level_of",
    "members",
    "responsible_rows",
    "router",
]

router = APIRouter(tags=["ask"])
Row = dict[str, Any]
Question = Literal["responsible", "tasks", "document", "diff"]
QUESTIONS: dict[str, str] = {
    "responsible": "机制/平台 → 责任单位",
    "tasks": "单位 → 任务",
    "document": "文件 → 内容",
    "diff": "两份文件 → 变化",
}
LEVELS = ("国家", "省", "市", "区县", "部门")
KIND_ZH = {"Mechanism": "机制", "Platform": "平台", "Agency": "单位", "Document": "文件"}
CHANGE_ZH = {"added": "新增", "dropped": "删除", "kept": "保留"}
MAX_SIZE = 500

# -- levels -----------------------------------------------------------------------------------

_PROVINCIAL_TAILS = ("省", "自治区", "特别行政区")
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})  # GB/T 2260 provincial-level cities
_COUNTY = re.compile(r"^.+?(?:市|州|盟|地区)(?:.+(?:区|县|旗|市))$")
_GOVERNMENT = re.compile(r"人民政府|政府办|国务院|政务公开|政务服务|政务办")


_ORGAN_TAILS = ("局", "委员会", "委", "厅", "部", "署", "办", "中心", "院", "会")


def _title_organ(title: str | None) -> bool:
    """True when a title opens with a department's name: ``交通运输部2019年…``, ``某某局关于…``."""
    head = re.split(r"\d{4}年?|关于|落实|政务公开", title or "", maxsplit=1)[0]
    return bool(head) and head.endswith(_ORGAN_TAILS) and not re.search(r"政府|国务院|贯彻", head)


def level_of(place: str | None, issuer: str | None, title: str | None = None) -> str | None:
    """The level of a document: 部门 when its issuer (or, without one, the name its title opens
    with) is not a government organ, else by its place.

    >>> level_of("杭州市西湖区", "杭州市西湖区人民政府办公室"), level_of("成都市", "成都市教育局")
    ('区县', '部门')
    >>> level_of("山东省", None), level_of("济南市", None), level_of("北京市", None)
    ('省', '市', '省')
    >>> level_of(None, None, "水利部2020年政务公开工作要点"), level_of("甘肃省", None, "甘肃省2020年要点")
    ('部门', '省')
    """
    if (issuer and not _GOVERNMENT.search(issuer)) or (not issuer and _title_organ(title)):
        return "部门"
    if not place:
        return None
    if place == "中华人民共和国":
        return "国家"
    if place.endswith(_PROVINCIAL_TAILS) or place in _MUNICIPALITIES:
        return "省"
    return "区县" if _COUNTY.match(place) else "市"


# -- highlighting -----------------------------------------------------------------------------


def highlight(text: str, spans: Iterable[tuple[int, int]] = (), names: Iterable[str] = ()) -> list[list[int]]:
    """Spans of ``text`` to mark: the given offsets that fit, else every occurrence of ``names``.

    >>> highlight("落实“三同步”要求", names=["三同步"])
    [[3, 6]]
    """
    marks = sorted({(s, e) for s, e in spans if 0 <= s < e <= len(text)})
    if not marks:
        for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
            for found in re.finditer(re.escape(name), text):
                marks.append((found.start(), found.end()))
    merged: list[list[int]] = []
    for start, end in sorted(marks):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def segments(text: str | None, marks: list[list[int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) pairs for a template."""
    if not text:
        return []
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in marks:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


# -- shared look-ups --------------------------------------------------------------------------


def _s(row: Mapping[str, object], key: str) -> str | None:
    value = row.get(key)
    return None if value is None else str(value)


def _int(row: Mapping[str, object], key: str) -> int | None:
    value = row.get(key)
    try:
        return None if value is None else int(str(value))
    except ValueError:
        return None


def documents_meta(store: GraphStore) -> dict[str, Row]:
    """Every document's title, year, jurisdiction, issuer and level, by IRI."""
    out: dict[str, Row] = {}
    for r in store.select(api_query("ask-documents")):
        iri = str(r["document"])
        place, issuer = _s(r, "jurisdiction"), _s(r, "issuer")
        title = _s(r, "title") or _s(r, "noticeTitle")
        out[iri] = {
            "document": iri,
            "href": page_path(iri),
            "source_file": _s(r, "sourceFile"),
            "title": title or f"{_s(r, 'sourceFile')}（无标题）",
            "year": (_s(r, "year") or "")[:4] or None,
            "jurisdiction": place,
            "issuer": issuer,
            "level": level_of(place, issuer, title),
        }
    return out


def names_of(store: GraphStore, iri: str) -> tuple[str | None, list[str], list[str]]:
    """(label, other names, kinds) of a node."""
    label: str | None = None
    alts: list[str] = []
    kinds: set[str] = set()
    for r in store.select(api_query("ask-names"), {"node": URIRef(iri)}):
        kinds.add(kind_name(r["kind"]))
        label = label or _s(r, "label")
        alt = _s(r, "alt")
        if alt and alt not in alts:
            alts.append(alt)
    return label, sorted(alts), sorted(kinds)


def _nodes_named(store: GraphStore, kind: str, text: str) -> list[str]:
    """IRIs of the ``kind`` entities a typed name stands for (exact, normalised, then tolerant)."""
    query = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?n WHERE {{ ?n a <{ONTOLOGY}{kind}> ; rdfs:label|skos:altLabel ?name .
  FILTER(STR(?name) = STR(?text)) }} ORDER BY ?n"""
    tried: list[str] = []
    for candidate in (text.strip(), normalize_query(text)):
        if candidate and candidate not in tried:
            tried.append(candidate)
            found = [str(r["n"]) for r in store.select(query, {"text": candidate})]
            if found:
                return found
    nodes: list[str] = []
    for label in name_candidates(store, kind, text):
        nodes.extend(str(r["n"]) for r in store.select(query, {"text": label}) if str(r["n"]) not in nodes)
    key = normalize_query(text)
    if not nodes and len(key) >= 5:  # a name without its place: 西湖区司法局 for 杭州市西湖区司法局
        tail = query.replace("FILTER(STR(?name) = STR(?text))", "FILTER(STRENDS(STR(?name), STR(?text)))")
        nodes = [str(r["n"]) for r in store.select(tail, {"text": key})][:20]
    return nodes


# -- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The year, jurisdiction and level a row's document must have."""

    year: str | None = None
    jurisdiction: str | None = None
    level: str | None = None

    @classmethod
    def of(cls, year: str | None, jurisdiction: str | None, level: str | None) -> Filters:
        place = normalize_query(jurisdiction) if jurisdiction and jurisdiction.strip() else None
        return cls((year or "").strip() or None, place, (level or "").strip() or None)

    def keep(self, doc: Mapping[str, Any] | None) -> bool:
        if not (self.year or self.jurisdiction or self.level):
            return True
        if doc is None:
            return False
        return (
            (self.year is None or doc.get("year") == self.year)
            and (self.jurisdiction is None or self.jurisdiction in (doc.get("jurisdiction") or ""))
            and (self.level is None or doc.get("level") == self.level)
        )


# -- answers ----------------------------------------------------------------------------------


@dataclass
class Answer:
    """One question's whole answer: a title, columns (key, Chinese heading) and rows."""

    question: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[Row] = field(default_factory=list)
    matched: list[dict[str, str]] = field(default_factory=list)
    message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def table(self) -> list[list[str]]:
        """Header and rows as text, for CSV and XLSX."""
        out = [[title for _, title in self.columns]]
        for row in self.rows:
            out.append(["" if row.get(key) is None else str(row[key]) for key, _ in self.columns])
        return out


RESPONSIBLE_COLUMNS = [
    ("agency_name", "责任单位"),
    ("entity_name", "机制/平台"),
    ("title", "文件"),
    ("year", "年份"),
    ("jurisdiction", "地区"),
    ("level", "层级"),
    ("ref", "条目"),
    ("evidence", "原文"),
    ("deadline", "完成时限"),
    ("frequency", "频次"),
]
TASK_COLUMNS = [
    ("agency_name", "单位"),
    ("year", "年份"),
    ("title", "文件"),
    ("jurisdiction", "地区"),
    ("level", "层级"),
    ("ref", "条目"),
    ("action", "任务"),
    ("deadline", "完成时限"),
    ("deadline_text", "时限原文"),
    ("frequency", "频次"),
    ("evidence", "原文"),
]
DOCUMENT_COLUMNS = [
    ("ref", "条目"),
    ("item_title", "标题"),
    ("agencies", "责任单位"),
    ("mechanisms", "机制"),
    ("platforms", "平台"),
    ("deadline", "完成时限"),
    ("frequency", "频次"),
    ("evidence", "原文"),
]
DOCUMENTS_COLUMNS = [
    ("title", "文件"),
    ("year", "年份"),
    ("jurisdiction", "地区"),
    ("level", "层级"),
    ("issuer", "发文单位"),
    ("source_file", "源文件"),
]
DIFF_COLUMNS = [
    ("change", "变化"),
    ("kind", "类别"),
    ("name", "名称"),
    ("title", "所在文件"),
    ("refs", "条目"),
    ("agencies", "责任单位"),
    ("evidence", "原文"),
]


def _join(values: Iterable[str | None]) -> str | None:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return "；".join(seen) or None


_CN_NUMERALS = "一二三四五六七八九十"
_CN_ORDER: dict[str, int] = {}
for _i, _ch in enumerate(_CN_NUMERALS, 1):
    _CN_ORDER[_ch] = _i
    _CN_ORDER["十" + _ch] = 10 + _i
    if _i > 1:
        _CN_ORDER[_ch + "十"] = _i * 10
del _i, _ch


def _sortable_ref(ref: str | None) -> list[tuple[int, str]]:
    """A ref as comparable parts: 二/（十一）/3 → order 2, 11, 3."""
    out: list[tuple[int, str]] = []
    for part in (ref or "").split("/"):
        bare = part.strip("（）() ")
        if bare.isdigit():
            out.append((int(bare), ""))
        elif bare in _CN_ORDER:
            out.append((_CN_ORDER[bare], ""))
        else:
            out.append((10_000, bare))
    return out


def responsible_rows(store: GraphStore, entity: str, docs: Mapping[str, Row]) -> list[Row]:
    """Agencies responsible for items concerning ``entity``: one row per agency and item."""
    label, alts, kinds = names_of(store, entity)
    names = [n for n in [label, *alts] if n]
    groups: dict[tuple[str, str], Row] = {}
    for r in store.select(api_query("ask-responsible"), {"entity": URIRef(entity)}):
        agency, item = str(r["agency"]), str(r["item"])
        doc = docs.get(str(r["document"]), {})
        row = groups.get((agency, item))
        if row is None:
            row = groups[(agency, item)] = {
                "agency": agency,
                "agency_name": _s(r, "agencyName"),
                "agency_href": page_path(agency),
                "entity": entity,
                "entity_name": label,
                "entity_href": page_path(entity),
                "entity_kind": KIND_ZH.get(next((k for k in kinds if k in KIND_ZH), ""), ""),
                "document": str(r["document"]),
                "document_href": page_path(str(r["document"])),
                "title": doc.get("title"),
                "year": doc.get("year"),
                "jurisdiction": doc.get("jurisdiction"),
                "level": doc.get("level"),
                "ref": _s(r, "ref"),
                "evidence": None,
                "_start": None,
                "_spans": [],
                "_deadlines": [],
                "_frequencies": [],
            }
        text, m_start, m_end, ev_start = (
            _s(r, "evText"),
            _int(r, "mStart"),
            _int(r, "mEnd"),
            _int(r, "evStart"),
        )
        if text is not None:
            order = m_start if m_start is not None else 1 << 60
            if row["evidence"] is None or (row["_start"] is not None and order < row["_start"]):
                row["evidence"], row["_start"], row["_spans"] = text, order, []
            if text == row["evidence"] and None not in (m_start, m_end, ev_start):
                assert m_start is not None and m_end is not None and ev_start is not None
                row["_spans"].append((m_start - ev_start, m_end - ev_start))
            surface = _s(r, "surface")
            if surface:
                names.append(surface)
        elif row["evidence"] is None and _s(r, "itemText"):
            row["evidence"] = _s(r, "itemText")
        for key, target in (
            ("obDeadline", "_deadlines"),
            ("deadline", "_deadlines"),
            ("frequency", "_frequencies"),
        ):
            value = _s(r, key)
            if value and value not in row[target]:
                row[target].append(value)
    rows = list(groups.values())
    for row in rows:
        row["marks"] = highlight(row["evidence"] or "", row.pop("_spans"), names)
        row["deadline"] = _join(sorted(row.pop("_deadlines")))
        row["frequency"] = _join(row.pop("_frequencies"))
        row.pop("_start")
    rows.sort(
        key=lambda r: (r["agency_name"] or "", r["year"] or "", r["title"] or "", _sortable_ref(r["ref"]))
    )
    return rows


VIA_COLUMN = ("via_name", "经由集合单位")


@dataclass(frozen=True)
class Member:
    """A member of a collective (``org:hasMember``), with its place."""

    group: str
    group_name: str | None
    member: str
    name: str | None
    place: str | None


def members(store: GraphStore) -> list[Member]:
    """Every membership ``kg link`` inferred (各区县人民政府 → each district's government)."""
    return [
        Member(str(r["group"]), _s(r, "groupName"), str(r["member"]), _s(r, "memberName"), _s(r, "place"))
        for r in store.select(api_query("ask-members"))
    ]


def _via(row: Row, member: str, name: str | None, group_name: str | None) -> Row:
    """A collective's row as the answer of one of its members, marked with the collective."""
    return row | {
        "agency": member,
        "agency_name": name,
        "agency_href": page_path(member),
        "via": row["agency"],
        "via_name": row["agency_name"] or group_name,
        "via_href": row["agency_href"],
    }


def _member_rows(rows: Iterable[Row], filters: Filters, docs: Mapping[str, Row],
                 memberships: list[Member]) -> list[Row]:
    """Rows the jurisdiction filter drops whose collective has members in that place, for those members."""
    if filters.jurisdiction is None:
        return []
    by_group: dict[str, list[Member]] = {}
    for m in memberships:
        if _in_place(m, filters.jurisdiction):
            by_group.setdefault(m.group, []).append(m)
    rest = Filters(filters.year, None, filters.level)
    out: list[Row] = []
    for row in rows:
        doc = docs.get(row["document"])
        if row["agency"] in by_group and not filters.keep(doc) and rest.keep(doc):
            out.extend(_via(row, m.member, m.name, m.group_name) for m in by_group[row["agency"]])
    return out


def _in_place(member: Member, place: str | None) -> bool:
    return place is not None and (place in (member.place or "") or place in (member.name or ""))


def _member_keeps(filters: Filters, member: Member, doc: Mapping[str, Any] | None) -> bool:
    """A collective's document passes for a member when it passes, or the member is in the place asked."""
    if filters.keep(doc):
        return True
    return _in_place(member, filters.jurisdiction) and Filters(filters.year, None, filters.level).keep(doc)


def _with_via(answer: Answer) -> None:
    """Show the 经由集合单位 column after the agency when some row came through a collective."""
    if any(r.get("via") for r in answer.rows) and VIA_COLUMN not in answer.columns:
        at = next((i + 1 for i, (k, _) in enumerate(answer.columns) if k == "agency_name"), 1)
        answer.columns = [*answer.columns[:at], VIA_COLUMN, *answer.columns[at:]]


def _responsible(store: GraphStore, params: Mapping[str, str], filters: Filters) -> Answer:
    name = params.get("name", "").strip()
    kind = params.get("kind", "")
    answer = Answer("responsible", "哪些单位负责这个机制或平台？", RESPONSIBLE_COLUMNS)
    if not name:
        answer.message = "请输入机制或平台的名称，例如 三同步、12345热线。"
        return answer
    kinds = {"mechanism": ["Mechanism"], "platform": ["Platform"]}.get(kind, ["Mechanism", "Platform"])
    nodes = [(k, n) for k in kinds for n in _nodes_named(store, k, name)]
    if not nodes:
        answer.message = f"图中没有名为“{name}”的机制或平台。"
        return answer
    docs = documents_meta(store)
    memberships = members(store) if filters.jurisdiction else []
    for k, node in nodes:
        label, _, _ = names_of(store, node)
        answer.matched.append({"name": label or node, "kind": KIND_ZH[k], "href": page_path(node)})
        rows = responsible_rows(store, node, docs)
        answer.rows.extend(r for r in rows if filters.keep(docs.get(r["document"])))
        answer.rows.extend(_member_rows(rows, filters, docs, memberships))
    answer.rows.sort(
        key=lambda r: (r["agency_name"] or "", r["year"] or "", r["title"] or "", _sortable_ref(r["ref"]))
    )
    _with_via(answer)
    answer.title = "、".join(m["name"] for m in answer.matched) + " 的责任单位"
    return answer


def agency_obligations(store: GraphStore, agency: str, docs: Mapping[str, Row]) -> list[Row]:
    """What the agency ``agency`` (an IRI) must do: one row per obligation (or task-table row)."""
    label, alts, _ = names_of(store, agency)
    if label is None:
        return []
    names = [label, *alts]
    rows: list[Row] = []
    for r in run_named(store, "agency-obligations", {"agency": label}):
        if str(r["agencyNode"]) != agency:
            continue
        doc = docs.get(str(r["document"]), {})
        text = _s(r, "evidence")
        rows.append(
            {
                "agency": agency,
                "agency_name": label,
                "agency_href": page_path(agency),
                "obligation": str(r["obligation"]),
                "document": str(r["document"]),
                "document_href": page_path(str(r["document"])),
                "title": doc.get("title"),
                "year": doc.get("year") or (_s(r, "year") or "")[:4] or None,
                "jurisdiction": doc.get("jurisdiction"),
                "level": doc.get("level"),
                "ref": _s(r, "ref"),
                "action": _s(r, "action"),
                "strength": _s(r, "strength"),
                "deadline": _s(r, "deadline"),
                "deadline_text": _s(r, "deadlineText"),
                "frequency": _s(r, "frequency"),
                "evidence": text,
                "marks": highlight(text or "", names=names),
            }
        )
    rows.sort(key=lambda r: (r["year"] or "", r["title"] or "", _sortable_ref(r["ref"])))
    return rows


def _tasks(store: GraphStore, params: Mapping[str, str], filters: Filters) -> Answer:
    name = params.get("agency", "").strip()
    answer = Answer("tasks", "这个单位要做什么？", TASK_COLUMNS)
    if not name:
        answer.message = "请输入单位名称，例如 区政府办公室、市数据局。"
        return answer
    nodes = [name] if name.startswith(BASE) else _nodes_named(store, "Agency", name)
    if not nodes:
        answer.message = f"图中没有名为“{name}”的单位。"
        return answer
    docs = documents_meta(store)
    groups: dict[str, list[Member]] = {}
    for m in members(store):
        groups.setdefault(m.member, []).append(m)
    for node in nodes:
        label, _, _ = names_of(store, node)
        answer.matched.append({"name": label or node, "kind": "单位", "href": page_path(node)})
        answer.rows.extend(
            r for r in agency_obligations(store, node, docs) if filters.keep(docs.get(r["document"]))
        )
        for m in groups.get(node, []):  # what it must do as a member of a collective
            answer.rows.extend(
                _via(r, node, label, m.group_name)
                for r in agency_obligations(store, m.group, docs)
                if _member_keeps(filters, m, docs.get(r["document"]))
            )
    _with_via(answer)
    answer.title = "、".join(m["name"] for m in answer.matched) + " 的任务"
    return answer


@dataclass
class DocumentView:
    """A document's metadata and its items with agencies, mechanisms, platforms and sentences."""

    meta: Row
    items: list[Row]
    terms: list[Row]


def document_view(store: GraphStore, iri: str, docs: Mapping[str, Row] | None = None) -> DocumentView | None:
    """Everything the document page and the 文件 → 内容 answer show about one document."""
    bound = {"document": URIRef(iri)}
    meta_rows = store.select(api_query("ask-document-meta"), bound)
    if not meta_rows:
        return None
    m = meta_rows[0]
    summary = (docs or {}).get(iri) or {}
    meta: Row = {
        "document": iri,
        "href": page_path(iri),
        "source_file": _s(m, "sourceFile"),
        "title": _s(m, "title") or _s(m, "noticeTitle") or f"{_s(m, 'sourceFile')}（无标题）",
        "notice_title": _s(m, "noticeTitle"),
        "number": _s(m, "number"),
        "issued": _s(m, "issued"),
        "year": (_s(m, "year") or "")[:4] or None,
        "draft": _s(m, "draft"),
        "issuer": _s(m, "issuer"),
        "issuer_href": page_path(str(m["issuerNode"])) if m.get("issuerNode") else None,
        "jurisdiction": _s(m, "jurisdiction"),
    }
    meta["level"] = summary.get("level") or level_of(meta["jurisdiction"], meta["issuer"], meta["title"])
    items: dict[str, Row] = {}
    for r in store.select(api_query("ask-document-items"), bound):
        item = str(r["item"])
        items.setdefault(
            item,
            {
                "item": item,
                "ref": _s(r, "ref"),
                "item_title": _s(r, "title"),
                "depth": _int(r, "level") or 1,
                "parent": _s(r, "parent"),
                "section": _section(_s(r, "parent")),
                "evidence": _s(r, "evText"),
                "_ev_start": _int(r, "evStart"),
                "_deadlines": [],
                "_frequencies": [],
                "_agencies": [],
                "_mechanisms": [],
                "_platforms": [],
            },
        )
        if items[item]["evidence"] is None:
            items[item]["evidence"] = _s(r, "evText") or _s(r, "obText")
            items[item]["_ev_start"] = _int(r, "evStart")
        if _s(r, "deadline") and _s(r, "deadline") not in items[item]["_deadlines"]:
            items[item]["_deadlines"].append(_s(r, "deadline"))
    slot = {
        "responsibleAgency": "_agencies",
        "concernsMechanism": "_mechanisms",
        "usesPlatform": "_platforms",
        "frequency": "_frequencies",
        "deadline": "_deadlines",
    }
    terms: dict[str, Row] = {}
    for r in store.select(api_query("ask-document-links"), bound):
        row = items.get(str(r["item"]))
        if row is None:
            continue
        rel = kind_name(r["rel"])
        target, name = str(r["target"]), str(r["name"])
        bucket = row[slot[rel]]
        entry: Any = name if rel in ("frequency", "deadline") else {"name": name, "href": page_path(target)}
        if entry not in bucket:
            bucket.append(entry)
        if rel in ("concernsMechanism", "usesPlatform"):
            term = terms.setdefault(
                target,
                {
                    "entity": target,
                    "name": name,
                    "href": page_path(target),
                    "kind": "机制" if rel == "concernsMechanism" else "平台",
                    "item_count": 0,
                    "refs": [],
                },
            )
            term["item_count"] += 1
            term["refs"].append(row["ref"])
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in store.select(api_query("ask-document-mentions"), bound):
        m_start, m_end = _int(r, "mStart"), _int(r, "mEnd")
        if m_start is None or m_end is None:
            continue
        for item, row in items.items():
            start, text = row["_ev_start"], row["evidence"]
            if start is not None and text and start <= m_start and m_end <= start + len(text):
                spans.setdefault(item, []).append((m_start - start, m_end - start))
    for item, row in items.items():
        names = [e["name"] for key in ("_agencies", "_mechanisms", "_platforms") for e in row[key]]
        row["marks"] = highlight(row["evidence"] or "", spans.get(item, []), names)
        row["agency_links"] = row.pop("_agencies")
        row["mechanism_links"] = row.pop("_mechanisms")
        row["platform_links"] = row.pop("_platforms")
        row["agencies"] = _join(e["name"] for e in row["agency_links"])
        row["mechanisms"] = _join(e["name"] for e in row["mechanism_links"])
        row["platforms"] = _join(e["name"] for e in row["platform_links"])
        row["deadline"] = _join(sorted(row.pop("_deadlines")))
        row["frequency"] = _join(row.pop("_frequencies"))
        row.pop("_ev_start")
        row.update({k: meta[k] for k in ("title", "year", "jurisdiction", "level")})
        row["document"] = iri
    ordered = sorted(items.values(), key=lambda r: _sortable_ref(r["ref"]))
    term_list = sorted(terms.values(), key=lambda t: (t["kind"], -t["item_count"], t["name"]))
    for term in term_list:
        term["refs"] = sorted(set(term["refs"]), key=_sortable_ref)
    return DocumentView(meta, ordered, term_list)


def _section(parent: str | None) -> str | None:
    """The reference of an item's parent from its IRI (``…/item/%E4%BA%8C`` → ``二``)."""
    if not parent or "/item/" not in parent:
        return None
    return unquote(parent.rsplit("/item/", 1)[1])


def _find_document(store: GraphStore, key: str) -> str | None:
    found = document_lookup(store, key.strip()) if key.strip() else None
    return found[0] if found else None


def _document(store: GraphStore, params: Mapping[str, str], filters: Filters) -> Answer:
    key = params.get("doc", "").strip()
    docs = documents_meta(store)
    if not key:
        answer = Answer("document", "有哪些文件？", DOCUMENTS_COLUMNS)
        answer.rows = [
            {
                **d,
                "document_href": d["href"],
                "ask_href": "/ask/document?" + urlencode({"doc": d["document"].removeprefix(BASE)}),
            }
            for d in sorted(docs.values(), key=lambda d: (d["year"] or "", d["title"] or ""))
            if filters.keep(d)
        ]
        answer.message = "选择一份文件查看它的条目、责任单位、机制和平台。"
        return answer
    iri = _find_document(store, key)
    view = document_view(store, iri, docs) if iri else None
    if view is None:
        answer = Answer("document", "文件内容", DOCUMENT_COLUMNS)
        answer.message = f"图中没有文件“{key}”（可用文件编号 doc/…、IRI 或源文件名）。"
        return answer
    answer = Answer("document", f"{view.meta['title']} 的内容", DOCUMENT_COLUMNS)
    answer.rows = [r for r in view.items if filters.keep(view.meta)]
    answer.extra = {"meta": view.meta, "terms": view.terms}
    return answer


def _diff(store: GraphStore, params: Mapping[str, str], filters: Filters) -> Answer:
    a, b = params.get("a", "").strip(), params.get("b", "").strip()
    answer = Answer("diff", "两份文件之间有什么变化？", DIFF_COLUMNS)
    if not (a and b):
        answer.message = "请选择两份文件：之前的（A）和之后的（B）。"
        return answer
    docs = documents_meta(store)
    found_a, found_b = document_lookup(store, a), document_lookup(store, b)
    if found_a is None or found_b is None:
        answer.message = f"图中没有文件“{a if found_a is None else b}”。"
        return answer
    view_a, view_b = document_view(store, found_a[0], docs), document_view(store, found_b[0], docs)
    assert view_a is not None and view_b is not None
    answer.title = f"从《{view_a.meta['title']}》到《{view_b.meta['title']}》的变化"
    answer.extra = {"a": view_a.meta, "b": view_b.meta}
    sentences = {
        found_a[0]: _first_sentences(store, found_a[0]),
        found_b[0]: _first_sentences(store, found_b[0]),
    }
    views = {found_a[0]: view_a, found_b[0]: view_b}
    for r in run_named(store, "document-diff", {"before": found_a[1], "after": found_b[1]}):
        change, entity = str(r["change"]), str(r["entity"])
        where = found_a[0] if change == "dropped" else found_b[0]
        view = views[where]
        holding = [
            i
            for i in view.items
            if any(e["href"] == page_path(entity) for e in i["mechanism_links"] + i["platform_links"])
        ]
        text, marks = sentences[where].get(entity, (None, []))
        if text is None and holding:
            text = holding[0]["evidence"]
            _, alts, _ = names_of(store, entity)
            marks = highlight(text or "", names=[str(r["name"]), *alts])
        answer.rows.append(
            {
                "change": CHANGE_ZH.get(change, change),
                "change_key": change,
                "kind": KIND_ZH.get(kind_name(r["kind"]), kind_name(r["kind"])),
                "entity": entity,
                "entity_href": page_path(entity),
                "name": str(r["name"]),
                "document": where,
                "document_href": page_path(where),
                "title": view.meta["title"],
                "year": view.meta["year"],
                "jurisdiction": view.meta["jurisdiction"],
                "level": view.meta["level"],
                "refs": _join(i["ref"] for i in holding),
                "agencies": _join(e["name"] for i in holding for e in i["agency_links"]),
                "evidence": text,
                "marks": marks,
            }
        )
    order = {"added": 0, "dropped": 1, "kept": 2}
    answer.rows.sort(key=lambda r: (order.get(r["change_key"], 3), r["kind"], r["name"]))
    answer.extra["counts"] = {CHANGE_ZH[k]: sum(r["change_key"] == k for r in answer.rows) for k in order}
    return answer


def _first_sentences(store: GraphStore, document: str) -> dict[str, tuple[str | None, list[list[int]]]]:
    """Each mechanism's and platform's first sentence in the document, with its spans marked."""
    first: dict[str, tuple[int, str, list[list[int]]]] = {}
    for r in store.select(api_query("ask-document-mentions"), {"document": URIRef(document)}):
        text = _s(r, "evText")
        if text is None or kind_name(r["kind"]) == "Agency":
            continue
        m_start, m_end, ev_start = _int(r, "mStart"), _int(r, "mEnd"), _int(r, "evStart")
        order = m_start if m_start is not None else 1 << 60
        entity = str(r["entity"])
        if entity in first and first[entity][0] <= order:
            continue
        spans = [(m_start - ev_start, m_end - ev_start)] if None not in (m_start, m_end, ev_start) else []  # type: ignore[operator]
        first[entity] = (order, text, highlight(text, spans, [_s(r, "surface") or ""]))
    return {entity: (text, marks) for entity, (_, text, marks) in first.items()}


ANSWERERS = {"responsible": _responsible, "tasks": _tasks, "document": _document, "diff": _diff}
PARAMS = {"responsible": ("name", "kind"), "tasks": ("agency",), "document": ("doc",), "diff": ("a", "b")}


def answer(store: GraphStore, question: str, params: Mapping[str, str], filters: Filters) -> Answer:
    """The whole answer to ``question``."""
    return ANSWERERS[question](store, params, filters)


# -- routes -----------------------------------------------------------------------------------

Year = Annotated[str | None, Query(max_length=4, description="年份 (the document's year)", examples=["2025"])]
Place = Annotated[
    str | None,
    Query(max_length=100, description="地区: a jurisdiction or part of its name", examples=["济南市"]),
]
Level = Annotated[Literal["国家", "省", "市", "区县", "部门", ""] | None, Query(description="层级")]
Page = Annotated[int, Query(ge=1, le=100_000)]
Size = Annotated[int, Query(ge=1, le=MAX_SIZE)]
Text = Annotated[str, Query(max_length=300)]


def _params(request: Request, question: str) -> dict[str, str]:
    return {key: request.query_params.get(key, "")[:300] for key in PARAMS[question]}


def _public(row: Row) -> Row:
    return {k: v for k, v in row.items() if not k.startswith("_") and not k.endswith("_links")}


def _payload(result: Answer, page: int, size: int) -> dict[str, Any]:
    total = len(result.rows)
    return {
        "question": result.question,
        "title": result.title,
        "message": result.message,
        "matched": result.matched,
        "total": total,
        "page": page,
        "size": size,
        "pages": max(1, -(-total // size)),
        "columns": [{"key": k, "title": t} for k, t in result.columns],
        "rows": [_public(r) for r in result.rows[(page - 1) * size : page * size]],
        "extra": {k: v for k, v in result.extra.items() if k != "terms"}
        | ({"terms": [_public(t) for t in result.extra["terms"]]} if "terms" in result.extra else {}),
    }


def _csv(result: Answer) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(result.table())
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx(result: Answer) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = QUESTIONS[result.question].replace("/", "、")[:31]
    for row in result.table():
        # a leading '=' would make a cell a formula: write every value as text
        sheet.append([_ILLEGAL_XLSX.sub("", v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in sheet.iter_cols(min_row=1, max_row=sheet.max_row):
        for cell in cells:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = max((len(str(c.value or "")) for c in cells[:200]), default=4)
        sheet.column_dimensions[cells[0].column_letter].width = min(60, max(6, width * 2))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _filename(result: Answer, suffix: str) -> str:
    from urllib.parse import quote

    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", result.title)[:80] or result.question
    return f"attachment; filename=\"{result.question}.{suffix}\"; filename*=UTF-8''{quote(name)}.{suffix}"


def _run(store: GraphStore, question: str, params: Mapping[str, str], filters: Filters) -> Answer:
    return answer(store, question, params, filters)


@router.get(
    "/api/ask/{question}.{fmt}",
    summary="A question's whole answer as CSV or Excel",
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        }
    },
)
async def ask_download(
    question: Question,
    fmt: Literal["csv", "xlsx"],
    request: Request,
    store: StoreDep,
    year: Year = None,
    jurisdiction: Place = None,
    level: Level = None,
) -> Response:
    """The whole answer (every page), with Chinese column headings; same parameters as the JSON."""
    filters = Filters.of(year, jurisdiction, level)
    result = await run_in_threadpool(_run, store, question, _params(request, question), filters)
    if fmt == "csv":
        body, media = _csv(result), "text/csv; charset=utf-8"
    else:
        body = await run_in_threadpool(_xlsx, result)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": _filename(result, fmt)})


@router.get("/api/ask/{question}", summary="A question's answer, filtered and paged")
async def ask_json(
    question: Question,
    request: Request,
    store: StoreDep,
    name: Text = "",
    kind: Annotated[Literal["mechanism", "platform", ""], Query()] = "",
    agency: Text = "",
    doc: Text = "",
    a: Text = "",
    b: Text = "",
    year: Year = None,
    jurisdiction: Place = None,
    level: Level = None,
    page: Page = 1,
    size: Size = 50,
) -> dict[str, Any]:
    """Answer ``responsible`` (name, kind), ``tasks`` (agency), ``document`` (doc) or ``diff`` (a, b).

    ``total`` counts every row that passes the filters; ``rows`` holds page ``page`` of ``size``.
    Each row's ``marks`` are the [start, end) spans of ``evidence`` to highlight.
    """
    filters = Filters.of(year, jurisdiction, level)
    result = await run_in_threadpool(_run, store, question, _params(request, question), filters)
    return _payload(result, page, size)


def _choices(store: GraphStore, filters: Filters, chosen: Iterable[str]) -> dict[str, Any]:
    """The values the form offers; the documents to pick are those passing the filters (and any chosen)."""
    docs = sorted(documents_meta(store).values(), key=lambda d: (d["year"] or "", d["title"] or ""))
    keys = {key for key in chosen if key}

    def picked(d: Row) -> bool:
        return bool(keys & {d["document"], d["document"].removeprefix(BASE), d["source_file"]})

    return {
        "documents": [d for d in docs if filters.keep(d) or picked(d)],
        "years": sorted({d["year"] for d in docs if d["year"]}, reverse=True),
        "jurisdictions": sorted({d["jurisdiction"] for d in docs if d["jurisdiction"]}),
        "levels": LEVELS,
    }


def _page_links(request: Request, page: int, pages: int) -> dict[str, str | None]:
    def at(n: int) -> str:
        query = dict(request.query_params)
        query["page"] = str(n)
        return f"{request.url.path}?{urlencode(query)}"

    return {
        "prev": at(page - 1) if page > 1 else None,
        "next": at(page + 1) if page < pages else None,
        "first": at(1) if page > 1 else None,
        "last": at(pages) if page < pages else None,
    }


@router.get("/ask/{question}", response_class=HTMLResponse, include_in_schema=False)
async def ask_page(
    question: Question,
    request: Request,
    store: StoreDep,
    year: Year = None,
    jurisdiction: Place = None,
    level: Level = None,
    page: Page = 1,
    size: Size = 50,
) -> HTMLResponse:
    """The question's page: its form, filters, the answer's page ``page``, downloads and a permalink."""
    params = _params(request, question)
    filters = Filters.of(year, jurisdiction, level)
    result, choices = await run_in_threadpool(
        lambda: (_run(store, question, params, filters), _choices(store, filters, params.values()))
    )
    data = _payload(result, page, size)
    query = request.url.query
    context = {
        "q": question,
        "questions": QUESTIONS,
        "answer": result,
        "data": data,
        "rows": result.rows[(page - 1) * size : page * size],
        "params": params,
        "filters": {
            "year": filters.year or "",
            "jurisdiction": jurisdiction or "",
            "level": filters.level or "",
        },
        "choices": choices,
        "pager": _page_links(request, page, data["pages"]),
        "first_index": (page - 1) * size,
        "downloads": {
            fmt: f"/api/ask/{question}.{fmt}" + (f"?{query}" if query else "") for fmt in ("csv", "xlsx")
        },
        "json_href": f"/api/ask/{question}" + (f"?{query}" if query else ""),
        "permalink": str(request.url),
        "segments": segments,
    }
    return templates.TemplateResponse(request, "ask.html", context)


@router.get("/ask", response_class=HTMLResponse, include_in_schema=False)
async def ask_index(request: Request) -> HTMLResponse:
    """The questions, as on the home page."""
    return templates.TemplateResponse(request, "ask_index.html", {"questions": QUESTIONS})
