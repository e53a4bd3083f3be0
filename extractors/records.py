"""Plain records produced by the extractors: the seam between extractors/ and kg/.

Nothing here imports rdflib. Every record that comes from the text carries a
:class:`Span` of character offsets into :attr:`DocumentRecord.original`, the
document text exactly as read (decoded, before cleaning and normalisation), so
evidence can always be shown as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Cell",
    "DocumentRecord",
    "EntityKind",
    "EntityRecord",
    "Frequency",
    "ItemRecord",
    "Mention",
    "Metadata",
    "ObligationRecord",
    "RelativeDeadline",
    "Sentence",
    "Span",
    "TableRecord",
]


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in the original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def slice(self, text: str) -> str:
        """Return the text this span covers."""
        return text[self.start : self.end]


class EntityKind(StrEnum):
    """Kinds of entity the extractors find (see spec/ANNOTATION.md)."""

    AGENCY = "agency"
    AGENCY_GROUP = "agency_group"  # a collective: 各区县政府, 市政府各部门 …
    PLATFORM = "platform"
    MECHANISM = "mechanism"
    CAMPAIGN = "campaign"  # 项目提升年, 十个加速度
    BRAND = "brand"  # 泉诚公开
    TARGET_GROUP = "target_group"  # 高校毕业生
    POLICY_AREA = "policy_area"  # 养老服务
    LEGAL_INSTRUMENT = "legal_instrument"  # 《中华人民共和国政府信息公开条例》
    PLACE = "place"


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the text."""

    surface: str  # as written in the original
    span: Span
    sentence: Span | None = None  # the sentence it occurs in


@dataclass
class EntityRecord:
    """An entity mentioned in a document, under its canonical name.

    ``key`` identifies the real-world entity across documents: for agencies it
    is the canonical full name (济南市天桥区司法局); for mechanisms the concept
    id of the SKOS scheme when known, otherwise the canonical label.
    """

    kind: EntityKind
    name: str  # canonical name (rdfs:label)
    key: str = ""
    aliases: set[str] = field(default_factory=set)  # every other surface form seen
    mentions: list[Mention] = field(default_factory=list)
    jurisdiction: str | None = None  # place label, e.g. 济南市天桥区
    division_code: str | None = None  # GB/T 2260, e.g. 370105
    parent: str | None = None  # key of the organ it belongs to (org:subOrganizationOf)
    members_rule: str | None = None  # for collectives: what they stand for (各区县 …)
    credit_code: str | None = None  # 统一社会信用代码, validated
    definition: str | None = None
    scheme_id: str | None = None  # id in the curated mechanism/platform scheme, when matched

    def __post_init__(self) -> None:
        if not self.key:
            self.key = self.name


@dataclass(frozen=True)
class Frequency:
    """How often or how many: 每年至少召开1次 → at least 1 per year."""

    text: str
    count: int | None = None
    comparator: str = "min"  # "min" (至少/不少于), "max" (不超过), "exact"
    period: str | None = None  # "year", "quarter", "month", "week", "day", or None (in the year: 年内)


@dataclass(frozen=True)
class RelativeDeadline:
    """A limit relative to an event: 政策出台后10个工作日内."""

    text: str
    amount: int
    unit: str  # "working_day", "day", "month", "year"
    event: str  # 政策出台


@dataclass
class ObligationRecord:
    """One thing someone must do."""

    action: str  # the sentence's predicate text, as normalised
    sentence: Span
    actors: list[str] = field(default_factory=list)  # agency keys
    actor_source: str | None = None  # "subject", "note", "table"
    mechanisms: list[str] = field(default_factory=list)  # entity keys
    platforms: list[str] = field(default_factory=list)
    strength: str | None = None  # 须/应当/要/严格/鼓励/探索
    deadline: dt.date | None = None
    deadline_text: str | None = None
    relative_deadline: RelativeDeadline | None = None
    frequency: Frequency | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body text."""

    span: Span
    text: str  # normalised text of the sentence


@dataclass
class Cell:
    """A table cell; ``inherited`` when it was empty or merged and took the value above."""

    text: str
    span: Span | None
    inherited: bool = False


@dataclass
class TableRecord:
    """A task table (任务分工): a header and rows of cells."""

    header: list[str]
    rows: list[list[Cell]]
    span: Span
    title: str | None = None


@dataclass
class ItemRecord:
    """A numbered unit of work, or a row of a task table."""

    ref: str  # 一/（五）, 二/（一）/1, table/12b
    title: str
    span: Span
    level: int  # 1 section, 2 item, 3 sub-item; 0 for table rows
    number: str = ""  # the number as written: 一, （五）, 1, 12
    text: str = ""  # normalised text of the whole item
    parent_ref: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    responsibility_note: str | None = None  # （责任单位：…） as written
    responsible: list[str] = field(default_factory=list)  # agency keys
    responsible_source: str | None = None  # "note", "table", "subject"
    mechanisms: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    other_entities: list[str] = field(default_factory=list)
    deadlines: list[dt.date] = field(default_factory=list)
    relative_deadlines: list[RelativeDeadline] = field(default_factory=list)
    frequencies: list[Frequency] = field(default_factory=list)
    obligations: list[ObligationRecord] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)  # table rows: header → cell


@dataclass
class Metadata:
    """Document metadata (see spec/ANNOTATION.md, Document metadata)."""

    title: str | None = None  # the work-priorities title
    notice_title: str | None = None  # …关于印发…的通知
    issuer: str | None = None  # canonical agency name
    issuer_surface: str | None = None
    doc_number: str | None = None  # 济政办发〔2025〕2号
    date: dt.date | None = None  # 成文日期 or the date under the signature
    published: dt.date | None = None  # 发布日期
    year: int | None = None
    jurisdiction: str | None = None  # place label: 济南市天桥区
    division_code: str | None = None
    province: str | None = None
    draft: bool = False
    addressees: list[str] = field(default_factory=list)
    contact: str | None = None
    index_number: str | None = None  # 索引号
    credit_code: str | None = None  # unified social credit code inside 索引号, validated
    cc: list[str] = field(default_factory=list)  # 抄送
    cited: list[str] = field(default_factory=list)  # 《…》 and 国务院令第713号
    spans: dict[str, Span] = field(default_factory=dict)  # field → where it was read


@dataclass
class DocumentRecord:
    """Everything extracted from one document."""

    source_file: str  # base name of the input file
    sha256: str  # of the original bytes
    original: str  # decoded text, exactly as read
    media_type: str  # text/plain, text/html, application/vnd…docx, application/pdf
    encoding: str | None
    metadata: Metadata
    items: list[ItemRecord] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)
    entities: list[EntityRecord] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
