"""Other kinds of term: campaigns, brands, target groups, policy areas, legal instruments.

None of these is a platform or mechanism (spec/ANNOTATION.md, the "No"
lists), but each is worth keeping in the graph as its own kind:

- campaigns and slogans: quoted names followed by 发展思路/部署要求/为总牵引/
  战略/规划/行动 …, or shaped like one (“十个加速度”, “项目提升年”);
- brands: quoted names followed by 品牌 (“泉诚公开”品牌);
- target groups and policy areas: national term lists in ``data/``;
- legal instruments: 《…》 titles of laws, regulations and policy documents,
  and 国务院令第713号-style order numbers.

:func:`find_terms` runs every finder and resolves overlaps.

Example:
    >>> [(m.kind, m.name) for m in find_other_kinds("以“项目提升年”为总牵引，做好高校毕业生就业")]
    [('campaign', '项目提升年'), ('target_group', '高校毕业生')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache

from extractors.components.mechanisms import find_mechanisms
from extractors.components.platforms import find_platforms
from extractors.components.quotes import classify_quoted, quoted_names
from extractors.components.schemes import TermMatch, _alt, nfkc
from extractors.components.terms import Compact, Hit, to_matches
from extractors.paths import DATA_DIR

__all__ = ["find_other_kinds", "find_terms"]

_LEGAL_WORDS = r"条例|办法|规定|法|意见|通知|方案|要点|细则|规划|纲要|决定|指引|准则|规范|规则|标准|指南"
_TITLE_RE = re.compile(rf"《([^《》]{{2,80}}(?:{_LEGAL_WORDS})(?:\([^()]{{1,20}}\))?)》")
_ORDER_RE = re.compile(r"(?:国务院|[\u4e00-\u9fff]{2,12}(?:部|委员会|总局|局))令(?:第)?\d{1,4}号")


@lru_cache(maxsize=2)
def _word_list(name: str) -> tuple[str, ...]:
    path = DATA_DIR / name
    lines = path.read_text("utf-8").splitlines()
    return tuple(nfkc(w.strip()) for w in lines if w.strip() and not w.lstrip().startswith("#"))


@lru_cache(maxsize=2)
def _list_regex(name: str) -> re.Pattern[str]:
    return re.compile(_alt(_word_list(name)))


def _quoted_hits(c: str) -> list[tuple[Hit, str]]:
    quotes = quoted_names(c)
    out = []
    for q in quotes:
        kind = classify_quoted(c, q, quotes)
        if kind in ("campaign", "brand"):
            name = nfkc(q.inner)
            out.append((Hit(q.start, q.end, name, name, False), kind))
    return out


def _list_hits(c: str, name: str) -> list[Hit]:
    return [Hit(m.start(), m.end(), m.group(0), m.group(0), True) for m in _list_regex(name).finditer(c)]


def _legal_hits(c: str) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), m.group(0), m.group(0), False) for m in _TITLE_RE.finditer(c)]
    hits += [Hit(m.start(), m.end(), m.group(0), m.group(0), False) for m in _ORDER_RE.finditer(c)]
    return hits


def find_other_kinds(text: str) -> list[TermMatch]:
    """Find campaigns, brands, target groups, policy areas and legal instruments.

    Args:
        text: normalised text (NFKC, simplified).

    Returns:
        Matches in text order; spans of one kind do not overlap. Terms inside
        a 《…》 title are skipped, except the title itself (a legal instrument).
    """
    cv = Compact.of(text)
    c = cv.text
    out: list[TermMatch] = []
    for hit, kind in _quoted_hits(c):
        out += to_matches(text, cv, [hit], kind)
    out += to_matches(text, cv, _list_hits(c, "kinds_target_groups.txt"), "target_group")
    out += to_matches(text, cv, _list_hits(c, "kinds_policy_areas.txt"), "policy_area")
    for h in _legal_hits(c):
        start, end = cv.span(h.start, h.end)
        out.append(TermMatch(start, end, c[h.start : h.end], h.name, h.name, "legal_instrument", False))
    return sorted(out, key=lambda m: (m.start, -m.end))


def _overlaps(a: TermMatch, b: TermMatch) -> bool:
    return a.start < b.end and b.start < a.end


def _nested_ok(text: str, a: TermMatch, b: TermMatch) -> bool:
    """A platform named after a mechanism keeps the mechanism nested inside it.

    “双随机、一公开”监管平台 (quoted) and 政策解读栏目 (a column of it) mention
    the procedure; the unquoted words inside a system's name
    (政府信息依申请公开数字化管理平台) only describe what it handles.
    """
    pair = {a.kind, b.kind}
    if pair != {"platform", "mechanism"}:
        return False
    outer, inner = (a, b) if a.kind == "platform" else (b, a)
    if not (outer.start <= inner.start and inner.end <= outer.end):
        return False
    rest = "".join(text[inner.end : outer.end].split())
    return inner.surface[:1] in _OPENERS or rest in _COLUMN_HEADS


_OPENERS = '“"「『‘'
_COLUMN_HEADS = ("栏目", "专栏", "专题", "专区")


BLOCK_CHARS = 50_000
_SENTENCE_END = re.compile(r"[。！？；!?;]\s*\n|\n\s*\n")
_LINE_END = re.compile(r"\n")
_CLAUSE_END = re.compile(r"[。！？；，!?;,]")


def text_blocks(text: str, size: int = BLOCK_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into blocks of about ``size`` characters, as ``(offset, block)``.

    A block ends after a sentence that ends a line (or a blank line); failing one
    within ``size`` more characters, after a line; failing that, after a clause or
    at ``2 * size``. Terms do not run over such boundaries.
    """
    out: list[tuple[int, str]] = []
    start, n = 0, len(text)
    while n - start > size:
        end = min(start + 2 * size, n)
        for pattern in (_SENTENCE_END, _LINE_END, _CLAUSE_END):
            found = pattern.search(text, start + size, start + 2 * size)
            if found is not None:
                end = found.end()
                break
        out.append((start, text[start:end]))
        start = end
    if start < n:
        out.append((start, text[start:]))
    return out


def _shift(m: TermMatch, offset: int) -> TermMatch:
    """``m`` moved by ``offset`` characters."""
    return replace(m, start=m.start + offset, end=m.end + offset)


def find_terms(text: str) -> list[TermMatch]:
    """Find terms of every kind, resolved so spans do not overlap.

    Platforms and mechanisms come first; where they overlap the longer one
    wins, except that a mechanism nested in a platform named after it is kept
    (“双随机、一公开”监管平台 is a platform and contains the mechanism 双随机、一公开).
    Other kinds are kept only where they overlap nothing kept before. A text over
    ``BLOCK_CHARS`` is read in blocks (:func:`text_blocks`), so time stays linear in its size.

    Args:
        text: normalised text (NFKC, simplified).

    Returns:
        Matches in text order.

    Example:
        >>> [(m.kind, m.name) for m in find_terms("优化“双随机、一公开”监管平台")]
        [('platform', '“双随机、一公开”监管平台'), ('mechanism', '双随机、一公开')]
    """
    if len(text) <= BLOCK_CHARS:
        return _find_terms(text)
    # the finders' resolution is not linear in the number of hits: bound it
    return [_shift(m, start) for start, block in text_blocks(text) for m in _find_terms(block)]


def _find_terms(text: str) -> list[TermMatch]:
    primary = sorted(find_platforms(text) + find_mechanisms(text), key=lambda m: (m.start - m.end, m.start))
    kept = _Kept()
    for m in primary:
        if all(_nested_ok(text, m, k) for k in kept.overlapping(m)):
            kept.add(m)
    for m in find_other_kinds(text):
        if m.kind == "legal_instrument":
            kept.remove_inside(m)
            kept.add(m)
        elif not kept.overlapping(m):
            kept.add(m)
    return kept.in_order()


class _Kept:
    """Kept terms indexed by start, so overlap checks look at a window, not every term (linear time)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._terms: list[tuple[int, TermMatch]] = []  # (order added, term), sorted by start
        self._longest = 1
        self._added = 0

    def add(self, m: TermMatch) -> None:
        i = bisect_right(self._starts, m.start)
        self._starts.insert(i, m.start)
        self._terms.insert(i, (self._added, m))
        self._added += 1
        self._longest = max(self._longest, m.end - m.start)

    def overlapping(self, m: TermMatch) -> list[TermMatch]:
        """Kept terms that overlap ``m``: they start before it ends and end after it starts."""
        lo = bisect_left(self._starts, m.start - self._longest + 1)
        hi = bisect_left(self._starts, m.end)
        return [k for _, k in self._terms[lo:hi] if _overlaps(m, k)]

    def remove_inside(self, m: TermMatch) -> None:
        """Drop kept terms inside ``m``."""
        lo, hi = bisect_left(self._starts, m.start), bisect_right(self._starts, m.end)
        stay = [(n, k) for n, k in self._terms[lo:hi] if k.end > m.end]
        self._terms[lo:hi] = stay
        self._starts[lo:hi] = [k.start for _, k in stay]

    def in_order(self) -> list[TermMatch]:
        """Text order (start, longer first), ties in the order added."""
        ordered = sorted(self._terms, key=lambda t: (t[1].start, -t[1].end, t[0]))
        return [k for _, k in ordered]
