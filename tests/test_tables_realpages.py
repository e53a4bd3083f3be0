"""Task tables, notes and outlines in the layouts real pages give them (made-up examples of each shape)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from extractors.components.obligations import find_obligations
from extractors.layout.structure import find_notes, outline
from extractors.layout.tables import find_tables
from extractors.reading.normalize import MappedText, normalize


def _norm(text: str) -> MappedText:
    return normalize(MappedText.identity(text))


def _items(text: str) -> dict[str, object]:
    return {i.ref: i for i in outline(_norm(text)).items}


# a pipe table without 序号: （一） section cells, rows numbered 1. in the 具体要求 cell, the merged
# task cell missing from later rows, closing pipes, and the excerpt cut inside the last row
SECTIONED_PIPES = "\n".join(
    [
        "工作任务 | 具体要求 | 责任单位 |",
        "(一)深化决策公开 | 1.公开重大行政决策事项目录。 | 市司法局牵头,市有关单位负责 |",
        "2. 做好政策解读,落实三同步要求。 | 市政府办公室、各区县人民政府负责 |",
        "(二)加强平台建设 | 1.办好政府门户网站。 | 市大数据局牵头 |",
        "2.完善政策文件库建设,",
    ]
)


def test_realpages_section_cells_give_outline_refs() -> None:
    """Rows numbered inside each （一） group follow the outline; （一） is an item of its own."""
    (_table, items), *_ = find_tables(_norm(SECTIONED_PIPES))
    assert [i.ref for i in items] == ["（一）", "（一）/1", "（一）/2", "（二）", "（二）/1", "（二）/2"]
    by_ref = {i.ref: i for i in items}
    assert by_ref["（一）/1"].responsibility_note == "市司法局牵头,市有关单位负责"
    assert by_ref["（一）/2"].responsibility_note == "市政府办公室、各区县人民政府负责"
    assert by_ref["（一）/2"].text.startswith("2. 做好政策解读")
    assert by_ref["（一）"].title == "深化决策公开"
    # the section cell belongs to the section item, not to the row beside it
    assert by_ref["（一）/1"].cells["工作任务"].text == ""
    assert by_ref["（二）/2"].responsibility_note is None  # cut off at the end: nothing inherited


def test_realpages_rank_one_section_is_no_item() -> None:
    """A 一、 section with rows under it is no item; its cell stays with the row beside it."""
    text = "\n".join(
        [
            "工作任务 | 具体要求 | 责任单位 | 时限要求 |",
            "一、围绕中心工作抓好主动公开。 | 1.公开民生实事进展。 | 办公室、规划处 | 持续推进 |",
            "2.推进一件事集成办理。 | 审批处 | 6月底前 | |",
            "",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["一/1", "一/2"]
    assert items[0].cells["工作任务"].text.startswith("一、")
    assert items[1].responsibility_note == "审批处" and items[1].cells["时限要求"].text == "6月底前"


def test_realpages_space_separated_cells() -> None:
    """Cells split by spaces; 序号 after a merged first column; unnumbered rows are lettered."""
    text = "\n".join(
        [
            "2021年某县政务公开重点任务分工",
            "类别 序号 任务 有关要求 责任单位",
            "强化解读 1 做好政策解读 围绕全县中心工作做好解读。 县府办、各相关部门按职能分别落实。",
            "解读材料与政策文件同步公开。",
            "起草部门应报送解读方案。 县府办、县司法局分别牵头把关。",
            "2 回应社会关切 做好舆情回应工作。",
        ]
    )
    (table, items), *_ = find_tables(_norm(text))
    assert table.header == ["类别", "序号", "任务", "有关要求", "责任单位"]
    assert [i.ref for i in items] == ["table/1", "table/1b", "table/1c", "table/2"]
    assert items[1].responsibility_note == "县府办、各相关部门按职能分别落实。"
    assert items[1].cells["责任单位"].inherited
    assert items[2].responsibility_note == "县府办、县司法局分别牵头把关。"
    assert items[3].title == "回应社会关切"
    assert items[3].responsibility_note is None  # the excerpt ends in this row


def test_realpages_space_header_needs_column_names() -> None:
    """A line of short words is no header unless they are column names with a 责任… column."""
    assert find_tables(_norm("甲乙 丙丁 戊己\n一 二 三\n")) == []


def test_realpages_heading_row_names_units() -> None:
    """A section row "…负责落实的工作任务" makes its units responsible for the rows under it."""
    text = "\n".join(
        [
            "序号 | 工作任务 | 完成时限 | 责任单位",
            "一、区发改局负责落实的工作任务",
            "1 | 公开重大项目审批信息。 | 长期 | ",
            "2 | 公开价格监管信息。 | 长期 | 区市场监管局",
            "二、区财政局负责落实的工作任务",
            "1 | 公开预决算信息。 | 长期 | ",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["一/1", "一/2", "二/1"]
    assert items[0].responsibility_note == "区发改局"
    assert items[1].responsibility_note == "区发改局、区市场监管局"
    assert items[2].responsibility_note == "区财政局"


def test_realpages_numbered_column_continuous_stays_table() -> None:
    """With a 序号 running on across section rows, refs stay ``table/N``."""
    text = "\n".join(
        [
            "序号\t工作任务\t责任单位",
            "一、决策公开",
            "1\t公开目录。\t区司法局",
            "二、政务服务",
            "2\t办好热线。\t区政务服务中心",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["table/1", "table/2"]


def test_realpages_outline_skips_tables() -> None:
    """Headings inside a table's cells are not outline items as well."""
    text = "2024年某市政务公开任务分解\n" + SECTIONED_PIPES
    refs = [i.ref for i in outline(_norm(text)).items]
    assert refs == ["（一）", "（一）/1", "（一）/2", "（二）", "（二）/1", "（二）/2"]


def test_realpages_run_together_paragraphs() -> None:
    """Numbered paragraphs a page ran together on one line are split into items."""
    text = (
        "2023年某区政务公开工作要点\n"
        "根据有关文件精神,制定本要点。 一、总体要求 以公开促落实。 二、主要任务 全年重点做好以下工作。"
        " (一)强化重点领域公开 1、数字经济领域。在区政府网站开设专题。(责任单位:区政府办公室、区商务局)"
        " 2、营商环境领域。及时公开惠企政策。 (二)加强解读回应 做好解读。\n"
    )
    items = _items(text)
    assert set(items) == {"一", "二/（一）", "二/（一）/1", "二/（一）/2", "二/（二）"}
    first = items["二/（一）/1"]
    assert first.responsibility_note == "区政府办公室、区商务局"  # type: ignore[attr-defined]


def test_realpages_run_together_needs_next_number() -> None:
    """A number inside a sentence that does not continue the outline is no heading."""
    text = "一、总体要求\n全年办结5、6件重点事项。 3、不是标题。\n二、主要任务\n做好公开。\n"
    assert set(_items(text)) == {"一", "二"}


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("做好解读工作（省交通厅法规处牵头落实）。\n下一段", "省交通厅法规处牵头落实"),
        ("做好备案工作。（办公室、法规处）", "办公室、法规处"),
        ("做好备案工作（市场处）。", "市场处"),
        ("推进公开[责任单位:区司法局、区财政局]", "区司法局、区财政局"),
        (
            "加强解读。（县府办〔县数据局〕牵头，各乡镇按照职责分工负责）",
            "县府办〔县数据局〕牵头,各乡镇按照职责分工负责",
        ),
        ("推进公开（责任单位：区司法局、区财", "区司法局、区财"),
        ("做好解读。（区发改委牵头，各街道", "区发改委牵头,各街道"),
    ],
)
def test_realpages_note_forms(text: str, listed: str) -> None:
    """Inline notes in square brackets, ASCII colons, role-ended and bare unit lists, cut off."""
    norm = _norm(text).text
    assert [n for _, _, n in find_notes(norm, 0, len(norm))] == [listed]


@pytest.mark.parametrize(
    "text",
    [
        "报送市发展和改革委员会（市发改委）。",
        "公开目录。（以下简称市数据局）",
        "公开信息（含附件）。",
        "公开信息。（一是做好",
    ],
)
def test_realpages_not_notes(text: str) -> None:
    """An abbreviation after a name, a definition or an aside is no note."""
    norm = _norm(text).text
    assert find_notes(norm, 0, len(norm)) == []


def test_realpages_subject_after_scope_and_aside() -> None:
    """全市各级… is a subject after the scope word; (以下统称…) between subjects is skipped."""
    s = "全市各级行政机关要按权限公开职能信息"
    ags = [SimpleNamespace(start=2, end=8, name="某市各级行政机关")]
    assert find_obligations(s, ags, 2023)[0].actors == ["某市各级行政机关"]
    s2 = "各县政府(以下统称县政府)和市政府各部门要加强组织领导"
    ags2 = [
        SimpleNamespace(start=0, end=4, name="各县政府"),
        SimpleNamespace(start=14, end=20, name="市政府各部门"),
    ]
    assert find_obligations(s2, ags2, 2023)[0].actors == ["各县政府", "市政府各部门"]


@pytest.mark.parametrize(
    "joiner",
    [" |\n", " /\n", "\n\n", "\n"],
    ids=["pipe-closed", "slash-closed", "blocks", "lines"],
)
def test_realpages_one_cell_per_line(joiner: str) -> None:
    """One cell per line (closed by `` |`` or `` /``) or per block between blank lines."""
    cells = [
        "序号", "工作任务", "责任单位", "完成时限",
        "1", "公开年度重大行政决策事项目录。", "市司法局", "2024年6月底前",
        "2", "办好12345热线。", "市政务服务中心", "长期坚持",
    ]  # fmt: skip
    text = "某市政务公开任务分解表\n" + joiner.join(cells) + joiner
    (table, items), *_ = find_tables(_norm(text))
    assert table.header == ["序号", "工作任务", "责任单位", "完成时限"]
    assert [i.ref for i in items] == ["table/1", "table/2"]
    assert items[1].responsibility_note == "市政务服务中心"
    assert items[0].cells["完成时限"].text == "2024年6月底前"


def test_realpages_one_cell_per_line_without_number() -> None:
    """Without 序号: section cells and cells opening with 1. structure the rows."""
    cells = [
        "工作任务 |", "具体工作要求 |", "责任科室 |", "时限要求 |",
        "一、深化决策公开 |", "1.公开决策草案。 |", "法规科 |", "长期 |",
        "2.公开决策结果。 |", "办公室、法规科 |", "年底前 |",
    ]  # fmt: skip
    (_table, items), *_ = find_tables(_norm("\n".join(cells) + "\n"))
    assert [i.ref for i in items] == ["一/1", "一/2"]
    assert items[1].responsibility_note == "办公室、法规科"


def test_realpages_quarter_rhythm_is_no_deadline() -> None:
    """一季度一通报 names a rhythm, not the end of the first quarter; 第一季度末前 is a deadline."""
    from datetime import date

    from extractors.layout.dates import find_deadlines

    assert find_deadlines("实行一季度一通报制度", 2023) == []
    assert [d[2] for d in find_deadlines("第一季度末前完成", 2023)] == [date(2023, 3, 31)]


def test_realpages_agent_after_you() -> None:
    """The agent after 由 inside a clause is its subject; a conditional clause does not hide the next one."""
    s = "政策文件印发后,解读材料由起草单位同步上传"
    ags = [SimpleNamespace(start=13, end=17, name="某区起草单位")]
    assert [o.actors for o in find_obligations(s, ags, 2023)] == [["某区起草单位"]]
    s2 = "未附解读材料的,各级政府办公室实行退文处理"
    ags2 = [SimpleNamespace(start=8, end=15, name="某市各级人民政府办公室")]
    assert [o.actors for o in find_obligations(s2, ags2, 2023)] == [["某市各级人民政府办公室"]]


def test_realpages_outline_heading_names_units() -> None:
    """In the outline too, a heading naming units makes them responsible for the items under it."""
    text = (
        "一、区教育局负责落实的工作任务\n（一）公开招生政策。\n"
        "（二）公开办学信息。（责任单位：各学校）\n二、其他任务\n做好公开。\n"
    )
    items = _items(text)
    assert items["一/（一）"].responsibility_note == "区教育局"  # type: ignore[attr-defined]
    assert items["一/（二）"].responsibility_note == "区教育局、各学校"  # type: ignore[attr-defined]
    assert items["二"].responsibility_note is None  # type: ignore[attr-defined]


def test_realpages_cell_runs_over_lines() -> None:
    """A cell broken over lines continues its row; a closing pipe ends a row that lacks cells."""
    text = "\n".join(
        [
            "序号 | 工作任务 | 责任单位 | 完成时限",
            "1 | 做好政策解读,",
            "加强回应关切。 | 区政府办公室 | 年底前",
            "2 | 办好政务热线。",
            "及时回应诉求。",
            "做好分析研判。 | 区政务服务中心 | 长期",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["table/1", "table/2"]
    assert items[0].responsibility_note == "区政府办公室"
    assert items[1].text.endswith("做好分析研判。") and items[1].cells["完成时限"].text == "长期"


def test_realpages_label_without_brackets() -> None:
    """A 责任单位： label after the item's text, without brackets, is its note; inside a sentence, none."""
    text = (
        "一、总体\n（一）做好公开。责任单位：区发改局、区财政局\n"
        "（二）加强解读。\n牵头单位：区司法局；配合单位：各街道。\n"
    )
    items = _items(text)
    assert items["一/（一）"].responsibility_note == "区发改局、区财政局"  # type: ignore[attr-defined]
    assert items["一/（二）"].responsibility_note == "区司法局;配合单位:各街道"  # type: ignore[attr-defined]
    norm = _norm("明确责任单位：区发改局。").text
    assert find_notes(norm, 0, len(norm)) == []


def test_realpages_unnumbered_table_by_position() -> None:
    """A table without 序号, sections or numbered cells counts its rows: table/1, table/2."""
    text = "\n".join(
        [
            "工作任务 | 具体要求 | 责任单位",
            "公开决策 | 公开目录。 | 区司法局",
            "公开服务 | 公开指南。 | 区政务服务中心",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["table/1", "table/2"]
    assert items[1].responsibility_note == "区政务服务中心"


def test_realpages_chinese_numeral_in_number_column() -> None:
    """A 序号 cell holding 一/二 opens a section whose title is the next cell; rows restart under it."""
    text = "\n".join(
        [
            "序号\t工作任务\t责任单位",
            "一\t推进决策公开\t",
            "1\t公开决策目录。\t县司法局",
            "2\t公开决策草案。\t县发改局",
            "二\t推进服务公开\t",
            "1\t公开办事指南。\t县政务服务中心",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["一/1", "一/2", "二/1"]
    assert items[2].responsibility_note == "县政务服务中心"


def test_realpages_pdf_full_stops() -> None:
    """'.' for 。 after a Chinese character ends a sentence and a clause; 1. and 3.5 do not."""
    from extractors.layout.lines import split_sentences

    norm = _norm("各单位要做好公开. 区政府办公室负责汇总.共3.5万条,见www.example.cn。")
    assert [x.text for x in split_sentences(norm, 0, len(norm))] == [
        "各单位要做好公开.",
        "区政府办公室负责汇总.",
        "共3.5万条,见www.example.cn。",
    ]
    s = "各单位要做好公开.区政府办公室负责汇总"
    ags = [
        SimpleNamespace(start=0, end=3, name="各单位"),
        SimpleNamespace(start=9, end=15, name="区政府办公室"),
    ]
    assert [o.actors for o in find_obligations(s, ags, 2023)] == [["各单位"], ["区政府办公室"]]


def test_realpages_restarting_numbers_without_sections() -> None:
    """Rows numbered 1. again under unnumbered group titles fall back to table/N by position."""
    text = "\n".join(
        [
            "工作任务 | 具体要求 | 责任单位 |",
            "决策公开 | 1.公开目录。 | 区司法局 |",
            "2.公开草案。 | 区发改局 |",
            "政务服务 | 1.公开办事指南。 | 区政务服务中心 |",
        ]
    )
    (_table, items), *_ = find_tables(_norm(text))
    assert [i.ref for i in items] == ["table/1", "table/2", "table/3"]
    assert items[1].responsibility_note == "区发改局"
