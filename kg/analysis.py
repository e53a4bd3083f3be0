"""Small analysis helpers for the notebooks: tables (pandas) and charts (matplotlib) over the store.

Each function takes a :class:`kg.store.GraphStore` and returns a DataFrame or a
figure, so the notebooks stay short and the logic is tested here. Queries use
the contract terms of ``spec/CONTRACT.md`` (and ``org:hasMember`` for the
inferred members of collectives).

Example:
    >>> from kg.store import OxigraphStore
    >>> documents(OxigraphStore(None)).empty
    True
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd
from rdflib import URIRef

from kg.iris import BASE, ONTOLOGY
from kg.link import LINKSET, read_linkset, sameas_triples
from kg.link import link_store as store_link_graphs
from kg.queries import run_named

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kg.store import GraphStore, OxigraphStore, Triple

__all__ = [
    "LINKSET_GRAPH",
    "MEMBER_QUERY",
    "RootNotFoundError",
    "cjk_font",
    "compare_documents",
    "compare_levels",
    "documents",
    "heatmap_figure",
    "iframe_html",
    "link_store",
    "load_linkset",
    "member_obligations",
    "obligation_timeline",
    "project_root",
    "responsibility_matrix",
    "responsibility_table",
    "short_labels",
    "timeline_figure",
    "zh",
]

LINKSET_GRAPH = URIRef(BASE + "graph/linkset-wikidata")
PREFIXES = f"""PREFIX zwgk: <{ONTOLOGY}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
"""
DOCUMENTS_QUERY = PREFIXES + """SELECT DISTINCT ?document ?sourceFile ?title ?year ?jurisdiction ?draft
                ?issuer
WHERE {
  ?document a zwgk:Document ; zwgk:sourceFile ?sourceFile .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?document zwgk:year ?y } BIND(STR(?y) AS ?year)
  OPTIONAL { ?document zwgk:jurisdiction/rdfs:label ?jurisdiction }
  OPTIONAL { ?document zwgk:isDraft ?draft }
  OPTIONAL { ?document zwgk:issuedBy/rdfs:label ?issuer }
}"""
EDGES_QUERY = PREFIXES + """SELECT DISTINCT ?agency ?target ?kind ?item ?year ?jurisdiction WHERE {
  ?document zwgk:hasItem ?item .
  OPTIONAL { ?document zwgk:year ?y } BIND(STR(?y) AS ?year)
  OPTIONAL { ?document zwgk:jurisdiction/rdfs:label ?jurisdiction }
  { ?item zwgk:responsibleAgency ?a . BIND(?item AS ?node) }
  UNION { ?item zwgk:hasObligation ?node . ?node zwgk:responsibleAgency ?a }
  { ?node zwgk:concernsMechanism ?t . BIND("Mechanism" AS ?kind) }
  UNION { ?node zwgk:usesPlatform ?t . BIND("Platform" AS ?kind) }
  ?a rdfs:label ?agency . ?t rdfs:label ?target .
}"""
TIMELINE_QUERY = PREFIXES + """SELECT DISTINCT ?sourceFile ?title ?year ?ref ?node ?deadline ?deadlineText
                ?action ?agency WHERE {
  ?document zwgk:hasItem ?item ; zwgk:sourceFile ?sourceFile .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL { ?document zwgk:year ?y } BIND(STR(?y) AS ?year)
  ?item zwgk:ref ?ref .
  { ?item zwgk:hasObligation ?node . ?node zwgk:deadline ?deadline }
  UNION {
    ?item zwgk:deadline ?deadline . BIND(?item AS ?node)
    FILTER NOT EXISTS { ?item zwgk:hasObligation/zwgk:deadline ?other }
  }
  OPTIONAL { ?node zwgk:deadlineText ?deadlineText }
  OPTIONAL { ?node zwgk:action ?action }
  OPTIONAL { ?node zwgk:responsibleAgency/rdfs:label ?agency }
}"""
MEMBER_QUERY = PREFIXES + """SELECT DISTINCT ?member ?code ?collective ?sourceFile ?ref ?evidence WHERE {
  ?document zwgk:hasItem ?item ; zwgk:sourceFile ?sourceFile ; zwgk:year ?y .
  FILTER(?year = "" || STR(?y) = ?year)
  ?item zwgk:ref ?ref .
  { ?item zwgk:responsibleAgency ?group . BIND(?item AS ?node) }
  UNION { ?item zwgk:hasObligation ?node . ?node zwgk:responsibleAgency ?group }
  ?group org:hasMember ?gov ; rdfs:label ?collective .
  ?gov rdfs:label ?member .
  OPTIONAL { ?gov zwgk:jurisdiction/zwgk:divisionCode ?code }
  OPTIONAL { ?node zwgk:evidence/zwgk:text ?evidence }
  FILTER(?text = "" || CONTAINS(COALESCE(?evidence, ""), ?text))
}"""
ZH_COLUMNS = {
    "sourceFile": "源文件", "title": "文件", "year": "年份", "jurisdiction": "地区", "draft": "征求意见稿",
    "issuer": "发文单位", "agency": "单位", "kind": "类别", "ref": "条目", "evidence": "原文",
    "change": "变化", "name": "名称", "deadline": "截止日期", "action": "任务", "deadlineText": "时限原文",
    "agencies": "责任单位", "member": "成员", "code": "区划代码", "collective": "集合单位", "place": "地区",
    "parent": "上级地区", "wikidata": "维基数据", "documents": "文件数", "linkedPlace": "关联地区",
    "items": "条目数",
}
ZH_VALUES = {
    "Mechanism": "机制", "Platform": "平台", "added": "新增", "dropped": "删除", "kept": "保留",
    "taken over": "承接", "not taken over": "未承接",
}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN")


class RootNotFoundError(FileNotFoundError):
    """The project root (the folder holding ``corpus/seeds``) cannot be found."""


def project_root(start: Path | None = None) -> Path:
    """The project root: ``$ZWGK_ROOT``, else the first folder up from ``start`` holding ``corpus/seeds``.

    Raises:
        RootNotFoundError: neither is found.
    """
    env = os.environ.get("ZWGK_ROOT")
    if env:
        root = Path(env).expanduser().resolve()
        if not (root / "corpus" / "seeds").is_dir():
            raise RootNotFoundError(f"{root}: ZWGK_ROOT has no corpus/seeds folder")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "corpus" / "seeds").is_dir():
            return folder
    raise RootNotFoundError(f"{here}: no corpus/seeds folder here or above (set ZWGK_ROOT)")


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _short(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1]


def zh(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for reading: Chinese column names and kinds/changes (机制, 新增 …); IRIs left out.

    >>> list(zh(pd.DataFrame({"kind": ["Mechanism"], "agencyIri": ["x"]})).columns)
    ['类别']
    """
    hidden = [c for c in frame.columns if str(c).endswith(("Iri", "node")) or c == "document"]
    out = frame.drop(columns=hidden)
    for column in ("kind", "change"):
        if column in out:
            out[column] = out[column].map(lambda v: ZH_VALUES.get(str(v), v))
    out = out.rename(columns=lambda c: ZH_COLUMNS.get(str(c), ZH_VALUES.get(str(c), c)))
    return out.rename_axis(index=ZH_COLUMNS.get(str(out.index.name), out.index.name))


def documents(store: GraphStore) -> pd.DataFrame:
    """One row per document: source file, title, year, jurisdiction, draft flag and issuer, by file name."""
    columns = ["sourceFile", "title", "year", "jurisdiction", "draft", "issuer", "document"]
    frame = _frame(store.select(DOCUMENTS_QUERY), columns)
    return frame.sort_values("sourceFile", ignore_index=True)


def responsibility_table(store: GraphStore, name: str) -> pd.DataFrame:
    """Agencies responsible for a mechanism or platform (by label or alias), with evidence.

    Args:
        store: the graph store.
        name: the mechanism's or platform's name, e.g. 三同步 or 12345市民服务热线.

    Returns:
        Columns ``kind, agency, sourceFile, ref, evidence, agencyIri``, one row per
        agency, document and item, sorted by agency.
    """
    rows: list[dict[str, object]] = []
    for kind, query, param in (("Mechanism", "agencies-for-mechanism", "mechanism"),
                               ("Platform", "agencies-for-platform", "platform")):
        for row in run_named(store, query, {param: name}):
            rows.append({"kind": kind, "agency": row["name"], "sourceFile": row["sourceFile"],
                         "ref": row["ref"], "evidence": _clean(row.get("evidence")),
                         "agencyIri": row["agency"]})
    frame = _frame(rows, ["kind", "agency", "sourceFile", "ref", "evidence", "agencyIri"])
    frame = frame.drop_duplicates(["kind", "agency", "sourceFile", "ref"])
    return frame.sort_values(["agency", "sourceFile", "ref"], ignore_index=True)


def _clean(text: object) -> str:
    return " ".join(str(text or "").split())


def compare_documents(store: GraphStore, before: str, after: str) -> pd.DataFrame:
    """Mechanisms and platforms added, dropped and kept from one document to another.

    Args:
        store: the graph store.
        before: the earlier (or upper-level) document's source file name.
        after: the later (or lower-level) document's source file name.

    Returns:
        Columns ``change`` (added/dropped/kept), ``kind`` (Mechanism/Platform), ``name``, ``entity``.

    Raises:
        KeyError: a source file is not in the store.
    """
    known = set(documents(store)["sourceFile"])
    for source in (before, after):
        if source not in known:
            raise KeyError(f"{source}: no such document in the store")
    rows = run_named(store, "document-diff", {"before": before, "after": after})
    frame = _frame(rows, ["change", "kind", "name", "entity"])
    frame["kind"] = frame["kind"].map(_short)
    return frame.sort_values(["change", "kind", "name"], ignore_index=True)


LEVEL_CHANGES = {"kept": "taken over", "added": "added", "dropped": "not taken over"}


def compare_levels(store: GraphStore, upper: str, lower: str) -> pd.DataFrame:
    """A lower level's document against its upper level's: what it took over and what it added.

    Args:
        store: the graph store.
        upper: source file of the upper level (a city's priorities).
        lower: source file of the lower level (one of its districts' priorities).

    Returns:
        :func:`compare_documents` with ``change`` as ``taken over``, ``added`` or ``not taken over``.
    """
    frame = compare_documents(store, upper, lower)
    frame["change"] = frame["change"].map(LEVEL_CHANGES)
    return frame


def _edges(store: GraphStore, kind: str, jurisdiction: str | None, year: int | str | None) -> pd.DataFrame:
    frame = _frame(store.select(EDGES_QUERY), ["agency", "target", "kind", "item", "year", "jurisdiction"])
    keep = frame["kind"] == kind
    if jurisdiction is not None:
        keep &= frame["jurisdiction"] == jurisdiction
    if year is not None:
        keep &= frame["year"] == str(year)
    return frame[keep]


def responsibility_matrix(
    store: GraphStore, jurisdiction: str | None = None, year: int | str | None = None,
    kind: str = "Mechanism",
) -> pd.DataFrame:
    """Agencies × mechanisms (or platforms): how many items make each agency responsible for each.

    Args:
        store: the graph store.
        jurisdiction: keep documents of this jurisdiction only (full label, e.g. 杭州市西湖区).
        year: keep documents of this year only.
        kind: ``Mechanism`` or ``Platform``.

    Returns:
        Integer counts, agencies as rows and mechanisms as columns, the busiest first.
    """
    edges = _edges(store, kind, jurisdiction, year)
    matrix = pd.crosstab(edges["agency"], edges["target"]) if not edges.empty else pd.DataFrame(dtype=int)
    rows = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    cols = matrix.sum(axis=0).sort_values(ascending=False, kind="stable").index
    matrix = matrix.loc[rows, cols]
    matrix.index.name, matrix.columns.name = "agency", kind.lower()
    return matrix


def obligation_timeline(store: GraphStore) -> pd.DataFrame:
    """Obligations (and items) with a dated deadline, earliest first, with their agencies.

    Returns:
        Columns ``deadline`` (datetime), ``sourceFile, title, year, ref, action, deadlineText, agencies,
        node``; ``title`` is the document's title (its file name when it has none).
    """
    columns = ["sourceFile", "title", "year", "ref", "node", "deadline", "deadlineText", "action", "agency"]
    frame = _frame(store.select(TIMELINE_QUERY), columns)
    frame["title"] = frame["title"].fillna(frame["sourceFile"])
    for column in ("agency", "action", "deadlineText"):  # object first: a column may be all missing
        frame[column] = frame[column].astype(object).fillna("")
    keys = ["node", "sourceFile", "title", "year", "ref", "deadline", "deadlineText", "action"]
    grouped = frame.groupby(keys, dropna=False, sort=False)["agency"]
    out = grouped.agg(lambda names: "、".join(sorted({n for n in names if n}))).reset_index(name="agencies")
    out["deadline"] = pd.to_datetime(out["deadline"])
    order = ["deadline", "sourceFile", "title", "year", "ref", "action", "deadlineText", "agencies", "node"]
    return out[order].sort_values(["deadline", "sourceFile", "ref"], ignore_index=True)


def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese (set as matplotlib's first sans-serif), or None."""
    from matplotlib import font_manager, rcParams

    installed = {f.name for f in font_manager.fontManager.ttflist}
    name = next((n for n in CJK_FONTS if n in installed), None)
    if name is not None:
        rcParams["font.sans-serif"] = [name, *rcParams["font.sans-serif"]]
        rcParams["axes.unicode_minus"] = False
    return name


def short_labels(names: list[str], prefix: str) -> dict[str, str]:
    """Index labels (``A1``, ``A2`` …) for names, for charts drawn without a Chinese font."""
    return {name: f"{prefix}{i}" for i, name in enumerate(names, start=1)}


def heatmap_figure(matrix: pd.DataFrame, cjk: bool = True, title: str = "") -> Figure:
    """A heatmap of a :func:`responsibility_matrix`; without a Chinese font, rows are A1… and columns M1….

    Axis labels are Chinese (单位, 机制/平台) with a Chinese font; the colour bar counts items in
    whole numbers.

    Args:
        matrix: agencies × mechanisms counts.
        cjk: draw the names (True) or index labels (False; see :func:`short_labels`).
        title: the figure's title.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = list(map(str, matrix.index))
    cols = list(map(str, matrix.columns))
    if not cjk:
        rows = list(short_labels(rows, "A").values())
        cols = list(short_labels(cols, "M").values())
    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(cols) + 3), max(3.0, 0.3 * len(rows) + 2)))
    image = ax.imshow(matrix.to_numpy(), aspect="auto", cmap="Blues")
    ax.set_xticks(range(len(cols)), cols, rotation=90, fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    ax.set_title(title)
    kind = "平台" if str(matrix.columns.name) == "platform" else "机制"
    ax.set_xlabel(kind if cjk else "mechanism" if kind == "机制" else "platform")
    ax.set_ylabel("单位" if cjk else "agency")
    bar = fig.colorbar(image, ax=ax, label="条目数" if cjk else "items", ticks=MaxNLocator(integer=True))
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    return fig


def timeline_figure(timeline: pd.DataFrame, cjk: bool = True) -> Figure:
    """Deadlines as points on a time axis, one row per document, labelled by its title.

    Each point is a day on which obligations fall due, the number above it how many.

    Args:
        timeline: the result of :func:`obligation_timeline`.
        cjk: label rows with document titles and the axes in Chinese (needs a Chinese font);
            without, rows carry the document file names (always ASCII) and the axes English.
    """
    import matplotlib.pyplot as plt

    label = "title" if cjk and "title" in timeline else "sourceFile"
    first = timeline.drop_duplicates("sourceFile")
    names = dict(zip(first["sourceFile"].astype(str), first[label].astype(str), strict=True))
    files = sorted(names, key=lambda f: (names[f], f))
    fig, ax = plt.subplots(figsize=(10.0, max(2.5, 0.6 * len(files) + 1.5)))
    for row, source in enumerate(files):
        part = timeline[timeline["sourceFile"] == source]
        counts = part.groupby("deadline").size()
        ax.scatter(counts.index, [row] * len(counts), s=40 + 25 * counts.to_numpy(), alpha=0.6)
        for when, n in counts.items():
            ax.annotate(str(n), (when, row), textcoords="offset points", xytext=(0, 8), ha="center",
                        fontsize=8)
    ax.set_yticks(range(len(files)), [names[f] for f in files], fontsize=8)
    ax.set_ylim(-0.7, len(files) - 0.3)
    ax.set_xlabel("截止日期（数字为当日到期的任务数）" if cjk else "deadline (number = obligations due)")
    ax.set_title("各文件的任务截止时间" if cjk else "deadlines by document")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def iframe_html(page: str, height: int = 600) -> str:
    """An ``<iframe srcdoc=…>`` holding a whole HTML page (e.g. :func:`kg.viz.render_html`) for a notebook."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" width="100%" height="{height}" '
            'style="border:1px solid #ddd" sandbox="allow-scripts"></iframe>')


# --- linking ----------------------------------------------------------------------------------


def link_store(store: GraphStore, year: int | None = None) -> dict[str, int]:
    """Rebuild the store's link graphs (``graph/links``, ``graph/inferred``): :func:`kg.link.link_store`.

    ``kg build`` does this already; call it after writing documents some other way.

    Args:
        store: a writable graph store.
        year: the year for collectives; None takes each collective's documents' latest year.

    Returns:
        Triples in each link graph, by graph IRI.
    """
    return store_link_graphs(store, year=year)


def load_linkset(store: OxigraphStore, path: Path = LINKSET, graph: URIRef = LINKSET_GRAPH) -> int:
    """Load the Wikidata linkset CSV as ``owl:sameAs`` triples into its own named graph.

    Returns:
        The number of links loaded.
    """
    links = cast("list[Triple]", sameas_triples(read_linkset(path)))
    store.add_triples(str(graph), links)
    return len(links)


def member_obligations(store: GraphStore, year: int | str | None = None, text: str = "") -> pd.DataFrame:
    """Members of collectives (``org:hasMember``) that must do something, through the collective.

    Answers "which county-level governments must do X in 2025" once :func:`link_store` has run.

    Args:
        store: the graph store, linked.
        year: keep documents of this year only.
        text: keep items whose evidence contains this text ("" keeps all).

    Returns:
        Columns ``member, code, collective, sourceFile, ref, evidence``, one row per member and
        item, sorted by code.
    """
    rows = store.select(MEMBER_QUERY, {"year": "" if year is None else str(year), "text": text})
    frame = _frame(rows, ["member", "code", "collective", "sourceFile", "ref", "evidence"])
    frame["evidence"] = frame["evidence"].map(_clean)
    frame = frame.sort_values(["code", "member", "sourceFile", "ref", "evidence"], ignore_index=True)
    return frame.drop_duplicates(["member", "sourceFile", "ref"], ignore_index=True)
