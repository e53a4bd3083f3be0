"""kg.viz: networks by kind, node limit, escaping of hostile labels, offline pages."""

from __future__ import annotations

import json
import re

import pytest

from api.testing import sample_store
from kg.viz import Network, construct_network, neighbourhood_network, render_html, responsibility_network

ID = "https://w3id.org/zwgk/id/"
HOSTILE = [
    "</script><script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<a href="javascript:window.__xss=1">x</a>',
]


@pytest.fixture(scope="module")
def store():
    return sample_store()


def _nodes(page: str) -> list[dict]:
    match = re.search(r"var nodeData = (.*?);\n", page)
    assert match
    return json.loads(match.group(1))


def test_viz_responsibility_links_agencies_to_terms(store):
    """The responsibility network links agencies to mechanisms and platforms."""
    net = responsibility_network(store, year="2025", jurisdiction="杭州市西湖区")
    kinds = {n["kind"] for n in net.nodes.values()}
    assert kinds == {"Agency", "Mechanism", "Platform"} and net.edges


def test_viz_responsibility_evidence_in_hover(store):
    """Edges carry the evidence sentence and item ref."""
    net = responsibility_network(store, year="2024")
    notes = [note for notes in net.edges.values() for note in notes]
    assert any("一/（一）" in n and "三同步" in n for n in notes)


def test_viz_responsibility_empty_selection_says_so(store):
    """A selection with nothing in it shows a notice."""
    assert responsibility_network(store, year="1999").notices


@pytest.mark.parametrize(("depth", "minimum"), [(1, 3), (2, 8)])
def test_viz_neighbourhood_grows_with_depth(store, depth, minimum):
    """Deeper neighbourhoods hold more nodes."""
    assert len(neighbourhood_network(store, ID + "mechanism/santongbu", depth).nodes) >= minimum


def test_viz_neighbourhood_kinds_filter(store):
    """Selecting kinds keeps only neighbours of those kinds (plus the centre)."""
    net = neighbourhood_network(store, ID + "agency/xhsjj", 1, kinds=["Document"])
    assert {n["kind"] for k, n in net.nodes.items() if k != ID + "agency/xhsjj"} == {"Document"}


def test_viz_node_limit_keeps_most_connected():
    """Beyond the node limit the most connected nodes stay and a notice says so."""
    net = Network()
    for i in range(50):
        net.add_node(f"n{i}", f"节点{i}", "Agency")
        net.add_edge("n0", f"n{i}")
    net.limit(10)
    assert len(net.nodes) == 10 and "n0" in net.nodes and "10" in net.notices[0]


def test_viz_construct_network_labels_nodes():
    """A CONSTRUCT result becomes nodes named by their labels and typed by zwgk classes."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    a, m = URIRef(ID + "agency/a"), URIRef(ID + "mechanism/m")
    triples = [
        (a, RDFS.label, Literal("区司法局")),
        (a, RDF.type, URIRef("https://w3id.org/zwgk/ontology#Agency")),
        (a, URIRef("https://w3id.org/zwgk/ontology#concernsMechanism"), m),
    ]
    net = construct_network(triples)
    assert net.nodes[str(a)]["label"] == "区司法局" and net.nodes[str(a)]["kind"] == "Agency"


@pytest.mark.parametrize("label", HOSTILE)
def test_viz_hostile_labels_stay_inside_json(label):
    """Hostile labels never appear raw in the page; the JSON decodes back to the same label."""
    net = Network(title=label)
    net.add_node("x", label, "Mechanism", detail=label)
    page = render_html(net)
    data = page.split("var nodeData = ")[1].split(";\n")[0]
    assert label not in page and "<" not in data and ">" not in data
    assert _nodes(page)[0]["name"] == label  # the full name; "label" is wrapped/shortened


@pytest.mark.parametrize("label", HOSTILE)
def test_viz_titles_are_html_escaped(label):
    """Hover titles are HTML-escaped (vis shows titles as HTML)."""
    net = Network()
    net.add_node("x", label, "Agency")
    title = _nodes(render_html(net))[0]["title"]
    assert "<img" not in title and "<script" not in title and "&lt;" in title


@pytest.mark.parametrize("asset_url", [None, "/static/vis"])
def test_viz_page_needs_no_network(store, asset_url):
    """Pages load vis-network inline or from this server, never from a CDN."""
    page = render_html(responsibility_network(store), asset_url=asset_url)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "vis.Network" in page
    assert ('src="/static/vis/vis-network.min.js"' in page) == (asset_url is not None)


def test_viz_page_has_legend(store):
    """The page shows a legend of the kinds drawn."""
    page = render_html(responsibility_network(store))
    assert "机制 Mechanism" in page and "平台 Platform" in page
