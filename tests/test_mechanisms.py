"""find_mechanisms: curated concepts, quoted procedures, head nouns, and what is not a mechanism."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms


def _names(text: str) -> list[str]:
    return [m.name for m in find_mechanisms(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("严格落实政策解读“三同步”工作制度", "三同步"),
        ("认真落实“三同步”工作机制", "三同步"),
        ("严格执行“三审三校”制度", "三审三校"),
        ("持续推进“双随机一公开”、互联网+监管", "双随机、一公开"),
        ("编制主动公开事项目录制度", "主动公开事项目录"),
        ("完善主动公开基本目录", "主动公开事项目录"),
        ("公开重大行政决策事项年度目录", "重大行政决策事项目录"),
        ("组织开展“政府开放月”活动", "政府开放活动"),
        ("办好政府开放日", "政府开放活动"),
        ("推行公众代表列席区政府常务会议", "公众代表列席"),
        ("发布权责清单和市场准入负面清单", "权责清单"),
        ("落实政务新媒体信息发布审核机制", "信息发布审核制度"),
        ("推进村(居)务公开", "村(居)务公开"),
    ],
)
def test_mechanisms_known(text: str, name: str) -> None:
    """Curated concepts are found under their canonical label, aliases and suffixes absorbed."""
    assert name in _names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("北京市朝阳区推行“吹哨报到”工作机制", "吹哨报到"),
        ("杭州市西湖区推进“最多跑一次”改革", "最多跑一次"),
        ("按照“谁发布、谁解读”的原则", "谁发布、谁解读"),
        ("广东省实现“一件事一次办”，", "一件事一次办"),
        ("绥棱县建立公文公开属性源头认定机制", "公文公开属性源头认定机制"),
        ("成都市教育局健全政策执行情况评估机制", "政策执行情况评估机制"),
    ],
)
def test_mechanisms_shape(text: str, name: str) -> None:
    """Unknown quoted procedures and head phrases are found with a clean left boundary."""
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "以“项目提升年”为总牵引",
        "锚定区委“12345”发展思路",
        "为加快打造“五个济南”贡献力量",
        "持续提升“泉诚公开”品牌影响力",
        "聚焦“十四五”规划做好信息公开",
        "推进义务教育“双减”信息公开",
        "打通政务公开“最后一公里”",
        "建立长效机制，完善配套制度，健全工作机制，完善相关制度",
        "健全政务公开工作机制",
        "做好《山东省政策文件库管理办法》解读",
    ],
)
def test_mechanisms_negatives(text: str) -> None:
    """Campaigns, brands, slogans, modifiers and generic phrases are not mechanisms."""
    assert _names(text) == []


def test_mechanisms_offsets_map_through_whitespace() -> None:
    """A name broken by a line break is found, with offsets into the given text."""
    text = "严格落实“三\n同步”工作制度"
    m = find_mechanisms(text)[0]
    assert m.name == "三同步" and text[m.start : m.end].replace("\n", "") == m.surface
