"""Where a document stands: its jurisdiction at every level, and the places named in a text.

A :class:`Scope` is built once per document from an :class:`AgencyContext`; it
expands level words (市 → 济南市 in a 天桥区 document) and gives the place
prefixes found at each offset of a text. The place gazetteer is
``extractors.layout.places``; :func:`resolve_place` is the one seam to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import pairwise

from extractors.components.agency_types import AgencyContext
from extractors.layout import places

__all__ = ["LEVELS", "PlaceRef", "Scope", "components", "level_of_label", "resolve_place"]

LEVELS = {"central": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4}
_COMPONENT = re.compile(
    r".{1,10}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|省|市|盟|区|县|旗|镇|乡)"
)
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_NATION = "中华人民共和国"
_OFFICE = re.compile(r"(?:办公室|办公厅)$")
_DEPARTMENT_ENDS = ("局", "委", "委员会", "厅", "署", "办", "部")


@dataclass(frozen=True)
class PlaceRef:
    """A place named in a text: it ends at ``end`` and stands for ``label`` at ``level``."""

    end: int
    label: str
    level: str
    short: bool = False  # 济南 for 济南市 (only 警备区 takes it)


def components(label: str) -> list[str]:
    """Split a place label into division names: 山东省济南市天桥区 → [山东省, 济南市, 天桥区]."""
    return list(_components(label))


@lru_cache(maxsize=4096)
def _components(label: str) -> tuple[str, ...]:
    if label == _NATION:
        return (label,)
    found = places.find_places(label)
    contiguous = all(a[1] == b[0] for a, b in pairwise(found))
    if found and found[0][0] == 0 and found[-1][1] == len(label) and contiguous:
        return tuple(label[a:b] for a, b, _ in found)
    parts = _COMPONENT.findall(label)
    return tuple(parts) if "".join(parts) == label else (label,)


def _suffix_level(name: str, position: int) -> str:
    if name.endswith(("省", "自治区", "特别行政区")) or (position == 0 and name in _MUNICIPALITIES):
        return "province"
    if name.endswith(("镇", "乡", "街道")):
        return "township"
    if name.endswith(("州", "盟", "地区")) or (name.endswith("市") and position <= 1):
        return "prefecture"
    return "county"


@lru_cache(maxsize=4096)
def resolve_place(name: str, year: int | None, within: str | None) -> tuple[str, str] | None:
    """(label, level) of a place name, through the gazetteer; None when unknown or ambiguous."""
    place = places.resolve(name, year, within)
    if place is None:
        return None
    return place.label, place.level


def level_of_label(label: str, year: int | None = None) -> str:
    """The level of a place label (济南市天桥区 → county)."""
    if label == _NATION:
        return "central"
    found = resolve_place(label, year, None)
    if found:
        return found[1]
    parts = components(label)
    return _suffix_level(parts[-1], len(parts) - 1)


@dataclass
class Scope:
    """The jurisdiction of a document at each level, and its issuer."""

    ctx: AgencyContext
    jurisdiction: str | None = None
    level: str | None = None
    by_level: dict[str, str] = field(default_factory=dict)
    known_places: dict[str, PlaceRef] = field(default_factory=dict)

    @classmethod
    def of(cls, ctx: AgencyContext) -> Scope:
        """Derive the levels above the jurisdiction (province, prefecture, county).

        The same scope for the same context (a document asks for it once per list it reads).
        """
        return _scope_of(ctx)

    @classmethod
    def derive(cls, ctx: AgencyContext) -> Scope:
        """A new scope of ``ctx`` (see :meth:`of`)."""
        scope = cls(ctx)
        jur = ctx.jurisdiction or _issuer_place(ctx)
        scope.jurisdiction = jur
        if jur is None:
            return scope
        scope.level = ctx.level or level_of_label(jur, ctx.year)
        scope.by_level = _levels_of(jur, scope.level, ctx)
        scope.known_places = _known_places(scope.by_level)
        return scope

    def at_level(self, level: str) -> str | None:
        """The document's own place at ``level`` (None below the document's level).

        In the document of a county-level city (郑州市巩义市) the word 市 is the city itself.
        """
        if level == "self" or (level == "prefecture" and (self.is_county_city or self.is_municipality)):
            return self.jurisdiction
        if self.level is None or LEVELS.get(level, 9) > LEVELS.get(self.level, 9):
            return None
        return self.by_level.get(level)

    def level_of(self, level: str) -> str:
        """The level a level word stands for: ``self`` and a county-level city's 市 are the document's."""
        if level == "self" or (level == "prefecture" and (self.is_county_city or self.is_municipality)):
            return self.level or "county"
        return level

    @cached_property
    def is_municipality(self) -> bool:
        """True for the document of a municipality itself (天津市): its 市 is the province-level city."""
        return self.level == "province" and self.jurisdiction in _MUNICIPALITIES

    @cached_property
    def is_county_city(self) -> bool:
        """True for the document of a county-level city (郑州市巩义市, not 济南市天桥区)."""
        if self.level != "county" or not self.jurisdiction:
            return False
        return components(self.jurisdiction)[-1].endswith("市")

    @cached_property
    def department(self) -> str | None:
        """The department a 局X / 机关各处室 / 局属各单位 belongs to.

        The issuer, or the organ whose general office issued the document
        (重庆市生态环境局办公室 → 重庆市生态环境局); None for a government issuer.
        """
        issuer = self.ctx.issuer
        if not issuer or self.issuer_is_government:
            return None
        owner = _OFFICE.sub("", issuer)
        return owner if owner != issuer and owner.endswith(_DEPARTMENT_ENDS) else issuer

    @property
    def issuer_is_government(self) -> bool:
        """True when the issuer is a people's government or its general office."""
        issuer = self.ctx.issuer or ""
        return issuer.endswith(("人民政府", "人民政府办公室", "人民政府办公厅")) or not issuer


@lru_cache(maxsize=64)
def _scope_of(ctx: AgencyContext) -> Scope:
    return Scope.derive(ctx)


def _issuer_place(ctx: AgencyContext) -> str | None:
    if not ctx.issuer:
        return None
    found = places.find_places(ctx.issuer, ctx.year, ctx.province)
    if not found or found[0][0] != 0:
        return None
    end, label = found[0][1], found[0][2].label
    for start, stop, place in found[1:]:
        if start != end:
            break
        end, label = stop, place.label
    return label


def _levels_of(jur: str, level: str, ctx: AgencyContext) -> dict[str, str]:
    out: dict[str, str] = {level: jur}
    parts = components(jur)
    acc = ""
    for i, part in enumerate(parts):
        acc += part
        lv = _suffix_level(part, i)
        if LEVELS.get(lv, 9) < LEVELS.get(level, 9):
            out.setdefault(lv, acc)
    if parts and parts[0] in _MUNICIPALITIES:
        out.setdefault("province", parts[0])
        out.setdefault("prefecture", parts[0])
    place = places.resolve(jur, ctx.year, None) if level != "central" else None
    if place is not None:
        out.setdefault("province", place.province)
        if place.prefecture:
            out.setdefault("prefecture", place.prefecture)
    if ctx.province:
        out["province"] = ctx.province
    if ctx.prefecture:
        out["prefecture"] = ctx.prefecture
    return out


def _known_places(by_level: dict[str, str]) -> dict[str, PlaceRef]:
    """Surface forms of the document's own places: 济南市天桥区, 天桥区, 济南市, 济南 (short)."""
    out: dict[str, PlaceRef] = {}
    for level, label in by_level.items():
        parts = components(label)
        for i in range(len(parts)):
            surface = "".join(parts[i:])
            out.setdefault(surface, PlaceRef(len(surface), label, level))
        last = parts[-1]
        short = re.sub(r"(?:市|省|自治区|地区|州|盟)$", "", last)
        if len(short) >= 2 and short != last:
            out.setdefault(short, PlaceRef(len(short), label, level, short=True))
    return out
