"""Agency rules for the error classes of real pages, on made-up snippets of other places.

Development zones, collectives with alternatives or lists, a ministry's or 厅's own units and
collectives, document numbers of cited documents, municipalities' 市.
"""

from __future__ import annotations

import pytest

from extractors.components.agencies import AgencyContext, document_context, find_agencies, split_agency_list

TIANJIN = AgencyContext("天津市", "province", "天津市人民政府办公厅", year=2021)
MIANYANG = AgencyContext("绵阳市", "prefecture", "绵阳市人民政府办公室", year=2020)
LANZHOU = AgencyContext("兰州市", "prefecture", "兰州市人民政府办公室", year=2019)
GANSU = AgencyContext("甘肃省", "province", "甘肃省人民政府办公厅", year=2022)
QINGYANG = AgencyContext("成都市青羊区", "county", "成都市青羊区人民政府办公室", year=2022)
GANSU_EDU = AgencyContext("甘肃省", "province", "甘肃省教育厅", year=2023)
MEE = AgencyContext("中华人民共和国", "central", "生态环境部办公厅", year=2019)
NATION = AgencyContext("中华人民共和国", "central", None, year=2020)


def found(text: str, ctx: AgencyContext) -> list[tuple[str, str]]:
    return [(m.surface, m.name) for m in find_agencies(text, ctx)]


def names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in find_agencies(text, ctx)]


def test_cited_document_number_names_no_agency() -> None:
    """国办发〔2020〕9号 (brackets kept or lost) cites a document: its issuer is no agency here."""
    text = "按照《关于印发要点的通知》(国办发〔2020〕9号)和甘政办发202012号要求,省政府办公厅负责。"
    assert names(text, GANSU) == ["甘肃省人民政府办公厅"]


def test_municipality_city_word_is_the_city() -> None:
    """In a 天津市 document 市政府 / 市政府办公厅 / 市政府各部门 are the municipality's."""
    assert names("市政府和市政府办公厅,各区政府、市政府各部门要落实", TIANJIN) == [
        "天津市人民政府",
        "天津市人民政府办公厅",
        "天津市各区人民政府",
        "天津市人民政府各部门",
    ]


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (TIANJIN, "东丽湖起步区管委会负责", "天津东丽湖起步区管理委员会"),
        (MIANYANG, "科技城新区管委会负责", "绵阳科技城新区管理委员会"),
        (MIANYANG, "高新区管委会负责", "绵阳高新技术产业开发区管理委员会"),
        (LANZHOU, "由经开区管委会负责", "兰州经济技术开发区管理委员会"),
        (MIANYANG, "四川绵阳高新区管委会负责", "四川绵阳高新技术产业开发区管理委员会"),
    ],
)
def test_zone_committee_full_name(ctx: AgencyContext, text: str, expected: str) -> None:
    """A zone's 管委会 is its 管理委员会, named under the city's short name unless a place leads it.

    A bare 高新区 / 经开区 of a city document is the city's own zone of that kind.
    """
    assert names(text, ctx) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各开发区管委会要落实", "绵阳市各开发区管理委员会"),
        ("市属开发区管委会要落实", "绵阳市市属开发区管理委员会"),
        ("各县(市、区)人民政府,开发区(园区)管委会:", "绵阳市开发区(园区)管理委员会"),
    ],
)
def test_zone_collectives(text: str, expected: str) -> None:
    """各开发区管委会, 市属开发区管委会, 开发区(园区)管委会 are collectives of the city."""
    hits = [m for m in find_agencies(text, MIANYANG) if "管理委员会" in m.name]
    assert [(m.name, m.is_group) for m in hits] == [(expected, True)]


def test_zone_list_takes_the_each_of_its_list() -> None:
    """各区县人民政府、园区管委会: the 各 distributes over the list."""
    assert names("各区县人民政府、园区管委会:", MIANYANG) == [
        "绵阳市各区县人民政府",
        "绵阳市各园区管理委员会",
    ]


def test_zone_office_party_committee_and_units() -> None:
    """The zone's office, its 直属各单位, and a bare 党工委 / 管委会 in a joint document."""
    text = "兰州新区管委会办公室印发,兰州新区管委会直属各单位:\n服务区委、党工委、区政府、管委会中心工作"
    got = names(text, LANZHOU)
    assert "兰州新区管理委员会办公室" in got
    assert "兰州新区管理委员会直属各单位" in got
    assert "中共兰州新区工作委员会" in got
    assert "兰州新区管理委员会" in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各乡镇人民政府(街道办事处)要", "成都市青羊区各乡镇人民政府、街道办事处"),
        ("各乡镇(街道)要", "成都市青羊区各乡镇人民政府、街道办事处"),
        ("各镇(街道)要", "成都市青羊区各镇人民政府、街道办事处"),
        ("各街道(镇)办事处(人民政府):", "成都市青羊区各镇人民政府、街道办事处"),
        ("各乡、街办、管理处要", "成都市青羊区各乡、街道办事处、管理处"),
    ],
)
def test_towns_and_subdistricts_under_one_each(text: str, expected: str) -> None:
    """Towns and subdistricts with alternatives under one 各 are one collective."""
    assert names(text, QINGYANG) == [expected]


def test_towns_and_subdistricts_each_with_its_own_each() -> None:
    """各镇人民政府，各街道办事处: two collectives."""
    assert names("各镇人民政府,各街道办事处:", QINGYANG) == [
        "成都市青羊区各镇人民政府",
        "成都市青羊区各街道办事处",
    ]


@pytest.mark.parametrize(
    ("ctx", "text", "expected"),
    [
        (GANSU, "各市(州)人民政府,省直各委、办、厅、局:", "甘肃省省直各委、办、厅、局"),
        (LANZHOU, "市直各委、办、局要", "兰州市市直各委、办、局"),
        (LANZHOU, "市直机关各单位要", "兰州市市直机关各单位"),
        (LANZHOU, "市政府组成部门要", "兰州市人民政府组成部门"),
        (QINGYANG, "区府属各单位要", "成都市青羊区区府属各单位"),
        (LANZHOU, "各牵头单位要", "兰州市各牵头单位"),
        (LANZHOU, "各县(区)人民政府(管委会)负责", "兰州市各县(区)人民政府(管委会)"),
        (LANZHOU, "各县(区)人民政府(管委会)办公室:", "兰州市各县(区)人民政府(管委会)办公室"),
    ],
)
def test_collectives_named_as_written(ctx: AgencyContext, text: str, expected: str) -> None:
    """Collectives with lists or alternatives stay one, as written, under the jurisdiction."""
    assert names(text, ctx)[-1] == expected


def test_compound_lower_does_not_swallow_the_next_government() -> None:
    """各县(区)、市政府各部门: 市 starts 市政府各部门."""
    assert names("各县(区)、市政府各部门要", LANZHOU) == ["兰州市各县(区)人民政府", "兰州市人民政府各部门"]


def test_each_distributes_over_a_list() -> None:
    """市政府各部门、直属机构: the 各 of the first name is the second's too."""
    got = found("市政府各部门、直属机构:", LANZHOU)
    assert got == [("市政府各部门", "兰州市人民政府各部门"), ("直属机构", "兰州市人民政府各直属机构")]


def test_bare_lower_government_needs_a_boundary() -> None:
    """The 乡政府 inside a short place name (永登乡政府网站 is 永登's) is no collective."""
    assert "兰州市各乡人民政府" not in names("永登乡政府门户网站", LANZHOU)


def test_central_ministry_and_its_collectives() -> None:
    """A ministry's own document: the ministry by name, its 部机关各部门 / 各派出机构 / 直属单位."""
    got = names("部机关各部门,各派出机构、直属单位:\n今年生态环境部按照国务院部署推进", MEE)
    assert got == [
        "生态环境部机关各部门",
        "生态环境部各派出机构",
        "生态环境部各直属单位",
        "生态环境部",
        "国务院",
    ]


def test_ministry_units_in_a_note() -> None:
    """(评价司牵头,会同海洋司落实) in a ministry's document: its 司, spelled out from its 三定."""
    assert names("(评价司牵头,会同海洋司落实)", MEE) == [
        "生态环境部环境影响评价与排放管理司",
        "生态环境部海洋生态环境司",
    ]


def test_title_names_the_department_without_an_issuer() -> None:
    """Without an issuer, 部属各单位 belongs to the department the title names."""
    text = "水利部2020年政务公开工作要点\n部属各单位、部内各司局:\n现印发。"
    assert names(text, NATION)[:3] == ["水利部", "水利部部属各单位", "水利部部内各司局"]
    assert document_context(text, NATION).issuer == "水利部"


def test_department_units_in_a_cell() -> None:
    """Abbreviated 处室 in a 厅's responsibility cell: the 厅's units, standard ones spelled out."""
    cell = "办公室、思政处、高教处、民考处、招生中心等有关处室(单位);各市(州)教育局;各高校"
    assert [m.name for m in split_agency_list(cell, GANSU_EDU)] == [
        "甘肃省教育厅办公室",
        "甘肃省教育厅思想政治工作处",
        "甘肃省教育厅高等教育处",
        "甘肃省教育厅民考处",
        "甘肃省教育厅招生中心",
        "甘肃省教育厅有关处室(单位)",
        "甘肃省各市(州)教育局",
        "甘肃省各高等学校",
    ]


def test_unit_words_in_running_text_are_not_units() -> None:
    """Outside a cell or a 牵头/负责 note, a word ending in 办/处 is no unit (实现全程网办)."""
    assert names("要实现全程网办,及时转办。", GANSU_EDU) == []


def test_leading_group_without_its_place() -> None:
    """经X工作领导小组同意 / X工作领导小组办公室将… / 等X工作领导小组成员单位: the jurisdiction's."""
    ctx = AgencyContext("绵阳市游仙区", "county", None, year=2022)
    assert names("经全面深化改革工作领导小组同意,印发", ctx) == ["绵阳市游仙区全面深化改革工作领导小组"]
    assert names("。全面深化改革工作领导小组办公室每季度通报", ctx) == [
        "绵阳市游仙区全面深化改革工作领导小组办公室"
    ]
    got = find_agencies("区财政局等乡村振兴工作领导小组成员单位负责", ctx)
    assert [(m.name, m.is_group) for m in got][-1] == ("绵阳市游仙区乡村振兴工作领导小组成员单位", True)


def test_bare_zone_in_a_responsibility_list() -> None:
    """市政府办、开发区、各有关部门…负责: the bare 开发区 is the city's zone committee."""
    got = names("做好解读。 市政府办、开发区、各有关部门按分工负责。", LANZHOU)
    assert "兰州开发区管理委员会" in got
    assert names("加快开发区建设。", LANZHOU) == []


def test_government_service_data_bureau_abbreviation() -> None:
    """区政数局 is the 政务服务数据管理局 (Guangdong 2018, Jiangxi 2019 reform plans)."""
    assert names("(责任单位:区政数局)", QINGYANG) == ["成都市青羊区政务服务数据管理局"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2016, "中国银行业监督管理委员会绵阳监管分局"),
        (2020, "中国银行保险监督管理委员会绵阳监管分局"),
        (2024, "国家金融监督管理总局绵阳监管分局"),
    ],
)
def test_regulator_branches_take_the_national_name_of_the_year(year: int, expected: str) -> None:
    """人民银行X中心支行 → 中国人民银行X中心支行; X银监分局 → the national body of the year + X监管分局."""
    ctx = AgencyContext("绵阳市", "prefecture", "绵阳市人民政府办公室", year=year)
    assert names("人民银行绵阳市中心支行、绵阳银监分局负责", ctx) == ["中国人民银行绵阳市中心支行", expected]


def test_state_council_collectives_carry_no_place() -> None:
    """各省、自治区、直辖市人民政府，国务院各部委、各直属机构 in a State Council document."""
    ctx = AgencyContext("中华人民共和国", "central", "国务院办公厅", year=2020)
    assert names("各省、自治区、直辖市人民政府,国务院各部委、各直属机构:", ctx) == [
        "各省、自治区、直辖市人民政府",
        "国务院各部委",
        "国务院各直属机构",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各设区市人民政府要", "甘肃省各设区市人民政府"),
        ("各省属机构要", "甘肃省各省属机构"),
        ("各功能区管委会要", "甘肃省各功能区管理委员会"),
        ("省政务公开办要", "甘肃省政务公开办公室"),
    ],
)
def test_more_collectives_and_offices(text: str, expected: str) -> None:
    """各设区市人民政府, 各省属机构, 各功能区管委会, 省政务公开办."""
    assert names(text, GANSU) == [expected]


def test_committee_of_an_area_without_a_zone_word() -> None:
    """开发区、仙海管委会 in an addressee list: the city's zone and the 仙海 area's committee."""
    got = found("各县(区)人民政府,开发区、仙海管委会,市直各部门:", MIANYANG)
    assert ("开发区", "绵阳开发区管理委员会") in got
    assert ("仙海管委会", "绵阳市仙海管理委员会") in got


def test_bare_government_office_in_a_responsibility_list() -> None:
    """政府办、高新区、各有关部门…负责 in a county-level city's table: its government office."""
    ctx = AgencyContext("绵阳市江油市", "county", "绵阳市江油市人民政府办公室", year=2019)
    got = names("做好解读。 政府办、高新区、各有关部门按分工负责。", ctx)
    assert got[0] == "江油市人民政府办公室"
    assert names("处理好政府、市场和社会的关系。", ctx) == []
