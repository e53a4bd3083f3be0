"""Generate the byte-level variants of the second held-out set from the UTF-8 sources in ``src/``.

Run from the repository root: ``.venv/bin/python tests/unseen2/make_docs.py``. It writes

- ``docs/sz_2025_city_notice.txt``: UTF-8 with a byte-order mark;
- ``docs/ja_2022_district_tasks.html``: a saved web page whose task table has rowspan-merged cells;
- ``docs/yn_2023_province_gbk.txt``: GB18030 bytes (the text holds a character GBK cannot encode);
- ``docs/wh_2024_bureau.docx``: a Word file of plain paragraphs (python-docx).

``docs/hd_2021_district_sections.txt`` is plain UTF-8 and is kept as written.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"


def write_bom(name: str) -> Path:
    """Write ``src/<name>`` to ``docs/<name>`` as UTF-8 with a byte-order mark.

    Args:
        name: File name in ``src/``.

    Returns:
        The written path.
    """
    out = DOCS / name
    out.write_bytes((SRC / name).read_text("utf-8").encode("utf-8-sig"))
    return out


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


def write_docx(source: str, target: str) -> Path:
    """Write ``src/<source>`` as a Word file: one paragraph per non-empty line.

    Lines before the first blank line form the red-head block (centred, bold); section
    headings (一、…) are bold.

    Args:
        source: File name in ``src/`` (UTF-8).
        target: File name in ``docs/``.

    Returns:
        The written path.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    head = True
    for line in (SRC / source).read_text("utf-8").splitlines():
        if not line.strip():
            head = False
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line.strip())
        if head or line.startswith("2024年无锡市市场监督管理局政务公开工作要点"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
        elif line[:1] in "一二三四五六七八九十" and "、" in line[:3]:
            run.bold = True
    out = DOCS / target
    document.save(str(out))
    return out


def _cell(text: str, span: int) -> str:
    attr = f' rowspan="{span}"' if span > 1 else ""
    return f"<td{attr}>{html.escape(text)}</td>"


def _spans(rows: list[list[str | None]], column: int, index: int) -> int:
    """How many rows the cell at (index, column) covers: itself plus the None cells below it."""
    span = 1
    while index + span < len(rows) and rows[index + span][column] is None:
        span += 1
    return span


def table_html(columns: list[str], rows: list[list[str | None]]) -> str:
    """Render a task table; a None cell is covered by the rowspan of the cell above it.

    Args:
        columns: Header cells.
        rows: Body rows, one value or None per column.

    Returns:
        The ``<table>`` markup.
    """
    lines = ['<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0" width="100%">']
    lines.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr>")
    for i, row in enumerate(rows):
        cells = [_cell(v, _spans(rows, c, i)) for c, v in enumerate(row) if v is not None]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def page_html(spec: dict[str, Any]) -> str:
    """Render the saved web page of the task list.

    Args:
        spec: The page description (see ``src/ja_2022_district_tasks.json``).

    Returns:
        The whole HTML document.
    """
    esc = html.escape
    crumbs = " &gt; ".join(f'<a href="#">{esc(c)}</a>' for c in spec["crumbs"])
    meta = "".join(f"<tr><th>{esc(k)}：</th><td>{esc(v)}</td></tr>" for k, v in spec["meta"])
    before = "\n".join(f"<p>{esc(p)}</p>" for p in spec["before"])
    after = "\n".join(f"<p>{esc(p)}</p>" for p in spec["after"])
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{esc(spec["page_title"])}</title>
<link rel="stylesheet" href="/images/jasite.css">
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<div class="top"><a href="#">无障碍</a> | <a href="#">长者模式</a> | <a href="#">English</a></div>
<div class="nav"><ul><li>首页</li><li>政务公开</li><li>政务服务</li>
<li>互动交流</li><li>走进江岸</li></ul></div>
<div class="crumbs">当前位置：{crumbs}</div>
<table class="xxgk-meta">{meta}</table>
<div class="article">
<h1>{esc(spec["heading"])}</h1>
<div class="TRS_Editor">
{before}
{table_html(spec["columns"], spec["rows"])}
{after}
</div>
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【打印本页】【关闭窗口】</div>
<div class="footer">{esc(spec["footer"])}</div>
</body>
</html>
"""


def write_html(source: str, target: str) -> Path:
    """Render ``src/<source>`` (JSON) to ``docs/<target>``.

    Args:
        source: JSON page description in ``src/``.
        target: File name in ``docs/``.

    Returns:
        The written path.
    """
    spec = json.loads((SRC / source).read_text("utf-8"))
    out = DOCS / target
    out.write_text(page_html(spec), "utf-8")
    return out


def main() -> None:
    """Regenerate every generated document of the set."""
    DOCS.mkdir(exist_ok=True)
    written = [
        write_bom("sz_2025_city_notice.txt"),
        write_html("ja_2022_district_tasks.json", "ja_2022_district_tasks.html"),
        write_gb18030("yn_2023_province.txt", "yn_2023_province_gbk.txt"),
        write_docx("wh_2024_bureau.txt", "wh_2024_bureau.docx"),
    ]
    for path in written:
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()
