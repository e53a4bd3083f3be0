"""Deadline forms: a year carried within a paragraph, and 截至 (as of) that sets no limit."""

from __future__ import annotations

from datetime import date

from extractors.dates import find_deadlines


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
