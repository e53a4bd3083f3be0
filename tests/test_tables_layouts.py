"""Task-table layouts of department and city pages (made-up examples of each shape): where the
responsible units of a row come from, so that its mechanisms and platforms pair with them."""

from __future__ import annotations

from pathlib import Path

from extractors.layout.tables import find_tables
from extractors.reading.normalize import MappedText, normalize


def _norm(text: str) -> MappedText:
    return normalize(MappedText.identity(text))


def _tables(text: str) -> list:  # type: ignore[type-arg]
    return find_tables(_norm(text))


def test_spaced_header_channel_column_and_heading_above_naming_units() -> None:
    """A heading above the header names the units (…负责落实的工作任务); column names may be
    spaced out (工   作   要   求) and a 公开载体 column names the channels; cells per block."""
    cells = [
        "二、各县(区)政府、市政府各部门负责落实的工作任务",
        "序号", "任务事项", "工   作   要   求", "公开载体", "完成时限",
        "1", "公开财政预决算", "按规定公开部门预决算。", "市政府门户网站", "长期推进",
        "2", "公开权责清单", "动态调整权责清单。", "部门网站", "2019年底前",
    ]  # fmt: skip
    (table, items), *_ = _tables("某市政务公开任务明细表\n\n" + "\n\n".join(cells) + "\n")
    assert table.header == ["序号", "任务事项", "工作要求", "公开载体", "完成时限"]
    assert [i.ref for i in items] == ["table/1", "table/2"]
    assert all(i.responsibility_note == "各县(区)政府、市政府各部门" for i in items)


def test_task_cell_before_requirements_and_one_units_cell_for_several() -> None:
    """No 序号: a task cell heads requirements 1. 2. …; where several requirements sit in one
    cell the units cell after the last is theirs (not the one above)."""
    cells = [
        "工作任务", "具体要求", "落实科室(部门)",
        "做好规划公开", "1.主动公开规划原文。", "规划科", "2.做好政策解读。", "办公室",
        "做好执法公开", "3.公开随机抽查事项清单。", "4.公布抽查结果。", "执法科、审批科按职责分工落实",
    ]  # fmt: skip
    (table, items), *_ = _tables("某县卫生健康局分工方案\n\n" + "\n\n".join(cells) + "\n")
    assert table.header[2] == "落实科室(部门)"
    assert [i.ref for i in items] == ["1", "2", "3", "4"]
    assert items[0].cells["工作任务"].text == "做好规划公开"
    assert [i.responsibility_note for i in items] == [
        "规划科",
        "办公室",
        "执法科、审批科按职责分工落实",
        "执法科、审批科按职责分工落实",
    ]


def test_header_broken_over_two_lines() -> None:
    """``工作任务 | 具体要求`` then ``| 责任单位 |``; a row without its units cell shares the one above."""
    text = "\n".join(
        [
            "工作任务 | 具体要求",
            "| 责任单位 |",
            "一、做好财政信息公开。 | 1.公开部门预决算。 | 区财政局牵头,区直各部门落实 |",
            "2.公开债务信息。 |",
            "二、做好网站公开。 | 3.更新政府网站概况信息。 | 各街道 |",
        ]
    )
    (table, items), *_ = _tables(text)
    assert table.header == ["工作任务", "具体要求", "责任单位"]
    assert [i.ref for i in items] == ["一/1", "一/2", "二/3"]
    assert items[1].responsibility_note == "区财政局牵头,区直各部门落实"


def test_table_whose_header_was_cut_off() -> None:
    """An excerpt starting inside a table: cells closed by `` |``, rows opened by 一、 and 1.; the
    columns after the requirement are named by what they hold."""
    cells = [
        "一、深化决策公开 |", "1.公开重大行政决策事项目录。 |", "法规股牵头,各股室配合。 |", "长期 |",
        "二、办好政务新媒体 |", "2.规范运营政务微信公众号。 |", "办公室 |", "长期 |",
        "3.及时回应网民留言。 |", "办公室统筹,各股室落实。 |", "2023年底前 |",
    ]  # fmt: skip
    (table, items), *_ = _tables("\n".join(cells) + "\n")
    assert table.header == ["工作任务", "具体要求", "责任单位", "完成时限"]
    assert [i.ref for i in items] == ["一/1", "二/2", "二/3"]
    assert items[2].responsibility_note == "办公室统筹,各股室落实。"
    assert items[0].cells["完成时限"].text == "长期"


def test_prose_with_closing_pipes_is_no_table() -> None:
    """Closing pipes alone do not make a table: it needs numbered rows and a units column."""
    cells = [
        "一、总体要求 |", "坚持公开为常态。 |", "二、工作安排 |", "1.加强组织领导。 |",
        "2.狠抓落实。 |", "3.强化考核。 |", "办公室 |",
    ]  # fmt: skip
    assert _tables("\n".join(cells) + "\n") == []


def test_annual_report_subject_is_not_responsible(tmp_path: Path) -> None:
    """A 年度报告 tells what was done: 各乡镇（街道）…进一步增强… makes no one responsible."""
    from extractors.pipeline import extract

    doc = tmp_path / "report.txt"
    doc.write_text(
        "湖州市吴兴区2018年政府信息公开工作年度报告\n来源:区人民政府办公室 时间:2019-01-10\n\n"
        "一、概述\n\n2018年，我区认真做好政府信息公开工作。\n\n（一）基本情况\n\n"
        "我区稳步推进信息公开工作。各乡镇（街道）、区直各有关部门进一步增强主动公开意识，"
        "对于主动公开的信息，能够在规定的时限内在区政府门户网站上予以公开。\n",
        "utf-8",
    )
    record = extract(doc)
    assert record.items and all(not i.responsible for i in record.items)
    assert all(not ob.actors for i in record.items for ob in i.obligations)


def test_numbered_requirements_in_a_row_cell_are_sub_items() -> None:
    """Row 2 whose 工作要求 cell lists 1.…；2.…: sub-items table/2/1, table/2/2 without units."""
    text = "\n".join(
        [
            "序号\t工作任务\t工作要求\t责任单位",
            "1\t公开财政信息\t公开部门预决算。\t区财政局",
            "2\t公开抽查结果\t1.公开随机抽查事项清单；2.及时公布抽查结果。\t区市场监管局",
        ]
    )
    (_table, items), *_ = _tables(text)
    assert [i.ref for i in items] == ["table/1", "table/2", "table/2/1", "table/2/2"]
    assert items[2].parent_ref == "table/2" and items[2].responsibility_note is None
    assert items[1].responsibility_note == "区市场监管局"


def test_host_and_assisting_unit_columns_are_responsible() -> None:
    """主办单位 / 协办单位 columns name responsible units like 牵头 / 配合."""
    text = "\n".join(
        [
            "| 序号 | 重点任务 | 主要内容 | 主办单位 | 协办单位 | 完成时限 |",
            "|---|---|---|---|---|---|",
            "| 1 | 做好政策解读 | 落实政策解读“三同步”要求。 | 县政府办公室 | 县司法局 | 长期 |",
        ]
    )
    (_table, items), *_ = _tables(text)
    assert items[0].responsibility_note == "县政府办公室、县司法局"
