"""Text that remembers where it came from.

:class:`MappedText` is a string plus, for every character, its offset in the
original text. Every transformation the reading layer applies (cleaning,
NFKC, traditional → simplified) returns a new ``MappedText``, so any span the
later stages find maps back to the original exactly (:meth:`MappedText.span`).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.records import Span

__all__ = ["MappedText", "normalize", "normalize_str", "to_simplified"]


@dataclass(frozen=True)
class MappedText:
    """A text and the original offset of each of its characters.

    ``index`` has ``len(text) + 1`` entries: ``index[i]`` is the original offset
    of ``text[i]`` and ``index[len(text)]`` the original offset just past the end.
    """

    text: str
    index: tuple[int, ...]

    @classmethod
    def identity(cls, original: str) -> MappedText:
        """Wrap an original text: every character maps to itself."""
        return cls(original, tuple(range(len(original) + 1)))

    def __post_init__(self) -> None:
        if len(self.index) != len(self.text) + 1:
            raise ValueError("index must have len(text) + 1 entries")

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int, end: int) -> Span:
        """Map ``[start, end)`` of this text to a span of the original."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"[{start}, {end}) outside text of length {len(self.text)}")
        index = self.index
        if start == end:
            return Span(index[start], index[start])
        return Span(index[start], index[end - 1] + 1)  # end - 1 < len(text): a character of the text

    def position(self, original: int) -> int:
        """Offset in this text of the first character whose original offset is ``>= original``."""
        return bisect_left(self.index, original, 0, len(self.text))

    def slice(self, start: int, end: int) -> MappedText:
        """The sub-text ``[start, end)``, keeping its mapping."""
        return MappedText(self.text[start:end], (*self.index[start:end], self._end_of(start, end)))

    def _end_of(self, start: int, end: int) -> int:
        if end > start:
            return self.index[end - 1] + 1
        return self.index[start]

    def delete(self, ranges: Iterable[tuple[int, int]]) -> MappedText:
        """Remove the given ``[start, end)`` ranges of this text."""
        n = len(self.text)
        cuts = sorted((max(start, 0), min(end, n)) for start, end in ranges)
        chars: list[str] = []
        index: list[int] = []
        pos = 0
        for start, end in cuts:
            if end <= start:
                continue
            if start > pos:  # the kept run before this cut
                chars.append(self.text[pos:start])
                index.extend(self.index[pos:start])
            pos = max(pos, end)
        chars.append(self.text[pos:n])
        index.extend(self.index[pos:n])
        return MappedText("".join(chars), (*index, self.index[-1]))

    def sub(self, pattern: re.Pattern[str] | str, repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """Like :func:`re.sub`; replacement characters map to the start of what they replace."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        parts: list[str] = []
        index: list[int] = []
        pos = 0
        for m in rx.finditer(self.text):
            parts.append(self.text[pos : m.start()])
            index.extend(self.index[pos : m.start()])
            new = repl(m) if callable(repl) else m.expand(repl)
            parts.append(new)
            index.extend([self.index[m.start()]] * len(new))
            pos = m.end()
        parts.append(self.text[pos:])
        index.extend(self.index[pos:])
        return MappedText("".join(parts), tuple(index))

    def map_chars(self, fn: Callable[[str], str]) -> MappedText:
        """Apply ``fn`` to each character; the output characters map to that character."""
        parts = list(map(fn, self.text))
        if set(map(len, parts)) <= {1}:  # one character each (almost always): same mapping
            return MappedText("".join(parts), self.index)
        index: list[int] = []
        for out, ix in zip(parts, self.index, strict=False):
            index.extend([ix] * len(out))
        index.append(self.index[-1])
        return MappedText("".join(parts), tuple(index))

    def find_all(self, pattern: re.Pattern[str]) -> list[tuple[re.Match[str], Span]]:
        """Every match of ``pattern`` with its span in the original."""
        return [(m, self.span(m.start(), m.end())) for m in pattern.finditer(self.text)]


@lru_cache(maxsize=1)
def _opencc() -> Any:
    import opencc  # the official OpenCC bindings

    try:
        return opencc.OpenCC("t2s.json")
    except (ValueError, RuntimeError):  # older bindings take the bare name
        return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out: str = _opencc().convert(ch)
    return out


def to_simplified(text: MappedText) -> MappedText:
    """Convert traditional characters to simplified (OpenCC t2s), keeping the mapping.

    Phrase-level conversion is used when it keeps the length (almost always for
    t2s); otherwise each character is converted on its own.
    """
    converted: str = _opencc().convert(text.text)
    if len(converted) == len(text.text):
        return MappedText(converted, text.index)
    return text.map_chars(_t2s_char)


_KEEP = {"\u3000": " "}  # ideographic space → space (NFKC does this too; kept explicit)


@lru_cache(maxsize=65536)
def _nfkc_char(ch: str) -> str:
    if ch.isascii():
        return ch
    return _KEEP.get(ch) or unicodedata.normalize("NFKC", ch)


def normalize(text: MappedText) -> MappedText:
    """Normalise for matching: NFKC (full-width → half-width), then traditional → simplified."""
    return to_simplified(text.map_chars(_nfkc_char))


@lru_cache(maxsize=65536)
def normalize_str(text: str) -> str:
    """Normalise a plain string the same way as :func:`normalize` (no mapping); cached."""
    if text.isascii():
        return text
    wide = "".join(map(_nfkc_char, text))
    converted: str = _opencc().convert(wide)
    if len(converted) == len(wide):
        return converted
    return "".join(map(_t2s_char, wide))  # as to_simplified does, without building a mapping
