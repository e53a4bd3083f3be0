"""spaCy components of the pipeline.

Each component is a thin ``@Language.factory`` class around the data-driven
matchers of the other modules; the matches are kept both as ``doc.spans``
groups (for display and debugging, aligned to the segmenter's tokens) and as
exact character-offset records in ``doc.user_data`` (for the records).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.agencies import AgencyContext, find_agencies
from extractors.dates import find_deadlines
from extractors.kinds import find_terms
from extractors.obligations import find_frequencies

__all__ = [
    "AGENCIES_KEY",
    "CTX_KEY",
    "DEADLINES_KEY",
    "FREQUENCIES_KEY",
    "PIPE_NAMES",
    "TERMS_KEY",
    "TEXT_KEY",
    "AgencyRecognizer",
    "TemporalTagger",
    "TermRuler",
]

CTX_KEY = "zwgk.context"
TERMS_KEY = "zwgk.terms"
AGENCIES_KEY = "zwgk.agencies"
DEADLINES_KEY = "zwgk.deadlines"
FREQUENCIES_KEY = "zwgk.frequencies"
PIPE_NAMES = ("zwgk_terms", "zwgk_agencies", "zwgk_temporal")


TEXT_KEY = "zwgk.text"


def _text(doc: Doc) -> str:
    """The doc's text, joined from its tokens once and kept in ``doc.user_data``."""
    text: str | None = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def _span_group(doc: Doc, name: str, matches: list[tuple[int, int, str, str]]) -> None:
    spans: list[Span] = []
    for start, end, label, kb_id in matches:
        span = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[name] = spans


class TermRuler:
    """Platforms, mechanisms, campaigns, brands, target groups, policy areas, legal instruments."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Tag every term of the curated schemes and every well-formed unknown name."""
        terms = find_terms(_text(doc))
        doc.user_data[TERMS_KEY] = terms
        _span_group(doc, "terms", [(t.start, t.end, t.kind, t.name) for t in terms])
        return doc


class AgencyRecognizer:
    """Agencies and collectives under their canonical names, in the document's jurisdiction."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Tag agency names; the jurisdiction comes from ``doc.user_data[CTX_KEY]``."""
        ctx: AgencyContext = doc.user_data.get(CTX_KEY) or AgencyContext(
            jurisdiction=None, level=None, issuer=None
        )
        matches = find_agencies(_text(doc), ctx)
        doc.user_data[AGENCIES_KEY] = matches
        _span_group(
            doc,
            "agencies",
            [(m.start, m.end, "agency_group" if m.is_group else "agency", m.name) for m in matches],
        )
        return doc


class TemporalTagger:
    """Deadlines (absolute and relative) and frequencies."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Tag deadlines resolved against the document's year, and frequencies."""
        ctx: AgencyContext | None = doc.user_data.get(CTX_KEY)
        year = ctx.year if ctx is not None else None
        text = _text(doc)
        doc.user_data[DEADLINES_KEY] = find_deadlines(text, year)
        doc.user_data[FREQUENCIES_KEY] = find_frequencies(text)
        return doc


@Language.factory("zwgk_terms")
def make_term_ruler(nlp: Language, name: str) -> TermRuler:
    """Factory of :class:`TermRuler`."""
    return TermRuler(nlp, name)


@Language.factory("zwgk_agencies")
def make_agency_recognizer(nlp: Language, name: str) -> AgencyRecognizer:
    """Factory of :class:`AgencyRecognizer`."""
    return AgencyRecognizer(nlp, name)


@Language.factory("zwgk_temporal")
def make_temporal_tagger(nlp: Language, name: str) -> TemporalTagger:
    """Factory of :class:`TemporalTagger`."""
    return TemporalTagger(nlp, name)
