"""A gazetteer of Chinese administrative divisions (GB/T 2260 codes, 1981 to 2024).

The data is ``data/areacodes.csv`` (CC0, see ``data/areacodes.SOURCE.md``): one
row per code and period, so a code can carry several names over time (变更)
and a name can stand for several codes (朝阳区 in 北京市 and in 长春市).
Everything is loaded lazily, once.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from extractors.paths import DATA_DIR

__all__ = [
    "Gazetteer",
    "Place",
    "children",
    "find_places",
    "gazetteer",
    "p442",
    "parent",
    "resolve",
]

DATA = DATA_DIR / "areacodes.csv"
Level = Literal["province", "prefecture", "county"]
_LEVELS: dict[str, Level] = {"省级": "province", "地级": "prefecture", "县级": "county"}
_DIRECT = "直辖"  # 二级行政区 of a county directly under a province or municipality
_SUCCESSOR = re.compile(r"(\d{6})")


@dataclass(frozen=True)
class Place:
    """One administrative division under one name for one period.

    ``valid_to`` is the year the name or code stopped being used (None while in use).
    """

    code: str
    name: str
    level: Level
    province: str
    prefecture: str | None
    valid_from: int
    valid_to: int | None
    successors: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Full name under its province: 山东省, 济南市, 济南市天桥区, 北京市朝阳区."""
        if self.level != "county":
            return self.name
        if self.prefecture:
            return self.prefecture + self.name
        if self.province.endswith("市"):  # a municipality: 北京市朝阳区
            return self.province + self.name
        return self.name

    def valid_in(self, year: int) -> bool:
        """True when the name was in use in ``year``."""
        return self.valid_from <= year and (self.valid_to is None or year < self.valid_to)


def _row_place(row: dict[str, str]) -> Place:
    second = row["二级行政区"].strip()
    level = _LEVELS[row["级别"]]
    to = row["变更/弃用时间"].strip()
    return Place(
        code=row["代码"].strip(),
        name=row["名称"].strip(),
        level=level,
        province=row["一级行政区"].strip(),
        prefecture=None if level == "province" or second in ("", _DIRECT) else second,
        valid_from=int(row["启用时间"]),
        valid_to=int(to) if to else None,
        successors=tuple(_SUCCESSOR.findall(row["新代码"] or "")),
    )


def _distance(place: Place, year: int) -> int:
    if place.valid_in(year):
        return 0
    if year < place.valid_from:
        return place.valid_from - year
    return year - (place.valid_to or year) + 1


class Gazetteer:
    """Name and code indexes over the places; use :func:`gazetteer` for the shared one."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.by_code: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self.by_name[place.name].append(place)
            self.by_code[place.code].append(place)
        self._automaton: Any = None

    @classmethod
    def load(cls, path: Path = DATA) -> Gazetteer:
        """Read the GB/T 2260 table (UTF-8 with BOM)."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                return cls([_row_place(row) for row in csv.DictReader(fh)])
        except (OSError, KeyError, ValueError) as err:
            raise RuntimeError(f"{path}: cannot read the division-code table ({err})") from err

    def automaton(self) -> Any:
        """An Aho-Corasick automaton over every name (built on first use)."""
        if self._automaton is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for name in self.by_name:
                auto.add_word(name, name)
            auto.make_automaton()
            self._automaton = auto
        return self._automaton

    def at(self, code: str, year: int | None) -> Place | None:
        """The place with ``code`` in ``year`` (the latest name when ``year`` is None)."""
        rows = self.by_code.get(code, [])
        if not rows:
            return None
        if year is None:
            return max(rows, key=lambda p: (p.valid_to is None, p.valid_to or 0, p.valid_from))
        return min(rows, key=lambda p: (_distance(p, year), -p.valid_from))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded once."""
    return Gazetteer.load()


def _inside(place: Place, within: str) -> bool:
    return within in (place.province, place.prefecture) or place.label.startswith(within)


def _pick(cands: list[Place], year: int | None) -> Place | None:
    """One code among candidates of one name, or None when they stand for several divisions."""
    if not cands:
        return None
    if year is None:
        current = [p for p in cands if p.valid_to is None] or cands
    else:
        best = min(_distance(p, year) for p in cands)
        current = [p for p in cands if _distance(p, year) == best]
    codes = {p.code for p in current}
    if len(codes) != 1:
        return None
    return max(current, key=lambda p: p.valid_from)


def _chain(name: str) -> list[str]:
    """Split 山东省济南市济阳区 into its division names; [] when it is not such a chain."""
    auto = gazetteer().automaton()
    parts: list[str] = []
    pos = 0
    while pos < len(name):
        best = ""
        for end, word in auto.iter(name, pos):
            if end - len(word) + 1 == pos and len(word) > len(best):
                best = word
        if not best:
            return []
        parts.append(best)
        pos += len(best)
    return parts


def resolve(name: str, year: int | None = None, within: str | None = None) -> Place | None:
    """The division called ``name`` in ``year``, or None when unknown or ambiguous.

    ``name`` may be a chain (济南市济阳区); ``within`` is an enclosing place name or
    label (济南市, 山东省) that picks among same-named divisions.

    Example: ``resolve("济阳县", 2010).code == "370125"``.
    """
    name = name.strip()
    gaz = gazetteer()
    if name in gaz.by_name:
        cands = gaz.by_name[name]
        if within:
            cands = [p for p in cands if _inside(p, within)]
        return _pick(cands, year)
    parts = _chain(name)
    if len(parts) < 2:
        return None
    outer: Place | None = None
    for part in parts:
        outer = resolve(part, year, outer.label if outer else within)
        if outer is None:
            return None
    return outer


def _by_hint(name: str, year: int | None, hint: str) -> Place | None:
    """An ambiguous ``name`` resolved by the one enclosing prefecture or province that ``hint`` names."""
    for key in ("prefecture", "province"):
        enclosing = {getattr(p, key) for p in gazetteer().by_name.get(name, []) if getattr(p, key)}
        found = {place.code: place for w in enclosing if w in hint and (place := resolve(name, year, w))}
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            return None
    return None


def find_places(
    text: str, year: int | None = None, within: str | None = None, hint: str | None = None
) -> list[tuple[int, int, Place]]:
    """Every division name in ``text``, longest match first, left to right.

    A name directly after another (济南市济阳区) is resolved inside it; a name that is
    ambiguous alone (鼓楼区) is resolved by ``hint``, a wider text that names exactly one
    of its enclosing prefectures or provinces; names that stay ambiguous are skipped.
    """
    auto = gazetteer().automaton()
    longest: dict[int, int] = {}
    for end, word in auto.iter(text):
        start = end - len(word) + 1
        longest[start] = max(longest.get(start, 0), len(word))
    out: list[tuple[int, int, Place]] = []
    pos = 0
    for start in sorted(longest):
        if start < pos:
            continue
        end = start + longest[start]
        context = out[-1][2].label if out and out[-1][1] == start else within
        place = resolve(text[start:end], year, context)
        if place is None and hint and context is None:
            place = _by_hint(text[start:end], year, hint)
        if place is not None:
            out.append((start, end, place))
            pos = end
    return out


def parent(place: Place) -> Place | None:
    """The prefecture or province a place belongs to (None for a province)."""
    gaz = gazetteer()
    year = place.valid_from
    if place.level == "county":
        pref = gaz.at(place.code[:4] + "00", year)
        if pref is not None and pref.level == "prefecture" and place.prefecture == pref.name:
            return pref
    if place.level == "province":
        return None
    return gaz.at(place.code[:2] + "0000", year)


def children(code: str, year: int) -> list[Place]:
    """County-level divisions under the prefecture ``code`` in ``year``, by code."""
    prefix = code[:4]
    found = [
        p
        for p in gazetteer().places
        if p.level == "county" and p.code.startswith(prefix) and p.valid_in(year)
    ]
    return sorted(found, key=lambda p: p.code)


def p442(code: str) -> str:
    """The code as Wikidata property P442 writes it: 370115 → "37 01 15"."""
    if not re.fullmatch(r"\d{6}", code):
        raise ValueError(f"not a six-digit division code: {code!r}")
    return f"{code[:2]} {code[2:4]} {code[4:]}"
