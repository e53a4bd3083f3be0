"""Build variants of a document text for reader tests.

Each function takes a plain text (a seed, or a snippet written for a test) and
returns the bytes of the same document in another form: GB18030/GBK, UTF-8 with
BOM, UTF-16, an HTML page with site chrome, a .docx (tab-cell tables become
real Word tables), traditional characters, or a minimal PDF with a text layer.
"""

from __future__ import annotations

import html
import io
import re
import zlib
from collections.abc import Iterable

from extractors.records import Cell

__all__ = [
    "bom_bytes",
    "comparable_lines",
    "docx_bytes",
    "gb_bytes",
    "html_bytes",
    "pdf_bytes",
    "split_tab_table",
    "traditional",
    "utf16_bytes",
]

_TAB_LINE = re.compile(r"^[ \u3000]*\t")


def gb_bytes(text: str) -> bytes:
    """GB18030 bytes (identical to GBK for every character GBK has)."""
    return text.encode("gb18030")


def bom_bytes(text: str) -> bytes:
    """UTF-8 with a byte-order mark."""
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def utf16_bytes(text: str) -> bytes:
    """UTF-16 with a byte-order mark."""
    return text.encode("utf-16")


def traditional(text: str) -> str:
    """Simplified → traditional characters (OpenCC s2t)."""
    import opencc

    converted: str = opencc.OpenCC("s2t.json").convert(text)
    return converted


def html_bytes(text: str, *, charset: str = "gb2312", codec: str = "gb18030") -> bytes:
    """An HTML page holding ``text`` (one ``<p>`` a line) amid typical portal chrome.

    The page declares ``charset`` in a meta tag but is encoded with ``codec``
    (by default a gb2312 label on GB18030 bytes, as portals often do).
    """
    parts = table_parts(text)
    if parts is None:
        body = _html_paragraphs(text.split("\n"))
    else:
        before, grid, after = parts
        cells = "\n".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in grid
        )
        body = _html_paragraphs(before) + f"\n<table>\n{cells}\n</table>\n" + _html_paragraphs(after)
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>政务公开</title><style>p {{ margin: 0 }}</style>
<script>var _hmt = _hmt || []; document.write("<p>广告</p>");</script></head>
<body><header><div class="logo">某某市人民政府门户网站</div></header>
<nav><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></nav>
<div class="tools">字号：<a>大</a> <a>中</a> <a>小</a></div>
<div class="article">
{body}
</div>
<div class="btns">【打印本页】【关闭窗口】</div>
<footer>主办单位：某某市人民政府办公室 网站标识码：1234567890</footer>
<script>console.log("bye")</script></body></html>
"""
    return page.encode(codec)


def split_tab_table(lines: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
    """Split a text export into (lines before, table rows, lines after).

    The table runs from the first to the last line starting with a tab; rows are
    separated by blank lines and each non-blank line is one cell.
    """
    tab_lines = [i for i, line in enumerate(lines) if _TAB_LINE.match(line)]
    if not tab_lines:
        return lines, [], []
    first, last = tab_lines[0], tab_lines[-1]
    rows: list[list[str]] = [[]]
    for line in lines[first : last + 1]:
        if line.strip():
            rows[-1].append(line.strip(" \t\u3000"))
        elif rows[-1]:
            rows.append([])
    return lines[:first], [r for r in rows if r], lines[last + 1 :]


def _html_paragraphs(lines: Iterable[str]) -> str:
    return "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())


def table_parts(text: str) -> tuple[list[str], list[list[str]], list[str]] | None:
    """(lines before, table grid, lines after) of a seed with a task table, or None.

    The grid is the table as a Word or HTML author would lay it out: a header row,
    then one row per task with merged (inherited) cells left empty. It is read off
    the plain text with the project's own table parser, so the variant tests check
    that the same table read from a real Word or HTML table gives the same outline.
    """
    from extractors.layout.structure import outline
    from extractors.reading.clean import clean
    from extractors.reading.normalize import normalize

    tables = outline(normalize(clean(text))).tables
    if not tables:
        return None
    table = tables[0]
    grid = [list(table.header)]
    for row in table.rows:
        grid.append([_cell(text, c) for c in row])
    before = text[: table.span.start].split("\n")
    after = text[table.span.end :].split("\n")
    return before, grid, after


def _cell(text: str, cell: Cell) -> str:
    """A cell as written; merged (inherited) cells are empty."""
    return "" if cell.inherited or cell.span is None else " ".join(cell.span.slice(text).split())


def docx_bytes(text: str) -> bytes:
    """A .docx: lines become paragraphs; a task table becomes a real Word table."""
    import docx

    document = docx.Document()
    parts = table_parts(text)
    if parts is None:
        before, rows, after = split_tab_table(text.split("\n"))
    else:
        before, rows, after = parts
    _add_paragraphs(document, before)
    if rows:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    _add_paragraphs(document, after)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_paragraphs(document: object, lines: Iterable[str]) -> None:
    for line in lines:
        if line.strip():
            document.add_paragraph(line.strip())  # type: ignore[attr-defined]


def pdf_bytes(text: str, *, lines_per_page: int = 40) -> bytes:
    """A minimal PDF whose text layer holds ``text`` (BMP characters), one line per text line.

    The font is a non-embedded Identity-H CID font whose CIDs are the Unicode
    code points, with a ToUnicode CMap mapping them back, so any PDF text
    extractor recovers the characters. Nothing is drawn legibly; it is a test
    fixture for the text layer only.
    """
    lines = [line for line in text.split("\n") if line.strip()] or [""]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /UCS def "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapType 2 def "
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
        b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
        b"CMapName currentdict /CMap defineresource pop end end"
    )
    tounicode = add(_stream(cmap))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCJK /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 >>" % descriptor
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid, tounicode)
    )
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for page in pages:
        ops = [b"BT /F1 10 Tf 12 TL 20 800 Td"]
        for line in page:
            hexed = "".join(f"{ord(ch):04X}" for ch in line if ord(ch) <= 0xFFFF)
            ops.append(b"<%s> Tj T*" % hexed.encode("ascii"))
        ops.append(b"ET")
        content = add(_stream(b"\n".join(ops)))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return _assemble(objects, catalog)


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)


def _assemble(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def comparable_lines(text: str) -> list[str]:
    """Non-empty lines (tabs split cells into lines) with all whitespace removed."""
    pieces = (re.sub(r"\s+", "", cell) for line in text.split("\n") for cell in line.split("\t"))
    return [p for p in pieces if p]
