"""The notebooks read in Chinese: headings, table columns, chart labels; document titles on the
timeline's axis (not file names); whole-number colour bars. Executed headless over the seeds."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import matplotlib
import nbformat
import pytest
from nbclient import NotebookClient

from kg import analysis
from kg.build import build
from kg.store import OxigraphStore

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebooks_readable_headings_are_chinese(path: Path) -> None:
    """Every markdown heading is Chinese first."""
    headings = [line for c in _read(path).cells if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("#")]
    assert headings
    for heading in headings:
        text = heading.lstrip("# ").split("·")[-1].strip()
        assert CJK.match(text) or CJK.search(text[:6]), heading


@pytest.fixture(scope="module")
def seeds_store(seed_records: dict[str, Any]) -> OxigraphStore:
    store = OxigraphStore(None)
    records = list(seed_records.values())
    build([Path("seeds")], store, progress=False, extractor=lambda paths, workers: iter(records))
    return store


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_notebooks_readable_timeline_by_document_title(seeds_store: OxigraphStore) -> None:
    """The deadline timeline's rows are document titles; axes and title in Chinese."""
    analysis.cjk_font()  # a Chinese font when one is installed (else the glyphs are boxes)
    timeline = analysis.obligation_timeline(seeds_store)
    fig = analysis.timeline_figure(timeline, cjk=True)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    titles = set(analysis.documents(seeds_store)["title"])
    assert rows and set(rows) <= titles
    assert not any(r.endswith(".txt") for r in rows)
    assert "截止日期" in ax.get_xlabel() and CJK.search(ax.get_title())
    plt.close(fig)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_notebooks_readable_heatmap_whole_numbers(seeds_store: OxigraphStore) -> None:
    """The heatmap's colour bar has whole-number ticks and Chinese labels."""
    analysis.cjk_font()
    matrix = analysis.responsibility_matrix(seeds_store).iloc[:20, :25]
    fig = analysis.heatmap_figure(matrix, cjk=True, title="单位 × 机制：条目数")
    ax, bar = fig.axes
    ticks = list(bar.get_yticks())
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert bar.get_ylabel() == "条目数"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("机制", "单位")
    plt.close(fig)


def test_notebooks_readable_zh_columns() -> None:
    """Tables are shown with Chinese column names and kinds."""
    import pandas as pd

    frame = analysis.zh(pd.DataFrame({"agency": ["甲"], "kind": ["Platform"], "sourceFile": ["a.txt"],
                                      "agencyIri": ["x"]}))
    assert list(frame.columns) == ["单位", "类别", "源文件"] and frame["类别"].tolist() == ["平台"]


def _texts(book: Any) -> list[str]:
    out = []
    for cell in book.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            out.append("".join(str(x) for x in (data.get("text/html", ""), data.get("text/plain", ""),
                                                output.get("text", ""))))
    return out


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebooks_readable_execute(path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run headless over the seeds (each notebook builds them): tables have Chinese headers, no file names."""
    monkeypatch.setenv("ZWGK_ROOT", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    book = _read(path)
    NotebookClient(book, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    html = "\n".join(t for t in _texts(book) if "<table" in t)
    assert html and re.search(r"<th>(单位|文件|成员|地区|名称)</th>", html)
    heads = re.findall(r"<th>([^<]*)</th>", html)
    assert not {"sourceFile", "agency", "evidence", "kind", "ref"} & set(heads)
    images = [o["data"]["image/png"] for c in book.cells for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    if path.stem == "02_compare":
        assert len(images) == 2  # the heatmap and the timeline
        (tmp_path / "timeline.png").write_bytes(base64.b64decode(images[-1]))
