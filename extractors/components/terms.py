"""The term machinery shared by mechanisms, platforms and the other kinds of term.

The SKOS schemes of ``data/*.jsonl`` (:func:`load_scheme`, :func:`concept_id`),
known-name matching on a whitespace-free view of the text (:class:`Compact`,
:func:`known_hits`), quoted names and their shapes (:func:`quoted_names`,
:func:`classify_quoted`), the word index and left-boundary logic that decide
where an unknown name starts (:func:`word_starts`, :func:`left_boundary`,
:func:`head_hits`), and the resolution of overlapping hits into
:class:`TermMatch` es (:func:`resolve`, :func:`to_matches`).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import unicodedata
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from extractors.components.segment import boundary_word_starts
from extractors.paths import DATA_DIR

__all__ = [
    "Compact",
    "Concept",
    "Hit",
    "Quoted",
    "TermMatch",
    "WordIndex",
    "app_brand",
    "boundary_at",
    "chain_end",
    "channel_named",
    "classify_quoted",
    "concept_id",
    "cut_platforms",
    "follower",
    "head_hits",
    "in_title_ranges",
    "inside",
    "is_generic",
    "known_hits",
    "left_boundary",
    "lexicon",
    "load_scheme",
    "name_surface",
    "nfkc",
    "parallel_slogan",
    "place_before",
    "quoted_names",
    "resolve",
    "service_mode",
    "strip_level",
    "to_matches",
    "word_starts",
]

_QUOTE_PAIRS = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’"}


@dataclass(frozen=True)
class TermMatch:
    """A platform, mechanism or other named term found in a text.

    ``surface`` is the matched text with whitespace removed; ``start``/``end``
    index the text passed in.
    """

    start: int
    end: int
    surface: str
    name: str  # canonical label
    key: str  # "mechanism/<id>" / "platform/<id>" when known, else the canonical label
    kind: str  # platform | mechanism | campaign | brand | target_group | policy_area | legal_instrument
    known: bool


@dataclass(frozen=True)
class Concept:
    """One entry of a curated scheme (mechanisms.jsonl / platforms.jsonl)."""

    id: str
    pref_label: str
    alt_labels: tuple[str, ...]
    definition_zh: str
    definition_en: str
    broader: str | None
    source: str
    patterns: tuple[str, ...] = ()
    keep_prefix: bool = False
    place_prefix: bool = False  # a place name before the label names its own instance (广东政务服务网)
    match: bool = True  # False: a broader concept of the scheme, not matched in text


def nfkc(text: str) -> str:
    """Return the NFKC form the extractors match on."""
    return unicodedata.normalize("NFKC", text)


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    path = DATA_DIR / name
    rows: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise ValueError(f"{path}:{lineno}: invalid JSON ({err.msg})") from err
    return rows


@lru_cache(maxsize=4)
def load_scheme(name: str = "mechanisms.jsonl") -> tuple[Concept, ...]:
    """Load a curated scheme file from ``extractors/data``.

    Args:
        name: ``mechanisms.jsonl`` or ``platforms.jsonl``.

    Returns:
        The concepts in file order.

    Raises:
        ValueError: a line is not valid JSON or lacks ``id``/``prefLabel``.
    """
    out: list[Concept] = []
    for row in _read_jsonl(name):
        if "id" not in row or "prefLabel" not in row:
            raise ValueError(f"{DATA_DIR / name}: entry without id or prefLabel: {row}")
        definition = row.get("definition") or {}
        out.append(
            Concept(
                id=row["id"],
                pref_label=row["prefLabel"],
                alt_labels=tuple(row.get("altLabels", [])),
                definition_zh=definition.get("zh", ""),
                definition_en=definition.get("en", ""),
                broader=row.get("broader"),
                source=row.get("source", ""),
                patterns=tuple(row.get("patterns", [])),
                keep_prefix=bool(row.get("keepPrefix", False)),
                place_prefix=bool(row.get("placePrefix", False)),
                match=bool(row.get("match", True)),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, list[str]]:
    """Word lists for the shape rules (``data/kinds_lexicon.json``)."""
    data: dict[str, list[str]] = json.loads((DATA_DIR / "kinds_lexicon.json").read_text("utf-8"))
    return {k: [nfkc(w) for w in v] for k, v in data.items() if not k.startswith("_")}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _slug(name: str) -> str:
    digest = hashlib.blake2s(nfkc(name).encode("utf-8"), digest_size=6).hexdigest()
    return f"x-{digest}"


@lru_cache(maxsize=2)
def _label_index(scheme: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in load_scheme(scheme):
        for label in (c.pref_label, *c.alt_labels):
            index.setdefault(_bare(label), c.id)
    return index


def _bare(label: str) -> str:
    return re.sub(r"[\s“”‘’\"'「」『』]", "", nfkc(label))


def concept_id(name: str, scheme: str = "mechanisms.jsonl") -> str:
    """Return the scheme id of a term: curated id when known, else a stable hash slug.

    The same function names the SKOS concepts in ``ontology/mechanisms.ttl``,
    so graph nodes built from extraction are these concepts.

    Args:
        name: canonical label or any alias (quotes and whitespace are ignored).
        scheme: ``mechanisms.jsonl`` or ``platforms.jsonl``.

    Example:
        >>> concept_id("“三同步”")
        'san-tongbu'
    """
    return _label_index(scheme).get(_bare(name)) or _slug(name)


@dataclass(frozen=True)
class Compact:
    """Text with whitespace removed, remembering each character's offset."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Compact:
        """Build the compact view of ``text`` (cached: the term finders share it)."""
        return _compact(text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a compact range to the original text."""
        return self.offsets[start], self.offsets[end - 1] + 1


_SPACES = re.compile(r"\s+")  # \s is exactly str.isspace


@lru_cache(maxsize=8)
def _compact(text: str) -> Compact:
    keep: list[int] = []
    pos = 0
    for m in _SPACES.finditer(text):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, len(text)))
    return Compact(_SPACES.sub("", text), tuple(keep))


def in_title_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of 《…》 titles (terms inside a cited title are not mentions)."""
    return [(m.start(), m.end()) for m in re.finditer(r"《[^《》]{1,80}》", text)]


def inside(pos: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``[pos, end)`` lies inside one of ``ranges``."""
    return any(s <= pos and end <= e for s, e in ranges)


@dataclass(frozen=True)
class Hit:
    """A raw match on the compact text before it becomes a :class:`TermMatch`."""

    start: int
    end: int
    name: str
    key: str
    known: bool
    core: tuple[int, int] | None = None  # the quoted name inside, if any


_SHORT_FOLLOWERS = "等和及与的上中或、"


@lru_cache(maxsize=2)
def _known_regex(scheme: str) -> tuple[re.Pattern[str], dict[str, Concept]]:
    by_label: dict[str, Concept] = {}
    parts: list[str] = []
    for c in load_scheme(scheme):
        if c.match:
            for label in (c.pref_label, *c.alt_labels):
                by_label.setdefault(_bare(label), c)
    words = _alt(by_label)
    pats = []
    for c in load_scheme(scheme):
        for i, p in enumerate(c.patterns):
            gname = f"p_{len(parts)}_{i}"
            parts.append(gname)
            by_label[gname] = c
            pats.append(f"(?P<{gname}>{p})")
    # patterns first: at one position the alternation takes the first branch that matches, and a
    # pattern (公众代表列席区政府常务会议) is longer than the label it starts with (公众代表列席)
    pats.append(f"(?P<w>{words})")
    return re.compile("|".join(pats)), by_label


@lru_cache(maxsize=2)
def _known_prefilter(scheme: str) -> tuple[Any, re.Pattern[str] | None] | None:
    """Where :func:`_known_regex` can match: an automaton of its labels and a look-ahead of its patterns.

    None when a label is empty (the regex would match anywhere).
    """
    import ahocorasick

    labels = {_bare(label) for c in load_scheme(scheme) if c.match for label in (c.pref_label, *c.alt_labels)}
    if "" in labels:
        return None
    auto = ahocorasick.Automaton()
    for label in labels:
        auto.add_word(label, len(label))
    auto.make_automaton()
    patterns = [p for c in load_scheme(scheme) for p in c.patterns]
    ahead = re.compile("(?=" + "|".join(f"(?:{p})" for p in patterns) + ")") if patterns else None
    return auto, ahead


def _known_matches(c: str, scheme: str) -> Iterator[re.Match[str]]:
    """``_known_regex(scheme).finditer(c)``, trying the regex only where a label or a pattern starts."""
    regex = _known_regex(scheme)[0]
    prefilter = _known_prefilter(scheme)
    if prefilter is None:
        yield from regex.finditer(c)
        return
    auto, ahead = prefilter
    starts = {end - n + 1 for end, n in auto.iter(c)}
    if ahead is not None:
        starts.update(m.start() for m in ahead.finditer(c))
    pos = 0
    for start in sorted(starts):
        if start < pos:
            continue
        m = regex.match(c, start)
        if m is None:
            continue
        if m.end() == start:  # an empty match: finditer's own stepping rules apply
            yield from (x for x in regex.finditer(c) if x.start() >= start)
            return
        yield m
        pos = m.end()


def _concept_of(m: re.Match[str], by_label: dict[str, Concept]) -> Concept:
    if m.group("w") is not None:
        return by_label[m.group("w")]
    for gname, value in m.groupdict().items():
        if value is not None and gname != "w":
            return by_label[gname]
    raise LookupError(m.group(0))


@lru_cache(maxsize=1)
def _affix_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Level prefixes (全市), single-level prefixes (市, 区政府) and mechanism suffixes (工作制度)."""
    lex = lexicon()
    return (
        re.compile(f"(?:{_alt(lex['level_prefixes'])})$"),
        re.compile(f"(?:{_alt(lex['single_level_prefixes'])})(?:政府)?$"),
        re.compile(r"(?:信息)?(?:公开)?(?:[及和]?动态(?:更新|调整))?(?:工作制度|工作机制|制度|机制|体系)"),
    )


def known_hits(c: str, scheme: str, kind: str) -> list[Hit]:
    """Curated labels and patterns in the compact text ``c``, with prefixes and suffixes absorbed."""
    lex = lexicon()
    by_label = _known_regex(scheme)[1]
    pre_re, single_re, suffix_re = _affix_regexes()
    hits: list[Hit] = []
    for m in _known_matches(c, scheme):
        concept = _concept_of(m, by_label)
        start, end = m.start(), m.end()
        station = _station_end(c, end) if kind == "platform" else None
        if end - start <= 2 and _is_cjk(c[end : end + 1] or "x") and c[end] not in _SHORT_FOLLOWERS:
            continue  # 电视问政, 广播电视台: a short label inside a longer word
        if kind == "platform" and c[end - 1 : end + 1] in lex["platform_heads"]:
            continue  # 信息公开栏目: the label's last character starts another head (栏|目)
        prefix = ""
        left = c[max(0, start - 5) : start]
        place = place_before(c, start) if concept.place_prefix else None
        pm = (
            None if place else pre_re.search(left) or (single_re.search(left) if kind == "platform" else None)
        )
        if pm:
            prefix = pm.group(0)
            start -= len(prefix)
        # a quoted known name: “三同步”工作制度
        core = None
        opener = c[start - 1] if start > 0 else ""
        if opener in _QUOTE_PAIRS and c[end : end + 1] == _QUOTE_PAIRS[opener]:
            core = (start, end)
            start, end = start - 1, end + 1
        if kind == "mechanism" and (sm := suffix_re.match(c, end)):
            end = sm.end()
        name = concept.pref_label
        key = f"{kind}/{concept.id}"
        if station is not None:  # 信用中国(广东广州): a regional station, an instance of its own
            name = key = concept.pref_label + c[end:station]
            end = station
            if start > 0 and c[start - 1] in _QUOTE_PAIRS and c[end : end + 1] == _QUOTE_PAIRS[c[start - 1]]:
                core, start, end = (start, end), start - 1, end + 1
        elif concept.keep_prefix and prefix and prefix not in lex["level_prefixes"]:
            name = prefix + name
            key = name
        elif place:  # 广东政务服务网, 北京市政务服务网: the place's own instance
            start -= len(place)
            name = key = place + c[start + len(place) : end]
        hits.append(Hit(start, end, nfkc(name), key, True, core))
    return hits


_STATION = re.compile(r"\(([\u4e00-\u9fff]{2,8})\)")


def _station_end(c: str, end: int) -> int | None:
    """End of a parenthesised place right after a national site's name (信用中国(陕西西安)), if any."""
    m = _STATION.match(c, end)
    if m is None:
        return None
    place = m.group(1)
    stems = _province_stems()
    if any(place.startswith(p) for p in stems) or place_before(place, len(place)) is not None:
        return m.end()
    return None


@lru_cache(maxsize=1)
def _province_stems() -> frozenset[str]:
    """Short names of provincial divisions (广东, 黑龙江, 内蒙古), from the division-code table."""
    from extractors.layout.places import gazetteer

    suffix = re.compile(r"(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$")
    names = (p.name for rows in gazetteer().by_code.values() for p in rows if p.level == "province")
    return frozenset(stem for n in names if len(stem := suffix.sub("", n)) >= 2)


def place_before(c: str, start: int) -> str | None:
    """The place name (全称 or a province's short name) that ends right at ``start``."""
    from extractors.layout.places import find_places

    left = c[max(0, start - 12) : start]
    found = find_places(left)
    if found and found[-1][1] == len(left):
        return left[found[0][0] if _chained(found) else found[-1][0] :]
    stems = _province_stems()
    return next((left[-n:] for n in (3, 2) if left[-n:] in stems), None)


def _chained(found: list[tuple[int, int, Any]]) -> bool:
    """True when the places found run on without a gap to the end (山东省济南市)."""
    return all(a[1] == b[0] for a, b in pairwise(found))


@dataclass(frozen=True)
class Quoted:
    """A quoted name “X” in the compact text: ``start``/``end`` include the quotes."""

    start: int
    end: int
    inner: str


_QUOTED_RE = re.compile(r"“([^“”\n]{1,40})”|\"([^\"\n]{1,40})\"|「([^「」]{1,40})」|『([^『』]{1,40})』")


def quoted_names(c: str) -> list[Quoted]:
    """Every quoted name in the compact text."""
    out = []
    for m in _QUOTED_RE.finditer(c):
        inner = next(g for g in m.groups() if g is not None)
        out.append(Quoted(m.start(), m.end(), inner))
    return out


def follower(c: str, end: int, words: list[str]) -> str | None:
    """The word of ``words`` that starts at ``end`` (longest first), if any."""
    for w in sorted(words, key=len, reverse=True):
        if c.startswith(w, end):
            return w
    return None


def chain_end(c: str, q: Quoted, quotes: list[Quoted]) -> int:
    """End of a run of quoted names joined by nothing, 、, 和, 及, 与 (“直达快享”“免申即享”)."""
    by_start = {x.start: x for x in quotes}
    end = q.end
    while True:
        pos = end + 1 if end < len(c) and c[end] in "、和及与" else end
        nxt = by_start.get(pos)
        if nxt is None:
            return end
        end = nxt.end


def _chain(c: str, q: Quoted, quotes: list[Quoted]) -> list[Quoted]:
    """The quoted names coordinated with ``q`` (see :func:`chain_end`), ``q`` included."""
    by_start = {x.start: x for x in quotes}
    by_end = {x.end: x for x in quotes}

    def joint(pos: int) -> int:  # where the next name starts after a name ending at ``pos``
        return pos + 1 if c[pos : pos + 1] in _JOINERS else pos

    def back(pos: int) -> int:  # where the previous name ends before a name starting at ``pos``
        return pos - 1 if pos > 0 and c[pos - 1] in _JOINERS else pos

    first = q
    while (prev := by_end.get(back(first.start))) is not None:
        first = prev
    out = [first]
    while (nxt := by_start.get(joint(out[-1].end))) is not None:
        out.append(nxt)
    return out


_JOINERS = ("、", "和", "及", "与")


def _campaign_ending(inner: str) -> bool:
    """A quoted name ending in a campaign word (…战略, …行动, …攻坚战, 发展…仗)."""
    return any(inner.endswith(w) and len(inner) > len(w) + 1 for w in lexicon()["campaign_inner_endings"])


_PROCEDURE_NAMED = ["的原则", "原则", "的工作机制", "工作机制", "机制", "制度", "工作法", "模式", "闭环"]


_WORK_AREA = re.compile(r"等(?:方面|领域)?工作(?:的)?(?:信息|进展|情况|动态)")


def _work_area(c: str, end: int) -> bool:
    """“X”等工作信息(进展): the quoted names are the fields of work disclosed, not procedures."""
    return bool(_WORK_AREA.match(c, end))


_PARALLEL_PART = re.compile(r"[\u4e00-\u9fff]{1,3}")


def parallel_slogan(inner: str) -> bool:
    """A slogan of short parallel phrases (“稳投资、促消费”, “一核、两翼”, “求实、创新、奋进”).

    Every part separated by 、 has one to three Han characters. Principles of
    responsibility (“谁主管、谁负责”) and of scope (“应公开、尽公开”) stay
    procedures, and so does a slogan named as a 原则/机制/制度 (see
    :func:`classify_quoted`); curated names (“双随机、一公开”) are matched
    before this rule is asked.
    """
    parts = re.split(r"[、，,]", inner)
    developing = any(p.endswith(tuple(lexicon()["development_words"])) for p in parts)
    if len(parts) >= 2 and developing and all(re.fullmatch(r"[\u4e00-\u9fff]{2,6}", p) for p in parts):
        return True  # “实干争先、跨越发展”: a development slogan, whatever the length of its parts
    if len(parts) < 2 or not all(_PARALLEL_PART.fullmatch(p) for p in parts):
        return False
    who = all(p.startswith("谁") for p in parts)  # 谁主管、谁负责: a rule of responsibility
    same_object = len({p[-2:] for p in parts}) == 1 and all(len(p) == 3 for p in parts)  # 应公开、尽公开
    return not (who or same_object)


def classify_quoted(c: str, q: Quoted, quotes: list[Quoted]) -> str | None:
    """Decide what a quoted name is by the words after it.

    Returns ``"mechanism"``, ``"campaign"``, ``"brand"``, ``"platform"`` or
    ``None`` (a modifier such as “双减”信息公开, or a slogan).
    """
    lex = lexicon()
    inner = nfkc(q.inner)
    end = chain_end(c, q, quotes)
    nxt = c[end : end + 1]
    if follower(c, end, lex["brand_followers"]):
        return "brand"
    if follower(c, end, lex["campaign_followers"]) or _campaign_shaped(inner) or _campaign_ending(inner):
        return "campaign"
    if _work_area(c, end) or any(_campaign_ending(nfkc(x.inner)) for x in _chain(c, q, quotes)):
        return "campaign"  # 围绕“A”“B战略”等工作: a goal listed with campaigns, a field of work
    if inner in lex["campaign_names"]:
        return "campaign"  # “放管服”改革
    named = follower(c, end, _PROCEDURE_NAMED) is not None or _named_after_list(c, end)
    if parallel_slogan(inner) and not named:
        return "campaign" if follower(c, end, ["改革", "行动", "工程", "攻坚"]) else None
    if _bare(inner) in _label_index("platforms.jsonl"):
        return None
    if channel_named(inner):
        return "platform"
    if follower(c, end, ["改革", "工作制度", "工作机制", "制度", "机制"]) or _named_after_list(c, end):
        return "mechanism"
    if nxt == "等" and _platform_after_list(c, end + 1):
        return "platform"  # “A”“B”等政策服务平台
    if inner in lex["slogans"]:
        return None
    if any(inner.endswith(h) for h in lex["platform_heads"]):
        return "platform"
    if follower(c, end, lex["quoted_platform_heads"]) or (
        nxt == "等" and follower(c, end + 1, lex["quoted_platform_heads"])
    ):
        return "platform"
    named = named or inner.endswith(("制", *lex["mechanism_heads"]))  # “河长制”: an institution by its head
    developing = len(inner) > 2 and inner.endswith(tuple(lex["development_words"]))  # “高质量发展”
    if not named and (
        _goal(c, q, inner) or _numbered_slogan(inner) or _bare_work_area(c, q, end) or developing
    ):
        return "campaign"  # 打造“X”, “三篇大文章”, 围绕“X”工作, “X发展”: goals and fields of work
    if follower(c, end, lex["quoted_mechanism_followers"]):
        return "mechanism"
    if not nxt or nxt in "，。；：、,.;:)的等":
        return "mechanism" if _procedure_shaped(inner) else None
    if c[: q.start].endswith(tuple(lex["quoted_procedure_verbs"])) and _procedure_shaped(inner):
        return "mechanism"  # 围绕“每月一题”高频诉求, 围绕“一件事”集成服务
    return None


_NUM = "一二三四五六七八九十百两双"


_LIST_NAMED = re.compile(r"等[\u4e00-\u9fff]{0,4}?(?:工作制度|工作机制|制度|机制|规定|原则)")


def _named_after_list(c: str, end: int) -> bool:
    """“A、B、C”等管理制度: a list of quoted rules named as 制度/机制/规定 after 等."""
    return bool(_LIST_NAMED.match(c, end))


def _platform_after_list(c: str, pos: int) -> bool:
    """A platform head within a short descriptor at ``pos`` (等|政策服务平台)."""
    m = re.match(r"[\u4e00-\u9fff]{0,6}", c[pos:])
    span = m.group(0) if m else ""
    heads = lexicon()["quoted_platform_heads"]
    return any(span.endswith(h) or c.startswith(h, pos + len(span)) for h in heads)


_CLAUSE_START = re.compile(r"[，。；：,.;:!?！？()\n]|\d+\.")


def _goal(c: str, q: Quoted, inner: str) -> bool:
    """A quoted development goal: governed by a goal verb in its clause (打造具有…的“X”) or starting with one.

    Other quoted names of the clause and the 、 between them do not end the
    clause (改造升级“A”、深度开发“B”、培育壮大“C”).
    """
    verbs = tuple(lexicon()["goal_verbs"])
    if len(inner) > 4 and inner.startswith(verbs):
        return True
    left = c[max(0, q.start - 16) : q.start]
    cuts = [m.end() for m in _CLAUSE_START.finditer(left)]
    clause = left[cuts[-1] :] if cuts else left
    clause = re.sub(r"“[^“”]*”", "", clause)
    last = max((clause.rfind(v) + len(v) for v in verbs if v in clause), default=-1)
    return last >= 0 and not _implements(clause[last:])


def _implements(text: str) -> bool:
    """Whether a verb of carrying out a rule (落实, 执行, 深化 …; not 围绕) occurs in ``text``."""
    lex = lexicon()
    return any(v in text for v in (*lex["quoted_procedure_verbs"], *lex["procedure_verbs"]) if v != "围绕")


_NUMBERED = re.compile(r"[二两三四五六七八九十百]+")


def _numbered_slogan(inner: str) -> bool:
    """“三篇大文章”, “四大行动”: a numeral of two or more, a measure word and a noun."""
    m = _NUMBERED.match(inner)
    if m is None or len(inner) < m.end() + 2:
        return False
    return inner[m.end()] in "".join(lexicon()["slogan_measures"])


_WORK = re.compile(r"工作(?!制度|机制|法|模式|格局|要求|原则|闭环)")


def _bare_work_area(c: str, q: Quoted, end: int) -> bool:
    """围绕“X”工作推进公开: a quoted name before a bare 工作 is a field of work.

    Not where a verb of carrying out governs it (深化“X”工作 carries out a procedure).
    """
    return bool(_WORK.match(c, end)) and not _implements(c[max(0, q.start - 2) : q.start])


def channel_named(inner: str) -> bool:
    """Whether a quoted name is a new-media account, portal or app by its ending (“江岸发布”, “渝快办”)."""
    endings = tuple(lexicon()["channel_name_endings"])
    if len(inner) >= 4 and inner.endswith(endings) and bool(re.fullmatch(r"[\u4e00-\u9fff]+", inner)):
        return True
    return app_brand(inner)


_SERVICE_MODE = re.compile(r"(?:跨|全|异地).{1,2}通办")


def service_mode(inner: str) -> bool:
    """Whether a quoted name is a service mode (“跨省通办”, “全城通办”), never a channel."""
    return bool(_SERVICE_MODE.fullmatch(inner))


def app_brand(inner: str) -> bool:
    """Whether a quoted name is shaped like a service app or portal brand (“浙里办”, “京通”, “粤商通”).

    Two to four Han characters ending in 办/通/码 (or a Latin e/App), not a
    slogan (“马上办”), not a service mode (“跨省通办”), not a repetition
    (“秒批秒办”).
    """
    lex = lexicon()
    m = re.fullmatch(r"([\u4e00-\u9fff]{2,4})(e|E|App|APP|app)?", inner)
    if m is None or inner in lex["slogans"] or _SERVICE_MODE.fullmatch(inner):
        return False
    stem = m.group(1)
    if m.group(2) is not None:
        return True
    if stem.endswith("办") and not (len(stem) == 3 or stem.endswith("通办")):
        return False  # 接诉即办, 未诉先办: procedures
    return stem.endswith(tuple(lex["app_brand_endings"]))


def _campaign_shaped(inner: str) -> bool:
    """十个加速度, 五个济南, 项目提升年, 2025奋力冲刺, 12345."""
    return bool(
        re.fullmatch(rf"[{_NUM}]+个.+", inner)
        or re.fullmatch(r".{2,}年", inner)
        or re.search(r"\d{4}", inner)
        or re.fullmatch(r"[\d+nN]+", inner)
    )


def _procedure_shaped(inner: str) -> bool:
    """A short rule-like phrase: 2–30 characters, Chinese, not a bare number."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff、—\-·+]{3,40}", inner)) and not inner.isdigit()


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


_ROLE_VERB = re.compile(r"负责|牵头|配合|会同|协助|(?:同步|动态|及时)(?:更新|调整)")


_DATED_TITLE = re.compile(r"\d{4}(?:-\d{4})?年")


_LEAD_VERB = re.compile(r"(?:编制并)?(?:公布|更新|编制|制定)|主动公开(?!事项|基本|目录)")


def _last_role_verb(c: str, start: int, head: int) -> int | None:
    """End of the last role verb inside a phrase (局办公室负责|局门户网站): a name never holds one."""
    ends = [m.end() for m in _ROLE_VERB.finditer(c, start, head)]
    return ends[-1] if ends else None


def head_hits(c: str, heads: list[str], min_stem: int, coordinate: bool = False) -> list[Hit]:
    """Unquoted noun phrase + head: 济南市依申请公开平台, 公文公开属性源头认定机制.

    Args:
        c: compact text.
        heads: head nouns; a head ending in 制 (票决制) never matches the 制 of 制度.
        min_stem: shortest phrase before the head.
        coordinate: extend over coordinated modifiers (see :func:`left_boundary`).
    """
    hits = []
    words = word_starts(c)
    lex = lexicon()
    predicates = tuple(lex["head_predicates"])
    channel_predicates = tuple(lex["head_predicates"] + lex["platform_head_predicates"])
    channel_heads = lex["platform_heads"]
    for m in re.finditer(_head_regex(tuple(heads)), c):
        nxt = c[m.end() : m.end() + 1]
        built = c.startswith("建设", m.end())  # 推进X数字化管理平台建设: a long name is still named
        if (
            nxt
            and _is_cjk(nxt)
            and nxt not in "和及与等的或、上中里内"
            and not c.startswith(channel_predicates if m.group(0) in channel_heads else predicates, m.end())
            and not built
        ):
            continue  # head used as a modifier: 平台建设, 制度体系 (but 公开栏同步公开 is a predicate)
        start = left_boundary(c, m.start(), words=words, coordinate=coordinate)
        if start is None or m.start() - start < min_stem:
            continue
        if start > 0 and c[start - 1] in _QUOTE_PAIRS.values():
            continue  # the quoted-name rules handle “X”平台
        if _quoted_goal(c, start, m.end()):
            continue  # “重要窗口”目标定位: the whole quote is a goal, not a channel
        verb = _last_role_verb(c, start, m.start())
        start = verb if verb is not None else start
        if _DATED_TITLE.match(c, start):
            continue  # a document title (2022年X区政务公开重点工作任务清单), not a mechanism
        lead = _LEAD_VERB.match(c, start)
        start = lead.end() if lead else start
        raw = c[start : m.end()]
        name = strip_level(raw)
        if m.start() - start < (_BUILT_STEM if built else min_stem) or is_generic(name, m.group(0)):
            continue
        hits.append(Hit(start, m.end(), name, name, False))
    return hits


def _quoted_goal(c: str, start: int, end: int) -> bool:
    """Whether ``c[start:end]`` is the whole inside of a quote read as a campaign or brand."""
    opener = c[start - 1 : start]
    if opener not in _QUOTE_PAIRS or c[end : end + 1] != _QUOTE_PAIRS[opener]:
        return False
    quotes = quoted_names(c)
    q = next((x for x in quotes if x.start == start - 1 and x.end == end + 1), None)
    return q is not None and classify_quoted(c, q, quotes) in ("campaign", "brand")


_BUILT_STEM = 4  # before …建设 only a longer phrase names a system (特色专区建设 is a work area)


@lru_cache(maxsize=8)
def _head_regex(heads: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted(set(heads), key=len, reverse=True)
    return re.compile("|".join(re.escape(h) + ("(?!度)" if h.endswith("制") else "") for h in alts))


def resolve(hits: list[Hit], owned: bool = False) -> list[Hit]:
    """Keep the longest hit where hits of one kind overlap (known wins a tie).

    An unknown head phrase that only adds a short or deictic prefix to a known
    term (我区政务服务事项目录, 提高各级政务公开专区) yields to the known term;
    with ``owned`` so does one that only names the owner of a known channel
    type (四川省人民政府网站, 省财政厅门户网站, X局网站: the body's own 政府门户网站).
    """
    if owned:
        hits = _absorb_owners(hits)
    known = [h for h in hits if h.known]
    hits = [h for h in hits if h.known or not any(_weak_extension(h, k) for k in known)]
    ranked = sorted(hits, key=lambda h: (-(h.end - h.start), not h.known, h.start))
    kept: list[Hit] = []
    for h in ranked:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


_OWNER_END = re.compile(r"(?:省|市|区|县|州|盟|旗|镇|乡|街道|人民|政府|局|厅|委|办|部|中心)$")


def _owner_extension(h: Hit, k: Hit) -> bool:
    """An unknown hit that only puts an owner (a place or a body) before a known channel."""
    if not (h.start < k.start and h.end == k.end and k.key.startswith("platform/")):
        return False
    extra = h.name[: max(0, len(h.name) - (k.end - k.start))]
    concept = _platform_concepts().get(k.key)
    if concept is None or concept.keep_prefix or concept.place_prefix:
        return False
    if k.key == _PORTAL and re.fullmatch(r"“[^“”]{2,12}”", extra):
        return True  # “中国某市”政府门户网站: the portal under its brand, the body's own portal
    return bool(_OWNER_END.search(h.name[: len(extra) + 1]) or _OWNER_END.search(extra))


_PORTAL = "platform/zhengfu-menhu-wangzhan"


def _absorb_owners(hits: list[Hit]) -> list[Hit]:
    """A known channel takes over the owner phrase before it (四川省人民政府网站 → 政府门户网站)."""
    out = []
    grown: dict[Hit, Hit] = {}
    for h in hits:
        if h.known:
            continue
        k = next((k for k in hits if k.known and _owner_extension(h, k)), None)
        if k is not None:
            grown[k] = Hit(min(h.start, grown.get(k, k).start), k.end, k.name, k.key, True, k.core)
    for h in hits:
        if h.known:
            out.append(grown.get(h, h))
        elif not any(_owner_extension(h, k) for k in grown):
            out.append(h)
    return out


@lru_cache(maxsize=1)
def _platform_concepts() -> dict[str, Concept]:
    return {f"platform/{c.id}": c for c in load_scheme("platforms.jsonl")}


_DEICTIC = ("我", "本", "该", "各", "全", "相关", "有关", "其", "此")


def _weak_extension(h: Hit, k: Hit) -> bool:
    if not (h.start < k.start and h.end == k.end):
        return False
    extra = h.name[: max(0, len(h.name) - (k.end - k.start))]
    return k.start - h.start <= 3 or extra.startswith(_DEICTIC) or bool(_SCOPE.search(extra))


_SCOPE = re.compile(r"[我本](?:区|市|县|省|镇|街道|地区|级|部门|单位|系统)")


def to_matches(text: str, cv: Compact, hits: list[Hit], kind: str) -> list[TermMatch]:
    """Map compact hits back to ``text``, dropping those inside 《…》 titles."""
    titles = in_title_ranges(cv.text)
    if kind == "platform":  # 《湖北省人民政府公报》 names the gazette itself
        titles = [(s, e) for s, e in titles if not cv.text.endswith(_GAZETTE_ENDS, s, e - 1)]
    titles += [(m.start(), m.end()) for m in _RELEASE_NOTE.finditer(cv.text)]
    out = []
    for h in hits:
        if inside(h.start, h.end, titles):
            continue
        start, end = cv.span(h.start, h.end)
        out.append(TermMatch(start, end, name_surface(cv.text, h, kind), h.name, h.key, kind, h.known))
    return out


_GAZETTE_ENDS = ("公报", "政报")


# the release note under a signature, (此件主动公开) / (此件公开发布): an attribute, not a mention
_RELEASE_NOTE = re.compile(r"\(此件[\u4e00-\u9fff]{2,8}\)")


def name_surface(c: str, h: Hit, kind: str) -> str:
    """The surface form of a hit's name: what may become an alias.

    A category after 等 is never part of it: “泉惠企”等平台 → “泉惠企”. A head
    right after the quotes stays (“泉惠企”平台 is a surface form of 泉惠企).
    """
    surface = c[h.start : h.end]
    if kind != "platform" or h.core is None:
        return surface
    _lo, hi = h.core
    if c.startswith("等", hi + 1):
        return c[h.start : hi + 1]
    return surface


_PLATFORM_VERB = re.compile(r"(?:公开|发布|公布|更新|上传|录入|编制|制定)")


def cut_platforms(c: str, hits: list[Hit], known_starts: Container[int] | None = None) -> list[Hit]:
    """A phrase never runs over a platform named inside it.

    Mechanisms (no ``known_starts``) are cut after a platform followed by a
    verb (依托河南政务服务网|公开|政务服务事项目录, but 热线高频咨询问题与政策解读联动机制
    stays whole). Platforms are cut after an inner head where a known platform
    starts or only a generic rest follows (政府网站|政府信息公开专栏, 门户网站|专栏,
    but 12345热线问答平台 stays whole).
    """
    heads = _head_regex(tuple(lexicon()["platform_heads"]))
    out = []
    for h in hits:
        inside = [m.end() for m in heads.finditer(c, h.start, h.end - 2)]
        lead = _PLATFORM_VERB.match(c, inside[-1]) if inside and known_starts is None else None
        if not inside or (
            lead is None and (known_starts is None or not _cut_at(c, inside[-1], h, known_starts))
        ):
            out.append(h)
            continue
        start = lead.end() if lead else inside[-1]
        name = strip_level(c[start : h.end])
        if h.end - start >= 4 and not is_generic(name, name[-2:]):
            out.append(Hit(start, h.end, name, name, False))
    return out


def _cut_at(c: str, pos: int, h: Hit, known_starts: Container[int]) -> bool:
    """Whether a platform phrase splits after an inner head: a known platform or a generic rest follows."""
    rest = c[pos : h.end]
    return pos in known_starts or is_generic(rest, rest[-2:])
