"""Pluggable Chinese word segmentation, and the spaCy tokenizer built on it.

Three segmenters, chosen in the pipeline config (``segmenter = "jieba"`` by
default, or ``ZWGK_SEGMENTER``):

* ``jieba``: jieba's dictionary (no HMM) plus a user dictionary generated from
  the project's own data files, so organ, platform and mechanism names stay whole;
* ``pkuseg``: PKU's segmenter with its default model (licensed for research
  use only; see README) and the same user dictionary;
* ``char``: one token per character (no model, no licence question).

The segmenter's tokens are the word boundaries the rules use: inside
:func:`word_boundaries` (the components and the assembly of a Doc),
:func:`boundary_word_starts` answers from the Doc's own tokens. The default was
chosen by measurement (``python -m bench --only segmenters``; bench/results/NOTES.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from spacy.attrs import IDX
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

__all__ = [
    "DEFAULT_SEGMENTER",
    "SEGMENTERS",
    "CharSegmenter",
    "DocWordStarts",
    "JiebaSegmenter",
    "PkusegSegmenter",
    "Segmenter",
    "SegmenterTokenizer",
    "boundary_word_starts",
    "cut_word_starts",
    "default_segmenter",
    "get_segmenter",
    "on_segmentation_change",
    "word_boundaries",
    "words_and_spaces",
]

# The pipeline's segmenter unless its config says otherwise (chosen by measurement: bench/results/NOTES.md).
DEFAULT_SEGMENTER = os.environ.get("ZWGK_SEGMENTER", "jieba")


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
    """jieba (precise mode, dictionary words only) plus the same user dictionary.

    Without HMM an unknown word stays in single characters, so a rule may start a name there; with
    HMM jieba glues unknown characters into guessed words and left edges disappear (measured on the
    held-out sets: agencies and pairs fall; bench/results/NOTES.md).
    """

    name = "jieba"

    def __init__(self, user_words: Sequence[str] = (), hmm: bool = False) -> None:
        self.hmm = hmm
        self._tok: Any = quiet_jieba_tokenizer()
        for word in user_words:
            self._tok.add_word(word, freq=200000)

    def cut(self, text: str) -> list[str]:
        """Segment ``text`` with jieba; whitespace tokens are dropped."""
        return [w for w in self._tok.cut(text, HMM=self.hmm) if not w.isspace()]


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

    # The segmenter and its user dictionary come from the config and the package's data files:
    # nothing to write next to the pipeline, but spaCy's to_disk/from_disk ask the tokenizer.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write nothing (the config names the segmenter)."""
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SegmenterTokenizer:
        """Read nothing back."""
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """No state beyond the config."""
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> SegmenterTokenizer:
        """No state beyond the config."""
        return self


@registry.tokenizers("zwgk.SegmenterTokenizer.v1")  # type: ignore[untyped-decorator]
def create_tokenizer(segmenter: str = DEFAULT_SEGMENTER) -> Callable[[Any], SegmenterTokenizer]:
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "zwgk.SegmenterTokenizer.v1"``."""

    def make(nlp: Any) -> SegmenterTokenizer:
        from extractors.components.lexicon import user_dictionary

        return SegmenterTokenizer(nlp.vocab, get_segmenter(segmenter, user_dictionary()))

    return make


class DocWordStarts:
    """Where the tokens of one Doc start, asked about by the text of a run (whitespace ignored).

    The rule matchers ask about a clause or a Han run of the text (or of its compact view, whitespace
    removed), left to right. The run is found in the Doc's text (compared without whitespace, from
    where the last one was found, so a long text is not searched from its start every time) and the
    Doc's token starts inside it are returned; a run not in the Doc (a probe string built by a rule) is
    cut by the same tokenizer.
    """

    def __init__(
        self, doc: Doc, tokenizer: Callable[[str], Doc] | None = None, text: str | None = None
    ) -> None:
        text = doc.text if text is None else text  # doc.text makes a Token per token: pass it when known
        keep = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.compact = "".join(text[i] for i in keep)
        token_starts = set(doc.to_array(IDX).tolist())  # without making a Token per token
        marks = bytearray(len(keep))
        prev = -2
        for k, i in enumerate(keep):
            if i in token_starts or i != prev + 1:  # a token starts here, or whitespace came before
                marks[k] = 1
            prev = i
        self.marks = bytes(marks)
        self.tokenizer = tokenizer
        self._cache: dict[str, frozenset[int]] = {}
        self.hint = 0  # where the last run was found: the rules ask left to right

    def rewind(self) -> None:
        """A new pass over the text (another component) starts looking from the beginning."""
        self.hint = 0

    def of(self, run: str) -> frozenset[int]:
        """Offsets in ``run`` where a token starts (0 always; whitespace characters and what follows them)."""
        found = self._cache.get(run)
        if found is None:
            found = self._cache[run] = self._of(run)
        return found

    def _of(self, run: str) -> frozenset[int]:
        keep = [i for i, ch in enumerate(run) if not ch.isspace()]
        compact = run if len(keep) == len(run) else "".join(run[i] for i in keep)
        at = -1
        if compact:  # the next occurrence from the last one found, else the first one before it
            at = self.compact.find(compact, self.hint)
            if at < 0:
                at = self.compact.find(compact, 0, self.hint + len(compact))
        if at < 0:
            return cut_word_starts(self.tokenizer, run)
        self.hint = at
        out = {0}
        marks = self.marks
        prev = -1
        for k, i in enumerate(keep):
            if i != prev + 1:  # whitespace before: each of its characters and this one start words
                out.update(range(prev + 1, i + 1))
            elif marks[at + k]:
                out.add(i)
            prev = i
        out.update(range(prev + 1, len(run)))
        return frozenset(out)


_ACTIVE: ContextVar[DocWordStarts | None] = ContextVar("zwgk_word_starts", default=None)
_CACHE_CLEARERS: list[Callable[[], None]] = []
_last_segmentation: list[object] = [None]
# the components and the assembly of one doc share its index
_last_index: list[tuple[Doc, object, DocWordStarts] | None] = [None]


def on_segmentation_change(clear: Callable[[], None]) -> None:
    """Register a cache (keyed by text) holding word starts: cleared when the segmentation changes."""
    _CACHE_CLEARERS.append(clear)


def _segmentation_of(tokenizer: object) -> object:
    seg = getattr(tokenizer, "segmenter", None)
    return (type(tokenizer).__name__, getattr(seg, "name", None), id(seg) if seg is not None else None)


@contextmanager
def word_boundaries(
    doc: Doc, tokenizer: Callable[[str], Doc] | None = None, text: str | None = None
) -> Iterator[DocWordStarts]:
    """Within the block, :func:`boundary_word_starts` answers from ``doc``'s tokens.

    ``tokenizer`` (the pipeline's own) cuts runs that are not in the doc; ``text`` is ``doc.text``
    when the caller has it. Caches registered with
    :func:`on_segmentation_change` are cleared when the segmentation differs from the last one used.
    """
    key = _segmentation_of(tokenizer)
    if key != _last_segmentation[0]:  # also the first time: rules called alone filled them by default
        for clear in _CACHE_CLEARERS:
            clear()
        _last_segmentation[0] = key
    last = _last_index[0]
    if last is not None and last[0] is doc and last[1] is tokenizer:
        index = last[2]
        index.rewind()
    else:
        index = DocWordStarts(doc, tokenizer, text)
        _last_index[0] = (doc, tokenizer, index)
    token = _ACTIVE.set(index)
    try:
        yield index
    finally:
        _ACTIVE.reset(token)


def cut_word_starts(tokenizer: Callable[[str], Doc] | None, run: str) -> frozenset[int]:
    """Word starts of ``run`` cut by ``tokenizer`` (the default segmenter's when None)."""
    if tokenizer is None:
        return _default_word_starts(run)
    if isinstance(tokenizer, SegmenterTokenizer):
        return _starts_of_words(tokenizer.segmenter.cut(run), run)
    return frozenset({0} | {t.idx for t in tokenizer(run)})


def _starts_of_words(words: list[str], run: str) -> frozenset[int]:
    try:
        words, spaces = words_and_spaces([w for w in words if w], run)
    except ValueError:
        return frozenset(range(len(run)))
    out = {0}
    pos = 0
    for word, space in zip(words, spaces, strict=True):
        out.add(pos)
        pos += len(word) + space
        if space:
            out.add(pos - 1)
    return frozenset(out)


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The default segmenter with the user dictionary (``ZWGK_SEGMENTER`` or :data:`DEFAULT_SEGMENTER`)."""
    from extractors.components.lexicon import user_dictionary

    return get_segmenter(DEFAULT_SEGMENTER, user_dictionary())


@lru_cache(maxsize=4096)
def _default_word_starts(run: str) -> frozenset[int]:
    return _starts_of_words(default_segmenter().cut(run), run)


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


def boundary_word_starts(run: str) -> frozenset[int]:
    """Offsets in ``run`` where a word starts, for the rule matchers (agency and term left edges).

    Inside :func:`word_boundaries` (the pipeline's components and assembly) the words are the tokens of
    the Doc being processed, so the pipeline's one segmenter decides; elsewhere (a rule called on its
    own) the default segmenter cuts ``run``. Agencies and term heads must not start inside a word
    (规范|性文件, 办|理).
    """
    index = _ACTIVE.get()
    if index is not None:
        return index.of(run)
    return _default_word_starts(run)
