"""Responsibility in prose (made-up examples): lists split by a comma before 负责/要, headings whose
subject is a list of units, and the roles written after units in a 责任单位 list."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from extractors.components.obligations import find_obligations
from extractors.layout.tables import heading_units


def _mentions(sentence: str, names: list[str]) -> list[SimpleNamespace]:
    out, pos = [], 0
    for name in names:
        start = sentence.index(name, pos)
        out.append(SimpleNamespace(start=start, end=start + len(name), name=name))
        pos = start + len(name)
    return out


def test_units_split_by_comma_before_the_predicate() -> None:
    """各县（区）人民政府，州政府各部门负责。: both are the subject."""
    s = "完善依申请公开办理流程。各县（区）人民政府，州政府各部门负责。"
    obs = find_obligations(s, _mentions(s, ["各县（区）人民政府", "州政府各部门"]), 2024)
    assert obs[-1].actors == ["各县（区）人民政府", "州政府各部门"]


def test_units_clause_without_predicate_after_it_is_no_subject() -> None:
    s = "做好公开工作，各县（区）人民政府，加强培训。"
    obs = find_obligations(s, _mentions(s, ["各县（区）人民政府"]), 2024)
    assert all(not o.actors for o in obs)


def test_heading_subject_names_units() -> None:
    units = "各县（市、区）人民政府、州政府各部门"
    assert heading_units(units + "要抓好落实") == units
    assert heading_units("州应急管理局要做好灾情信息发布") == "州应急管理局"
    assert heading_units("区卫健局、区医保局负责落实的工作任务") == "区卫健局、区医保局"
    for title in ("主要任务", "工作要求", "重要政策解读", "要加强公开", "加强组织领导，各单位要高度重视"):
        assert heading_units(title) is None


def test_sub_items_take_the_units_their_heading_names(tmp_path: Path) -> None:
    """二、各区县人民政府要… with （一）（二）: the sub-items are theirs; role words after units drop."""
    from extractors.pipeline import extract

    doc = tmp_path / "plan.txt"
    doc.write_text(
        "湖州市2023年政务公开工作要点\n"
        "一、深化政策公开\n"
        "（一）做好政策解读。落实政策解读“三同步”要求。（市政府办公室统筹，市司法局配合）\n"
        "（二）规范依申请公开。用好政府信息依申请公开办理系统。各区县人民政府，市政府各部门负责。\n"
        "二、各区县人民政府要加强基层政务公开\n"
        "（一）完善基层政务公开标准目录。\n"
        "（二）办好12345热线。\n",
        "utf-8",
    )
    items = {i.ref: i for i in extract(doc).items}
    assert items["一/（一）"].responsible == ["湖州市人民政府办公室", "湖州市司法局"]
    assert items["一/（二）"].responsible == ["湖州市各区县人民政府", "湖州市人民政府各部门"]
    assert items["二/（一）"].responsible == ["湖州市各区县人民政府"]
    assert items["二/（二）"].responsible == ["湖州市各区县人民政府"]


def test_closing_sentence_names_units_for_the_items_above(tmp_path: Path) -> None:
    """以上任务由X牵头落实 after the last item of a section: X is responsible for the section's items."""
    from extractors.pipeline import extract

    doc = tmp_path / "plan.txt"
    doc.write_text(
        "衢州市2024年政务公开工作要点\n"
        "一、深化政策公开\n"
        "（一）做好政策解读。落实政策解读“三同步”要求。（市司法局负责）\n"
        "二、优化平台建设\n"
        "（二）办好政府门户网站。\n"
        "（三）规范政务新媒体，落实政务新媒体备案制度。\n"
        "以上任务由市大数据局牵头落实。\n",
        "utf-8",
    )
    items = {i.ref: i for i in extract(doc).items}
    assert items["二/（二）"].responsible == ["衢州市大数据局"]
    assert "衢州市大数据局" in items["二/（三）"].responsible
    assert items["一/（一）"].responsible == ["衢州市司法局"]
