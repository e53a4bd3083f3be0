"""The spaCy pipeline as others use it: its tokens are the rules' word boundaries, it saves and
loads, runs in several processes, its components fit a user's own ``zh`` pipeline, and its results
are spans a person can check (``kg parse --html``, ``/doc/{id}/displacy``). Made-up examples."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from fastapi.testclient import TestClient

from extractors.components import factories
from extractors.components.segment import boundary_word_starts, get_segmenter, word_boundaries
from extractors.pipeline import PipelineConfig, build_nlp, extract_doc, extract_raw
from extractors.reading.readers import read_document

ROOT = Path(__file__).resolve().parents[1]
DOC = """湘潭市岳塘区人民政府办公室关于印发岳塘区2025年政务公开工作要点的通知

各街道办事处，区政府各部门：
现将《岳塘区2025年政务公开工作要点》印发给你们，请认真贯彻落实。

湘潭市岳塘区人民政府办公室
2025年4月8日

岳塘区2025年政务公开工作要点

一、加强政策发布解读
1.完善规范性文件备案审查机制，做好政策解读工作。（责任单位：区司法局）
2.依托政府门户网站集中公开政策文件，2025年6月底前完成。（责任单位：区政府办公室）
二、优化政务服务
3.区教育局、区民政局每季度至少召开1次政务公开工作推进会。
"""
SENTENCES = [
    "完善规范性文件备案审查机制，做好政策解读工作。",
    "区教育局、区民政局每季度至少召开1次政务公开工作推进会。",
    "依托政府门户网站集中公开政策文件，2025年6月底前完成。",
    "市公安局会同市交通运输局推进信息公开。",
]


def _spans(doc: spacy.tokens.Doc) -> list[tuple[int, int, str, str]]:
    return [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans[factories.SPANS_KEY]]


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("doc") / "yuetang.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def test_spacy_swapping_the_segmenter_changes_an_extracted_name() -> None:
    """jieba keeps 规范性 one word, so a mechanism's left edge cannot fall inside it; per character it can."""
    names = {}
    for name in ("jieba", "char"):
        doc = build_nlp(name)(SENTENCES[0])
        names[name] = [s.id_ for s in doc.spans["terms"] if s.label_ == "mechanism"]
    assert "规范性文件备案审查机制" in names["jieba"]
    assert "规范性文件备案审查机制" not in names["char"]
    assert "性文件备案审查机制" in names["char"]


@pytest.mark.parametrize("name", ["jieba", "char"])
def test_spacy_rules_ask_the_docs_own_tokens(name: str) -> None:
    """Inside a doc's processing the word starts the rules get are its token starts."""
    nlp = build_nlp(name)
    doc = nlp.make_doc(SENTENCES[1])
    with word_boundaries(doc, nlp.tokenizer):
        assert boundary_word_starts(doc.text) == {t.idx for t in doc}
        clause = SENTENCES[1][6:20]  # a run inside the text: the tokens there, shifted
        expected = {t.idx - 6 for t in doc if 6 <= t.idx < 20} | {0}
        assert boundary_word_starts(clause) == expected


def test_spacy_no_second_tokenizer_behind_the_segmenter(document: Path) -> None:
    """With the per-character segmenter a build loads neither jieba nor pkuseg."""
    code = (
        "import sys\nfrom extractors.pipeline import extract\n"
        f"extract({str(document)!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jieba', 'pkuseg')))\n"
    )
    env = {**os.environ, "ZWGK_SEGMENTER": "char", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["jieba", "pkuseg"])
def test_spacy_user_dictionary_names_stay_whole(name: str) -> None:
    """Names from the generated user dictionary are single tokens in a sentence."""
    from extractors.components.lexicon import user_dictionary

    words = user_dictionary()
    sample = [w for w in words[:: max(1, len(words) // 40)] if len(w) >= 3][:30]
    seg = get_segmenter(name, words)
    split = [w for w in sample if w not in seg.cut(f"推进{w}。")]
    assert not split


def test_spacy_spans_carry_labels_and_canonical_keys(document: Path) -> None:
    """Agencies, terms and deadlines are spans with a label and the canonical key."""
    record, doc = extract_doc(document)
    spans = doc.spans[factories.SPANS_KEY]
    by_label = {s.label_: s for s in spans}
    assert {"agency", "agency_group", "mechanism", "platform", "deadline", "frequency"} <= set(by_label)
    assert all(s.label_ in factories.LABELS and s.kb_id_ for s in spans)
    agencies = {s.kb_id_ for s in spans if s.label_ == "agency"}
    assert "湘潭市岳塘区教育局" in agencies
    assert agencies <= {e.name for e in record.entities}
    assert {s.kb_id_ for s in spans if s.label_ == "deadline"} == {"2025-06-30"}
    platform = next(s for s in spans if s.label_ == "platform")
    assert platform.kb_id_.startswith("platform/") and platform.id_ == "政府门户网站"


def _jsonable(record: object) -> str:
    return json.dumps(dataclasses.asdict(record), ensure_ascii=False, default=str, sort_keys=True)  # type: ignore[call-overload]


def test_spacy_to_disk_and_spacy_load_give_identical_records(tmp_path: Path, document: Path) -> None:
    """The default pipeline saved with to_disk and read back by spacy.load extracts the same records."""
    nlp = build_nlp()
    nlp.to_disk(tmp_path / "zwgk")
    loaded = spacy.load(tmp_path / "zwgk")
    assert loaded.pipe_names == list(factories.PIPE_NAMES)
    raw = read_document(document)
    assert _jsonable(extract_raw(raw, nlp=loaded)) == _jsonable(extract_raw(raw, PipelineConfig()))
    assert _spans(loaded(DOC)) == _spans(nlp(DOC))


def test_spacy_load_finds_the_factories_by_entry_point(tmp_path: Path) -> None:
    """A fresh process loads the saved pipeline without importing the project first (entry points)."""
    build_nlp().to_disk(tmp_path / "zwgk")
    code = (
        "import spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'zwgk')!r}, config={{'components': "
        "{'zwgk_agencies': {'jurisdiction': '湖南省湘潭市岳塘区'}}})\n"
        f"doc = nlp({SENTENCES[1]!r})\n"
        "print(sorted({s.kb_id_ for s in doc.spans['zwgk'] if s.label_ == 'agency'}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "区教育局" in out.stdout


def test_spacy_pipe_in_two_processes() -> None:
    """nlp.pipe(texts, n_process=2) gives the spans of the one-process run."""
    nlp = build_nlp()
    serial = [_spans(d) for d in nlp.pipe(SENTENCES)]
    parallel = [_spans(d) for d in nlp.pipe(SENTENCES, n_process=2, batch_size=1)]
    assert parallel == serial
    assert all(serial)


def test_spacy_components_in_a_users_blank_zh_pipeline() -> None:
    """The README example: the project's components added to spaCy's own blank Chinese pipeline."""
    nlp = spacy.blank("zh")  # spaCy's character tokenizer
    nlp.add_pipe("zwgk_terms")
    nlp.add_pipe("zwgk_agencies", config={"jurisdiction": "湖南省湘潭市岳塘区", "year": 2025})
    nlp.add_pipe("zwgk_temporal", config={"year": 2025})
    doc = nlp("区教育局依托政府门户网站公开信息，6月底前完成。")
    found = {(s.text, s.label_, s.kb_id_) for s in doc.spans["zwgk"]}
    assert ("区教育局", "agency", "湖南省湘潭市岳塘区教育局") in found
    assert ("政府门户网站", "platform", "platform/zhengfu-menhu-wangzhan") in found
    assert ("6月底前", "deadline", "2025-06-30") in found


def test_spacy_parse_html_highlights_names(tmp_path: Path, document: Path) -> None:
    """kg parse FILE --html OUT writes the displaCy page with canonical names to hover."""
    out = tmp_path / "doc.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kg = Path(sys.executable).with_name("kg")
    cmd = [str(kg), "parse", str(document), "--html", str(out)]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    page = out.read_text(encoding="utf-8")
    assert 'class="zwgk-tok"' in page and "区教育局" in page
    assert "湘潭市岳塘区教育局" in page  # the canonical name, shown on hover
    assert "时限" in page and "平台" in page and "机制" in page


def test_spacy_displacy_route(tmp_path: Path, document: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/doc/{id}/displacy renders the document's source when the server keeps it (sha256 checked)."""
    from api.main import create_app
    from api.settings import Settings
    from kg.build import ingest_record
    from kg.store import OxigraphStore

    record, _doc = extract_doc(document)
    store = OxigraphStore()
    ingest_record(store, record)
    key = hashlib.sha256(document.read_bytes()).hexdigest()[:16]
    monkeypatch.setenv("ZWGK_SOURCE_DIRS", str(document.parent))
    with TestClient(create_app(Settings(), store=store)) as client:
        page = client.get(f"/doc/{key}/displacy")
        assert page.status_code == 200 and 'class="zwgk-tok"' in page.text
        assert "湘潭市岳塘区司法局" in page.text
        assert client.get("/doc/0000000000000000/displacy").status_code == 404
        assert f"/doc/{key}/displacy" in client.get(f"/id/doc/{key}").text
        monkeypatch.setenv("ZWGK_SOURCE_DIRS", str(tmp_path))  # another folder: the source is not kept
        from api.routers import displacy

        displacy._pages.clear()
        assert client.get(f"/doc/{key}/displacy").status_code == 404


def test_spacy_assembly_reads_what_the_components_left_on_the_doc(tmp_path: Path) -> None:
    """Assembly reads the Doc's extension attributes, not a side channel: a user's component that
    drops one platform match after the term ruler removes it from the record, and nothing else."""
    from spacy.language import Language

    if "zwgk_test_drop_portal" not in Language.factories:

        @Language.component("zwgk_test_drop_portal")
        def drop_portal(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
            doc._.zwgk_terms = [t for t in doc._.zwgk_terms if t.name != "政府门户网站"]
            return doc

    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    nlp = build_nlp()
    nlp.add_pipe("zwgk_test_drop_portal", after="zwgk_terms")
    before = {(e.kind, e.name) for e in extract_doc(path)[0].entities}
    record, doc = extract_doc(path, nlp=nlp)
    after = {(e.kind, e.name) for e in record.entities}
    assert any(name == "政府门户网站" for _kind, name in before)
    assert before - after == {kind_name for kind_name in before if kind_name[1] == "政府门户网站"}
    assert after <= before and doc._.zwgk_agencies
