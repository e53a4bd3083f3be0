"""Tests for task-table detection in each layout, cell inheritance and row refs."""

from __future__ import annotations

import pytest

from extractors.layout.tables import find_tables
from extractors.reading.normalize import MappedText, normalize

TAB = "\n".join(
    [
        "成都市教育局2024年政务公开重点任务分工",
        "序号\t工作任务\t具体要求\t责任单位\t完成时限",
        "1\t深化政策公开\t做好政策解读。及时发布。\t局办公室\t2024年6月底前",
        "2\t\t推进网站建设。\t\t2024年12月底前",
        "\t优化互动交流\t办好市长信箱。\t局信访处\t",
        "3\t加强培训\t每年至少培训2次。\t局人事处\t长期",
        "本表由局办公室负责解释。",
    ]
)

PIPE = "\n".join(
    [
        "| 序号 | 主要任务 | 任务内容 | 牵头单位 | 配合单位 | 时间节点 |",
        "|---|---|---|---|---|---|",
        "| 1 | 深化政策公开 | 做好政策解读。 | 区政府办公室 | 各街道办事处 | 2024年底前 |",
        "| 2 |  | 推进网站建设。 | 区大数据局 |  |  |",
        "3 | 加强培训 | 组织业务培训。 | 区政府办公室 | 各部门 | 长期",
    ]
)

STACKED = "\n".join(
    [
        "附件",
        "2023年绥棱县政务公开重点工作任务分解表",
        "\t序号",
        "\t工作任务",
        "\t具体要求",
        "\t责任单位",
        "\t完成时限",
        "",
        "\t1",
        "\t聚焦决策公开",
        "\t推进目录公开",
        "\t编制年度目录并公开发布。",
        "\t县司法局",
        "\t2023年12月底前",
        "",
        "\t2",
        "\t",
        "\t",
        "\t公开决策草案和说明。",
        "\t县发改局",
        "\t",
        " \t回应群众关切",
        "\t综合利用热线渠道回应关切。",
        "\t县政府办公室",
        "\t2023年12月底前",
        " 聚焦基础保障",
        "",
        "\t加强基层公开",
        "\t动态更新标准化目录内容。",
        "\t县政府办公室",
        "\t2023年12月底前",
        " \t要整合力量，理顺工作机制，配齐配强工作人员。",
        "\t县委编办",
        "\t2023年12月底前",
    ]
)


def _tables(text: str):
    return find_tables(normalize(MappedText.identity(text)))


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        (TAB, ["table/1", "table/2", "table/2b", "table/3"]),
        (PIPE, ["table/1", "table/2", "table/3"]),
        (STACKED, ["table/1", "table/2", "table/2b", "table/2c", "table/2d"]),
        (STACKED.replace("\n ", "\n"), ["table/1", "table/2", "table/2b", "table/2c", "table/2d"]),
    ],
    ids=["tabs", "pipes", "stacked", "stacked-unindented"],
)
def test_tables_layout_refs(text: str, refs: list[str]) -> None:
    """Each layout yields one item per row, lettered after the last 序号 when a row has none."""
    (_table, items), *_ = _tables(text)
    assert [i.ref for i in items] == refs
    assert all(i.level == 0 for i in items)


def test_tables_tab_inherits_merged_cells() -> None:
    """Empty cells take the value above and are marked inherited; the 序号 never is."""
    _, items = _tables(TAB)[0]
    second = items[1]
    assert second.title == "深化政策公开" and second.cells["工作任务"].inherited
    assert second.responsibility_note == "局办公室" and second.cells["责任单位"].inherited
    assert not second.cells["完成时限"].inherited and second.cells["完成时限"].text == "2024年12月底前"
    assert items[2].title == "优化互动交流" and items[2].cells["序号"].text == ""


def test_tables_tab_table_ends_at_plain_line() -> None:
    """A line without cells ends the table."""
    table, _items = _tables(TAB)[0]
    assert len(table.rows) == 4 and table.title == "成都市教育局2024年政务公开重点任务分工"


def test_tables_pipe_lead_and_support_units() -> None:
    """牵头 and 配合 columns both go into the responsibility note; the text column is 任务内容."""
    _, items = _tables(PIPE)[0]
    assert items[0].responsibility_note == "区政府办公室、各街道办事处"
    assert items[0].text == "做好政策解读。"
    assert items[1].title == "深化政策公开" and items[1].cells["牵头单位"].text == "区大数据局"
    assert items[2].cells["时间节点"].text == "长期"


def test_tables_stacked_split_task_column() -> None:
    """Stacked rows with one cell more than the header split the task column; stray rows align by content."""
    table, items = _tables(STACKED)[0]
    assert table.header == ["序号", "工作任务", "具体任务", "具体要求", "责任单位", "完成时限"]
    titles = [i.title for i in items]
    assert titles == ["推进目录公开", "推进目录公开", "回应群众关切", "加强基层公开", "加强基层公开"]
    assert items[3].cells["工作任务"].text == "聚焦基础保障"
    assert items[4].text.startswith("要整合力量") and items[4].responsibility_note == "县委编办"


def test_tables_spans_are_original() -> None:
    """Cell and item spans point into the original text."""
    original = TAB.replace("做好政策解读", "做好政策解读")
    _, items = _tables(original)[0]
    cell = items[0].cells["具体要求"]
    assert cell.span is not None and cell.span.slice(original) == "做好政策解读。及时发布。"
    assert [s.text for s in items[0].sentences] == ["做好政策解读。", "及时发布。"]


def test_tables_header_needs_sequence_column() -> None:
    """A tabbed block without 序号 is not a task table."""
    assert _tables("名称\t责任单位\n甲\t乙\n") == []
