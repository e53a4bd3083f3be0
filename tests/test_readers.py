"""Readers: formats, encodings and sniffing (extractors.reading.readers)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extractors.reading.readers import MEDIA_TYPES, read_bytes, read_document

from variants import bom_bytes, docx_bytes, gb_bytes, html_bytes, pdf_bytes, utf16_bytes

SNIPPET = (
    "杭州市西湖区人民政府办公室关于印发2024年政务公开工作要点的通知\n"
    "各镇人民政府、街道办事处，区政府各部门：\n"
    "一、强化政策解读回应。依托“浙里办”平台做好政策发布。"
)
EXT_A = "䶮"  # CJK Extension A: in GB18030, not in GBK/GB2312


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SNIPPET.encode("utf-8"), "utf-8"),
        (bom_bytes(SNIPPET), "utf-8-sig"),
        (SNIPPET.encode("gbk"), "gb18030"),
        (gb_bytes(SNIPPET + EXT_A), "gb18030"),
        (utf16_bytes(SNIPPET), "utf-16"),
        (SNIPPET.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030-ext-a", "utf16-le-bom", "utf16-be-bom"],
)
def test_readers_text_encodings(data: bytes, encoding: str) -> None:
    """Text in every supported encoding decodes to the same text, BOM stripped."""
    doc = read_bytes(data, "绥棱县要点.txt")
    assert doc.original.removesuffix(EXT_A) == SNIPPET
    assert doc.encoding == encoding
    assert doc.media_type == "text/plain"


def test_readers_gb18030_only_character_kept() -> None:
    """A GB18030-only character (absent from GBK) survives decoding."""
    with pytest.raises(UnicodeEncodeError):
        EXT_A.encode("gbk")
    assert read_bytes(gb_bytes(f"刘{EXT_A}的名字"), "x.txt").original == f"刘{EXT_A}的名字"


def test_readers_crlf_read_as_newlines() -> None:
    """CRLF and CR line ends are read as \\n (universal newlines)."""
    assert read_bytes("一行\r\n二行\r三行".encode(), "a.txt").original == "一行\n二行\n三行"


def test_readers_source_file_and_sha256(tmp_path: Path) -> None:
    """RawDocument carries the base name and the sha256 of the original bytes."""
    data = gb_bytes(SNIPPET)
    path = tmp_path / "广东省要点.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.source_file == "广东省要点.txt"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_readers_upload_name_stripped_to_base() -> None:
    """An upload name with a client path keeps only its base name."""
    assert read_bytes(SNIPPET.encode(), "C:\\Users\\me\\朝阳区.txt").source_file == "朝阳区.txt"


def test_readers_html_gb2312_label_on_gb18030_content() -> None:
    """A gb2312-labelled page holding GB18030-only characters decodes fully."""
    doc = read_bytes(html_bytes(SNIPPET + EXT_A), "page.html")
    assert doc.encoding == "gb18030"
    assert EXT_A in doc.original
    assert doc.media_type == MEDIA_TYPES["html"]


def test_readers_html_meta_is_only_a_hint() -> None:
    """A page labelled gb2312 but encoded in UTF-8 is read as UTF-8."""
    doc = read_bytes(html_bytes(SNIPPET, charset="gb2312", codec="utf-8"), "page.htm")
    assert doc.encoding == "utf-8"
    assert "浙里办" in doc.original


def test_readers_html_meta_hint_for_other_encodings() -> None:
    """A non-GB meta charset (big5) is used when the bytes are not UTF-8."""
    page = '<html><head><meta charset="big5"></head><body><p>政務公開工作要點</p></body></html>'
    assert read_bytes(page.encode("big5"), "tw.html").original == "政務公開工作要點"


@pytest.mark.parametrize("dropped", ["var _hmt", "广告", "console.log", "首页", "网站标识码", "p { margin"])
def test_readers_html_drops_script_style_nav_footer(dropped: str) -> None:
    """Script, style, nav, header and footer content is not rendered."""
    assert dropped not in read_bytes(html_bytes(SNIPPET), "page.html").original


def test_readers_html_paragraphs_one_per_line() -> None:
    """Each block element is one line."""
    lines = read_bytes(html_bytes(SNIPPET), "page.html").original.split("\n")
    for line in SNIPPET.split("\n"):
        assert line in lines


def test_readers_html_data_table_rows_tab_joined() -> None:
    """A data table renders one line per row, cells joined by tabs."""
    page = (
        "<html><body><p>附件</p><table><tr><th>序号</th><th>工作任务</th><th>责任单位</th></tr>"
        "<tr><td>1</td><td>推进<b>政策</b>解读</td><td>成都市教育局</td></tr></table></body></html>"
    )
    assert (
        read_bytes(page.encode(), "t.html").original
        == "附件\n序号\t工作任务\t责任单位\n1\t推进政策解读\t成都市教育局"
    )


def test_readers_html_layout_table_keeps_paragraphs() -> None:
    """A layout table (cells holding paragraphs) renders its paragraphs as lines."""
    page = "<html><body><table><tr><td><p>第一段。</p><p>第二段。</p></td></tr></table></body></html>"
    assert read_bytes(page.encode(), "t.html").original == "第一段。\n第二段。"


def test_readers_html_entity_bomb_not_expanded() -> None:
    """Custom entities in an HTML page are not expanded (no entity bomb)."""
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    page = f"<!DOCTYPE html [{ents}]><html><body><p>&i; 正文内容</p></body></html>"
    doc = read_bytes(page.encode(), "bomb.html")
    assert len(doc.original) < 200
    assert "正文内容" in doc.original


def test_readers_html_sniffed_in_txt() -> None:
    """A .txt that is really a full HTML page is rendered as HTML."""
    page = "<!DOCTYPE html><html><body><script>x()</script><p>正文</p></body></html>"
    doc = read_bytes(page.encode(), "saved.txt")
    assert (doc.original, doc.media_type) == ("正文", "text/html")


def test_readers_docx_paragraphs_and_tables_in_body_order() -> None:
    """A .docx gives paragraphs and table rows in body order."""
    text = "北京市朝阳区2024年政务公开工作要点\n附件\n\t序号\n\t工作任务\n\n\t1\n\t政策解读\n"
    doc = read_bytes(docx_bytes(text), "chaoyang.docx")
    assert doc.original == "北京市朝阳区2024年政务公开工作要点\n附件\n序号\t工作任务\n1\t政策解读"
    assert doc.encoding is None


def test_readers_pdf_text_layer() -> None:
    """A PDF's text layer is read, one line per text line."""
    text = "国务院办公厅关于印发2024年政务公开工作要点的通知\n各省、自治区、直辖市人民政府"
    doc = read_bytes(pdf_bytes(text), "gwy.pdf")
    assert [line.strip() for line in doc.original.split("\n") if line.strip()] == text.split("\n")
    assert doc.media_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (pdf_bytes(SNIPPET), "upload", "application/pdf"),
        (docx_bytes(SNIPPET), "upload", MEDIA_TYPES["docx"]),
        (pdf_bytes(SNIPPET), "mislabelled.txt", "application/pdf"),
        (SNIPPET.encode(), "upload", "text/plain"),
    ],
    ids=["pdf-no-ext", "docx-no-ext", "pdf-as-txt", "text-no-ext"],
)
def test_readers_content_sniffing(data: bytes, name: str, media_type: str) -> None:
    """Definite signatures (PDF, zip) pick the reader over a missing or wrong extension."""
    assert read_bytes(data, name).media_type == media_type
