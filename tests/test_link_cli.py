"""kg link places: the offline enrichment command over a TriG file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.link import app

TRIG = """
@prefix zwgk: <https://w3id.org/zwgk/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/zwgk/id/doc/00000000000000bb/graph> {
  <https://w3id.org/zwgk/id/doc/00000000000000bb> a zwgk:Document ;
    zwgk:year "2025"^^xsd:gYear ;
    zwgk:indexNumber "113701000041890072/2025-00432" ;
    zwgk:issuedBy <https://w3id.org/zwgk/id/agency/issuer> ;
    zwgk:mentions <https://w3id.org/zwgk/id/agency/group> .
}
<https://w3id.org/zwgk/id/graph/entities> {
  <https://w3id.org/zwgk/id/agency/group> a zwgk:AgencyGroup ; rdfs:label "各区县人民政府"@zh ;
    zwgk:jurisdiction <https://w3id.org/zwgk/id/place/370100> .
}
"""


def test_cli_places(tmp_path: Path) -> None:
    """The command adds places, collective members, the credit code and sameAs links."""
    src, out = tmp_path / "in.trig", tmp_path / "out.trig"
    src.write_text(TRIG, "utf-8")
    result = CliRunner().invoke(app, ["places", str(src), str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    for needle in ("济南市济阳区人民政府", "113701000041890072", "Q170247", "graph/inferred", "济南市历下区"):
        assert needle in text, needle


def test_cli_places_missing_file(tmp_path: Path) -> None:
    """A missing input file gives exit 1 and one line naming the file."""
    result = CliRunner().invoke(app, ["places", str(tmp_path / "nope.trig"), str(tmp_path / "o.trig")])
    assert result.exit_code == 1
    assert "nope.trig: cannot read the graph" in result.output
