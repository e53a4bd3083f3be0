"""Generate the binary and re-encoded unseen documents from their plain UTF-8 sources.

    .venv/bin/python tests/unseen/make_docs.py

Sources live in ``tests/unseen/src`` (kept out of ``docs`` so the pipeline never reads them);
the outputs go to ``tests/unseen/docs``: an HTML page with site chrome, a Word file with a
vertically merged task table, a GBK-encoded text and a traditional-character text.
"""

from __future__ import annotations

import html
from pathlib import Path

import docx
import opencc
from docx.table import Table

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"
MERGED = "^"  # a table cell that continues the cell above it

CHROME_TOP = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_广东省人民政府门户网站</title></head>
<body><div class="header"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/wjk/">文件库</a> &gt; 正文</div>
"""
CHROME_TOOLS = """<div class="tools">字号：<a>大</a> <a>中</a> <a>小</a>
<a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a>
<span>分享到：微信 微博</span></div>
"""
CHROME_BOTTOM = """<div class="footer"><p>扫一扫在手机打开当前页</p>
<p>相关阅读：2023年广东省政务公开工作要点解读</p>
<p>主办：广东省人民政府办公厅 | 网站标识码：4400000064 | 粤ICP备05070829号</p></div>
</body></html>
"""


def build_html(source: Path) -> str:
    """Render a source with ``@key: value`` metadata, ``#`` headings and ``>`` signature lines as a page.

    Args:
        source: the UTF-8 source file.

    Returns:
        The HTML page, with the portal's chrome and a metadata table in ``<table>`` cells.
    """
    meta: list[tuple[str, str]] = []
    body: list[str] = []
    for line in source.read_text("utf-8").splitlines():
        if line.startswith("@"):
            key, _, value = line[1:].partition(":")
            meta.append((key.strip(), value.strip()))
        elif line.startswith("#"):
            body.append(f'<h1 class="title">{html.escape(line[1:])}</h1>')
        elif line.startswith(">"):
            body.append(f'<p style="text-align:right">{html.escape(line[1:])}</p>')
        elif line.strip():
            body.append(f"<p>\u3000\u3000{html.escape(line)}</p>")
    cells = [f"<td>{html.escape(k)}：</td><td>{html.escape(v)}</td>" for k, v in meta]
    if len(cells) % 2:
        cells.append("<td></td><td></td>")
    rows = "".join(f"<tr>{a}{b}</tr>\n" for a, b in zip(cells[::2], cells[1::2], strict=True))
    title = dict(meta).get("标题", "")
    return (
        CHROME_TOP.format(title=html.escape(title))
        + f'<table class="meta">\n{rows}</table>\n'
        + CHROME_TOOLS
        + '<div class="content">\n'
        + "\n".join(body)
        + "\n</div>\n"
        + CHROME_BOTTOM
    )


def _fill_table(table: Table, rows: list[list[str]]) -> None:
    """Write rows into a table, merging each ``^`` cell with the cell above it."""
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text != MERGED:
                table.cell(r, c).text = text
    for c in range(len(rows[0])):
        for r in range(1, len(rows)):
            if rows[r][c] == MERGED:
                top = r - 1
                while rows[top][c] == MERGED:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))
                table.cell(top, c).text = rows[top][c]


def build_docx(source: Path, out: Path) -> None:
    """Write a Word file: paragraphs, and the ``@TABLE`` … ``@END`` block as a real table.

    Args:
        source: the UTF-8 source; table rows are ``|``-separated, ``^`` merges with the cell above.
        out: the .docx file to write.
    """
    document = docx.Document()
    rows: list[list[str]] | None = None
    for line in source.read_text("utf-8").splitlines():
        if line == "@TABLE":
            rows = []
        elif line == "@END" and rows is not None:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            _fill_table(table, rows)
            rows = None
        elif rows is not None:
            rows.append(line.split("|"))
        elif line.strip():
            document.add_paragraph(line)
    document.save(str(out))


def main() -> None:
    """Regenerate every generated document in ``docs`` from ``src``."""
    DOCS.mkdir(exist_ok=True)
    page = build_html(SRC / "gd_2024_province.src.txt")
    (DOCS / "gd_2024_province.html").write_text(page, "utf-8")
    build_docx(SRC / "sl_2022_county_tasks.src.txt", DOCS / "sl_2022_county_tasks.docx")
    text = (SRC / "cd_2024_bureau_gbk.src.txt").read_text("utf-8")
    (DOCS / "cd_2024_bureau_gbk.txt").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    simplified = (SRC / "bj_2023_district_trad.src.txt").read_text("utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    (DOCS / "bj_2023_district_trad.txt").write_text(traditional, "utf-8")


if __name__ == "__main__":
    main()
