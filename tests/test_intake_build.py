"""Intake, build side: one bad document never aborts ``kg build``.

A build of a folder writes every document it can read and lists each one it
cannot on one line (``file: reason``), with a non-zero exit. A document spaCy's
default ``max_length`` (E088, 1,000,000 characters) used to refuse is read: the
pipeline has no parser or NER for that limit to protect; a document over the
pipeline's own character limit is refused with one clear line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.errors import TooLargeError
from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0]
PAGE = ("<html><head><meta charset='undefined'><title>滨江市2025年政务公开工作要点</title></head><body>"
        "<p>滨江市人民政府办公室关于印发2025年政务公开工作要点的通知</p>"
        "<p>一、推进政务公开。市政府办公室负责，2025年6月底前完成。</p></body></html>")
SOURCES = "SELECT ?f WHERE { GRAPH ?g { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } }"
BAD = {
    "empty.txt": (b"", "empty"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "legacy"),
    "fake.docx": ("只是文字".encode(), "not a zip"),
}


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    kg = Path(sys.executable).with_name("kg")
    run_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0", **(env or {})}
    return subprocess.run([str(kg), *args], capture_output=True, text=True, cwd=ROOT, env=run_env,
                          timeout=600, check=False)


def _documents(store_dir: Path) -> set[str]:
    store = OxigraphStore.read_only(store_dir)
    try:
        rows = store.select(SOURCES)
    finally:
        store.close()
    return {str(r["f"]) for r in rows}


@pytest.mark.slow
def test_intake_build_folder_with_bad_documents(tmp_path: Path) -> None:
    """Good documents are written, each bad one is one line ``file: reason``, and the exit is non-zero."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / SEED.name).write_bytes(SEED.read_bytes())
    (docs / "charset.html").write_bytes(PAGE.encode("gb18030"))
    for name, (data, _) in BAD.items():
        (docs / name).write_bytes(data)
    result = _kg("build", str(docs), "--store", str(tmp_path / "store"))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD), result.stderr[-3000:]
    for name, (_, reason) in BAD.items():
        line = next(e for e in errors if e.startswith(f"error: {docs / name}: "))
        assert reason in line
    assert "2 written, 0 unchanged, 3 failed" in result.stderr
    sources = _documents(tmp_path / "store")
    assert len(sources) == 2, sources


def test_intake_build_unexpected_error_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A document that breaks the extractor (not the readers) is reported, and the others are still built."""
    import extractors.pipeline
    from kg.build import build

    real = extractors.pipeline.extract
    broken = tmp_path / "broken.txt"
    broken.write_text("滨江市政务公开工作要点", "utf-8")

    def extract(path: Path, config: object = None) -> object:
        if Path(path).name == "broken.txt":
            raise RuntimeError("component failed\non two lines")
        return real(path)

    monkeypatch.setattr(extractors.pipeline, "extract", extract)
    store = OxigraphStore(None)
    report = build([broken, SEED], store, workers=1, progress=False)
    assert report.written == [SEED.name]
    assert report.failed == [f"{broken}: extraction failed (RuntimeError: component failed on two lines)"]


def test_intake_build_extract_many_unexpected_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``extract_many`` too turns an unexpected error into the document's InputError."""
    import extractors.pipeline

    def extract(path: Path, config: object = None) -> object:
        raise KeyError("x")

    monkeypatch.setattr(extractors.pipeline, "extract", extract)
    doc = tmp_path / "a.txt"
    doc.write_text("正文", "utf-8")
    [result] = list(extractors.pipeline.extract_many([doc]))
    assert str(result) == f"{doc}: extraction failed (KeyError: 'x')"


@pytest.mark.slow
def test_intake_build_paragraph_over_a_million_characters(tmp_path: Path) -> None:
    """One 1.1-million-character paragraph (spaCy's E088 before) is built (char segmenter, for speed)."""
    seeds = "".join(p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt")))
    text = seeds.replace("\n", "")
    text = (text * (1_100_000 // len(text) + 1))[:1_100_000]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "long.txt").write_text(text, "utf-8")
    result = _kg("build", str(docs), "--store", str(tmp_path / "store"), env={"ZWGK_SEGMENTER": "char"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 written, 0 unchanged, 0 failed" in result.stderr
    assert _documents(tmp_path / "store") == {"long.txt"}


def test_intake_build_over_the_character_limit_is_one_line() -> None:
    """A document longer than the pipeline's character limit is refused with its length and the limit."""
    from extractors.pipeline import MAX_CHARS, PipelineConfig, extract_raw
    from extractors.reading.readers import read_bytes

    raw = read_bytes(("政务公开" * 100).encode(), "long.txt")
    with pytest.raises(TooLargeError) as caught:
        extract_raw(raw, PipelineConfig(max_chars=300))
    assert str(caught.value) == "long.txt: document too long (400 characters; limit 300)"
    assert MAX_CHARS >= 10_000_000  # every Han text under the byte limit, even in GB18030


def test_intake_build_nlp_has_no_spacy_length_limit() -> None:
    """The blank pipeline does not refuse long texts itself (the pipeline's limit is checked first)."""
    from extractors.pipeline import MAX_CHARS, build_nlp

    assert build_nlp("char").max_length > MAX_CHARS
    assert re.fullmatch(r"\d+", str(MAX_CHARS))
