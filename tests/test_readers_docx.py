"""Readers: .docx body order and table cells, incl. merged cells (extractors.reading.readers)."""

from __future__ import annotations

import io

import docx

from extractors.reading.readers import read_bytes


def _save(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def _table_doc(rows: int, cols: int) -> tuple[object, object]:
    document = docx.Document()
    document.add_paragraph("成都市教育局2024年政务公开重点任务分工")
    table = document.add_table(rows=rows, cols=cols)
    for r in range(rows):
        for c in range(cols):
            table.cell(r, c).text = f"{r}{c}"
    document.add_paragraph("附件结束")
    return document, table


def test_readers_docx_plain_table() -> None:
    """Each row is one line, cells joined by tabs, between the surrounding paragraphs."""
    document, _ = _table_doc(2, 3)
    text = read_bytes(_save(document), "t.docx").original
    assert text.split("\n") == [
        "成都市教育局2024年政务公开重点任务分工",
        "00\t01\t02",
        "10\t11\t12",
        "附件结束",
    ]


def test_readers_docx_vertical_merge_continuation_empty() -> None:
    """A vertically merged continuation cell reads as an empty cell."""
    document, table = _table_doc(3, 2)
    merged = table.cell(0, 0).merge(table.cell(2, 0))  # type: ignore[attr-defined]
    merged.text = "区政府办公室"
    rows = read_bytes(_save(document), "t.docx").original.split("\n")[1:4]
    assert rows == ["区政府办公室\t01", "\t11", "\t21"]


def test_readers_docx_horizontal_merge_one_cell_per_grid_column() -> None:
    """A horizontally merged cell gives its text once, then empty cells for its grid columns."""
    document, table = _table_doc(2, 3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))  # type: ignore[attr-defined]
    merged.text = "聚焦高质量发展"
    rows = read_bytes(_save(document), "t.docx").original.split("\n")[1:3]
    assert rows == ["聚焦高质量发展\t\t", "10\t11\t12"]


def test_readers_docx_cell_paragraphs_stay_on_row_line() -> None:
    """Several paragraphs in one cell are joined with a space, keeping the row on one line."""
    document, table = _table_doc(1, 2)
    cell = table.cell(0, 1)  # type: ignore[attr-defined]
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    assert read_bytes(_save(document), "t.docx").original.split("\n")[1] == "00\t第一段 第二段"


def test_readers_docx_paragraph_tabs_and_breaks() -> None:
    """Tabs and line breaks inside a paragraph are kept as \\t and \\n."""
    document = docx.Document()
    run = document.add_paragraph().add_run("索引号:\t001")
    run.add_break()
    run.add_text("发布日期: 2024-03-01")
    assert read_bytes(_save(document), "t.docx").original == "索引号:\t001\n发布日期: 2024-03-01"
