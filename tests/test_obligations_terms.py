"""find_obligations with terms found beforehand gives the same drafts as finding them itself."""

from __future__ import annotations

import pytest

from extractors.components.mechanisms import find_mechanisms
from extractors.components.obligations import find_obligations
from extractors.components.platforms import find_platforms

CASES = [
    "杭州市西湖区政务公开办要健全政府信息公开申请登记制度，依托区政府门户网站定期发布。",
    "各单位要严格落实“三同步”工作制度，2024年6月底前完成政务服务事项清单更新。",
    "成都市教育局负责完善政策解读机制，每季度至少召开1次新闻发布会。",
]


@pytest.mark.parametrize("sentence", CASES)
def test_given_terms_match_found_terms(sentence: str) -> None:
    """Passing the sentence's platform and mechanism matches changes nothing."""
    terms = find_platforms(sentence) + find_mechanisms(sentence)
    assert terms, "the case should hold at least one term"
    assert find_obligations(sentence, [], 2024, terms) == find_obligations(sentence, [], 2024)
