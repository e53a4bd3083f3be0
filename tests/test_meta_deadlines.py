"""Deadline forms: a year carried within a paragraph, and 截至 (as of) that sets no limit."""

from __future__ import annotations

from datetime import date

from extractors.layout.dates import find_deadlines


def _dates(text: str, year: int | None) -> list[date | None]:
    return [d[2] for d in find_deadlines(text, year)]


def test_year_carries_to_a_later_limit_of_the_paragraph() -> None:
    text = "2021年6月底前,各县要完成清单编制;10月底前,完成所辖部门清单编制。"
    assert _dates(text, None) == [date(2021, 6, 30), date(2021, 10, 31)]
    assert _dates(text, 2020) == [date(2021, 6, 30), date(2021, 10, 31)]


def test_year_does_not_carry_over_a_line_end() -> None:
    text = "1.2021年6月底前完成编制。\n2.10月底前完成更新。"
    assert _dates(text, 2020) == [date(2021, 6, 30), date(2020, 10, 31)]


def test_as_of_is_no_deadline() -> None:
    assert _dates("截至2018年底,累计主动公开政府信息1000条。", 2018) == []
    assert _dates("2018年底前完成。", 2018) == [date(2018, 12, 31)]


def test_second_half_and_ten_day_periods() -> None:
    assert _dates("下半年完成", 2024) == [date(2024, 12, 31)]
    assert _dates("11月中旬前报送", 2024) == [date(2024, 11, 20)]
    assert _dates("10月上旬前完成", 2024) == [date(2024, 10, 10)]
    assert _dates("9月下旬前完成", 2024) == [date(2024, 9, 30)]


def test_completion_cells() -> None:
    assert _dates("| 推进公开 | 市财政局 | 2024年6月30日 |", 2024) == [date(2024, 6, 30)]
    assert _dates("| 推进公开 | 市财政局 | 2024年6月 |", 2024) == [date(2024, 6, 30)]
    assert _dates("| 推进公开 | 市财政局 | 2024.9 |", 2024) == [date(2024, 9, 30)]
    assert _dates("2024年10月31日", 2024) == [date(2024, 10, 31)]  # a 完成时限 cell read alone
    assert _dates("4月30日完成清单编制", 2024) == [date(2024, 4, 30)]


def test_signature_date_is_no_deadline() -> None:
    assert _dates("某某县人民政府办公室\n2024年3月5日\n", 2024) == []
    assert _dates("统计期限为2024年1月1日至12月31日。", 2024) == []
