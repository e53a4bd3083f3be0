"""The ``kg`` command line: build, parse, query, export, validate, stats, remove, serve, link.

Every command takes ``--store DIR`` (an embedded Oxigraph store, by default in
the user data directory) or ``--endpoint URL`` (a SPARQL 1.1 server). User
errors print one line on stderr and exit with status 1 (bad input or store)
or 2 (bad usage).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from kg.settings import default_store_dir
from kg.store import GraphStore, OxigraphStore, QueryError, StoreError, open_store

__all__ = ["app"]

T = TypeVar("T")

app = typer.Typer(help="Knowledge graphs of government-transparency documents.", no_args_is_help=True,
                  pretty_exceptions_enable=False)

_STORE_HELP = "Store directory (default: $ZWGK_STORE_DIR, else ./.zwgk/store if present, else user data dir)."
StoreOpt = Annotated[Path | None, typer.Option("--store", help=_STORE_HELP)]
EndpointOpt = Annotated[str | None, typer.Option("--endpoint", help="SPARQL query URL of a server.")]


class Format(StrEnum):
    """Output formats of ``kg query``."""

    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr and exit."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened(store_dir: Path | None, endpoint: str | None, read_only: bool = False) -> Iterator[GraphStore]:
    """Open the store for a command, turning store errors into one-line messages.

    Read-only commands open an on-disk store read-only, so they work beside a running
    ``kg serve`` or build, and say so on stderr when the store is empty.
    """
    try:
        if read_only and not endpoint:
            store = _open_for_reading(store_dir or default_store_dir())
        else:
            store = open_store(None if endpoint else (store_dir or default_store_dir()), endpoint)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield store
    except (StoreError, QueryError) as exc:
        fail(str(exc))
    finally:
        store.close()


def _open_for_reading(path: Path) -> GraphStore:
    if not (path / "CURRENT").is_file():
        fail(f"{path}: no store here; build one with `kg build DOCS --store {path}`")
    store = OxigraphStore.read_only(path)
    if len(store) == 0:
        typer.echo(f"note: the store at {path} is empty; build it with `kg build`", err=True)
    return store


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of documents.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Also export to this file.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Extraction processes.")] = 1,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Then rebuild the link graphs.")] = True,
) -> None:
    """Extract documents and write them to the store, then link it (and optionally export it)."""
    from kg.build import PipelineUnavailableError
    from kg.build import build as run_build
    from kg.export import save_rdf

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"{missing[0]}: no such file or directory")
    with opened(store, endpoint) as graph_store:
        try:
            report = run_build(paths, graph_store, workers=workers, progress=True, link=link)
        except PipelineUnavailableError as exc:
            fail(str(exc))
        typer.echo(f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
                   f"{len(report.failed)} failed", err=True)
        if output is not None:
            save_rdf(graph_store, output)
            typer.echo(f"exported to {output}", err=True)
    if not report.ok:
        raise typer.Exit(1)


def _jsonable(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_jsonable(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="One document.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole record as JSON.")] = False,
    html_out: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write the document as an HTML page (displaCy) with its agencies, platforms, "
            "mechanisms and deadlines highlighted; hover a name for its canonical form.",
        ),
    ] = None,
) -> None:
    """Extract one document and print its record (no store involved)."""
    from extractors.errors import InputError

    try:
        from extractors.pipeline import extract_doc
    except ImportError as exc:
        fail(f"extraction pipeline unavailable: {exc}")
    try:
        record, doc = extract_doc(file)
    except InputError as exc:
        fail(str(exc))
    if html_out is not None:
        from extractors.display import render_document

        page = render_document(doc, record.metadata.title or record.source_file)
        html_out.write_text(page, encoding="utf-8")
        typer.echo(f"wrote {html_out}", err=True)
    if as_json:
        typer.echo(json.dumps(_jsonable(record), ensure_ascii=False, indent=1))
        return
    md = record.metadata
    typer.echo(f"{record.source_file}: {md.title or '(no title)'} {md.doc_number or ''} year={md.year}")
    typer.echo(f"  {len(record.items)} items, {len(record.entities)} entities, "
               f"{sum(len(i.obligations) for i in record.items)} obligations")


def _print_rows(rows: list[dict[str, object]], fmt: Format) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    if fmt is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    typer.echo("\t".join(columns))
    for row in rows:
        typer.echo("\t".join(str(row.get(c, "")) for c in columns))
    typer.echo(f"({len(rows)} rows)", err=True)


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            fail(f"--param {pair!r}: expected NAME=VALUE", 2)
        out[key.strip()] = value
    return out


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL SELECT/ASK query.")] = None,
    named: Annotated[str | None, typer.Option("--named", help="Run a named query.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE for --named.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=1, help="With --named: a page of this many rows, and the total.")] = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="With --limit: rows to skip.")] = 0,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Run a SPARQL query, or a named query with parameters (a page of it with --limit)."""
    from kg.paging import run_page
    from kg.queries import QueryParamError, list_queries, load_query, run_named
    from kg.sparql_guard import GuardError, check_query

    if list_:
        for q in list_queries():
            params = ", ".join(f"{k}:{v}" for k, v in q.params.items())
            typer.echo(f"{q.name}({params})  {q.summary}")
        return
    if (sparql is None) == (named is None):
        fail("give either a SPARQL query or --named NAME", 2)
    try:  # checked before the store is opened; what runs is the text that was checked
        text = None if sparql is None else check_query(sparql).text
    except GuardError as exc:
        fail(str(exc))
    with opened(store, endpoint, read_only=True) as graph_store:
        try:
            if named is not None and limit is not None:
                load_query(named)
                page = _run(endpoint, run_page, graph_store, named, _params(param or []), limit, offset)
                rows = page.rows
                typer.echo(f"rows {offset + 1 if rows else 0}–{offset + len(rows)} of {page.total}", err=True)
            elif named is not None:
                load_query(named)
                rows = _run(endpoint, run_named, graph_store, named, _params(param or []))
            else:
                rows = _run(endpoint, graph_store.select, text or "")
        except QueryParamError as exc:
            fail(str(exc), 2)
        except GuardError as exc:
            fail(str(exc))
        _print_rows(rows, fmt)


def _run(endpoint: str | None, function: Callable[..., T], *args: object) -> T:
    """Run a query on an embedded store in a thread without network (kg.sandbox); an endpoint needs it."""
    from kg.sandbox import offline

    return function(*args) if endpoint else offline(function, *args)


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File: .ttl .trig .nq .nt .jsonld")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Export the whole store to a file (format by extension)."""
    from kg.export import save_rdf

    with opened(store, endpoint, read_only=True) as graph_store:
        save_rdf(graph_store, output)
    typer.echo(f"exported to {output}", err=True)


@app.command()
def validate(store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
    """Validate the store against the SHACL shapes; exit 1 when it does not conform."""
    from kg.validate import validate as run_validate

    with opened(store, endpoint, read_only=True) as graph_store:
        conforms, text = run_validate(graph_store)
    typer.echo(text)
    if not conforms:
        raise typer.Exit(1)


@app.command()
def stats(store: StoreOpt = None, endpoint: EndpointOpt = None) -> None:
    """Print counts of triples, documents and entities, and where the store is."""
    location = endpoint or str(store or default_store_dir())
    with opened(store, endpoint, read_only=True) as graph_store:
        counts = graph_store.stats()
    typer.echo(f"store: {location}")
    for key, value in counts.items():
        typer.echo(f"{key}: {value}")


@app.command()
def remove(
    doc: Annotated[str, typer.Argument(help="Source file name or document IRI.")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
) -> None:
    """Remove one document's graph."""
    from kg.summary import refresh_derived_graphs

    with opened(store, endpoint) as graph_store:
        removed = graph_store.remove_document(doc)
        if removed:
            refresh_derived_graphs(graph_store)  # the link and summary graphs describe what remains
    if not removed:
        fail(f"{doc}: no such document in the store")
    typer.echo(f"removed {doc}", err=True)


@app.command()
def serve(
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
) -> None:
    """Serve the graph over HTTP (SPARQL endpoint, API, pages), from the store or a SPARQL server."""
    try:
        from api.main import serve as run_serve
    except ImportError as exc:
        fail(f"the web service is not available ({exc})")
    if store is not None and endpoint is not None:
        fail("give either --store or --endpoint", 2)
    if endpoint is not None:
        run_serve(None, host=host, port=port, endpoint=endpoint)
        return
    run_serve(store or default_store_dir(), host=host, port=port)


def _register_link() -> None:
    try:
        from kg.link import app as link_app
    except ImportError as exc:
        print(f"warning: kg link unavailable ({exc})", file=sys.stderr)
        return
    app.add_typer(link_app, name="link")


_register_link()
