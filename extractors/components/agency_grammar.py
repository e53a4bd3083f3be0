"""The grammar of Chinese organ names: jurisdiction + body + suffix, and collectives.

Every rule reads its words from the data files (see :mod:`extractors.components.agency_data`):

* ``pattern_organ``: place or level word + department / organ / well-formed name
  + sub-units (市政府办公厅, 区发改局, 中共济南市委, 市城乡交通运输局办公室,
  市政府各部门);
* ``pattern_government_collective``: 各区县政府, 各镇人民政府, 各街道办事处;
* ``pattern_functional_collective``: quantifier + functional noun + head
  (各级各部门（单位）, 县级以上政府, 政策制定机关, 行业主管部门);
* ``pattern_context``: references relative to the issuing department
  (局办公室, 机关各处室, 局属各单位);
* ``pattern_central``: central organs (党中央, 国务院).

Each ``pattern_*`` returns the :class:`Parse` candidates starting at one offset;
:func:`parses_at` collects them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractors.components import agency_data as data
from extractors.components.agency_scope import LEVELS, PlaceRef, Scope, components

__all__ = ["Lexicon", "Parse", "lexicon", "parses_at", "place_index"]

_HAN = r"\u4e00-\u9fff"
_GROUP_SUB = re.compile(
    r"(?P<g>各部门|各部委|各委、办(?:、厅)?、局|各委办(?:厅)?局|各直属单位|各直属机构|直属各单位|组成部门)(?:\(单位\))?"
    r"|部门\(单位\)|有关部门|所属各部门"
)
_TOWNSHIP = re.compile(rf"([{_HAN}]{{2,5}}?(?:街道|镇|乡))(?=人民政府|政府|办事处|党委|党工委|便民服务中心)")
# a bare collective of lower governments ends before a predicate or a list mark (各镇街要…, 各乡镇、)
_BARE_END = re.compile(rf"[^{_HAN}]|[要应须和及与负牵分按对在于将等结根会联配组共]")
_GENERIC_STOP = set("的要将在对按并等及和与为是把被从以向于了、，,；;:：。 ()“”《》0123456789")
# towns and subdistricts under one 各: 各镇(街道), 各乡镇人民政府(街道办事处), 各街道(镇)办事处(人民政府),
# 各乡镇人民政府、街道办事处, 各镇、街办、社区
_TOWN_KIND = r"(?:乡镇|镇|乡|街道办事处|街道|街办|办事处|管理处|办|街)"
_TOWN_LIST = re.compile(
    rf"各(?P<first>乡镇|镇|乡|街道)(?:人民政府|政府|办事处)?"
    rf"(?:\((?P<alt>{_TOWN_KIND}(?:人民政府|政府)?)\)|(?P<rest>(?:、{_TOWN_KIND}(?:人民政府|政府)?)+))"
    r"(?:办事处)?(?:\((?:人民政府|政府)\))?"
)
_TOWN_NORM = {"街道办事处": "街道", "街办": "街道", "办事处": "街道", "办": "街道", "街": "街道"}
# one lower level (市, 县(市、区)) of a compound collective: 各市、区人民政府, 各区、县(市)政府
_LOWER_ONE = r"[市区县州盟旗](?:\([市区县旗、]{1,5}\))?"
_COMPOUND_LOWER = re.compile(rf"各{_LOWER_ONE}(?:、{_LOWER_ONE})+")
# collectives of the departments of a level: 市各有关部门, 区各委办局 (level word + collective)
_LEVEL_COLLECTIVE = re.compile(
    r"(?P<d>直)?(?P<g>各有关部门|各相关部门|各委办局|各委、办(?:、厅)?、局|各委办厅局|各部门|各直属单位"
    r"|(?<=直)机关各单位|(?<=直)机关各部门)(?:\(单位\))?"
)
# a 和-joined department name: 政务服务和大数据管理局, 住房和城市更新局 (each side 2+ characters)
_DEPT_ENDS = ("局", "委员会", "委", "厅", "办公室")
_UNIT_NOT_START = ("长", "相关", "有关", "所属", "其他", "其它", "领导", "各")
_DEPT_GROUP_SUB = re.compile(r"(?:机关)?各(?:处室|科室|分局|直属单位|下属单位)|所属各单位|直属各单位")
_DEPT_OWN = re.compile(r"(?:本)?(?P<own>局|厅|委)")
_JOINED_UNIT = ("局", "委", "委员会", "厅", "中心", "服务中心", "办公室")
_JOINED_NAME = re.compile(rf"[{_HAN}]{{2,8}}和[{_HAN}]{{2,8}}")


@dataclass(frozen=True)
class Parse:
    """A candidate organ name ending at ``end``.

    ``alts`` are canonical names to prefer, in order, when the document also names
    them (a bare 相关部门 becomes 各相关部门 when the document has that collective);
    ``known_body`` is False for names kept only by the suffix fallback.
    """

    end: int
    name: str
    is_group: bool
    parent: str | None
    place: str | None
    alts: tuple[str, ...] = ()
    known_body: bool = True
    body_start: int = -1  # where the body of a fallback name starts (must start a word)


@dataclass(frozen=True)
class _Body:
    kind: str  # "dept" | "organ"
    template: str
    parent: str
    levels: frozenset[str]


class Lexicon:
    """The compiled word classes of the grammar."""

    def __init__(self) -> None:
        g = data.grammar()
        self.bodies: dict[str, list[_Body]] = {}
        for dept in data.departments():
            parent = "" if dept.template else "{place}人民政府"
            body = _Body("dept", dept.template or "{place}" + dept.full_name, parent, dept.levels)
            for surface in (dept.full_name, *dept.abbreviations):
                self.bodies.setdefault(surface, []).append(body)
        for organ in data.organs():
            body = _Body("organ", organ.template, organ.parent, organ.levels)
            for surface in organ.surfaces:
                self.bodies.setdefault(surface, []).append(body)
        self.body_max = max(map(len, self.bodies))
        self.body_lengths = _lengths(self.bodies)
        self.body_starts = frozenset(w[:2] for w in self.bodies)
        self.central = {s: (o.name, o.parent or None) for o in data.central_organs() for s in o.surfaces}
        self.central_max = max(map(len, self.central))
        self.central_lengths = _lengths(self.central)
        self.central_starts = frozenset(w[:2] for w in self.central)
        self.levels = dict(g["level"])
        self.level_max = max(map(len, self.levels))
        self.level_lengths = _lengths(self.levels)
        self.lower = dict(g["lower_government"])
        # a township name never starts with a level word or a verb (规范街道便民服务中心 is no 规范街道)
        self.verbs = tuple(k for k, _ in g["verb"])
        self.levels_and_verbs = tuple(self.levels) + self.verbs
        self.context = {k: v for k, v in g["context"]}
        self.not_agency = {k for k, _ in g["not_agency"]}
        self.left = tuple(sorted({k for k, _ in g["left"]}, key=len, reverse=True))
        self.unqualified = {k for k, _ in g["unqualified"]}
        self.heads = dict(g["head"])
        self.suffixes = dict(g["suffix"])
        self.citation = tuple(k for k, _ in g["citation"])
        self.post = tuple(k for k, _ in g["post"])
        self.channel = tuple(k for k, _ in g["channel"])
        self.not_ending = tuple(k for k, _ in g["generic_not_ending"])
        self.generic = re.compile(rf"([{_HAN}]{{2,12}}?)({_alt(self.suffixes)})")
        functions = dict(g["function"]) | {w: w for w in _department_stems()}
        self.functional = re.compile(
            rf"(?P<q>(?:{_alt(dict(g['quantifier']))}){{0,2}})"
            r"(?P<gov>(?:人民)?政府及部门|(?:人民)?政府|部门|单位)?"
            rf"(?:(?P<f>{_alt(functions)})(?:行政)?)?"
            r"(?P<q2>相关|有关|主管|所属|直属)?"
            rf"(?P<head>{_alt(self.heads)})"
        )
        self.gov_only = re.compile(rf"(?P<q>(?:{_alt(dict(g['quantifier']))}){{1,2}})(?P<gov>(?:人民)?政府)")
        self.gov_collective = re.compile(
            rf"(?P<each>各)?(?P<lower>{_alt(self.lower)})(?P<qual>\([{_HAN}、]{{1,6}}\))?"
            r"(?P<head>人民政府|政府|街道办事处|办事处)?"
        )
        self.first_chars = self._first_chars(g)
        self.unit_tail = re.compile(rf"[{_HAN}]{{2,8}}?(?:{_alt(dict(g['unit_suffix']))})")
        # an internal unit never starts with a post (局长), a quantifier (相关处室) or a verb (会同)
        self.unit_not_followed = tuple(k for k, _ in g["unit_not_followed"])
        self.not_unit_start = _UNIT_NOT_START + tuple(k for k, _ in g["verb"])
        self.office = re.compile(rf"(?P<f>{_alt(dict(g['function']))})?(?P<head>办公厅|办公室|办)")
        self.zones = dict(g["zone"])
        self.zone = re.compile(
            rf"(?P<name>[{_HAN}]{{0,8}}?)(?P<zone>{_alt(self.zones)})(?P<alt>\([{_HAN}、]{{1,6}}\))?"
            r"(?P<head>管委会|管理委员会|党工委|工作委员会)(?P<sub>办公室|直属各单位|各部门)?"
        )
        self.zone_end = re.compile(
            rf"(?:{_alt(self.zones)})(?:\([{_HAN}、]{{1,6}}\))?(?:管委会|管理委员会|党工委|工作委员会)"
        )
        self.zone_committee = re.compile(rf"(.+?(?:{_alt(self.zones)})管理委员会)")
        self.start_words = self._start_words(g, functions)
        self._starts_automaton: Any = None

    def _first_chars(self, g: dict[str, tuple[tuple[str, str], ...]]) -> frozenset[str]:
        """Characters a match can start with (a prefilter for the scanner)."""
        words = [*self.bodies, *self.central, *self.levels, *self.lower, *self.context, "中", "各"]
        words += [k for k, _ in g["zone"]]
        for section in ("quantifier", "function", "head"):
            words += [k for k, _ in g[section]]
        words += ["政府", "部门", "单位", "人民政府"]
        return frozenset(w[0] for w in words if w)

    def _start_words(
        self, g: dict[str, tuple[tuple[str, str], ...]], functions: dict[str, str]
    ) -> frozenset[str]:
        """Words that every parse begins with, pattern by pattern (see :meth:`starts_in`).

        central names; 局/厅/委/本 and the context words; 各 and the lower governments;
        the functional collective's quantifiers, government words, functions, qualifiers and
        heads; 中共, the level words and the bodies.
        """
        words = {*self.central, *self.context, "局", "厅", "委", "本", "各", *self.lower}
        words |= {k for k, _ in g["quantifier"]} | {"人民政府", "政府", "部门", "单位"} | set(functions)
        words |= {"相关", "有关", "主管", "所属", "直属"} | set(self.heads)
        words |= {"中共", *self.levels, *self.bodies}
        words |= {"管委会", "党工委", "人民银行", "中国人民银行", "具有", "驻", *self.zones}
        return frozenset(w for w in words if w)

    def zone_starts(self, text: str) -> set[int]:
        """Offsets where a zone's name may start (up to 8 characters before 开发区管委会 and its kin)."""
        out: set[int] = set()
        for m in self.zone_end.finditer(text):
            out.update(range(max(0, m.start() - 8), m.start() + 1))
        for m in re.finditer(r"银保监分局|银监分局|保监分局|金融监管分局|证监局|管委会", text):
            out.update(range(max(0, m.start() - 6), m.start()))
        pos = text.find("领导小组")
        while pos >= 0:  # and of a leading group named without its place
            out.update(range(max(0, pos - 16), pos))
            pos = text.find("领导小组", pos + 4)
        return out

    def starts_in(self, text: str) -> set[int]:
        """Offsets of ``text`` where a start word begins: no parse starts anywhere else but at a place."""
        if self._starts_automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for word in self.start_words:
                auto.add_word(word, len(word))
            auto.make_automaton()
            self._starts_automaton = auto
        return {end - n + 1 for end, n in self._starts_automaton.iter(text)}


def _lengths(words: Iterable[str]) -> tuple[int, ...]:
    """The lengths of ``words``, longest first (the only slice lengths worth looking up)."""
    return tuple(sorted({len(w) for w in words}, reverse=True))


def _department_stems() -> set[str]:
    """Department names without their suffix: 城市管理, 发改, 住房城乡建设 (for 城市管理部门)."""
    suffix = re.compile(r"(?:委员会|办公室|管理局|局|委|厅|办|中心)$")
    stems: set[str] = set()
    for dept in data.departments():
        if dept.template:
            continue
        for surface in (dept.full_name, *dept.abbreviations):
            stem = suffix.sub("", surface.removeprefix("人民政府"))
            if len(stem) >= 2 and stem != surface:
                stems.add(stem)
    return stems


def _alt(words: dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shared lexicon, compiled once."""
    return Lexicon()


# ---------------------------------------------------------------- places in a text


def place_index(text: str, scope: Scope) -> dict[int, list[PlaceRef]]:
    """Place prefixes at each offset: full chains (山东省济南市) and the document's own places."""
    from extractors.layout import places

    out: dict[int, list[PlaceRef]] = {}
    found = places.find_places(text, scope.ctx.year, scope.by_level.get("province"))
    for k, (start, end, place) in enumerate(found):
        stop, label, level = end, place.label, place.level
        for _, nxt_end, nxt in found[k + 1 :]:
            if nxt_end - len(nxt.name) != stop:
                break
            stop, label, level = nxt_end, nxt.label, nxt.level
        out.setdefault(start, []).append(PlaceRef(stop, label, level))
    lex = lexicon()
    county = scope.by_level.get("county", "") if LEVELS.get(scope.level or "", 0) >= 3 else ""
    for town in _TOWNSHIP.finditer(text):
        name = town.group(1)
        if not name.startswith(lex.levels_and_verbs) and "各" not in name and "区" not in name:
            out.setdefault(town.start(), []).append(PlaceRef(town.end(1), county + name, "township"))
    for surface, ref in scope.known_places.items():
        pos = text.find(surface)
        while pos >= 0:
            out.setdefault(pos, []).append(PlaceRef(pos + len(surface), ref.label, ref.level, ref.short))
            pos = text.find(surface, pos + 1)
    return out


# ---------------------------------------------------------------- patterns


def _prefixes(text: str, i: int, scope: Scope, index: dict[int, list[PlaceRef]]) -> Iterator[PlaceRef]:
    """Jurisdiction prefixes at ``i``: a place chain, 中共 + place, or a level word."""
    lex = lexicon()
    yield from index.get(i, [])
    if text.startswith("中共", i):
        yield from (PlaceRef(r.end, r.label, r.level) for r in index.get(i + 2, []) if not r.short)
    for n in lex.level_lengths:
        if n > len(text) - i:
            continue
        level = lex.levels.get(text[i : i + n])
        if level is None:
            continue
        label = scope.at_level(level)
        if label is not None:
            yield PlaceRef(i + n, label, scope.level_of(level))


def _fill(template: str, ref: PlaceRef) -> str:
    short = re.sub(r"(?:市|省|自治区|地区|州|盟)$", "", ref.label.split("省")[-1])
    return template.format(place=ref.label, short=short)


def _bodies(text: str, j: int, ref: PlaceRef, dept_only: bool = False) -> Iterator[Parse]:
    """Departments and organs after a jurisdiction prefix, longest first."""
    lex = lexicon()
    if text[j : j + 1] not in lex.body_starts and text[j : j + 2] not in lex.body_starts:
        return
    for n in lex.body_lengths:
        if n > len(text) - j:
            continue
        for body in lex.bodies.get(text[j : j + n], []):
            if ref.short != ("{short}" in body.template) or (dept_only and body.kind != "dept"):
                continue
            if body.kind == "organ" and body.levels and ref.level not in body.levels:
                continue
            parent = _fill(body.parent, ref) if body.parent else None
            yield Parse(j + n, _fill(body.template, ref), False, parent, ref.label)


def _generic(text: str, j: int, ref: PlaceRef) -> Parse | None:
    """A well-formed unknown name: 2–12 Han characters + an organ suffix (市体育运动发展中心)."""
    lex = lexicon()
    m = lex.generic.match(text, j)
    if (
        m is None
        or _GENERIC_STOP & set(m.group(1)) - _joined_allowance(m)
        or text[j : m.end()] in lex.not_agency
    ):
        return None
    if text[: m.end()].endswith(lex.not_ending):
        return None
    name = ref.label + m.group(1) + lex.suffixes[m.group(2)]
    group = name.endswith("成员单位")  # 区X领导小组成员单位: a collective
    return Parse(m.end(), name, group, ref.label + "人民政府", ref.label, known_body=False, body_start=j)


def _joined_allowance(m: re.Match[str], suffixes: tuple[str, ...] = ("局", "委", "委员会", "厅")) -> set[str]:
    """{和} when a generic name is a 和-joined department name ending in 局/委/厅, else nothing."""
    joined = m.group(2) in suffixes and _JOINED_NAME.fullmatch(m.group(1))
    return {"和"} if joined else set()


def _sub_units(text: str, p: Parse) -> Parse:
    """Extend an organ with its sub-units: 市政府 + 办公厅, 市政府 + 各部门（单位）, 局 + 办公室."""
    lex = lexicon()
    for _ in range(2):
        k = p.end
        if p.name.endswith(("人民政府", "委员会", "国务院")) and not p.is_group:
            m = _GROUP_SUB.match(text, k)
            if m:
                kind = "有关部门" if "有关" in m.group() else (m.group("g") or "各部门")
                return Parse(m.end(), p.name + kind, True, p.name, p.place)
        m = lex.office.match(text, k)
        if m and not p.is_group and not (m.group("head") == "办" and not m.group("f")):
            office = "办公厅" if m.group("head") == "办公厅" else "办公室"
            p = Parse(
                m.end(),
                p.name + (m.group("f") or "") + office,
                False,
                p.name,
                p.place,
                (),
                p.known_body,
                p.body_start,
            )
            continue
        unit = _government_unit(text, k, p) or _department_sub_unit(text, k, p)
        if unit is not None:
            return unit
        for word, value in lex.context.items():
            sub = word.startswith(("机关", "局属", "委属", "直属")) and text.startswith(word, k)
            if sub and value.startswith("{issuer}"):
                name = value.split("|")[0].format(issuer=p.name)
                return Parse(k + len(word), name, True, p.name, p.place)
        break
    return p


def _government_unit(text: str, k: int, p: Parse) -> Parse | None:
    """A body named under a government: 省政府 + 政务服务和公共资源交易服务中心, 市政府 + 新闻办公室."""
    if p.is_group or not p.name.endswith("人民政府"):
        return None
    lex = lexicon()
    m = lex.generic.match(text, k)
    if m is None or text[k] in "和及与或各有相等并" or "政府" in m.group(1):
        return None
    stops = _GENERIC_STOP & set(m.group(1)) - _joined_allowance(m, _JOINED_UNIT)
    if stops or m.group(1).startswith(tuple(lex.levels)) or m.group().endswith(lex.not_ending):
        return None
    name = p.name + m.group(1) + lex.suffixes[m.group(2)]
    return Parse(m.end(), name, False, p.name, p.place, (), p.known_body, p.body_start)


def _department_sub_unit(text: str, k: int, p: Parse) -> Parse | None:
    """A unit named right after its department: 市交通运输局 + 综合行政执法支队, 区教育局 + 基础教育科."""
    if p.is_group or not p.known_body or not p.name.endswith(_DEPT_ENDS):
        return None
    group = _DEPT_GROUP_SUB.match(text, k)
    if group is not None:  # 市教育局各处室, 市生态环境局各分局
        return Parse(group.end(), p.name + group.group(), True, p.name, p.place)
    tail = _unit_tail(text, k)
    if tail is None:
        return None
    return Parse(tail[0], p.name + tail[1], False, p.name, p.place, (), p.known_body, p.body_start)


def _runs_on(text: str, end: int, words: tuple[str, ...]) -> bool:
    """True when a word of ``words`` straddles ``end`` (办|理, 中心|城区): the name does not end there."""
    splits = ((w[:j], w[j:]) for w in words for j in range(1, len(w)))
    return any(text.startswith(head, end - len(head)) and text.startswith(tail, end) for head, tail in splits)


def _level_collective(text: str, start: int, ref: PlaceRef) -> Parse | None:
    """市各有关部门 → 苏州市各有关部门, 区各委办局 → <区>各委办局, 市各部门 → <市>人民政府各部门."""
    m = _LEVEL_COLLECTIVE.match(text, ref.end)
    if m is None or ref.short:
        return None
    group = m.group("g")
    government = ref.label + "人民政府"
    if m.group("d"):  # 市直各委、办、局 / 区直机关各单位: the level's organs, named as written
        alts = (ref.label + text[start : ref.end] + "直各部门",) if "委" in group else ()
        return Parse(m.end(), ref.label + text[start : m.end()], True, government, ref.label, alts)
    if group == "各部门":
        return Parse(m.end(), government + "各部门", True, government, ref.label)
    canonical = {"各相关部门": "各有关部门", "各委、办、局": "各委办局"}.get(group, group)
    return Parse(m.end(), ref.label + canonical, True, government, ref.label)


def pattern_organ(text: str, i: int, scope: Scope, index: dict[int, list[PlaceRef]]) -> list[Parse]:
    """Place/level + body + sub-units: 区发改局 → 济南市天桥区发展和改革局."""
    out: list[Parse] = []
    for ref in _prefixes(text, i, scope, index):
        collective = _level_collective(text, i, ref)
        if collective is not None:
            out.append(collective)
        found = [_sub_units(text, p) for p in _bodies(text, ref.end, ref)]
        if not found and not ref.short:
            generic = _generic(text, ref.end, ref)
            found = [_sub_units(text, generic)] if generic else []
        out.extend(found)
    if scope.jurisdiction:  # an unprefixed department: 市场监管局 in a table cell
        ref = PlaceRef(i, scope.jurisdiction, scope.level or "county")
        out += [_sub_units(text, p) for p in _bodies(text, i, ref, dept_only=True) if p.end - i >= 3]
    return out


def _town_collective(text: str, i: int, place: str) -> Parse | None:
    """Towns and subdistricts under one 各 are one collective: X各镇人民政府、街道办事处.

    Other lists of township bodies (各镇、街办、社区) keep their members as written, 街办 spelled out.
    """
    m = _TOWN_LIST.match(text, i)
    if m is None:
        return None
    parts = [m.group("first"), *re.split(r"、", m.group("alt") or m.group("rest").lstrip("、"))]
    parts = [re.sub(r"(?:人民政府|政府)$", "", k) for k in parts]
    kinds = [_TOWN_NORM.get(k, k) for k in parts]
    government = place + "人民政府"
    # the bracketed alternative (各镇(街道)) is one collective; a 、 list of two (各镇、街道, 各街道、镇)
    # names two collectives, as the gold of real and synthetic pages has it
    if m.group("rest") and len(kinds) < 3:
        return None
    if set(kinds) <= {"乡镇", "镇", "乡", "街道"} and "街道" in kinds and len(set(kinds)) > 1:
        towns = {k for k in kinds if k != "街道"}
        town = "乡镇" if "乡镇" in towns or towns == {"乡", "镇"} else towns.pop()
        return Parse(m.end(), place + "各" + town + "人民政府、街道办事处", True, government, place)
    if len(kinds) < 3:
        return None
    written = "、".join("街道办事处" if k in ("街办", "街道") else k for k in parts)
    return Parse(m.end(), place + "各" + written, True, government, place)


def pattern_government_collective(text: str, i: int, scope: Scope) -> list[Parse]:
    """各区县政府 / 区县政府 / 各镇人民政府 / 各街道办事处 → <jurisdiction>各…人民政府."""
    lex = lexicon()
    town = _town_collective(text, i, scope.jurisdiction) if scope.jurisdiction and text[i] == "各" else None
    if town is not None:
        return [town]
    compound = _COMPOUND_LOWER.match(text, i)
    if compound and re.match(r"(?:人民)?政府(?:各|有关|组成|直属|工作)", text[compound.end() :]):
        compound = None  # 各县(区)、市政府各部门: 市 starts the next name
    if compound and scope.jurisdiction:
        place = scope.jurisdiction
        if text.startswith(("人民政府", "政府"), compound.end()):
            end = compound.end() + (4 if text.startswith("人民政府", compound.end()) else 2)
            return [Parse(end, place + compound.group() + "人民政府", True, place + "人民政府", place)]
        department = _department_after(text, compound.end(), place)
        if department is not None:  # 各市、县(市、区)教育局
            return [Parse(department[0], place + compound.group() + department[1], True, None, place)]
        if _BARE_END.match(text, compound.end()):  # 各区、县(市)要…: their governments
            name = place + compound.group() + "人民政府"
            return [Parse(compound.end(), name, True, place + "人民政府", place)]
    m = lex.gov_collective.match(text, i)
    if m is None or scope.jurisdiction is None:
        return []
    lower = m.group("lower")
    clean = i == 0 or not re.match(rf"[{_HAN}]", text[i - 1]) or text[:i].endswith(lex.left)
    if not m.group("each") and not clean:  # 永登乡政府网站 (a short place name) has no 乡政府
        return []
    if m.group("head") is None:
        departments = _department_collective(text, m, scope.jurisdiction)
        return departments or _bare_government_collective(text, m, scope.jurisdiction)
    below = LEVELS["township" if lower[-1] in "镇乡道街" else "county"] > LEVELS.get(scope.level or "", 9)
    if not (
        m.group("each") or (below and len(lower) >= 2) or (below and lower[-1] != scope.jurisdiction[-1])
    ):
        return []
    head = "街道办事处" if m.group("head").endswith("办事处") else "人民政府"
    if (lower.endswith("街道") or lower == "地区") and head == "街道办事处":
        head = "办事处"
    end = m.end()
    if text.startswith("(管委会)", end):  # 各县(市、区)人民政府(管委会): the zones' committees with them
        end += 5
        head += "(管委会)"
        if text.startswith("办公室", end):  # 各县(市、区)人民政府(管委会)办公室
            end += 3
            head += "办公室"
    name = scope.jurisdiction + _lower_name(m) + head
    return [Parse(end, name, True, scope.jurisdiction + "人民政府", scope.jurisdiction)]


def _lower_name(m: re.Match[str]) -> str:
    """The canonical lower level of a collective with its qualifier kept whole: 各区县(自治县), 各市(州)."""
    return lexicon().lower[m.group("lower")] + (m.group("qual") or "")


def _department_collective(text: str, m: re.Match[str], place: str) -> list[Parse]:
    """各区县(自治县)生态环境局 / 各县(市、区)教育局: the same department of every lower government."""
    if not m.group("each") or m.group("lower") in ("镇", "乡", "街道", "镇街", "街镇", "乡镇", "地区"):
        return []
    found = _department_after(text, m.end(), place)
    if found is None:
        return []
    return [Parse(found[0], place + _lower_name(m) + found[1], True, None, place)]


def _department_after(text: str, j: int, place: str) -> tuple[int, str] | None:
    """The standard department named at ``j`` without a place (生态环境局): (end, full name)."""
    found = [p for p in _bodies(text, j, PlaceRef(j, place, "county"), dept_only=True)]
    found = [p for p in found if p.name.startswith(place) and p.name[len(place) :].endswith(_DEPT_ENDS)]
    if not found:
        return None
    best = max(found, key=lambda p: p.end)
    return best.end, best.name[len(place) :]


def _bare_government_collective(text: str, m: re.Match[str], place: str) -> list[Parse]:
    """各镇街要… / 各乡镇、… / 各市(州)要…: a collective of lower governments without a head noun."""
    lower = m.group("lower")
    ambiguous = lower == "县级" or (lower == "市" and not m.group("qual"))
    if not m.group("each") or not _BARE_END.match(text, m.end()) or ambiguous:
        return []
    bare = _lower_name(m)
    if bare.endswith(("镇街", "街镇", "地区")):  # mixed or special township bodies keep the bare word
        name = place + bare
    else:
        name = place + bare + ("办事处" if lower.endswith("街道") else "人民政府")
    return [Parse(m.end(), name, True, place + "人民政府", place)]


def pattern_functional_collective(text: str, i: int, scope: Scope) -> list[Parse]:
    """各级各部门（单位） / 县级以上政府 / 政策制定机关 / 行业主管部门 → <jurisdiction> + canonical."""
    lex = lexicon()
    out: list[Parse] = []
    duty = _DUTY_COLLECTIVE.match(text, i)
    if duty and scope.jurisdiction:
        out.append(Parse(duty.end(), scope.jurisdiction + duty.group(), True, None, scope.jurisdiction))
    every = _EVERY_PLACE_DEPT.match(text, i)
    if every and scope.jurisdiction:  # 各地、各(相关)部门: one collective, 各地各部门
        out.append(Parse(every.end(), scope.jurisdiction + "各地各部门", True, None, scope.jurisdiction))
    stationed = _STATIONED.match(text, i)
    if stationed and scope.jurisdiction:  # 驻X中省直单位: the central and provincial units in the place
        here = scope.jurisdiction
        short = stationed.group("p")
        if components(here)[-1].startswith(short) or short in ("", "本地", "本市", "本县", "本区"):
            out.append(Parse(stationed.end(), "驻" + here + stationed.group("k"), True, None, here))
        elif "\ue000" in here:  # a place the text does not give (see agencies._scope): as written
            out.append(Parse(stationed.end(), here + stationed.group(), True, None, here))
    m = lex.functional.match(text, i)
    quantified = m and (m.group("q") or m.group("f") or (m.group("gov") and m.group("q2")))
    if m and m.group("head") == "机构" and "各" not in m.group("q"):
        quantified = False
    if m and quantified and m.group() not in lex.not_agency:
        out.append(_functional(m, scope))
    g = lex.gov_only.match(text, i)
    if g and ("级" in g.group("q") or g.group("q").startswith("各")) and g.group("q") not in lex.unqualified:
        place = scope.jurisdiction
        if g.group("q") == "本级" and place:  # 本级政府: the document's own government
            out.append(Parse(g.end(), place + "人民政府", False, None, place))
        else:  # 各级政府办公厅(室): the general offices of those governments
            gov_office = _GOV_OFFICE.match(text, g.end())
            end, tail = (gov_office.end(), gov_office.group()) if gov_office else (g.end(), "")
            out.append(Parse(end, (place or "") + g.group("q") + "人民政府" + tail, True, None, place))
    return out


_GOV_OFFICE = re.compile(r"办公厅\(室\)|办公室|办公厅")
_DEPT_UNIT_HEADS = ("处室", "科室", "科(室)", "处(室)", "股室")
# 各地、各部门 (one collective); 驻X中省直单位; a collective named by its duty: 具有市场监管职责(的)部门
_EVERY_PLACE_DEPT = re.compile(r"各地、各(?:相关|有关)?部门")
_STATIONED = re.compile(
    rf"驻(?P<p>[{_HAN}]{{0,4}}?)(?P<k>中省直单位|中省直各单位|中直单位|省直单位|中央单位)"
)
_DUTY_COLLECTIVE = re.compile(rf"具有[{_HAN}]{{2,10}}?职责的?(?:部门|单位)")


def text_has_admin(m: re.Match[str]) -> bool:
    """True when 行政 follows the functional noun (教育行政部门)."""
    return m.string.startswith("行政", m.end("f"))


def _functional(m: re.Match[str], scope: Scope) -> Parse:
    lex = lexicon()
    q, gov, f, q2 = m.group("q"), m.group("gov") or "", m.group("f") or "", m.group("q2") or ""
    f += "行政" if m.group("f") and text_has_admin(m) else ""
    head = lex.heads[m.group("head")]
    if gov.endswith("政府") and not f:
        gov = "人民政府"
    place = None if q in lex.unqualified else scope.jurisdiction
    jur = place or ""
    body = gov + f + q2 + head
    alts: tuple[str, ...] = ()
    if head in _DEPT_UNIT_HEADS and scope.department and place:  # 起草处室 of a bureau is the bureau's
        unit = "(单位)" if m.string.startswith("(单位)", m.end()) else ""  # 有关处室(单位)
        end = m.end() + len(unit)
        # 各科室 is the 机关各科室 where the document names that one (局机关各科室 … 各科室)
        alts = (scope.department + "机关" + q + body,) if q == "各" and not gov + f + q2 else ()
        return Parse(end, scope.department + q + body + unit, True, scope.department, place, alts)
    if body == "部门" and q.endswith("各") and _own_level(q.removesuffix("各"), scope):
        # 区级各部门 / 区直各部门: the government's departments when the document names them so
        return Parse(m.end(), jur + q + body, True, jur + "人民政府", place, (jur + "人民政府各部门",))
    if body == "部门" and q.endswith("直") and _own_level(q, scope):  # 36家市直部门: all of them, 市直各部门
        return Parse(m.end(), jur + q + "各" + body, True, jur + "人民政府", place, (jur + "人民政府各部门",))
    if body == "直属机构" and not gov:  # 各直属机构: a formal class of a government's organs
        return Parse(m.end(), jur + "人民政府" + q + body, True, jur + "人民政府", place)
    if q in ("有关", "各有关") and body == "部门":
        return Parse(m.end(), jur + "人民政府有关部门", True, jur + "人民政府", place)
    if q == "相关" and body == "部门":
        return Parse(m.end(), jur + "人民政府有关部门", True, jur + "人民政府", place, (jur + "各相关部门",))
    if q == "各" and body == "部门":
        alts = ("@addressee各部门",)
    elif q == "各" and body == "单位":  # the addressee 区直机关各单位 or 各有关单位
        alts = ("@addressee各单位", "@addressee各有关单位")
    elif not q:
        alts = (jur + "各" + body,)
    return Parse(m.end(), jur + q + body, True, None, place, alts)


def _own_level(word: str, scope: Scope) -> bool:
    """True when a level quantifier (区级, 市直) is the document's own level."""
    level = lexicon().levels.get(word[:-1])
    return bool(word[-1:] in "级直" and level and scope.level and scope.level_of(level) == scope.level)


def pattern_context(text: str, i: int, scope: Scope) -> list[Parse]:
    """局办公室 / 局法规处 / 机关各处室 / 局属各单位 / 本局, relative to the issuing department."""
    department = scope.department
    if department is None:
        return []
    out: list[Parse] = []
    unit = _dept_unit(text, i, department)
    if unit is not None:
        out.append(Parse(unit[0], department + unit[1], False, department, scope.jurisdiction))
    for word, value in lexicon().context.items():
        if text.startswith(word, i):
            template, _, group = value.partition("|")
            name = template.format(issuer=department)
            parent = None if name == department else department
            out.append(Parse(i + len(word), name, group == "1", parent, scope.jurisdiction))
    return out


def _dept_unit(text: str, i: int, department: str) -> tuple[int, str] | None:
    """局法规处 / 厅宣教中心 / 委执法总队 in the document of that 局/厅/委: (end, unit name)."""
    m = _DEPT_OWN.match(text, i)
    if m is None or not department.endswith((m.group("own"), m.group("own") + "员会")):
        return None
    return _unit_tail(text, m.end())


def _unit_tail(text: str, k: int) -> tuple[int, str] | None:
    """An internal unit's name at ``k`` (法规处, 监测总站, 综合行政执法支队): (end, name)."""
    lex = lexicon()
    m = lex.unit_tail.match(text, k)
    if m is None:
        return None
    unit = m.group()
    if any(w in unit for w in ("管委会", "委员会", "政府", "开发区", "新区")):
        return None
    if _GENERIC_STOP & set(unit) or unit.endswith(lex.not_ending) or unit.startswith(lex.not_unit_start):
        return None
    if text.startswith("室", m.end()) or _runs_on(text, m.end(), lex.unit_not_followed):  # 处室; 办理
        return None
    return m.end(), unit


def pattern_central(text: str, i: int) -> list[Parse]:
    """党中央 → 中共中央, 国务院, 国务院办公厅 (jurisdiction 中华人民共和国)."""
    lex = lexicon()
    if text[i : i + 2] not in lex.central_starts:
        return []
    for n in lex.central_lengths:
        if n > len(text) - i or n < 2:
            continue
        hit = lex.central.get(text[i : i + n])
        if hit:
            return [Parse(i + n, hit[0], False, hit[1], "中华人民共和国")]
    return []


def pattern_zone(text: str, i: int, scope: Scope, index: dict[int, list[PlaceRef]]) -> list[Parse]:
    """A development zone's committee: 滨江新区管委会 → 宁波滨江新区管理委员会 (各开发区管委会: a collective).

    A zone named without a place takes the short name of the document's city (the usual official
    name: 城市 + 高新技术产业开发区); a rank inside the name (国家级) stays in it; 党工委 is the zone's
    party 工作委员会; 各…, 市属… and a zone without a name are collectives.
    """
    place = scope.jurisdiction
    lex = lexicon()
    if place is None:
        return []
    clean = i == 0 or not re.match(rf"[{_HAN}]", text[i - 1]) or text[:i].endswith(lex.left)
    if (
        text.startswith(("管委会", "党工委"), i) and clean
    ):  # the document's own zone (县委、党工委、县政府、管委会)
        party = text.startswith("党工委", i)
        sub = "办公室" if not party and text.startswith("办公室", i + 3) else ""
        return [Parse(i + 3 + len(sub), "", False, None, place, ("@zone" + ("党工委" if party else sub),))]
    m = lex.zone.match(text, i)
    if m is None:
        return _listed_zone(text, i, scope) or _other_committee(text, i, scope)
    name, zone = m.group("name"), lex.zones[m.group("zone")]
    not_first = (*lex.levels_and_verbs[len(lex.levels) :], *(w for w in lex.left if w != "各"))
    if _GENERIC_STOP & set(name) or name.startswith(not_first):
        return []
    if name.startswith("各") and "各" in name[1:]:
        return []
    qual = m.group("alt") or ""
    government = place + "人民政府"
    listed = (
        not name and text[i - 1 : i] == "、" and "各" in text[max(0, i - 24) : i]
    )  # 各县政府、功能区管委会
    if name.startswith("各") or name.endswith("属") or qual or listed:
        written = ("各" if listed else "") + name + m.group("zone") + qual
        if m.group("head") in ("党工委", "工作委员会"):
            return []
        return [
            Parse(m.end(), place + written + "管理委员会" + (m.group("sub") or ""), True, government, place)
        ]
    if not name or not (i in index or name.startswith(tuple(scope.known_places)) or _named_region(name)):
        name = _city_short(scope) + name
    body = name + zone
    if m.group("head") in ("党工委", "工作委员会"):
        return [Parse(m.end("head"), "中共" + body + "工作委员会", False, None, place)]
    committee = body + "管理委员会"
    sub = m.group("sub") or ""
    if sub == "办公室":
        return [Parse(m.end(), committee + sub, False, committee, place)]
    if sub:
        return [Parse(m.end(), committee + sub, True, committee, place)]
    # a bare 功能区管委会 is the collective 各功能区管委会 where the document names that one
    alts = (place + "各" + m.group("zone") + "管理委员会",) if not m.group("name") else ()
    return [Parse(m.end(), committee, False, None, place, alts)]


_LISTED_ZONE = re.compile(r"(?:高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区)(?=[、,;])")


def _listed_zone(text: str, i: int, scope: Scope) -> list[Parse]:
    """A bare 开发区 in a list of responsible units (县府办、开发区、各有关部门负责): the city's zone."""
    m = _LISTED_ZONE.match(text, i)
    if m is None or (i and text[i - 1] not in "、,;:(|\n "):
        return []
    if "。" in _cell_around(text, i, m.end()) and not _NOTE_AHEAD.match(text, m.end()):
        return []
    committee = _city_short(scope) + lexicon().zones[m.group()] + "管理委员会"
    return [Parse(m.end(), committee, False, None, scope.jurisdiction)]


_OTHER_COMMITTEE = re.compile(rf"[{_HAN}]{{2,6}}?(?=管委会)")


def _other_committee(text: str, i: int, scope: Scope) -> list[Parse]:
    """X管委会 of an area without a zone word (管理区, scenic area) after a list mark: <place>X管理委员会."""
    if i and text[i - 1] not in "、,;:(|\n ":
        return []
    m = _OTHER_COMMITTEE.match(text, i)
    lex = lexicon()
    if m is None or _GENERIC_STOP & set(m.group()) or m.group().startswith((*lex.levels_and_verbs, "各")):
        return []
    return [
        Parse(
            m.end() + 3,
            (scope.jurisdiction or "") + m.group() + "管理委员会",
            False,
            None,
            scope.jurisdiction,
        )
    ]


_LISTED_GOVERNMENT = re.compile(r"(?:人民)?政府(?P<office>办公室|办公厅|办)?(?=[、,;]|牵头|负责)")


def pattern_listed_government(text: str, i: int, scope: Scope) -> list[Parse]:
    """A bare 政府办 / 政府 in a list of responsible units (府办、高新区…负责): the document's own."""
    place = scope.jurisdiction
    m = _LISTED_GOVERNMENT.match(text, i)
    if m is None or place is None or scope.level == "central" or (i and text[i - 1] not in "、,;:(|\n "):
        return []
    if "。" in _cell_around(text, i, m.end()) and not _NOTE_AHEAD.match(text, m.end()):
        return []
    government = place + "人民政府"
    if m.group("office"):
        office = "办公厅" if m.group("office") == "办公厅" else "办公室"
        return [Parse(m.end(), government + office, False, government, place)]
    return [Parse(m.end(), government, False, None, place)]


def _named_region(name: str) -> bool:
    """True when a zone's name starts with a province or city (浙江舟山群岛新区, 苏州工业园区)."""
    from extractors.layout import places

    gaz = places.gazetteer()
    for n in (2, 3):
        for suffix in ("省", "市", "自治区"):
            if any(p.level in ("province", "prefecture") for p in gaz.by_name.get(name[:n] + suffix, ())):
                return True
    return False


def _city_short(scope: Scope) -> str:
    """The short name of the document's city (天津 for 天津市, 江油 for a county-level 江油市)."""
    if scope.is_county_city and scope.jurisdiction:
        label = scope.jurisdiction
    else:
        label = scope.by_level.get("prefecture") or scope.jurisdiction or ""
    last = components(label)[-1] if label else ""
    return re.sub(r"(?:市|地区|州|盟)$", "", last)


_BARE_UNIT = re.compile(rf"[{_HAN}]{{1,10}}?(?:办公室|办公厅|处|司|办|中心|科|股|院|馆)|办公室")
_NOT_IN_UNIT = ("贯彻", "提交", "实现", "按照", "根据", "通过", "要求", "印发", "部署", "全程")
_UNIT_VERB = ("牵头", "负责", "会同", "配合", "落实", "统筹")
# in running text a list of units must reach 牵头/负责/落实 before the sentence ends ((X处、Y处负责))
_NOTE_AHEAD = re.compile(r"[^。()]{0,60}?(?:牵头|负责|落实|配合|统筹)")


def pattern_bare_unit(text: str, i: int, scope: Scope) -> list[Parse]:
    """An internal unit named alone in a department's document (规划处、高教处; 法规司牵头): the department's.

    The unit must stand between list marks or before 牵头/负责/落实 …; a standard unit's abbreviation
    is spelled out from ``agency_units.csv`` (高教处 → 高等教育处) when it names exactly one.
    """
    department = scope.department
    if department is None or (
        i and re.match(rf"[{_HAN}]", text[i - 1]) and not text[:i].endswith(lexicon().left)
    ):
        return []
    lex = lexicon()
    for m in _BARE_UNIT.finditer(text[i : i + 12]):  # the shortest unit that ends at a list mark
        if m.start():
            break
        unit = m.group()
        if "和" in unit and not _joined_unit(unit):  # 办公室和财务科: the first of two units
            unit = unit.partition("和")[0]
        if text[i + len(unit) : i + len(unit) + 1] in ("院", "馆"):  # 教科院 does not end at its 科
            unit += text[i + len(unit)]
        joined = _joined_unit(unit)
        other = _OTHER_UNIT_NAME.match(text, i + len(unit))  # 综合股(行政审批股): one unit, two names
        unit += other.group() if other else ""
        end = i + len(unit)
        nxt = text[end : end + 1]
        listed = nxt == "" or nxt in "、，,；;):" or text.startswith(("等", "和", "及", "按职责"), end)
        listed = listed or text[end : end + 3].lstrip(" ")[:1] in ("|", "\n")  # a whole table cell
        cell = "。" not in _cell_around(text, i, end)  # a table cell or a 责任单位 list
        if not (text.startswith(_UNIT_VERB, end) or (listed and (cell or _NOTE_AHEAD.match(text, end)))):
            continue
        if any(w in unit for w in _NOT_IN_UNIT) or any(w in unit for w in lex.central):
            return []
        if (
            _GENERIC_STOP & set(unit) - joined - ({"(", ")"} if other else set())
            or (unit.startswith(tuple(lex.levels)) and not unit.startswith(_NOT_LEVEL))
            or unit.startswith(lex.not_unit_start)
            or unit in lex.not_agency
        ):
            return []
        if any(w in unit for w in ("政府", "委员会", "管委会", "部门", "单位")):
            return []
        place = scope.jurisdiction or ""
        if place and department.startswith(place) and _own_institution(department[len(place) :], unit):
            # 医疗保障事业管理中心 in the 医疗保障局's document: an institution of the place, not a unit
            return [Parse(end, place + unit, False, None, place)]
        name = _expand_unit(department, unit, place)
        if unit.endswith(("院", "馆")) and name == department + unit:
            return []  # an institution (考试院, 电教馆) only as a known one of the department's field
        return [
            Parse(end, name, False, department if name.startswith(department) else None, scope.jurisdiction)
        ]
    return []


_OTHER_UNIT_NAME = re.compile(rf"\([{_HAN}]{{2,12}}?(?:股|科|处|室|办|中心)\)")
_NOT_LEVEL = ("市场", "区域", "县域", "省级")  # words that start with a level character but are none
_JOINED_BARE_UNIT = re.compile(rf"[{_HAN}]{{2,}}和[{_HAN}]{{2,}}")


def _joined_unit(unit: str) -> set[str]:
    """{和} when a bare unit is one 和-joined name (法规和基金监管科), not two units (办公室和法规科)."""
    left = unit.partition("和")[0]
    if not _JOINED_BARE_UNIT.fullmatch(unit) or _BARE_UNIT.fullmatch(left) or left.endswith("室"):
        return set()
    return {"和"}


_INSTITUTION_END = ("中心", "院", "馆")
_DEPT_SUFFIX = re.compile(r"(?:委员会|管理局|局|委|厅)$")


def _own_institution(body: str, unit: str) -> bool:
    """True when a bare 中心/院/馆 names its domain as the department does (医疗保障事业管理中心, 医保中心
    of a 医疗保障局): a public institution (事业单位) under the place, named by its own full name."""
    if not unit.endswith(_INSTITUTION_END):
        return False
    stems = {_DEPT_SUFFIX.sub("", body)}
    for dept in data.departments():
        if dept.full_name == body:
            stems |= {_DEPT_SUFFIX.sub("", a) for a in dept.abbreviations}
    return any(len(stem) >= 2 and unit.startswith(stem) and len(unit) > len(stem) + 1 for stem in stems)


def _cell_around(text: str, start: int, end: int) -> str:
    """The table cell (between | marks on its line) around a span; the whole text outside tables."""
    lo = max(text.rfind("\n", 0, start), text.rfind("|", 0, start))
    if lo < 0 or text[lo] != "|":
        return text
    hi = min((k for k in (text.find("|", end), text.find("\n", end)) if k >= 0), default=len(text))
    return text[lo + 1 : hi]


def _expand_unit(department: str, unit: str, place: str = "") -> str:
    """高教处 → <department>高等教育处 when the department's standard units have exactly one match
    (a public institution of the department's field is the place's: 考试院 → <place>教育考试院)."""
    hits = {
        u.template.format(dept=department, unit=u.unit, place=place)
        for u in data.units()
        if department.endswith(u.departments) and _abbreviates(unit, u.unit)
    }
    exact = {h for h in hits if h.endswith(unit)}
    if len(exact) == 1:
        return exact.pop()
    return hits.pop() if len(hits) == 1 else department + unit


def _abbreviates(short: str, full: str) -> bool:
    """True when ``short`` abbreviates ``full``: a unit of the same kind (办: 办公室), characters in order."""
    if full.endswith("办公室") and short.endswith("办") and not short.endswith("办公室"):
        return _in_order(short[:-1], full[:-3])
    return short[-1] == full[-1] and _in_order(short[:-1], full[:-1])


def _in_order(short: str, full: str) -> bool:
    """True when the characters of ``short`` appear in ``full`` in order (政法 in 政策法规)."""
    it = iter(full)
    return all(ch in it for ch in short)


_PBOC_BRANCH = re.compile(rf"(?:中国)?人民银行(?P<p>[{_HAN}]{{2,10}}?)(?P<k>中心支行|营业管理部|分行|支行)")
_REGULATOR_BRANCH = re.compile(
    rf"(?P<p>[{_HAN}]{{2,6}}?)(?P<k>银保监分局|银监分局|保监分局|金融监管分局|证监局)"
)


def pattern_branch(text: str, i: int, scope: Scope) -> list[Parse]:
    """Local branches of national regulators, under the national name of the document's year.

    人民银行X市中心支行 → 中国人民银行X市中心支行; X银监分局 / X银保监分局 → 中国银行业监督管理委员会
    (to 2018), 中国银行保险监督管理委员会 (2018-2023) or 国家金融监督管理总局 (from 2023) + X监管分局;
    X证监局 → 中国证券监督管理委员会X监管局. SOURCE: the 2018 and 2023 State Council reform plans.
    """
    m = _PBOC_BRANCH.match(text, i)
    if m is not None and not _GENERIC_STOP & set(m.group("p")):
        return [
            Parse(
                m.end(),
                "中国人民银行" + m.group("p") + m.group("k"),
                False,
                "中国人民银行",
                scope.jurisdiction,
            )
        ]
    m = _REGULATOR_BRANCH.match(text, i)
    if m is None or _GENERIC_STOP & set(m.group("p")) or m.group("p").startswith(lexicon().levels_and_verbs):
        return []
    place = re.sub(r"(?:市|地区|州|盟)$", "", m.group("p"))
    if m.group("k") == "证监局":
        return [Parse(m.end(), "中国证券监督管理委员会" + place + "监管局", False, None, scope.jurisdiction)]
    year = scope.ctx.year or 0
    if m.group("k") == "金融监管分局" or year >= 2024:
        national = "国家金融监督管理总局"
    elif year >= 2019 or m.group("k") == "银保监分局":
        national = "中国银行保险监督管理委员会"
    elif m.group("k") == "保监分局":
        national = "中国保险监督管理委员会"
    else:
        national = "中国银行业监督管理委员会"
    return [Parse(m.end(), national + place + "监管分局", False, national, scope.jurisdiction)]


_LEADING_GROUP = re.compile(rf"[{_HAN}]{{2,16}}?领导小组(?P<sub>办公室|成员单位)?")


def pattern_leading_group(text: str, i: int, scope: Scope) -> list[Parse]:
    """A leading group named without its place (经X工作领导小组同意): the jurisdiction's.

    Only after a mark or a left-context word (经, 由, 等), so that 成立…领导小组 stays a phrase;
    its 成员单位 are a collective.
    """
    place = scope.jurisdiction
    lex = lexicon()
    if place is None or (i and re.match(rf"[{_HAN}]", text[i - 1]) and not text[:i].endswith(lex.left)):
        return []
    m = _LEADING_GROUP.match(text, i)
    if m is None:
        return []
    body = m.group()[: -len(m.group("sub") or "")] if m.group("sub") else m.group()
    level = next((w for w in sorted(lex.levels, key=len, reverse=True) if body.startswith(w)), None)
    if level is not None and scope.at_level(lex.levels[level]) is not None:
        return []  # 区X领导小组: a prefixed name (乡村振兴… in a county document is no level word)
    if _GENERIC_STOP & set(body) or body.startswith((*lex.verbs, *lex.left, "各")):
        return []
    group = place + body
    if m.group("sub") == "成员单位":
        return [Parse(m.end(), group + "成员单位", True, group, place)]
    if m.group("sub"):
        return [Parse(m.end(), group + "办公室", False, group, place)]
    return [Parse(m.end(), group, False, None, place)]


def parses_at(text: str, i: int, scope: Scope, index: dict[int, list[PlaceRef]]) -> list[Parse]:
    """Every candidate organ name starting at ``i``."""
    return [
        *(_sub_units(text, p) for p in pattern_central(text, i)),
        *pattern_context(text, i, scope),
        *pattern_government_collective(text, i, scope),
        *pattern_functional_collective(text, i, scope),
        *pattern_organ(text, i, scope, index),
        *pattern_zone(text, i, scope, index),
        *pattern_leading_group(text, i, scope),
        *pattern_branch(text, i, scope),
        *pattern_listed_government(text, i, scope),
        *pattern_bare_unit(text, i, scope),  # last: any other name of the same length wins
    ]
