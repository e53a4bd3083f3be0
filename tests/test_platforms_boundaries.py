"""find_platforms: left boundaries, app brands, typed channels, owners, stations and gazettes (issue #4)."""

from __future__ import annotations

import pytest

from extractors.components.platforms import find_platforms
from extractors.reading.normalize import normalize_str


def names(text: str) -> list[str]:
    return [m.name for m in find_platforms(normalize_str(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("对12315投诉举报热线反映的问题及时回应", ["12315投诉举报热线"]),
        ("区融媒体中心负责区网站和政务新媒体的日常运维", ["政府门户网站", "政务新媒体"]),
        ("每月开展一次朝阳区人民政府网和政务新媒体检查", ["政府门户网站", "政务新媒体"]),
        ("年底前建成企业环境信息依法披露系统", ["企业环境信息依法披露系统"]),
        ("统一通过广东省行政规范性文件数据库统一公开", ["广东省行政规范性文件数据库"]),
    ],
)
def test_platforms_left_boundary(text: str, expected: list[str]) -> None:
    """Prepositions, role verbs and measure words stop the left scan; a close adverb does not."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托“浙里办”持续丰富惠企政策专栏内容", ["浙里办", "惠企政策专栏"]),
        ("依托“粤商通”涉企政策专栏推行“免申即享”", ["粤商通", "涉企政策专栏"]),
        ("推动“京通”移动端与门户网站信息同源发布", ["京通", "政府门户网站"]),
        ("“皖事通”办事事项做到与网站同源更新", ["皖事通"]),
    ],
)
def test_platforms_app_brands(text: str, expected: list[str]) -> None:
    """Quoted app and portal brands are channels, and a column after them is a platform of its own."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    ["落实惠民惠农财政补贴资金“一卡通”管理", "通过“跨省通办”实现", "推行“接诉即办”"],
)
def test_platforms_app_shapes_that_are_schemes(text: str) -> None:
    """App-shaped names governing a procedure word, service modes and procedures are not channels."""
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("通过区政府门户网站和“杭州西湖”政务新媒体开展解读", ["政府门户网站", "“杭州西湖”政务新媒体"]),
        ("通过“西湖发布”政务新媒体开展解读", ["西湖发布", "政务新媒体"]),
    ],
)
def test_platforms_typed_quotes(text: str, expected: list[str]) -> None:
    """A quoted place before a channel type keeps the type; a channel name (…发布) stands alone."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在广东省人民政府网站公开", ["政府门户网站"]),
        ("在省教育厅门户网站公开", ["政府门户网站"]),
        ("在成都市教育局网站集中发布", ["政府门户网站"]),
        ("在北京市人民政府门户网站公开", ["政府门户网站"]),
        ("并于政府网站政府信息公开专栏集中公开", ["政府门户网站", "政府信息公开专栏"]),
    ],
)
def test_platforms_owned_portals(text: str, expected: list[str]) -> None:
    """A government's or department's own website, named in full or not, is the 政府门户网站 (seeds' gold)."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("抽查结果在“信用中国（广东广州）”公示", ["信用中国(广东广州)"]),
        ("通过信用中国（黑龙江绥化）网站公示", ["信用中国(黑龙江绥化)"]),
        ("《湖北省人民政府公报》按月出版", ["湖北省人民政府公报"]),
        ("要依托浙江政务服务网公开政务服务事项目录", ["浙江政务服务网"]),
    ],
)
def test_platforms_national_sites(text: str, expected: list[str]) -> None:
    """National sites keep a regional station; a government's named gazette is its own platform."""
    assert names(text) == expected
