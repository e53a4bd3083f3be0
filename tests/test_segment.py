"""Segmenters and the spaCy tokenizer built on them."""

from __future__ import annotations

import pytest
import spacy

from extractors.components.segment import CharSegmenter, SegmenterTokenizer, get_segmenter

TEXT = "区政府办公室定期通报各单位政务公开工作开展情况，12345 市民服务热线。"


@pytest.mark.parametrize("name", ["pkuseg", "jieba", "char"])
def test_segment_tokens_cover_text_exactly(name: str) -> None:
    """Every segmenter's tokens (plus whitespace) reproduce the text."""
    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "zwgk.SegmenterTokenizer.v1", "segmenter": name}}}
    )
    doc = nlp(TEXT)
    assert doc.text == TEXT
    assert len(doc) > 5


@pytest.mark.parametrize("name", ["pkuseg", "jieba"])
def test_segment_user_dictionary_keeps_names_whole(name: str) -> None:
    """A name from the user dictionary comes out as one token."""
    seg = get_segmenter(name, ["政务公开专区", "住房和城乡建设局"])
    words = seg.cut("优化政务公开专区建设，市住房和城乡建设局负责")
    assert "政务公开专区" in words
    assert "住房和城乡建设局" in words


def test_segment_char_keeps_ascii_runs() -> None:
    """The character segmenter keeps digits and Latin letters together."""
    assert CharSegmenter().cut("12345热线 APP") == ["12345", "热", "线", "APP"]


def test_segment_unknown_name_is_an_error() -> None:
    """Asking for a segmenter that does not exist fails clearly."""
    with pytest.raises(ValueError, match="unknown segmenter"):
        get_segmenter("nope")


def test_segment_tokenizer_falls_back_when_segmenter_alters_text() -> None:
    """A segmenter that changes characters cannot break the doc's text."""

    class Bad:
        name = "bad"

        def cut(self, text: str) -> list[str]:
            return [text.upper()]

    nlp = spacy.blank("zh")
    doc = SegmenterTokenizer(nlp.vocab, Bad())("abc 中文")
    assert doc.text == "abc 中文"
