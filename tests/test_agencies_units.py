"""Tests for a department's internal units, office issuers, county-level cities and qualified collectives."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.components.agencies import addressee_groups, find_agencies, split_agency_list
from extractors.components.agency_types import AgencyContext
from extractors.reading.normalize import normalize_str

FJ = AgencyContext("福建省", "province", "福建省生态环境厅", year=2024)
FJ_OFFICE = AgencyContext("福建省", "province", "福建省生态环境厅办公室", year=2024)
NJ = AgencyContext("南京市", "prefecture", "南京市交通运输局办公室", province="江苏省", year=2023)
CD = AgencyContext("成都市", "prefecture", "成都市教育局", province="四川省", year=2024)
SZ = AgencyContext("深圳市", "prefecture", "深圳市卫生健康委员会", province="广东省", year=2024)
GD = AgencyContext("广东省", "province", "广东省人民政府办公厅", year=2024)
GX = AgencyContext("广西壮族自治区", "province", "广西壮族自治区人民政府办公厅", year=2024)
TJ = AgencyContext("天津市", "province", "天津市人民政府办公厅", year=2024)
MH = AgencyContext(
    "上海市闵行区", "county", "上海市闵行区人民政府办公室", province="上海市", prefecture="上海市", year=2023
)
XH = AgencyContext(
    "杭州市西湖区", "county", "杭州市西湖区人民政府办公室", province="浙江省", prefecture="杭州市", year=2024
)
YW = AgencyContext("金华市义乌市", "county", "金华市义乌市人民政府办公室", province="浙江省", year=2022)
KS = AgencyContext("苏州市昆山市", "county", "苏州市昆山市人民政府办公室", province="江苏省", year=2023)
JN = AgencyContext("济南市", "prefecture", "济南市人民政府办公厅", province="山东省", year=2024)


def _names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in find_agencies(normalize_str(text), ctx)]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("厅法规处牵头修订办法。", FJ, "福建省生态环境厅法规处"),
        ("由厅监测总站按月发布水质状况。", FJ, "福建省生态环境厅监测总站"),
        ("局执法支队全面推行随机抽查。", NJ, "南京市交通运输局执法支队"),
        ("局信息中心负责网站运维。", NJ, "南京市交通运输局信息中心"),
        ("局基础教育处、局考试院按职责分工负责。", CD, "成都市教育局基础教育处"),
        ("委宣传处牵头做好政策解读。", SZ, "深圳市卫生健康委员会宣传处"),
        ("委卫生监督所公开抽检结果。", SZ, "深圳市卫生健康委员会卫生监督所"),
    ],
)
def test_agencies_department_unit(text: str, ctx: AgencyContext, name: str) -> None:
    """局X/厅X/委X in that department's document is the department's unit."""
    assert name in _names(text, ctx)


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("局网站集中发布。", NJ),
        ("局领导通过新闻发布会解读。", NJ),
        ("厅网站和政务新媒体同步推送。", FJ),
        ("局领导督办重点事项。", NJ),
        ("局长办公室负责。", NJ),
    ],
)
def test_agencies_department_unit_not_word(text: str, ctx: AgencyContext) -> None:
    """局 + a word that only ends like a unit (网站) or no unit suffix gives no unit."""
    assert not [n for n in _names(text, ctx) if n.startswith(ctx.issuer or "-") and n != ctx.issuer]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("局办公室统一受理申请。", NJ, "南京市交通运输局办公室"),
        ("局属各单位要按时报送。", NJ, "南京市交通运输局局属各单位"),
        ("局机关各处室于9月底前完成梳理。", NJ, "南京市交通运输局机关各处室"),
        ("局执法支队全面推行随机抽查。", NJ, "南京市交通运输局执法支队"),
        ("厅法规处牵头修订办法。", FJ_OFFICE, "福建省生态环境厅法规处"),
        ("起草处室要同步解读。", NJ, "南京市交通运输局起草处室"),
        ("局相关处室要按职责公开。", NJ, "南京市交通运输局相关处室"),
        ("局政务公开办负责。", NJ, "南京市交通运输局政务公开办"),
    ],
)
def test_agencies_office_issuer_owner(text: str, ctx: AgencyContext, name: str) -> None:
    """When a bureau's office issues, 局办公室/局属各单位/局X belong to the bureau, not to the office."""
    assert _names(text, ctx) == [name]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("市发展改革委牵头。", YW, "义乌市发展和改革委员会"),
        ("市政府办公室每季度通报。", KS, "昆山市人民政府办公室"),
        ("市委宣传部牵头做好舆情监测。", YW, "中共义乌市委宣传部"),
        ("市政府各部门要报送总结。", KS, "昆山市人民政府各部门"),
        ("昆山市人民政府办公室", KS, "昆山市人民政府办公室"),
    ],
)
def test_agencies_county_level_city(text: str, ctx: AgencyContext, name: str) -> None:
    """In a county-level city's document, 市 is the city itself, written under its prefecture."""
    assert _names(text, ctx) == [name]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("区发展改革委牵头。", XH, "杭州市西湖区发展和改革委员会"),
        ("市发展改革委牵头。", XH, "杭州市发展和改革委员会"),
    ],
)
def test_agencies_district_keeps_city(text: str, ctx: AgencyContext, name: str) -> None:
    """In a district's document, 市 is still the prefecture-level city."""
    assert _names(text, ctx) == [name]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("（各市（州）人民政府负责）", GD, "广东省各市(州)人民政府"),
        ("各市（州）要在政务服务大厅提供查询。", GD, "广东省各市(州)人民政府"),
        ("各市（县、区）人民政府负责。", GX, "广西壮族自治区各市(县、区)人民政府"),
        ("各区县（自治县）生态环境局每年组织开放活动。", TJ, "天津市各区县(自治县)生态环境局"),
        ("各县（市、区）教育局要按月公开。", GD, "广东省各县(市、区)教育局"),
        ("各区生态环境局要公开执法信息。", TJ, "天津市各区生态环境局"),
        ("各街镇要对照标准目录建设专区。", MH, "上海市闵行区各街镇"),
        ("各市、县（市、区）教育局要按月公开。", GD, "广东省各市、县(市、区)教育局"),
        ("各市、县（区）生态环境局负责。", GD, "广东省各市、县(区)生态环境局"),
    ],
)
def test_agencies_qualified_collective(text: str, ctx: AgencyContext, name: str) -> None:
    """A collective keeps its parenthesised qualifier whole and a department after it."""
    assert _names(text, ctx) == [name]


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("规范街道便民服务中心政务公开专区建设。", XH),
        ("依托镇便民服务中心设立专区。", XH),
        ("加强街道便民服务中心建设。", MH),
    ],
)
def test_agencies_verb_before_organ(text: str, ctx: AgencyContext) -> None:
    """A verb before a generic township organ is no township name (规范街道便民服务中心)."""
    assert _names(text, ctx) == []


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("省政府政务服务和公共资源交易服务中心牵头。", GD, "广东省人民政府政务服务和公共资源交易服务中心"),
        ("市政府新闻办公室组织发布会。", JN, "济南市人民政府新闻办公室"),
        ("市政府或市政府办公厅印发。", JN, "济南市人民政府"),
    ],
)
def test_agencies_government_unit(text: str, ctx: AgencyContext, name: str) -> None:
    """A body named right under a government is that government's unit; a conjunction is not."""
    assert _names(text, ctx)[0] == name


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("纳入市政府目标绩效考核。", JN),
    ],
)
def test_agencies_government_no_unit(text: str, ctx: AgencyContext) -> None:
    """A word after 市政府 is no unit of the government."""
    assert _names(text, ctx) == ["济南市人民政府"]


def test_agencies_channel_owner_not_named() -> None:
    """The owner in a channel's name (市政府门户网站) is no party: the channel is the platform."""
    assert _names("在市政府门户网站公开。", JN) == []


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("区政府各部门、区级各部门要按职责公开。", XH, "杭州市西湖区人民政府各部门"),
        ("市政府各部门，市直各部门要按职责公开。", JN, "济南市人民政府各部门"),
    ],
)
def test_agencies_own_level_departments(text: str, ctx: AgencyContext, name: str) -> None:
    """区级各部门 in a district's document that also names 区政府各部门 is that one collective."""
    assert set(_names(text, ctx)) == {name}


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("区级各部门要按职责公开。", XH, "杭州市西湖区区级各部门"),
        ("市直各部门要按职责公开。", JN, "济南市市直各部门"),
    ],
)
def test_agencies_own_level_departments_written(text: str, ctx: AgencyContext, name: str) -> None:
    """区级各部门 alone keeps its written quantifier."""
    assert _names(text, ctx) == [name]


@pytest.mark.parametrize(
    ("text", "ctx", "name"),
    [
        ("省政府各部门、各直属机构：", GD, "广东省人民政府各直属机构"),
        ("政策文件起草处室要同步解读。", NJ, "南京市交通运输局政策文件起草处室"),
    ],
)
def test_agencies_functional_class(text: str, ctx: AgencyContext, name: str) -> None:
    """各直属机构 is a government's; a 处室 of a bureau's document is the bureau's."""
    assert name in _names(text, ctx)


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        ("市交通运输局综合行政执法支队负责。", JN, ["济南市交通运输局综合行政执法支队"]),
        ("市人社局就业服务中心发布岗位。", JN, ["济南市人力资源和社会保障局就业服务中心"]),
        ("市商务局会同市发改委负责。", JN, ["济南市商务局", "济南市发展和改革委员会"]),
        ("市民政局网站公开。", JN, []),
        ("市教育局各处室、市生态环境局各分局", JN, ["济南市教育局各处室", "济南市生态环境局各分局"]),
    ],
)
def test_agencies_department_sub_unit(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """A unit or collective written right after its department belongs to it; a verb or a channel does not."""
    assert _names(text, ctx) == names


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        ("区府办每半年通报一次办理情况。", MH, ["上海市闵行区人民政府办公室"]),
        ("局环评处在受理环节公示。", NJ, ["南京市交通运输局环评处"]),
        ("市教育局处理投诉。", JN, ["济南市教育局"]),
        ("区政府办公室政务公开科牵头。", XH, ["杭州市西湖区人民政府办公室政务公开科"]),
        (
            "厅机关各处室、厅属各单位：",
            FJ_OFFICE,
            ["福建省生态环境厅机关各处室", "福建省生态环境厅厅属各单位"],
        ),
    ],
)
def test_agencies_unit_boundary(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """A unit name ends where its suffix word ends (办|理 is no unit), and not before 在."""
    assert _names(text, ctx) == names


@pytest.mark.parametrize(
    ("head", "cell", "ctx", "name"),
    [
        ("各街道办事处，区人民政府各部门：", "区直各部门", XH, "杭州市西湖区人民政府各部门"),
        ("各区县政府，市政府各部门：", "市级各部门", JN, "济南市人民政府各部门"),
    ],
)
def test_agencies_addressee_groups_for_cells(head: str, cell: str, ctx: AgencyContext, name: str) -> None:
    """A cell's 区直各部门 is the addressee 区人民政府各部门 once the addressees are in the context."""
    text = normalize_str("关于印发的通知\n" + head + "\n现将要点印发给你们。")
    with_groups = replace(ctx, addressee_groups=addressee_groups(text, ctx))
    assert [m.name for m in split_agency_list(normalize_str(cell), with_groups)] == [name]
