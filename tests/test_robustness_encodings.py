"""Encodings and text forms give the same entities as the clean UTF-8 original (promise 5).

The seed 000 is re-encoded (GBK, GB18030 with a character outside GB2312,
UTF-8 with BOM, an HTML page labelled gb2312 holding GB18030), rewritten in
traditional characters, with full-width digits, and with ideographic spaces;
each variant must give the same set of (kind, canonical name) entities.
Empty, whitespace-only and BOM-only files are refused by ``kg build`` with a
message naming the file, and leave no document in the store.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from extractors.records import DocumentRecord
from kg.store import OxigraphStore

from variants import bom_bytes, html_bytes, traditional

ROOT = Path(__file__).resolve().parents[1]
SEED = next(iter(sorted((ROOT / "corpus" / "seeds").glob("000_*.txt"))), None)
pytestmark = pytest.mark.skipif(SEED is None, reason="no seed 000 in corpus/seeds")
RARE = "䶮"  # U+4DAE: in GB18030, outside GB2312 and GBK
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _with_rare(text: str) -> str:
    """The text with one more line holding a character outside GB2312/GBK, away from every entity."""
    return text.rstrip("\n") + f"\n{RARE}\n"


def _ideographic(text: str) -> str:
    """Spaces become U+3000, and every body line gets a two-space ideographic indent."""
    return "\n".join("\u3000\u3000" + line.replace(" ", "\u3000") if line.strip() else line
                     for line in text.split("\n"))


VARIANTS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "gbk": (lambda t: t.encode("gbk"), ".txt"),
    "gb18030-rare": (lambda t: _with_rare(t).encode("gb18030"), ".txt"),
    "utf8-bom": (bom_bytes, ".txt"),
    "html-gb2312-label-gb18030-bytes": (lambda t: html_bytes(_with_rare(t)), ".html"),
    "traditional": (lambda t: traditional(t).encode("utf-8"), ".txt"),
    "full-width-digits": (lambda t: t.translate(FULL_WIDTH).encode("utf-8"), ".txt"),
    "ideographic-space": (lambda t: _ideographic(t).encode("utf-8"), ".txt"),
}


def _entities(record: DocumentRecord) -> set[tuple[str, str]]:
    return {(str(e.kind.value), e.name) for e in record.entities}


@cache
def _extracted(data: bytes, name: str) -> frozenset[tuple[str, str]]:
    from extractors.pipeline import extract_raw
    from extractors.reading.readers import read_bytes

    return frozenset(_entities(extract_raw(read_bytes(data, name))))


def _seed_text() -> str:
    assert SEED is not None
    return SEED.read_text("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_robustness_encodings_same_entities(variant: str) -> None:
    """Each encoding or text-form variant of the seed gives exactly the original's entities."""
    text = _seed_text()
    original = _extracted(text.encode("utf-8"), "seed.txt")
    assert len(original) > 10
    encode, ext = VARIANTS[variant]
    got = _extracted(encode(text), f"seed{ext}")
    assert got == original, f"missing {sorted(original - got)[:5]}, extra {sorted(got - original)[:5]}"


def test_robustness_encodings_rare_char_survives() -> None:
    """The character outside GB2312 is read from GB18030 bytes, including a page labelled gb2312."""
    from extractors.reading.readers import read_bytes

    line = "绥化市绥棱县人民政府办公室" + RARE
    assert RARE in read_bytes(line.encode("gb18030"), "rare.txt").original
    assert RARE in read_bytes(html_bytes(line), "rare.html").original


EMPTY_FILES = {"empty.txt": b"", "blank.txt": b" \n\t\r\n\xe3\x80\x80\n", "bom_only.txt": b"\xef\xbb\xbf"}


def test_robustness_encodings_empty_files_refused(tmp_path: Path) -> None:
    """kg build refuses empty, whitespace-only and BOM-only files by name, exits 1 and stores nothing."""
    paths = []
    for name, data in EMPTY_FILES.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    kg = Path(sys.executable).with_name("kg")
    store = tmp_path / "store"
    result = subprocess.run([str(kg), "build", *map(str, paths), "--store", str(store)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1
    for path in paths:
        lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"error: {path}: ")]
        assert len(lines) == 1 and re.search(r"empty|whitespace|no text", lines[0]), result.stderr
    assert "0 written" in result.stderr and "3 failed" in result.stderr
    opened = OxigraphStore.read_only(store)
    assert opened.stats()["documents"] == 0 and len(opened) == 0
