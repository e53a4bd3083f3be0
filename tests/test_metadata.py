"""Tests for document metadata: the seeds' gold fields and case tables for each field."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from extractors.layout.metadata import (
    _CREDIT_CHARS,
    _CREDIT_WEIGHTS,
    find_dates,
    read_metadata,
    valid_credit_code,
)
from extractors.layout.structure import outline
from extractors.reading.normalize import MappedText, normalize

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
GOLD = Path("/work/shared/gold")
FIELDS = ("title", "notice_title", "issuer", "doc_number", "date", "year", "jurisdiction", "draft")


def _meta(original: str):
    text = normalize(MappedText.identity(original))
    return read_metadata(text, outline(text))


def _nfkc(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value))


def _gold_fields() -> list[tuple[Path, str]]:
    paths = sorted(GOLD.glob("*.json")) if GOLD.is_dir() else []
    return [(p, f) for p in paths for f in FIELDS]


@pytest.mark.parametrize(
    ("gold_path", "field"), _gold_fields(), ids=lambda x: x.name[:3] if isinstance(x, Path) else x
)
def test_metadata_seed_field_matches_gold(gold_path: Path, field: str) -> None:
    """Each seed's metadata field equals the gold value."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    meta = _meta((SEEDS / gold["doc"]).read_text(encoding="utf-8"))
    got = getattr(meta, field)
    got = got.isoformat() if isinstance(got, date) else got
    want = gold["metadata"][field]
    assert (None if got is None else _nfkc(got)) == (None if want is None else _nfkc(want))


NOTICE = """杭州市西湖区人民政府办公室关于印发杭州市西湖区2024年
政务公开工作要点的通知
西政办发［2024］ 7 号
各镇人民政府、街道办事处，区政府各部门、各直属单位：
现将《杭州市西湖区2024年政务公开工作要点》印发给你们，请认真贯彻执行。
杭州市西湖区人民政府办公室
二〇二四年三月十二日
（联系人：张三，电话：0571-1234567）
杭州市西湖区2024年政务公开工作要点
一、总体要求
（一）做好公开。依据《中华人民共和国政府信息公开条例》（国务院令第711号）执行。
抄送：区委办，区人大办，
区政协办。
杭州市西湖区人民政府办公室2024年3月12日印发
"""


def test_metadata_notice_layout() -> None:
    """A notice split over lines gives titles, number, Chinese-numeral date, addressees, contact, cc."""
    meta = _meta(NOTICE)
    assert meta.notice_title == "杭州市西湖区人民政府办公室关于印发杭州市西湖区2024年政务公开工作要点的通知"
    assert meta.title == "杭州市西湖区2024年政务公开工作要点" and meta.year == 2024
    assert meta.doc_number == "西政办发〔2024〕7号"
    assert meta.date == date(2024, 3, 12)
    assert meta.issuer == "杭州市西湖区人民政府办公室"
    assert (meta.jurisdiction, meta.division_code, meta.province) == ("杭州市西湖区", "330106", "浙江省")
    assert meta.addressees == ["各镇人民政府", "街道办事处", "区政府各部门", "各直属单位"]
    assert meta.contact is not None and "张三" in meta.contact
    assert meta.cc == ["区委办", "区人大办", "区政协办"]
    assert "《中华人民共和国政府信息公开条例》" in meta.cited and "国务院令第711号" in meta.cited
    assert not meta.draft


def test_metadata_spans_point_to_original() -> None:
    """Field spans slice the original text."""
    meta = _meta(NOTICE)
    assert meta.spans["doc_number"].slice(NOTICE) == "西政办发［2024］ 7 号"
    assert meta.spans["date"].slice(NOTICE) == "二〇二四年三月十二日"


INLINE = """索 引 号: 11440100MB2C92180H/2024-01234 主题分类: 综合政务
成文日期: 2024-04-02 发布日期: 2024-04-08
发布机关: 广州市天河区人民政府办公室 统一编号:
标    题: 广州市天河区人民政府办公室关于印发2024年天河区政务公开工作要点的通知
发文字号: 穗天府办〔2024〕3号 有 效 性:
2024年天河区政务公开工作要点
一、总体
（一）做好公开。
"""


def test_metadata_inline_fields() -> None:
    """Several labelled fields on one line, with spaced labels, are read one by one."""
    meta = _meta(INLINE)
    assert meta.index_number == "11440100MB2C92180H/2024-01234"
    assert meta.date == date(2024, 4, 2) and meta.published == date(2024, 4, 8)
    assert meta.issuer_surface == "广州市天河区人民政府办公室"
    assert meta.doc_number == "穗天府办〔2024〕3号"
    assert meta.jurisdiction == "广州市天河区"


TABBED = (
    "发文机关\t北京市朝阳区人民政府\n发布日期\t2023-02-01\n"
    "北京市朝阳区2023年政务公开工作要点\n一、总体\n（一）做好公开。\n"
)


def test_metadata_tab_and_next_line_fields() -> None:
    """Fields in tab cells and values on the next line are read."""
    meta = _meta(TABBED)
    assert meta.issuer == "北京市朝阳区人民政府" and meta.date == date(2023, 2, 1)
    assert meta.jurisdiction == "北京市朝阳区"
    meta2 = _meta(
        "发布机关:\n绥化市绥棱县人民政府\n2022年绥棱县政务公开工作要点\n一、总体\n（一）做好公开。\n"
    )
    assert meta2.issuer == "绥化市绥棱县人民政府" and meta2.jurisdiction == "绥化市绥棱县"


@pytest.mark.parametrize(
    ("head", "jurisdiction"),
    [
        ("国务院办公厅关于印发2024年政务公开工作要点的通知\n2024年政务公开工作要点\n", "中华人民共和国"),
        ("山东省人民政府办公厅关于印发2024年山东省政务公开工作要点的通知\n", "山东省"),
        ("成都市教育局关于印发成都市教育局2024年政务公开工作要点的通知\n", "成都市"),
    ],
)
def test_metadata_jurisdiction_by_issuer_level(head: str, jurisdiction: str) -> None:
    """Central organs map to the nation, provinces to the province, a city bureau to its city."""
    assert _meta(head + "一、总体\n（一）做好公开。\n").jurisdiction == jurisdiction


def test_metadata_draft_without_notice() -> None:
    """A draft with no notice: issuer is the jurisdiction's 人民政府."""
    meta = _meta(" 2023北京市朝阳区政务公开工作要点\n（征求意见稿）\n一、总体\n（一）做好公开。\n")
    assert meta.draft and meta.year == 2023
    assert meta.issuer == "北京市朝阳区人民政府" and meta.notice_title is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025年6月5日", date(2025, 6, 5)),
        ("2025 年 12 月 31 日", date(2025, 12, 31)),
        ("2021-05-28", date(2021, 5, 28)),
        ("二〇二五年六月五日", date(2025, 6, 5)),
        ("二〇二三年十二月三十一日", date(2023, 12, 31)),
        ("二〇二四年十月二十日", date(2024, 10, 20)),
    ],
)
def test_metadata_dates(text: str, value: date) -> None:
    """Dates in digits and in Chinese numerals parse to ISO dates."""
    assert [d for _, _, d in find_dates(text)] == [value]


def test_metadata_invalid_date_skipped() -> None:
    """An impossible date is not a date."""
    assert find_dates("2025年2月30日") == []


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("济政办发〔2025〕2号", "济政办发〔2025〕2号"),
        ("济交办〔2025〕14 号", "济交办〔2025〕14号"),
        ("国办发[2024]5号", "国办发〔2024〕5号"),
        ("鲁政办字［2023］ 12号", "鲁政办字〔2023〕12号"),
    ],
)
def test_metadata_document_numbers(line: str, number: str) -> None:
    """Document numbers in any bracket style come out with 〔〕 and no spaces."""
    assert _meta(f"{line}\n一、总体\n（一）做好公开。\n").doc_number == number


def _with_check(body: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "code", ["113701000041890072", _with_check("11330106MB1234567"), _with_check("9144010078UD01234")]
)
def test_metadata_credit_code_valid(code: str) -> None:
    """Codes whose check character is right are valid (one from a seed's 索引号, two computed)."""
    assert valid_credit_code(code)


@pytest.mark.parametrize("code", ["113701000041890073", "11370100004189007", "I13701000041890072", ""])
def test_metadata_credit_code_invalid(code: str) -> None:
    """A wrong check character, a wrong length or a character outside the set is invalid."""
    assert not valid_credit_code(code)


def test_metadata_credit_code_from_index_number() -> None:
    """The credit code inside 索引号 is kept when valid and dropped when not."""
    code = _with_check("11440100MB2C92180")
    valid = _meta(INLINE.replace("11440100MB2C92180H", code))
    assert valid.credit_code == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert _meta(INLINE.replace("11440100MB2C92180H", wrong)).credit_code is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("各市、区人民政府，市各委办局：", ["各市、区人民政府", "市各委办局"]),
        ("各州、市人民政府，省直各委、办、厅、局：", ["各州、市人民政府", "省直各委、办、厅、局"]),
        (
            "各市（州）、县（市、区）人民政府，省政府各部门：",
            ["各市(州)、县(市、区)人民政府", "省政府各部门"],
        ),
        ("各镇人民政府、街道办事处，区政府各部门：", ["各镇人民政府", "街道办事处", "区政府各部门"]),
    ],
)
def test_metadata_addressees_keep_shared_suffix_collectives(line: str, expected: list[str]) -> None:
    """A collective cut by 、 before a shared suffix (各市、区人民政府) stays one addressee."""
    title = "广西壮族自治区人民政府办公厅关于印发2024年政务公开工作要点的通知"
    notice = f"{title}\n{line}\n现将要点印发给你们。\n"
    assert _meta(notice).addressees == expected
