"""Generate the byte-level variants of the third held-out set from the UTF-8 sources in ``src/``.

Run from the repository root: ``.venv/bin/python tests/unseen3/make_docs.py``. It writes

- ``docs/yt_2024_district_tasks.docx``: a Word notice whose task table has vertically and
  horizontally merged cells (python-docx ``merge``);
- ``docs/cq_2022_bureau_gb18030.txt``: GB18030 bytes with CRLF line ends (the text holds 䶮,
  U+4DAE, which GB2312 and GBK cannot encode);
- ``docs/gy_2021_countycity.html``: a saved web page (breadcrumb, 来源/发布时间 line, font-size
  switch, print footer) around the notice and its 要点.

``docs/sc_2025_province_lead.txt`` and ``docs/pd_2023_district_tsv.txt`` are plain UTF-8 and
are kept as written.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"

# In a table row of src/yt_2024_district_tasks.json, None continues the cell above (vertical
# merge) and "<" continues the cell to the left (horizontal merge).
LEFT = "<"


def write_gb18030(source: str, target: str) -> Path:
    """Write ``src/<source>`` to ``docs/<target>`` encoded in GB18030, with CRLF line ends.

    Args:
        source: File name in ``src/`` (UTF-8).
        target: File name in ``docs/``.

    Returns:
        The written path.
    """
    text = (SRC / source).read_text("utf-8")
    out = DOCS / target
    out.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    return out


def _merge_table(table: Any, rows: list[list[str | None]]) -> None:
    """Fill the body of ``table`` (row 0 is the header) and merge the continued cells."""
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                top = r - 1
                while rows[top - 1][c] is None:
                    top -= 1
                table.cell(top, c).merge(table.cell(r, c))
            elif value == LEFT:
                left = c - 1
                while row[left] == LEFT:
                    left -= 1
                table.cell(r, left).merge(table.cell(r, c))
            else:
                table.cell(r, c).text = value


def write_docx(source: str, target: str) -> Path:
    """Write the task-division notice described by ``src/<source>`` (JSON) as a Word file.

    Args:
        source: JSON description: ``before`` paragraphs, ``columns``, ``rows``, ``after``.
        target: File name in ``docs/``.

    Returns:
        The written path.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    spec = json.loads((SRC / source).read_text("utf-8"))
    document = Document()
    for i, line in enumerate(spec["before"]):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if i in (0, len(spec["before"]) - 1):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
    columns: list[str] = spec["columns"]
    rows: list[list[str | None]] = spec["rows"]
    table = document.add_table(rows=len(rows) + 1, cols=len(columns))
    table.style = "Table Grid"
    for c, name in enumerate(columns):
        table.cell(0, c).text = name
    _merge_table(table, rows)
    for line in spec["after"]:
        document.add_paragraph(line)
    out = DOCS / target
    document.save(str(out))
    return out


def page_html(spec: dict[str, Any], body: str) -> str:
    """Render the saved web page around the article text.

    Args:
        spec: Page chrome (see ``src/gy_2021_countycity.json``).
        body: The article text, one paragraph per non-empty line.

    Returns:
        The whole HTML document.
    """
    esc = html.escape
    crumbs = " &gt; ".join(f'<a href="#">{esc(c)}</a>' for c in spec["crumbs"])
    paragraphs = "\n".join(
        f'<p style="text-indent:2em">{esc(line.strip())}</p>' for line in body.splitlines() if line.strip()
    )
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(spec["page_title"])}</title>
<link rel="stylesheet" type="text/css" href="/css/gongyi.css">
<script type="text/javascript" src="/js/jquery-1.8.3.min.js"></script>
</head>
<body>
<div class="header"><img src="/images/logo.png" alt="巩义市人民政府"></div>
<div class="menu"><a href="#">首页</a><a href="#">政务公开</a>
<a href="#">政务服务</a><a href="#">政民互动</a><a href="#">走进巩义</a></div>
<div class="position">您当前的位置：{crumbs}</div>
<div class="content">
<h2 class="title">{esc(spec["heading"])}</h2>
<div class="info">来源：{esc(spec["source"])}
&nbsp;&nbsp;发布时间：{esc(spec["published"])}
&nbsp;&nbsp;浏览次数：<span id="hits">{spec["hits"]}</span>
&nbsp;&nbsp;【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="article">
{paragraphs}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer">{esc(spec["footer"])}</div>
</body>
</html>
"""


def write_html(spec_name: str, body_name: str, target: str) -> Path:
    """Render ``src/<body_name>`` inside the page chrome of ``src/<spec_name>`` to ``docs/<target>``.

    Args:
        spec_name: JSON page chrome in ``src/``.
        body_name: UTF-8 article text in ``src/``.
        target: File name in ``docs/``.

    Returns:
        The written path.
    """
    spec = json.loads((SRC / spec_name).read_text("utf-8"))
    out = DOCS / target
    out.write_text(page_html(spec, (SRC / body_name).read_text("utf-8")), "utf-8")
    return out


def main() -> None:
    """Regenerate every generated document of the set."""
    DOCS.mkdir(exist_ok=True)
    written = [
        write_docx("yt_2024_district_tasks.json", "yt_2024_district_tasks.docx"),
        write_gb18030("cq_2022_bureau.txt", "cq_2022_bureau_gb18030.txt"),
        write_html("gy_2021_countycity.json", "gy_2021_countycity.txt", "gy_2021_countycity.html"),
    ]
    for path in written:
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()
