"""Platforms: unquoted names listed with platforms, and alias surfaces of quoted names."""

from __future__ import annotations

import pytest

from extractors.components.platforms import find_platforms


def _names(text: str) -> list[str]:
    return [m.name for m in find_platforms(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("决策草案通过江苏之窗和省政府门户网站公开征求意见。", "江苏之窗"),
        ("用好蓉易办、政务新媒体等平台发布政策。", "蓉易办"),
        ("依托政府门户网站和皖事通等平台推送政策。", "皖事通"),
        ("依托政府门户网站和闽政通等平台推送政策。", "闽政通"),
    ],
)
def test_unquoted_name_listed_with_platforms(text: str, name: str) -> None:
    """A 3–10 character name coordinated with a platform in a platform list is a platform."""
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("持续推进政务公开与市12345市民服务热线融合发展。", "政务公开"),
        ("实现全程网办、跟踪、监督和案例库全市共享。", "监督"),
        ("采取征集调查、舆情监测、网络问政等方式开展评价。", "舆情监测"),
        ("武汉市政务服务和大数据管理局和市政府门户网站同步发布。", "武汉市政务服务和大数据管理局"),
    ],
)
def test_non_platforms_in_lists_stay_out(text: str, word: str) -> None:
    """Generic stems, verbs, lists with a non-channel 等 frame and agencies are not platforms."""
    assert word not in _names(text)


@pytest.mark.parametrize(
    ("text", "name", "surface"),
    [
        ("依托“秦务员”等平台推送政策。", "秦务员", "“秦务员”"),
        ("依托“秦务员”平台推送政策。", "秦务员", "“秦务员”平台"),
        ("关注“鼓楼发布”等公众号。", "鼓楼发布", "“鼓楼发布”"),
    ],
)
def test_quoted_name_surface_excludes_the_frame(text: str, name: str, surface: str) -> None:
    """等平台 after a quoted name is neither part of the name nor of its alias surface."""
    found = [(m.name, m.surface) for m in find_platforms(text)]
    assert (name, surface) in found
