"""find_other_kinds and find_terms: campaigns, brands, lists, legal instruments, nesting."""

from __future__ import annotations

import pytest

from extractors.components.kinds import find_other_kinds, find_terms


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("以“项目提升年”为总牵引", "campaign", "项目提升年"),
        ("围绕“奋力跑出‘十个加速度’”部署要求", "campaign", "奋力跑出‘十个加速度’"),
        ("围绕“八八战略”", "campaign", "八八战略"),
        ("打造“西湖公开”品牌", "brand", "西湖公开"),
        ("做好高校毕业生、退役军人就业", "target_group", "退役军人"),
        ("公开养老服务信息", "policy_area", "养老服务"),
        ("贯彻《中华人民共和国政府信息公开条例》", "legal_instrument", "《中华人民共和国政府信息公开条例》"),
        ("依据国务院令第711号", "legal_instrument", "国务院令第711号"),
    ],
)
def test_kinds_found(text: str, kind: str, name: str) -> None:
    """Each other kind is found with its name."""
    assert (kind, name) in [(m.kind, m.name) for m in find_other_kinds(text)]


def test_kinds_terms_nested_platform_mechanism() -> None:
    """A platform named after a mechanism keeps the mechanism nested inside."""
    got = [(m.kind, m.name) for m in find_terms("优化“双随机、一公开”监管平台")]
    assert got == [("platform", "“双随机、一公开”监管平台"), ("mechanism", "双随机、一公开")]


def test_kinds_terms_no_overlap_other_kinds() -> None:
    """Other kinds never overlap a platform or mechanism."""
    terms = find_terms("推进养老服务信息公开，落实政策解读“三同步”制度，公开高校毕业生就业政策")
    spans = [(m.start, m.end) for m in terms if m.kind not in ("platform", "mechanism")]
    for s, e in spans:
        assert all(e <= m.start or s >= m.end for m in terms if m.kind in ("platform", "mechanism"))
