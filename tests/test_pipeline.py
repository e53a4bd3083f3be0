"""End-to-end behaviour of the extraction pipeline and the question every surface answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.pipeline import PipelineConfig, build_nlp, expand_paths, extract
from extractors.reading.normalize import normalize_str
from extractors.records import DocumentRecord, EntityKind

CITY_2025 = "001_710408dceed5a885.txt"
DISTRICT_2025 = "000_d186d61fd4268232.txt"


def _squash(text: str) -> str:
    return re.sub(r"\s", "", normalize_str(text))


def _entities(record: DocumentRecord) -> set[tuple[str, str]]:
    return {(str(e.kind), e.name) for e in record.entities}


@pytest.mark.parametrize("segmenter", ["jieba", "char"])
def test_pipeline_other_segmenters_give_the_same_records(
    segmenter: str, seed_paths: list[Path], seed_records: dict[str, DocumentRecord]
) -> None:
    """Selecting jieba or per-character segmentation keeps entities, items and responsibilities."""
    path = next(p for p in seed_paths if p.name == DISTRICT_2025)
    other = extract(path, PipelineConfig(segmenter=segmenter))
    base = seed_records[DISTRICT_2025]
    assert _entities(other) == _entities(base)
    assert [(i.ref, i.responsible, i.mechanisms, i.platforms) for i in other.items] == [
        (i.ref, i.responsible, i.mechanisms, i.platforms) for i in base.items
    ]


def test_pipeline_segmenter_shapes_the_tokens() -> None:
    """The configured segmenter really tokenizes the spaCy doc."""
    text = "推进政务公开专区建设"
    assert len(build_nlp("char").make_doc(text)) == len(text)
    assert len(build_nlp("pkuseg").make_doc(text)) < len(text)


def test_pipeline_spans_map_back_to_the_original(seed_records: dict[str, DocumentRecord]) -> None:
    """Every mention's span covers exactly its surface form in the original text."""
    for record in seed_records.values():
        for entity in record.entities:
            for mention in entity.mentions:
                written = mention.span.slice(record.original)
                # a name broken across lines is given as normalised text, its span still covers it
                assert written == mention.surface or _squash(written) == _squash(mention.surface)
                sentence = mention.sentence
                if sentence is not None:
                    assert sentence.start <= mention.span.start < mention.span.end <= sentence.end


def test_pipeline_jurisdiction_fills_canonical_names(seed_records: dict[str, DocumentRecord]) -> None:
    """Short forms resolve in the document's jurisdiction (区政府各部门 in a 济阳区 document)."""
    names = {e.name for e in seed_records[DISTRICT_2025].entities if e.kind is EntityKind.AGENCY_GROUP}
    assert "济南市济阳区人民政府各部门" in names


def test_pipeline_responsibility_from_notes(seed_records: dict[str, DocumentRecord]) -> None:
    """An item's 责任单位 note names its responsible agencies."""
    item = next(i for i in seed_records[CITY_2025].items if i.ref == "五/（十五）")
    assert item.responsible[:2] == ["济南市人民政府办公厅", "济南市各区县人民政府"]
    assert item.responsible_source == "note"


def test_pipeline_expand_paths_finds_supported_files(tmp_path: Path) -> None:
    """Folders expand to the supported files inside them, recursively and sorted."""
    (tmp_path / "a").mkdir()
    for name in ("a/x.txt", "b.docx", "c.pdf", "d.html", "e.png"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand_paths([tmp_path])] == ["x.txt", "b.docx", "c.pdf", "d.html"]


def test_pipeline_contract_question_answers_with_sentences(seed_store_dir: Path) -> None:
    """Agencies responsible for 三同步 come from several documents, each with a sentence naming it."""
    from kg.queries import run_named
    from kg.store import OxigraphStore

    store = OxigraphStore.read_only(seed_store_dir)
    try:
        rows = run_named(store, "agencies-for-mechanism", {"mechanism": "三同步"})
    finally:
        store.close()
    names = {str(r["name"]) for r in rows}
    assert {"济南市人民政府各部门", "济南市各区县人民政府", "济南市济阳区人民政府各部门"} <= names
    assert len({str(r["sourceFile"]) for r in rows}) >= 3
    for row in rows:
        assert "三同步" in str(row["evidence"])  # the sentence that names the mechanism
        assert len(str(row["evidence"])) < 400  # a sentence, not the whole item
