"""Agency extraction and canonicalisation on snippets from many jurisdictions (written for these tests)."""

from __future__ import annotations

import pytest

from extractors.components.agencies import AgencyContext, canonicalize, find_agencies, split_agency_list
from extractors.components.agency_data import departments

XIHU = AgencyContext("杭州市西湖区", "county", "杭州市西湖区人民政府办公室", year=2024)
SUILENG = AgencyContext("绥化市绥棱县", None, "绥化市绥棱县人民政府办公室", year=2023)
GUANGDONG = AgencyContext("广东省", None, "广东省人民政府办公厅", year=2024)
CHAOYANG = AgencyContext("北京市朝阳区", None, "北京市朝阳区人民政府办公室", year=2024)
CHENGDU_EDU = AgencyContext(None, None, "成都市教育局", year=2024)
HANGZHOU = AgencyContext("杭州市", None, "杭州市人民政府办公厅", year=2024)
NATION = AgencyContext("中华人民共和国", "central", "国务院办公厅", year=2024)


def names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in find_agencies(text, ctx)]


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (XIHU, "由区司法局牵头，区财政局配合", ["杭州市西湖区司法局", "杭州市西湖区财政局"]),
        (XIHU, "区政府办公室定期通报", ["杭州市西湖区人民政府办公室"]),
        (XIHU, "报市政府办公厅备案", ["杭州市人民政府办公厅"]),
        (XIHU, "西湖区人民法院、区检察院", ["杭州市西湖区人民法院", "杭州市西湖区人民检察院"]),
        (
            XIHU,
            "区委宣传部、区委网信办",
            ["中共杭州市西湖区委宣传部", "中共杭州市西湖区委网络安全和信息化委员会办公室"],
        ),
        (XIHU, "按照区委区政府部署", ["中共杭州市西湖区委员会", "杭州市西湖区人民政府"]),
        (XIHU, "中共杭州市西湖区委", ["中共杭州市西湖区委员会"]),
        (
            XIHU,
            "区人大常委会办公室、区政协办公室",
            ["杭州市西湖区人民代表大会常务委员会办公室", "中国人民政治协商会议杭州市西湖区委员会办公室"],
        ),
        (SUILENG, "县政府办公室要会同县发改局", ["绥棱县人民政府办公室", "绥棱县发展和改革局"]),
        (SUILENG, "县法院", ["绥棱县人民法院"]),
        (SUILENG, "贯彻市政府要求", ["绥化市人民政府"]),
        (SUILENG, "县税务局", ["国家税务总局绥化市绥棱县税务局"]),
        (GUANGDONG, "省发展改革委、省财政厅", ["广东省发展和改革委员会", "广东省财政厅"]),
        (GUANGDONG, "省法院", ["广东省高级人民法院"]),
        (GUANGDONG, "省政务服务数据管理局", ["广东省政务服务数据管理局"]),
        (CHAOYANG, "区城管委", ["北京市朝阳区城市管理委员会"]),
        (CHAOYANG, "市政府办公厅", ["北京市人民政府办公厅"]),
        (HANGZHOU, "市法院、市监委", ["杭州市中级人民法院", "杭州市监察委员会"]),
        (HANGZHOU, "杭州警备区", ["杭州警备区"]),
        (HANGZHOU, "市工商联", ["杭州市工商业联合会"]),
        (HANGZHOU, "市体育运动发展中心", ["杭州市体育运动发展中心"]),
        (
            SUILENG,
            "绥棱镇人民政府、克音河乡政府",
            ["绥棱县绥棱镇人民政府", "绥棱县克音河乡人民政府"],
        ),
        (XIHU, "北山街道办事处", ["杭州市西湖区北山街道办事处"]),
        (NATION, "按照党中央、国务院决策部署", ["中共中央", "国务院"]),
        (NATION, "国家发展改革委", ["国家发展和改革委员会"]),
    ],
)
def test_agencies_canonical_names(ctx, text, expected):
    """Jurisdiction prefixes and level words expand to the document's places."""
    assert names(text, ctx) == expected


@pytest.mark.parametrize("dept", departments(), ids=lambda d: d.full_name)
def test_agencies_every_department_row(dept):
    """Each department row is found by its full name and each abbreviation after a level word."""
    level, ctx = {
        "province": ("省", GUANGDONG),
        "prefecture": ("市", HANGZHOU),
        "county": ("区", XIHU),
    }[sorted(dept.levels, key=["county", "prefecture", "province"].index)[0]]
    for surface in (dept.full_name, *dept.abbreviations):
        found = find_agencies("由" + level + surface + "负责", ctx)
        assert len(found) == 1, surface
        assert found[0].name.endswith(dept.full_name) or found[0].name.endswith(dept.full_name + "税务局")
        assert found[0].surface == level + surface


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (HANGZHOU, "各区县政府", "杭州市各区县人民政府"),
        (HANGZHOU, "区县政府", "杭州市各区县人民政府"),
        (HANGZHOU, "市政府各部门(单位)", "杭州市人民政府各部门"),
        (HANGZHOU, "市政府部门(单位)", "杭州市人民政府各部门"),
        (HANGZHOU, "市政府有关部门", "杭州市人民政府有关部门"),
        (HANGZHOU, "市政府各直属单位", "杭州市人民政府各直属单位"),
        (GUANGDONG, "各县(市、区)人民政府", "广东省各县(市、区)人民政府"),
        (HANGZHOU, "各级各部门(单位)", "杭州市各级各部门"),
        (HANGZHOU, "县级以上政府", "杭州市县级以上人民政府"),
        (HANGZHOU, "各级政务公开领导小组", "杭州市各级政务公开领导小组"),
        (HANGZHOU, "政策制定机关", "杭州市政策制定机关"),
        (HANGZHOU, "市委各部门", "中共杭州市委员会各部门"),
        (XIHU, "各镇人民政府", "杭州市西湖区各镇人民政府"),
        (XIHU, "各街道办事处", "杭州市西湖区各街道办事处"),
        (XIHU, "区政府各部门", "杭州市西湖区人民政府各部门"),
        (XIHU, "各有关部门", "杭州市西湖区人民政府有关部门"),
        (XIHU, "各单位", "杭州市西湖区各单位"),
        (XIHU, "行业主管部门", "杭州市西湖区行业主管部门"),
        (XIHU, "城市管理部门", "杭州市西湖区城市管理部门"),
        (XIHU, "各直属单位", "杭州市西湖区各直属单位"),
        (SUILENG, "县直各部门", "绥棱县县直各部门"),
        (CHENGDU_EDU, "各区(市)县教育行政部门", "成都市各区(市)县教育行政部门"),
        (SUILENG, "各乡镇人民政府", "绥棱县各乡镇人民政府"),
        (GUANGDONG, "各地级以上市人民政府", "广东省各地级以上市人民政府"),
        (NATION, "国务院各部委", "国务院各部委"),
    ],
)
def test_agencies_collectives(ctx, text, expected):
    """Collectives are groups, qualified by the jurisdiction."""
    found = find_agencies(text, ctx)
    assert [(m.name, m.is_group) for m in found] == [(expected, True)]


@pytest.mark.parametrize(
    ("text", "expected", "group"),
    [
        ("局办公室统一做好", "成都市教育局办公室", False),
        ("本局", "成都市教育局", False),
        ("机关各处室", "成都市教育局机关各处室", True),
        ("局属各单位", "成都市教育局局属各单位", True),
    ],
)
def test_agencies_department_context(text, expected, group):
    """References relative to a department issuer take the issuer's name."""
    found = find_agencies(text, CHENGDU_EDU)
    assert (found[0].name, found[0].is_group, found[0].parent) == (
        expected,
        group,
        None if expected == "成都市教育局" else "成都市教育局",
    )


@pytest.mark.parametrize(
    "text",
    [
        "广泛听取公众、群众、企业、专家和媒体的意见",
        "请联系人及主要负责同志参加",
        "加大履约信息公开力度",
        "认真学习《杭州市人民政府办公厅关于加强政务公开的通知》",
        "打造“西湖区发改局在线”品牌",
        "依据国务院令第711号",
        "城市管理工作",
        "为省会建设开好局",
        "按照区工作部署",
        "成员为各相关科室负责人",
        "杭州市是省会城市",
    ],
)
def test_agencies_not_agencies(text):
    """The public, posts, titles, quotes, citations and words inside words are not agencies."""
    assert find_agencies(text, XIHU) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "区发改局、区市场监管局、各相关部门、各街道办事处",
            [
                "杭州市西湖区发展和改革局",
                "杭州市西湖区市场监督管理局",
                "杭州市西湖区各相关部门",
                "杭州市西湖区各街道办事处",
            ],
        ),
        ("区住房和城乡建设局和区交通运输局", ["杭州市西湖区住房和城乡建设局", "杭州市西湖区交通运输局"]),
        (
            "区卫健局及区教体局；区人社局",
            ["杭州市西湖区卫生健康局", "杭州市西湖区教育和体育局", "杭州市西湖区人力资源和社会保障局"],
        ),
        ("区委、区政府", ["中共杭州市西湖区委员会", "杭州市西湖区人民政府"]),
    ],
)
def test_agencies_split_list(text, expected):
    """List separators split names; 和 inside a name does not."""
    assert [m.name for m in split_agency_list(text, XIHU)] == expected


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("区发改局", "杭州市西湖区发展和改革局"),
        ("市场监管局", "杭州市西湖区市场监督管理局"),
        ("杭州市西湖区人民政府办公室", "杭州市西湖区人民政府办公室"),
        ("市政府办", "杭州市人民政府办公室"),
        ("各部门(单位)", "杭州市西湖区各部门"),
    ],
)
def test_agencies_canonicalize(surface, expected):
    """A whole string canonicalises to one agency."""
    match = canonicalize(surface, XIHU)
    assert match is not None and match.name == expected


@pytest.mark.parametrize("surface", ["杭州市", "公众", "区发改局负责", ""])
def test_agencies_canonicalize_rejects(surface):
    """A string that is not one whole agency canonicalises to None."""
    assert canonicalize(surface, XIHU) is None


@pytest.mark.parametrize(
    ("ctx", "text", "parent", "place"),
    [
        (XIHU, "区司法局", "杭州市西湖区人民政府", "杭州市西湖区"),
        (HANGZHOU, "市政府办公厅", "杭州市人民政府", "杭州市"),
        (CHENGDU_EDU, "市教育局办公室", "成都市教育局", "成都市"),
        (XIHU, "区政府各部门", "杭州市西湖区人民政府", "杭州市西湖区"),
    ],
)
def test_agencies_parent_and_place(ctx, text, parent, place):
    """Parent organ and jurisdiction are filled."""
    (match,) = find_agencies(text, ctx)
    assert (match.parent, match.place) == (parent, place)


def test_agencies_bare_collective_follows_addressee():
    """A bare 各部门 is the addressee collective named in the notice's addressee line."""
    text = "各镇人民政府,各街道办事处,区政府各部门(单位):\n一、各部门要加强领导。"
    found = find_agencies(text, XIHU)
    assert found[-1].surface == "各部门" and found[-1].name == "杭州市西湖区人民政府各部门"


def test_agencies_bare_collective_merges_with_each():
    """A bare functional collective takes the 各 form when the document names that one."""
    found = find_agencies("各相关部门要配合。相关部门负责。", XIHU)
    assert {m.name for m in found} == {"杭州市西湖区各相关部门"}


def test_agencies_known_names():
    """An expanded abbreviation takes a longer known local name of the same place."""
    ctx = AgencyContext("杭州市", None, None, known=("杭州市城乡交通运输局",))
    assert names("市交通运输局", ctx) == ["杭州市城乡交通运输局"]


def test_agencies_offsets():
    """Offsets index the searched string."""
    text = "由区司法局负责"
    (match,) = find_agencies(text, XIHU)
    assert text[match.start : match.end] == match.surface == "区司法局"


def test_agencies_department_table_is_consistent():
    """No surface of the department table names two different departments."""
    seen: dict[str, str] = {}
    for dept in departments():
        for surface in (dept.full_name, *dept.abbreviations):
            assert seen.setdefault(surface, dept.full_name) == dept.full_name, surface
