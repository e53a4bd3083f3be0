"""Site chrome of reposting pages: header widgets, breadcrumbs, footers (made-up lines of real shapes)."""

from __future__ import annotations

import pytest

from extractors.reading.clean import clean, is_chrome


@pytest.mark.parametrize(
    "line",
    [
        "您当前所在位置:首页>信息公开>政策文件>市级",
        "您现在的位置 : 首页 > 政务公开",
        "网站首页: 主页 > 通知公告 >",
        "今天是:",
        "今天是:2023年5月6日 星期六",
        "登录 | 注册",
        "熱搜詞:营商环境 就业 医保",
        "微信公众号",
        "文章正文",
        "主办:九江市人民政府办公室承办:九江市大数据中心",
        "主办单位:株洲市人民政府 技术支持:某某科技",
        "为了您更好的体验,建议使用谷歌chrome、火狐Firefox等浏览器访问",
    ],
)
def test_chrome_line(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "来源:九江市人民政府办公室 时间:2021-01-12 10:01",
        "发布机构: 株洲市人民政府 成文日期: 2022-08-09",
        "各县(市、区)人民政府,市政府各部门:",
        "九江市人民政府办公室",
        "(三)做好政务新媒体和微信公众号管理。",
        "位置:市民中心二楼",
        "主办单位要落实主体责任,按要求公开信息。",
    ],
)
def test_content_line_is_kept(line: str) -> None:
    assert not is_chrome(line)


def test_chrome_lines_leave_the_document() -> None:
    page = "今天是:\n微信公众号\n您当前所在位置:首页>政务公开\n九江市2023年政务公开工作要点\n一、总体要求\n"
    assert clean(page).text.strip() == "九江市2023年政务公开工作要点\n一、总体要求"
