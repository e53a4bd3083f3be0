"""Issue #15 (3): readable networks — names not IRIs, focus, kind/mechanism filters, expand, the cap."""

from __future__ import annotations

import json
import re

import pytest

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from kg.viz import Network, display_label, expand_data, render_html, responsibility_network

ID = "https://w3id.org/zwgk/id/"
HOSTILE = ("<script>window.__xss", "<img src=x onerror", '<a href="javascript')


@pytest.fixture(scope="module")
def store():
    return sample_store()


@pytest.fixture(scope="module")
def client():
    from fastapi.testclient import TestClient

    with TestClient(create_app(Settings(), store=sample_store())) as c:
        yield c


def _nodes(page: str) -> list[dict]:
    match = re.search(r"var nodeData = (.*?);\n", page)
    assert match
    return json.loads(match.group(1))


def test_viz_readable_focus_on_a_mechanism(store):
    """Focused on 三同步: the mechanism, its responsible agencies and the documents naming it."""
    net = responsibility_network(store, focus="三同步")
    kinds = {n["kind"] for n in net.nodes.values()}
    assert kinds == {"Mechanism", "Agency", "Document"}
    assert [n["label"] for n in net.nodes.values() if n["kind"] == "Mechanism"] == ["三同步"]
    assert len(net.nodes) < len(responsibility_network(store).nodes) + 2


def test_viz_readable_focus_on_an_agency(store):
    """Focused on an agency: its mechanisms and platforms."""
    kinds = ["Agency", "Mechanism", "Platform"]
    net = responsibility_network(store, focus="杭州市西湖区数据资源管理局", kinds=kinds)
    kinds = {n["kind"] for n in net.nodes.values()}
    assert kinds == {"Agency", "Mechanism", "Platform"}
    assert sum(n["kind"] == "Agency" for n in net.nodes.values()) == 1


def test_viz_readable_kind_and_mechanism_filters(store):
    """A kind filter drops the other kinds (the focus stays); a mechanism filter keeps one mechanism."""
    net = responsibility_network(store, focus="三同步", kinds=["Agency"])
    assert {n["kind"] for n in net.nodes.values()} == {"Agency", "Mechanism"}
    net = responsibility_network(store, mechanism="三同步")
    assert [n["label"] for n in net.nodes.values() if n["kind"] == "Mechanism"] == ["三同步"]
    assert "Platform" not in {n["kind"] for n in net.nodes.values()}


def test_viz_readable_labels_are_names_everywhere(client):
    """Every view labels nodes with names, never IRIs; long names are wrapped and kept whole in ``name``."""
    for path in (
        "/viz/responsibility",
        "/viz/responsibility?focus=三同步",
        f"/viz/neighbourhood?iri={ID}mechanism/santongbu&depth=2",
        "/viz/construct?query=CONSTRUCT WHERE { ?s ?p ?o } LIMIT 60",
    ):
        nodes = _nodes(client.get(path).text)
        assert nodes, path
        assert not any("://" in n["label"] or "://" in n["name"] for n in nodes), path


def test_viz_readable_long_names_wrapped():
    """Names longer than two lines are cut with …; the full name goes into the hover text."""
    assert display_label("三同步") == "三同步"
    assert display_label("一二三四五六七八九十") == "一二三四五六七八九\n十"
    short = display_label("甲" * 30)
    assert short.endswith("…") and len(short.replace("\n", "")) == 18
    net = Network()
    net.add_node(ID + "x", "乙" * 30, "Mechanism")
    node = _nodes(render_html(net))[0]
    assert node["name"] == "乙" * 30 and "乙" * 30 in node["title"]


def test_viz_readable_route_parameters(client):
    """focus, kind and mechanism are query parameters of /viz/responsibility; unknown kinds are refused."""
    all_nodes = _nodes(client.get("/viz/responsibility", params={"focus": "三同步"}).text)
    agencies = _nodes(client.get("/viz/responsibility", params={"focus": "三同步", "kind": "Agency"}).text)
    assert len(agencies) < len(all_nodes)
    assert {n["kind"] for n in agencies} == {"Agency", "Mechanism"}
    mech = _nodes(client.get("/viz/responsibility", params={"mechanism": "三同步"}).text)
    assert {n["name"] for n in mech if n["kind"] == "Mechanism"} == {"三同步"}
    assert client.get("/viz/responsibility", params={"kind": "Item"}).status_code == 422
    for hostile in HOSTILE:
        page = client.get("/viz/responsibility", params={"focus": hostile, "mechanism": hostile}).text
        assert hostile not in page


def test_viz_readable_expand_endpoint(client):
    """/viz/expand returns a node's neighbours as JSON: names, kinds, escaped titles, edges."""
    got = client.get("/viz/expand", params={"iri": ID + "mechanism/santongbu"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/json")
    data = got.json()
    assert len(data["nodes"]) > 1 and data["edges"]
    assert all("://" not in n["label"] and n["kind"] for n in data["nodes"])
    assert {"Agency", "Mechanism"} <= {n["kind"] for n in data["nodes"]}
    assert all(e["from"] and e["to"] and e["id"] for e in data["edges"])
    assert client.get("/viz/expand", params={"iri": "http://elsewhere.example/x"}).status_code in (400, 422)
    assert client.get("/viz/expand", params={"iri": ID + "x>{}"}).status_code == 400


def test_viz_readable_expand_escapes_hostile_labels(client, store):
    """A hostile label comes back as text in ``label``/``name`` and HTML-escaped in ``title``."""
    data = expand_data(store, ID + "agency/hostile")
    texts = [n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]]
    assert not any(h in t for t in texts for h in HOSTILE)
    body = client.get("/viz/expand", params={"iri": ID + "agency/hostile"}).text
    assert all(h not in n["title"] for n in json.loads(body)["nodes"] for h in HOSTILE)


def test_viz_readable_names_endpoint(client):
    """/viz/names lists focusable names, most connected first, with kinds."""
    names = client.get("/viz/names").json()
    assert names and {"name", "kind", "iri", "links"} <= set(names[0])
    assert "三同步" in {n["name"] for n in names}
    links = [n["links"] for n in names]
    assert links == sorted(links, reverse=True)


def test_viz_readable_cap_message(store):
    """Beyond the node limit the most connected nodes stay and the page says 显示 N / 共 M 个节点."""
    net = responsibility_network(store, node_limit=3)
    assert len(net.nodes) == 3
    page = render_html(net)
    assert re.search(r"显示 3 / 共 \d+ 个节点", page)
    assert 'id="node-count">3<' in page


def test_viz_readable_expand_on_click_only_with_endpoint(store):
    """Pages served by the API expand on click; standalone pages (notebooks) do not."""
    net = responsibility_network(store, focus="三同步")
    assert 'data-expand="/viz/expand"' in render_html(net, expand_url="/viz/expand")
    assert "data-expand" not in render_html(net).split("<body>")[1].split("<script>")[0]
