"""Metadata on the shapes real pages take: annual reports, reposts, metadata blocks, odd dates.

Every example is made up (other places, other departments) in the shape of a real page.
"""

from __future__ import annotations

from datetime import date

import pytest

from extractors.layout.metadata import compact_date, read_metadata
from extractors.layout.structure import outline
from extractors.reading.normalize import MappedText, normalize
from extractors.records import Metadata

BODY = "\n一、总体情况\n全年主动公开信息1200条。\n二、主动公开政府信息情况\n见下表。\n"


def _meta(original: str) -> Metadata:
    text = normalize(MappedText.identity(original))
    return read_metadata(text, outline(text))


# -- 政府信息公开工作年度报告 -------------------------------------------------------------------


def test_report_title_names_its_organ_and_the_year_reported_on() -> None:
    meta = _meta(
        "株洲市自然资源和规划局2022年政府信息公开工作年度报告\n"
        "本报告所列数据的统计期限为2022年1月1日至12月31日。" + BODY
    )
    assert meta.title == "株洲市自然资源和规划局2022年政府信息公开工作年度报告"
    assert meta.issuer == "株洲市自然资源和规划局"
    assert meta.year == 2022
    assert meta.jurisdiction == "株洲市"
    assert meta.date is None


def test_report_title_split_under_its_organ_line_in_traditional_script() -> None:
    meta = _meta(
        "政府信息\n公開年報\n九江市人民政府\n2019年政府信息公開工作年度報告\n"
        "來源:九江市人民政府         2020-02-20 09:12:30\n本報告根據有關規定編制。" + BODY
    )
    assert meta.title == "九江市人民政府2019年政府信息公开工作年度报告"
    assert meta.issuer == "九江市人民政府"
    assert (meta.year, meta.jurisdiction) == (2019, "九江市")
    assert meta.date == date(2020, 2, 20)  # the page's time stamp, within the year after the report's


def test_report_of_a_place_takes_the_organ_that_compiled_it() -> None:
    meta = _meta(
        "洛阳市西工区2018年政府信息公开工作年度报告\n来源:区人民政府办公室 时间:2019-01-20 10:01\n"
        "本报告由洛阳市西工区人民政府信息公开办编制。" + BODY
    )
    assert meta.issuer_surface == "洛阳市西工区人民政府信息公开办"
    assert meta.jurisdiction == "洛阳市西工区"
    assert meta.date == date(2019, 1, 20)


def test_report_reposted_years_later_has_no_date() -> None:
    meta = _meta(
        "2015年株洲市政府信息公开工作年度报告\n发布时间:2019-05-06 08:00\n本报告依照条例编制。" + BODY
    )
    assert meta.year == 2015
    assert meta.published == date(2019, 5, 6)
    assert meta.date is None


# -- notice titles and issuers ------------------------------------------------------------------------


def test_notice_that_names_its_organ_wins_over_the_metadata_block_copy() -> None:
    meta = _meta(
        "政府信息公开\n关于印发2022年株洲市政务公开工作要点的通知\n株政办发〔2022〕9号\n2022-04-01\n"
        "株洲市人民政府办公室\n\n株洲市人民政府办公室\n关于印发2022年株洲市政务公开工作要点的通知\n"
        "各县市区人民政府:\n现印发给你们。\n株洲市人民政府办公室\n2022年4月1日\n2022年株洲市政务公开工作要点\n"
        "一、加强公开\n（一）做好解读。\n"
    )
    assert meta.notice_title == "株洲市人民政府办公室关于印发2022年株洲市政务公开工作要点的通知"
    assert meta.issuer == "株洲市人民政府办公室"
    assert meta.date == date(2022, 4, 1)


def test_site_prefix_dropped_and_compact_signature_date_read() -> None:
    meta = _meta(
        "江西:关于印发《江西省林业局2020年政务公开工作要点》的通知\n\n机关各处室、局属各单位:\n"
        "现印发你们。\n\n江西省林业局\n\n2020618\n\n附件\n江西省林业局2020年政务公开工作要点\n"
        "一、工作目标\n（一）做好公开。\n"
    )
    assert meta.notice_title == "关于印发《江西省林业局2020年政务公开工作要点》的通知"
    assert meta.title == "江西省林业局2020年政务公开工作要点"
    assert meta.issuer == "江西省林业局"
    assert meta.date == date(2020, 6, 18)


def test_relative_organ_before_关于_is_named_in_the_jurisdiction() -> None:
    meta = _meta(
        "省人民政府办公厅关于印发2021年江西省政务公开工作要点的通知\n各设区市人民政府:\n现印发给你们。\n"
        "2021年5月8日\n2021年江西省政务公开工作要点\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.issuer == "省人民政府办公厅"  # assemble canonicalises it under 江西省
    assert meta.jurisdiction == "江西省"


def test_organ_before_关于_of_any_notice_verb() -> None:
    meta = _meta(
        "宜阳县人民政府办公室关于明确2018年政务公开工作责任分工的通知\n来源:宜阳县政府\n"
        "各乡镇人民政府:\n现就有关事项通知如下。\n一、加强领导\n（一）明确分工。\n"
    )
    assert meta.issuer == "宜阳县人民政府办公室"
    assert meta.jurisdiction == "洛阳市宜阳县"


def test_joint_notice_takes_its_first_organ() -> None:
    meta = _meta(
        "名稱: 株洲市荷塘區人民政府辦公室株洲高新區管委會辦公室"
        "關於印發株洲市荷塘區2021年政務公開工作要點的通知\n"
        "成文日期: 2021-03-02\n各街道:\n現印發給你們。\n一、加強公開\n（一）做好解讀。\n"
    )
    assert meta.notice_title.startswith("株洲市荷塘区人民政府办公室株洲高新区管委会办公室关于")
    assert meta.issuer == "株洲市荷塘区人民政府办公室"
    assert meta.jurisdiction == "株洲市荷塘区"
    assert meta.date == date(2021, 3, 2)


# -- titles -------------------------------------------------------------------------------------------


def test_title_from_the_object_handed_over_in_the_notice() -> None:
    meta = _meta(
        "各区人民政府,市直各委、办、局:\n为贯彻落实《国务院办公厅关于印发2020年政务公开工作要点的通知》精神,"
        "现将《2020年全市政务公开重点任务分解表》印发给你们,请认真组织实施。\n九江市人民政府办公室\n"
        "2020年6月3日\n"
    )
    assert meta.title == "2020年全市政务公开重点任务分解表"
    assert meta.issuer == "九江市人民政府办公室"
    assert meta.date == date(2020, 6, 3)
    assert meta.year == 2020


def test_department_task_breakdown_heading_is_a_title() -> None:
    meta = _meta(
        "各市教育局:\n现将有关任务印发给你们。\n江西省教育厅\n2023年5月6日\n"
        "江西省教育厅2023年政务公开重点工作任务分解\n一、主动公开\n（一）做好公开。\n"
    )
    assert meta.title == "江西省教育厅2023年政务公开重点工作任务分解"
    assert meta.issuer == "江西省教育厅"


# -- jurisdiction ---------------------------------------------------------------------------------------


def test_ministry_document_is_national() -> None:
    meta = _meta(
        "水利部2020年政务公开工作要点\n\n日期:2020-05-10 10:00\n\n部机关各司局:\n现印发。\n"
        "一、加强解读\n（一）做好解读。\n"
    )
    assert meta.jurisdiction == "中华人民共和国"
    assert meta.year == 2020


def test_ministry_office_signature_is_a_national_issuer() -> None:
    meta = _meta(
        "部机关各司局,各直属单位:\n《水利部落实2018年政务公开工作要点实施方案》已经部领导同意,现印发给你们。\n"
        "水利部办公厅\n2018年4月2日\n水利部落实2018年政务公开工作要点实施方案\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.issuer == "水利部办公厅"
    assert meta.jurisdiction == "中华人民共和国"
    assert meta.date == date(2018, 4, 2)


def test_superior_named_after_落实_is_not_the_jurisdiction() -> None:
    meta = _meta(
        "关于印发贯彻落实江西省政府办公厅2022年政务公开工作要点任务分工的通知\n\n"
        "修水县人民政府 www.xiushui.gov.cn 发布时间: 2022-06-24 16:50 【字体:\n\n"
        "各乡镇人民政府、县直单位:\n现印发给你们。\n一、提高认识\n（一）加强领导。\n"
    )
    assert meta.jurisdiction == "九江市修水县"
    assert meta.date == date(2022, 6, 24)
    assert meta.addressees == ["各乡镇人民政府", "县直单位"]


# -- fields and dates ----------------------------------------------------------------------------------


def test_pipe_table_block() -> None:
    meta = _meta(
        "[ 索引号 ] | 1234/2020-00015 | [ 发文字号 ] | 九府办发﹝2020﹞ 12号 | ||||\n"
        "[ 发布机构 ] | 九江市政府办公室 | ||||||\n"
        "[ 成文日期 ] | 2020-03-04 | [ 发布日期 ] | 2020-03-09 |\n各县(市、区)人民政府:\n现印发给你们。\n"
        "一、加强公开\n（一）做好解读。\n"
    )
    assert meta.doc_number == "九府办发〔2020〕12号"
    assert meta.date == date(2020, 3, 4)
    assert meta.published == date(2020, 3, 9)


def test_发文日期_with_a_time_is_the_page_and_the_signature_date_wins() -> None:
    meta = _meta(
        "文 号 : 赣府厅发〔2020〕11号\n发文单位: 江西省人民政府办公厅\n"
        "有效性: 有效 发文日期: 2020-09-21 09:55:57\n"
        "各市人民政府:\n现印发给你们。\n2020年7月6日\n2020年江西省政务公开工作要点\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.date == date(2020, 7, 6)
    assert meta.published == date(2020, 9, 21)


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("2021531", date(2021, 5, 31)),
        ("2018615", date(2018, 6, 15)),
        ("20191231", date(2019, 12, 31)),
        ("2020601", date(2020, 6, 1)),
        ("2021111", None),  # 1-11 or 11-1
        ("2021106", None),  # 1-06 or 10-6
        ("1234", None),
        ("20211399", None),
    ],
)
def test_compact_date(digits: str, expected: date | None) -> None:
    assert compact_date(digits) == expected


def test_digits_alone_are_a_date_only_under_a_signature() -> None:
    meta = _meta("各单位:\n现印发给你们。\n共计2021531项任务\n2021531\n一、加强公开\n（一）做好解读。\n")
    assert meta.date is None


def test_report_title_run_together_with_its_body_keeps_its_printed_space() -> None:
    meta = _meta(
        "\n宜阳县人民政府2020年 政府信息公开工作年度报告 本报告根据《中华人民共和国政府信息公开条例》编制。"
        "一、总体情况 2020年,我县推进公开。"
    )
    assert meta.title == "宜阳县人民政府2020年 政府信息公开工作年度报告"
    assert meta.issuer == "宜阳县人民政府"
    assert (meta.year, meta.jurisdiction) == (2020, "洛阳市宜阳县")


def test_title_heading_with_a_cited_plan_takes_the_year_outside_the_quotes() -> None:
    meta = _meta(
        "株洲市贯彻《江西省政务公开五年行动计划(2021—2025年)》实施方案\n信息来源:株洲市政府网\n"
        "2022年8月15日\n一、总体要求\n（一）做好公开。\n"
    )
    assert meta.title == "株洲市贯彻《江西省政务公开五年行动计划(2021—2025年)》实施方案"
    assert meta.year == 2022
    assert meta.jurisdiction == "株洲市"


def test_slash_separated_metadata_cells() -> None:
    meta = _meta(
        "索引号 / 002489/2021-00123 / 发布机构 / 九江市统计局 /\n发文字号 / / 成文日期 / 2021-06-28 /\n"
        "九江市人民政府办公室关于印发2021年九江市政务公开工作要点的通知\n各县(市、区)人民政府:\n现印发给你们。\n"
        "一、加强公开\n（一）做好解读。\n"
    )
    assert meta.index_number == "002489/2021-00123"
    assert meta.date == date(2021, 6, 28)
    assert meta.doc_number is None
    assert meta.issuer == "九江市人民政府办公室"


def test_signature_wins_over_the_reposting_page_publisher() -> None:
    meta = _meta(
        "发布机构: 九江市统计局\n各县(市、区)人民政府:\n"
        "《2021年九江市政务公开工作要点》已经市政府同意,现印发给你们。\n"
        "九江市人民政府办公室\n2021年6月1日\n2021年九江市政务公开工作要点\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.issuer == "九江市人民政府办公室"


def test_ambiguous_district_resolved_by_the_city_the_text_names() -> None:
    meta = _meta(
        "鼓楼区人民政府办公室关于印发鼓楼区2021年政务公开工作要点的通知\n各街道办事处:\n"
        "为贯彻落实《南京市2021年政务公开工作要点》,现印发给你们。\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.jurisdiction == "南京市鼓楼区"
    assert meta.issuer == "鼓楼区人民政府办公室"


def test_ambiguous_district_with_no_hint_stays_unknown() -> None:
    meta = _meta("西湖区2021年政务公开工作要点\n各街道:\n现印发给你们。\n一、加强公开\n（一）做好解读。\n")
    assert meta.jurisdiction is None


def test_organ_印发_notice_without_关于() -> None:
    meta = _meta(
        "九江市人民政府办公室印发九江市2019年政务公开工作要点分工方案的通知\n各县(市、区)人民政府:\n"
        "现印发给你们。\n一、加强公开\n（一）做好解读。\n"
    )
    assert meta.notice_title == "九江市人民政府办公室印发九江市2019年政务公开工作要点分工方案的通知"
    assert meta.title == "九江市2019年政务公开工作要点分工方案"
    assert meta.issuer == "九江市人民政府办公室"


def test_forwarding_notice_names_no_issuer_before_its_verb() -> None:
    meta = _meta(
        "关于转发省政府办公厅印发2019年政务公开工作要点的通知\n各乡镇:\n现转发给你们。\n"
        "一、加强公开\n（一）做好解读。\n"
    )
    assert meta.issuer_surface is None


def test_year_from_the_notice_title_when_no_title_and_a_late_repost_date() -> None:
    meta = _meta(
        "宜阳县人民政府办公室关于明确2017年政务公开工作责任分工的通知\n发布日期:2021-09-25 09:55:16\n"
        "各乡镇人民政府:\n现就有关事项通知如下。\n一、加强领导\n（一）明确分工。\n"
    )
    assert meta.year == 2017
    assert meta.date is None


def test_dotted_date_under_a_signature() -> None:
    meta = _meta("各处室:\n现印发给你们。\n九江市统计局\n2021.6.2\n一、加强公开\n（一）做好解读。\n")
    assert meta.date == date(2021, 6, 2)
    assert meta.issuer == "九江市统计局"


@pytest.mark.parametrize(
    "title",
    [
        "九江市统计局2020年度政府信息公开工作年度报告",
        "九江市统计局2020年政务信息公开年度报告",
        "九江市统计局2020年政府信息公开年度报告",
    ],
)
def test_report_title_variants(title: str) -> None:
    meta = _meta(title + "\n本报告依照条例编制。" + BODY)
    assert meta.title == title
    assert meta.issuer == "九江市统计局"
    assert meta.year == 2020


def test_department_work_list_heading_is_a_title() -> None:
    meta = _meta(
        "各市交通运输局,厅机关各处室:\n现将有关清单印发给你们。\n江西省交通运输厅\n2024年4月3日\n"
        "江西省交通运输厅2024年政务公开重点工作清单\n一、主动公开\n1.做好公开。\n"
    )
    assert meta.title == "江西省交通运输厅2024年政务公开重点工作清单"
    assert meta.issuer == "江西省交通运输厅"


@pytest.mark.parametrize(
    ("organ", "first"),
    [
        ("株洲市荷塘区人民政府办公室株洲高新区管委会办公室", "株洲市荷塘区人民政府办公室"),
        ("中共九江市委办公室九江市人民政府办公室", "中共九江市委办公室"),
        ("九江市财政局九江市税务局", "九江市财政局"),
        ("国务院办公厅政府信息与政务公开办公室", "国务院办公厅政府信息与政务公开办公室"),
        ("江西省人民政府办公厅政务公开办公室", "江西省人民政府办公厅政务公开办公室"),
        ("九江市教育局机关党委办公室", "九江市教育局机关党委办公室"),
        ("九江市发展和改革委员会办公室", "九江市发展和改革委员会办公室"),
    ],
)
def test_first_organ_of_a_joint_notice(organ: str, first: str) -> None:
    from extractors.layout.metadata import _first_organ

    assert _first_organ(organ, 2021) == first


def test_source_line_date_is_the_page_date() -> None:
    head = "九江市统计局2020年政府信息公开工作年度报告\n来源:九江市统计局 2021-01-28\n本报告依照条例编制。"
    meta = _meta(head + BODY)
    assert meta.published == date(2021, 1, 28)
    assert meta.date == date(2021, 1, 28)


@pytest.mark.parametrize(
    ("name", "central"),
    [
        ("水利部2020年政务公开工作要点", True),
        ("海关总署2020年政务公开工作要点", True),
        ("国家统计局2020年政务公开工作要点", True),
        ("区委宣传部2020年政务公开工作要点", False),
        ("市教育局2020年政务公开工作要点", False),
        ("2020年政务公开工作要点", False),
    ],
)
def test_central_organ_names(name: str, central: bool) -> None:
    from extractors.layout.metadata import _MINISTRY

    assert bool(_MINISTRY.match(name)) is central
