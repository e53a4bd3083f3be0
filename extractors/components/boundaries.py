"""Where an unknown name starts: the word index and the left-boundary rules.

:func:`word_starts` indexes the word starts of a text (from the pipeline's segmenter);
:func:`left_boundary` walks left from a head word (…制度, …平台) to the start of the
name, stopping at verbs, conjunctions and counted phrases.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container
from functools import lru_cache

from extractors.components.schemes import lexicon
from extractors.components.segment import boundary_word_starts

__all__ = ["WordIndex", "boundary_at", "is_generic", "left_boundary", "strip_level", "word_starts"]


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


class WordIndex:
    """Offsets where a word starts in a text: jieba words (no HMM) inside Han runs, every other character.

    Each Han run is segmented once, the first time an offset inside it is
    asked about; later tests are set look-ups.
    """

    def __init__(self, c: str) -> None:
        self.text = c
        runs = [(m.start(), m.end()) for m in _HAN_RUN.finditer(c)]
        self._starts = [a for a, _ in runs]
        self._ends = [b for _, b in runs]
        self._inner: dict[int, frozenset[int]] = {}

    def __contains__(self, i: object) -> bool:
        if not isinstance(i, int):
            return False
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0 or i >= self._ends[k] or i == self._starts[k]:
            return True
        return i in self._words(k)

    def _words(self, k: int) -> frozenset[int]:
        if k not in self._inner:
            base = self._starts[k]
            starts = boundary_word_starts(self.text[base : self._ends[k]])
            self._inner[k] = frozenset(base + offset for offset in starts)
        return self._inner[k]


@lru_cache(maxsize=8)
def word_starts(c: str) -> WordIndex:
    """The (cached) :class:`WordIndex` of a compact text."""
    return WordIndex(c)


def left_boundary(
    c: str,
    head_start: int,
    max_len: int = 20,
    min_len: int = 2,
    words: Container[int] | None = None,
    coordinate: bool = False,
) -> int | None:
    """Start of the noun phrase ending at ``head_start``, or None when there is no clean one.

    Scans left over name characters and stops at punctuation, after a deadline
    phrase (2024年6月底前) or after a boundary word (a verb such as 健全/依托/
    通过, a preposition, 的). With ``words`` (jieba word starts) a one-character
    boundary word only counts where it is a word of its own, so 经 inside 经营
    does not cut 涉企经营许可事项清单. With ``coordinate`` a phrase stopped by
    和/及/与/、 goes on to the governing verb when the left conjunct is a bare
    modifier (跟班学习、轮岗培训机制), not a name with a head of its own
    (办事指南和中介服务事项清单). A phrase shorter than ``min_len`` before the
    head, or longer than ``max_len``, gives None.
    """
    start = _scan_left(c, head_start, max_len, words)
    if start is None:
        return None
    if coordinate and (ext := _coordinated_start(c, start, head_start, max_len, words)) is not None:
        return ext
    return start if head_start - start >= min_len else None


_DEADLINE_RE = re.compile(
    r"(?:\d{1,4}|[〇零一二三四五六七八九十]{1,4})(?:年|月|日|季度)(?:底|末|中旬|上旬|下旬)?(?:前|以前|内|之前|起)"
    r"|(?:年底|年末|月底|季度末)(?:前|以前|之前)"
    r"|\d{1,4}年\d{1,2}月(?:\d{1,2}日)?"
)


@lru_cache(maxsize=1)
def _stops_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    """Boundary words grouped by length, longest first."""
    stops = lexicon()["boundary_words"]
    lengths = sorted({len(w) for w in stops}, reverse=True)
    return tuple((n, frozenset(w for w in stops if len(w) == n)) for n in lengths)


def _stop_ending_at(c: str, i: int) -> str | None:
    """The longest boundary word that ends at ``i``, if any."""
    for n, words in _stops_by_length():
        if i >= n and (w := c[i - n : i]) in words:
            return w
    return None


def _scan_left(c: str, head_start: int, max_len: int, words: Container[int] | None) -> int | None:
    i = head_start
    while True:
        if head_start - i > max_len:
            return None
        w = boundary_at(c, i, head_start, words)
        if w is not None or i == 0 or not _name_char(c, i - 1) or _counted(c, i):
            break
        i -= 1
    last = None
    for m in _DEADLINE_RE.finditer(c, i, head_start):
        last = m
    return last.end() if last else i


def boundary_at(c: str, i: int, head_start: int, words: Container[int] | None) -> str | None:
    """The boundary word ending at ``i`` that stops a left scan from ``head_start``, if any.

    With ``words`` a boundary word must end a word (规范 of 规范性文件 does
    not), a one-character one must be a word of its own (经 of 经营 is not);
    an adverb of ``soft_boundary_words`` within two characters of the head is
    part of a compound head (企业环境信息依法披露系统).
    """
    w = _stop_ending_at(c, i)
    if w is None:
        return None
    if words is not None and _is_cjk(w[0]) and not (i in words and (len(w) > 1 or i - 1 in words)):
        return None
    if w in _soft_stops() and head_start - i <= 2:
        return None
    return w


@lru_cache(maxsize=1)
def _soft_stops() -> frozenset[str]:
    return frozenset(lexicon().get("soft_boundary_words", []))


_COUNTED = re.compile(r"(?:[0-9]+|[一二三四五六七八九十两几每])[次个批项家种轮场]$")


def _counted(c: str, i: int) -> bool:
    """Whether a numeral + measure word ends at ``i`` (开展一次|X网检查): never inside a name."""
    return c[i - 1 : i] in "次个批项家种轮场" and bool(_COUNTED.search(c, max(0, i - 5), i))


_CONJ = "和及与、"


def _coordinated_start(
    c: str, start: int, head_start: int, max_len: int, words: Container[int] | None
) -> int | None:
    """Start of the whole coordination when ``c[start-1]`` joins modifiers of one head."""
    lex = lexicon()
    stem = c[start:head_start]
    if len(stem) < 4 or (c[start - 1 : start] != "、" and len(stem) < 6):
        return None  # 收费公示和公开承诺制度: two short names sharing a head
    named = tuple(
        lex["mechanism_heads"] + lex["mechanism_zhi_heads"] + lex["platform_heads"] + lex["conjunct_heads"]
    )
    pos = start
    while pos > 0 and c[pos - 1] in _CONJ:
        left = _scan_left(c, pos - 1, max_len, words)
        if left is None or pos - 1 - left < 2 or head_start - left > max_len + 6:
            return None
        if c[left : pos - 1].endswith(named):
            return None
        if left > 0 and not _is_cjk(c[left - 1]) and c[left - 1] not in _CONJ:
            return None  # no governing verb: a list at the start of a clause
        if left > 0 and c[left - 1] in "的等或":
            return None
        pos = left
    return pos if pos < start else None


def _name_char(c: str, pos: int) -> bool:
    """Whether ``c[pos]`` can be inside a name (CJK, digit, or the brackets of 村(居))."""
    ch = c[pos]
    if _is_cjk(ch) or ch.isdigit():
        return True
    if ch == ")":
        return bool(re.search(r"\([\u4e00-\u9fff]{1,3}\)$", c[max(0, pos - 4) : pos + 1])) and not re.search(
            r"\([一二三四五六七八九十]+\)$", c[max(0, pos - 5) : pos + 1]
        )
    if ch == "(":
        return bool(re.match(r"\([\u4e00-\u9fff]{1,3}\)", c[pos : pos + 5])) and not re.match(
            r"\([一二三四五六七八九十]+\)", c[pos : pos + 6]
        )
    return False


_OWN_SCOPE = re.compile(
    r"(?:[本我](?:地区|地方|部门|单位|机关|系统|行业|领域|地|区|市|县|省|镇|街道)[、和及与]?)+"
)


def strip_level(name: str) -> str:
    """Drop ownership prefixes that do not change the entity (全市, 各级, 区级, 本地本部门 …)."""
    lex = lexicon()
    scope = _OWN_SCOPE.match(name)
    if scope and len(name) - scope.end() >= 4 and name[scope.end() :] not in lex["generic_terms"]:
        name = name[scope.end() :]
    for p in lex["determiners"]:
        if name.startswith(p) and len(name) - len(p) >= 4:
            name = name[len(p) :]  # 其他媒体平台 → 媒体平台
    for p in sorted(lex["level_prefixes"], key=len, reverse=True):
        if name.startswith(p) and len(name) - len(p) >= 4 and name[len(p) :] not in lex["generic_terms"]:
            return name[len(p) :]
    return name


def is_generic(name: str, head: str) -> bool:
    """Generic phrases that are not names: 工作机制, 相关制度, 平台建设 …"""
    lex = lexicon()
    stem = name[: len(name) - len(head)]
    stem = stem[scope.end() :] if (scope := _OWN_SCOPE.match(stem)) else stem  # 本部门目录
    mods = sorted(lex["generic_modifiers"], key=len, reverse=True)
    while (g := next((g for g in mods if stem.startswith(g)), None)) is not None:
        stem = stem[len(g) :]
    return name in lex["generic_terms"] or len(stem) < 2 or stem in lex["generic_stems"]
