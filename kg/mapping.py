"""Map a :class:`~extractors.records.DocumentRecord` to RDF triples.

A document gives two sets of triples: its own named graph (the document node
with its metadata, items, obligations, mentions, evidence and provenance) and
shared entity triples (types, ``rdfs:label@zh``, ``skos:altLabel@zh``,
hierarchy, jurisdiction) merged into the entity graph. Every IRI comes from
:mod:`kg.iris`, so the output depends on the record alone.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg import iris
from kg.namespaces import ZWGK
from kg.ntriples import term_nt

if TYPE_CHECKING:
    from extractors.records import (
        DocumentRecord,
        EntityRecord,
        Frequency,
        ItemRecord,
        ObligationRecord,
        RelativeDeadline,
        Span,
    )
    from kg.store import Triple

__all__ = [
    "MappedDocument",
    "content_hash",
    "hash_lines",
    "map_record",
    "record_to_quads",
    "run_time_triple",
    "tool_version",
    "triple_lines",
]


class _Terms:
    """A namespace whose terms are looked up once (rdflib's ``DefinedNamespace`` builds one per access)."""

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(getattr(self._namespace, name))
        setattr(self, name, term)
        return term


_ZWGK, _RDF, _RDFS, _SKOS = _Terms(ZWGK), _Terms(RDF), _Terms(RDFS), _Terms(SKOS)
_ORG, _PROV, _DCTERMS, _XSD = _Terms(ORG), _Terms(PROV), _Terms(DCTERMS), _Terms(XSD)


KIND_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "agency": (_ZWGK.Agency, _ORG.Organization),
    "agency_group": (_ZWGK.AgencyGroup, _ZWGK.Agency, _ORG.Organization),
    "platform": (_ZWGK.Platform,),
    "mechanism": (_ZWGK.Mechanism, _SKOS.Concept),
    "campaign": (_ZWGK.Campaign,),
    "brand": (_ZWGK.Brand,),
    "target_group": (_ZWGK.TargetGroup,),
    "policy_area": (_ZWGK.PolicyArea,),
    "legal_instrument": (_ZWGK.LegalInstrument,),
    "place": (_ZWGK.Place,),
}
IRI_KIND = {"agency_group": "agency"}  # a collective is an agency: one IRI space


def tool_version() -> str:
    """Version of the installed zwgk-kg package (``0+unknown`` when not installed)."""
    try:
        return version("zwgk-kg")
    except PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=1 << 16)
def zh(text: str) -> Literal:
    """A ``@zh`` literal (the same object for the same text: building rdflib literals is slow)."""
    return Literal(text, lang="zh")


@lru_cache(maxsize=1 << 16, typed=True)  # typed: 1 and True are different literals
def _literal(value: str | int) -> Literal:
    """A plain or integer literal, built once per value."""
    return Literal(value)


@dataclass
class MappedDocument:
    """The triples of one document, ready for :meth:`kg.store.GraphStore.replace_document`."""

    doc_iri: str
    graph_iri: str
    doc_triples: list[Triple]
    entity_triples: list[Triple]
    content_hash: str
    doc_lines: list[str] = field(default_factory=list, repr=False)  # the triples in N-Triples, no " ."
    entity_lines: list[str] = field(default_factory=list, repr=False)


class _Mapper:
    """Collects the triples of one record."""

    def __init__(self, record: DocumentRecord, version: str) -> None:
        self.record = record
        self.version = version
        self.doc = URIRef(iris.document_iri(record.sha256))
        self.triples: list[Triple] = []
        self.entities: list[Triple] = []
        self.by_key = {(str(e.kind), e.key): e for e in record.entities}
        self.any_kind = {e.key: e for e in record.entities}
        self.mentioned: set[URIRef] = set()
        self.seen_evidence: set[URIRef] = set()
        self.mention_spans: list[tuple[int, int, URIRef, URIRef]] = []

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    # ---- entities

    def entity(self, key: str, default_kind: str) -> URIRef:
        """IRI of an entity referred to by key, adding its shared triples once."""
        record = self.by_key.get((default_kind, key)) or self.any_kind.get(key)
        kind = str(record.kind) if record is not None else default_kind
        node = URIRef(self._entity_iri(kind, key, record))
        if node not in self.mentioned:
            self.mentioned.add(node)
            self._entity_triples(node, kind, record, key)
        return node

    def _entity_iri(self, kind: str, key: str, record: EntityRecord | None) -> str:
        if kind == "place":
            return iris.place_iri(key, record.division_code if record else None)
        return iris.entity_iri(IRI_KIND.get(kind, kind), key)

    def _entity_triples(self, node: URIRef, kind: str, record: EntityRecord | None, key: str) -> None:
        out = self.entities
        out.extend((node, _RDF.type, cls) for cls in KIND_CLASSES.get(kind, ()))
        name = record.name if record else key
        out.append((node, _RDFS.label, zh(name)))
        if record is None:
            return
        surfaces = set(record.aliases) | {m.surface for m in record.mentions}
        out.extend((node, _SKOS.altLabel, zh(a)) for a in sorted(surfaces - {name}) if a.strip())
        if record.parent:
            out.append((node, _ORG.subOrganizationOf, self.entity(record.parent, "agency")))
        if record.jurisdiction and kind != "place":
            out.append((node, _ZWGK.jurisdiction, self.place(record.jurisdiction, record.division_code)))
        if record.members_rule:
            out.append((node, _ZWGK.membersRule, _literal(record.members_rule)))
        if record.credit_code:
            out.append((node, _ZWGK.creditCode, _literal(record.credit_code)))
        if record.definition:
            out.append((node, _SKOS.definition, zh(record.definition)))
        if record.scheme_id:
            out.append((node, _ZWGK.schemeId, _literal(record.scheme_id)))
        if kind == "place" and record.division_code:
            self._place_code(node, record.division_code)

    def place(self, label: str, code: str | None) -> URIRef:
        """IRI of a place, adding its shared triples."""
        node = URIRef(iris.place_iri(label, code))
        if node not in self.mentioned:
            self.mentioned.add(node)
            self.entities.extend([(node, _RDF.type, _ZWGK.Place), (node, _RDFS.label, zh(label))])
            if code:
                self._place_code(node, code)
        return node

    def _place_code(self, node: URIRef, code: str) -> None:
        self.entities.extend([(node, _ZWGK.divisionCode, _literal(code)), (node, _ZWGK.p442, _literal(code))])

    # ---- evidence and mentions

    def evidence(self, owner: URIRef, span: Span | None) -> None:
        if span is None:
            return
        node = URIRef(iris.evidence_iri(str(self.doc), span.start, span.end))
        self.add(owner, _ZWGK.evidence, node)
        if node in self.seen_evidence:
            return
        self.seen_evidence.add(node)
        self.triples.extend(
            [
                (node, _RDF.type, _ZWGK.Evidence),
                (node, _ZWGK.text, zh(span.slice(self.record.original))),
                (node, _ZWGK.start, _literal(span.start)),
                (node, _ZWGK.end, _literal(span.end)),
                (node, _PROV.wasDerivedFrom, self.doc),
            ]
        )

    def mentions(self) -> None:
        for record in self.record.entities:
            node = self.entity(record.key, str(record.kind))
            self.add(self.doc, _ZWGK.mentions, node)
            for m in record.mentions:
                mention = URIRef(iris.mention_iri(str(self.doc), str(node), m.span.start, m.span.end))
                self.triples.extend(
                    [
                        (self.doc, _ZWGK.hasMention, mention),
                        (mention, _RDF.type, _ZWGK.Mention),
                        (mention, _ZWGK.mentionOf, node),
                        (mention, _ZWGK.surface, zh(m.surface)),
                        (mention, _ZWGK.start, _literal(m.span.start)),
                        (mention, _ZWGK.end, _literal(m.span.end)),
                    ]
                )
                self.evidence(mention, m.sentence)
                if m.sentence is not None:  # only mentions with a sentence can be an item's evidence
                    self.mention_spans.append((m.span.start, m.span.end, mention, node))
        self.mention_spans.sort(key=lambda t: (t[0], t[1], str(t[2])))

    def item_mentions(self, node: URIRef, item: ItemRecord) -> None:
        """Link an item to the mentions of its mechanisms and platforms (their sentences are its evidence).

        Mentions are looked for in the item's text and in the table cells it inherits.
        """
        obligations = item.obligations
        concerns = {
            self.entity(k, "mechanism")
            for k in _merged(item.mechanisms, (m for o in obligations for m in o.mechanisms))
        }
        concerns |= {
            self.entity(k, "platform")
            for k in _merged(item.platforms, (p for o in obligations for p in o.platforms))
        }
        ranges = [item.span] + [c.span for c in item.cells.values() if c.inherited and c.span is not None]
        starts = [t[0] for t in self.mention_spans]
        named: set[URIRef] = set()
        for span in ranges:
            for start, end, mention, entity in self.mention_spans[bisect_left(starts, span.start) :]:
                if start >= span.end:
                    break
                if end <= span.end and entity in concerns:
                    self.add(node, _ZWGK.hasMention, mention)
                    named.add(entity)
        for entity in sorted(concerns - named):  # named nowhere inside the item: the item is the evidence
            mention = URIRef(iris.mention_iri(str(self.doc), str(entity), item.span.start, item.span.end))
            self.triples.extend([
                (node, _ZWGK.hasMention, mention),
                (mention, _RDF.type, _ZWGK.Mention),
                (mention, _ZWGK.mentionOf, entity),
                (mention, _ZWGK.start, _literal(item.span.start)),
                (mention, _ZWGK.end, _literal(item.span.end)),
            ])
            self.evidence(mention, item.span)

    # ---- document

    def metadata(self) -> None:
        md, doc = self.record.metadata, self.doc
        self.triples.extend(
            [
                (doc, _RDF.type, _ZWGK.Document),
                (doc, _RDF.type, _PROV.Entity),
                (doc, _ZWGK.sourceFile, _literal(self.record.source_file)),
                (doc, _ZWGK.sha256, _literal(self.record.sha256)),
                (doc, _ZWGK.mediaType, _literal(self.record.media_type)),
                (doc, _ZWGK.isDraft, Literal(bool(md.draft))),
            ]
        )
        self.add(doc, _DCTERMS.title, zh(md.title) if md.title else None)
        self.add(doc, _ZWGK.noticeTitle, zh(md.notice_title) if md.notice_title else None)
        self.add(doc, _ZWGK.documentNumber, _literal(md.doc_number) if md.doc_number else None)
        self.add(doc, _DCTERMS.issued, _date(md.date))
        self.add(doc, _ZWGK.publishedOn, _date(md.published))
        self.add(doc, _ZWGK.year, Literal(f"{md.year:04d}", datatype=_XSD.gYear) if md.year else None)
        self.add(doc, _ZWGK.indexNumber, _literal(md.index_number) if md.index_number else None)
        self.add(doc, _ZWGK.contact, _literal(md.contact) if md.contact else None)
        if md.jurisdiction:
            self.add(doc, _ZWGK.jurisdiction, self.place(md.jurisdiction, md.division_code))
        if md.issuer:
            issuer = self.entity(md.issuer, "agency")
            self.add(doc, _ZWGK.issuedBy, issuer)
            self.add(doc, _ZWGK.mentions, issuer)
        for name in md.addressees:
            self.add(doc, _ZWGK.addressedTo, self.entity(name, "agency"))
        for name in md.cc:
            self.add(doc, _ZWGK.copiedTo, self.entity(name, "agency"))
        for title in md.cited:
            self.add(doc, _ZWGK.cites, self.entity(title, "legal_instrument"))

    def provenance(self) -> None:
        run = URIRef(iris.run_iri(self.version, self.record.sha256))
        agent = URIRef(f"{iris.BASE}agent/zwgk-kg/{self.version}")
        self.triples.extend(
            [
                (self.doc, _PROV.wasGeneratedBy, run),
                (run, _RDF.type, _ZWGK.ExtractionRun),
                (run, _RDF.type, _PROV.Activity),
                (run, _PROV.wasAssociatedWith, agent),
                (agent, _RDF.type, _PROV.SoftwareAgent),
                (agent, _RDFS.label, _literal(f"zwgk-kg {self.version}")),
                (agent, _ZWGK.softwareVersion, _literal(self.version)),
            ]
        )

    # ---- items and obligations

    def item(self, item: ItemRecord) -> None:
        node = URIRef(iris.item_iri(str(self.doc), item.ref))
        self.triples.extend(
            [
                (self.doc, _ZWGK.hasItem, node),
                (node, _RDF.type, _ZWGK.Item),
                (node, _ZWGK.ref, _literal(item.ref)),
                (node, _ZWGK.level, _literal(item.level)),
                (node, _PROV.wasDerivedFrom, self.doc),
            ]
        )
        self.add(node, _DCTERMS.title, zh(item.title) if item.title else None)
        self.add(node, _ZWGK.number, _literal(item.number) if item.number else None)
        if item.parent_ref:
            self.add(node, _ZWGK.parentItem, URIRef(iris.item_iri(str(self.doc), item.parent_ref)))
        note = item.responsibility_note
        self.add(node, _ZWGK.responsibilityNote, zh(note) if note else None)
        self.add(
            node,
            _ZWGK.responsibilitySource,
            _literal(item.responsible_source) if item.responsible_source else None,
        )
        # the item level is complete: its obligations' actors, mechanisms and platforms are its own too
        obligations = item.obligations
        self.links(
            node,
            _merged(item.responsible, (a for ob in obligations for a in ob.actors)),
            _merged(item.mechanisms, (m for ob in obligations for m in ob.mechanisms)),
            _merged(item.platforms, (p for ob in obligations for p in ob.platforms)),
        )
        for key in item.other_entities:
            self.add(node, _ZWGK.concernsEntity, self.entity(key, "policy_area"))
        for d in item.deadlines:
            self.add(node, _ZWGK.deadline, _date(d))
        self.timing(node, item.relative_deadlines, item.frequencies)
        self.evidence(node, item.span)
        self.item_mentions(node, item)
        for n, ob in enumerate(item.obligations, start=1):
            self.obligation(node, n, ob)

    def links(
        self, node: URIRef, agencies: Iterable[str], mechanisms: Iterable[str], platforms: Iterable[str]
    ) -> None:
        for key in agencies:
            self.add(node, _ZWGK.responsibleAgency, self.entity(key, "agency"))
        for key in mechanisms:
            self.add(node, _ZWGK.concernsMechanism, self.entity(key, "mechanism"))
        for key in platforms:
            self.add(node, _ZWGK.usesPlatform, self.entity(key, "platform"))

    def timing(self, node: URIRef, relative: Iterable[RelativeDeadline], freqs: Iterable[Frequency]) -> None:
        for n, rd in enumerate(relative, start=1):
            rnode = URIRef(iris.relative_deadline_iri(str(node), n))
            self.triples.extend(
                [
                    (node, _ZWGK.relativeDeadline, rnode),
                    (rnode, _RDF.type, _ZWGK.RelativeDeadline),
                    (rnode, _RDFS.label, zh(rd.text)),
                    (rnode, _ZWGK.amount, _literal(rd.amount)),
                    (rnode, _ZWGK.unit, _literal(rd.unit)),
                    (rnode, _ZWGK.event, zh(rd.event)),
                ]
            )
        for n, fq in enumerate(freqs, start=1):
            fnode = URIRef(iris.frequency_iri(str(node), n))
            self.triples.extend(
                [
                    (node, _ZWGK.frequency, fnode),
                    (fnode, _RDF.type, _ZWGK.Frequency),
                    (fnode, _RDFS.label, zh(fq.text)),
                    (fnode, _ZWGK.comparator, _literal(fq.comparator)),
                ]
            )
            self.add(fnode, _ZWGK.count, _literal(fq.count) if fq.count is not None else None)
            self.add(fnode, _ZWGK.period, _literal(fq.period) if fq.period else None)

    def obligation(self, item: URIRef, n: int, ob: ObligationRecord) -> None:
        node = URIRef(iris.obligation_iri(str(item), n))
        self.triples.extend(
            [
                (item, _ZWGK.hasObligation, node),
                (node, _RDF.type, _ZWGK.Obligation),
                (node, _ZWGK.action, zh(ob.action)),
                (node, _PROV.wasDerivedFrom, self.doc),
            ]
        )
        for key in ob.actors:
            self.add(node, _ZWGK.actor, self.entity(key, "agency"))
        self.links(node, ob.actors, ob.mechanisms, ob.platforms)
        self.add(node, _ZWGK.actorSource, _literal(ob.actor_source) if ob.actor_source else None)
        self.add(node, _ZWGK.strength, _literal(ob.strength) if ob.strength else None)
        self.add(node, _ZWGK.deadline, _date(ob.deadline))
        self.add(node, _ZWGK.deadlineText, zh(ob.deadline_text) if ob.deadline_text else None)
        self.timing(
            node,
            [ob.relative_deadline] if ob.relative_deadline else [],
            [ob.frequency] if ob.frequency else [],
        )
        self.evidence(node, ob.sentence)

    def run(self) -> tuple[list[Triple], list[Triple]]:
        self.metadata()
        self.provenance()
        self.mentions()
        for item in self.record.items:
            self.item(item)
        return _dedupe(self.triples), _dedupe(self.entities)


def _merged(first: Iterable[str], more: Iterable[str]) -> list[str]:
    """Keys of ``first`` then those of ``more`` not yet seen, in order."""
    return list(dict.fromkeys([*first, *more]))


def _date(value: date | None) -> Literal | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return Literal(value.isoformat(), datatype=_XSD.date)


def _dedupe(triples: list[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))


def triple_lines(triples: Iterable[Triple]) -> list[str]:
    """Each triple as ``<s> <p> o`` in N-Triples syntax (without the final `` .``).

    Raises:
        kg.ntriples.InvalidTermError: a term N-Triples cannot hold.
    """
    return [" ".join(map(term_nt, triple)) for triple in triples]


def hash_lines(doc_lines: Iterable[str], entity_lines: Iterable[str]) -> str:
    """The content hash of a document from its :func:`triple_lines`, independent of their order."""
    lines = sorted(doc_lines)
    lines.append("--")
    lines.extend(sorted(entity_lines))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def content_hash(doc_triples: Iterable[Triple], entity_triples: Iterable[Triple]) -> str:
    """A hash of a document's triples, independent of their order."""
    return hash_lines(triple_lines(doc_triples), triple_lines(entity_triples))


def record_to_quads(record: DocumentRecord, version: str | None = None) -> tuple[list[Triple], list[Triple]]:
    """Map a record to (document-graph triples, shared entity triples).

    Args:
        record: the extracted document.
        version: tool version for provenance; the installed package's version by default.
    """
    return _Mapper(record, version or tool_version()).run()


def map_record(record: DocumentRecord, version: str | None = None) -> MappedDocument:
    """Map a record and compute its content hash (without any wall-clock time)."""
    doc, entities = record_to_quads(record, version)
    doc_iri = iris.document_iri(record.sha256)
    graph = iris.document_graph_iri(doc_iri)
    doc_lines, entity_lines = triple_lines(doc), triple_lines(entities)  # written once: hash and store
    digest = hash_lines(doc_lines, entity_lines)
    return MappedDocument(doc_iri, graph, doc, entities, digest, doc_lines, entity_lines)


def run_time_triple(record: DocumentRecord, started: datetime, version: str | None = None) -> Triple:
    """The ``prov:startedAtTime`` of the extraction run (kept out of the content hash)."""
    run = URIRef(iris.run_iri(version or tool_version(), record.sha256))
    return (run, _PROV.startedAtTime, Literal(started.isoformat(timespec="seconds"), datatype=_XSD.dateTime))
