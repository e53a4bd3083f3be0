"""Intake, API side: ``POST /ingest`` never answers 500 to a document ``kg build`` can read.

- The upload is mapped and written exactly as ``kg build`` writes it (one
  serialisation, :func:`kg.build.write_mapped`): the graph of every seed and every
  real development document uploaded one by one equals ``kg build``'s of the same
  files, but for the run's ``prov:startedAtTime``.
- The documents the red team broke ``kg build`` with are read through the API too;
  a document over the pipeline's limit is 413 with the reason.
- A backslash in an upload name is 400, also percent-encoded.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.main import create_app
from api.settings import Settings
from api.testing import sample_store
from kg.build import build
from kg.store import OxigraphStore

from conftest import ROOT

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2
    from fastapi.testclient import TestClient

TOKEN = "intake-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
# the real development set sits beside the repository (../shared/realdev); ZWGK_REALDEV points elsewhere
REALDEV_DOCS = Path(os.environ.get("ZWGK_REALDEV", ROOT.parent / "shared" / "realdev")) / "docs"
STARTED = "http://www.w3.org/ns/prov#startedAtTime"


App = tuple[TestClient, OxigraphStore]


def _quads(store: OxigraphStore, path: Path) -> set[str]:
    """The store's N-Quads lines but the runs' ``prov:startedAtTime`` (the one run-specific quad)."""
    store.dump(path)
    return {line for line in path.read_text("utf-8").splitlines() if line and f"<{STARTED}>" not in line}


def _upload(client: TestClient, name: str, data: bytes) -> tuple[int, str]:
    response = client.post("/ingest", files={"file": (name, data)}, headers=AUTH)
    return response.status_code, response.text


@pytest.fixture
def client() -> Iterator[App]:
    """An app on an empty in-memory store, with the admin token."""
    store = OxigraphStore(None)
    with TestClient(create_app(Settings(admin_token=TOKEN, ingest_timeout=600), store=store)) as test_client:
        yield test_client, store


def _same_graph(files: list[Path], client: TestClient, api_store: OxigraphStore, tmp: Path) -> None:
    for path in files:
        status, text = _upload(client, path.name, path.read_bytes())
        assert status == 200, f"{path.name}: {status} {text}"
    built = OxigraphStore(None)
    report = build(files, built, workers=1, progress=False)
    assert not report.failed, report.failed
    api_quads, build_quads = _quads(api_store, tmp / "api.nq"), _quads(built, tmp / "build.nq")
    assert api_quads, "nothing written through the API"
    only_api, only_build = sorted(api_quads - build_quads)[:5], sorted(build_quads - api_quads)[:5]
    assert api_quads == build_quads, f"only in the API's graph: {only_api}; only in kg build's: {only_build}"
    # the run's time is the one difference, and both have one per document
    runs = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?r <{STARTED}> ?t }} }}"
    assert api_store.select(runs) == built.select(runs)


@pytest.mark.slow
@pytest.mark.timeout(1200)  # one extraction process (and model load) per upload
def test_intake_api_ingest_equals_build_seeds(client: App, tmp_path: Path) -> None:
    """Every seed uploaded: the graph is kg build's, quad for quad (multi-line evidence included)."""
    _same_graph(SEEDS, *client, tmp_path)


@pytest.mark.slow
@pytest.mark.timeout(3600)  # fifty uploads, one extraction process each
@pytest.mark.skipif(not REALDEV_DOCS.is_dir(), reason=f"the real development set is not at {REALDEV_DOCS}")
def test_intake_api_ingest_equals_build_realdev(client: App, tmp_path: Path) -> None:
    """Every real development document uploaded (task tables, multi-line cells): the graph is kg build's."""
    files = sorted(p for p in REALDEV_DOCS.iterdir() if p.is_file())
    assert files
    _same_graph(files, *client, tmp_path)


PAGE = ("<html><head><meta charset='undefined'></head><body>"
        "<p>滨江市人民政府办公室关于印发2025年政务公开工作要点的通知</p>"
        "<p>一、推进政务公开。市政府办公室负责，2025年6月底前完成。</p></body></html>")


@pytest.mark.slow
def test_intake_api_red_team_documents_are_read(
    client: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page with an unusable <meta charset> and a 1.1-million-character paragraph are written (were 500)."""
    monkeypatch.setenv("ZWGK_SEGMENTER", "char")  # the worker inherits it: the long paragraph in seconds
    test_client, _ = client
    status, text = _upload(test_client, "charset.html", PAGE.encode("gb18030"))
    assert status == 200, text
    seeds = "".join(p.read_text("utf-8") for p in SEEDS).replace("\n", "")
    long = (seeds * (1_100_000 // len(seeds) + 1))[:1_100_000]
    status, text = _upload(test_client, "long.txt", long.encode())
    assert status == 200, text


def test_intake_api_too_long_is_413(client: App) -> None:
    """A text over the pipeline's character limit (ASCII filler under the byte limit): 413 with the reason."""
    from extractors.pipeline import MAX_CHARS

    test_client, _ = client
    status, text = _upload(test_client, "filler.txt", b"a b c d\n" * (MAX_CHARS // 8 + 1))
    assert status == 413, text
    assert "filler.txt: document too long" in text


BACKSLASH_NAMES = ["a\\b.txt", "a%5Cb.txt", "a%5cb.txt", "a%255Cb.txt", "a%2Fb.txt", "a%00b.txt", "%2e.txt"]


@pytest.mark.parametrize("name", BACKSLASH_NAMES)
def test_intake_api_upload_name_with_separator_is_400(name: str) -> None:
    """A backslash, slash or NUL in an upload name is refused, whether written plainly or percent-encoded."""
    with TestClient(create_app(Settings(admin_token=TOKEN), store=sample_store())) as test_client:
        status, text = _upload(test_client, name, "政务公开".encode())
    assert status == 400, text


def test_intake_api_upload_name_raw_header_backslash_is_400() -> None:
    """The same with the multipart header written by hand (``filename="a\\\\b.txt"``, as curl sends it)."""
    body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="a\\\\b.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + "政务公开".encode() + b"\r\n--B--\r\n")
    headers = {**AUTH, "content-type": "multipart/form-data; boundary=B"}
    with TestClient(create_app(Settings(admin_token=TOKEN), store=sample_store())) as test_client:
        response = test_client.post("/ingest", content=body, headers=headers)
    assert response.status_code == 400, response.text


def test_intake_api_worker_output_written_as_build_writes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """In process: the worker's JSON for a seed with multi-line evidence, written by the route: kg build's."""
    import io
    import json
    import sys

    from api import ingest_worker
    from api.routers.ingest import _write

    seed = next(p for p in SEEDS if p.name.startswith("001_"))
    stdin = io.TextIOWrapper(io.BytesIO(seed.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert ingest_worker.main(["ingest_worker", seed.name]) == 0
    extracted = json.loads(capsys.readouterr().out)
    assert any('"""' in line for line in extracted["doc_lines"])  # evidence spanning lines
    api_store, built = OxigraphStore(None), OxigraphStore(None)
    assert _write(api_store, Settings(), extracted) is True
    assert _write(api_store, Settings(), extracted) is False  # identical content: nothing to do
    build([seed], built, workers=1, progress=False)
    assert _quads(api_store, tmp_path / "api.nq") == _quads(built, tmp_path / "build.nq")
