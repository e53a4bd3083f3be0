"""spaCy components of the pipeline: the factories, their span groups and labels.

Each component is a thin ``@Language.factory`` class around the data-driven
matchers of the other modules. The rules run on the Doc's text and take word
boundaries from the Doc's own tokens (:func:`extractors.components.segment.word_boundaries`),
so the pipeline's one segmenter decides where an agency or a term may start.

Results are on the Doc as span groups, token-aligned (a span that starts or ends
inside a token is widened to it), label = kind, ``kb_id_`` = the canonical key
of the knowledge graph and ``id_`` = the canonical name:

* ``doc.spans["zwgk"]``: everything below, for displaCy's span view;
* ``doc.spans["agencies"]`` (``agency`` / ``agency_group``), ``doc.spans["terms"]``
  (``platform``, ``mechanism``, ``campaign`` …), ``doc.spans["temporal"]``
  (``deadline``: ``kb_id_`` the ISO date when known; ``frequency``).

The exact character-offset matches (spans are token-aligned, matches are not) are Doc
extension attributes, which :mod:`extractors.assemble` reads: ``doc._.zwgk_terms``,
``doc._.zwgk_agencies``, ``doc._.zwgk_deadlines``, ``doc._.zwgk_frequencies``; the document's
context (place, level, issuer, year) is ``doc._.zwgk_context``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.components import agencies, boundaries
from extractors.components.agencies import AgencyContext, find_agencies
from extractors.components.kinds import find_terms
from extractors.components.obligations import find_frequencies
from extractors.components.segment import on_segmentation_change, word_boundaries
from extractors.layout.dates import find_deadlines
from extractors.layout.places import resolve as resolve_place

__all__ = [
    "AGENCIES_KEY",
    "CTX_KEY",
    "DEADLINES_KEY",
    "FREQUENCIES_KEY",
    "LABELS",
    "PIPE_NAMES",
    "SPANS_KEY",
    "TERMS_KEY",
    "TEXT_KEY",
    "AgencyRecognizer",
    "TemporalTagger",
    "TermRuler",
    "default_context",
]

# Doc extension attributes (``doc._.<name>``), stored by spaCy in ``doc.user_data`` and serialised with it
CTX_KEY = "zwgk_context"
TERMS_KEY = "zwgk_terms"
AGENCIES_KEY = "zwgk_agencies"
DEADLINES_KEY = "zwgk_deadlines"
FREQUENCIES_KEY = "zwgk_frequencies"
TEXT_KEY = "zwgk_text"
for _attr in (CTX_KEY, TERMS_KEY, AGENCIES_KEY, DEADLINES_KEY, FREQUENCIES_KEY, TEXT_KEY):
    if not Doc.has_extension(_attr):
        Doc.set_extension(_attr, default=None)
SPANS_KEY = "zwgk"
PIPE_NAMES = ("zwgk_terms", "zwgk_agencies", "zwgk_temporal")
LABELS = (
    "agency",
    "agency_group",
    "platform",
    "mechanism",
    "campaign",
    "brand",
    "target_group",
    "policy_area",
    "legal_instrument",
    "deadline",
    "frequency",
)

# Caches of the rule modules keyed by text that hold word starts: a pipeline with another segmenter
# in the same process must not see the first one's boundaries.
for _cache_owner, _cached in ((boundaries, "word_starts"), (agencies, "_split_agency_list")):
    if callable(clear := getattr(getattr(_cache_owner, _cached, None), "cache_clear", None)):
        on_segmentation_change(clear)


def _text(doc: Doc) -> str:
    """The doc's text, joined from its tokens once and kept as ``doc._.zwgk_text``."""
    text: str | None = doc._.zwgk_text
    if text is None:
        text = doc._.zwgk_text = doc.text
    return text


Match = tuple[int, int, str, str, str]  # start, end (characters), label, kb_id, canonical name


def _span_group(doc: Doc, name: str, matches: list[Match], labels: tuple[str, ...]) -> None:
    """Set ``doc.spans[name]`` and replace this component's labels in ``doc.spans["zwgk"]``."""
    spans: list[Span] = []
    for start, end, label, kb_id, canonical in matches:
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is not None:
            span.id_ = canonical
            spans.append(span)
    doc.spans[name] = spans
    kept = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ not in labels]
    doc.spans[SPANS_KEY] = sorted(kept + spans, key=lambda s: (s.start, -s.end))


class _Component:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.nlp = nlp  # its tokenizer cuts the probe strings the rules build (runs not in the doc)

    def _tokenizer(self) -> Callable[[str], Doc]:
        tokenizer: Callable[[str], Doc] = self.nlp.tokenizer
        return tokenizer


class TermRuler(_Component):
    """Platforms, mechanisms, campaigns, brands, target groups, policy areas, legal instruments."""

    def __call__(self, doc: Doc) -> Doc:
        """Tag every term of the curated schemes and every well-formed unknown name."""
        with word_boundaries(doc, self._tokenizer(), _text(doc)):
            terms = find_terms(_text(doc))
        doc._.zwgk_terms = terms
        _span_group(doc, "terms", [(t.start, t.end, t.kind, t.key, t.name) for t in terms], LABELS[2:9])
        return doc


def default_context(jurisdiction: str | None = None, year: int | None = None) -> AgencyContext:
    """The context of a doc without one in ``doc._.zwgk_context``: a place label and a year."""
    place = resolve_place(jurisdiction, year) if jurisdiction else None
    return AgencyContext(
        jurisdiction=jurisdiction,
        level="central" if jurisdiction == "中华人民共和国" else (place.level if place else None),
        issuer=None,
        province=place.province if place else None,
        prefecture=place.prefecture if place and place.level == "county" else None,
        year=year,
    )


class AgencyRecognizer(_Component):
    """Agencies and collectives under their canonical names, in the document's jurisdiction.

    The pipeline puts each document's context in ``doc._.zwgk_context``; a user's own pipeline
    may give one jurisdiction in the component's config (``{"jurisdiction": "湖南省湘潭市"}``):
    without any, only names that are complete on their own (湖南省教育厅) are found.
    """

    def __init__(self, nlp: Language, name: str, jurisdiction: str | None = None, year: int | None = None):
        super().__init__(nlp, name)
        self.context = default_context(jurisdiction, year)

    def __call__(self, doc: Doc) -> Doc:
        """Tag agency names in the doc's context (``doc._.zwgk_context``, else the configured one)."""
        ctx: AgencyContext = doc._.zwgk_context or self.context
        with word_boundaries(doc, self._tokenizer(), _text(doc)):
            matches = find_agencies(_text(doc), ctx)
        doc._.zwgk_agencies = matches
        _span_group(
            doc,
            "agencies",
            [(m.start, m.end, "agency_group" if m.is_group else "agency", m.name, m.name) for m in matches],
            LABELS[:2],
        )
        return doc


class TemporalTagger(_Component):
    """Deadlines (absolute and relative) and frequencies."""

    def __init__(self, nlp: Language, name: str, year: int | None = None):
        super().__init__(nlp, name)
        self.year = year

    def __call__(self, doc: Doc) -> Doc:
        """Tag deadlines resolved against the document's year (else the configured one), and frequencies."""
        ctx: AgencyContext | None = doc._.zwgk_context
        year = ctx.year if ctx is not None else self.year
        text = _text(doc)
        deadlines = doc._.zwgk_deadlines = find_deadlines(text, year)
        frequencies = doc._.zwgk_frequencies = find_frequencies(text)
        found: list[Match] = []
        for start, end, when, rel, surface in deadlines:
            key = when.isoformat() if when is not None else (rel.text if rel is not None else surface)
            found.append((start, end, "deadline", key, key))
        for start, end, freq in frequencies:
            key = f"{freq.comparator} {freq.count if freq.count is not None else ''}/{freq.period or 'year'}"
            found.append((start, end, "frequency", key, freq.text))
        _span_group(doc, "temporal", found, LABELS[9:])
        return doc


@Language.factory("zwgk_terms")
def make_term_ruler(nlp: Language, name: str) -> TermRuler:
    """Factory of :class:`TermRuler`."""
    return TermRuler(nlp, name)


@Language.factory("zwgk_agencies", default_config={"jurisdiction": None, "year": None})
def make_agency_recognizer(
    nlp: Language, name: str, jurisdiction: str | None, year: int | None
) -> AgencyRecognizer:
    """Factory of :class:`AgencyRecognizer`."""
    return AgencyRecognizer(nlp, name, jurisdiction, year)


@Language.factory("zwgk_temporal", default_config={"year": None})
def make_temporal_tagger(nlp: Language, name: str, year: int | None) -> TemporalTagger:
    """Factory of :class:`TemporalTagger`."""
    return TemporalTagger(nlp, name, year)


# ---------------------------------------------------------------- serialising docs

# ``nlp.pipe(texts, n_process=2)`` sends docs back with ``doc.to_bytes()`` (msgpack, user_data
# included, which holds the extension attributes): the matches travel as plain data (dicts, ISO dates,
# lists), one way.


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset):
        return sorted((_plain(v) for v in obj), key=repr)
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def _encode_matches(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if type(obj).__module__.startswith("extractors.") or isinstance(obj, date | set | frozenset):
        return _plain(obj)
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("zwgk_matches", func=_encode_matches)
