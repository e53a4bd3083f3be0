"""The extraction pipeline: read → clean → normalise → outline → metadata → spaCy → records.

The spaCy part is a blank Chinese pipeline whose tokenizer is the pluggable
segmenter of :mod:`extractors.components.segment` (its tokens are the word boundaries the
rules use) followed by the
project's components (:mod:`extractors.components.factories`): a term ruler for
platforms, mechanisms and the other kinds, an agency recogniser that
canonicalises names in the document's jurisdiction, and a temporal tagger for
deadlines and frequencies. :mod:`extractors.assemble` turns the tagged doc and
the outline into a :class:`~extractors.records.DocumentRecord`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.assemble import assemble, context_for
from extractors.components import factories
from extractors.components.segment import DEFAULT_SEGMENTER, word_boundaries
from extractors.errors import InputError, TooLargeError
from extractors.layout.metadata import read_metadata
from extractors.layout.structure import outline
from extractors.reading.clean import prepare
from extractors.reading.readers import MAX_BYTES, RawDocument, read_document
from extractors.records import DocumentRecord

__all__ = [
    "DEFAULT_SEGMENTER",
    "PipelineConfig",
    "build_nlp",
    "expand_paths",
    "extract",
    "extract_doc",
    "extract_many",
    "extract_raw",
]

SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".shtml", ".docx", ".pdf")
# documents in a format the readers refuse with advice (save as .docx…): a folder build reports them
REPORTED_SUFFIXES = (".doc", ".wps", ".xls", ".ppt", ".rtf")
# The most characters a document may have: a file at the byte limit in GB18030 (two bytes per Han
# character). Extraction is linear in the length (about 10 ms per KB of UTF-8 text on one core, so
# a document at the limit takes minutes); longer texts (ASCII filler, a .docx expanding 10:1) are refused.
MAX_CHARS = MAX_BYTES // 2


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of the extraction pipeline."""

    segmenter: str = DEFAULT_SEGMENTER  # "jieba" (default) | "pkuseg" | "char"
    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS


def build_nlp(segmenter: str = DEFAULT_SEGMENTER) -> Language:
    """A blank Chinese spaCy pipeline with the project's tokenizer and components."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "zwgk.SegmenterTokenizer.v1", "segmenter": segmenter}}}
    nlp = spacy.blank("zh", config=config)
    # spaCy's 1,000,000-character default (E088) guards the memory of its parser and NER, which this
    # pipeline does not have: the tokenizer is the segmenter and the components are rules over the text.
    # The pipeline's own limit is ``PipelineConfig.max_chars``, checked before the text gets here.
    nlp.max_length = sys.maxsize
    for name in factories.PIPE_NAMES:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=4)
def _nlp(segmenter: str) -> Language:
    return build_nlp(segmenter)


def extract_raw(
    raw: RawDocument, config: PipelineConfig | None = None, nlp: Language | None = None
) -> DocumentRecord:
    """Extract a :class:`DocumentRecord` from a document already read.

    ``nlp`` is a pipeline with the project's components (one loaded with ``spacy.load``, say);
    by default the one built for ``config.segmenter``.
    """
    return _run(raw, config, nlp)[0]


def _run(raw: RawDocument, config: PipelineConfig | None, nlp: Language | None) -> tuple[DocumentRecord, Doc]:
    config = config or PipelineConfig()
    if len(raw.original) > config.max_chars:
        reason = f"document too long ({len(raw.original):,} characters; limit {config.max_chars:,})"
        raise TooLargeError(raw.source_file, reason)
    text = prepare(raw)
    if not text.text.strip():
        raise InputError(raw.source_file, "no text left after removing page chrome")
    structure = outline(text)
    metadata = read_metadata(text, structure)
    ctx = context_for(metadata, raw.source_file)
    nlp = nlp or _nlp(config.segmenter)
    doc = nlp.make_doc(text.text)
    doc._.zwgk_context = ctx
    doc._.zwgk_text = text.text  # the tokens cover it exactly: no join of tokens
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    # assembly asks the rules again (table cells, clauses): the same tokens answer
    with word_boundaries(doc, nlp.tokenizer, text.text):
        return assemble(raw, text, structure, metadata, ctx, doc), doc


def extract(path: Path, config: PipelineConfig | None = None) -> DocumentRecord:
    """Read and extract one document.

    Raises:
        InputError: the file cannot be read (empty, binary, unsupported, too large, corrupt).
    """
    return extract_doc(path, config)[0]


def extract_doc(
    path: Path, config: PipelineConfig | None = None, nlp: Language | None = None
) -> tuple[DocumentRecord, Doc]:
    """Read and extract one document; its record and the tagged spaCy Doc (``doc.spans["zwgk"]``).

    Raises:
        InputError: the file cannot be read (empty, binary, unsupported, too large, corrupt).
    """
    config = config or PipelineConfig()
    return _run(read_document(Path(path), max_bytes=config.max_bytes), config, nlp)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files given, and the documents inside folders given (sorted, recursive).

    A folder gives its supported files and its legacy Office/WPS files (which the readers
    refuse with a one-line reason, so that a build says why they were not read).
    """
    wanted = SUPPORTED_SUFFIXES + REPORTED_SUFFIXES
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in wanted)
        else:
            out.append(path)
    return out


def _safe_extract(args: tuple[Path, PipelineConfig]) -> DocumentRecord | InputError:
    path, config = args
    try:
        return extract(path, config)
    except InputError as err:
        return err
    except Exception as err:  # noqa: BLE001 -- one broken document does not stop the others
        return InputError(str(path), f"extraction failed ({type(err).__name__}: {str(err)[:200]})")


def extract_many(
    paths: Iterable[Path], workers: int = 1, config: PipelineConfig | None = None
) -> Iterator[DocumentRecord | InputError]:
    """Extract documents in order, streaming; bad inputs come back as :class:`InputError`.

    With ``workers > 1`` documents are extracted in that many processes (each
    loads its own segmenter model once).
    """
    config = config or PipelineConfig()
    jobs = [(p, config) for p in expand_paths(paths)]
    if workers <= 1 or len(jobs) <= 1:
        yield from map(_safe_extract, jobs)
        return
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(workers) as pool:
        yield from pool.imap(_safe_extract, jobs, chunksize=4)
