"""Targets met or not, and the Markdown summary of a results dictionary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

Target = dict[str, Any]


def _pipeline(results: dict[str, Any], workers: int, largest: bool) -> dict[str, Any] | None:
    runs: list[dict[str, Any]] = [
        r
        for r in results.get("build", {}).get("pipeline", [])
        if "skipped" not in r and r.get("workers") == workers
    ]
    if not runs:
        return None
    runs.sort(key=lambda r: int(r["documents"]))
    return runs[-1] if largest else runs[0]


def _target(name: str, goal: str, measured: str | None, met: bool | None) -> Target:
    return {"target": name, "goal": goal, "measured": measured or "not measured", "met": met}


def _steady_ms(run: dict[str, Any]) -> float:
    """Milliseconds per document after start-up (models loaded), else over the whole run."""
    rate = run.get("steady_docs_per_s")
    return round(1000 / rate, 1) if rate else float(run["ms_per_doc"])


def _build_targets(results: dict[str, Any]) -> list[Target]:
    out = []
    pku = results.get("build", {}).get("baselines", {}).get("pkuseg", {})
    one = _pipeline(results, 1, largest=False)
    if one and pku.get("chars_per_s"):
        # pkuseg's rate excludes its model loading, so the pipeline's is taken after start-up too
        rate = one.get("steady_chars_per_s") or one["chars_per_s"]
        ratio = rate / pku["chars_per_s"]
        text = (
            f"{ratio:.0%} ({rate:,} vs {pku['chars_per_s']:,} chars/s after start-up, "
            f"{one['documents']:,} docs, 1 worker; {one['chars_per_s']:,} chars/s with start-up)"
        )
        out.append(_target("build speed", "pipeline ≥ 75% of raw pkuseg", text, ratio >= 0.75))
    else:
        out.append(_target("build speed", "pipeline ≥ 75% of raw pkuseg", None, None))
    small, large = _pipeline(results, 2, largest=False), _pipeline(results, 2, largest=True)
    if small and large and small is not large:
        per_doc = [_steady_ms(p) for p in (small, large)]
        growth = per_doc[1] / per_doc[0] - 1
        one_run = " (one run: its first documents, then all)" if small.get("prefix_of") else ""
        text = (
            f"{per_doc[0]} → {per_doc[1]} ms/doc after start-up ({growth:+.0%}), "
            f"{small['documents']:,} → {large['documents']:,} docs, 2 workers{one_run}"
        )
        out.append(_target("linear scaling", "time per document within 20%", text, abs(growth) <= 0.20))
        w_small, w_large = max(small["worker_peaks_mb"], default=0), max(large["worker_peaks_mb"], default=0)
        m_small, m_large = small["main_peak_mb"], large["main_peak_mb"]
        flat = w_large <= 1.15 * w_small + 20 and m_large <= 1.15 * m_small + 20
        text = f"worker peak {w_small} → {w_large} MB, main {m_small} → {m_large} MB"
        if small.get("prefix_of"):
            text += f" (peaks up to the {small['documents']:,}th document and over the run)"
        out.append(_target("flat memory", "peak RSS within 15% from small to large", text, flat))
    else:
        out.append(_target("linear scaling", "time per document within 20%", None, None))
    return out


def _query_targets(results: dict[str, Any]) -> list[Target]:
    speed = results.get("queries", {}).get("speedup_vs_rdflib", {})
    goal = "GROUP BY ≥ 20× faster than rdflib through the project's layers"
    layers = {k: v.get("group-by-obligations") for k, v in speed.items() if v.get("group-by-obligations")}
    if not layers:
        return [_target("aggregate advantage", goal, None, None)]
    text = ", ".join(f"{k} {v}×" for k, v in layers.items())
    return [_target("aggregate advantage", goal, text, all(v >= 20 for v in layers.values()))]


def _load_targets(results: dict[str, Any]) -> list[Target]:
    scenarios = results.get("load", {}).get("scenarios", [])
    out = []
    goal = "named question ≥ 500 req/s at p99 ≤ 50 ms"
    paced = [s for s in scenarios if s["scenario"].startswith("named @")]
    named = [s for s in scenarios if s["scenario"] == "named"]
    if paced or named:
        text = "; ".join(
            f"{s['scenario']}, {s['query_workers']} worker(s): {s['requests_per_s']:.0f} req/s, "
            f"p99 {s.get('p99_ms', '?')} ms"
            for s in [*paced, *named]
        )
        # the target is a latency at a load: judged on the paced runs (offered ~500 req/s), not at
        # saturation, where wrk's connections queue by design
        judged = paced or named
        ok = all(s["requests_per_s"] >= 500 and s.get("p99_ms", 1e9) <= 50 for s in judged)
        out.append(_target("API throughput", goal, text, ok))
    else:
        out.append(_target("API throughput", goal, None, None))
    runaway = [s for s in scenarios if s["scenario"] == "mix+runaway"]
    goal = "no error and p99 ≤ 1 s for the mix while a runaway client runs"
    if runaway:
        ok = all(
            s["non_2xx"] == 0 and s["socket_errors"] == 0 and s.get("p99_ms", 1e9) <= 1000 for s in runaway
        )
        text = "; ".join(
            f"{s['query_workers']} worker(s): {s['requests_per_s']:.0f} req/s, p99 "
            f"{s.get('p99_ms', '?')} ms, {s['non_2xx'] + s['socket_errors']} errors, runaway answered "
            f"{s['runaway']['status_codes']}"
            for s in runaway
        )
        out.append(_target("load robustness", goal, text, ok))
    else:
        out.append(_target("load robustness", goal, None, None))
    return out


def _other_targets(results: dict[str, Any]) -> list[Target]:
    out = []
    cold = results.get("cold_start", {})
    if "median_s" in cold:
        libs = cold["nlp_libraries_mapped"]
        text = f"{cold['median_s']} s to first answer; NLP libraries mapped: {', '.join(libs) or 'none'}"
        out.append(_target("cold start", "API loads no NLP model", text, not libs))
    else:
        out.append(_target("cold start", "API loads no NLP model", None, None))
    if results.get("label") == "full":
        elapsed = results.get("suite_elapsed_s") or results.get("elapsed_s", 0)
        out.append(_target("suite time", "≤ 30 min", f"{elapsed / 60:.1f} min", elapsed <= 1800))
    return out


def _fresh_targets(results: dict[str, Any]) -> list[Target]:
    """Issue #19: answers to questions never asked before (no answer cache)."""
    out = []
    named = results.get("named_uncached", {}).get("named")
    goal = "every named question p50 ≤ 30 ms, p99 ≤ 150 ms (first page and total, ≥ 200 parameters)"
    if named:
        worst = [f"{k} {v['p50_ms']}/{v['p99_ms']}" for k, v in named.items()
                 if v["p50_ms"] > 30 or v["p99_ms"] > 150]
        text = f"{len(named) - len(worst)} of {len(named)} met"
        text += f"; over: {', '.join(worst)} ms" if worst else ""
        out.append(_target("fresh named questions", goal, text, not worst))
    else:
        out.append(_target("fresh named questions", goal, None, None))
    scenarios = results.get("load", {}).get("scenarios", [])
    fresh = [s for s in scenarios if s["scenario"] == "mix+runaway (no answer cache)"]
    goal = "SPARQL mix without the answer cache ≥ 100 req/s, 0 errors, p99 ≤ 1 s, runaway running"
    if fresh:
        ok = all(s["requests_per_s"] >= 100 and s["non_2xx"] + s["socket_errors"] == 0
                 and s.get("p99_ms", 1e9) <= 1000 for s in fresh)
        text = "; ".join(f"{s['query_workers']} worker(s): {s['requests_per_s']:.0f} req/s, "
                         f"p99 {s.get('p99_ms')} ms, "
                         f"{s['non_2xx'] + s['socket_errors']} errors" for s in fresh)
        out.append(_target("fresh SPARQL mix", goal, text, ok))
    else:
        out.append(_target("fresh SPARQL mix", goal, None, None))
    endpoint = results.get("endpoint", {})
    goal = "GROUP BY over all obligations through /sparql ≥ 20× rdflib (1,000 docs, same run)"
    if "rdflib_over_api" in endpoint:
        ratio = endpoint["rdflib_over_api"]
        text = f"plain text {ratio['plain']}×, summary form {ratio['summary']}× (rdflib on the plain text)"
        out.append(_target("GROUP BY via /sparql", goal, text, max(ratio.values()) >= 20))
    else:
        out.append(_target("GROUP BY via /sparql", goal, None, None))
    goal = "/sparql within 1.5× of `oxigraph serve-read-only` (30 distinct aggregates, same store)"
    if "api_over_bare" in endpoint:
        r = endpoint["api_over_bare"]
        text = (f"p50 {endpoint['api']['p50_ms']} vs {endpoint['bare']['p50_ms']} ms ({r['p50_ms']}×), "
                f"p90 {endpoint['api']['p90_ms']} vs {endpoint['bare']['p90_ms']} ms ({r['p90_ms']}×)")
        out.append(_target("/sparql overhead", goal, text, r["p50_ms"] <= 1.5 and r["p90_ms"] <= 1.5))
    else:
        out.append(_target("/sparql overhead", goal, None, None))
    return out


def targets(results: dict[str, Any]) -> list[Target]:
    """Each target of the issue with its measured figure and whether it is met (None: not measured)."""
    return [
        *_build_targets(results),
        *_query_targets(results),
        *_load_targets(results),
        *_fresh_targets(results),
        *_other_targets(results),
    ]


def _named_section(results: dict[str, Any]) -> list[str]:
    named = results.get("named_uncached")
    if not named or "named" not in named:
        return []
    replica = named.get("replica") or {}
    lines = [
        "## Named questions never asked before",
        "",
        f"On `{named['store']}`: each named question once per parameter (up to 200 distinct ones drawn "
        "from the graph: every mechanism and platform in use, agencies from the busiest to the rarest, "
        f"random document pairs and files, two-character texts), its first page of {named.get('page')} rows "
        "and the total (`kg.paging.run_page`, what the API's `?limit=` routes run), no answer cache. "
        f"The replica of the summary graph was read once before: {replica.get('load_ms', '?')} ms "
        f"({replica.get('tallies', '?'):,} tallies, {replica.get('names', '?'):,} names).",
        "",
    ]
    rows = [[k, v["parameters"], v["p50_ms"], v["p90_ms"], v["p99_ms"], v["max_ms"], v["rows_mean"],
             v.get("total_mean", ""), v.get("total_max", "")] for k, v in named["named"].items()]
    lines += _table(["question", "parameters", "p50 ms", "p90 ms", "p99 ms", "max ms", "rows",
                     "total mean", "total max"], rows)
    group = named.get("group_by", {})
    if group:
        lines += ["GROUP BY over all obligations at the store layer: plain p50 "
                  f"{group['plain']['p50_ms']} ms, "
                  f"summary form p50 {group.get('summary', {}).get('p50_ms', '—')} ms (same answer: "
                  f"{group.get('same_answer')}).", ""]
    return lines


def _endpoint_section(results: dict[str, Any]) -> list[str]:
    e = results.get("endpoint")
    if not e or "api" not in e:
        return []
    lines = ["## `/sparql` beside the bare engine", "",
             f"On `{e['store']}`: {e['queries']} distinct aggregate queries, each sent once to `kg serve` "
             "(answer cache off) and to `oxigraph serve-read-only --union-default-graph` on the same "
             "directory.",
             ""]
    rows: list[list[object]] = [["30 distinct aggregates", f"{e['api']['p50_ms']} / {e['api']['p90_ms']}",
             f"{e['bare']['p50_ms']} / {e['bare']['p90_ms']}"]]
    for form in ("plain", "summary"):
        rows.append([f"GROUP BY over all obligations ({form})",
                     f"{e['api_group_by'][form]['p50_ms']} / {e['api_group_by'][form]['p90_ms']}",
                     f"{e['bare_group_by'][form]['p50_ms']} / {e['bare_group_by'][form]['p90_ms']}"])
    lines += _table(["query", "/sparql p50 / p90 ms", "bare p50 / p90 ms"], rows)
    if "rdflib_group_by" in e:
        r = e["rdflib_group_by"]
        lines += [f"rdflib (`Dataset` parsed in {r['parse_s']} s): plain p50 {r['plain']['p50_ms']} ms, "
                  "summary "
                  f"form {r['summary']['p50_ms']} ms; rdflib on the plain text ÷ `/sparql`: "
                  f"{e['rdflib_over_api']['plain']}× (plain), "
                  f"{e['rdflib_over_api']['summary']}× (summary form).", ""]
    return lines


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _skipped(section: dict[str, Any]) -> list[str]:
    return [f"_skipped: {section['skipped']}_", ""] if "skipped" in section else []


def _build_section(results: dict[str, Any]) -> list[str]:
    build = results.get("build")
    if not build:
        return []
    lines = ["## Build", ""]
    rows = []
    for kind, b in build["baselines"].items():
        if "skipped" in b:
            rows.append([kind, f"skipped: {b['skipped']}", "", "", "", ""])
            continue
        rows.append(
            [
                kind,
                f"{b['documents']:,}",
                b["seconds"],
                f"{b['chars_per_s']:,}",
                b["mb_per_s"],
                f"{b['peak_mb']} (load {b['load_s']} s)",
            ]
        )
    lines += ["Raw baselines (one core, same corpus text):", ""]
    lines += _table(["baseline", "docs", "s", "chars/s", "MB/s", "peak MB"], rows)
    rows = []
    for p in build["pipeline"]:
        if "skipped" in p:
            rows.append([f"{p['documents']:,}", p["workers"], f"skipped: {p['skipped']}", *[""] * 11])
            continue
        partial = f" of {p['corpus_documents']:,} (stopped at the time limit)" if p.get("partial") else ""
        if p.get("prefix_of"):
            partial = f" (first of the {p['prefix_of']:,})"
        rows.append(
            [
                f"{p['documents']:,}{partial}",
                p["workers"],
                p["seconds"],
                p["docs_per_s"],
                f"{p['chars_per_s']:,}",
                p.get("steady_docs_per_s", ""),
                f"{p['steady_chars_per_s']:,}" if p.get("steady_chars_per_s") else "",
                p["ms_per_doc"],
                ", ".join(map(str, p["worker_peaks_mb"])),
                p["main_peak_mb"],
                f"{p['main_busy_share']:.0%}" if p.get("main_busy_share") is not None else "",
                p.get("finish_s") or "",
                f"{p['triples']:,}" if p.get("triples") is not None else "",
                p["failed"],
            ]
        )
    lines += ["Whole pipeline (read → extract → map → write to the on-disk Oxigraph store):", ""]
    lines += _table(
        [
            "docs",
            "workers",
            "s",
            "docs/s",
            "chars/s",
            "docs/s after start-up",
            "chars/s after start-up",
            "ms/doc",
            "worker peak MB",
            "main peak MB",
            "main busy",
            "last group + compaction s",
            "quads",
            "failed",
        ],
        rows,
    )
    profile = build.get("profile", {})
    lines += ["Build profile (pyinstrument, single worker): `build_profile.html`, `build_profile.txt`.", ""]
    lines += _skipped(profile)
    spots = profile.get("hot_spots") or {}
    spots = spots if isinstance(spots, dict) else {}
    for kind, title in (("stages", "stage (inclusive time)"), ("self", "function (self time)")):
        rows = [[h["function"], h["seconds"], f"{h['share']:.0%}"] for h in spots.get(kind, [])]
        if rows:
            lines += _table([title, "s", "share of the profiled run"], rows)
    return lines


def _ms(stats: dict[str, Any] | None) -> str:
    if not stats:
        return "—"
    if stats.get("failed"):
        return f"failed ({stats['failed']})"
    if stats.get("over_s"):
        return f"> {stats['over_s'] * 1000:.0f} (stopped)"
    return f"{stats['p50_ms']:.1f} / {stats['p95_ms']:.1f} ({stats.get('first_ms', 0):.0f})"


def _engine_table(engines: dict[str, Any], speed: dict[str, dict[str, float]] | None) -> list[str]:
    order = ("pyoxigraph", "pyoxigraph-memory", "project", "api", "rdflib")
    names = [e for e in order if e in engines and "skipped" not in engines[e]]
    rows = []
    for query in engines["pyoxigraph"]:
        row: list[object] = [query]
        row += [_ms(engines[e].get(query) or engines[e].get(f"sparql:{query}")) for e in names]
        if speed is not None:
            row.append(" · ".join(f"{e} {speed[e][query]}×" for e in speed if query in speed[e]))
        rows.append(row)
    header = ["query: p50 / p95 (first) ms", *names] + (
        ["rdflib ÷ engine (p50)"] if speed is not None else []
    )
    notes = [f"_api skipped: {engines['api']['skipped']}_", ""] if "skipped" in engines.get("api", {}) else []
    return _table(header, rows) + notes


def _query_section(results: dict[str, Any]) -> list[str]:
    q = results.get("queries")
    if not q:
        return []
    lines = ["## Queries", "", *_skipped(q)]
    if "engines" not in q:
        return lines
    lines += [
        f"On `{q['graph']}` ({q['quads']:,} quads), parameters {q['parameters']}; `project` is "
        "`kg.store.OxigraphStore` / `kg.queries.run_named`, `api` the running service over HTTP "
        "(`/api/…` routes, `/sparql` for the general queries), one client; `pyoxigraph-memory` is an "
        "in-memory copy of the store. The first run is in brackets: the API caches named answers, "
        "so its p50 is a cache hit and its first run the uncached cost.",
        "",
    ]
    lines += _engine_table(q["engines"], None)
    same = q.get("comparison", {})
    if same.get("engines"):
        lines += [
            f"Against rdflib's in-memory `Dataset` on `{same['graph']}` ({same['quads']:,} quads; parsed in "
            f"{q.get('rdflib_load_s')} s, +{q.get('rdflib_memory_mb')} MB):",
            "",
        ]
        lines += _engine_table(same["engines"], q.get("speedup_vs_rdflib", {}))
    return lines


def _load_section(results: dict[str, Any]) -> list[str]:
    load = results.get("load")
    if not load:
        return []
    lines = ["## API under load", "", *_skipped(load)]
    if "scenarios" not in load:
        return lines
    lines += [
        f"Load tool: {load['tool']}; the named question is `GET /api/mechanisms/{{label}}/agencies?limit=20`",
        "(a first page and its total).",
        "Each server with an answer cache is first asked every path of its scenario once (with no",
        "`Accept` header, as wrk asks); repeated GETs are then",
        "answered from the service's answer cache (`ZWGK_RESPONSE_CACHE_BYTES`, kept until the next",
        "write); the rows marked *(no answer cache)* turn it off and show what queries never asked",
        "before cost. The runaway client sends a cartesian product with a new text each time, so",
        "the service cannot refuse it as a query it has just stopped. The paced run (`named @ …`)",
        "offers the named question at a fixed rate (each wrk connection waits before its next",
        "request) and gives the latency at that load; the others run flat out.",
        "",
    ]
    rows = [
        [
            s["scenario"],
            s["query_workers"],
            s["connections"],
            s["requests_per_s"],
            s.get("p50_ms"),
            s.get("p99_ms"),
            s["non_2xx"] + s["socket_errors"],
            s["runaway"]["status_codes"] if "runaway" in s else "",
        ]
        for s in load["scenarios"]
    ]
    return lines + _table(
        ["scenario", "query workers", "conn.", "req/s", "p50 ms", "p99 ms", "errors", "runaway answers"], rows
    )


def _viz_section(results: dict[str, Any]) -> list[str]:
    viz = results.get("viz")
    if not viz:
        return []
    lines = ["## Visualisation", "", *_skipped(viz)]
    if "views" in viz:
        rows = [
            [v["node_limit"], v["nodes"], v["query_s"], v["render_s"], v["html_kb"]] for v in viz["views"]
        ]
        lines += _table(["node limit", "nodes", "query s", "render s", "HTML KB"], rows)
    return lines


def _cold_section(results: dict[str, Any]) -> list[str]:
    cold = results.get("cold_start")
    if not cold:
        return []
    lines = ["## Cold start", "", *_skipped(cold)]
    if "median_s" in cold:
        lines += [
            f"`{cold['command']}` → first answered `ASK{{}}`: {cold['seconds']} s (median "
            f"{cold['median_s']} s); NLP libraries mapped by the server and its workers: "
            f"{', '.join(cold['nlp_libraries_mapped']) or 'none'}.",
            "",
        ]
    return lines


def _sizes_section(results: dict[str, Any]) -> list[str]:
    sizes = results.get("sizes")
    if not sizes:
        return []
    lines = ["## Extraction time vs document size", "", *_skipped(sizes)]
    if "sizes" in sizes:
        rows = [[r["mb"], f"{r['characters']:,}", r["cpu_s"], r["wall_s"], r["cpu_ms_per_kb"], r["items"]]
                for r in sizes["sizes"]]
        lines += _table(["MB", "characters", "CPU s", "wall s", "CPU ms/KB", "items"], rows)
    return lines


def _suite_time(results: dict[str, Any]) -> str:
    whole = results.get("suite_elapsed_s")
    this = f"{results['elapsed_s'] / 60:.1f} min"
    return f"suite time {whole / 60:.1f} min (this partial re-run {this})" if whole else f"suite time {this}"


def summary_markdown(results: dict[str, Any], notes: Path | None = None) -> str:
    """The Markdown summary: targets, then each benchmark's table, then the hand-written notes if any."""
    m = results["machine"]
    label = (
        "QUICK RUN (small sizes, not the figures of record)" if results["label"] == "quick" else "full run"
    )
    lines = [
        f"# Benchmark results — {label}",
        "",
        f"{m['date']}, commit {m['git_commit']}, {m['cpu']} × {m['cores']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}; load average at start {[round(x, 2) for x in results['load_average']]}; "
        f"{_suite_time(results)}. Corpus sizes {results['config']['sizes']} "
        f"(seed {results['config']['seed']}). Raw figures: `results{'-quick' if label != 'full run' else ''}"
        f".json`.",
        "",
    ]
    for key, date in results.get("carried_over_dates", {}).items():
        lines += [f"_`{key}` was not re-run: its figures are carried over from the run of {date}._", ""]
    lines += ["## Targets", ""]
    mark = {True: "met", False: "**not met**", None: "not measured"}
    lines += _table(
        ["target", "goal", "measured", "status"],
        [[t["target"], t["goal"], t["measured"], mark[t["met"]]] for t in results["targets"]],
    )
    corpus = results.get("corpus", {})
    rows = [
        [f"{int(k):,}", f"{v['characters']:,}", v["mean_chars"], v["layouts"], v["generate_s"]]
        for k, v in corpus.items()
    ]
    header = ["docs", "characters", "mean chars/doc", "layouts", "generate s"]
    lines += ["## Corpus", "", *_table(header, rows)]
    sections = (_build_section, _query_section, _named_section, _endpoint_section, _load_section,
                _viz_section, _cold_section, _sizes_section)
    for section in sections:
        lines += section(results)
    if notes is not None and notes.exists():
        lines += [notes.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.report [results.json]``: rewrite the Markdown summary from a results file."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument(
        "results", type=Path, nargs="?", default=Path(__file__).parent / "results" / "results.json"
    )
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    results["targets"] = targets(results)
    suffix = "-quick" if results["label"] == "quick" else ""
    text = summary_markdown(results, notes=args.results.parent / "NOTES.md")
    (args.results.parent / f"SUMMARY{suffix}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
