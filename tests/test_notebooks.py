"""The notebooks: committed without outputs, and every cell runs (their own asserts check the key facts)."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
IDS = [p.stem for p in PATHS]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call,no-any-return]


def test_notebooks_present() -> None:
    """The three notebooks of the issue exist."""
    assert IDS == ["01_explore", "02_compare", "03_linking"]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebooks_committed_without_outputs(path: Path) -> None:
    """No code cell carries outputs or an execution count."""
    book = _read(path)
    code = [(i, c) for i, c in enumerate(book.cells) if c.cell_type == "code"]
    dirty = [i for i, c in code if c.outputs or c.execution_count]
    assert not dirty, f"{path.name}: clear the outputs of cells {dirty}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebooks_import_installed_package(path: Path) -> None:
    """Notebooks import the installed package: no sys.path edits."""
    source = "\n".join(c.source for c in _read(path).cells)
    assert "sys.path" not in source


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebooks_execute(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell runs without error in a fresh kernel of this interpreter."""
    monkeypatch.setenv("ZWGK_ROOT", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    book = _read(path)
    client = NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError naming the failing cell


def test_notebooks_kernel_is_this_python() -> None:
    """The python3 kernel runs this interpreter (the venv's), so the notebooks see the installed package."""
    from jupyter_client.manager import KernelManager

    command = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(command[0]).resolve() == Path(sys.executable).resolve()
