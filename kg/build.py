"""Build the graph: extract documents, map them to RDF and write each one atomically."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from kg.mapping import map_record, run_time_triple, tool_version, triple_lines

if TYPE_CHECKING:
    from extractors.errors import InputError
    from extractors.records import DocumentRecord
    from kg.store import GraphStore, Triple

__all__ = [
    "BuildReport",
    "MappedResult",
    "PipelineUnavailableError",
    "build",
    "extraction_failed",
    "ingest_record",
    "mapped_pipeline",
    "mapped_result",
    "write_mapped",
]

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


@dataclass(frozen=True)
class MappedResult:
    """A document extracted and mapped in a worker, ready to be written.

    Its triples travel as N-Triples lines (strings pickle ~30× faster than rdflib
    terms), written once in the worker for both the content hash and the store.
    """

    source_file: str
    graph_iri: str
    content_hash: str
    doc_lines: list[str]  # including the run's ``prov:startedAtTime``
    entity_lines: list[str]


def mapped_result(record: DocumentRecord, started: datetime, version: str) -> MappedResult:
    """Map a record to what :func:`write_mapped` writes (``started`` is not part of the hash)."""
    mapped = map_record(record, version)
    run_line = triple_lines([run_time_triple(record, started, version)])
    return MappedResult(
        record.source_file, mapped.graph_iri, mapped.content_hash,
        [*mapped.doc_lines, *run_line], mapped.entity_lines,
    )


def _extract_and_map(path: Path) -> MappedResult | InputError:
    """Worker: extract one document and map it to RDF (so the main process only writes).

    A document the readers refuse comes back as their :class:`InputError`; one that breaks
    the extractor or the mapping comes back as an ``InputError`` naming the failure, so one
    document never stops a build.
    """
    from extractors.errors import InputError
    from extractors.pipeline import extract

    try:
        return mapped_result(extract(path), datetime.now(UTC), tool_version())
    except InputError as err:
        return err
    except Exception as err:  # noqa: BLE001 -- reported on the document's line, the build goes on
        return extraction_failed(str(path), err)


def extraction_failed(path: str, err: BaseException) -> InputError:
    """An unexpected error while extracting ``path``, as the one-line error a build reports."""
    from extractors.errors import InputError

    return InputError(path, f"extraction failed ({type(err).__name__}: {str(err)[:200]})")


def mapped_pipeline(paths: list[Path], workers: int) -> Iterator[MappedResult | InputError]:
    """Extract and map in ``workers`` processes, streaming results in input order.

    This is what :func:`build` runs by default; it fits its ``extractor`` argument.
    """
    try:
        from extractors.pipeline import expand_paths
    except ImportError as exc:
        raise PipelineUnavailableError(f"extraction pipeline unavailable: {exc}") from exc
    files = expand_paths(paths)
    if workers <= 1 or len(files) <= 1:
        yield from map(_extract_and_map, files)
        return
    yield from _pooled(files, workers, multiprocessing.get_context("fork" if os.name == "posix" else "spawn"))


def _pooled(files: list[Path], workers: int, context: BaseContext) -> Iterator[MappedResult | InputError]:
    """:func:`_extract_and_map` of each file in a pool of ``workers`` processes, in input order.

    A worker killed from outside (the kernel's OOM killer, ``kill -9``) breaks the pool: the
    documents then in flight are done again, each in a process of its own, so that the one
    whose process dies is reported on its own line and the others are written; a new pool
    takes the rest.
    """
    window = workers * 4  # documents submitted ahead of the one written next
    queued = iter(files)
    pending: deque[tuple[Path, Future[MappedResult | InputError]]] = deque()
    executor = ProcessPoolExecutor(workers, mp_context=context)
    try:
        while True:
            for path in islice(queued, window - len(pending)):
                pending.append((path, executor.submit(_extract_and_map, path)))
            if not pending:
                return
            path, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                executor.shutdown(wait=True, cancel_futures=True)
                again = [path, *(p for p, _ in pending)]
                pending.clear()
                for one in again:
                    yield _alone(one, context)
                executor = ProcessPoolExecutor(workers, mp_context=context)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _alone(path: Path, context: BaseContext) -> MappedResult | InputError:
    """:func:`_extract_and_map` of one file in a process of its own; its death is the file's error."""
    with ProcessPoolExecutor(1, mp_context=context) as executor:
        try:
            return executor.submit(_extract_and_map, path).result()
        except BrokenProcessPool:
            from extractors.errors import InputError

            return InputError(str(path), "extraction failed: its worker process was killed (out of memory?)")


def write_mapped(store: GraphStore, result: MappedResult) -> bool:
    """Write one mapped document atomically; False when the stored content is identical."""
    from kg.store import EndpointStore, OxigraphStore

    if isinstance(store, OxigraphStore | EndpointStore):
        return store.replace_document_nt(
            result.graph_iri, result.doc_lines, result.entity_lines, result.content_hash, result.source_file
        )
    doc, entities = _triples(result.doc_lines), _triples(result.entity_lines)
    return store.replace_document(result.graph_iri, doc, entities, result.content_hash)


def _triples(lines: list[str]) -> list[Triple]:
    """The mapping's lines back to rdflib triples (for a store that takes only those).

    Not rdflib's N-Triples parser: a literal with a line break is written triple-quoted.
    """
    from kg.mapping import lines_to_triples

    return lines_to_triples(lines)


def ingest_record(store: GraphStore, record: DocumentRecord, started: datetime | None = None) -> bool:
    """Map one record and write it atomically; False when the stored content is identical.

    Args:
        store: the graph store.
        record: the extracted document.
        started: time of the extraction run (``prov:startedAtTime``), now by default;
            it is not part of the content hash, so re-ingesting identical content is a no-op.
    """
    return write_mapped(store, mapped_result(record, started or datetime.now(UTC), tool_version()))


def build(
    paths: Iterable[Path], store: GraphStore, workers: int = 1, progress: bool = True,
    extractor: Extractor | None = None, link: bool = True,
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
        link: rebuild the link graphs (places, collectives' members, Wikidata) and the summary
            graph afterwards (:func:`kg.summary.refresh_derived_graphs`), so they always describe
            the documents the store holds.
    """
    path_list = [Path(p) for p in paths]
    report = BuildReport()
    total = _count(path_list) if progress else 0
    # by default workers extract *and* map; an injected extractor yields records mapped here
    results: Iterator[object] = (
        mapped_pipeline(path_list, workers) if extractor is None else extractor(path_list, workers)
    )
    bar = tqdm(results, total=total, unit="doc", disable=not progress or total < 3, file=sys.stderr)
    with _flush_once(store):  # the documents and the link graphs: one flush at the end
        with _batch(store):
            for result in bar:
                _write_one(store, result, report)
        if link and report.written:  # nothing written: the link graphs still describe the store
            from kg.summary import refresh_derived_graphs

            refresh_derived_graphs(store)
    _compact_after_bulk(store, progress)
    return report


def _compact_after_bulk(store: GraphStore, progress: bool) -> None:
    """Compact an on-disk store that this build bulk-loaded into (faster queries afterwards)."""
    from kg.store import OxigraphStore

    if isinstance(store, OxigraphStore) and store.bulk_groups:
        if progress:
            print("compacting the store (about a minute per 10,000 documents)…", file=sys.stderr)
        store.compact()
        store.bulk_groups = 0


def _flush_once(store: GraphStore) -> AbstractContextManager[object]:
    """The store's batch mode (writes flushed once at the end) when it has one."""
    from kg.store import OxigraphStore

    return store.batch() if isinstance(store, OxigraphStore) else nullcontext()


def _batch(store: GraphStore) -> AbstractContextManager[object]:
    """The store's bulk mode (new documents loaded in groups, one flush at the end) when it has one."""
    from kg.store import OxigraphStore

    return store.bulk() if isinstance(store, OxigraphStore) else nullcontext()


def _write_one(store: GraphStore, result: object, report: BuildReport) -> None:
    """Write one extraction result (mapped or not) or report its error."""
    from extractors.errors import InputError

    if isinstance(result, InputError):
        report.failed.append(str(result))
        tqdm.write(f"error: {result}", file=sys.stderr)
        return
    if isinstance(result, MappedResult):
        changed, name = write_mapped(store, result), result.source_file
    else:
        record: DocumentRecord = result  # type: ignore[assignment]
        changed, name = ingest_record(store, record), record.source_file
    (report.written if changed else report.unchanged).append(name)
