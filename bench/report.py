#!/usr/bin/python3
"""Turns bench/run.sh's results (JSON lines) into the Markdown table, targets included.

  report.py RESULTS.jsonl
"""
import json
import sys

# (key, label, target as text, check(notes, ceiling, flask, all notes rows) -> bool, or None when
# there is no target beyond no errors); flask is None when the Flask app was not measured, and its
# part of a target is then not checked.
ENDPOINTS = [
    ("get_id", "`GET /api/notes/<id>`", "≥ 0.75 ceiling, ≥ 20× Flask",
     lambda n, c, s, r: n["rps"] >= 0.75 * c["rps"] and (s is None or n["rps"] >= 20 * s["rps"])),
    ("list_api", "`GET /api/notes?page=N`", "≥ 0.5 ceiling",
     lambda n, c, s, r: n["rps"] >= 0.5 * c["rps"]),
    ("list_tag", "`GET /api/notes?tag=<t>&page=N` (tag on 10%)", "≥ 0.5 ceiling",
     lambda n, c, s, r: n["rps"] >= 0.5 * c["rps"]),
    ("list_html", "`GET /notes`", "≥ 0.45 ceiling",
     lambda n, c, s, r: n["rps"] >= 0.45 * c["rps"]),
    ("get_id_bearer", "`GET /api/notes/<id>`, bearer token (`AUTH=accounts`)",
     "≥ 0.9 × the same without",
     lambda n, c, s, r: "get_id" in r and n["rps"] >= 0.9 * r["get_id"]["rps"]),
    ("detail_html", "`GET /notes/<id>`", "no errors", None),
    ("detail_md", "`GET /notes/<id>`, Markdown notes", "no errors", None),
    ("search", "`GET /api/notes/search?q=` (100k notes)", "no errors", None),
    ("search_latency", "same search, 1 connection", "p50 < 5 ms",
     lambda n, c, s, r: n["p50_us"] < 5000),
    ("create", "`POST /api/notes` (every 201 durable)", "≥ 0.2 ceiling",
     lambda n, c, s, r: n["rps"] >= 0.2 * c["rps"]),
    ("update", "`PUT /api/notes/<id>`", "≥ 0.2 ceiling",
     lambda n, c, s, r: n["rps"] >= 0.2 * c["rps"]),
    ("list_api_history", "`GET /api/notes?page=N`, + revisions and trash",
     "within 10% of the same row without",
     lambda n, c, s, r: "list_api" in r and n["rps"] >= 0.9 * r["list_api"]["rps"]),
    ("search_history", "search (100k notes), + revisions and trash",
     "within 10% of the same row without",
     lambda n, c, s, r: "search" in r and n["rps"] >= 0.9 * r["search"]["rps"]),
    ("update_keep0", "`PUT /api/notes/<id>`, `REVISIONS_KEEP=0`",
     "the PUT row (revisions kept) ≥ 0.8 × this",
     lambda n, c, s, r: "update" in r and r["update"]["rps"] >= 0.8 * n["rps"]),
]

MEMORY_LIMIT_KIB = 32 * 1024


def median_of(rows):
    """The row of the median round by req/s (the lower middle one of an even count), with the
    spread of all rounds: its p50, p99 and CPU then come from one real run, not a mix."""
    ordered = sorted(rows, key=lambda row: row["rps"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["rounds"] = len(ordered)
    chosen["spread"] = (ordered[-1]["rps"] - ordered[0]["rps"]) / max(chosen["rps"], 1e-9)
    # An error in any round counts: the median must not hide it.
    chosen["socket_errors"] = max(row["socket_errors"] for row in ordered)
    chosen["status"] = max(row["status"] for row in ordered)
    chosen["rss_kib"] = max(row["rss_kib"] for row in ordered)
    return chosen


def with_rates(row):
    """A wrk row (bench/lib.sh's measure) with req/s, socket errors and CPU per request."""
    row["rps"] = row["requests"] * 1e6 / max(row["duration_us"], 1)
    row["socket_errors"] = row["connect"] + row["read"] + row["write"] + row["timeout"]
    row["cpu_per_request"] = row.get("cpu_us", 0) / max(row["requests"], 1)
    return row


def load(path):
    rounds = {}
    extra = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if "server" in row:
                with_rates(row)
                rounds.setdefault((row["server"], row["endpoint"]), []).append(row)
            else:
                extra[row["check"]] = row
    return {key: median_of(rows) for key, rows in rounds.items()}, extra


def rps(row):
    text = f"{row['rps']:,.0f}"
    if row["rounds"] > 1:
        text += f" (±{50 * row['spread']:.0f}%)"
    return text


def ms(us):
    return f"{us / 1000:.2f}"


def mib(kib):
    return f"{kib / 1024:.1f}" if kib else "-"


def clean(row):
    return row["socket_errors"] == 0 and row["status"] == 0


def render(results, extra):
    out = []
    ceiling = results.get(("ceiling", "get_id"))
    if ceiling:
        out.append(f"Ceiling (Beast, fixed {ceiling.get('note', '230-byte note')}, no database): "
                   f"**{rps(ceiling)} req/s**, p50 {ms(ceiling['p50_us'])} ms, "
                   f"p99 {ms(ceiling['p99_us'])} ms, server CPU {ceiling['cpu_per_request']:.1f} µs/request, "
                   f"errors {ceiling['socket_errors']}, "
                   f"peak RSS {mib(ceiling['rss_kib'])} MiB.")
        out.append("")
    out.append("| endpoint | req/s | p50 ms | p99 ms | errors | non-2xx | peak RSS MiB | CPU µs/req "
               "| × ceiling | Flask req/s | Flask p50 ms | × Flask | target | result |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    failures = 0
    for key, label, target, check in ENDPOINTS:
        n = results.get(("notes", key))
        s = results.get(("flask", key))
        if not n:
            out.append(f"| {label} | not measured | | | | | | | | | | | {target} | - |")
            continue
        ratio_c = f"{n['rps'] / ceiling['rps']:.2f}" if ceiling else "-"
        ratio_s = f"{n['rps'] / s['rps']:.1f}" if s and s["rps"] > 0 else "-"
        notes_rows = {e: row for (server, e), row in results.items() if server == "notes"}
        passed = clean(n) and (check is None or
                               (ceiling is not None and check(n, ceiling, s, notes_rows)))
        failures += not passed
        flask_rps = f"{s['rps']:,.0f}" if s else "-"
        flask_p50 = ms(s["p50_us"]) if s else "-"
        if s and not clean(s):
            flask_rps += f" ({s['socket_errors']} err, {s['status']} non-2xx)"
        verdict = "PASS" if passed else "**FAIL**"
        if check is not None and target != "no errors":
            target += ", no errors"
        out.append(f"| {label} | {rps(n)} | {ms(n['p50_us'])} | {ms(n['p99_us'])} "
                   f"| {n['socket_errors']} | {n['status']} | {mib(n['rss_kib'])} "
                   f"| {n['cpu_per_request']:.0f} | {ratio_c} "
                   f"| {flask_rps} | {flask_p50} | {ratio_s} | {target} | {verdict} |")

    memory = results.get(("notes", "memory"))
    if memory:
        passed = clean(memory) and 0 < memory["rss_kib"] < MEMORY_LIMIT_KIB
        failures += not passed
        out.append(f"| memory: {memory.get('label', '256 connections')} | {rps(memory)} "
                   f"| {ms(memory['p50_us'])} | {ms(memory['p99_us'])} | {memory['socket_errors']} "
                   f"| {memory['status']} | {mib(memory['rss_kib'])} | {memory['cpu_per_request']:.0f} "
                   f"| | | | | RSS < {MEMORY_LIMIT_KIB // 1024} MiB, no errors "
                   f"| {'PASS' if passed else '**FAIL**'} |")
    durable = extra.get("durability")
    if durable:
        passed = durable["acknowledged"] > 0 and durable["missing"] == 0
        failures += not passed
        out.append(f"| durability: kill -9 under POST load | {durable['acknowledged']:,} acknowledged "
                   f"| | | | | | | | | | | every 201 still there after restart ({durable['missing']} missing) "
                   f"| {'PASS' if passed else '**FAIL**'} |")
    out.append("")
    if not any(server == "flask" for server, _ in results):
        out.append("The Flask app was not measured (see BENCH_FLASK_APP_DIR): no × Flask ratios, "
                   "and no target checked against it.")
    batches = [(label, results[("notes", key)]) for key, label, _, _ in ENDPOINTS
               if key in ("create", "update", "update_keep0") and ("notes", key) in results]
    for label, row in batches:
        if row.get("write_transactions"):
            out.append(f"{label}: {row['batched_writes']:,} writes in "
                       f"{row['write_transactions']:,} transactions, a mean batch of "
                       f"{row['batched_writes'] / row['write_transactions']:.1f} "
                       "(notes-server's /metrics).")
        else:
            out.append(f"{label}: no write batches counted (/metrics did not tell them).")
    counts = {row["rounds"] for row in results.values()}
    if counts != {1}:
        out.append(f"Each row is the median of its {'/'.join(map(str, sorted(counts)))} rounds "
                   "(± half the spread between the fastest and the slowest round); "
                   "errors and peak RSS are the worst round's.")
    out.append(f"{failures} target(s) failed." if failures else "Every target passed.")
    return "\n".join(out), failures


def run(argv, usage, load_results, render_table):
    """A report's command line: RESULTS.jsonl in, the table out; 1 when a target failed."""
    if len(argv) != 2:
        print(usage, file=sys.stderr)
        return 2
    table, failures = render_table(*load_results(argv[1]))
    print(table)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv, __doc__, load, render))
