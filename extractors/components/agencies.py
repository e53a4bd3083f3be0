"""Agencies (机构) in normalized text, under their canonical names.

Public API (all on NORMALIZED strings: NFKC + simplified):

* :func:`find_agencies`: every organ or collective in a text, longest match, left to right;
* :func:`canonicalize`: one whole string (a table cell, a 责任单位 entry, an issuer);
* :func:`split_agency_list`: a list such as 区发改局、区市场监管局、各相关部门.

The grammar lives in :mod:`extractors.components.agency_grammar`, its words in the data files.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from extractors.components.agency_grammar import Parse, lexicon, parses_at, place_index
from extractors.components.agency_scope import Scope, components
from extractors.components.agency_types import AgencyContext, AgencyMatch
from extractors.components.segment import boundary_word_starts

__all__ = [
    "AgencyContext",
    "AgencyMatch",
    "WordStarts",
    "addressee_groups",
    "canonicalize",
    "document_context",
    "find_agencies",
    "split_agency_list",
]

_NATION = "中华人民共和国"
_HAN = re.compile(r"[\u4e00-\u9fff]")
# cited titles, quoted names, and document numbers (国办发〔2020〕9号, brackets lost: 国办发20209号):
# the issuer named only inside a cited document's number is no agency of this document
# one bracket lost (皖政务办〔20181号), or the number cut off after the cited title (…》(国办)
_MASKED = re.compile(
    r"《[^》\n]*》|“[^”\n]{0,30}”"
    r"|[\u4e00-\u9fff]{1,8}[〔\[]\s*\d{4}\s*[〕\]]\s*\d{0,5}\s*号"
    r"|[\u4e00-\u9fff]{1,8}(?:[〔\[]\s*\d{5,9}|\d{4}\s*[〕\]]\s*\d{1,5})\s*号"
    r"|[\u4e00-\u9fff]{1,7}(?<=[发函字办电])\d{5,9}号"
    r"|(?<=》\()[\u4e00-\u9fff]{1,7}(?=\s*$|[〔\[\d])"
)
# a title line naming the department whose plan it is: X2019年政务公开工作要点, X落实2017年…实施方案
_TITLE_OWNER = re.compile(
    r"^\s*(?P<owner>[\u4e00-\u9fff]{2,24}?)(?:落实|贯彻落实)?(?:19|20)\d\d年[^\n]{0,24}"
    r"(?:要点|方案|分工|清单|分解|报告)\s*$",
    re.M,
)
_ZONE_GROUP = re.compile(r"各|属|\(")
_LEVEL_DEPARTMENTS = re.compile(r"[省市区县]直各部门")
_UNIT_START = re.compile(r"[^\u4e00-\u9fff]|会同|由|和|及")
_ADDRESSEE = re.compile(r"^[^\n:。]{2,200}:\s*$", re.M)
_CLAUSE = re.compile(r"[^\u4e00-\u9fff]")
_SEPARATORS = "、，,；;及和与 \t\n"
# 各市〔州〕政府: tortoise-shell brackets (of document numbers) read as round ones in names
_BRACKETS = str.maketrans("〔〕", "()")
_INSTITUTION_ENDS = ("中心", "院", "馆")
_COUNTIES = re.compile(r"各(?:区县|县区|县|区)(?:\([^()]*\))?人民政府")
# placeholders (private-use characters) for a jurisdiction and a department the text does not give
_UNKNOWN = "\ue000"
_UNKNOWN_PLACE = _UNKNOWN + "省" + _UNKNOWN + "市" + _UNKNOWN + "县"
_UNIT_OF_UNKNOWN = _UNKNOWN + "局"
_UNKNOWN_DEPT = _UNKNOWN_PLACE + _UNIT_OF_UNKNOWN


def find_agencies(text: str, ctx: AgencyContext) -> list[AgencyMatch]:
    """Every agency named in ``text``: non-overlapping, longest match, left to right.

    Organs named only inside a cited title 《…》 or a quoted name “…” are skipped.

    Args:
        text: Normalized text (NFKC + simplified).
        ctx: The document's context (jurisdiction, level, issuer …).

    Returns:
        The matches with canonical names; offsets index ``text``.
    """
    mask = _masked(text)
    text = text.translate(_BRACKETS)
    scope = _scope(_with_owner(text, ctx))
    raw = _scan(text, scope, mask)
    groups = ctx.addressee_groups or _addressee_groups(text, scope)
    return _resolve(text, raw, groups, scope)


def canonicalize(surface: str, ctx: AgencyContext) -> AgencyMatch | None:
    """The agency a whole string names (区司法局 → 济南市天桥区司法局), or None.

    Args:
        surface: A normalized string that should name one agency.
        ctx: The document's context.

    Returns:
        The match covering the whole string (trailing punctuation aside), or None.
    """
    text = surface.strip().strip("、，,;；。:：").translate(_BRACKETS)
    if not text:
        return None
    scope = _scope(ctx)
    raw = _scan(text, scope, [False] * len(text), list_mode=True)
    if len(raw) != 1 or raw[0][0] != 0 or raw[0][1].end != len(text):
        return None
    return _resolve(text, raw, ctx.addressee_groups, scope)[0]


def split_agency_list(text: str, ctx: AgencyContext) -> list[AgencyMatch]:
    """The agencies of a list: 区发改局、区市场监管局、各相关部门 → three matches.

    Separators are 、，,；; and 及/和/与 between names; 和 inside a name
    (住房和城乡建设局) is kept, because the longest name wins.

    Args:
        text: A normalized list of agency names.
        ctx: The document's context.
    """
    return list(_split_agency_list(text, ctx))


@lru_cache(maxsize=1024)
def _split_agency_list(text: str, ctx: AgencyContext) -> tuple[AgencyMatch, ...]:
    """The matches of a list, remembered: table cells repeat the same 责任单位 list row after row."""
    scope = _scope(ctx)
    text = text.translate(_BRACKETS)
    raw = _scan(text, scope, [False] * len(text), list_mode=True)
    return tuple(_resolve(text, raw, ctx.addressee_groups, scope))


def addressee_groups(text: str, ctx: AgencyContext) -> tuple[str, ...]:
    """The collectives a document is addressed to (各街道办事处，区人民政府各部门：), canonical.

    Give them to :class:`AgencyContext` (``addressee_groups``) before reading table cells and
    责任单位 notes with :func:`split_agency_list`, so that 区直各部门 or a bare 各部门 there is
    the same collective as the addressee 区人民政府各部门.

    Args:
        text: Normalized text of the whole document.
        ctx: The document's context.
    """
    return _addressee_groups(text, _scope(_with_owner(text, ctx)))


def document_context(text: str, ctx: AgencyContext) -> AgencyContext:
    """``ctx`` completed from the whole document: its addressee collectives and, without an issuer,
    the department its title names (so that table cells and notes read 部属各单位 as its own).

    Args:
        text: Normalized text of the whole document.
        ctx: The document's context.
    """
    ctx = _with_owner(text, ctx)
    scope = _scope(ctx)
    groups = ctx.addressee_groups or _addressee_groups(text, scope)
    levels = {
        p.name
        for m in _LEVEL_DEPARTMENTS.finditer(text)
        for _, p in _scan(m.group(), scope, [False] * len(m.group()))
    }
    # collectives (for their other written forms, 县直有关部门) and institutions named in full anywhere
    # (医疗保障事业管理中心, for their short names in cells)
    found = [p for _, p in _scan(text.translate(_BRACKETS), scope, _masked(text))]
    collectives = {p.name for p in found if p.is_group}
    institutions = {
        p.name for p in found if scope.department and p.parent is None and p.name.endswith(_INSTITUTION_ENDS)
    }
    named = tuple(sorted(levels | collectives | institutions))
    return replace(ctx, addressee_groups=groups, named=named)


def _scope(ctx: AgencyContext) -> Scope:
    """The document's scope; where the text gives no jurisdiction, a placeholder one.

    A page cut from a table (市政府办公室、市财政局; 办公室牵头) may name no place and no issuer:
    its organs are then kept as written (市财政局, 办公室), each of that document alone
    (:attr:`AgencyMatch.written`), instead of being lost.
    """
    if ctx.jurisdiction or ctx.level == "central" or _issuer_has_place(ctx):
        return Scope.of(ctx)
    issuer = ctx.issuer or _UNKNOWN_DEPT
    return Scope.of(replace(ctx, jurisdiction=_UNKNOWN_PLACE, level="county", issuer=issuer))


def _issuer_has_place(ctx: AgencyContext) -> bool:
    return bool(ctx.issuer) and Scope.of(ctx).jurisdiction is not None


def _with_owner(text: str, ctx: AgencyContext) -> AgencyContext:
    """Without an issuer, the department whose work the title names (水利部2020年政务公开工作要点).

    Its 部属各单位, 机关各处室 and internal units are then that department's.
    """
    if ctx.issuer:
        return ctx
    m = _TITLE_OWNER.search(text[:800])
    if m is None:
        return ctx
    found = canonicalize(m.group("owner"), ctx)
    if (
        found is None
        or found.is_group
        or found.name.endswith(("人民政府", "人民政府办公室", "人民政府办公厅"))
    ):
        return ctx
    return replace(ctx, issuer=found.name)


# ---------------------------------------------------------------- scanning


def _masked(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in _MASKED.finditer(text):
        for k in range(m.start(), m.end()):
            mask[k] = True
    return mask


class WordStarts:
    """Word-start offsets of a text, segmented clause by clause on demand (jieba, no HMM)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: set[int] = set()
        self.done: set[int] = set()

    def __contains__(self, i: int) -> bool:
        m = _CLAUSE.search(self.text[max(0, i - 200) : i][::-1])
        lo = i - (m.start() if m else min(i, 200))
        if lo not in self.done:
            self.done.add(lo)
            hi = _CLAUSE.search(self.text, i)
            run = self.text[lo : hi.start() if hi else len(self.text)]
            self.starts.update(lo + offset for offset in boundary_word_starts(run))
        return i in self.starts


def _boundary(text: str, i: int, last_end: int, list_mode: bool, words: WordStarts) -> bool:
    if i == 0 or i == last_end or not _HAN.match(text[i - 1]) or text[i] == "各":
        return True
    if list_mode and text[i - 1] in _SEPARATORS:
        return True
    return text[max(0, i - 4) : i].endswith(lexicon().left) or i in words


def _scan(text: str, scope: Scope, mask: list[bool], list_mode: bool = False) -> list[tuple[int, Parse]]:
    index = place_index(text, scope)
    words = WordStarts(text)
    lex = lexicon()
    words_at = lex.starts_in(text) | lex.zone_starts(text)
    if scope.department:  # a department's bare units (规划处、财务处) start after a mark or 会同/和/及
        words_at |= {0} | {m.end() for m in _UNIT_START.finditer(text)}
    out: list[tuple[int, Parse]] = []
    i, last_end, n = 0, 0, len(text)
    while i < n:
        if mask[i] or (i not in index and i not in words_at):
            i += 1
            continue
        best = _best(parses_at(text, i, scope, index), text, i)
        if (best is None or best.is_group) and out and out[-1][1].is_group and last_end == i - 1:
            # 各乡镇人民政府、国营农场: the 各 of the list covers the next collective too
            dist = _distributed(text, i, scope) if text[i - 1] == "、" else None
            if dist is not None and (best is None or dist.end >= best.end):
                best = dist
        if best is not None and best.body_start > i and best.body_start not in words:
            best = None
        if best is None or any(mask[i : best.end]) or not _boundary(text, i, last_end, list_mode, words):
            i += 1
            continue
        out.append((i, best))
        i = last_end = best.end
    return out


def _distributed(text: str, i: int, scope: Scope) -> Parse | None:
    """The 各 of a collective distributes over the next name of its list: 各分局、直属单位."""
    if not _HAN.match(text[i]) or text[i] == "各":
        return None
    level = next((w for w in lexicon().levels if text.startswith(w, i)), None)
    if level is not None and _HAN.match(text[i + len(level) : i + len(level) + 1] or "."):
        return None  # 各区、市政府…: 市 starts the next name; 各街道、镇, : the 各 covers 镇
    probe = "各" + text[i : i + 24]
    best = _best(parses_at(probe, 0, scope, place_index(probe, scope)), probe, 0)
    if best is None or not best.is_group:
        return None
    return replace(best, end=best.end - 1 + i)


def _best(cands: list[Parse], text: str, i: int) -> Parse | None:
    lex = lexicon()
    cands = [
        p
        for p in cands
        if text[i : p.end] not in lex.not_agency
        and not text.startswith(lex.citation, p.end)
        and not (p.is_group and text.startswith(lex.post, p.end))
        and not text.startswith(lex.channel, p.end)
    ]
    if not cands:
        return None
    known = [p for p in cands if p.known_body] or cands
    return max(known, key=lambda p: (p.end, not p.is_group))


def _addressee_groups(text: str, scope: Scope) -> tuple[str, ...]:
    """Collectives named in the addressee line (各镇人民政府,…,区政府各部门(单位):)."""
    head = text[:1500]
    out: list[str] = []
    for m in _ADDRESSEE.finditer(head):
        line = m.group().strip().rstrip(":")
        found = _scan(line, scope, [False] * len(line), list_mode=True)
        groups = [p.name for _, p in found if p.is_group]
        covered = sum(p.end - k for k, p in found)
        if groups and 2 * len(groups) >= len(found) and 4 * covered >= 3 * len(line.replace(" ", "")):
            out.extend(groups)
    return tuple(out)


# ---------------------------------------------------------------- resolving


def _resolve(
    text: str, raw: list[tuple[int, Parse]], groups: tuple[str, ...], scope: Scope
) -> list[AgencyMatch]:
    names = {p.name for _, p in raw} | set(groups)
    out: list[AgencyMatch] = []
    for start, p in raw:
        name = _pick_name(p, names, groups, scope)
        if p.is_group:
            name = _variant_of(name, names | set(scope.ctx.named))
        if scope.level == "central":  # the State Council's collectives carry no place
            name = _central_name(name)
        name = _county_name(name, scope)
        if name and not name.endswith(_UNIT_OF_UNKNOWN):  # nor 本部 of a department the text does not name
            # (a bare 管委会 without a zone named in the document is dropped)
            out.append(_match(text, start, replace(p, is_group=p.is_group or name in groups), name))
    return out


def _variant_of(name: str, names: set[str]) -> str:
    """The one written form of a collective named two ways in a document.

    各区县(市)政府 is the 各区、县(市)人民政府 named with its list mark; 县直各有关部门(单位) and
    县直有关部门 are one collective, under the shorter form.
    """
    bare = name.replace("、", "")
    marked = [n for n in names if n != name and "、" in n and n.replace("、", "") == bare]
    if len(marked) == 1:
        return marked[0]
    key = _OPTIONAL_PARTS.sub("", name)
    shorter = [n for n in names if len(n) < len(name) and _OPTIONAL_PARTS.sub("", n) == key]
    return min(shorter, key=len) if shorter else name


_OPTIONAL_PARTS = re.compile(r"(?<=直)各|\(单位\)$")


def _pick_name(p: Parse, names: set[str], groups: tuple[str, ...], scope: Scope) -> str:
    for alt in p.alts:
        if alt.startswith("@zone"):  # the one zone committee the document names
            committee = lexicon().zone_committee
            zones = {
                m.group(1) for m in map(committee.match, names) if m and not _ZONE_GROUP.search(m.group(1))
            }
            if len(zones) == 1:
                zone = zones.pop()
                tail = alt.removeprefix("@zone")
                return (
                    "中共" + zone.removesuffix("管理委员会") + "工作委员会"
                    if tail == "党工委"
                    else zone + tail
                )
            return ""
        if alt.startswith("@addressee"):
            tail = alt.removeprefix("@addressee")
            hits = [g for g in groups if g.endswith(tail)]
            if len(hits) == 1 or (hits and tail == "各部门"):
                return hits[0]
        elif alt in names or alt in scope.ctx.named:
            return alt
    if p.is_group:  # 各县政府 is the addressee 各县(自治县)人民政府; 功能区管委会 the addressee 各功能区…
        place = scope.jurisdiction or ""
        if p.name == place + "各区县人民政府":  # 县级政府: the one county collective the document names
            counties = [n for n in names if n != p.name and _COUNTIES.fullmatch(n.removeprefix(place))]
            if len(counties) == 1:
                return counties[0]
        each = place + "各" + p.name[len(place) :] if p.name.startswith(place) else ""
        for g in groups:
            if g != p.name and (re.sub(r"\([^()]*\)", "", g) == p.name or g == each):
                return g
    return _abbreviated_institution(p, names, scope.ctx.named) or _known_name(p.name, scope)


def _abbreviated_institution(p: Parse, names: set[str], named: tuple[str, ...]) -> str | None:
    """医保中心 is the 医疗保障事业管理中心 the document names in full (same place, characters in order)."""
    place = p.place or ""
    if p.parent is not None or not p.name.startswith(place) or not p.name.endswith(_INSTITUTION_ENDS):
        return None
    short = p.name[len(place) :]
    hits = [
        n
        for n in names | set(named)
        if n != p.name and n.startswith(place) and n[-1] == short[-1] and _in_order(short, n[len(place) :])
    ]
    return hits[0] if len(hits) == 1 else None


def _in_order(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def _county_name(name: str, scope: Scope) -> str:
    """A county's or county-level city's organs are named without their prefecture (洮北县人民政府),
    a district's with it (济南市天桥区人民政府): county names are unique in their province."""
    jur = scope.jurisdiction or ""
    if scope.level != "county" or jur.endswith("区"):
        return name
    parts = components(jur)
    if len(parts) < 2:
        return name
    outer = "".join(parts[:-1])
    for head in ("", "中共"):
        if name.startswith(head + jur):
            return head + name.removeprefix(head + outer)
    return name


def _central_name(name: str) -> str:
    """中华人民共和国人民政府各直属机构 → 国务院各直属机构, 中华人民共和国各省… → 各省…."""
    if name.startswith(_NATION + "人民政府"):
        return "国务院" + name.removeprefix(_NATION + "人民政府")
    rest = name.removeprefix(_NATION)
    return rest if rest != name and rest.startswith(("各", "有关", "相关", "县级", "省级", "地方")) else name


def _known_name(name: str, scope: Scope) -> str:
    """A known organ of the same place whose name ends with this body (城乡交通运输局 for 交通运输局)."""
    place = scope.jurisdiction or ""
    if not scope.ctx.known or not name.startswith(place):
        return name
    body = name[len(place) :]
    hits = [k for k in scope.ctx.known if k.startswith(place) and k.endswith(body) and k != name]
    return min(hits, key=len) if len(hits) == 1 else name


def _match(text: str, start: int, p: Parse, name: str) -> AgencyMatch:
    if _UNKNOWN in name:  # no place or department known: the name as written, of this document only
        if _UNIT_OF_UNKNOWN in name:  # a unit of the unknown department: its own name (各股室)
            written = name.partition(_UNIT_OF_UNKNOWN)[2]
        else:  # the canonical name with the level word written for the place: 市人民政府办公室, 各地各部门
            if start and text[start - 1] in "省市区县" and not _HAN.match(text[start - 2 : start - 1] or "."):
                start -= 1  # 市有关单位: the level word is part of the name
                name = text[start] + name
            county = text[start] if text[start] in "区县" else ""
            written = name.replace(_UNKNOWN_PLACE, county).replace(_UNKNOWN + "县", county)
            written = written.replace(_UNKNOWN + "省" + _UNKNOWN + "市", "市").replace(_UNKNOWN + "市", "市")
            written = written.replace(_UNKNOWN + "省", "省")
        return AgencyMatch(start, p.end, text[start : p.end], written, p.is_group, None, None, written=True)
    parent = p.parent
    if parent is None and p.is_group:  # 济南市济阳区人民政府各部门 belongs to 济南市济阳区人民政府
        head = re.sub(r"(?:各部门|有关部门|各部委)$", "", name)
        parent = head if head != name and head.endswith(("人民政府", "委员会", "国务院")) else None
    return AgencyMatch(start, p.end, text[start : p.end], name, p.is_group, parent, p.place)
