"""Tests for the website metadata block with each label alone on a line and its value below."""

from __future__ import annotations

from datetime import date

from extractors.layout.metadata import read_metadata
from extractors.layout.structure import outline
from extractors.reading.normalize import MappedText, normalize

BLOCK = (
    "首页 > 政务公开 > 政策文件\n索引号\n002345/2023-00011\n发文机构\n杭州市西湖区人民政府办公室\n"
    "发布日期\n2023-05-12\n文号\n西政办发〔2023〕7号\n\n杭州市西湖区2023年政务公开工作要点\n\n"
    "一、总体要求\n（一）做好公开。\n"
)


def test_metadata_label_line_value_next_line() -> None:
    """发文机构 on one line and the organ on the next gives the issuer (not the government)."""
    text = normalize(MappedText.identity(BLOCK))
    meta = read_metadata(text, outline(text))
    assert meta.issuer == "杭州市西湖区人民政府办公室"
    assert meta.date == date(2023, 5, 12)
    assert meta.jurisdiction == "杭州市西湖区"
