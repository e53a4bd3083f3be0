"""A bare channel type in a document that names one channel of that type is that channel."""

from __future__ import annotations

from extractors.assemble import named_instances
from extractors.components.schemes import TermMatch


def _t(name: str, key: str, start: int = 0) -> TermMatch:
    return TermMatch(start, start + len(name), name, name, key, "platform", True)


GENERIC = "platform/zhengwu-fuwu-wang"


def test_bare_type_is_the_documents_one_named_channel() -> None:
    """政务服务网 after 浙江政务服务网 in one document is 浙江政务服务网."""
    terms = [_t("浙江政务服务网", "浙江政务服务网"), _t("政务服务网", GENERIC, 30)]
    assert [(t.key, t.name) for t in named_instances(terms)] == [("浙江政务服务网", "浙江政务服务网")] * 2


def test_bare_type_stays_the_concept_with_two_named_channels() -> None:
    """With two named sites of the type, the bare mention stays the national concept."""
    terms = [
        _t("浙江政务服务网", "浙江政务服务网"),
        _t("江苏政务服务网", "江苏政务服务网", 9),
        _t("政务服务网", GENERIC, 30),
    ]
    assert named_instances(terms)[2].key == GENERIC


def test_bare_type_alone_stays_the_concept() -> None:
    """Without a named site the bare mention is the concept."""
    assert named_instances([_t("政务服务网", GENERIC)])[0].key == GENERIC
