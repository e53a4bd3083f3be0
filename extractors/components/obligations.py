"""Obligations: who must do what, how strongly, by when and how often.

A sentence is split into clauses (；，). A clause whose subject is an agency
mention at its start (optionally after 由/请/并由), possibly several joined by
、/和/及/与, followed by a predicate (要/应当/须/定期/统一/负责/牵头/做好 …)
opens an obligation with those actors; the clauses after it continue it until
the next subject. A clause with a modal (要/应当/须 …) and no agency subject
opens an actorless obligation (the item's note or table gives the actor
later). A person or post (主要负责同志) is not an agency subject.

Example:
    >>> f = find_frequencies("每年至少召开1次")[0][2]
    >>> (f.count, f.comparator, f.period)
    (1, 'min', 'year')
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from extractors.components.mechanisms import find_mechanisms
from extractors.components.platforms import find_platforms
from extractors.components.schemes import TermMatch
from extractors.layout.dates import NUM, cn_number, find_deadlines
from extractors.paths import DATA_DIR
from extractors.records import Frequency, RelativeDeadline

__all__ = [
    "AgencyLike",
    "ObligationDraft",
    "find_frequencies",
    "find_obligations",
    "find_strength",
]


class AgencyLike(Protocol):
    """What :func:`find_obligations` needs of an agency match (offsets into the sentence)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def name(self) -> str: ...


@dataclass
class ObligationDraft:
    """One obligation of a sentence; offsets index the sentence string.

    Mirrors :class:`extractors.records.ObligationRecord`; ``actors`` are the
    canonical agency names, ``mechanisms``/``platforms`` the term keys.
    """

    action: str
    start: int
    end: int
    actors: list[str] = field(default_factory=list)
    actor_source: str | None = None  # "subject" or None (actorless)
    mechanisms: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    terms: list[TermMatch] = field(default_factory=list)
    strength: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    deadlines: list[date] = field(default_factory=list)
    relative_deadline: RelativeDeadline | None = None
    frequency: Frequency | None = None


# ---------------------------------------------------------------- words


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "kinds_obligation_words.json").read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    """The word lists of the data file (built once; read only)."""
    return {k: v for k, v in _data().items() if isinstance(v, list)}


@lru_cache(maxsize=1)
def _subject_leads() -> tuple[str, ...]:
    return tuple(sorted(_words()["subject_leads"], key=len, reverse=True))


def _context(key: str) -> dict[str, list[str]]:
    value: dict[str, list[str]] = _data()[key]
    return value


@lru_cache(maxsize=1)
def _modal_re() -> re.Pattern[str]:
    w = _words()
    parts = []
    for modal in sorted(w["modals"], key=len, reverse=True):
        parts.append(re.escape(modal))
    return re.compile("|".join(parts))


def _is_false_modal(text: str, m: re.Match[str]) -> bool:
    """要点, 重要, 主要, 需要 … are not modals."""
    word = m.group(0)
    before = text[max(0, m.start() - 2) : m.start()]
    after = text[m.end() : m.end() + 2]
    for pre in _context("not_modal_before").get(word, []):
        if before.endswith(pre):
            return True
    return any(after.startswith(post) for post in _context("not_modal_after").get(word, []))


def find_strength(text: str) -> str | None:
    """The first modal that governs the clause: 须/必须/应当/应/要/严格/鼓励/探索/可.

    Example:
        >>> find_strength("各单位要严格落实主要负责人责任")
        '要'
    """
    for m in _modal_re().finditer(text):
        if not _is_false_modal(text, m):
            return m.group(0)
    return None


# ---------------------------------------------------------------- frequencies

_PERIODS = {
    "年": "year",
    "年度": "year",
    "半年": "half_year",
    "季度": "quarter",
    "季": "quarter",
    "月": "month",
    "周": "week",
    "星期": "week",
    "天": "day",
    "日": "day",
}
_CMP = {
    "至少": "min",
    "不少于": "min",
    "不低于": "min",
    "最少": "min",
    "不超过": "max",
    "最多": "max",
    "不多于": "max",
}
_PERIOD = r"(?P<p>半年|年度|年|季度|季|月|周|星期|天|日)"
_COUNTED = re.compile(
    rf"(?:原则上)?每{_PERIOD}(?:[^，。；,;]{{0,12}}?)(?P<c>至少|不少于|不低于|最少|不超过|最多|不多于)?"
    rf"(?:召开|组织|开展|举办|发布|更新|公开|通报|检查|报送|调度|评估|培训|抽查|监测|听取|研究|进行)?"
    rf"(?P<n>{NUM})(?:次|期|场|轮|批|篇|条|个)"
)
_IN_YEAR = re.compile(
    rf"(?:年内|全年|年度内)[^，。；,;]{{0,20}}?(?P<c>至少|不少于|不低于|最少|不超过|最多)(?P<n>{NUM})(?:次|期|场|轮|批|篇|条|个)"
)
_BARE = re.compile(r"(?:原则上)?每(?P<p>半年|年度|年|季度|季|月|周|星期)(?P<when>年初|年底|年末|初|末|底)?")
_REGULAR = re.compile(r"定期")


def _freq(text: str, m: re.Match[str], period: str | None) -> Frequency | None:
    n = cn_number(m.group("n"))
    if n is None:
        return None
    comparator = _CMP.get(m.group("c") or "", "exact")
    return Frequency(text=m.group(0), count=n, comparator=comparator, period=period)


def find_frequencies(text: str) -> list[tuple[int, int, Frequency]]:
    """Find frequencies and quantities.

    每年至少召开1次 → (1, min, year); 年内…不少于5次 → (5, min, None);
    每季度 → (1, exact, quarter); 每年年初 → (1, exact, year); 定期 → no count.

    Args:
        text: normalised text.

    Returns:
        ``(start, end, Frequency)`` tuples in text order, not overlapping.
    """
    out: list[tuple[int, int, Frequency]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b, _ in out)

    for m in _COUNTED.finditer(text):
        if (f := _freq(text, m, _PERIODS[m.group("p")])) is not None:
            out.append((m.start(), m.end(), f))
    for m in _IN_YEAR.finditer(text):
        if free(m.start(), m.end()) and (f := _freq(text, m, None)) is not None:
            out.append((m.start(), m.end(), f))
    for m in _BARE.finditer(text):
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), Frequency(m.group(0), 1, "exact", _PERIODS[m.group("p")])))
    for m in _REGULAR.finditer(text):
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), Frequency(m.group(0), None, "exact", None)))
    return sorted(out, key=lambda t: t[0])


# ---------------------------------------------------------------- clauses


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Clause ranges split at ；，;, and 。 (the sentence may hold several); '.' after a Chinese word too."""
    out = []
    start = 0
    for m in re.finditer(r"[；，;,。！？!?]|(?<=[\u4e00-\u9fff])\.(?![0-9A-Za-z])", sentence):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(sentence):
        out.append((start, len(sentence)))
    return [(s, e) for s, e in out if sentence[s:e].strip()]


_ASIDE = re.compile(r"[(（][^()（）]{1,24}[)）]")  # (以下统称区县政府), (以下简称…) after a subject


def _subject(sentence: str, start: int, end: int, agencies: Sequence[AgencyLike]) -> list[str]:
    """Actors when the clause opens with agency mentions followed by a predicate.

    A lead (由, 请, 全省, 全市 …) may stand before the first mention, and an aside in brackets
    ((以下统称区县政府)) after any of them; failing that, an agent after 由 inside the clause.
    """
    pos = start
    while pos < end and sentence[pos].isspace():
        pos += 1
    by_start = {a.start: a for a in agencies}
    actors = _actors_at(sentence, pos, end, by_start, lead=True)
    if actors:
        return actors
    # an agent after 由 inside the clause: 解读材料由起草部门同步上传
    for m in re.finditer("由", sentence[:end]):
        if m.start() > pos and (actors := _actors_at(sentence, m.end(), end, by_start, lead=False)):
            return actors
    return []


def _actors_at(sentence: str, pos: int, end: int, by_start: dict[int, AgencyLike], lead: bool) -> list[str]:
    """The agency mentions joined by 、/和/及 … from ``pos`` when a predicate follows them."""
    w = _words()
    if lead and pos not in by_start:
        for word in _subject_leads():
            if sentence.startswith(word, pos):
                pos += len(word)
                break
    actors: list[str] = []
    while (a := by_start.get(pos)) is not None and a.end <= end:
        actors.append(a.name)
        pos = a.end
        if (aside := _ASIDE.match(sentence, pos, end)) is not None:
            pos = aside.end()
        joiner = next(
            (j for j in ("、", "和", "及", "与", "会同", "联合") if sentence.startswith(j, pos)), None
        )
        if joiner is None or pos + len(joiner) not in by_start:
            break
        pos += len(joiner)
    if not actors:
        return []
    rest = sentence[pos:end]
    if any(rest.startswith(p) for p in w["subject_followers"]):
        return actors
    return []


def _units_only(sentence: str, start: int, end: int, agencies: Sequence[AgencyLike]) -> list[str]:
    """The units of a clause that names units and nothing else (各区县人民政府，…), else []."""
    pos = start
    while pos < end and sentence[pos].isspace():
        pos += 1
    by_start = {a.start: a for a in agencies}
    names: list[str] = []
    while (a := by_start.get(pos)) is not None and a.end <= end:
        names.append(a.name)
        pos = a.end
        joiner = next((j for j in ("、", "和", "及", "与") if sentence.startswith(j, pos)), None)
        if joiner is None:
            break
        pos += len(joiner)
    return names if names and not sentence[pos:end].strip() else []


def _fill(d: ObligationDraft, sentence: str, year: int | None, terms: list[TermMatch]) -> ObligationDraft:
    text = sentence[d.start : d.end]
    d.action = text
    d.strength = find_strength(text)
    for _s, _e, when, rel, surface in find_deadlines(text, year):
        if when is not None:
            d.deadlines.append(when)
            if d.deadline is None:
                d.deadline, d.deadline_text = when, surface
        if rel is not None and d.relative_deadline is None:
            d.relative_deadline = rel
    freqs = find_frequencies(text)
    d.frequency = freqs[0][2] if freqs else None
    d.terms = [t for t in terms if d.start <= t.start and t.end <= d.end]
    d.mechanisms = list(dict.fromkeys(t.key for t in d.terms if t.kind == "mechanism"))
    d.platforms = list(dict.fromkeys(t.key for t in d.terms if t.kind == "platform"))
    return d


def find_obligations(
    sentence: str,
    agencies: Sequence[AgencyLike],
    year: int | None,
    terms: Sequence[TermMatch] | None = None,
) -> list[ObligationDraft]:
    """Split a sentence into obligations.

    Args:
        sentence: normalised sentence text.
        agencies: agency mentions with ``start``/``end`` offsets into ``sentence``
            and a canonical ``name``.
        year: the document's year, for deadlines without one.
        terms: platform and mechanism matches already found (offsets into
            ``sentence``); found here when not given.

    Returns:
        Obligations in text order; ``action`` is the clause text from the
        subject (or modal clause) to the next subject.

    Example:
        >>> from types import SimpleNamespace as A
        >>> s = "各单位要加强政策解读，区政府办公室定期通报。"
        >>> ags = [A(start=0, end=3, name="各单位"), A(start=11, end=17, name="区政府办公室")]
        >>> obs = find_obligations(s, ags, 2023)
        >>> [(o.actors, o.strength, o.frequency is not None) for o in obs]
        [(['各单位'], '要', False), (['区政府办公室'], None, True)]
    """
    found = list(terms) if terms is not None else find_platforms(sentence) + find_mechanisms(sentence)
    drafts: list[ObligationDraft] = []
    current: ObligationDraft | None = None
    listed: tuple[int, list[str]] | None = None  # a clause of units only, before the next subject
    for start, end in _clauses(sentence):
        actors = _subject(sentence, start, end, agencies)
        clause = sentence[start:end]
        if actors and listed is not None:  # 各区县人民政府，市政府各部门负责
            start, actors = listed[0], [*listed[1], *actors]
        only = None if actors else _units_only(sentence, start, end, agencies)
        listed = (listed[0] if listed else start, [*(listed[1] if listed else []), *only]) if only else None
        if actors:
            current = ObligationDraft(action="", start=start, end=end, actors=actors, actor_source="subject")
            drafts.append(current)
        elif current is None and find_strength(clause) in _words()["strong_modals"]:
            current = ObligationDraft(action="", start=start, end=end)
            drafts.append(current)
        elif current is not None:
            current.end = end
    return [_fill(d, sentence, year, found) for d in drafts]
