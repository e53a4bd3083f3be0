"""Loaders for the agency data files in ``extractors/data``.

* ``departments.csv``: the national table of standard local-government
  departments and their abbreviations;
* ``agency_organs.csv``: organs that follow a jurisdiction (人民政府, 市委,
  人大常委会, 政协, 法院 …) with canonical-name templates;
* ``agency_central.csv``: central organs named without a jurisdiction;
* ``agency_units.csv``: the standard internal units of some departments (三定);
* ``agency_grammar.txt``: word classes of the grammar (suffixes, level words,
  quantifiers, functional nouns, heads, department-context references,
  non-agencies, left-context words).

Each loader reads its file once and raises :class:`AgencyDataError` naming the
file and the reason when the file is malformed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.paths import DATA_DIR

__all__ = [
    "AgencyDataError",
    "CentralOrgan",
    "Department",
    "Organ",
    "central_organs",
    "departments",
    "grammar",
    "organs",
    "units",
]


class AgencyDataError(ValueError):
    """A malformed agency data file: ``str(e)`` is ``"{path}: {reason}"``."""


@dataclass(frozen=True)
class Department:
    """One row of the department table: 发展和改革局 with 发改局, 发展改革局."""

    full_name: str
    abbreviations: tuple[str, ...]
    levels: frozenset[str]
    template: str  # "" or e.g. 国家税务总局{place}税务局


@dataclass(frozen=True)
class Organ:
    """An organ following a jurisdiction: 人大常委会 → {place}人民代表大会常务委员会."""

    surfaces: tuple[str, ...]
    template: str
    parent: str
    levels: frozenset[str]


@dataclass(frozen=True)
class CentralOrgan:
    """A central organ named without a jurisdiction: 党中央 → 中共中央."""

    surfaces: tuple[str, ...]
    name: str
    parent: str


@dataclass(frozen=True)
class Unit:
    """A standard internal unit: 基础教育处 of every 教育厅/教育局, named {dept}{unit}."""

    departments: tuple[str, ...]
    unit: str
    template: str


def _path(name: str) -> Path:
    return DATA_DIR / name


def _rows(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    path = _path(name)
    try:
        with path.open(encoding="utf-8") as fh:
            lines = [line for line in fh if line.strip() and not line.startswith("#")]
    except OSError as err:
        raise AgencyDataError(f"{path}: cannot read ({err.strerror})") from err
    reader = csv.DictReader(lines)
    missing = set(columns) - set(reader.fieldnames or ())
    if missing:
        raise AgencyDataError(f"{path}: missing columns {', '.join(sorted(missing))}")
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


@lru_cache(maxsize=1)
def departments() -> tuple[Department, ...]:
    """The rows of ``departments.csv``."""
    rows = _rows("departments.csv", ("full_name", "abbreviations", "levels", "template"))
    return tuple(
        Department(r["full_name"], _split(r["abbreviations"]), frozenset(_split(r["levels"])), r["template"])
        for r in rows
    )


@lru_cache(maxsize=1)
def organs() -> tuple[Organ, ...]:
    """The rows of ``agency_organs.csv``."""
    rows = _rows("agency_organs.csv", ("surface", "template", "parent", "levels"))
    return tuple(
        Organ(_split(r["surface"]), r["template"], r["parent"], frozenset(_split(r["levels"]))) for r in rows
    )


@lru_cache(maxsize=1)
def units() -> tuple[Unit, ...]:
    """The rows of ``agency_units.csv``."""
    rows = _rows("agency_units.csv", ("departments", "unit", "template"))
    return tuple(Unit(_split(r["departments"]), r["unit"], r["template"]) for r in rows)


@lru_cache(maxsize=1)
def central_organs() -> tuple[CentralOrgan, ...]:
    """The rows of ``agency_central.csv``."""
    rows = _rows("agency_central.csv", ("surface", "name", "parent"))
    return tuple(CentralOrgan(_split(r["surface"]), r["name"], r["parent"]) for r in rows)


@lru_cache(maxsize=1)
def grammar() -> dict[str, tuple[tuple[str, str], ...]]:
    """The sections of ``agency_grammar.txt``: name → ((surface, value), …).

    A line ``a=b`` gives ``(a, b)``; a bare line ``a`` gives ``(a, a)``.
    """
    path = _path("agency_grammar.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise AgencyDataError(f"{path}: cannot read ({err.strerror})") from err
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        if current is None:
            raise AgencyDataError(f"{path}: line {lineno} is outside any [section]")
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip() or key.strip()))
    return {k: tuple(v) for k, v in sections.items()}
