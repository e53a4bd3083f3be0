"""Fuzzing the reader: arbitrary bytes never crash it, and what it reads maps back (promise 11).

``read_bytes`` may only raise :class:`~extractors.errors.InputError`; when it
returns, ``clean`` and ``normalize`` keep an index whose every kept character
is the original's character at that offset.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.errors import InputError
from extractors.reading.clean import clean
from extractors.reading.normalize import normalize
from extractors.reading.readers import read_bytes

NAMES = st.sampled_from(["doc.txt", "doc.html", "doc.htm", "doc.docx", "doc.pdf", "doc", "doc.TXT", "d.xyz"])
PREFIXES = st.sampled_from([
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"%PDF-1.7\n", b"PK\x03\x04",
    b"<!DOCTYPE html><html><head><meta charset=gb2312>", b"<?xml version='1.0'?>", b"<html><body><p>",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
])  # fmt: skip
HTML_PIECES = [
    "<p>", "</p>", "<table><tr><td>", "</td><td>", "</td></tr></table>", "<br>", "<script>", "</script>",
    "&amp;", "&#x4e2d;", "&#0;", "政务公开", "\u3000", "\n", "<!--", "-->", "<![CDATA[", "]]>",
    "<meta charset=big5>",
]
CODECS = st.sampled_from(["utf-8", "gb18030", "gbk", "utf-16", "big5", "latin-1"])


def _check_mapping(original: str) -> None:
    cleaned = clean(original)
    assert len(cleaned.index) == len(cleaned.text) + 1
    assert all(original[i] == ch for ch, i in zip(cleaned.text, cleaned.index, strict=False))
    prepared = normalize(cleaned)
    assert all(0 <= i <= len(original) for i in prepared.index)


def _read(data: bytes, name: str) -> None:
    try:
        raw = read_bytes(data, name)
    except InputError as err:
        assert str(err).startswith(f"{name}: ") and "\n" not in str(err)
        return
    assert raw.source_file == name and raw.original.strip()
    _check_mapping(raw.original)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PREFIXES, st.binary(max_size=600), NAMES)
def test_robustness_fuzz_read_bytes_arbitrary(prefix: bytes, body: bytes, name: str) -> None:
    """Arbitrary bytes behind typical signatures raise InputError or read into text that maps back."""
    _read(prefix + body, name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), CODECS, NAMES)
def test_robustness_fuzz_read_bytes_encoded_text(text: str, codec: str, name: str) -> None:
    """Any text in any common encoding raises InputError or reads into text that maps back."""
    data = text.encode(codec, errors="replace")
    _read(data, name)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=40))
def test_robustness_fuzz_read_html_fragments(pieces: list[str]) -> None:
    """Random soups of HTML fragments raise InputError or render into text that maps back."""
    _read(("<html><body>" + "".join(pieces)).encode("utf-8"), "soup.html")
