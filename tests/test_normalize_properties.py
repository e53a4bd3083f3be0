"""Property tests: clean and normalize never crash and always map back (extractors.reading)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.reading.clean import clean
from extractors.reading.normalize import MappedText, normalize

# Text mixing CJK, full-width forms, tags, chrome words, bullets, spaces and newlines.
_PIECES = st.sampled_from(
    ["<p id=\"x\">", "</p>", "<br/>", "字号:", "大 中 小", "浏览次数", "•", "\n", "\n\n\n", "\t", " ",
     "\u3000", "政務公開", "（２０２４）", "附件", "1.", "Produced By x", "<", ">", "ﬁ", "㈠", "\r"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=200), st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join)
)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalize_properties_clean_keeps_chars(original: str) -> None:
    """Every character clean keeps is the same character at its mapped offset."""
    cleaned = clean(original)
    assert len(cleaned.index) == len(cleaned.text) + 1
    assert all(original[i] == ch for ch, i in zip(cleaned.text, cleaned.index, strict=False))
    assert list(cleaned.index[:-1]) == sorted(set(cleaned.index[:-1]))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_normalize_properties_slices_map_inside_original(original: str, data: st.DataObject) -> None:
    """Any slice of normalize(clean(text)) maps to a span inside the original."""
    prepared = normalize(clean(original))
    start = data.draw(st.integers(0, len(prepared)))
    end = data.draw(st.integers(start, len(prepared)))
    span = prepared.span(start, end)
    assert 0 <= span.start <= span.end <= len(original)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_normalize_properties_normalize_never_crashes(original: str) -> None:
    """normalize accepts any text and keeps a consistent index into it."""
    out = normalize(MappedText.identity(original))
    assert len(out.index) == len(out.text) + 1
    assert all(0 <= i <= len(original) for i in out.index)
