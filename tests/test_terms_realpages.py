"""Mechanisms and platforms in the shapes real 政务公开 pages write them (issue #14, classes 5, 6, 7b).

Every example is made up (other places, other departments, other slogans); only the shapes are
those of real pages: campaign slogans in quotes, national institutions written out, repositories,
level words and named gazettes.
"""

from __future__ import annotations

import pytest

from extractors.components.kinds import find_terms
from extractors.components.mechanisms import find_mechanisms
from extractors.components.platforms import find_platforms
from extractors.components.quotes import parallel_slogan
from extractors.reading.normalize import normalize_str


def mechanisms(text: str) -> list[str]:
    return [m.name for m in find_terms(normalize_str(text)) if m.kind == "mechanism"]


def platforms(text: str) -> list[str]:
    return [m.name for m in find_terms(normalize_str(text)) if m.kind == "platform"]


def kinds(text: str) -> dict[str, str]:
    return {m.name: m.kind for m in find_terms(normalize_str(text))}


# ---------------------------------------------------------------- campaigns and slogans


@pytest.mark.parametrize(
    "text",
    [
        "是全县奋力“争上游、当排头”的关键之年。",  # parallel 3-character phrases
        "保持“务实、担当、奋进”的精神状态。",  # parallel 2-character phrases
        "落实“一核、两翼”产业布局任务。",  # numeral + noun, parallel
        "紧紧围绕打好“民生八仗”，发布有关信息。",  # a battle metaphor
        "围绕“城市更新攻坚战”做好信息公开。",
        "围绕“绿色矿山”“数字强区战略”等工作，做好政策公开。",  # listed with a campaign
        "加大“散改集”等工作信息公开力度。",  # a field of work
        "是深化“放管服”改革的重要举措。",  # a national reform agenda
        "聚焦“保供应、保民生、保稳定”，及时发布政策。",  # goals sharing a verb
    ],
)
def test_terms_campaign_shapes_are_no_mechanism(text: str) -> None:
    """Slogans, metaphors, goals and reform agendas in quotes are not mechanisms."""
    assert mechanisms(text) == []


def test_terms_reform_agenda_is_a_campaign() -> None:
    """A quoted national reform agenda before 改革 is kept as a campaign."""
    assert kinds("深化“放管服”改革，优化营商环境。").get("放管服") == "campaign"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("按照“谁采集、谁审核”的原则，做好发布工作。", "谁采集、谁审核"),  # a principle repeats 谁
        ("深化“一次都不跑”改革。", "一次都不跑"),  # a procedure reform stays a mechanism
        ("严格落实“双随机、一公开”要求。", "双随机、一公开"),  # curated
        ("坚持“早发现、早处置”的原则。", "早发现、早处置"),  # named as a 原则
        ("做好“一证一码一次办”等工作。", "一证一码一次办"),  # a procedure before 等工作 stays one
    ],
)
def test_terms_principles_stay_mechanisms(text: str, name: str) -> None:
    """Principles and procedures in quotes are still mechanisms."""
    assert name in mechanisms(text)


@pytest.mark.parametrize(
    ("inner", "slogan"),
    [
        ("稳增长、惠民生", True),
        ("一轴、三带", True),
        ("求实、创新、奋进", True),
        ("谁主管、谁负责", False),
        ("应公开、尽公开", False),
        ("主动治理、未诉先办", False),
        ("三同步", False),
    ],
)
def test_terms_parallel_slogan_shape(inner: str, slogan: bool) -> None:
    """Short parallel parts with nothing in common are a slogan."""
    assert parallel_slogan(inner) is slogan


# ---------------------------------------------------------------- national institutions written out


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("建立健全利益相关方、公众代表、专家、媒体记者等列席政府有关会议制度。", "公众代表列席"),
        ("邀请公众代表列席县政府常务会议。", "公众代表列席"),
        ("修订完善政务公开标准规范清单。", "政务公开标准化清单"),
        ("编制基层政务公开标准化规范化目录。", "政务公开标准化清单"),
        ("做到政策文件与解读材料同步起草、同步审签、同步发布。", "三同步"),
        ("坚持将政务舆情回应作为重要环节。", "政务舆情回应"),
        ("做好重要政策措施解读工作。", "政策解读"),
        ("主动引导预期，带头解读政策。", "政策解读"),
        ("做好相关政策的权威发布和精准解读。", "政策解读"),
        ("制定并公布本地本部门随机抽查事项清单。", "随机抽查事项清单"),
        ("动态更新政务公开事项标准目录。", "政务公开标准化清单"),
    ],
)
def test_terms_national_institutions_written_out(text: str, name: str) -> None:
    """Named national institutions are found in the wordings of real pages."""
    assert name in mechanisms(text)


def test_terms_own_scope_prefix_is_no_part_of_a_list_name() -> None:
    """本地区/本单位 before an unknown list name is the owner, not the name."""
    assert [m.name for m in find_mechanisms(normalize_str("建立本地区本单位行政裁量基准清单。"))] == [
        "行政裁量基准清单"
    ]


def test_terms_release_note_is_no_mention() -> None:
    """The release note under a signature, （此件主动公开）, names no mechanism."""
    assert mechanisms("某县人民政府办公室\n2024年3月2日\n（此件主动公开）\n") == []
    assert "主动公开" in mechanisms("认真做好政府信息主动公开工作。")


def test_terms_traditional_alias_is_the_same_node() -> None:
    """A traditional-script mention is the node of the simplified name."""
    simplified = find_terms(normalize_str("做好依申请公开工作。"))
    traditional = find_terms(normalize_str("做好依申請公開工作。"))
    assert [m.key for m in simplified] == [m.key for m in traditional] == ["mechanism/yishenqing-gongkai"]


# ---------------------------------------------------------------- platforms


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("及时通过全国和省公共资源交易服务平台公开。", "公共资源交易服务平台"),
        ("依托市不动产登记信息平台公开办理结果。", "不动产登记信息平台"),
    ],
)
def test_terms_level_word_is_no_part_of_a_platform_name(text: str, name: str) -> None:
    """A bare 省/市 before an unknown platform is its owner: the name is the rest."""
    assert platforms(text) == [name]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("通过市民服务中心窗口办理。", "市民服务中心窗口"),
        ("在市政府网站统一技术平台发布。", "市政府网站统一技术平台"),
    ],
)
def test_terms_level_word_inside_a_word_stays(text: str, name: str) -> None:
    """市 of 市民 and 市政府 is no level word of its own."""
    assert name in platforms(text)


@pytest.mark.parametrize(
    "name",
    ["政府数据开放库", "政务咨询常见问题知识库", "行政规范性文件信息库", "政策问答库", "地方性法规规章库"],
)
def test_terms_repositories_are_platforms(name: str) -> None:
    """Repositories (…开放库, …知识库, …信息库, …问答库) are platforms."""
    assert platforms(f"丰富完善{name}，方便公众查询。") == [name]


def test_terms_named_system_before_jianshe() -> None:
    """推进X管理平台建设 names the platform; the unquoted mechanism words inside it are no mention."""
    found = find_terms(normalize_str("协同推进政府信息依申请公开网上办理平台建设。"))
    assert [(m.kind, m.name) for m in found] == [("platform", "政府信息依申请公开网上办理平台")]


def test_terms_work_area_before_jianshe_is_no_platform() -> None:
    """A short phrase before …专区建设 is a work area, and nothing joined to it is a platform."""
    assert platforms("做好经验总结和亮点专区建设。") == []


def test_terms_column_named_after_a_mechanism_keeps_it() -> None:
    """政策解读栏目 mentions the mechanism it is named after."""
    found = {(m.kind, m.name) for m in find_terms(normalize_str("在局门户网站政策解读栏目发布。"))}
    assert ("mechanism", "政策解读") in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("在《河南省人民政府公报》刊登。", "河南省人民政府公报"),
        ("通过甘肃省人民政府公报公开规章。", "甘肃省人民政府公报"),
        ("通过县人民政府公报公开规范性文件。", "政府公报"),
        ("通过政府公报公开。", "政府公报"),
    ],
)
def test_terms_named_gazette_is_its_own_platform(text: str, name: str) -> None:
    """X人民政府公报 is that government's gazette; an unnamed one is the channel type."""
    assert [m.name for m in find_platforms(normalize_str(text))] == [name]


@pytest.mark.parametrize(
    "text",
    ["在某某县人民政府网站公开。", "全文在巴中市人民政府网站发布。", "登录县政府网查询。"],
)
def test_terms_government_site_by_name_is_the_portal(text: str) -> None:
    """A government's website written with its own name is the 政府门户网站 channel."""
    assert platforms(text) == ["政府门户网站"]


def test_terms_portal_under_its_brand_is_the_portal() -> None:
    """A quoted portal brand before 政府门户网站 names the body's own portal."""
    assert platforms("来源：“中国某城”政府门户网站") == ["政府门户网站"]


def test_terms_quoted_organ_website_is_the_portal() -> None:
    """“某州人民政府”网站: an organ's website under its quoted name is the 政府门户网站 channel."""
    assert platforms("本报告公布于“某州人民政府”网站（www.example.gov.cn）。") == ["政府门户网站"]


def test_terms_repository_before_jianshe() -> None:
    """Repositories listed before 建设 are each named."""
    assert platforms("推进县政府规章库、行政规范性文件库建设。") == ["县政府规章库", "行政规范性文件库"]


# ---------------------------------------------------------------- identity across jurisdictions


def _doc_platforms(text: str) -> list[tuple[str, str]]:
    from extractors.assemble import named_instances

    terms = [t for t in find_terms(normalize_str(text)) if t.kind == "platform"]
    return [(t.surface, t.name) for t in named_instances(terms)]


def test_terms_bare_gazette_of_the_same_government_is_the_named_one() -> None:
    """A report naming its own government's gazette: a later bare 政府公报 is that gazette."""
    found = _doc_platforms("在《青海省人民政府公报》刊登规章。全年政府公报共出版24期。")
    assert [name for _, name in found] == ["青海省人民政府公报", "青海省人民政府公报"]


def test_terms_short_form_of_another_level_is_not_the_named_one() -> None:
    """市政府公报 in a document citing a province's gazette is the city's own: never the province's node."""
    found = _doc_platforms("转载《青海省人民政府公报》有关内容，并在市政府公报刊登。")
    assert found[-1][1] == "政府公报"


def test_terms_level_agrees() -> None:
    """A level word in the short form must be the level of the named instance's place."""
    from extractors.components.platforms import level_agrees

    assert level_agrees("省政务服务网", "江苏政务服务网", "政务服务网")
    assert not level_agrees("市政务服务网", "江苏政务服务网", "政务服务网")
    assert level_agrees("市政府公报", "某某市人民政府公报", "政府公报")
    assert not level_agrees("区政府公报", "某某市人民政府公报", "政府公报")
    assert level_agrees("政府公报", "某某市人民政府公报", "政府公报")


# ---------------------------------------------------------------- descriptive list phrases


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各有关单位同步更新本单位目录，并在网站公开。", []),  # a verb phrase, an own-scope list
        ("主动公开城市体检问题清单和整改进展。", ["主动公开", "城市体检问题清单"]),  # the verb is no part
        ("编制年度决策事项目录。", ["重大行政决策事项目录"]),  # the national short form
    ],
)
def test_terms_descriptive_list_phrases(text: str, expected: list[str]) -> None:
    """Verbs and own scopes are no part of a list's name."""
    assert mechanisms(text) == expected


def test_terms_system_before_gongshi() -> None:
    """…系统公示: 公示 is the system's predicate, not a word of a longer phrase."""
    assert platforms("在国家某某信息公示系统公示处罚结果。") == ["国家某某信息公示系统"]
