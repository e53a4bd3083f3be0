"""Tests for the agency classes of real pages: department units, listed collectives, channel owners,
citations and reflexive mentions. Made-up examples of the same shapes, in other places."""

from __future__ import annotations

import pytest

from extractors.components.agencies import document_context, find_agencies, split_agency_list
from extractors.components.agency_types import AgencyContext
from extractors.reading.normalize import normalize_str

HB = AgencyContext("湖北省", "province", "湖北省人民政府办公厅", year=2021)
GS = AgencyContext("甘肃省", "province", None, year=2020)
XA = AgencyContext("西安市", "prefecture", "西安市人民政府办公厅", province="陕西省", year=2022)
LZ = AgencyContext("柳州市", "prefecture", "柳州市人民政府办公室", province="广西壮族自治区", year=2019)
YL = AgencyContext("榆林市", "prefecture", "榆林市人力资源和社会保障局", province="陕西省", year=2021)
ZJ = AgencyContext("湛江市", "prefecture", "湛江市医疗保障局", province="广东省", year=2021)
DY = AgencyContext(
    "德阳市广汉市", "county", "广汉市文化广播电视和旅游局", province="四川省", prefecture="德阳市", year=2021
)
HL = AgencyContext(
    "黑河市北安市", "county", "北安市人民政府办公室", province="黑龙江省", prefecture="黑河市", year=2022
)
CZ = AgencyContext(
    "郴州市北湖区", "county", "郴州市北湖区人民政府办公室", province="湖南省", prefecture="郴州市", year=2023
)


def _names(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in find_agencies(normalize_str(text), ctx)]


def _cell(text: str, ctx: AgencyContext) -> list[str]:
    return [m.name for m in split_agency_list(normalize_str(text), ctx)]


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        # collectives with alternatives or lists stay one collective
        (
            "各市、州人民政府,省人民政府各委、办、厅、局:",
            HB,
            ["湖北省各市、州人民政府", "湖北省人民政府各委、办、厅、局"],
        ),
        ("市府各委办局要按时报送。", XA, ["西安市人民政府各委办局"]),
        (
            "各省辖市人民政府、各省直管县(市)人民政府:",
            GS,
            ["甘肃省各省辖市人民政府", "甘肃省各省直管县(市)人民政府"],
        ),
        ("(责任单位:省直各部门,各市〔州〕政府)", GS, ["甘肃省省直各部门", "甘肃省各市(州)人民政府"]),
        ("(责任单位:各级政府办公厅〔室〕)", GS, ["甘肃省各级人民政府办公厅(室)"]),
        (
            "(责任单位:市政府办公厅、各试点单位、各试点区政府)",
            XA,
            ["西安市人民政府办公厅", "西安市各试点单位", "西安市各试点区人民政府"],
        ),
        (
            "各乡镇人民政府、国营农场、街道办事处:",
            HL,
            ["北安市各乡镇人民政府", "北安市各国营农场", "北安市各街道办事处"],
        ),
        (
            "北湖区各街道、镇,区府属各单位:",
            CZ,
            ["郴州市北湖区各街道办事处", "郴州市北湖区各镇人民政府", "郴州市北湖区区府属各单位"],
        ),
        ("具有食品安全监管职责部门公开抽查结果。", LZ, ["柳州市具有食品安全监管职责部门"]),
        ("各区、县要梳理归集文件。", LZ, ["柳州市各区、县人民政府"]),
        ("驻柳中省直单位:", LZ, ["驻柳州市中省直单位"]),
        ("请各地、各相关部门认真落实。", LZ, ["柳州市各地各部门"]),
    ],
)
def test_agency_listed_collectives(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """A collective with alternatives, a list under one 各, a duty or a station is one collective."""
    assert _names(text, ctx) == names


def test_agency_towns_with_bracketed_subdistricts() -> None:
    """各镇(街) in a cell is the one collective of towns and subdistricts."""
    assert _cell("市直有关部门;各镇(街)", HL) == ["北安市市直有关部门", "北安市各镇人民政府、街道办事处"]


@pytest.mark.parametrize(
    ("text", "ctx", "names"),
    [
        (
            "法规和工伤保险科、办公室按职责分工落实",
            YL,
            ["榆林市人力资源和社会保障局法规和工伤保险科", "榆林市人力资源和社会保障局办公室"],
        ),
        ("办公室和财务科负责", YL, ["榆林市人力资源和社会保障局办公室", "榆林市人力资源和社会保障局财务科"]),
        (
            "办公室牵头,其他股室及属下单位配合",
            DY,
            [
                "广汉市文化广播电视和旅游局办公室",
                "广汉市文化广播电视和旅游局各股室",
                "广汉市文化广播电视和旅游局属下单位",
            ],
        ),
        (
            "法规科统筹,各职能科(室)配合",
            YL,
            ["榆林市人力资源和社会保障局法规科", "榆林市人力资源和社会保障局各职能科(室)"],
        ),
    ],
)
def test_agency_department_units(text: str, ctx: AgencyContext, names: list[str]) -> None:
    """Bare units in a department's cells take the department as prefix, 和-joined names whole."""
    assert _cell(text, ctx) == names


def test_agency_office_of_an_office() -> None:
    """An office of a general office keeps its full name (信息办公室, not 信息办)."""
    text = "地址:西安市人民政府办公厅信息公开办公室,邮编"
    assert _names(text, XA)[-1] == "西安市人民政府办公厅信息公开办公室"


def test_agency_own_institution_and_its_short_name() -> None:
    """A 中心 named with the department's domain is the place's institution; its short name is the same."""
    text = "局机关各科室、医保中心:\n各科室、医疗保障事业管理中心按职责分工落实"
    names = _names(text, ZJ)
    assert names == ["湛江市医疗保障局机关各科室", "湛江市医疗保障事业管理中心"] * 2
    ctx = document_context(normalize_str(text), ZJ)
    assert _cell("办公室、医保中心按职责分工落实", ctx) == [
        "湛江市医疗保障局办公室",
        "湛江市医疗保障事业管理中心",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "在市政府门户网站统一发布。",
        "通过区政府网站平台公开。",
        "在本级政府政务公开标准规范清单中列明。",
        "根据《关于印发要点的通知》(陕政办发〔20213号)要求。",
        "根据《国务院办公厅关于印发办法的通知》(国办",
    ],
)
def test_agency_not_a_party(text: str) -> None:
    """A channel's owner, a reflexive 本级政府 and a cited number's issuer are no agencies."""
    assert _names(text, XA) == []


def test_agency_bare_level_departments_are_all_of_them() -> None:
    """36家市直部门 names all the city's departments: the collective 市直各部门."""
    assert _names("全市9个县区及28家市直部门按职能梳理。", XA) == ["西安市市直各部门"]


def test_agency_dangling_subordinate_units() -> None:
    """部门及所属单位: a 所属单位 without its owner is no party of its own."""
    assert _names("积极推进部门及所属单位预算公开。", ZJ) == []


NOWHERE = AgencyContext(None, None, None, year=2020)


def test_agency_unknown_place_keeps_names_as_written() -> None:
    """A page naming no place: its organs keep the level word, of that document only."""
    found = split_agency_list(
        normalize_str("市政府办公室、市工商局牵头,市有关单位,各县(市、区)政府配合"), NOWHERE
    )
    assert [m.name for m in found] == [
        "市人民政府办公室",
        "市工商行政管理局",
        "市有关单位",
        "各县(市、区)人民政府",
    ]
    assert all(m.written and m.place is None for m in found)


def test_agency_unknown_department_keeps_its_units() -> None:
    """A department's table naming neither it nor its place: its units under their own names."""
    cell = "办公室牵头,其他股室及属下单位配合"
    assert _cell(cell, NOWHERE) == ["办公室", "各股室", "属下单位"]
    assert _cell("综合股(行政审批股)", NOWHERE) == ["综合股(行政审批股)"]
    assert _cell("市场监管股", NOWHERE) == ["市场监管股"]


def test_agency_known_place_is_not_written() -> None:
    """With a place, names are canonical and shared across documents."""
    found = split_agency_list(normalize_str("市政府办公室"), XA)
    assert [(m.name, m.written) for m in found] == [("西安市人民政府办公室", False)]


def test_agency_collective_written_two_ways() -> None:
    """各区县(市)政府 is the 各区、县(市)人民政府 the document names;
    县直各有关部门(单位) is the 县直有关部门."""
    text = "各区、县(市)人民政府:\n各区县(市)政府要落实。县直各有关部门(单位)、县直有关部门负责。"
    assert _names(text, LZ)[:2] == ["柳州市各区、县(市)人民政府", "柳州市各区、县(市)人民政府"]
    assert _names("县直各有关部门(单位):\n县直有关部门负责。", HL) == ["北安市县直有关部门"] * 2


def test_agency_unknown_place_all_levels() -> None:
    """Without a place, 省/市/县 organs keep their level word: 省人民政府办公厅, 县人民政府."""
    cell = "省政府办公厅、市政府办公室、县政府"
    assert _cell(cell, NOWHERE) == ["省人民政府办公厅", "市人民政府办公室", "县人民政府"]
    assert _cell("广电服务股(审批服务股) |", NOWHERE) == ["广电服务股(审批服务股)"]


def test_agency_education_institutions() -> None:
    """A provincial 教育厅's institutions (考试院, 教科院, 电教馆) are the province's, spelled out."""
    ctx = AgencyContext("湖南省", "province", "湖南省教育厅", year=2024)
    assert _cell("考试院、教科院、电教馆、高教处", ctx) == [
        "湖南省教育考试院",
        "湖南省教育科学研究院",
        "湖南省电化教育馆",
        "湖南省教育厅高等教育处",
    ]
    assert _cell("附属医院", ctx) == []


def test_agency_stationed_units_unknown_place() -> None:
    """驻X中省直单位 on a page naming no place: as written."""
    assert _cell("驻柳中省直单位", NOWHERE) == ["驻柳中省直单位"]
