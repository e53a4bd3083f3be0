"""Readers + clean + normalize: every variant of a seed prepares to the same text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.reading.clean import prepare
from extractors.reading.readers import read_bytes

from variants import (
    bom_bytes,
    comparable_lines,
    docx_bytes,
    gb_bytes,
    html_bytes,
    pdf_bytes,
    table_parts,
    traditional,
    utf16_bytes,
)

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))
pytestmark = pytest.mark.skipif(not SEEDS, reason="no seeds in corpus/seeds")


def _plain(seed: Path) -> str:
    return prepare(read_bytes(seed.read_bytes(), seed.name)).text


def _squeezed(text: str) -> list[str]:
    return ["".join(line.split()) for line in text.split("\n") if line.strip()]


TEXT_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "gb18030": gb_bytes,
    "utf8-bom": bom_bytes,
    "utf16": utf16_bytes,
}
LAYOUT_VARIANTS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "html": (html_bytes, ".html"),
    "docx": (docx_bytes, ".docx"),
    "pdf": (pdf_bytes, ".pdf"),
}


@pytest.mark.parametrize("variant", TEXT_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_readers_variants_encodings_same_text(seed: Path, variant: str) -> None:
    """A seed re-encoded (GB18030, UTF-8 BOM, UTF-16) prepares to the same lines."""
    data = TEXT_VARIANTS[variant](seed.read_text(encoding="utf-8"))
    assert _squeezed(prepare(read_bytes(data, seed.name)).text) == _squeezed(_plain(seed))


@pytest.mark.parametrize("variant", LAYOUT_VARIANTS)
@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_readers_variants_layouts_same_lines(seed: Path, variant: str) -> None:
    """A seed as an HTML page, a .docx (real tables) or a PDF gives the same non-empty lines and cells."""
    build, ext = LAYOUT_VARIANTS[variant]
    text = seed.read_text(encoding="utf-8")
    doc = read_bytes(build(text), seed.stem + ext)
    got, want = comparable_lines(prepare(doc).text), comparable_lines(_plain(seed))
    parts = table_parts(text) if variant != "pdf" else None
    if parts is not None:
        # a laid-out table leaves merged cells empty (and may name a column the text leaves unnamed):
        # every other piece is the plain text's, in order
        unnamed = {h for h in parts[1][0] if h not in want}
        got = [piece for piece in got if piece not in unnamed]
        remaining = iter(want)
        assert all(piece in remaining for piece in got)
        assert len(got) >= 0.9 * len(want)
    else:
        assert got == want


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name[:3] for s in SEEDS])
def test_readers_variants_traditional_same_text(seed: Path) -> None:
    """A seed in traditional characters normalises (t2s) to exactly the plain seed's text."""
    data = traditional(seed.read_text(encoding="utf-8")).encode("utf-8")
    assert prepare(read_bytes(data, seed.name)).text == _plain(seed)


def test_readers_variants_docx_has_real_table() -> None:
    """The .docx variant turns a tab-cell text table into a Word table read back as tab rows."""
    text = "附件\n\t序号\n\t责任单位\n\n\t1\n\t杭州市西湖区人民政府办公室\n\n\t2\n\t\n"
    assert (
        read_bytes(docx_bytes(text), "x.docx").original
        == "附件\n序号\t责任单位\n1\t杭州市西湖区人民政府办公室\n2\t"
    )
