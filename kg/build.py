"""Build the graph: extract documents, map them to RDF and write each one atomically."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from kg.mapping import map_record, run_time_triple, tool_version

if TYPE_CHECKING:
    from extractors.errors import InputError
    from extractors.records import DocumentRecord
    from kg.store import GraphStore

__all__ = ["BuildReport", "PipelineUnavailableError", "build", "ingest_record"]

Extractor = Callable[[list[Path], int], Iterator["DocumentRecord | InputError"]]


@dataclass
class BuildReport:
    """What a build did: documents written, unchanged, and inputs that failed."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "path: reason", one line each

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return not self.failed


class PipelineUnavailableError(RuntimeError):
    """The extraction pipeline cannot be imported."""


def _pipeline(paths: list[Path], workers: int) -> Iterator[DocumentRecord | InputError]:
    try:
        from extractors.pipeline import extract_many  # lazy: kg imports without the NLP stack
    except ImportError as exc:
        raise PipelineUnavailableError(f"extraction pipeline unavailable: {exc}") from exc

    return extract_many(paths, workers=workers)


def _count(paths: list[Path]) -> int:
    try:
        from extractors.pipeline import expand_paths
    except ImportError:  # the build reports it when it starts extracting
        return len(paths)
    return len(expand_paths(paths))


def ingest_record(store: GraphStore, record: DocumentRecord, started: datetime | None = None) -> bool:
    """Map one record and write it atomically; False when the stored content is identical.

    Args:
        store: the graph store.
        record: the extracted document.
        started: time of the extraction run (``prov:startedAtTime``), now by default;
            it is not part of the content hash, so re-ingesting identical content is a no-op.
    """
    version = tool_version()
    mapped = map_record(record, version)
    when = started or datetime.now(UTC)
    doc = [*mapped.doc_triples, run_time_triple(record, when, version)]
    return store.replace_document(mapped.graph_iri, doc, mapped.entity_triples, mapped.content_hash)


def build(
    paths: Iterable[Path], store: GraphStore, workers: int = 1, progress: bool = True,
    extractor: Extractor | None = None,
) -> BuildReport:
    """Extract every document under ``paths`` and write it to ``store``.

    Inputs that cannot be read are reported (one line each on stderr) and
    skipped; the others are still built.

    Args:
        paths: files and folders (folders are expanded recursively).
        store: where to write.
        workers: extraction processes.
        progress: show a progress bar when there are many documents.
        extractor: ``(paths, workers) -> iterator of records or InputError``; the pipeline by default.
    """
    from extractors.errors import InputError

    path_list = [Path(p) for p in paths]
    report = BuildReport()
    total = _count(path_list) if progress else 0
    results = (extractor or _pipeline)(path_list, workers)
    bar = tqdm(results, total=total, unit="doc", disable=not progress or total < 3, file=sys.stderr)
    for result in bar:
        if isinstance(result, InputError):
            report.failed.append(str(result))
            tqdm.write(f"error: {result}", file=sys.stderr)
            continue
        target = report.written if ingest_record(store, result) else report.unchanged
        target.append(result.source_file)
    return report
