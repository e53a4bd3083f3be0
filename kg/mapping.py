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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Generic, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg import iris
from kg.namespaces import ZWGK
from kg.ntriples import iri_nt, nt_term, quote_literal, term_nt

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
    "lines_to_triples",
    "map_record",
    "record_to_quads",
    "run_time_triple",
    "tool_version",
    "triple_lines",
]


T = TypeVar("T")


class _Memo(Generic[T]):
    """Attributes computed once by ``make(name)`` and then kept (a namespace's terms, their N-Triples)."""

    def __init__(self, make: Callable[[str], T]) -> None:
        self._make = make

    def __getattr__(self, name: str) -> T:
        value = self._make(name)
        setattr(self, name, value)
        return value


def _terms(namespace: type[DefinedNamespace]) -> _Memo[URIRef]:
    """A namespace whose terms are looked up once (rdflib's ``DefinedNamespace`` builds one per access)."""
    return _Memo(lambda name: URIRef(getattr(namespace, name)))


_ZWGK, _RDF, _RDFS, _SKOS = _terms(ZWGK), _terms(RDF), _terms(RDFS), _terms(SKOS)
_ORG, _PROV, _DCTERMS, _XSD = _terms(ORG), _terms(PROV), _terms(DCTERMS), _terms(XSD)


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
    """The triples of one document, ready for :meth:`kg.store.GraphStore.replace_document`.

    The mapping writes N-Triples lines (without the final `` .``) directly; the rdflib
    triples are read back from them only when asked for.
    """

    doc_iri: str
    graph_iri: str
    content_hash: str
    doc_lines: list[str] = field(repr=False)
    entity_lines: list[str] = field(repr=False)

    @cached_property
    def doc_triples(self) -> list[Triple]:
        """The document graph's triples as rdflib terms."""
        return lines_to_triples(self.doc_lines)

    @cached_property
    def entity_triples(self) -> list[Triple]:
        """The shared entity triples as rdflib terms."""
        return lines_to_triples(self.entity_lines)


def _nt_terms(terms: _Memo[URIRef]) -> _Memo[str]:
    """A namespace whose terms are written in N-Triples once (``<iri>``)."""
    return _Memo(lambda name: term_nt(getattr(terms, name)))


_Z, _R, _RS, _S = _nt_terms(_ZWGK), _nt_terms(_RDF), _nt_terms(_RDFS), _nt_terms(_SKOS)
_O, _P, _D = _nt_terms(_ORG), _nt_terms(_PROV), _nt_terms(_DCTERMS)
_KIND_CLASSES_NT = {kind: tuple(map(term_nt, classes)) for kind, classes in KIND_CLASSES.items()}


def _zh(text: str) -> str:
    """An ``@zh`` literal in N-Triples (what ``term_nt(zh(text))`` writes)."""
    return quote_literal(text) + "@zh"


def _lit(value: str | int) -> str:
    """A plain or typed literal in N-Triples (what ``term_nt(_literal(value))`` writes)."""
    if type(value) is str:
        return quote_literal(value)
    return _typed_nt(value)


@lru_cache(maxsize=1 << 12, typed=True)
def _typed_nt(value: str | int) -> str:
    return term_nt(_literal(value))


@lru_cache(maxsize=1 << 12)
def _datatyped_nt(lexical: str, datatype: URIRef) -> str:
    return term_nt(Literal(lexical, datatype=datatype))


@dataclass
class _Edge:
    """What one document says of one responsible agency (see :meth:`_Mapper.summary`)."""

    items: set[str] = field(default_factory=set)
    obligations: set[str] = field(default_factory=set)
    mechanisms: set[str] = field(default_factory=set)
    platforms: set[str] = field(default_factory=set)


class _Mapper:
    """Collects the triples of one record, as N-Triples lines (nodes are kept as IRI strings)."""

    def __init__(self, record: DocumentRecord, version: str) -> None:
        self.record = record
        self.version = version
        self.doc_iri = iris.document_iri(record.sha256)
        self.doc = iri_nt(self.doc_iri)
        self.triples: list[str] = []
        self.entities: list[str] = []
        self.by_key = {(str(e.kind), e.key): e for e in record.entities}
        self.any_kind = {e.key: e for e in record.entities}
        self.mentioned: set[str] = set()
        self.nodes: dict[tuple[str, str], str] = {}  # (key, default kind) → IRI
        self.seen_evidence: set[str] = set()
        self.mention_spans: list[tuple[int, int, str, str]] = []
        self.edges: dict[str, _Edge] = {}  # responsible agency → its summary edge

    def add(self, s: str, p: str, o: str | None) -> None:
        if o is not None:
            self.triples.append(f"{s} {p} {o}")

    # ---- entities

    def entity(self, key: str, default_kind: str) -> str:
        """IRI of an entity referred to by key, adding its shared triples once."""
        node = self.nodes.get((key, default_kind))
        if node is None:
            node = self.nodes[(key, default_kind)] = self._entity(key, default_kind)
        return node

    def _entity(self, key: str, default_kind: str) -> str:
        record = self.by_key.get((default_kind, key)) or self.any_kind.get(key)
        kind = str(record.kind) if record is not None else default_kind
        node = self._entity_iri(kind, key, record)
        if node not in self.mentioned:
            self.mentioned.add(node)
            self._entity_triples(iri_nt(node), kind, record, key)
        return node

    def _entity_iri(self, kind: str, key: str, record: EntityRecord | None) -> str:
        if kind == "place":
            return iris.place_iri(key, record.division_code if record else None)
        return iris.entity_iri(IRI_KIND.get(kind, kind), key)

    def _entity_triples(self, node: str, kind: str, record: EntityRecord | None, key: str) -> None:
        out = self.entities
        out.extend(f"{node} {_R.type} {cls}" for cls in _KIND_CLASSES_NT.get(kind, ()))
        name = record.name if record else key
        out.append(f"{node} {_RS.label} {_zh(name)}")
        if record is None:
            return
        surfaces = set(record.aliases) | {m.surface for m in record.mentions}
        out.extend(f"{node} {_S.altLabel} {_zh(a)}" for a in sorted(surfaces - {name}) if a.strip())
        if record.parent:
            out.append(f"{node} {_O.subOrganizationOf} {iri_nt(self.entity(record.parent, 'agency'))}")
        if record.jurisdiction and kind != "place":
            place = self.place(record.jurisdiction, record.division_code)
            out.append(f"{node} {_Z.jurisdiction} {iri_nt(place)}")
        if record.members_rule:
            out.append(f"{node} {_Z.membersRule} {_lit(record.members_rule)}")
        if record.credit_code:
            out.append(f"{node} {_Z.creditCode} {_lit(record.credit_code)}")
        if record.definition:
            out.append(f"{node} {_S.definition} {_zh(record.definition)}")
        if record.scheme_id:
            out.append(f"{node} {_Z.schemeId} {_lit(record.scheme_id)}")
        if kind == "place" and record.division_code:
            self._place_code(node, record.division_code)

    def place(self, label: str, code: str | None) -> str:
        """IRI of a place, adding its shared triples."""
        node = iris.place_iri(label, code)
        if node not in self.mentioned:
            self.mentioned.add(node)
            nt = iri_nt(node)
            self.entities.extend([f"{nt} {_R.type} {_Z.Place}", f"{nt} {_RS.label} {_zh(label)}"])
            if code:
                self._place_code(nt, code)
        return node

    def _place_code(self, node: str, code: str) -> None:
        lit = _lit(code)
        self.entities.extend([f"{node} {_Z.divisionCode} {lit}", f"{node} {_Z.p442} {lit}"])

    # ---- evidence and mentions

    def evidence(self, owner: str, span: Span | None) -> None:
        if span is None:
            return
        node = iris.evidence_iri(self.doc_iri, span.start, span.end)
        nt = iri_nt(node)
        self.add(owner, _Z.evidence, nt)
        if node in self.seen_evidence:
            return
        self.seen_evidence.add(node)
        self.triples.extend(
            [
                f"{nt} {_R.type} {_Z.Evidence}",
                f"{nt} {_Z.text} {_zh(span.slice(self.record.original))}",
                f"{nt} {_Z.start} {_typed_nt(span.start)}",
                f"{nt} {_Z.end} {_typed_nt(span.end)}",
                f"{nt} {_P.wasDerivedFrom} {self.doc}",
            ]
        )

    def mentions(self) -> None:
        doc = self.doc
        for record in self.record.entities:
            node = self.entity(record.key, str(record.kind))
            node_nt = iri_nt(node)
            self.add(doc, _Z.mentions, node_nt)
            for m in record.mentions:
                mention = iris.mention_iri(self.doc_iri, node, m.span.start, m.span.end)
                nt = iri_nt(mention)
                self.triples.extend(
                    [
                        f"{doc} {_Z.hasMention} {nt}",
                        f"{nt} {_R.type} {_Z.Mention}",
                        f"{nt} {_Z.mentionOf} {node_nt}",
                        f"{nt} {_Z.surface} {_zh(m.surface)}",
                        f"{nt} {_Z.start} {_typed_nt(m.span.start)}",
                        f"{nt} {_Z.end} {_typed_nt(m.span.end)}",
                    ]
                )
                self.evidence(nt, m.sentence)
                if m.sentence is not None:  # only mentions with a sentence can be an item's evidence
                    self.mention_spans.append((m.span.start, m.span.end, mention, node))
        self.mention_spans.sort(key=lambda t: (t[0], t[1], t[2]))

    def item_mentions(self, node: str, item: ItemRecord) -> None:
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
        if not concerns:
            return
        ranges = [item.span] + [c.span for c in item.cells.values() if c.inherited and c.span is not None]
        starts = [t[0] for t in self.mention_spans]
        named: set[str] = set()
        for span in ranges:
            for start, end, mention, entity in self.mention_spans[bisect_left(starts, span.start) :]:
                if start >= span.end:
                    break
                if end <= span.end and entity in concerns:
                    self.add(node, _Z.hasMention, iri_nt(mention))
                    named.add(entity)
        for entity in sorted(concerns - named):  # named nowhere inside the item: the item is the evidence
            mention = iri_nt(iris.mention_iri(self.doc_iri, entity, item.span.start, item.span.end))
            self.triples.extend(
                [
                    f"{node} {_Z.hasMention} {mention}",
                    f"{mention} {_R.type} {_Z.Mention}",
                    f"{mention} {_Z.mentionOf} {iri_nt(entity)}",
                    f"{mention} {_Z.start} {_typed_nt(item.span.start)}",
                    f"{mention} {_Z.end} {_typed_nt(item.span.end)}",
                ]
            )
            self.evidence(mention, item.span)

    # ---- document

    def metadata(self) -> None:
        md, doc = self.record.metadata, self.doc
        self.triples.extend(
            [
                f"{doc} {_R.type} {_Z.Document}",
                f"{doc} {_R.type} {_P.Entity}",
                f"{doc} {_Z.sourceFile} {_lit(self.record.source_file)}",
                f"{doc} {_Z.sha256} {_lit(self.record.sha256)}",
                f"{doc} {_Z.mediaType} {_lit(self.record.media_type)}",
                f"{doc} {_Z.isDraft} {_typed_nt(bool(md.draft))}",
            ]
        )
        self.add(doc, _D.title, _zh(md.title) if md.title else None)
        self.add(doc, _Z.noticeTitle, _zh(md.notice_title) if md.notice_title else None)
        self.add(doc, _Z.documentNumber, _lit(md.doc_number) if md.doc_number else None)
        self.add(doc, _D.issued, _date(md.date))
        self.add(doc, _Z.publishedOn, _date(md.published))
        self.add(doc, _Z.year, _datatyped_nt(f"{md.year:04d}", _XSD.gYear) if md.year else None)
        self.add(doc, _Z.indexNumber, _lit(md.index_number) if md.index_number else None)
        self.add(doc, _Z.contact, _lit(md.contact) if md.contact else None)
        if md.jurisdiction:
            self.add(doc, _Z.jurisdiction, iri_nt(self.place(md.jurisdiction, md.division_code)))
        if md.issuer:
            issuer = iri_nt(self.entity(md.issuer, "agency"))
            self.add(doc, _Z.issuedBy, issuer)
            self.add(doc, _Z.mentions, issuer)
        for name in md.addressees:
            self.add(doc, _Z.addressedTo, iri_nt(self.entity(name, "agency")))
        for name in md.cc:
            self.add(doc, _Z.copiedTo, iri_nt(self.entity(name, "agency")))
        for title in md.cited:
            self.add(doc, _Z.cites, iri_nt(self.entity(title, "legal_instrument")))

    def provenance(self) -> None:
        run = iri_nt(iris.run_iri(self.version, self.record.sha256))
        agent = iri_nt(f"{iris.BASE}agent/zwgk-kg/{self.version}")
        self.triples.extend(
            [
                f"{self.doc} {_P.wasGeneratedBy} {run}",
                f"{run} {_R.type} {_Z.ExtractionRun}",
                f"{run} {_R.type} {_P.Activity}",
                f"{run} {_P.wasAssociatedWith} {agent}",
                f"{agent} {_R.type} {_P.SoftwareAgent}",
                f"{agent} {_RS.label} {_lit(f'zwgk-kg {self.version}')}",
                f"{agent} {_Z.softwareVersion} {_lit(self.version)}",
            ]
        )

    # ---- items and obligations

    def item(self, item: ItemRecord) -> None:
        iri = iris.item_iri(self.doc_iri, item.ref)
        node = iri_nt(iri)
        self.triples.extend(
            [
                f"{self.doc} {_Z.hasItem} {node}",
                f"{node} {_R.type} {_Z.Item}",
                f"{node} {_Z.ref} {_lit(item.ref)}",
                f"{node} {_Z.level} {_lit(item.level)}",
                f"{node} {_P.wasDerivedFrom} {self.doc}",
            ]
        )
        self.add(node, _D.title, _zh(item.title) if item.title else None)
        self.add(node, _Z.number, _lit(item.number) if item.number else None)
        if item.parent_ref:
            self.add(node, _Z.parentItem, iri_nt(iris.item_iri(self.doc_iri, item.parent_ref)))
        note = item.responsibility_note
        self.add(node, _Z.responsibilityNote, _zh(note) if note else None)
        self.add(
            node,
            _Z.responsibilitySource,
            _lit(item.responsible_source) if item.responsible_source else None,
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
            self.add(node, _Z.concernsEntity, iri_nt(self.entity(key, "policy_area")))
        for d in item.deadlines:
            self.add(node, _Z.deadline, _date(d))
        self.timing(iri, item.relative_deadlines, item.frequencies)
        self.evidence(node, item.span)
        self.item_mentions(node, item)
        for n, ob in enumerate(item.obligations, start=1):
            self.obligation(iri, n, ob)
        self.tally(iri, item)

    def links(
        self, node: str, agencies: Iterable[str], mechanisms: Iterable[str], platforms: Iterable[str]
    ) -> None:
        for key in agencies:
            self.add(node, _Z.responsibleAgency, iri_nt(self.entity(key, "agency")))
        for key in mechanisms:
            self.add(node, _Z.concernsMechanism, iri_nt(self.entity(key, "mechanism")))
        for key in platforms:
            self.add(node, _Z.usesPlatform, iri_nt(self.entity(key, "platform")))

    def timing(self, owner: str, relative: Iterable[RelativeDeadline], freqs: Iterable[Frequency]) -> None:
        node = iri_nt(owner)
        for n, rd in enumerate(relative, start=1):
            rnode = iri_nt(iris.relative_deadline_iri(owner, n))
            self.triples.extend(
                [
                    f"{node} {_Z.relativeDeadline} {rnode}",
                    f"{rnode} {_R.type} {_Z.RelativeDeadline}",
                    f"{rnode} {_RS.label} {_zh(rd.text)}",
                    f"{rnode} {_Z.amount} {_lit(rd.amount)}",
                    f"{rnode} {_Z.unit} {_lit(rd.unit)}",
                    f"{rnode} {_Z.event} {_zh(rd.event)}",
                ]
            )
        for n, fq in enumerate(freqs, start=1):
            fnode = iri_nt(iris.frequency_iri(owner, n))
            self.triples.extend(
                [
                    f"{node} {_Z.frequency} {fnode}",
                    f"{fnode} {_R.type} {_Z.Frequency}",
                    f"{fnode} {_RS.label} {_zh(fq.text)}",
                    f"{fnode} {_Z.comparator} {_lit(fq.comparator)}",
                ]
            )
            self.add(fnode, _Z.count, _lit(fq.count) if fq.count is not None else None)
            self.add(fnode, _Z.period, _lit(fq.period) if fq.period else None)

    def obligation(self, item: str, n: int, ob: ObligationRecord) -> None:
        iri = iris.obligation_iri(item, n)
        node = iri_nt(iri)
        self.triples.extend(
            [
                f"{iri_nt(item)} {_Z.hasObligation} {node}",
                f"{node} {_R.type} {_Z.Obligation}",
                f"{node} {_Z.action} {_zh(ob.action)}",
                f"{node} {_P.wasDerivedFrom} {self.doc}",
            ]
        )
        for key in ob.actors:
            self.add(node, _Z.actor, iri_nt(self.entity(key, "agency")))
        self.links(node, ob.actors, ob.mechanisms, ob.platforms)
        self.add(node, _Z.actorSource, _lit(ob.actor_source) if ob.actor_source else None)
        self.add(node, _Z.strength, _lit(ob.strength) if ob.strength else None)
        self.add(node, _Z.deadline, _date(ob.deadline))
        self.add(node, _Z.deadlineText, _zh(ob.deadline_text) if ob.deadline_text else None)
        self.timing(
            iri,
            [ob.relative_deadline] if ob.relative_deadline else [],
            [ob.frequency] if ob.frequency else [],
        )
        self.evidence(node, ob.sentence)

    # ---- summary edges (what the named questions read; derived, written with the document)

    def tally(self, iri: str, item: ItemRecord) -> None:
        """Count an item (and its obligations) towards the document's summary edges.

        The pairs are the item level's (every agency with every mechanism and platform of the
        item, obligations included), as :meth:`item` writes them.
        """
        obligations = item.obligations
        actors = (a for o in obligations for a in o.actors)
        mechanisms = _merged(item.mechanisms, (m for o in obligations for m in o.mechanisms))
        platforms = _merged(item.platforms, (p for o in obligations for p in o.platforms))
        for agency in {self.entity(k, "agency") for k in _merged(item.responsible, actors)}:
            edge = self.edges.setdefault(agency, _Edge())
            edge.items.add(iri)
            edge.mechanisms.update(self.entity(k, "mechanism") for k in mechanisms)
            edge.platforms.update(self.entity(k, "platform") for k in platforms)
        for n, ob in enumerate(obligations, start=1):
            for key in ob.actors:  # the item carries its obligations' actors: the edge exists
                self.edges[self.entity(key, "agency")].obligations.add(iris.obligation_iri(iri, n))

    def summary(self) -> None:
        """One edge per responsible agency: its items and obligations counted, mechanisms and platforms."""
        for agency, edge in sorted(self.edges.items()):
            node = iri_nt(iris.summary_edge_iri(self.doc_iri, agency))
            self.triples.extend(
                [
                    f"{node} {_Z.edgeAgency} {iri_nt(agency)}",
                    f"{node} {_Z.edgeDocument} {self.doc}",
                    f"{node} {_Z.itemCount} {_typed_nt(len(edge.items))}",
                ]
            )
            if edge.obligations:  # left out at 0: the GROUP BY over obligations reads only the others
                self.add(node, _Z.obligationCount, _typed_nt(len(edge.obligations)))
            self.triples.extend(f"{node} {_Z.edgeMechanism} {iri_nt(m)}" for m in sorted(edge.mechanisms))
            self.triples.extend(f"{node} {_Z.edgePlatform} {iri_nt(p)}" for p in sorted(edge.platforms))

    def run(self) -> tuple[list[str], list[str]]:
        """The document's lines and the entity lines, each without duplicates, in first-seen order."""
        self.metadata()
        self.provenance()
        self.mentions()
        for item in self.record.items:
            self.item(item)
        self.summary()
        return list(dict.fromkeys(self.triples)), list(dict.fromkeys(self.entities))


def _merged(first: Iterable[str], more: Iterable[str]) -> list[str]:
    """Keys of ``first`` then those of ``more`` not yet seen, in order."""
    return list(dict.fromkeys([*first, *more]))


def _date(value: date | None) -> str | None:
    """An ``xsd:date`` literal in N-Triples."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return _datatyped_nt(value.isoformat(), _XSD.date)


def lines_to_triples(lines: Iterable[str]) -> list[Triple]:
    """Lines written by the mapping (``<s> <p> o``) back to rdflib triples, in order."""
    out: list[Triple] = []
    for line in lines:
        s, p, o = line.split(" ", 2)  # IRIs hold no spaces
        out.append((nt_term(s), nt_term(p), nt_term(o)))
    return out


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
    mapped = map_record(record, version)
    return mapped.doc_triples, mapped.entity_triples


def map_record(record: DocumentRecord, version: str | None = None) -> MappedDocument:
    """Map a record and compute its content hash (without any wall-clock time).

    Raises:
        kg.ntriples.InvalidTermError: an IRI N-Triples cannot hold.
    """
    doc_lines, entity_lines = _Mapper(record, version or tool_version()).run()  # hash and store
    doc_iri = iris.document_iri(record.sha256)
    graph = iris.document_graph_iri(doc_iri)
    return MappedDocument(doc_iri, graph, hash_lines(doc_lines, entity_lines), doc_lines, entity_lines)


def run_time_triple(record: DocumentRecord, started: datetime, version: str | None = None) -> Triple:
    """The ``prov:startedAtTime`` of the extraction run (kept out of the content hash)."""
    run = URIRef(iris.run_iri(version or tool_version(), record.sha256))
    return (run, _PROV.startedAtTime, Literal(started.isoformat(timespec="seconds"), datatype=_XSD.dateTime))
