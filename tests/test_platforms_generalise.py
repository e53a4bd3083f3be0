"""Platform rules on snippets from places outside the seeds and the held-out set (written here)."""

from __future__ import annotations

import pytest

from extractors.components.platforms import find_platforms
from extractors.reading.normalize import normalize_str


def names(text: str) -> list[str]:
    return [m.name for m in find_platforms(normalize_str(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托江苏政务服务网发布", "江苏政务服务网"),
        ("推动事项在四川政务服务网上线", "四川政务服务网"),
        ("在福建省政务服务网和", "福建省政务服务网"),
        ("在南京市政务服务网集中发布", "南京市政务服务网"),
        ("推动内蒙古政务服务网上线", "内蒙古政务服务网"),
    ],
)
def test_platforms_place_prefixed_portal(text, expected):
    """A place before 政务服务网 names that place's own portal."""
    assert expected in names(text)


@pytest.mark.parametrize("text", ["在政务服务网办理", "在省政务服务网办理"])
def test_platforms_unprefixed_portal_stays_generic(text):
    """Without a place name the portal is the national concept."""
    assert names(text) == ["政务服务网"]


def test_platforms_traditional_surface_gives_simplified_name():
    """Names come from the normalised text even when the surface is traditional."""
    assert "上海市政务服务网" in names("在上海市政務服務網同步發佈")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托“鼓楼发布”政务微博、微信，及时回应", ["鼓楼发布", "政务微博", "微信"]),
        ("做好“雁塔发布”政务新媒体的内容保障", ["雁塔发布", "政务新媒体"]),
        ("依托“江苏政务钉”建立整改工作群", ["江苏政务钉"]),
        ("用好“南京发布”、“我的南京”等渠道", ["南京发布", "我的南京"]),
        ("通过“江城发布”和“武汉发布”等政务新媒体发布", ["江城发布", "武汉发布", "政务新媒体"]),
        ("推动“闽政通”“八闽快办”和“e福州”政府服务自助机同步", ["闽政通", "八闽快办", "e福州"]),
    ],
)
def test_platforms_quoted_channels(text, expected):
    """Quoted names governed as channels (verb, channel type, 等渠道, coordination) are platforms."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "通过“双随机、一公开”监管",
        "深化“最多跑一次”改革",
        "通过“跨省通办”实现",
        "通过“掌上办”“网上办”方式",
    ],
)
def test_platforms_quoted_procedures_are_not_channels(text):
    """Quoted mechanisms, reforms and slogans after a channel verb stay out."""
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("依托依申请公开网上办理系统实现全流程办理", "依申请公开网上办理系统"),
        ("在政务公开专区和村（居）公开栏同步公开", "村(居)公开栏"),
    ],
)
def test_platforms_head_followed_by_predicate(text, expected):
    """A head followed by a predicate (实现, 同步) still ends a platform name."""
    assert expected in names(text)


@pytest.mark.parametrize("text", ["推进平台建设", "完善制度体系", "加强系统集成"])
def test_platforms_head_as_modifier_is_skipped(text):
    """A head used as a modifier of another noun is not a platform."""
    assert names(text) == []


@pytest.mark.parametrize(
    "text",
    ["依托12345市长公开电话回应关切", "拨打西安12345市民热线", "开通12345市长热线", "12345政务服务便民热线"],
)
def test_platforms_hotline_variants(text):
    """Local names of the 12345 hotline are the national hotline concept."""
    assert [m.key for m in find_platforms(normalize_str(text))] == ["platform/hotline-12345"]
