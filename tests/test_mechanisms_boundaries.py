"""Tests for mechanism name boundaries: no leading verb, no dated document title."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.reading.normalize import normalize_str


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("编制并公布政策兑现事项清单。", "政策兑现事项清单"),
        ("及时更新行政执法事项清单。", "行政执法事项清单"),
    ],
)
def test_mechanisms_name_without_leading_verb(text: str, name: str) -> None:
    """公布/更新/编制 before a list name is the verb, not part of the name."""
    assert [m.name for m in find_mechanisms(normalize_str(text))] == [name]


def test_mechanisms_dated_title_is_no_mechanism() -> None:
    """A dated document title ending in 清单 (2022年…任务清单) is not a mechanism."""
    assert find_mechanisms(normalize_str("印发2022年西湖区政务公开重点工作任务清单。")) == []
