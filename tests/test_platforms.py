"""find_platforms: curated channel types, quoted names before heads, unquoted head phrases."""

from __future__ import annotations

import pytest

from extractors.components.platforms import find_platforms


def _names(text: str) -> list[str]:
    return [m.name for m in find_platforms(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("畅通市12345市民服务热线", "12345市民服务热线"),
        ("通过12345 热线受理", "12345市民服务热线"),
        ("加强市政府网站建设", "政府门户网站"),
        ("用好区级政务服务大厅", "政务服务大厅"),
        ("优化全市政府信息依申请公开办理系统", "政府信息依申请公开办理系统"),
        ("录入市政府文件库", "市政府文件库"),
        ("在政府公报、报纸、广播、电视上发布", "政府公报"),
        ("做好“市长信箱”的协助办理", "领导信箱"),
    ],
)
def test_platforms_known(text: str, name: str) -> None:
    """Curated platforms are found under their canonical name."""
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("杭州市西湖区依托“浙里办”平台", "浙里办"),
        ("依托“粤省事”企业服务综合平台", "粤省事"),
        ("做强“朝阳通”客户端", "朝阳通"),
        ("做优做强“政务公开看西湖”栏目", "“政务公开看西湖”栏目"),
        ("优化提升“双随机、一公开”监管平台", "“双随机、一公开”监管平台"),
        ("通过企业诉求“接诉即办”平台", "企业诉求“接诉即办”平台"),
        ("通过“浙里办”和“浙政钉”等平台", "浙政钉"),
        ("建成绥化市依申请公开平台", "绥化市依申请公开平台"),
        ("市政府文件库和区县政策文件集中发布平台", "区县政策文件集中发布平台"),
        ("设立政策咨询综合服务窗口", "政策咨询综合服务窗口"),
    ],
)
def test_platforms_shape(text: str, name: str) -> None:
    """Quoted names before heads and unquoted head phrases become platforms."""
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "推进平台建设",
        "依托相关平台",
        "培育优质精品账号",
        "充分利用网站",
        "政务新媒体等平台",
        "健全工作机制",
    ],
)
def test_platforms_negatives(text: str) -> None:
    """Generic phrases and bare heads are not platforms."""
    assert [n for n in _names(text) if n not in ("政务新媒体",)] == []
