"""Tests for collectives written with 、 or a level prefix, context collectives and 和-joined names."""

from __future__ import annotations

import pytest

from extractors.components.agencies import find_agencies, split_agency_list
from extractors.components.agency_types import AgencyContext
from extractors.reading.normalize import normalize_str

ZJ = AgencyContext("浙江省", "province", "浙江省人民政府办公厅", year=2024)
QD = AgencyContext("青岛市", "prefecture", "青岛市人民政府办公厅", province="山东省", year=2024)
HF = AgencyContext(
    "合肥市蜀山区", "county", "合肥市蜀山区人民政府办公室", province="安徽省", prefecture="合肥市", year=2024
)
XM = AgencyContext("厦门市", "prefecture", "厦门市市场监督管理局", province="福建省", year=2024)


def _names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in split_agency_list(normalize_str(text), ctx)]


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        ("各区、市人民政府", QD, ["青岛市各区、市人民政府"]),
        ("各区、县（市）政府", QD, ["青岛市各区、县(市)人民政府"]),
        ("各市、县（市、区）人民政府", ZJ, ["浙江省各市、县(市、区)人民政府"]),
        ("省司法厅牵头，各州、市人民政府按职责分工负责", ZJ, ["浙江省司法厅", "浙江省各州、市人民政府"]),
    ],
)
def test_agencies_compound_government_collective(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """A collective of lower governments joined by 、 is one collective, not split."""
    assert _names(text, ctx) == names


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        ("市各有关部门", QD, ["青岛市各有关部门"]),
        ("区各委、办、局", HF, ["合肥市蜀山区各委办局"]),
        ("市各部门", QD, ["青岛市人民政府各部门"]),
    ],
)
def test_agencies_level_prefixed_collective(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """A level word before a collective of departments names that level's collective."""
    assert _names(text, ctx) == names


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("区政务服务和大数据管理局", HF, "合肥市蜀山区政务服务和大数据管理局"),
        ("市住房和城市更新局", QD, "青岛市住房和城市更新局"),
        ("市城市管理和综合执法局", QD, "青岛市城市管理和综合执法局"),
    ],
)
def test_agencies_joined_department_name(text: str, ctx: AgencyContext, name: str) -> None:
    """A 和-joined department name is one name, not cut to a partial abbreviation."""
    assert _names(text, ctx) == [name]


def test_agencies_branch_offices_of_bureau() -> None:
    """各分局 in a bureau's document is the bureau's collective of branch offices."""
    found = find_agencies(normalize_str("各分局要严格按照计划实施抽查。"), XM)
    assert [(m.name, m.is_group) for m in found] == [("厦门市市场监督管理局各分局", True)]
