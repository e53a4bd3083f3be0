"""One store for the CLI and the demo: the default store, read-only commands beside a server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from api.testing import serve_sample
from kg.store import OxigraphStore

KG = str(Path(sys.executable).with_name("kg"))


def _kg(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "ZWGK_STORE_DIR"} | env
    return subprocess.run([KG, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120)


def test_project_store_is_the_default_and_readable_while_served(tmp_path: Path) -> None:
    """After `make demo` (a server on ./.zwgk/store), README's `kg query --named …` reads that store."""
    (tmp_path / ".zwgk").mkdir()
    with serve_sample(tmp_path / ".zwgk" / "store"):
        named = _kg("query", "--named", "agencies-for-mechanism", "--param", "mechanism=三同步",
                    "--format", "csv", cwd=tmp_path)
        stats = _kg("stats", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "杭州市西湖区人民政府办公室" in named.stdout
    assert stats.returncode == 0, stats.stderr
    assert f"store: {Path('.zwgk') / 'store'}" in stats.stdout
    assert "documents: 3" in stats.stdout


def test_store_from_environment(tmp_path: Path) -> None:
    """ZWGK_STORE_DIR, the variable `kg serve` reads, is the CLI's default too."""
    with serve_sample(tmp_path / "elsewhere"):
        result = _kg("stats", cwd=tmp_path, ZWGK_STORE_DIR=str(tmp_path / "elsewhere"))
    assert result.returncode == 0, result.stderr
    assert "documents: 3" in result.stdout


def test_missing_store_is_one_clear_error(tmp_path: Path) -> None:
    """A read-only command on a store that does not exist says so, without creating one."""
    result = _kg("query", "SELECT * WHERE { ?s ?p ?o }", "--store", str(tmp_path / "none"), cwd=tmp_path)
    assert result.returncode == 1
    missing = tmp_path / "none"
    assert result.stderr.strip().splitlines() == [
        f"error: {missing}: no store here; build one with `kg build DOCS --store {missing}`"
    ]
    assert not (tmp_path / "none").exists()


def test_empty_store_says_so(tmp_path: Path) -> None:
    """An empty store answers, and a note on stderr says it is empty."""
    OxigraphStore(tmp_path / "empty").close()
    result = _kg("query", "--named", "agencies-for-mechanism", "--param", "mechanism=三同步",
                 "--store", str(tmp_path / "empty"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "is empty" in result.stderr
