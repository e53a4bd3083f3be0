"""Tests for quoted new-media accounts and forums as platforms, not mechanisms."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.components.platforms import find_platforms
from extractors.reading.normalize import normalize_str


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("通过“西湖发布”、新闻发布会等多渠道开展政策解读。", "西湖发布"),
        ("“厦门发布”等重点政务新媒体要加强转载。", "厦门发布"),
        ("区融媒体中心负责“青岛发布”的日常运维。", "青岛发布"),
        ("群众可通过“浙江在线”反映诉求。", "浙江在线"),
    ],
)
def test_platforms_quoted_channel_by_ending(text: str, name: str) -> None:
    """A quoted name ending in 发布/在线/之窗 is a channel, never a mechanism."""
    norm = normalize_str(text)
    assert name in [m.name for m in find_platforms(norm)]
    assert name not in [m.name for m in find_mechanisms(norm)]


def test_platforms_quoted_forum() -> None:
    """A quoted name followed by 论坛 is a platform."""
    names = [m.name for m in find_platforms(normalize_str("推动热线与“钱江在线”论坛数据共享。"))]
    assert any("钱江在线" in n for n in names)


@pytest.mark.parametrize(
    "text",
    ["局办公室负责局门户网站的日常管理。", "市政务办牵头市民服务平台的建设。"],
)
def test_platforms_name_never_starts_with_agency_and_verb(text: str) -> None:
    """A platform name never swallows the agency and role verb before it (X负责Y网站)."""
    names = [m.name for m in find_platforms(normalize_str(text))]
    assert not any(v in n for n in names for v in ("负责", "牵头"))
