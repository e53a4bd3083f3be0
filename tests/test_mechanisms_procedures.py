"""find_mechanisms: named procedures outside the scheme, national additions, platforms inside phrases."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.reading.normalize import normalize_str


def names(text: str) -> list[str]:
    return [m.name for m in find_mechanisms(normalize_str(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("严格执行重大行政决策预公开，决策草案公开征求意见", ["重大行政决策预公开"]),
        ("推进环境信息依法披露。", ["环境信息依法披露"]),
        (
            "每年至少组织4次环保设施和城市污水垃圾处理设施向公众开放活动",
            ["环保设施和城市污水垃圾处理设施向公众开放"],
        ),
        ("严格执行建设项目环评审批公示，市环评处负责", ["建设项目环评审批公示"]),
        ("严格执行招标投标信息公示，", ["招标投标信息公示"]),
    ],
)
def test_mechanisms_procedures(text: str, expected: list[str]) -> None:
    """…预公开/…依法披露/…向公众开放/…公示 governed by 执行/推进 are named procedures."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    ["推进财政预决算公开。", "在局网站公示结果", "严格执行政务公开，"],
)
def test_mechanisms_procedure_negatives(text: str) -> None:
    """Disclosure work areas and verb phrases are not procedures."""
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要依托浙江政务服务网公开政务服务事项目录", ["政务服务事项目录"]),
        ("建立热线高频咨询问题与政策解读联动机制。", ["热线高频咨询问题与政策解读联动机制"]),
        ("全面落实执法全过程记录制度", ["执法全过程记录制度"]),
    ],
)
def test_mechanisms_boundaries_platforms_and_verbs(text: str, expected: list[str]) -> None:
    """A platform with its verb cuts a phrase, a platform word without one does not."""
    assert names(text) == expected
