"""Tests for the document outline: headings, refs, notes, page-break joins and the seeds' gold refs."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from extractors.layout.lines import find_heading, split_sentences
from extractors.layout.structure import outline
from extractors.reading.normalize import MappedText, normalize

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
GOLD = Path("/work/shared/gold")


def _outline(text: str):
    return outline(normalize(MappedText.identity(text)))


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


@pytest.mark.parametrize(
    ("line", "rank", "label"),
    [
        ("一、推进重点工作政务公开", 1, "一"),
        ("十二、其他", 1, "十二"),
        ("(一)推进重点任务信息公开。", 2, "（一）"),
        ("(十) 推进政务公开数字化转型。", 2, "（十）"),
        ("  (十六)推进品牌建设。", 2, "（十六）"),
        ("1.加强组织领导。", 3, "1"),
        ("2、健全机制。", 3, "2"),
        ("(1)明确责任。", 4, "（1）"),
        ("①做好解读。", 5, "①"),
    ],
)
def test_structure_heading_kinds(line: str, rank: int, label: str) -> None:
    """Each numbering style at a line start is a heading of its rank."""
    head = find_heading(line)
    assert head is not None and (head.rank, head.label) == (rank, label)


@pytest.mark.parametrize("line", ["2025年,全区要做好", "1.5亿元资金", "各单位要落实一、二两项", "一、"])
def test_structure_not_headings(line: str) -> None:
    """Numbers that are not headings (years, decimals, mid-line, empty) are ignored."""
    assert find_heading(line) is None


def test_structure_nested_refs() -> None:
    """Refs join numbers from the top; a section with children is not itself an item."""
    text = (
        "杭州市西湖区2024年政务公开工作要点\n一、总体\n(一)甲事项。内容。\n1.子项一。\n2.子项二。\n"
        "(二)乙事项。\n二、保障\n1.直接子项。\n三、其他要求。\n"
    )
    refs = [(i.ref, i.title, i.parent_ref) for i in _outline(text).items]
    assert refs == [
        ("一/（一）", "甲事项", "一"),
        ("一/（一）/1", "子项一", "一/（一）"),
        ("一/（一）/2", "子项二", "一/（一）"),
        ("一/（二）", "乙事项", "一"),
        ("二/1", "直接子项", "二"),
        ("三", "其他要求", None),
    ]


def test_structure_restart_and_continuous_numbering() -> None:
    """（一） restarting under each section and numbering running across sections both work."""
    restart = "一、甲\n(一)子甲。\n二、乙\n(一)子乙。\n"
    running = "一、甲\n(一)子甲。\n二、乙\n(二)子乙。\n"
    assert [i.ref for i in _outline(restart).items] == ["一/（一）", "二/（一）"]
    assert [i.ref for i in _outline(running).items] == ["一/（一）", "二/（二）"]


def test_structure_no_visible_parent() -> None:
    """An item without a section above it has a bare ref."""
    assert [i.ref for i in _outline("（一）做好公开。\n（二）加强解读。\n").items] == ["（一）", "（二）"]


def test_structure_ignores_attachment_and_junk() -> None:
    """Numbered junk before the outline and the 附件 line after it are not items."""
    text = "    1. <blockquote id='x'></blockquote>\n一、总体\n(一)做好公开。\n附件:1.任务分工表\n"
    assert [i.ref for i in _outline(text).items] == ["一/（一）"]


@pytest.mark.parametrize(
    ("note", "listed"),
    [
        ("（责任单位：各区县政府、市政府各部门）", "各区县政府、市政府各部门"),
        ("〔责任单位：成都市教育局〕", "成都市教育局"),
        ("【牵头单位：区政府办公室】", "区政府办公室"),
        ("（责任单位：区政府各部门（单位））", "区政府各部门(单位)"),
        ("（责任单位：\n\n各区县政府、市政府各部门)", "各区县政府、市政府各部门"),
    ],
)
def test_structure_responsibility_note(note: str, listed: str) -> None:
    """A 责任单位 note in any bracket, nested or broken over lines, is read and kept out of sentences."""
    text = f"一、总体\n（一）做好公开。要公开信息。{note}\n（二）加强解读。\n"
    item = _outline(text).items[0]
    assert item.responsibility_note == listed
    assert all("责任" not in s.text and "牵头" not in s.text for s in item.sentences)


def test_structure_joins_page_breaks() -> None:
    """A line cut mid-sentence is joined to the next one, and a heading is never joined."""
    text = "一、总体\n（一）做好公开。加大社会保险待遇等\n\n政策的解读。\n（二）加强解读。\n"
    items = _outline(text).items
    assert [s.text for s in items[0].sentences] == ["做好公开。", "加大社会保险待遇等政策的解读。"]
    assert items[1].ref == "一/（二）"


def test_structure_sentences_keep_quotes() -> None:
    """Sentences split on 。；, not inside 《》 or “”; spans point into the original."""
    original = "落实“三同步。要求”；学习《条例。解读》。完成"
    text = normalize(MappedText.identity(original))
    sentences = split_sentences(text, 0, len(text))
    assert [s.text for s in sentences] == ["落实“三同步。要求”;", "学习《条例。解读》。", "完成"]
    assert [s.span.slice(original) for s in sentences] == [
        "落实“三同步。要求”；",
        "学习《条例。解读》。",
        "完成",
    ]


def _gold_docs() -> list[Path]:
    return sorted(GOLD.glob("*.json")) if GOLD.is_dir() else []


@pytest.mark.parametrize("gold_path", _gold_docs(), ids=lambda p: p.name[:3])
def test_structure_seed_refs_match_gold(gold_path: Path) -> None:
    """Every seed's item refs and titles equal the gold's, ref by ref."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    items = _outline((SEEDS / gold["doc"]).read_text(encoding="utf-8")).items
    got = {_nfkc(i.ref): _nfkc(i.title) for i in items}
    want = {_nfkc(i["ref"]): _nfkc(i["title"]) for i in gold["items"]}
    assert got == want


@pytest.mark.parametrize("gold_path", _gold_docs(), ids=lambda p: p.name[:3])
def test_structure_spans_are_original(gold_path: Path) -> None:
    """Every item span starts at its number or cell in the original text."""
    original = (SEEDS / json.loads(gold_path.read_text(encoding="utf-8"))["doc"]).read_text(encoding="utf-8")
    for item in _outline(original).items:
        snippet = _nfkc(item.span.slice(original))
        assert snippet.strip(), item.ref
        if item.level:
            assert snippet.lstrip().startswith(item.number.replace("（", "(").replace("）", ")")), item.ref
