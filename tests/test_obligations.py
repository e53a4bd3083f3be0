"""Obligations: frequencies, strength, and clause subjects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from extractors.components.obligations import find_frequencies, find_obligations, find_strength


@dataclass(frozen=True)
class Ag:
    """A stand-in agency match."""

    start: int
    end: int
    name: str


def _agencies(sentence: str, names: list[str]) -> list[Ag]:
    out = []
    for n in names:
        i = sentence.index(n)
        out.append(Ag(i, i + len(n), n))
    return out


@pytest.mark.parametrize(
    ("text", "count", "comparator", "period"),
    [
        ("每年至少召开1次", 1, "min", "year"),
        ("年内组织开展政策解读活动不少于5次", 5, "min", None),
        ("每年至少组织2次", 2, "min", "year"),
        ("原则上每年至少5次", 5, "min", "year"),
        ("每季度1次", 1, "exact", "quarter"),
        ("每季度", 1, "exact", "quarter"),
        ("每月通报", 1, "exact", "month"),
        ("每年年初", 1, "exact", "year"),
        ("每年至少开展一次", 1, "min", "year"),
        ("定期通报", None, "exact", None),
    ],
)
def test_obligations_frequencies(text: str, count: int | None, comparator: str, period: str | None) -> None:
    """Each frequency form gives count, comparator and period."""
    (_, _, f), *_ = find_frequencies(text)
    assert (f.count, f.comparator, f.period) == (count, comparator, period)


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("重要信息须经主要负责同志审核", "须"),
        ("必须严格执行", "必须"),
        ("应当依法公开", "应当"),
        ("各单位要加强领导", "要"),
        ("严格落实制度", "严格"),
        ("鼓励有条件的地区先行先试", "鼓励"),
        ("探索建立机制", "探索"),
        ("可视情况组织", "可"),
        ("做好政务公开工作要点的主要内容", None),
        ("及时回应关切，相应调整", None),
    ],
)
def test_obligations_strength(text: str, strength: str | None) -> None:
    """The first real modal is the strength; 要点/主要/回应/相应 are not modals."""
    assert find_strength(text) == strength


@pytest.mark.parametrize(
    ("sentence", "agencies", "actors"),
    [
        ("局办公室统一做好信息发布工作。", ["局办公室"], ["局办公室"]),
        ("各单位要加强组织领导。", ["各单位"], ["各单位"]),
        ("区政府办公室定期通报检查情况。", ["区政府办公室"], ["区政府办公室"]),
        (
            "县级政府信息公开工作主管部门及财政部门要推动预决算公开。",
            ["县级政府信息公开工作主管部门", "财政部门"],
            ["县级政府信息公开工作主管部门", "财政部门"],
        ),
        ("由西湖区司法局牵头开展评估。", ["西湖区司法局"], ["西湖区司法局"]),
    ],
)
def test_obligations_subject(sentence: str, agencies: list[str], actors: list[str]) -> None:
    """An agency at the clause start followed by a predicate is the obligation's actor."""
    (ob,) = find_obligations(sentence, _agencies(sentence, agencies), 2023)
    assert ob.actors == actors and ob.actor_source == "subject"


@pytest.mark.parametrize(
    ("sentence", "agencies"),
    [
        ("各单位主要负责同志要亲自部署。", ["各单位"]),
        ("要加强对区司法局的指导。", ["区司法局"]),
    ],
)
def test_obligations_no_agency_subject(sentence: str, agencies: list[str]) -> None:
    """A post, or an agency that is not at the clause start, is no subject: the obligation is actorless."""
    (ob,) = find_obligations(sentence, _agencies(sentence, agencies), 2023)
    assert ob.actors == [] and ob.strength == "要"


def test_obligations_fields() -> None:
    """Deadline, frequency, terms and continuation clauses are gathered per obligation."""
    s = (
        "各区县政府要严格落实“三同步”制度，每年至少召开1次政府开放活动，"
        "2023年12月底前完成；区政府办公室定期通报。"
    )
    obs = find_obligations(s, _agencies(s, ["各区县政府", "区政府办公室"]), 2023)
    assert [o.actors for o in obs] == [["各区县政府"], ["区政府办公室"]]
    first = obs[0]
    assert first.deadline == date(2023, 12, 31)
    assert first.frequency is not None and first.frequency.count == 1
    assert first.mechanisms == ["mechanism/san-tongbu", "mechanism/zhengfu-kaifang-huodong"]


def test_obligations_clause_without_modal_or_subject() -> None:
    """A clause with neither a subject nor a modal gives no obligation."""
    assert find_obligations("政务公开工作取得新成效。", [], 2023) == []
