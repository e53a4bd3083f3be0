"""Every named question over many distinct parameters, uncached (issue #19).

An analyst's next question is usually new: the answer cache does not help it. This row runs
each named question (``ontology/queries``) through :func:`kg.queries.run_named` on a read-only
store, once per parameter, over up to ``--per-question`` distinct parameters drawn from the
graph (every mechanism and platform name in use, agencies spread from the busiest to the
rarest, random document pairs, two-character texts of entity names), and reports p50 / p90 /
p99 / max latency and the answer sizes. Nothing is cached between runs: the store has no
answer cache and every parameter is asked once.

Each answer is its first page (``PAGE`` rows) with the total, as the API's ``?limit=`` routes give
it (:func:`kg.paging.run_page`, with the in-memory replica of the summary graph loaded once and
timed); ``--whole`` times whole answers instead.

``--queries DIR`` runs the ``.rq`` files of another directory (e.g. those of an earlier
commit, ``git archive``d) to measure before and after on the same machine::

    python -m bench.named_bench STORE [--queries DIR] [--per-question 200] [--out FILE]

It also times the GROUP BY over all obligations in its plain form and in its summary form
(:data:`GROUP_BY_FAST`), on rdflib too with ``--rdflib DUMP.nq`` (same run), and counts quads per
part of the model (:func:`model_parts`).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.measure import emit, percentile, progress

P = """PREFIX zwgk: <https://w3id.org/zwgk/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# names in use, from the plain graph (so the picks are the same with or without summary edges)
PICKS = {
    "mechanism": P + """SELECT ?name (COUNT(?item) AS ?n) WHERE {
  ?item zwgk:concernsMechanism ?m . ?m rdfs:label|skos:altLabel ?name }
GROUP BY ?name ORDER BY DESC(?n) ?name""",
    "platform": P + """SELECT ?name (COUNT(?item) AS ?n) WHERE {
  ?item zwgk:usesPlatform ?m . ?m rdfs:label|skos:altLabel ?name }
GROUP BY ?name ORDER BY DESC(?n) ?name""",
    "agency": P + """SELECT ?name (COUNT(?item) AS ?n) WHERE {
  ?item a zwgk:Item ; zwgk:responsibleAgency ?a . ?a rdfs:label ?name }
GROUP BY ?name ORDER BY DESC(?n) ?name""",
    "file": P + "SELECT ?name WHERE { ?d zwgk:sourceFile ?name } ORDER BY ?name",
    "label": P + """SELECT DISTINCT ?name WHERE { ?e a zwgk:Mechanism ; rdfs:label ?name }""",
}
PAGE = 20  # rows of a first page (the API's ?limit=20)
GROUP_BY_PLAIN = P + """SELECT ?agency (COUNT(?ob) AS ?n) WHERE {
  ?ob a zwgk:Obligation ; zwgk:responsibleAgency ?agency .
}
GROUP BY ?agency ORDER BY DESC(?n) LIMIT 20"""
GROUP_BY_FAST = P + """SELECT ?agency (SUM(?c) AS ?n) WHERE {
  ?edge zwgk:obligationCount ?c ; zwgk:edgeAgency ?agency .
}
GROUP BY ?agency ORDER BY DESC(?n) LIMIT 20"""
# quads per part of the model: (part, predicate IRIs or a class whose nodes' triples are counted)
Z = "https://w3id.org/zwgk/ontology#"
PARTS_BY_CLASS = ("Document", "Item", "Obligation", "Mention", "Evidence", "Frequency", "RelativeDeadline",
                  "ExtractionRun")
SUMMARY_PREDICATES = ("edgeAgency", "edgeDocument", "itemCount", "obligationCount", "edgeMechanism",
                      "edgePlatform")


def spread(values: list[str], n: int) -> list[str]:
    """Up to ``n`` values evenly spaced over a list ranked by use (busiest, typical and rarest)."""
    if len(values) <= n:
        return values
    step = len(values) / n
    return [values[int(i * step)] for i in range(n)]


def parameters(store: Any, n: int, seed: int = 19) -> dict[str, list[dict[str, str]]]:
    """Up to ``n`` distinct parameters per named question, drawn from the graph."""
    names = {k: [str(r["name"]) for r in store.select(q)] for k, q in PICKS.items()}
    rng = random.Random(seed)
    files = names["file"]
    pairs: set[tuple[str, str]] = set()
    while len(files) > 1 and len(pairs) < min(n, len(files) * (len(files) - 1)):
        a, b = rng.sample(files, 2)
        pairs.add((a, b))
    texts = sorted({name[i : i + 2] for name in names["label"] for i in range(len(name) - 1)})
    rng.shuffle(texts)
    return {
        "agencies-for-mechanism": [{"mechanism": m} for m in spread(names["mechanism"], n)],
        "agencies-for-platform": [{"platform": m} for m in spread(names["platform"], n)],
        "mechanism-agencies": [{"mechanism": m} for m in spread(names["mechanism"], n)],
        "platform-agencies": [{"platform": m} for m in spread(names["platform"], n)],
        "agency-obligations": [{"agency": a} for a in spread(names["agency"], n)],
        "document-diff": [{"before": a, "after": b} for a, b in sorted(pairs)],
        "search-entities": [{"text": t} for t in texts[:n]],
        "mechanisms-by-document": [{"sourceFile": f} for f in rng.sample(files, min(n, len(files)))],
    }


def _ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return (time.perf_counter() - start) * 1000, out


def stats(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(times, 50), 2),
        "p90_ms": round(percentile(times, 90), 2),
        "p99_ms": round(percentile(times, 99), 2),
        "max_ms": round(max(times), 2),
    }


def time_named(
    store: Any, params: dict[str, list[dict[str, str]]], budget_s: float = 120.0, page: int | None = PAGE
) -> dict[str, Any]:
    """Each named question once per parameter: latency and answer sizes.

    With ``page`` each answer is its first page and its total (:func:`kg.paging.run_page`, what
    the API's ``?limit=`` routes run); with None the whole answer (:func:`kg.queries.run_named`).
    A question stops taking new parameters after ``budget_s`` seconds (the count says how many ran).
    """
    from kg.paging import run_page
    from kg.queries import list_queries, run_named

    out: dict[str, Any] = {}
    known = {q.name for q in list_queries()}
    for name, values in params.items():
        if name not in known:  # a question of a later commit, run against earlier .rq files
            continue
        times, sizes, totals = [], [], []
        start = time.perf_counter()
        for value in values:
            if time.perf_counter() - start > budget_s:
                break
            if page is None:
                ms, rows = _ms(partial(run_named, store, name, value))
                totals.append(len(rows))  # type: ignore[arg-type]
            else:
                ms, answer = _ms(partial(run_page, store, name, value, page))
                rows = answer.rows  # type: ignore[attr-defined]
                totals.append(answer.total)  # type: ignore[attr-defined]
            times.append(ms)
            sizes.append(len(rows))  # type: ignore[arg-type]
        out[name] = {"parameters": len(times), **stats(times),
                     "rows_mean": round(sum(sizes) / len(sizes), 1), "rows_max": max(sizes),
                     "total_mean": round(sum(totals) / len(totals), 1), "total_max": max(totals)}
        progress(f"{name}: {out[name]}")
    return out


def load_replica(store: Any) -> dict[str, Any]:
    """Load the in-memory replica of the summary graph once (as the API does after a write), timed."""
    from kg.summary_index import summary_index

    store.generation = 0  # a read-only store never changes: one replica serves the whole run
    start = time.perf_counter()
    index = summary_index(store)
    ms = (time.perf_counter() - start) * 1000
    if index is None:
        return {"load_ms": round(ms, 1), "error": "no replica"}
    return {"load_ms": round(ms, 1), "terms": len(index.by_term),
            "tallies": sum(len(v) for v in index.by_term.values()), "names": len(index.names)}


def model_parts(store: Any) -> dict[str, int]:
    """Quads per part of the model: the triples whose subject is a node of each class, and the rest."""
    parts: dict[str, int] = {}
    for cls in PARTS_BY_CLASS:
        q = P + f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a zwgk:{cls} . GRAPH ?g {{ ?s ?p ?o }} }}"
        parts[cls] = int(str(store.select(q)[0]["n"]))
    for pred in SUMMARY_PREDICATES:
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{Z}{pred}> ?o }} }}"
        parts[f"summary: {pred}"] = int(str(store.select(q)[0]["n"]))
    from kg.summary import SUMMARY_GRAPH

    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?s ?p ?o }} }}"
    parts["summary graph (tallies, counts)"] = int(str(store.select(q)[0]["n"]))
    total = int(str(store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]))
    parts["other (entities, links, ontology, schemes)"] = total - sum(parts.values())
    parts["total"] = total
    return parts


def time_group_by(store: Any, repeat: int = 5) -> dict[str, Any]:
    out: dict[str, Any] = {}
    plain = [_ms(lambda: store.select(GROUP_BY_PLAIN)) for _ in range(repeat)]
    out["plain"] = stats([t for t, _ in plain])
    try:
        fast = [_ms(lambda: store.select(GROUP_BY_FAST)) for _ in range(repeat)]
        out["summary"] = stats([t for t, _ in fast])
        out["same_answer"] = _top(plain[0][1]) == _top(fast[0][1])
    except Exception as exc:  # noqa: BLE001 - a store without summary edges: reported, not fatal
        out["summary"] = {"error": str(exc)}
    return out


def time_group_by_rdflib(store: Any, dump: Path, repeat: int = 5) -> dict[str, Any]:
    """Both GROUP BY forms on rdflib's in-memory ``Dataset`` parsed from the store's N-Quads dump."""
    from rdflib import Dataset

    if not dump.exists():
        store.dump(dump)
    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    out: dict[str, Any] = {"parse_s": round(time.perf_counter() - start, 1)}
    for name, query in (("plain", GROUP_BY_PLAIN), ("summary", GROUP_BY_FAST)):
        out[name] = stats([_ms(partial(lambda q: list(dataset.query(q)), query))[0] for _ in range(repeat)])
    return out


def _top(rows: object) -> list[tuple[str, int]]:
    return sorted((str(r["agency"]), int(str(r["n"]))) for r in rows)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.named_bench", description=__doc__)
    parser.add_argument("store", type=Path)
    parser.add_argument("--queries", type=Path, help="a directory of .rq files instead of ontology/queries")
    parser.add_argument("--per-question", type=int, default=200)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--budget-s", type=float, default=120.0, help="seconds per question at most")
    parser.add_argument("--only", help="comma-separated named questions (default: all)")
    parser.add_argument("--rdflib", type=Path, metavar="DUMP",
                        help="also time the GROUP BY on rdflib, from this N-Quads dump (written if absent)")
    parser.add_argument("--no-parts", action="store_true", help="skip the quads-per-part count")
    parser.add_argument("--whole", action="store_true",
                        help="time whole answers (run_named), not first pages with totals (run_page)")
    args = parser.parse_args(argv)
    import kg.queries
    from kg.store import OxigraphStore

    if args.queries is not None:
        kg.queries.queries_dir = lambda: args.queries  # type: ignore[attr-defined]
    store = OxigraphStore.read_only(args.store)
    replica = None if args.whole else load_replica(store)
    params = parameters(store, args.per_question)
    if args.only:
        params = {k: v for k, v in params.items() if k in args.only.split(",")}
    result: dict[str, Any] = {
        "store": str(args.store),
        "queries": str(args.queries or "ontology/queries"),
        "page": None if args.whole else PAGE,
        "replica": replica,
        "named": time_named(store, params, args.budget_s, None if args.whole else PAGE),
        "group_by": time_group_by(store),
    }
    if args.rdflib is not None:
        result["group_by_rdflib"] = time_group_by_rdflib(store, args.rdflib)
    if not args.no_parts:
        result["quads_by_part"] = model_parts(store)
        documents = store.select(P + "SELECT (COUNT(*) AS ?n) WHERE { ?d a zwgk:Document }")
        result["documents"] = int(str(documents[0]["n"]))
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8")
    emit(result)


if __name__ == "__main__":
    main()
