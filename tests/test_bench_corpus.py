"""The benchmark's corpus generator: deterministic, realistic shape, re-targeted places."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# bench/ is a top-level folder of the repo, not an installed package (`python -m pytest` finds it
# through the working directory; the plain `pytest` script needs the repo root on the path).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import Pieces, document_for, harvest, write_corpus


@pytest.fixture(scope="module")
def pieces() -> Pieces:
    return harvest()


def test_corpus_same_seed_same_bytes(tmp_path: Path, pieces: Pieces) -> None:
    """Two corpora written with one seed are byte-identical."""
    write_corpus(tmp_path / "a", 12, seed=7, pieces=pieces)
    write_corpus(tmp_path / "b", 12, seed=7, pieces=pieces)
    a = sorted((tmp_path / "a").iterdir())
    assert [p.read_bytes() for p in a] == [(tmp_path / "b" / p.name).read_bytes() for p in a]


def test_corpus_small_is_prefix_of_large(pieces: Pieces) -> None:
    """Document i depends only on (seed, i), so a small corpus is a prefix of a large one."""
    assert document_for(pieces, 3, 5) == document_for(pieces, 3, 5)
    assert document_for(pieces, 3, 5) != document_for(pieces, 4, 5)


@pytest.mark.parametrize("index", range(0, 40, 7))
def test_corpus_document_shape(pieces: Pieces, index: int) -> None:
    """Each document is 1–4k characters, starts with an 印发 notice, and has no placeholder left."""
    layout, text = document_for(pieces, 11, index)
    assert 1000 <= len(text) <= 4000
    assert "关于印发" in text.splitlines()[0]
    assert "{" not in text and "}" not in text
    if layout == "table":
        assert "序号\t工作任务\t具体要求\t责任单位\t完成时限" in text
    elif layout == "notes":
        assert "（责任单位：" in text


def test_corpus_mixes_layouts_and_places(tmp_path: Path, pieces: Pieces) -> None:
    """Sixty documents use all three layouts and many jurisdictions."""
    info = write_corpus(tmp_path, 60, seed=1, pieces=pieces)
    assert set(info.layouts) == {"plain", "notes", "table"}
    firsts = {p.read_text(encoding="utf-8").splitlines()[0] for p in tmp_path.glob("*.txt")}
    assert len(firsts) > 50
    assert info.characters > 60 * 1000


def test_corpus_retargets_home_places(pieces: Pieces) -> None:
    """Harvested pieces keep no name of the seeds' home city; it becomes a placeholder."""
    texts = [item.title + "".join(item.body) for items in pieces.items.values() for item in items]
    assert not any("济南市" in t for t in texts)
    assert any("{c}" in t or "{C}" in t for t in texts)
