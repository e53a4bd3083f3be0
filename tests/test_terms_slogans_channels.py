"""Slogans, goals and channels on real pages (issue #14, the even half of the real set).

Every example is made up (other places, other departments, other slogans); only the shapes are those
that real pages gave: goals governed by 打造/培育壮大, numbered slogans, development slogans before 要求,
rules listed before 等…制度, known names with quotes inside, provincial service apps, database names
whose modifiers are coordinated, regional stations, determiners and catalogues named as a place.
"""

from __future__ import annotations

import pytest

from extractors.components.kinds import find_terms
from extractors.reading.clean import is_chrome
from extractors.reading.normalize import normalize_str


def terms(text: str, kind: str) -> list[str]:
    return [m.name for m in find_terms(normalize_str(text)) if m.kind == kind]


def surfaces(text: str, kind: str) -> list[str]:
    return [m.surface for m in find_terms(normalize_str(text)) if m.kind == kind]


# ---------------------------------------------------------------- goals and slogans are not mechanisms


@pytest.mark.parametrize(
    "text",
    [
        "聚焦打造具有全国影响力的“两城一港”、推动科技创新,及时发布政策信息。",  # 打造 … 的“X”
        "助力做好改造升级“旧动能”、深度开发“新材料”、培育壮大“新业态”工作。",  # goal verbs before each quote
        "围绕“建设沿海开放合作示范高地”开展信息公开。",  # a quote that starts with a goal verb
        "推进产业调整“四篇大文章”信息公开,做好“四篇大文章”,加快发展。",  # numeral + measure word + noun
        "一、围绕“两稳三促”工作推进公开",  # a quoted name before a bare 工作: a field of work
        "按照“担当实干、奋勇争先”要求,坚持标准化方向。",  # a development slogan of four-character parts
        "全面贯彻“绿色低碳发展”要求,做好信息公开。",  # a single quoted development goal
    ],
)
def test_goals_and_slogans_are_no_mechanisms(text: str) -> None:
    assert terms(text, "mechanism") == []


def test_goal_verb_does_not_reach_past_an_implementing_verb() -> None:
    # 建设 is a goal verb, but 落实 is the verb that governs the quoted procedure
    assert terms("在平台建设中落实“首问负责”要求,", "mechanism") == ["首问负责"]


def test_institution_by_its_head_is_kept_before_a_bare_work() -> None:
    assert terms("公开全面推行“湖长制”工作实施方案。", "mechanism") == ["湖长制"]


def test_a_goal_target_is_no_channel() -> None:
    # 窗口 is a platform head, but the whole quote is a goal (目标定位 follows)
    text = "牢牢把握“开放门户”目标定位和“先行示范窗口”目标定位,按照要求推进。"
    assert terms(text, "platform") == []


# ---------------------------------------------------------------- procedures listed and named


def test_rules_listed_before_a_named_system_are_a_mechanism() -> None:
    text = "全面落实“周巡查、月通报、季评估、年总结”等管理制度,定期扫描检测。"
    assert terms(text, "mechanism") == ["周巡查、月通报、季评估、年总结"]


def test_known_name_with_quotes_inside() -> None:
    text = "深化民政领域“高效办成‘一件事’”信息公开,推动政务服务提质增效。"
    assert terms(text, "mechanism") == ["高效办成一件事"]


def test_attribute_review_is_a_procedure() -> None:
    text = "4.严格执行规范性文件公开属性审查和合法性审查程序。(责任单位:各有关部门)"
    assert "规范性文件公开属性审查" in terms(text, "mechanism")


def test_policy_release_and_interpretation() -> None:
    assert terms("做好稳就业政策发布解读工作。", "mechanism") == ["政策解读"]


def test_adopting_verb_is_not_part_of_the_name() -> None:
    text = "修订信息发布审核表,采取信息发布审核分管领导负责制,增加保密审核流程。"
    assert terms(text, "mechanism") == ["信息发布审核分管领导负责制"]


def test_information_release_mechanism_is_generic() -> None:
    assert terms("健全信息发布机制,明确专人负责。", "mechanism") == []


# ---------------------------------------------------------------- channels


def test_quoted_apps_before_a_platform_category_are_platforms() -> None:
    text = "充分发挥“闽企政策通”“闽商通”等政策服务平台作用,加大精准推送力度。"
    assert terms(text, "mechanism") == []
    assert set(terms(text, "platform")) >= {"闽企政策通"}


def test_provincial_service_apps_without_quotes() -> None:
    text = "研究通过赣服通、闽政通、政务短信等方式,推动政策智能推送。"
    assert terms(text, "platform")[:2] == ["赣服通", "闽政通"]


def test_listed_apps_stay_separate() -> None:
    # two apps joined by 、: neither is a modifier of the other
    assert terms("依托浙政钉、渝快政推送政策。", "platform") == ["浙政钉", "渝快政"]


def test_app_inside_another_word_is_not_an_app() -> None:
    assert "爱山东" not in terms("我们热爱山东,热爱家乡。", "platform")


def test_app_with_a_bare_head_is_named_by_itself() -> None:
    assert terms("登录爱山东APP办理。", "platform") == ["爱山东"]


def test_coordinated_modifiers_share_a_database_head() -> None:
    text = "6.加快建设湖南省规章和规范性文件数据库,为公众提供查询服务。"
    assert terms(text, "platform") == ["湖南省规章和规范性文件数据库"]


def test_a_named_channel_before_a_known_one_stays_separate() -> None:
    text = "行政决策草案通过千年古城之窗和区政府门户网站公开。"
    assert terms(text, "platform") == ["千年古城之窗", "政府门户网站"]


def test_database_being_updated_is_named() -> None:
    text = "定期做好全县行政规范性文件数据库更新维护。"
    assert terms(text, "platform") == ["行政规范性文件数据库"]


def test_regional_station_belongs_to_the_mention() -> None:
    text = "国家企业信用信息公示系统(福建)1052条和其他媒体平台发布信息31条。"
    assert surfaces(text, "platform") == ["国家企业信用信息公示系统(福建)", "其他媒体平台"]
    assert terms(text, "platform") == ["国家企业信用信息公示系统", "媒体平台"]


def test_the_same_platform_is_no_name() -> None:
    text = "不得在同一平台重复开设政务新媒体账号。"
    assert terms(text, "platform") == ["政务新媒体"]


def test_verb_on_the_left_edge_of_a_system() -> None:
    text = "统一使用全市政府信息公开申请办理系统,做到网上受理。"
    assert surfaces(text, "platform") == ["全市政府信息公开申请办理系统"]


def test_column_named_by_slogans_is_one_platform() -> None:
    text = "10.建立“稳就业”“保民生”专栏,重点围绕做好有关工作。"
    assert terms(text, "platform") == ["“稳就业”“保民生”专栏"]


def test_catalogue_named_as_a_place_of_publication() -> None:
    text = "各单位请在本地、本单位政府信息公开目录中及时公开,方便群众查阅。"
    assert terms(text, "platform") == ["政府信息公开目录"]
    assert terms(text, "mechanism") == []


# ---------------------------------------------------------------- page chrome


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("网站首页 | 县政府公开目录 | 乡镇公开目录 | 依申请公开 | 监督保障", True),
        ("首页 | 政务公开", False),  # one menu cell: not enough to call it a menu
    ],
)
def test_navigation_bar_is_chrome(line: str, chrome: bool) -> None:
    assert is_chrome(line) is chrome


# ---------------------------------------------------------------- channel names as written


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("通过县政府门户网站、微信公众号发布信息。", "微信公众号"),  # not folded into 微信
        ("通过微信、微博发布信息。", "微信"),
        ("通过政府门户网站、政务公开栏发布信息。", "政务公开栏"),  # not folded into 公开栏
        ("在村务公开栏张贴公示。", "村务公开栏"),
    ],
)
def test_channel_named_as_written(text: str, name: str) -> None:
    assert name in terms(text, "platform")


def test_a_column_is_no_notice_board() -> None:
    assert "公开栏" not in terms("重点领域信息公开栏目发布信息80条。", "platform")


def test_catalogue_of_proactive_disclosure_written_out() -> None:
    assert terms("动态调整政府信息主动公开目录。", "mechanism") == ["主动公开事项目录"]
