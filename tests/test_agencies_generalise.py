"""Agency rules on snippets from places outside the seeds and the held-out set (written here)."""

from __future__ import annotations

import pytest

from extractors.components.agencies import AgencyContext, find_agencies

GULOU = AgencyContext("南京市鼓楼区", "county", "南京市鼓楼区人民政府办公室", year=2024)
JIANGSU = AgencyContext("江苏省", None, "江苏省人民政府办公厅", year=2024)
SICHUAN = AgencyContext("四川省", None, "四川省人民政府办公厅", year=2024)
YANTA = AgencyContext("西安市雁塔区", None, "西安市雁塔区人民政府办公室", year=2024)
WUHAN_EDU = AgencyContext(None, None, "武汉市教育局", year=2024)
FUJIAN_HEALTH = AgencyContext(None, None, "福建省卫生健康委员会", year=2024)


def names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in find_agencies(text, ctx)]


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (
            GULOU,
            "区府办要会同区委宣传部做好发布",
            ["南京市鼓楼区人民政府办公室", "中共南京市鼓楼区委宣传部"],
        ),
        (JIANGSU, "省府办负责统筹", ["江苏省人民政府办公室"]),
    ],
)
def test_agencies_fuban_is_government_office(ctx, text, expected):
    """区府办 / 省府办 stand for the people's government's general office."""
    assert names(text, ctx) == expected


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (GULOU, "各镇街要完善公开栏", "南京市鼓楼区各镇街"),
        (GULOU, "各街道要完善公开栏", "南京市鼓楼区各街道办事处"),
        (SICHUAN, "各乡镇、各部门要落实", "四川省各乡镇人民政府"),
        (JIANGSU, "各地各部门要落实", "江苏省各地各部门"),
        (SICHUAN, "各地区各部门要落实", "四川省各地区各部门"),
        (YANTA, "区政府各委、办、局要公开", "西安市雁塔区人民政府各委、办、局"),
        (YANTA, "各地区办事处要做好回应", "西安市雁塔区各地区办事处"),
    ],
)
def test_agencies_bare_collectives(ctx, text, expected):
    """Collectives without a head noun (各镇街, 各地各部门, 各委、办、局) are groups of the jurisdiction."""
    found = find_agencies(text, ctx)
    assert (found[0].name, found[0].is_group) == (expected, True)


@pytest.mark.parametrize(
    "text",
    ["各镇街政务服务场所", "各地积极探索", "各街道社区居民"],
)
def test_agencies_bare_collective_needs_a_boundary(text):
    """A bare 各镇街 inside a longer noun phrase is not an agency."""
    assert names(text, GULOU) == []


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (WUHAN_EDU, "局基础教育处要会同局办公室", ["武汉市教育局基础教育处", "武汉市教育局办公室"]),
        (WUHAN_EDU, "局计划财务处负责", ["武汉市教育局计划财务处"]),
        (FUJIAN_HEALTH, "委医政医管处牵头", ["福建省卫生健康委员会医政医管处"]),
    ],
)
def test_agencies_department_sub_units(ctx, text, expected):
    """A department document's 局/委/厅 + X处/科/室 are sub-units of the issuer."""
    assert names(text, ctx) == expected


def test_agencies_sub_unit_not_in_government_document():
    """In a government's own document 局X处 has no issuer to attach to."""
    assert names("局基础教育处要做好", GULOU) == []


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (JIANGSU, "省政务服务和数据管理局负责", ["江苏省政务服务和数据管理局"]),
        (SICHUAN, "省数据局负责", ["四川省数据局"]),
    ],
)
def test_agencies_full_name_beats_partial(ctx, text, expected):
    """A full department name is kept whole, not cut to the abbreviation it ends with."""
    assert names(text, ctx) == expected
