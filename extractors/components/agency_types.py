"""The public records of agency extraction: the document context and a match."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AgencyContext", "AgencyMatch"]


@dataclass(frozen=True)
class AgencyContext:
    """What a document tells about where its organ names belong.

    Attributes:
        jurisdiction: Place label of the document (济南市天桥区, 济南市, 山东省, 中华人民共和国).
        level: "central" | "province" | "prefecture" | "county" | "township" (inferred when None).
        issuer: Canonical name of the issuing organ (for 局办公室, 本局, 机关各处室, 局属各单位).
        province: Province label (山东省), inferred from the jurisdiction when None.
        prefecture: Prefecture label (济南市; for a county document its city), inferred when None.
        year: Year of the document (to resolve place names that changed).
        addressee_groups: Canonical collectives the document is addressed to; a bare 各部门
            is read as the one of them that ends with 各部门. Found in the text when empty.
        named: Canonical names of collectives the document names somewhere (省直各部门), so that
            a synonym read in a table cell or a note (省直各委、办、厅、局) takes that name.
        known: Canonical names of organs known in the jurisdiction (from other documents);
            an expanded abbreviation that a known name ends with takes the known name
            (市交通运输局 → 济南市城乡交通运输局 when the latter is known).
    """

    jurisdiction: str | None
    level: str | None
    issuer: str | None
    province: str | None = None
    prefecture: str | None = None
    year: int | None = None
    addressee_groups: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyMatch:
    """One organ (or collective of organs) named in a text.

    Attributes:
        start: Offset of the first character in the searched string.
        end: Offset just past the last character.
        surface: The text as written.
        name: Canonical full name (济南市天桥区司法局).
        is_group: True for a collective (济南市各区县人民政府) → zwgk:AgencyGroup.
        parent: Canonical name of the organ it belongs to, when clear.
        place: Jurisdiction label it belongs to (None for 上级部门 and the like).
        written: True when neither the place nor the department is known (a page that names
            none): ``name`` is the name as written, an organ of this document only.
    """

    start: int
    end: int
    surface: str
    name: str
    is_group: bool
    parent: str | None
    place: str | None
    written: bool = False
