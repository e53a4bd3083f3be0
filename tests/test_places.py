"""Tests for the GB/T 2260 place gazetteer."""

from __future__ import annotations

import pytest

from extractors.layout.places import children, find_places, p442, parent, resolve


@pytest.mark.parametrize(
    ("name", "year", "within", "code", "label"),
    [
        ("济阳区", 2025, None, "370115", "济南市济阳区"),
        ("济阳县", 2010, None, "370125", "济南市济阳县"),
        ("济南市济阳区", None, None, "370115", "济南市济阳区"),
        ("天桥区", 2023, "济南市", "370105", "济南市天桥区"),
        ("山东省", None, None, "370000", "山东省"),
        ("济南市", 2025, None, "370100", "济南市"),
        ("北京市", None, None, "110000", "北京市"),
        ("朝阳区", 2025, "北京市", "110105", "北京市朝阳区"),
        ("北京市朝阳区", 2025, None, "110105", "北京市朝阳区"),
        ("绥棱县", 2020, None, "231226", "绥化市绥棱县"),
        ("绥化市绥棱县", None, None, "231226", "绥化市绥棱县"),
        ("广州市天河区", 2025, None, "440106", "广州市天河区"),
        ("章丘市", 2010, None, "370181", "济南市章丘市"),
        ("章丘区", 2020, None, "370114", "济南市章丘区"),
    ],
)
def test_places_resolve(name: str, year: int | None, within: str | None, code: str, label: str) -> None:
    """A name (or chain of names) resolves to the division in force that year, labelled under its province."""
    place = resolve(name, year, within)
    assert place is not None
    assert (place.code, place.label) == (code, label)


@pytest.mark.parametrize(("name", "within"), [("朝阳区", None), ("城区", None), ("火星市", None)])
def test_places_resolve_ambiguous_or_unknown(name: str, within: str | None) -> None:
    """A bare name shared by several divisions, or no division, resolves to None."""
    assert resolve(name, 2025, within) is None


def test_places_rename_keeps_successor() -> None:
    """A 县 turned 区 records the code that succeeded it."""
    old = resolve("济阳县", 2010)
    assert old is not None and old.valid_to == 2018 and "370115" in old.successors


def test_places_find_longest_chain() -> None:
    """Names in running text are found longest-first and a chain resolves inside its parent."""
    found = find_places("北京市朝阳区和广州市天河区的做法", 2025)
    assert [(a, b, p.label) for a, b, p in found] == [
        (0, 3, "北京市"),
        (3, 6, "北京市朝阳区"),
        (7, 10, "广州市"),
        (10, 13, "广州市天河区"),
    ]


@pytest.mark.parametrize(
    ("name", "within", "parent_label"),
    [("济阳区", None, "济南市"), ("朝阳区", "北京市", "北京市"), ("济南市", None, "山东省")],
)
def test_places_parent(name: str, within: str | None, parent_label: str) -> None:
    """A county's parent is its prefecture, or its municipality when directly under one."""
    place = resolve(name, 2025, within)
    assert place is not None
    up = parent(place)
    assert up is not None and up.label == parent_label


def test_places_children_by_year() -> None:
    """Children follow the year: 济阳县 before 2018, 济阳区 after."""
    assert "济阳区" in [p.name for p in children("370100", 2025)]
    names_2010 = [p.name for p in children("370100", 2010)]
    assert "济阳县" in names_2010 and "济阳区" not in names_2010


def test_places_p442() -> None:
    """Codes are written with spaces as Wikidata P442 does."""
    assert p442("370115") == "37 01 15"
    with pytest.raises(ValueError, match="six-digit"):
        p442("3701")


def test_hint_resolves_an_ambiguous_name_by_its_one_enclosing_city() -> None:
    from extractors.layout.places import find_places

    assert find_places("城关区", 2020) == []
    found = find_places("城关区", 2020, hint="根据《兰州市政务公开规定》")
    assert [p.label for _, _, p in found] == ["兰州市城关区"]
    assert find_places("城关区", 2020, hint="兰州市 拉萨市") == []
