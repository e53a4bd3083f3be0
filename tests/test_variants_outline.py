"""A seed and its variants (GBK, BOM, HTML, Word, traditional) give the same outline and metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.layout.metadata import read_metadata
from extractors.layout.structure import outline
from extractors.reading.clean import prepare
from extractors.reading.readers import read_bytes
from extractors.records import Metadata

from variants import bom_bytes, docx_bytes, gb_bytes, html_bytes, traditional

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
FIELDS = ("title", "notice_title", "doc_number", "date", "year", "jurisdiction", "division_code", "draft")

VARIANTS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "gbk": (gb_bytes, ".txt"),
    "bom": (bom_bytes, ".txt"),
    "html": (html_bytes, ".html"),
    "docx": (docx_bytes, ".docx"),
    "traditional": (lambda text: traditional(text).encode("utf-8"), ".txt"),
}


def _read(data: bytes, name: str) -> tuple[list[str], list[str], Metadata]:
    text = prepare(read_bytes(data, name))
    structure = outline(text)
    refs = [i.ref for i in structure.items]
    titles = [i.title for i in structure.items]
    return refs, titles, read_metadata(text, structure)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_variants_same_outline_and_metadata(seed: Path, variant: str) -> None:
    """The variant's item refs, item titles and metadata equal the plain seed's."""
    text = seed.read_text("utf-8")
    refs, titles, meta = _read(text.encode("utf-8"), seed.name)
    build, suffix = VARIANTS[variant]
    v_refs, v_titles, v_meta = _read(build(text), seed.stem + suffix)
    assert v_refs == refs
    assert v_titles == titles
    for field in FIELDS:
        assert getattr(v_meta, field) == getattr(meta, field), field
