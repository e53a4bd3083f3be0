"""Tests for responsibility notes in other styles: role-ended lists and labelled 处室 notes."""

from __future__ import annotations

import pytest

from extractors.layout.structure import find_notes, outline
from extractors.reading.normalize import MappedText, normalize


def _notes(text: str) -> list[str]:
    norm = normalize(MappedText.identity(text)).text
    return [n for _, _, n in find_notes(norm, 0, len(norm))]


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        (
            "做好解读。（省发展改革委、省财政厅牵头，各市、县（市、区）人民政府按职责分工负责）",
            "省发展改革委、省财政厅牵头,各市、县(市、区)人民政府按职责分工负责",
        ),
        ("开展评估。（市政府办公室牵头，各区、县（市）政府配合）", "市政府办公室牵头,各区、县(市)政府配合"),
        ("公示结果。（牵头处室：局信用监管处；责任单位：各分局）", "局信用监管处;责任单位:各分局"),
        (
            "公开目录。〔牵头单位：市司法局；责任单位：各区人民政府，市各有关部门〕",
            "市司法局;责任单位:各区人民政府,市各有关部门",
        ),
    ],
)
def test_structure_notes_other_styles(text: str, listed: str) -> None:
    """Role-ended parenthesised lists and 牵头处室 notes are responsibility notes."""
    assert _notes(text) == [listed]


@pytest.mark.parametrize(
    "text",
    ["公开信息（含附件）。", "要在网站公开（区政府办公室负责）。再说一句。", "做好工作（不含涉密信息）。"],
)
def test_structure_notes_not_asides(text: str) -> None:
    """An aside or a mid-sentence parenthesis is no note."""
    assert _notes(text) == []


def test_structure_role_note_kept_out_of_sentences() -> None:
    """A role-ended note is the item's note, not one of its sentences."""
    note = "（省司法厅牵头，省直各部门按职责分工负责）"
    text = f"一、总体\n（一）做好公开。要公开信息。{note}\n（二）加强解读。\n"
    item = outline(normalize(MappedText.identity(text))).items[0]
    assert item.responsibility_note == "省司法厅牵头,省直各部门按职责分工负责"
    assert all("牵头" not in s.text for s in item.sentences)
