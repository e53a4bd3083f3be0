"""Pluggable Chinese word segmentation, and the spaCy tokenizer built on it.

Three segmenters, chosen in the pipeline config (``segmenter = "pkuseg"`` by
default):

* ``pkuseg``: PKU's segmenter with its default model (licensed for research
  use only; see README), given a user dictionary generated from the project's
  own data files so organ, platform and mechanism names stay whole;
* ``jieba``: jieba with the same user dictionary;
* ``char``: one token per character (no model, no licence question).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

__all__ = [
    "SEGMENTERS",
    "CharSegmenter",
    "JiebaSegmenter",
    "PkusegSegmenter",
    "Segmenter",
    "SegmenterTokenizer",
    "boundary_tokenizer",
    "boundary_word_starts",
    "get_segmenter",
    "words_and_spaces",
]


class Segmenter(Protocol):
    """Splits a text into words; whitespace may be dropped."""

    name: str

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` into words."""
        ...


class CharSegmenter:
    """One token per non-space character; runs of ASCII letters/digits stay together."""

    name = "char"

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` character by character."""
        words: list[str] = []
        buf = ""
        for ch in text:
            if ch.isascii() and ch.isalnum():
                buf += ch
                continue
            if buf:
                words.append(buf)
                buf = ""
            if not ch.isspace():
                words.append(ch)
        if buf:
            words.append(buf)
        return words


class PkusegSegmenter:
    """pkuseg's default model plus a user dictionary of names."""

    name = "pkuseg"

    def __init__(self, user_words: Sequence[str] = ()) -> None:
        import pkuseg  # heavy: ~850 MB model, loaded once per process

        self._seg: Any = pkuseg.pkuseg(user_dict=list(user_words))
        self._lock = threading.Lock()  # pkuseg keeps per-call state

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` with pkuseg, line by line (it is trained on sentences)."""
        words: list[str] = []
        with self._lock:
            for line in text.split("\n"):
                if line.strip():
                    words.extend(self._seg.cut(line))
        return words


class JiebaSegmenter:
    """jieba (precise mode) plus the same user dictionary."""

    name = "jieba"

    def __init__(self, user_words: Sequence[str] = ()) -> None:
        self._tok: Any = quiet_jieba_tokenizer()
        for word in user_words:
            self._tok.add_word(word, freq=200000)

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` with jieba; whitespace tokens are dropped."""
        return [w for w in self._tok.cut(text, HMM=True) if not w.isspace()]


SEGMENTERS: dict[str, Callable[[Sequence[str]], Segmenter]] = {
    "pkuseg": PkusegSegmenter,
    "jieba": JiebaSegmenter,
    "char": lambda _words: CharSegmenter(),
}


@lru_cache(maxsize=4)
def _cached(name: str, words: tuple[str, ...]) -> Segmenter:
    return SEGMENTERS[name](words)


def get_segmenter(name: str, user_words: Iterable[str] = ()) -> Segmenter:
    """Return the (process-wide cached) segmenter called ``name``.

    Raises:
        ValueError: for an unknown segmenter name.
    """
    if name not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {name!r}; choose one of {sorted(SEGMENTERS)}")
    return _cached(name, tuple(sorted(set(user_words))))


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces``, the same tokens, without copying the rest of the text per word.

    Raises:
        ValueError: the words do not spell the text (whitespace aside).
    """
    if "".join("".join(words).split()) != "".join(text.split()):
        raise ValueError(f"words do not match the text: {text[:80]!r}")
    out_words: list[str] = []
    spaces: list[bool] = []
    pos, n = 0, len(text)
    for word in words:
        if word.isspace():
            continue
        found = text.find(word, pos)
        if found < 0:
            raise ValueError(f"word {word!r} not found in the text after offset {pos}")
        if found > pos:  # text the segmenter dropped (whitespace) becomes a token of its own
            out_words.append(text[pos:found])
            spaces.append(False)
            pos = found
        out_words.append(word)
        pos += len(word)
        if pos < n and text[pos] == " ":
            spaces.append(True)
            pos += 1
        else:
            spaces.append(False)
    if pos < n:
        out_words.append(text[pos:])
        spaces.append(False)
    return out_words, spaces


class SegmenterTokenizer:
    """A spaCy tokenizer that delegates word boundaries to a :class:`Segmenter`."""

    def __init__(self, vocab: Vocab, segmenter: Segmenter) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text`` into a Doc whose tokens cover it exactly."""
        words = [w for w in self.segmenter.cut(text) if w]
        try:
            words, spaces = words_and_spaces(words, text)
        except ValueError:  # a segmenter altered the text: fall back to characters
            words, spaces = get_words_and_spaces(CharSegmenter().cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("zwgk.SegmenterTokenizer.v1")  # type: ignore[untyped-decorator]
def create_tokenizer(segmenter: str = "pkuseg") -> Callable[[Any], SegmenterTokenizer]:
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "zwgk.SegmenterTokenizer.v1"``."""

    def make(nlp: Any) -> SegmenterTokenizer:
        from extractors.lexicon import user_dictionary

        return SegmenterTokenizer(nlp.vocab, get_segmenter(segmenter, user_dictionary()))

    return make


@lru_cache(maxsize=1)
def boundary_tokenizer() -> Any:
    """A private jieba tokenizer (no user dictionary) that the rule matchers ask where words start.

    Agencies and term heads must not start inside a word (规范|性文件, 办|理); this segmentation
    is independent of the pipeline's configured segmenter so that rule outputs do not change
    with it.
    """
    return quiet_jieba_tokenizer()


def quiet_jieba_tokenizer() -> Any:
    """A new, initialised jieba tokenizer that prints nothing and keeps its cache in the user's cache dir.

    jieba logs "Building prefix dict…" on stderr and writes ``jieba.cache`` to /tmp by default.
    """
    import logging

    import jieba
    from platformdirs import user_cache_dir

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    cache = Path(user_cache_dir("zwgk-kg"))
    cache.mkdir(parents=True, exist_ok=True)
    tok.tmp_dir = str(cache)
    tok.initialize()
    return tok


@lru_cache(maxsize=4096)
def boundary_word_starts(run: str) -> frozenset[int]:
    """Offsets in ``run`` where a word of :func:`boundary_tokenizer` (no HMM) starts, remembered.

    The agency scanner and the term finders both ask about the same Han runs.
    """
    out: set[int] = set()
    pos = 0
    for word in boundary_tokenizer().cut(run, HMM=False):
        out.add(pos)
        pos += len(word)
    return frozenset(out)
