"""Outline layouts seen on real pages, with made-up text of the same shapes."""

from __future__ import annotations

from extractors.layout.structure import outline
from extractors.reading.clean import clean
from extractors.reading.normalize import normalize


def _refs(text: str) -> list[str]:
    return [item.ref for item in outline(normalize(clean(text))).items]


def test_item_opening_on_a_year() -> None:
    """5.2021年9月底前… is item 5, not the decimal 5.2021."""
    text = (
        "一、加强公开\n1.及时公开权责清单。(责任单位:各级政府部门)\n"
        "2.2021年9月底前,县级政府要完成目录编制;11月底前完成更新。(责任单位:各县政府)\n"
        "3.加强政策解读。\n"
    )
    assert _refs(text) == ["一/1", "一/2", "一/3"]


def test_sections_run_together_after_a_comma_title() -> None:
    text = (
        "2022年某市政务公开工作要点 总体要求是:做好公开。 一、聚焦重点领域,强化信息公开 "
        "(一)抓好政策文件公开。做好文件库维护。[责任单位:市政府办公室] (二)抓好规划公开。公开规划。\n"
    )
    assert _refs(text) == ["一/（一）", "一/（二）"]


def test_report_title_run_into_first_section() -> None:
    text = (
        "某县人民政府2020年 政府信息公开工作年度报告 一、总体情况 2020年,本县做好公开工作。 "
        "(一)主动公开情况。公开信息100条。 (二)依申请公开情况。受理申请5件。\n"
    )
    assert _refs(text) == ["一/（一）", "一/（二）"]


def test_heading_cut_off_at_the_end_of_an_excerpt() -> None:
    text = "一、拓展公开\n(一)加强平台建设。做好网站维护。\n\n(二)\n"
    assert _refs(text) == ["一/（一）", "一/（二）"]


def test_bare_number_at_the_end_is_not_a_first_heading() -> None:
    assert _refs("一、拓展公开\n(一)加强平台建设。做好网站维护。\n(五)\n") == ["一/（一）"]


def test_group_cell_followed_by_its_first_task_cell() -> None:
    text = (
        "工作任务 | 具体要求 | 责任单位 |\n"
        "一、做好规划公开。 | 1.主动公开规划纲要。 | 市直有关部门 |\n"
        "2.做好规划归集整理。 | 市发展和改革局 |\n"
        "二、做好财政信息公开。 | 3.推进预算决算公开。 | 市财政局 |\n"
    )
    assert _refs(text) == ["一/1", "一/2", "二/3"]


def test_sections_numbered_with_a_full_stop() -> None:
    """一. 二. (PDF-like pages print a full stop for 、); 一.5亿元 is no heading."""
    text = "一.总体要求\n(一)做好公开。\n二.重点任务\n1.推进决策公开。\n2.推进执行公开。\n"
    assert _refs(text) == ["一/（一）", "二/1", "二/2"]


def test_tasks_numbered_with_a_closing_bracket() -> None:
    assert _refs("一、重点任务\n1)推进决策公开。\n2)推进执行公开。\n") == ["一/1", "一/2"]


def test_numbered_list_opened_by_a_colon() -> None:
    text = "一、重点任务\n(一)推进决策公开。具体要求:1.公开目录;2.公开草案。\n(二)推进执行公开。\n"
    assert _refs(text) == ["一/（一）", "一/（一）/1", "一/（一）/2", "一/（二）"]


def test_colon_before_a_later_number_is_no_break() -> None:
    assert _refs("一、重点任务\n(一)推进决策公开。比例:3.公开目录。\n") == ["一/（一）"]
