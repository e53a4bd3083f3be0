"""Mechanism name boundaries: word starts, deadlines, coordination, …制 heads, quoted procedures."""

from __future__ import annotations

import pytest

from extractors.mechanisms import find_mechanisms


def _names(text: str) -> list[str]:
    return [m.name for m in find_mechanisms(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("江苏省商务厅要于2025年3月31日前完成全省涉企经营许可事项清单的更新。", "涉企经营许可事项清单"),
        ("四川省编制全省经营主体服务事项清单。", "经营主体服务事项清单"),
    ],
)
def test_name_starts_at_a_word_boundary(text: str, name: str) -> None:
    """A one-character boundary word inside a word (经 of 经营) does not cut a name."""
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "动态更新局主动公开事项目录，2025年9月底前完成目录的调整。",
        "南京市鼓楼区各街道于年底前完成清单的梳理。",
    ],
)
def test_deadline_phrase_is_never_part_of_a_name(text: str) -> None:
    """Time expressions and 完成 cut a name; what is left (目录, 清单) is no name."""
    assert not any(("月" in n or "年" in n or "完成" in n) for n in _names(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("武汉市建立群众诉求热点与政策解读联动机制。", "群众诉求热点与政策解读联动机制"),
        ("西安市雁塔区建立重大舆情研判和突发事件协调处置机制。", "重大舆情研判和突发事件协调处置机制"),
        ("福建省研究建立跨地区、跨部门数据共享协同机制，推动", "跨地区、跨部门数据共享协同机制"),
        ("上海市浦东新区建立跟岗学习、挂职锻炼机制，实施", "跟岗学习、挂职锻炼机制"),
    ],
)
def test_coordinated_modifiers_keep_the_whole_name(text: str, name: str) -> None:
    """和/与/、 joining modifiers of one head gives the full coordinated name."""
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("规范发布政务服务事项目录、办事指南和中介服务事项清单。", ["政务服务事项目录", "中介服务事项清单"]),
        ("落实收费公示和公开承诺制度，推动", ["收费公示制度", "公开承诺制度"]),
        ("落实政务服务首问负责制和限时办结制度。", ["政务服务首问负责制", "限时办结制度"]),
    ],
)
def test_separate_names_are_not_joined(text: str, names: list[str]) -> None:
    """A left conjunct that is a name of its own (…指南, …制) or two short names stay apart."""
    assert _names(text) == names


@pytest.mark.parametrize(
    "text",
    ["完善工作机制和长效机制。", "将有关行政法规、工作制度、知识技能的学习纳入培训。", "健全相关制度。"],
)
def test_generic_heads_stay_out(text: str) -> None:
    """Generic heads without a name (工作机制, 长效机制, 工作制度) give nothing."""
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("全面推行民生实事项目人大代表票决制，票决结果公开。", "民生实事项目人大代表票决制"),
        ("严格落实信息发布岗位责任制。", "信息发布岗位责任制"),
        ("推行证明事项告知承诺制，减少", "证明事项告知承诺制"),
    ],
)
def test_zhi_heads_name_mechanisms(text: str, name: str) -> None:
    """…票决制 / …责任制 / …承诺制 after a noun phrase is a mechanism."""
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("围绕“每周一议”高频诉求，及时公开治理成效。", "每周一议"),
        ("围绕“一件事”集成服务，编制办事指南。", "一件事"),
    ],
)
def test_quoted_procedure_governed_by_a_verb(text: str, name: str) -> None:
    """A quoted procedure slogan after 围绕/推行/落实 is a mechanism even before a noun."""
    assert name in _names(text)
