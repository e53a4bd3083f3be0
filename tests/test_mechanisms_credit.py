"""Tests for the national credit-regulation mechanisms of the scheme."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.reading.normalize import normalize_str


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("做好经营异常名录、严重违法失信名单列入和移出信息的公示。", ["经营异常名录", "严重违法失信名单"]),
        ("行政处罚、信用修复等信息及时在网站公开。", ["信用修复"]),
        ("公开轻微违法行为不予处罚清单，推行“首违不罚”。", ["轻微违法行为不予处罚清单", "首违不罚"]),
    ],
)
def test_mechanisms_credit_vocabulary(text: str, names: list[str]) -> None:
    """信用修复, 经营异常名录, 严重违法失信名单, 不予处罚清单 and 首违不罚 are mechanisms."""
    assert [m.name for m in find_mechanisms(normalize_str(text))] == names
