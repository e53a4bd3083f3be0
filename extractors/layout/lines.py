"""Lines and sentences: the numbered heading a line opens with, and the sentences of a paragraph.

Both the outline (:mod:`extractors.layout.structure`) and the task tables
(:mod:`extractors.layout.tables`) cut text with these two; they live here so that
neither of those modules needs the other for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.reading.normalize import MappedText
from extractors.records import Sentence

__all__ = ["BLANKS", "CN_DIGITS", "HEADINGS", "Heading", "find_heading", "line_spans", "split_sentences"]

CN_DIGITS = "一二三四五六七八九十百零〇"
BLANKS = " \t\u00a0\u2002\u2003\u3000"
# (rank, pattern); rank fixes the usual nesting 一、 > （一） > 1. > （1） > ①
HEADINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"([{CN_DIGITS}]+)\s*(?:、|\.(?![\d.]))")),  # 一、 and, from PDF-like pages, 一.
    (2, re.compile(rf"\(\s*([{CN_DIGITS}]+)\s*\)")),
    # 1. but not 1.5 (a decimal); 5.2020年8月底前 is item 5 opening on a date
    (3, re.compile(r"(\d{1,2})\s*(?:\.(?!\d)|\.(?=(?:19|20)\d\d\s*年)|、|\)(?![\d.]))")),
    (4, re.compile(r"\(\s*(\d{1,2})\s*\)")),
    (5, re.compile(r"([\u2460-\u2473])")),
)
_SENT_END = "。！？；!?;"
_OPEN_QUOTES = {"《": "》", "“": "”", "「": "」"}
_SENTENCE_MARKS = re.compile(
    "[" + "".join(map(re.escape, {*_SENT_END, *_OPEN_QUOTES, *_OPEN_QUOTES.values(), "\n", "."})) + "]"
)


@dataclass(frozen=True)
class Heading:
    """A numbered heading at a line start: its rank, number and where the text after it starts."""

    rank: int
    number: str  # as written, without 、 or .: 一, 五, 12, ①
    body_start: int  # offset of the heading text after the number

    @property
    def label(self) -> str:
        """The number as it appears in a ref: 一, （五）, 1, （1）, ①."""
        return f"（{self.number}）" if self.rank in (2, 4) else self.number


def find_heading(line: str, offset: int = 0) -> Heading | None:
    """The heading that starts ``line`` (after leading blanks), or None.

    Example: ``find_heading("(十) 推进数字化转型。").label == "（十）"``.
    """
    lead = len(line) - len(line.lstrip(BLANKS))
    for rank, rx in HEADINGS:
        m = rx.match(line, lead)
        if m and m.end() < len(line.rstrip()):
            rest = len(line) - len(line[m.end() :].lstrip(BLANKS))
            return Heading(rank, m.group(1), offset + rest)
    return None


def split_sentences(
    text: MappedText, start: int, end: int, skip: list[tuple[int, int]] | None = None
) -> list[Sentence]:
    """Sentences of ``text[start:end]``: split on 。！？； and line ends, not inside 《》 or “”.

    ``skip`` ranges (such as 责任单位 notes) are left out of every sentence.
    """
    skip = sorted(skip or [])
    out: list[Sentence] = []
    s = text.text
    closers: list[str] = []
    begin = start

    def emit(a: int, b: int) -> None:
        pieces = _minus(a, b, skip)
        for pa, pb in pieces:
            raw = s[pa:pb]
            lead = len(raw) - len(raw.lstrip(BLANKS))
            trail = len(raw) - len(raw.rstrip(BLANKS))
            pa, pb = pa + lead, pb - trail
            if pb > pa and s[pa:pb].strip(BLANKS + "。；;"):
                out.append(Sentence(text.span(pa, pb), s[pa:pb]))

    for m in _SENTENCE_MARKS.finditer(s, start, end):  # every other character changes nothing
        i, ch = m.start(), m.group()
        if ch in _OPEN_QUOTES:
            closers.append(_OPEN_QUOTES[ch])
        elif closers and ch == closers[-1]:
            closers.pop()
        elif ch == "\n":
            closers.clear()
            emit(begin, i)
            begin = i + 1
        elif (ch in _SENT_END or (ch == "." and _pdf_stop(s, i))) and not closers:
            emit(begin, i + 1)
            begin = i + 1
    emit(begin, end)
    return out


def _pdf_stop(s: str, i: int) -> bool:
    """A '.' for 。 (text from a PDF): after a Chinese character, before a blank, a line end or one."""
    after = s[i + 1 : i + 2]
    return i > 0 and _is_cjk(s[i - 1]) and (not after or after in BLANKS + "\n" or _is_cjk(after))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _minus(a: int, b: int, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, pos = [], a
    for sa, sb in skip:
        if sb <= pos or sa >= b:
            continue
        if sa > pos:
            pieces.append((pos, sa))
        pos = max(pos, sb)
    if pos < b:
        pieces.append((pos, b))
    return pieces


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, line breaks excluded."""
    out, pos = [], 0
    for part in text.split("\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out
