"""Term hits: known names, names found by their head word, and their resolution into matches.

Matching runs on a whitespace-free view of the text (:class:`Compact`): :func:`known_hits`
for the names of the schemes, :func:`head_hits` for unknown names ending in a head word,
:func:`resolve` for overlaps and :func:`to_matches` for :class:`TermMatch` es in the
text given. Shared by mechanisms, platforms and the other kinds of term.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from extractors.components.boundaries import _is_cjk, is_generic, left_boundary, strip_level, word_starts
from extractors.components.quotes import _QUOTE_PAIRS, classify_quoted, quoted_names
from extractors.components.schemes import Concept, TermMatch, _alt, _bare, lexicon, load_scheme, nfkc

__all__ = [
    "Compact",
    "Hit",
    "cut_platforms",
    "head_hits",
    "in_title_ranges",
    "inside",
    "known_hits",
    "name_surface",
    "place_before",
    "resolve",
    "to_matches",
]


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
