"""The embedded store and Virtuoso side by side: write time, size and the same query rows.

``python -m bench.virtuoso_bench --docs 1000`` generates (or reuses) the benchmark corpus,
extracts each document once and writes the mapped result into

- ``embedded``: an on-disk :class:`kg.store.OxigraphStore` in bulk mode, compacted at the end
  (what ``kg build`` does);
- ``virtuoso-update``: a private Virtuoso (:class:`kg.store_virtuoso.LocalVirtuoso`) through
  :class:`kg.store_virtuoso.VirtuosoStore`, one SPARQL Update a document (what
  ``kg build --endpoint`` does);

then loads the embedded store's N-Quads export into a second, fresh Virtuoso with its bulk
loader (``virtuoso-bulk``: the deployment path of the README), and times the same query rows
on the embedded store and on the bulk-loaded Virtuoso: the named questions over many distinct
parameters drawn from the graph (p50/p99, cold runs: no answer cache on either side) and the
general rows of :mod:`bench.query_bench` (p50 of repeated runs). Virtuoso is also timed bare
(the query text POSTed to ``/sparql``) to show what the project's layer adds.

``--from-store STORE`` skips extraction and the per-document Updates and bulk-loads an embedded
store built already (``python -m bench.virtuoso_bench --from-store bench/.work/store-10000
--memory-mb 4096`` for the 10,000-document store of the full run).

Results go to ``bench/results/virtuoso-<docs>.json`` and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.measure import percentile, timed

HERE = Path(__file__).parent
NAMED_SAMPLE = 100  # distinct parameters per named question


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _virtuoso_size(directory: Path) -> int:
    files = (directory / n for n in ("virtuoso.db", "virtuoso.trx"))
    return sum(f.stat().st_size for f in files if f.exists())


def _write_both(corpus: Path, work: Path, workers: int) -> tuple[dict[str, Any], Any]:
    from kg.build import mapped_pipeline, write_mapped
    from kg.store import OxigraphStore
    from kg.store_virtuoso import LocalVirtuoso, VirtuosoStore

    embedded = OxigraphStore(work / "embedded")
    server = LocalVirtuoso(work / "virtuoso-update", memory_mb=512).start()
    remote = VirtuosoStore(server.url, timeout=600)
    spent = {"embedded": 0.0, "virtuoso-update": 0.0}
    docs = failed = 0
    started = time.perf_counter()
    with embedded.bulk():
        for result in mapped_pipeline([corpus], workers):
            if isinstance(result, Exception):
                failed += 1
                continue
            for name, store in (("embedded", embedded), ("virtuoso-update", remote)):
                t = time.perf_counter()
                write_mapped(store, result)
                spent[name] += time.perf_counter() - t
            docs += 1
        t = time.perf_counter()
    spent["embedded"] += time.perf_counter() - t  # the last bulk group
    t = time.perf_counter()
    embedded.compact()
    spent["embedded"] += time.perf_counter() - t
    t = time.perf_counter()
    server.isql("checkpoint")
    spent["virtuoso-update"] += time.perf_counter() - t
    build = {
        "documents": docs, "failed": failed, "total_s": round(time.perf_counter() - started, 1),
        "write_s": {k: round(v, 2) for k, v in spent.items()},
        "write_ms_per_doc": {k: round(v * 1000 / max(docs, 1), 2) for k, v in spent.items()},
        "bytes": {"embedded": _du(work / "embedded"), "virtuoso-update": _virtuoso_size(server.directory)},
    }
    remote.close()
    server.stop()
    return build, embedded


def _bulk(embedded: Any, work: Path, memory_mb: int = 512) -> tuple[dict[str, Any], Any]:
    from kg.store_virtuoso import LocalVirtuoso

    dump = work / "graph.nq"
    t = time.perf_counter()
    embedded.dump(dump)
    export_s = time.perf_counter() - t
    server = LocalVirtuoso(work / "virtuoso-bulk", memory_mb=memory_mb).start()
    t = time.perf_counter()
    server.bulk_load(dump)
    load_s = time.perf_counter() - t
    info = {"export_s": round(export_s, 2), "load_s": round(load_s, 2), "nquads_bytes": dump.stat().st_size,
            "bytes": _virtuoso_size(server.directory)}
    dump.unlink()
    return info, server


def _labels(store: Any, kind: str, limit: int) -> list[str]:
    rows = store.select(
        "SELECT DISTINCT ?l WHERE { ?e a <https://w3id.org/zwgk/ontology#" + kind + "> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
    )
    labels = [str(r["l"]) for r in rows]
    step = max(1, len(labels) // limit)  # spread over the alphabet: common and rare alike
    return labels[::step][:limit]


def _named_rows(embedded: Any, remote: Any) -> dict[str, Any]:
    from kg.queries import run_named

    files = [str(r["f"]) for r in embedded.select(
        "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f")]
    cases = {
        "agencies-for-mechanism": [{"mechanism": m} for m in _labels(embedded, "Mechanism", NAMED_SAMPLE)],
        "agency-obligations": [{"agency": a} for a in _labels(embedded, "Agency", NAMED_SAMPLE)],
        "document-diff": [{"before": a, "after": b}
                          for a, b in zip(files[::2], files[1::2], strict=False)][:NAMED_SAMPLE],
    }
    out: dict[str, Any] = {}
    for name, params in cases.items():
        row = _compare(embedded, remote, name, params, lambda store, n, p: run_named(store, n, p))
        out[name] = row
    return out


def _paged_rows(embedded: Any, remote: Any) -> dict[str, Any]:
    """First pages and totals (kg.paging): the embedded store with its replica, as the API has it;
    Virtuoso through SPARQL, as ``kg serve --endpoint`` does."""
    from kg.paging import run_page

    embedded.generation = 0  # read-only: one replica for the run
    files = [str(r["f"]) for r in embedded.select(
        "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f")]
    cases = {
        "agencies-for-mechanism": [{"mechanism": m} for m in _labels(embedded, "Mechanism", NAMED_SAMPLE)],
        "mechanism-agencies": [{"mechanism": m} for m in _labels(embedded, "Mechanism", NAMED_SAMPLE)],
        "agency-obligations": [{"agency": a} for a in _labels(embedded, "Agency", NAMED_SAMPLE)],
        "document-diff": [{"before": a, "after": b}
                          for a, b in zip(files[::2], files[1::2], strict=False)][:NAMED_SAMPLE],
    }

    def page(store: Any, name: str, params: dict[str, str]) -> list[dict[str, object]]:
        answer = run_page(store, name, params, 20)
        return [*answer.rows, {"total": answer.total}]

    return {name: _compare(embedded, remote, name, params, page) for name, params in cases.items()}


def _compare(embedded: Any, remote: Any, name: str, params: list[dict[str, str]],
             ask: Callable[[Any, str, dict[str, str]], list[dict[str, object]]]) -> dict[str, Any]:
    row: dict[str, Any] = {"parameters": len(params)}
    for engine, store in (("embedded", embedded), ("virtuoso", remote)):
        samples, mismatches = [], 0
        for p in params:
            t = time.perf_counter()
            rows = ask(store, name, p)
            samples.append((time.perf_counter() - t) * 1000)
            if engine == "virtuoso":
                mismatches += _canon(rows) != _canon(ask(embedded, name, p))
        row[engine] = {f"p{q}_ms": round(percentile(samples, q), 2) for q in (50, 99)}
        if engine == "virtuoso":
            row["answers_differ"] = mismatches
    return row


def _canon(rows: list[dict[str, object]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False, default=str) for r in rows)


def _through(store: Any, text: str, accept: str, construct: bool) -> Callable[[], object]:
    """The query through the project's store: ``query_raw`` for a CONSTRUCT, ``select`` otherwise."""
    if construct:
        return lambda: store.query_raw(text, accept)
    return lambda: store.select(text)


def _general_rows(embedded: Any, remote: Any, url: str) -> dict[str, Any]:
    from bench.query_bench import GENERAL, pick_parameters, query_texts

    files = [str(r["f"]) for r in embedded.select(
        "SELECT ?f WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f } ORDER BY ?f LIMIT 2")]
    texts = query_texts(pick_parameters(embedded, files))
    client = httpx.Client(timeout=600)

    def bare(text: str, accept: str) -> Callable[[], object]:
        return lambda: client.post(url, data={"query": text}, headers={"Accept": accept}).content

    out: dict[str, Any] = {}
    for name in GENERAL:
        text = texts[name]
        construct = "CONSTRUCT" in text
        accept = "application/n-triples" if construct else "application/sparql-results+json"
        runners: dict[str, Callable[[], object]] = {
            "embedded": _through(embedded, text, accept, construct),
            "virtuoso": _through(remote, text, accept, construct),
            "virtuoso-bare": bare(text, accept),
        }
        out[name] = {engine: timed(fn, repeat=10, warmup=1) for engine, fn in runners.items()}
    return out


def run(docs: int, workers: int, work: Path, corpus_dir: Path, from_store: Path | None = None,
        memory_mb: int = 512) -> dict[str, Any]:
    """Build, load and query at ``docs`` documents; the results as a dict.

    With ``from_store`` the embedded store is that one (built by ``python -m bench``): nothing is
    extracted or written through SPARQL Update, only the bulk load and the query rows run.
    """
    from bench.corpus import write_corpus
    from kg.store import OxigraphStore
    from kg.store_virtuoso import VirtuosoStore

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if from_store is not None:
        embedded = OxigraphStore.read_only(from_store)
        count = embedded.select(
            "SELECT (COUNT(*) AS ?n) WHERE { ?d <https://w3id.org/zwgk/ontology#sourceFile> ?f }")
        docs = int(str(count[0]["n"]))
        build: dict[str, Any] = {"documents": docs, "from_store": str(from_store),
                                 "bytes": {"embedded": _du(from_store)}}
    else:
        corpus = corpus_dir / f"virtuoso-{docs}"
        if len(list(corpus.glob("*.txt"))) != docs:
            shutil.rmtree(corpus, ignore_errors=True)
            write_corpus(corpus, docs)
        build, embedded = _write_both(corpus, work, workers)
    bulk, server = _bulk(embedded, work, memory_mb)
    try:
        remote = VirtuosoStore(server.url, timeout=600)
        quads = embedded.stats()["triples"]
        assert remote.stats()["triples"] == quads, "the bulk-loaded Virtuoso holds other quads"
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "documents": docs, "quads": quads,
            "build": build, "bulk_load": bulk,
            "named": _named_rows(embedded, remote), "paged": _paged_rows(embedded, remote),
            "general": _general_rows(embedded, remote, server.url),
        }
    finally:
        server.stop()
    return result


def table(result: dict[str, Any]) -> str:
    """The results as Markdown."""
    b, bulk = result["build"], result["bulk_load"]
    lines = [
        f"{result['documents']} documents, {result['quads']:,} quads",
        "",
        "| write path | ms per document | store size |",
        "|---|---|---|",
        f"| embedded (bulk groups + compaction) | {b.get('write_ms_per_doc', {}).get('embedded', '—')} | "
        f"{b['bytes']['embedded'] / 2**20:.0f} MiB |",
        "| Virtuoso, SPARQL Update per document | "
        f"{b.get('write_ms_per_doc', {}).get('virtuoso-update', '—')} | "
        f"{b['bytes'].get('virtuoso-update', 0) / 2**20:.0f} MiB |",
        f"| Virtuoso bulk loader (export {bulk['export_s']} s + load {bulk['load_s']} s) | "
        f"{(bulk['export_s'] + bulk['load_s']) * 1000 / result['documents']:.2f} | "
        f"{bulk['bytes'] / 2**20:.0f} MiB |",
        "",
        "| named question (distinct parameters) | embedded p50 / p99 ms | Virtuoso p50 / p99 ms "
        "| answers differ |",
        "|---|---|---|---|",
    ]
    for name, row in result["named"].items():
        e, v = row["embedded"], row["virtuoso"]
        lines.append(f"| {name} ({row['parameters']}) | {e['p50_ms']} / {e['p99_ms']} | "
                     f"{v['p50_ms']} / {v['p99_ms']} | {row['answers_differ']} |")
    lines += ["", "| first page of 20 and total (distinct parameters) | embedded (replica) p50 / p99 ms "
              "| Virtuoso (SPARQL) p50 / p99 ms | answers differ |", "|---|---|---|---|"]
    for name, row in result.get("paged", {}).items():
        e, v = row["embedded"], row["virtuoso"]
        lines.append(f"| {name} ({row['parameters']}) | {e['p50_ms']} / {e['p99_ms']} | "
                     f"{v['p50_ms']} / {v['p99_ms']} | {row['answers_differ']} |")
    lines += ["", "| query (p50 ms) | embedded | Virtuoso via VirtuosoStore | Virtuoso bare |",
              "|---|---|---|---|"]
    for name, row in result["general"].items():
        lines.append(f"| {name} | {row['embedded']['p50_ms']} | {row['virtuoso']['p50_ms']} | "
                     f"{row['virtuoso-bare']['p50_ms']} |")
    return "\n".join(lines)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "virtuoso")
    parser.add_argument("--corpus", type=Path, default=HERE / ".corpus")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--from-store", type=Path, help="an embedded store built already (no extraction)")
    parser.add_argument("--sample", type=int, default=100, help="distinct parameters per named question")
    parser.add_argument("--memory-mb", type=int, default=512,
                        help="Virtuoso's buffers for the bulk-loaded server")
    args = parser.parse_args()
    global NAMED_SAMPLE  # one setting for the row builders of this run
    NAMED_SAMPLE = args.sample
    result = run(args.docs, args.workers, args.work, args.corpus, args.from_store, args.memory_mb)
    out = args.results / f"virtuoso-{result['documents']}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
