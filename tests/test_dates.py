"""find_deadlines: absolute forms to ISO dates, 年内 without a date, relative limits."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.layout.dates import cn_number, find_deadlines


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2023年12月底前完成", None, date(2023, 12, 31)),
        ("2023年年底前", 2025, date(2023, 12, 31)),
        ("2021年年底前", None, date(2021, 12, 31)),
        ("2024年底前", None, date(2024, 12, 31)),
        ("年底前完成", 2025, date(2025, 12, 31)),
        ("于8月31日前报送", 2023, date(2023, 8, 31)),
        ("6月底前", 2024, date(2024, 6, 30)),
        ("2月底前", 2024, date(2024, 2, 29)),
        ("十二月底前", 2022, date(2022, 12, 31)),
        ("第三季度末", 2023, date(2023, 9, 30)),
        ("上半年完成", 2023, date(2023, 6, 30)),
        ("二〇二三年九月底前", None, date(2023, 9, 30)),
    ],
)
def test_dates_absolute(text: str, year: int | None, expected: date) -> None:
    """Absolute deadlines resolve to the last day meant."""
    assert [d[2] for d in find_deadlines(text, year)] == [expected]


@pytest.mark.parametrize("text", ["年内完成", "年底前完成"])
def test_dates_without_year(text: str) -> None:
    """年内, and 年底前 with no year known, carry no date."""
    assert [d[2] for d in find_deadlines(text, None)] == [None]


@pytest.mark.parametrize(
    ("text", "amount", "unit", "event"),
    [
        ("政策出台后10个工作日内", 10, "working_day", "政策出台"),
        ("自收到申请之日起15个工作日内予以答复", 15, "working_day", "收到申请"),
        ("文件印发后3个月内", 3, "month", "文件印发"),
        ("应在信息形成后二十日内公开", 20, "day", "信息形成"),
    ],
)
def test_dates_relative(text: str, amount: int, unit: str, event: str) -> None:
    """Relative limits keep amount, unit and the triggering event."""
    (d,) = find_deadlines(text, 2023)
    assert d[3] is not None and (d[3].amount, d[3].unit, d[3].event) == (amount, unit, event)


@pytest.mark.parametrize("text", ["3个月前", "前期工作", "12345热线"])
def test_dates_negatives(text: str) -> None:
    """Durations and numbers that are not deadlines are ignored."""
    assert [d for d in find_deadlines(text, 2023) if d[2] is not None] == []


@pytest.mark.parametrize(
    ("text", "n"), [("12", 12), ("十二", 12), ("三十一", 31), ("十", 10), ("二〇二三", 2023)]
)
def test_dates_cn_number(text: str, n: int) -> None:
    """Chinese and Arabic numerals parse."""
    assert cn_number(text) == n


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("2023年6月", None, date(2023, 6, 30)),
        ("完成时间\t2024年9月\n", None, date(2024, 9, 30)),
        ("6月", 2023, date(2023, 6, 30)),
        ("2023年6月底", None, date(2023, 6, 30)),
        ("2023年上半年", None, date(2023, 6, 30)),
        ("2023年第三季度", None, date(2023, 9, 30)),
        ("于2022年11月完成", None, date(2022, 11, 30)),
        ("年内完成", 2024, date(2024, 12, 31)),
    ],
)
def test_dates_completion_cells(text: str, year: int | None, expected: date) -> None:
    """A month, half or quarter standing as a 完成时间 cell, or before 完成, is its last day."""
    assert [d[2] for d in find_deadlines(text, year)] == [expected]


@pytest.mark.parametrize(
    "text", ["2023年6月，市政府印发", "全年", "长期", "持续推进", "年内邀请公众代表列席不少于5次"]
)
def test_dates_no_completion(text: str) -> None:
    """A month in prose, 全年/长期/持续推进 and 年内 before a count carry no date."""
    assert [d[2] for d in find_deadlines(text, 2023) if d[2] is not None] == []
