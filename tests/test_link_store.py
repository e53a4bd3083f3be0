"""Linking into the store: ``kg build`` (and every write) rebuilds graph/links and graph/inferred.

Before, ``kg link`` only read and wrote files, so the store the API serves had no places,
members or Wikidata links, and "is 济阳区's government responsible for 三同步?" had no answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.link import INFERRED_GRAPH, LINK_GRAPH, link_store
from kg.store import OxigraphStore

CITY_2025 = "001_710408dceed5a885.txt"  # 济南市 2025: 三同步 is the task of 济南市各区县人民政府
CITY = [CITY_2025, "003_54602a7d52bf3670.txt"]  # 济南市 2025 and 2021, the two naming 各区县人民政府
MEMBERS = f"""PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?g org:hasMember ?m }}
  ?g rdfs:label "济南市各区县人民政府"@zh . ?m rdfs:label ?name }}"""


def _records(seed_records: dict[str, Any], names: list[str] | None = None) -> Any:
    chosen = [r for n, r in seed_records.items() if names is None or n in names]

    def extractor(paths: list[Path], workers: int) -> Iterator[Any]:
        return iter(chosen)

    return extractor


def _members(store: OxigraphStore) -> set[str]:
    return {str(r["name"]) for r in store.select(MEMBERS)}


def _link_quads(store: OxigraphStore) -> set[tuple[str, ...]]:
    rows = store.select(f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(?g IN (<{LINK_GRAPH}>, <{INFERRED_GRAPH}>)) }}""")
    return {(str(r["g"]), str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


@pytest.fixture(scope="module")
def linked(seed_records: dict[str, Any]) -> OxigraphStore:
    """The seeds built as ``kg build`` builds them (in memory)."""
    store = OxigraphStore(None)
    report = build([Path("seeds")], store, progress=False, extractor=_records(seed_records))
    assert not report.failed
    return store


def test_link_store_build_writes_members_places_and_wikidata(linked: OxigraphStore) -> None:
    """After a build the store holds the members of 济南市各区县人民政府 in 2025, codes and sameAs."""
    members = _members(linked)
    assert "济南市济阳区人民政府" in members and "济南市天桥区人民政府" in members
    assert len(members) == 12  # 10 districts and 2 counties of 济南市 in 2025 (GB/T 2260)
    same = {(str(r["s"]), str(r["o"])) for r in linked.select(
        "SELECT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }")}
    assert ("https://w3id.org/zwgk/id/place/370100", "http://www.wikidata.org/entity/Q170247") in same
    # a place named without a code (an agency's jurisdiction) gets its code
    coded = linked.select("""PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c WHERE { ?p rdfs:label "济南市济阳区"@zh ; zwgk:divisionCode ?c }""")
    assert {str(r["c"]) for r in coded} == {"370115"}


def test_link_store_rebuilt_when_documents_are_removed(seed_records: dict[str, Any]) -> None:
    """Remove the city's documents and relink: its collective's members go; the link graphs then
    equal those of a build of the remaining documents (they depend on the documents alone)."""
    store = OxigraphStore(None)
    build([Path("seeds")], store, progress=False, extractor=_records(seed_records))
    assert "济南市济阳区人民政府" in _members(store)
    for name in CITY:
        assert store.remove_document(name)
    link_store(store)
    assert not _members(store)
    rest = [n for n in seed_records if n not in CITY]
    fresh = OxigraphStore(None)
    build([Path("seeds")], fresh, progress=False, extractor=_records(seed_records, rest))
    assert _link_quads(store) == _link_quads(fresh)
    # adding one back restores them
    build([Path("seeds")], store, progress=False, extractor=_records(seed_records, [CITY_2025]))
    assert len(_members(store)) == 12


def test_link_store_idempotent(linked: OxigraphStore) -> None:
    """Relinking an unchanged store changes nothing (each graph is a no-op by its content hash)."""
    before = _link_quads(linked)
    counts = link_store(linked)
    assert _link_quads(linked) == before
    assert counts[str(INFERRED_GRAPH)] > 12 and counts[str(LINK_GRAPH)] > 50


def test_link_store_no_link_option(seed_records: dict[str, Any]) -> None:
    """``build(link=False)`` leaves the link graphs out; ``link_store`` adds them afterwards."""
    store = OxigraphStore(None)
    build([Path("seeds")], store, progress=False, extractor=_records(seed_records), link=False)
    assert not _members(store)
    link_store(store)
    assert len(_members(store)) == 12


def test_link_store_cli(seed_records: dict[str, Any], tmp_path: Path) -> None:
    """``kg link store --store DIR`` links an on-disk store; ``kg remove`` relinks."""
    from kg.cli import app

    path = tmp_path / "store"
    store = OxigraphStore(path)
    build([Path("seeds")], store, progress=False, extractor=_records(seed_records), link=False)
    del store
    result = CliRunner().invoke(app, ["link", "store", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "graph/inferred:" in result.output
    assert "graph/summary:" in result.output  # a store built without it gets its summary graph too
    store = OxigraphStore(path)
    assert len(_members(store)) == 12
    assert store.select("ASK { GRAPH <https://w3id.org/zwgk/id/graph/summary> { ?s ?p ?o } }")[0]["result"]
    del store
    result = CliRunner().invoke(app, ["remove", CITY_2025, "--store", str(path)])
    assert result.exit_code == 0, result.output
    fresh = OxigraphStore(None)
    rest = [n for n in seed_records if n != CITY_2025]
    build([Path("seeds")], fresh, progress=False, extractor=_records(seed_records, rest))
    assert _link_quads(OxigraphStore.read_only(path)) == _link_quads(fresh)


def test_link_store_cli_bad_linkset(tmp_path: Path) -> None:
    """A missing linkset is one line and exit 1."""
    from kg.cli import app

    result = CliRunner().invoke(
        app, ["link", "store", "--store", str(tmp_path / "s"), "--linkset", str(tmp_path / "nope.csv")]
    )
    assert result.exit_code == 1
    assert "nope.csv: cannot read the linkset" in result.output
