"""Interactive network views of the graph, drawn with vis-network (via pyvis).

Three views: the neighbourhood of any node (depth 1–3, kinds selectable), the
agency → mechanism/platform responsibility network of a jurisdiction and year,
and the triples of any CONSTRUCT result. Nodes are coloured and shaped by kind
with a legend; hover text carries the evidence; beyond a node limit only the
most connected nodes are kept and the page says so.

Every string from documents is treated as hostile: node data is embedded as
JSON with ``<``, ``>`` and ``&`` escaped (so ``</script>`` cannot close the
script), and hover titles are HTML-escaped. vis-network's JS and CSS are
inlined from pyvis's package: the page needs no network.

Example:
    >>> net = Network(title="demo")
    >>> net.add_node("https://w3id.org/zwgk/id/agency/a", "区司法局", "Agency")
    >>> "区司法局" in render_html(net)
    True
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup
from rdflib import URIRef

from kg.iris import ONTOLOGY
from kg.ntriples import term_nt

if TYPE_CHECKING:
    from kg.store import GraphStore

__all__ = [
    "KIND_STYLES",
    "Network",
    "construct_network",
    "display_label",
    "expand_data",
    "focus_names",
    "neighbourhood_network",
    "render_html",
    "responsibility_network",
    "to_pyvis",
    "vis_assets_dir",
]

DATA = Path(__file__).with_name("data")
VIS_VERSION = "vis-9.1.2"
DEFAULT_NODE_LIMIT = 300
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

# kind -> (colour, vis shape, legend label)
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "Agency": ("#3b7dd8", "dot", "单位 Agency"),
    "AgencyGroup": ("#7aa7e6", "dot", "单位群体 AgencyGroup"),
    "Mechanism": ("#e07b39", "diamond", "机制 Mechanism"),
    "Platform": ("#3aa76d", "square", "平台 Platform"),
    "Document": ("#8e5ec9", "star", "文件 Document"),
    "Item": ("#9e9e9e", "triangle", "条目 Item"),
    "Obligation": ("#c2b280", "triangleDown", "任务 Obligation"),
    "Place": ("#d4a017", "hexagon", "地区 Place"),
    "Other": ("#bbbbbb", "ellipse", "其他"),
}

PHYSICS: dict[str, Any] = {
    "solver": "barnesHut",
    "barnesHut": {"gravitationalConstant": -9000, "springLength": 170, "damping": 0.35, "avoidOverlap": 0.6},
    "stabilization": {"enabled": True, "iterations": 200, "fit": True},
    "maxVelocity": 40,
}
OPTIONS: dict[str, Any] = {
    "physics": PHYSICS,
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    "nodes": {
        "font": {"size": 14, "face": "Noto Sans CJK SC, sans-serif", "strokeWidth": 4, "strokeColor": "#fff"},
        "scaling": {"min": 10, "max": 28, "label": {"enabled": False}},
    },
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "smooth": False,
        "font": {"size": 10, "align": "middle"},
    },
}


@dataclass
class Network:
    """A network to draw: nodes with a kind and hover text, labelled edges, notices for the reader."""

    title: str = "zwgk-kg"
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def add_node(self, node_id: str, label: str, kind: str = "Other", detail: str = "") -> None:
        """Add a node (or fill in the label, kind and detail of a known one)."""
        node = self.nodes.setdefault(node_id, {"label": label or node_id, "kind": kind, "detail": ""})
        if label and node["label"] == node_id:
            node["label"] = label
        if kind != "Other":
            node["kind"] = kind
        if detail and detail not in node["detail"]:
            node["detail"] = (node["detail"] + "\n" + detail).strip()

    def add_edge(self, source: str, target: str, label: str = "", evidence: str | None = None) -> None:
        """Add an edge; evidence sentences accumulate in its hover text."""
        notes = self.edges.setdefault((source, target, label), [])
        if evidence and evidence not in notes:
            notes.append(evidence)

    def degrees(self) -> Counter[str]:
        """Number of edges at each node."""
        counts: Counter[str] = Counter({node: 0 for node in self.nodes})
        for source, target, _ in self.edges:
            counts[source] += 1
            counts[target] += 1
        return counts

    def limit(self, max_nodes: int) -> None:
        """Keep the ``max_nodes`` most connected nodes and say so in a notice."""
        if len(self.nodes) <= max_nodes:
            return
        total = len(self.nodes)
        keep = {node for node, _ in self.degrees().most_common(max_nodes)}
        self.nodes = {k: v for k, v in self.nodes.items() if k in keep}
        self.edges = {k: v for k, v in self.edges.items() if k[0] in keep and k[1] in keep}
        self.notices.append(
            f"显示 {max_nodes} / 共 {total} 个节点（连接最多的） (showing the {max_nodes} most "
            f"connected of {total} nodes)"
        )


def _kind(iri: object) -> str:
    name = str(iri or "").removeprefix(ONTOLOGY)
    return name if name in KIND_STYLES else "Other"


def _title(*lines: str | None) -> str:
    """Hover text: each line HTML-escaped, joined with <br>."""
    return "<br>".join(html.escape(line).replace("\n", "<br>") for line in lines if line)


def _name(node_id: str, label: str, kind: str) -> str:
    """A node's name: its label, or for an unlabelled node its kind and a short id (never an IRI)."""
    if label and label != node_id and "://" not in label:
        return " ".join(label.split())
    tail = node_id.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"{KIND_STYLES[kind][2].split()[0]} {tail[:8]}"


def display_label(name: str, width: int = 9, lines: int = 2) -> str:
    """A name wrapped to ``lines`` lines of ``width`` characters, shortened with … beyond.

    >>> display_label("政府信息公开工作年度报告编制发布机制")
    '政府信息公开工作年\n度报告编制发布机…'
    """
    if len(name) <= width:
        return name
    cut = name[: width * lines]
    if len(name) > width * lines:
        cut = cut[:-1] + "…"
    return "\n".join(cut[i : i + width] for i in range(0, len(cut), width))


def _vis_nodes(net: Network) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    degrees = net.degrees()
    for node_id, node in net.nodes.items():
        color, shape, legend = KIND_STYLES[node["kind"]]
        name = _name(node_id, node["label"], node["kind"])
        out.append(
            {
                "id": node_id,
                "label": display_label(name),
                "name": name,
                "kind": node["kind"],
                "color": color,
                "shape": shape,
                "value": degrees[node_id] + 1,
                "title": _title(name, legend, node["detail"][:600], node_id),
                "group": node["kind"],
            }
        )
    return out


EDGE_STYLES: dict[str, dict[str, object]] = {  # relation -> vis edge style (labels only on hover)
    "负责": {"color": {"color": "#7a8fb0"}, "dashes": False},
    "提及": {"color": {"color": "#b9a3d6"}, "dashes": True},
}


def _vis_edges(net: Network) -> list[dict[str, object]]:
    """Edges without drawn labels (they clutter): the relation is in the hover text and the style."""
    return [
        {
            "id": f"{s} {t} {label}",
            "from": s,
            "to": t,
            "relation": label,
            "title": _title(label, *notes[:5]),
            **EDGE_STYLES.get(label, {}),
        }
        for (s, t, label), notes in net.edges.items()
        if s in net.nodes and t in net.nodes
    ]


def _script_json(value: object) -> Markup:
    """JSON safe inside <script>: no ``<``, ``>`` or ``&`` (so no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@cache
def _vis_asset(name: str) -> Markup:
    text = resources.files("pyvis").joinpath("templates", "lib", VIS_VERSION, name).read_text("utf-8")
    return Markup(text.replace("</script", "<\\/script").replace("</style", "<\\/style"))


@cache
def _template() -> Any:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(DATA.joinpath("viz_network.html").read_text("utf-8"))


def vis_assets_dir() -> Path:
    """The directory of vis-network's JS and CSS inside the pyvis package (to serve them)."""
    return Path(str(resources.files("pyvis").joinpath("templates", "lib", VIS_VERSION)))


def render_html(
    net: Network, height: str = "85vh", asset_url: str | None = None, expand_url: str | None = None
) -> str:
    """An HTML page drawing the network; no CDN.

    Args:
        net: the network.
        height: CSS height of the drawing.
        asset_url: URL path serving :func:`vis_assets_dir` (e.g. ``/static/vis``); None inlines
            vis-network's JS and CSS so the page stands alone.
        expand_url: URL path of the expand endpoint (``/viz/expand``): clicking a node then adds
            its neighbours; None draws a fixed network.
    """
    kinds = {node["kind"] for node in net.nodes.values()} | {"Agency", "Mechanism", "Platform", "Document"}
    legend = [{"color": KIND_STYLES[k][0], "label": KIND_STYLES[k][2]} for k in KIND_STYLES if k in kinds]
    page: str = _template().render(
        title=net.title,
        legend=legend,
        notices=net.notices,
        height=height,
        node_count=len(net.nodes),
        nodes_json=_script_json(_vis_nodes(net)),
        edges_json=_script_json(_vis_edges(net)),
        options_json=_script_json(OPTIONS),
        asset_url=asset_url,
        expand_url=expand_url,
        vis_js=None if asset_url else _vis_asset("vis-network.min.js"),
        vis_css=None if asset_url else _vis_asset("vis-network.css"),
    )
    return page


def to_pyvis(net: Network) -> Any:
    """The same network as a ``pyvis.network.Network`` (resources in line), for notebooks."""
    from pyvis.network import Network as PyvisNetwork

    graph = PyvisNetwork(height="700px", width="100%", directed=True, cdn_resources="in_line", notebook=False)
    for node in _vis_nodes(net):
        graph.add_node(node.pop("id"), **node)
    for edge in _vis_edges(net):
        graph.add_edge(edge.pop("from"), edge.pop("to"), **edge)
    graph.set_options(json.dumps(OPTIONS))
    return graph


@cache
def _query(name: str) -> str:
    return DATA.joinpath(f"viz_{name}.rq").read_text("utf-8")


def responsibility_network(
    store: GraphStore,
    year: str | None = None,
    jurisdiction: str | None = None,
    node_limit: int = DEFAULT_NODE_LIMIT,
    focus: str | None = None,
    kinds: Sequence[str] | None = None,
    mechanism: str | None = None,
) -> Network:
    """Agencies → the mechanisms and platforms they are responsible for, with evidence.

    Args:
        store: the graph store.
        year: keep only documents of this year (``"2025"``).
        jurisdiction: keep only documents of this jurisdiction (its full label, e.g. 杭州市西湖区).
        node_limit: keep at most this many nodes (the most connected).
        focus: the name (or IRI) of one agency, mechanism, platform or document: draw only it and
            its neighbours (a mechanism → its agencies and documents; an agency → its mechanisms).
        kinds: keep only nodes of these kinds (``Agency``, ``Mechanism``, ``Platform``,
            ``Document``); the focus node always stays. Documents are drawn when focused or asked for.
        mechanism: keep only responsibilities for the mechanism of this name.
    """
    wanted = set(kinds) if kinds else None
    with_documents = (wanted is not None and "Document" in wanted) or bool(focus)
    scope = " · ".join(filter(None, [focus, mechanism, jurisdiction, year])) or "全部"
    net = Network(title=f"责任网络 · {scope}")
    for row in store.select(_query("responsibility")):
        if year and str(row.get("year") or "") != year:
            continue
        if jurisdiction and str(row.get("jurisdiction") or "") != jurisdiction:
            continue
        agency, target = str(row["agency"]), str(row["target"])
        agency_name, target_name = str(row["agencyName"]), str(row["targetName"])
        document, document_name = str(row.get("document") or ""), str(row.get("documentName") or "")
        if mechanism and target_name != mechanism:
            continue
        if focus and focus not in (agency, agency_name, target, target_name, document, document_name):
            continue
        kind = _kind(row["kind"])
        evidence = " ".join(filter(None, [str(row.get("ref") or ""), str(row.get("evidence") or "")]))
        shown = {
            agency: (agency_name, "Agency"),
            target: (target_name, kind),
            document: (document_name, "Document"),
        }
        keep = {
            node
            for node, (name, node_kind) in shown.items()
            if node
            and (node_kind != "Document" or with_documents)
            and (wanted is None or node_kind in wanted or focus in (node, name))
        }
        for node in keep:
            net.add_node(node, *shown[node])
        if agency in keep and target in keep:
            net.add_edge(agency, target, "负责", evidence or None)
        if document in keep and target in keep:
            net.add_edge(document, target, "提及")
        if document in keep and agency in keep and focus in (agency, agency_name):
            net.add_edge(document, agency, "分工")
    if not net.nodes:
        net.notices.append("没有找到符合条件的责任关系 (no responsibility edges for this selection)")
    net.limit(node_limit)
    return net


def focus_names(store: GraphStore, limit: int = 400) -> list[dict[str, object]]:
    """The agencies, mechanisms and platforms of the responsibility network, most connected first.

    Each is ``{"name", "kind", "iri", "links"}``: the choices of the home page's focus box.
    """
    links: Counter[tuple[str, str, str]] = Counter()
    for row in store.select(_query("responsibility")):
        links[(str(row["agency"]), str(row["agencyName"]), "Agency")] += 1
        links[(str(row["target"]), str(row["targetName"]), _kind(row["kind"]))] += 1
    out: list[dict[str, object]] = []
    for (iri, name, kind), count in links.most_common(limit):
        out.append({"name": name, "kind": kind, "iri": iri, "links": count})
    return out


def expand_data(store: GraphStore, iri: str, node_limit: int = DEFAULT_NODE_LIMIT) -> dict[str, object]:
    """A node's neighbours as vis-network data: ``{"nodes", "edges", "notices"}`` (names, kinds, titles).

    An agency, mechanism, platform or document expands into its responsibility neighbours (agencies,
    mechanisms, platforms, documents); any other node into its direct links. Labels are plain text
    (vis draws them on a canvas); titles are HTML-escaped.
    """
    net = responsibility_network(store, node_limit=node_limit, focus=iri)
    if not net.edges:
        net = neighbourhood_network(store, iri, 1, None, node_limit)
    return {"nodes": _vis_nodes(net), "edges": _vis_edges(net), "notices": net.notices}


def neighbourhood_network(
    store: GraphStore,
    iri: str,
    depth: int = 1,
    kinds: Sequence[str] | None = None,
    node_limit: int = DEFAULT_NODE_LIMIT,
) -> Network:
    """The nodes within ``depth`` links of a node (both directions).

    Args:
        store: the graph store.
        iri: the centre node.
        depth: 1 to 3 hops.
        kinds: keep only neighbours of these kinds (``Agency``, ``Mechanism`` …); None keeps all.
        node_limit: stop exploring (and cut) beyond this many nodes.
    """
    depth = max(1, min(3, depth))
    wanted = set(kinds) if kinds else None
    net = Network(title="关系图")
    net.add_node(iri, iri, "Other")
    frontier, seen = [iri], {iri}
    for _ in range(depth):
        next_frontier: list[str] = []
        for node in frontier:
            if len(net.nodes) > node_limit * 2:
                break  # enough to choose from: exploring on only costs queries
            links = store.select(_query("links"), {"node": URIRef(node)})
            details = _details(store, {str(row["other"]) for row in links})
            for row in links:
                other = str(row["other"])
                label, kind, evidence = details.get(other, (other, "Other", ""))
                if wanted is not None and kind not in wanted:
                    continue
                net.add_node(other, label, kind, evidence)
                label = str(row["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                source, target = (node, other) if row["dir"] == "out" else (other, node)
                net.add_edge(source, target, label)
                if other not in seen:
                    seen.add(other)
                    next_frontier.append(other)
        frontier = next_frontier
        if len(net.nodes) > node_limit * 2:
            break
    _label_centre(store, net, iri)
    net.limit(node_limit)
    return net


def _details(store: GraphStore, nodes: set[str]) -> dict[str, tuple[str, str, str]]:
    """Label, kind and evidence text of each node (one query for all of them)."""
    if not nodes:
        return {}
    values = " ".join(term_nt(URIRef(n)) for n in sorted(nodes))
    rows = store.select(_query("details").replace("$NODES", values))
    out = {}
    for r in rows:
        label, evidence = r.get("label") or r["other"], r.get("evidence") or ""
        out[str(r["other"])] = (str(label), _kind(r.get("kind")), str(evidence))
    return out


def _label_centre(store: GraphStore, net: Network, iri: str) -> None:
    rows = store.select(
        "SELECT ?l ?k WHERE { OPTIONAL { ?n <" + RDFS_LABEL + "> ?l } OPTIONAL { ?n a ?k . "
        f'FILTER(STRSTARTS(STR(?k), "{ONTOLOGY}")) }} }} LIMIT 1',
        {"n": URIRef(iri)},
    )
    if rows:
        net.add_node(iri, str(rows[0].get("l") or iri), _kind(rows[0].get("k")))
        net.title = f"关系图 · {net.nodes[iri]['label']}"


def construct_network(triples: Iterable[Sequence[object]], node_limit: int = DEFAULT_NODE_LIMIT) -> Network:
    """A network of the triples of a CONSTRUCT result; literals go into hover text, labels name nodes.

    Args:
        triples: (subject, predicate, object) terms, pyoxigraph or rdflib.
        node_limit: keep at most this many nodes.
    """
    net = Network(title="CONSTRUCT")
    kinds: dict[str, str] = {}
    for s, p, o in triples:
        subject, predicate = _value(s), _value(p)
        if predicate.endswith("#type"):
            kinds[subject] = _kind(_value(o))
        elif _is_literal(o):
            label = _value(o) if predicate == RDFS_LABEL else ""
            net.add_node(
                subject, label, detail="" if label else f"{predicate.rsplit('#', 1)[-1]}: {_value(o)}"
            )
        else:
            net.add_node(subject, "")
            net.add_node(_value(o), "")
            net.add_edge(subject, _value(o), predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
    for node, kind in kinds.items():
        net.add_node(node, "", kind)
    net.limit(node_limit)
    return net


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    return str(term) if value is None else str(value)


def _is_literal(term: object) -> bool:
    return type(term).__name__ == "Literal"
