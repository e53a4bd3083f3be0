"""Turn the outline, the metadata and the tagged spaCy doc into a DocumentRecord.

Matches carry offsets into the normalised text; everything stored in a record
is mapped back to the original text through the :class:`MappedText` index.
Responsibility follows spec/ANNOTATION.md: an item's responsible agencies are
those of its 责任单位 note, its task-table 责任单位 cell, and the grammatical
subjects of the obligations inside it — never the notice's addressees alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from spacy.tokens import Doc

from extractors.components import factories  # noqa: F401  (registers the Doc extensions read below)
from extractors.components.agencies import (
    AgencyContext,
    AgencyMatch,
    canonicalize,
    document_context,
    split_agency_list,
)
from extractors.components.obligations import find_obligations
from extractors.components.platforms import level_agrees
from extractors.components.schemes import TermMatch
from extractors.layout.dates import find_deadlines
from extractors.layout.places import resolve as resolve_place
from extractors.reading.normalize import MappedText, normalize_str
from extractors.reading.readers import RawDocument
from extractors.records import (
    DocumentRecord,
    EntityKind,
    EntityRecord,
    Frequency,
    ItemRecord,
    Mention,
    Metadata,
    ObligationRecord,
    RelativeDeadline,
    Sentence,
    Span,
)

__all__ = ["assemble", "context_for"]

_KIND = {
    "platform": EntityKind.PLATFORM,
    "mechanism": EntityKind.MECHANISM,
    "campaign": EntityKind.CAMPAIGN,
    "brand": EntityKind.BRAND,
    "target_group": EntityKind.TARGET_GROUP,
    "policy_area": EntityKind.POLICY_AREA,
    "legal_instrument": EntityKind.LEGAL_INSTRUMENT,
}
_DEADLINE_COLUMNS = ("完成时限", "时间节点", "完成时间", "时限要求", "时限")
# a unit's role after its name in a 责任单位 list: 区财政局牵头，各科室配合，各镇参照落实
_ROLE_TAIL = re.compile(
    r"(?:统筹|协调|协助|参与|按职责分工落实|按职责落实|参照落实|分别落实|落实|负责|牵头|配合)+(?=[,，、;；。.]|$)"
)
_REPORT_TITLE = re.compile(r"信息公开(?:工作)?年度报告")  # past work: its subjects are not responsible
_CLOSING = re.compile(r"以上(?:各项)?(?:工作|任务|事项|内容)[^。；]{0,6}由")
_RESPONSIBLE_COLUMNS = ("责任单位", "牵头单位", "配合单位", "责任部门", "牵头部门", "配合部门", "责任主体")


def context_for(metadata: Metadata, source_file: str) -> AgencyContext:
    """The agency context of a document: its jurisdiction, level, issuer and year."""
    place = resolve_place(metadata.jurisdiction, metadata.year) if metadata.jurisdiction else None
    level = None
    prefecture = None
    if metadata.jurisdiction == "中华人民共和国":
        level = "central"
    elif place is not None:
        level = place.level
        prefecture = place.prefecture if place.level == "county" else None
    base = AgencyContext(
        jurisdiction=metadata.jurisdiction,
        level=level,
        issuer=None,
        province=metadata.province or (place.province if place is not None else None),
        prefecture=prefecture,
        year=metadata.year,
    )
    issuer = None
    if metadata.issuer:
        match = canonicalize(normalize_str(metadata.issuer), base)
        issuer = match.name if match is not None else metadata.issuer
    return AgencyContext(
        jurisdiction=base.jurisdiction,
        level=base.level,
        issuer=issuer,
        province=base.province,
        prefecture=base.prefecture,
        year=base.year,
    )


@dataclass
class _Offsets:
    """Maps between the normalised text and the original."""

    text: MappedText

    def to_norm(self, span: Span) -> tuple[int, int]:
        return self.text.position(span.start), self.text.position(span.end)

    def to_orig(self, start: int, end: int) -> Span:
        return self.text.span(start, end)


@dataclass
class _EntityBag:
    """Entities of one document, one record per (kind, key)."""

    original: str
    records: dict[tuple[EntityKind, str], EntityRecord] = field(default_factory=dict)
    doc_key: str = ""  # distinguishes organs known only as written (市财政局 of a page naming no place)

    def add(
        self,
        kind: EntityKind,
        key: str,
        name: str,
        surface: str,
        span: Span | None,
        sentence: Span | None = None,
        **extra: Any,
    ) -> EntityRecord:
        rec = self.records.get((kind, key))
        if rec is None:
            rec = EntityRecord(kind=kind, name=name, key=key, **extra)
            self.records[(kind, key)] = rec
        else:
            for attr, value in extra.items():
                if value is not None and getattr(rec, attr) is None:
                    setattr(rec, attr, value)
        if span is not None:
            written = span.slice(self.original)
            if "\n" in written or not written:
                written = surface
            rec.mentions.append(Mention(surface=written, span=span, sentence=sentence))
            surface = written
        if surface and normalize_str(surface) != normalize_str(rec.name):
            rec.aliases.add(surface)
        return rec

    def agency_key(self, name: str) -> str:
        """The key of an agency of this document by name (a name kept as written is keyed per document)."""
        written = f"{name}@{self.doc_key}"
        kinds = (EntityKind.AGENCY, EntityKind.AGENCY_GROUP)
        return written if any((k, written) in self.records for k in kinds) else name

    def add_agency(self, m: AgencyMatch, span: Span | None, sentence: Span | None = None) -> str:
        kind = EntityKind.AGENCY_GROUP if m.is_group else EntityKind.AGENCY
        key = f"{m.name}@{self.doc_key}" if m.written else m.name
        self.add(kind, key, m.name, m.surface, span, sentence, jurisdiction=m.place, parent=m.parent)
        return key


def _bounds(m: Any) -> tuple[int, int]:
    """Offsets of a match: an object with ``start``/``end`` or a tuple starting with them."""
    if isinstance(m, tuple):
        return m[0], m[1]
    return m.start, m.end


class _ByStart:
    """Matches indexed by start offset, to pick those inside a range without scanning them all."""

    def __init__(self, matches: Sequence[Any]) -> None:
        self.matches = list(matches)
        self.order = sorted(range(len(self.matches)), key=lambda k: _bounds(self.matches[k])[0])
        self.starts = [_bounds(self.matches[k])[0] for k in self.order]

    def within(self, start: int, end: int) -> list[Any]:
        """The matches with ``start <= m.start`` and ``m.end <= end``, in their original order."""
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, end)
        picked = sorted(k for k in self.order[lo:hi] if _bounds(self.matches[k])[1] <= end)
        return [self.matches[k] for k in picked]


def _local_terms(terms: Iterable[TermMatch], delta: int) -> list[TermMatch]:
    """Platform and mechanism matches shifted by ``-delta`` (offsets into a sentence)."""
    return [
        replace(t, start=t.start - delta, end=t.end - delta)
        for t in terms
        if t.kind in ("platform", "mechanism")
    ]


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


@dataclass
class _Assembler:
    raw: RawDocument
    text: MappedText
    ctx: AgencyContext
    doc: Doc
    report: bool = False  # a 年度报告: its subjects did past work, only one that must act is responsible
    offsets: _Offsets = field(init=False)
    bag: _EntityBag = field(init=False)

    def __post_init__(self) -> None:
        self.offsets = _Offsets(self.text)
        self.bag = _EntityBag(self.raw.original, doc_key=self.raw.sha256[:12])
        self.terms = named_instances(self.doc._.zwgk_terms or [])
        self.agencies = self.doc._.zwgk_agencies or []
        self.deadlines = self.doc._.zwgk_deadlines or []
        self.frequencies = self.doc._.zwgk_frequencies or []
        self.term_index = _ByStart(self.terms)
        self.agency_index = _ByStart(self.agencies)
        self.deadline_index = _ByStart(self.deadlines)
        self.frequency_index = _ByStart(self.frequencies)
        self.sentence_spans: list[Span] = []
        self.sentence_starts: list[int] = []

    # -- document-wide mentions -------------------------------------------------
    def sentence_of(self, span: Span) -> Span | None:
        """The sentence (original span) that contains ``span``, else its line."""
        i = bisect_right(self.sentence_starts, span.start) - 1
        if i >= 0 and span.end <= self.sentence_spans[i].end:
            return self.sentence_spans[i]
        return self.line_of(span)

    def line_of(self, span: Span) -> Span | None:
        """The line of the original around ``span`` (a table cell, a heading), without its indent."""
        original = self.raw.original
        start = original.rfind("\n", 0, span.start) + 1
        end = original.find("\n", span.end)
        end = len(original) if end < 0 else end
        while start < span.start and original[start] in " \t\u3000":
            start += 1
        return Span(start, end) if "\n" not in original[span.start : span.end] else None

    def collect_mentions(self, sentences: Sequence[Sentence]) -> None:
        self.sentence_spans = sorted(s.span for s in sentences)
        self.sentence_starts = [s.start for s in self.sentence_spans]
        for m in self.agencies:
            span = self.offsets.to_orig(m.start, m.end)
            self.bag.add_agency(m, span, self.sentence_of(span))
        for t in self.terms:
            kind = _KIND.get(t.kind)
            if kind is not None:
                span = self.offsets.to_orig(t.start, t.end)
                self.bag.add(kind, t.key, t.name, t.surface, span, self.sentence_of(span))

    def add_agency_list(self, text: str) -> list[str]:
        """Agencies of a 责任单位 list (note or cell), added to the bag; their keys.

        The list is read as written and without the roles after its units (法规科统筹，各科室配合。).
        """
        written = normalize_str(text)
        bare = _ROLE_TAIL.sub("", written.rstrip("。.")).rstrip("。.")
        keys = []
        for version in dict.fromkeys((bare, written)):
            for m in split_agency_list(version, self.ctx):
                if m.name not in keys:
                    keys.append(self.bag.add_agency(m, None))
        return keys

    # -- items ------------------------------------------------------------------
    def fill_item(self, item: ItemRecord, children: Sequence[ItemRecord] = ()) -> None:
        """Fill an item's concerns, responsibility, obligations and times from its own text.

        A parent's span covers its sub-items; what they say belongs to them, not to it.
        """
        own = _minus(item.span, [c.span for c in children])
        ranges = [self.offsets.to_norm(span) for span in own]
        ranges += [
            self.offsets.to_norm(c.span) for c in item.cells.values() if c.inherited and c.span is not None
        ]
        terms = [t for lo, hi in ranges for t in self.term_index.within(lo, hi)]
        item.mechanisms = _dedupe(t.key for t in terms if t.kind == "mechanism")
        item.platforms = _dedupe(t.key for t in terms if t.kind == "platform")
        item.other_entities = _dedupe(t.key for t in terms if t.kind not in ("mechanism", "platform"))
        responsible: list[str] = []
        if item.responsibility_note:
            responsible += self.add_agency_list(item.responsibility_note)
            item.responsible_source = "table" if item.level == 0 else "note"
        for header, cell in item.cells.items():
            if any(col in header for col in _RESPONSIBLE_COLUMNS) and cell.text != item.responsibility_note:
                responsible += self.add_agency_list(cell.text)
        lo, hi = self.offsets.to_norm(item.span)
        item.obligations = self.obligations(item, lo, hi)
        subjects = [a for ob in item.obligations if ob.actor_source == "subject" for a in ob.actors]
        if subjects and not item.responsible_source:
            item.responsible_source = "subject"
        item.responsible = _dedupe([*responsible, *subjects])
        self.fill_times(item, ranges)

    def fill_times(self, item: ItemRecord, ranges: Sequence[tuple[int, int]]) -> None:
        found = [d for lo, hi in ranges for d in self.deadline_index.within(lo, hi)]
        for header, cell in item.cells.items():
            if any(col in header for col in _DEADLINE_COLUMNS) and cell.span is None:
                found += find_deadlines(normalize_str(cell.text), self.ctx.year)
        dates: list[date] = []
        relative: list[RelativeDeadline] = []
        for _start, _end, when, rel, _surface in found:
            if when is not None:
                dates.append(when)
            if rel is not None:
                relative.append(rel)
        item.deadlines = sorted(set(dates))
        item.relative_deadlines = list(dict.fromkeys(relative))
        freqs: list[Frequency] = [f[2] for lo, hi in ranges for f in self.frequency_index.within(lo, hi)]
        item.frequencies = list(dict.fromkeys(freqs))

    def obligations(self, item: ItemRecord, lo: int, hi: int) -> list[ObligationRecord]:
        out: list[ObligationRecord] = []
        for sentence in item.sentences:
            s_lo, s_hi = self.offsets.to_norm(sentence.span)
            s_lo, s_hi = max(s_lo, lo), min(s_hi, hi)
            if s_hi <= s_lo:
                continue
            s_text = self.text.text[s_lo:s_hi]
            local = [_shift(m, -s_lo) for m in self.agency_index.within(s_lo, s_hi)]
            terms = _local_terms(self.term_index.within(s_lo, s_hi), s_lo)
            for draft in find_obligations(s_text, local, self.ctx.year, terms):
                if self.report and not draft.strength:
                    draft.actors = []  # a 年度报告 telling what was done: its subject is not responsible
                span = self.offsets.to_orig(s_lo + draft.start, s_lo + draft.end)
                clause_terms = self.term_index.within(s_lo + draft.start, s_lo + draft.end)
                out.append(
                    ObligationRecord(
                        action=draft.action,
                        sentence=span,
                        actors=_dedupe(self.bag.agency_key(a) for a in draft.actors),
                        actor_source="subject" if draft.actors else None,
                        mechanisms=_dedupe(t.key for t in clause_terms if t.kind == "mechanism"),
                        platforms=_dedupe(t.key for t in clause_terms if t.kind == "platform"),
                        strength=draft.strength,
                        deadline=draft.deadline,
                        deadline_text=draft.deadline_text,
                        relative_deadline=draft.relative_deadline,
                        frequency=draft.frequency,
                    )
                )
        return out

    def closing_outside(self, items: Sequence[ItemRecord], sentences: Sequence[Sentence]) -> None:
        """以上任务由X负责 after the last item, outside every item: X is responsible for the items of
        the group just above it (same parent as the last item before the sentence)."""
        for sentence in sentences:
            if not _CLOSING.search(sentence.text) or any(
                i.span.start <= sentence.span.start < i.span.end for i in items
            ):
                continue
            above = [i for i in items if i.span.end <= sentence.span.start and not i.cells]
            if not above:
                continue
            lo, hi = self.offsets.to_norm(sentence.span)
            local = [_shift(m, -lo) for m in self.agency_index.within(lo, hi)]
            actors = [
                a for d in find_obligations(self.text.text[lo:hi], local, self.ctx.year, []) for a in d.actors
            ]
            parent = above[-1].parent_ref
            for item in above:
                if item.parent_ref == parent and actors:
                    item.responsible = _dedupe([*item.responsible, *actors])
                    item.responsible_source = item.responsible_source or "note"

    # -- metadata ----------------------------------------------------------------
    def add_metadata_agencies(self, meta: Metadata) -> None:
        if meta.issuer:
            match = canonicalize(normalize_str(meta.issuer), self.ctx)
            if match is not None:
                meta.issuer = self.bag.add_agency(match, meta.spans.get("issuer"))
        for surface in (*meta.addressees, *meta.cc):  # a part may be a list: 市发改委、市财政局
            for match in split_agency_list(normalize_str(surface), self.ctx):
                self.bag.add_agency(match, None)


def _spread_closing(items: Sequence[ItemRecord]) -> None:
    """以上任务由X负责 closing the last item of a group makes X responsible for the items above it
    under the same parent (its actors come from the obligation that sentence opens)."""
    for k, item in enumerate(items):
        if item.cells or not _CLOSING.search(item.text):
            continue
        actors = [a for ob in item.obligations if _CLOSING.search(ob.action) for a in ob.actors]
        if not actors:
            continue
        for other in items[:k]:
            if other.parent_ref == item.parent_ref and not other.cells:
                other.responsible = _dedupe([*other.responsible, *actors])
                other.responsible_source = other.responsible_source or "note"


def _minus(span: Span, holes: Sequence[Span]) -> list[Span]:
    """The parts of ``span`` outside every hole."""
    parts: list[Span] = []
    start = span.start
    for hole in sorted(holes):
        if hole.start > start:
            parts.append(Span(start, min(hole.start, span.end)))
        start = max(start, hole.end)
    if start < span.end:
        parts.append(Span(start, span.end))
    return parts or [Span(span.start, span.start)]


def _shift(m: AgencyMatch, delta: int) -> AgencyMatch:
    from dataclasses import replace

    return replace(m, start=m.start + delta, end=m.end + delta)


def named_instances(terms: list[TermMatch]) -> list[TermMatch]:
    """A bare channel type is the document's one named channel of that type.

    In a document that names 江苏政务服务网, a later bare 政务服务网 is that site, not the
    national concept; with two named ones (or none) the bare mention stays the concept.
    """
    generic = {t.key: t.name for t in terms if t.known and t.key.startswith("platform/")}
    instances: dict[str, set[tuple[str, str]]] = {}
    for t in terms:
        if t.kind == "platform" and t.known and not t.key.startswith("platform/"):
            for key, name in generic.items():
                if t.name.endswith(name) and len(t.name) > len(name):
                    instances.setdefault(key, set()).add((t.key, t.name))
    chosen = {key: next(iter(found)) for key, found in instances.items() if len(found) == 1}
    return [
        replace(t, key=chosen[t.key][0], name=chosen[t.key][1])
        if t.key in chosen and level_agrees(t.surface, chosen[t.key][1], generic[t.key])  # (terms helper)
        else t
        for t in terms
    ]


def assemble(
    raw: RawDocument, text: MappedText, structure: Any, metadata: Metadata, ctx: AgencyContext, doc: Doc
) -> DocumentRecord:
    """Build the document's record from its outline, metadata and tagged doc."""
    # addressees (区直各部门 in a cell is the addressee 区人民政府各部门) and the title's department
    ctx = document_context(text.text, ctx)
    asm = _Assembler(raw, text, ctx, doc, report=bool(_REPORT_TITLE.search(metadata.title or "")))
    asm.collect_mentions(getattr(structure, "sentences", []))
    asm.add_metadata_agencies(metadata)
    children: dict[str, list[ItemRecord]] = {}
    for item in structure.items:
        if item.parent_ref:
            children.setdefault(item.parent_ref, []).append(item)
    for item in structure.items:  # a table row keeps what its numbered requirements say
        asm.fill_item(item, () if item.cells else children.get(item.ref, ()))
    asm.closing_outside(structure.items, getattr(structure, "sentences", []))
    _spread_closing(structure.items)
    return DocumentRecord(
        source_file=raw.source_file,
        sha256=raw.sha256,
        original=raw.original,
        media_type=raw.media_type,
        encoding=raw.encoding,
        metadata=metadata,
        items=list(structure.items),
        tables=list(getattr(structure, "tables", [])),
        entities=list(asm.bag.records.values()),
        sentences=list(getattr(structure, "sentences", [])),
    )
