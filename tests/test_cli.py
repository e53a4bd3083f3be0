"""The kg command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.build import ingest_record
from kg.cli import app
from kg.store import OxigraphStore

from kg_fixtures import xihu_record

runner = CliRunner()


def _store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    ingest_record(store, xihu_record())
    store.close()
    del store
    return path


def test_cli_query_named(tmp_path: Path):
    """kg query --named binds parameters and prints rows."""
    path = _store(tmp_path)
    result = runner.invoke(app, ["query", "--named", "agencies-for-mechanism", "--param", "mechanism=三同步",
                                 "--store", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "杭州市西湖区人民政府办公室" in result.output


def test_cli_export_and_stats(tmp_path: Path):
    """kg export writes a file; kg stats prints the store location."""
    path = _store(tmp_path)
    out = tmp_path / "g.trig"
    assert runner.invoke(app, ["export", "-o", str(out), "--store", str(path)]).exit_code == 0
    assert out.stat().st_size > 0
    result = runner.invoke(app, ["stats", "--store", str(path)])
    assert "documents: 1" in result.output


def test_cli_bad_query_one_line(tmp_path: Path):
    """A malformed query exits 1 with one error line."""
    result = runner.invoke(app, ["query", "SELEC", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.output.strip().startswith("error:")


def test_cli_list_and_remove(tmp_path: Path):
    """kg query --list lists queries; kg remove drops a document by file name."""
    path = _store(tmp_path)
    assert "document-diff" in runner.invoke(app, ["query", "--list"]).output
    assert runner.invoke(app, ["remove", "xihu_2024.txt", "--store", str(path)]).exit_code == 0
    assert runner.invoke(app, ["remove", "xihu_2024.txt", "--store", str(path)]).exit_code == 1
