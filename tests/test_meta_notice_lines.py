"""Metadata on notices whose head lines carry more than one field (made-up pages of the same shapes)."""

from __future__ import annotations

from datetime import date

from extractors.layout.metadata import read_metadata
from extractors.layout.structure import outline
from extractors.reading.clean import clean
from extractors.reading.normalize import normalize
from extractors.records import Metadata

BODY = "一、总体要求\n（一）做好公开。\n（二）做好解读。\n"


def _meta(head: str) -> Metadata:
    text = normalize(clean(head + BODY))
    return read_metadata(text, outline(text))


def test_number_before_notice_on_one_line() -> None:
    meta = _meta(
        "甘政办发〔2019〕12号 甘肃省人民政府办公厅关于印发2019年甘肃省政务公开工作要点的通知\n"
        "各市州人民政府,省政府各部门:\n现将《2019年甘肃省政务公开工作要点》印发给你们。\n"
        "甘肃省人民政府办公厅\n2019年4月3日\n2019年甘肃省政务公开工作要点\n"
    )
    assert meta.notice_title == "甘肃省人民政府办公厅关于印发2019年甘肃省政务公开工作要点的通知"
    assert meta.doc_number == "甘政办发〔2019〕12号"
    assert meta.issuer == "甘肃省人民政府办公厅"


def test_number_after_notice_in_brackets() -> None:
    meta = _meta("关于印发《水利部2020年政务公开工作实施方案》的通知(办函[2020]7号)\n机关各司局:\n")
    assert meta.notice_title == "关于印发《水利部2020年政务公开工作实施方案》的通知"
    assert meta.doc_number == "办函〔2020〕7号"


def test_notice_in_table_row_and_signature_with_date() -> None:
    meta = _meta(
        "文号: | 成文日期: | ||\n"
        "宁波市人民政府办公厅关于印发2022年宁波市政务公开工作要点的通知 | ||||||\n"
        "各区县(市)人民政府,市政府各部门:\n"
        "宁波市人民政府办公厅 2022年5月9日\n2022年宁波市政务公开工作要点\n"
    )
    assert meta.notice_title == "宁波市人民政府办公厅关于印发2022年宁波市政务公开工作要点的通知"
    assert meta.date == date(2022, 5, 9)


def test_wrapped_notice_line_and_number_of_forwarded_notice() -> None:
    meta = _meta(
        "湘政办发〔2020〕9号《湖南省人民政府办公厅关于印发2020年湖南省政务公开工作要点的通知》\n"
        "各市州人民政府:\n"
        "现将《湖南省人民政府办公厅关于印发2020年湖南省政务公开\n"
        "工作要点的通知》(湘政办发〔2020〕 9号)转发给你们。\n"
    )
    assert meta.notice_title == "湖南省人民政府办公厅关于印发2020年湖南省政务公开工作要点的通知"
    assert meta.doc_number == "湘政办发〔2020〕9号"


def test_page_stamp_before_signature_date() -> None:
    """A page's publisher-and-date line above the notice does not date the document."""
    meta = _meta(
        "湖州市人民政府办公室关于印发2018年湖州市政务公开工作要点的通知\n市政府办公室 2018年05月30日\n"
        "各区县人民政府:\n现印发给你们。\n湖州市人民政府办公室\n2018年5月28日\n"
    )
    assert meta.date == date(2018, 5, 28)


def test_lost_indentation_marks() -> None:
    meta = _meta("??2024年泉州市政务公开工作要点\n??泉州市人民政府办公室\n??2024年3月1日\n")
    assert meta.title == "2024年泉州市政务公开工作要点"
    assert meta.date == date(2024, 3, 1)


def test_title_broken_inside_book_marks() -> None:
    meta = _meta(
        "温州市贯彻《浙江省政务公开\n五年行动计划(2021—2025年)》实施方案\n为贯彻落实有关要求,制定本方案。\n"
    )
    assert meta.title == "温州市贯彻《浙江省政务公开五年行动计划(2021—2025年)》实施方案"


def test_slash_time_stamp_dates_a_report() -> None:
    meta = _meta("西安区人民政府办公室2021年政府信息公开工作年度报告\n2022/2/8 10:21:05 来源:区政府办\n")
    assert meta.date == date(2022, 2, 8)
    assert meta.year == 2021


def test_generated_date_label() -> None:
    meta = _meta("发布机构: 芜湖市人民政府 生成日期: 2019-07-02\n2019年芜湖市政务公开工作要点\n")
    assert meta.date == date(2019, 7, 2)


def test_breadcrumb_column_names_issuer() -> None:
    meta = _meta(
        "通化市政府信息公开专栏 >> 通化市人民政府办公室 >> 政府信息公开制度\n"
        "关于印发2020年全市政务公开工作任务的通知\n"
    )
    assert meta.issuer == "通化市人民政府办公室"
    assert meta.jurisdiction == "通化市"


def test_excerpt_without_head_takes_place_of_cited_rules() -> None:
    meta = _meta("1.按照《云南省行政权力清单管理办法》要求,及时公开权责清单。\n")
    assert meta.jurisdiction == "云南省"
    assert meta.issuer is None


def test_title_naming_its_organ_gives_the_issuer() -> None:
    meta = _meta("遵义市生态环境局2022年政务公开工作要点\n为做好全年工作,制定本要点。\n")
    assert meta.issuer == "遵义市生态环境局"
    assert meta.jurisdiction == "遵义市"


def test_page_title_in_brackets() -> None:
    meta = _meta("【2021年德阳市政务公开工作要点】\n来源:德阳市人民政府 发布时间:2021-06-03 10:11\n")
    assert meta.title == "2021年德阳市政务公开工作要点"
    assert meta.jurisdiction == "德阳市"


def test_cited_rules_of_a_province_and_its_city() -> None:
    meta = _meta("1.按照《四川省政务公开条例》和《泸州市政策解读工作细则》要求,做好解读。\n")
    assert meta.jurisdiction == "泸州市"
