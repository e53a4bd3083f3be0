"""Named-question routes, entity pages, visualisations, the web page and authenticated updates."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
from rdflib import Graph, URIRef

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

ID = "https://w3id.org/zwgk/id/"
TOKEN = "test-token"
HOSTILE = ("<script>window.__xss", "<img src=x onerror", '<a href="javascript')


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(admin_token=TOKEN), store=sample_store())) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "agency"),
    [
        ("/api/mechanisms/三同步/agencies", "杭州市西湖区数据资源管理局"),
        ("/api/mechanisms/政策解读三同步/agencies", "杭州市西湖区人民政府办公室"),
        ("/api/mechanisms/政務公開事項目錄/agencies", "成都市教育局"),
        ("/api/platforms/12345热线/agencies", "成都市教育局"),
        ("/api/platforms/12345政務服務便民熱線/agencies", "杭州市西湖区数据资源管理局"),
    ],
)
def test_api_routes_agencies_by_label_or_alias(client, path, agency):
    """Agencies answer by label, alias, or traditional spelling, with evidence."""
    answers = client.get(path).json()
    found = {a["name"]: a for a in answers}
    assert agency in found and found[agency]["evidence"][0]["source_file"]


def test_api_routes_agencies_carry_evidence_text(client):
    """Each answer names the item ref and the evidence sentence."""
    answers = client.get("/api/mechanisms/三同步/agencies").json()
    evidence = [e for a in answers for e in a["evidence"]]
    assert any(e["ref"] == "一/（一）" and "三同步" in e["text"] for e in evidence)


@pytest.mark.parametrize(
    "key", ["区数据局", "杭州市西湖区数据资源管理局", "agency/xhsjj", ID + "agency/xhsjj"]
)
def test_api_routes_obligations_by_label_or_id(client, key):
    """An agency's obligations are found by label, alias or id, with frequencies."""
    rows = client.get(f"/api/agencies/{key}/obligations").json()
    assert rows and rows[0]["frequency"] == "每季度至少1次" and rows[0]["year"] == "2025"


def test_api_routes_obligations_deadline(client):
    """Deadlines come back as ISO dates."""
    rows = client.get("/api/agencies/区政府办公室/obligations").json()
    assert rows[0]["deadline"] == "2024-12-31"


def test_api_routes_documents(client):
    """Every document is listed with title, year and jurisdiction."""
    docs = {d["source_file"]: d for d in client.get("/api/documents").json()}
    assert (
        docs["xihu_2025.txt"]["year"] == "2025" and docs["chengdu_edu_2025.txt"]["jurisdiction"] == "成都市"
    )


@pytest.mark.parametrize("key", ["doc/xihu2024", "xihu_2024.txt"])
def test_api_routes_document_mechanisms(client, key):
    """A document's mechanisms are found by id or source file."""
    names = {m["name"] for m in client.get(f"/api/documents/{key}/mechanisms").json()}
    assert names == {"三同步", "政务公开事项目录"}


def test_api_routes_diff(client):
    """The diff of two documents lists added, dropped and kept mechanisms and platforms."""
    diff = client.get("/api/diff", params={"a": "xihu_2024.txt", "b": "doc/xihu2025"}).json()
    assert {e["name"] for e in diff["kept"]} == {"三同步"}
    assert "政府门户网站" in {e["name"] for e in diff["dropped"]}
    assert "12345政务服务便民热线" in {e["name"] for e in diff["added"]}


def test_api_routes_unknown_document_is_404(client):
    """An unknown document gives 404."""
    assert client.get("/api/diff", params={"a": "nope.txt", "b": "xihu_2024.txt"}).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2025", "jurisdiction": "成都市"}, {"政务公开事项目录", "12345政务服务便民热线"}),
        ({"year": "2024", "jurisdiction": "杭州市西湖區"}, {"三同步", "政务公开事项目录", "政府门户网站"}),
    ],
)
def test_api_routes_terms_by_year_and_jurisdiction(client, params, expected):
    """Terms filter by year and jurisdiction (traditional spelling normalised)."""
    assert {t["name"] for t in client.get("/api/terms", params=params).json()} == expected


@pytest.mark.parametrize(
    ("q", "name"),
    [("三同步", "三同步"), ("政務公開", "政务公开事项目录"), ("12345热线", "12345政务服务便民热线")],
)
def test_api_routes_search(client, q, name):
    """Search finds entities by any alias, simplified or traditional, with their page."""
    hits = {h["name"]: h for h in client.get("/api/search", params={"q": q}).json()}
    assert name in hits and hits[name]["page"].startswith("/id/")


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"), ("application/n-triples", "nt")])
def test_api_routes_entity_rdf(client, accept, fmt):
    """Entity pages give the node's triples both ways plus neighbours' labels."""
    response = client.get("/id/agency/xhsjj", headers={"accept": accept})
    graph = Graph().parse(data=response.text, format=fmt)
    node = URIRef(ID + "agency/xhsjj")
    assert (None, None, node) in graph and (node, None, None) in graph
    assert any("数据" not in str(o) for o in graph.objects(URIRef(ID + "place/xihu")))


def test_api_routes_entity_jsonld(client):
    """Entity pages answer JSON-LD."""
    response = client.get("/id/mechanism/santongbu", headers={"accept": "application/ld+json"})
    assert response.status_code == 200 and "三同步" in response.text


def test_api_routes_entity_html_escapes_hostile_label(client):
    """The HTML page of an entity with a hostile label shows it as text."""
    page = client.get("/id/agency/hostile", headers={"accept": "text/html"}).text
    assert "<script>window.__xss" not in page and "&lt;/script&gt;&lt;script&gt;" in page


@pytest.mark.parametrize("path", ["/id/..%2F..%2Fetc%2Fpasswd", "/id/agency/%2e%2e/x", "/id/agency/a%00b"])
def test_api_routes_entity_path_escape_is_400(client, path):
    """Paths that try to escape (.., %2e%2e, NUL) give 400."""
    assert client.get(path).status_code == 400


def test_api_routes_entity_unknown_is_404(client):
    """An IRI the graph does not hold gives 404."""
    assert client.get("/id/agency/none").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/viz/responsibility",
        "/viz/responsibility?year=2025&jurisdiction=杭州市西湖区",
        f"/viz/neighbourhood?iri={ID}mechanism/santongbu&depth=2",
        "/viz/construct?query=CONSTRUCT WHERE { ?s ?p ?o } LIMIT 40",
    ],
)
def test_api_routes_viz_pages_are_safe_and_offline(client, path):
    """Visualisation pages carry no raw hostile markup and load nothing from elsewhere."""
    response = client.get(path)
    assert response.status_code == 200
    page = response.text
    assert not any(h in page for h in HOSTILE) and "</script><script>window" not in page
    assert 'src="http' not in page and 'href="http' not in page


def test_api_routes_viz_construct_refuses_update(client):
    """The CONSTRUCT view goes through the endpoint's guard."""
    assert client.get("/viz/construct", params={"query": "DROP ALL"}).status_code == 403


def test_api_routes_home_page_offline(client):
    """The home page has the search box and SPARQL editor, and no CDN."""
    page = client.get("/").text
    assert 'id="search-q"' in page and 'id="sparql-query"' in page and "http" not in page.split("<main>")[0]
    assert 'src="http' not in page and 'href="http' not in page


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({"authorization": "Bearer wrong"}, 401)])
def test_api_routes_updates_need_the_token(client, headers, status):
    """Updates without the right bearer token are refused."""
    assert client.delete("/documents/xihu_2024.txt", headers=headers).status_code == status
    files = {"file": ("a.txt", "2025年政务公开工作要点".encode())}
    assert client.post("/ingest", files=files, headers=headers).status_code == status


def test_api_routes_updates_disabled_without_token():
    """With no admin token configured, updates give 403."""
    with TestClient(create_app(Settings(admin_token=None), store=sample_store())) as c:
        assert c.delete("/documents/xihu_2024.txt", headers={"authorization": "Bearer x"}).status_code == 403


def test_api_routes_upload_over_limit_is_413():
    """Uploads over the size limit are refused with 413."""
    with TestClient(
        create_app(Settings(admin_token=TOKEN, max_upload_bytes=1000), store=sample_store())
    ) as c:
        files = {"file": ("big.txt", b"x" * 5000)}
        assert c.post("/ingest", files=files, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 413


@pytest.mark.parametrize("name", ["../evil.txt", "%2e%2e%2Fevil.txt", "a\x00b.txt"])
def test_api_routes_upload_name_escape_is_400(client, name):
    """Upload names that would escape the data directory give 400."""
    files = {"file": (name, "政务公开".encode())}
    assert (
        client.post("/ingest", files=files, headers={"authorization": f"Bearer {TOKEN}"}).status_code == 400
    )


def test_api_routes_delete_document():
    """An authorised DELETE removes the document's graph."""
    store = sample_store()
    with TestClient(create_app(Settings(admin_token=TOKEN), store=store)) as c:
        assert (
            c.delete("/documents/doc/xihu2024", headers={"authorization": f"Bearer {TOKEN}"}).status_code
            == 204
        )
        assert "xihu_2024.txt" not in {d["source_file"] for d in c.get("/api/documents").json()}
        assert (
            c.delete("/documents/doc/xihu2024", headers={"authorization": f"Bearer {TOKEN}"}).status_code
            == 404
        )


def test_api_routes_bad_document_is_422(client):
    """A document the readers refuse gives 422 with their one-line message."""
    files = {"file": ("empty.txt", b"   ")}
    response = client.post("/ingest", files=files, headers={"authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422 and "empty.txt" in response.json()["detail"]


def test_api_routes_never_import_spacy():
    """Starting the app and answering queries leaves spaCy and pkuseg unloaded."""
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from fastapi.testclient import TestClient\n"
        "from api.main import create_app\nfrom api.settings import Settings\n"
        "from api.testing import sample_store\n"
        "with TestClient(create_app(Settings(), store=sample_store())) as c:\n"
        "    assert c.get('/sparql', params={'query': 'ASK {?s ?p ?o}'}).status_code == 200\n"
        "    assert c.get('/api/search', params={'q': '三同步'}).status_code == 200\n"
        "    assert c.get('/viz/responsibility').status_code == 200\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'pkuseg', 'jieba')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "[]"
