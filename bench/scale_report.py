#!/usr/bin/python3
"""Turns bench/scale.sh's results (JSON lines) into one Markdown table per backend.

  scale_report.py RESULTS.jsonl

Each row's p50 at every size and its ratio to the smallest size; the targets are judged at the
largest size measured: p50 at most twice the smallest size's, except the 1% search rows (p50
under 5 ms). Then the server's peak RSS (under 64 MiB at every size), the database's size and
its bytes per byte of note text, and how long seeding took.
"""
import json
import sys

from report import clean, mib, run, with_rates

GROWTH_LIMIT = 2.0
SEARCH_LIMIT_US = 5000
MEMORY_LIMIT_KIB = 64 * 1024

# (key as in bench/scale.sh, label, True when the row is judged by its p50 alone rather than by
# its growth)
ROWS = [
    ("get_id", "`GET /api/notes/<id>` (random id)", False),
    ("list_first", "`GET /api/notes` (first page)", False),
    ("list_middle", "`GET /api/notes?page=<middle>`", False),
    ("list_cursor", "`GET /api/notes?after=<cursor>` (the same middle page)", False),
    ("html_middle", "`GET /notes?page=<middle>` (HTML)", False),
    ("search_first", "`GET /api/notes/search?q=<word in 1%>`", True),
    ("search_deep", "the same search, page 50 (the last page when fewer)", True),
    ("search_none", "a search without match", False),
]


def load(path):
    rows, sizes = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("check") == "size":
                sizes[(row["server"], row["notes"])] = row
            elif "servers" in row:
                # The scale-out rows: one server's, or each of two servers' share.
                key = (row["server"], row["notes"], "scale-out", row["row"], row["servers"])
                rows.setdefault(key, []).append(with_rates(row))
            else:
                rows[(row["server"], row["notes"], row["endpoint"])] = with_rates(row)
    if not sizes:
        print(f"scale_report.py: no sizes in {path}", file=sys.stderr)
        sys.exit(2)
    return rows, sizes


def ms(us):
    return f"{us / 1000:.3f}"


def count(n):
    return f"{n:,}"


def render_backend(backend, rows, sizes):
    counts = sorted(n for b, n in sizes if b == backend)
    base, top = counts[0], counts[-1]
    out = [f"**{backend}**, sizes {', '.join(map(count, counts))} notes; each ratio is to {count(base)}:",
           ""]
    out.append("| row | " + " | ".join(f"{count(n)}: p50 ms (×)" for n in counts) + " | target | result |")
    out.append("| --- | " + " | ".join("---:" for _ in counts) + " | --- | --- |")
    failures = 0
    for key, label, search_limit in ROWS:
        measured = [rows.get((backend, n, key)) for n in counts]
        first = measured[0]
        cells = []
        for row in measured:
            if row is None:
                cells.append("-")
                continue
            text = ms(row["p50_us"])
            if row is not first and first and first["p50_us"] > 0:
                text += f" ({row['p50_us'] / first['p50_us']:.1f}×)"
            if not clean(row):
                text += f" ({row['socket_errors']} err, {row['status']} non-2xx)"
            cells.append(text)
        last = measured[-1]
        if search_limit:
            target = f"p50 < {SEARCH_LIMIT_US // 1000} ms at {count(top)}"
            passed = last is not None and last["p50_us"] < SEARCH_LIMIT_US
        else:
            target = f"≤ {GROWTH_LIMIT:g}× from {count(base)} to {count(top)}"
            passed = (last is not None and first is not None and
                      last["p50_us"] <= GROWTH_LIMIT * first["p50_us"])
        passed = passed and all(row is not None and clean(row) for row in measured)
        failures += not passed
        out.append(f"| {label} | {' | '.join(cells)} | {target}, no errors "
                   f"| {'PASS' if passed else '**FAIL**'} |")

    rss = [sizes[(backend, n)]["rss_kib"] for n in counts]
    passed = all(0 < kib < MEMORY_LIMIT_KIB for kib in rss)
    failures += not passed
    out.append(f"| server peak RSS, MiB | {' | '.join(mib(kib) for kib in rss)} "
               f"| < {MEMORY_LIMIT_KIB // 1024} MiB | {'PASS' if passed else '**FAIL**'} |")
    size_rows = [
        ("database size, MiB", lambda s: f"{s['db_bytes'] / 2**20:,.1f}"),
        ("database bytes per byte of note text", lambda s: f"{s['db_bytes'] / s['text_bytes']:.2f}"),
        ("seeding (`notes_seed`), s", lambda s: f"{s['seed_ms'] / 1000:.1f}"),
    ]
    for label, cell in size_rows:
        out.append(f"| {label} | {' | '.join(cell(sizes[(backend, n)]) for n in counts)} | | |")
    out += render_scale_out(backend, rows, counts)
    pages = [rows.get((backend, n, "list_middle")) for n in counts]
    out.append("")
    out.append("Middle page: " + ", ".join(
        f"{page['page']:,} of {count(n)}" for n, page in zip(counts, pages) if page) +
        "; deep search page: " + ", ".join(
        f"{page['search_page']} at {count(n)}" for n, page in zip(counts, pages) if page) + ".")
    return out, failures


SCALE_OUT_ROWS = [
    ("get_id", "`GET /api/notes/<id>` (random id)"),
    ("list_first", "`GET /api/notes` (first page)"),
]


def render_scale_out(backend, rows, counts):
    """Requests/s at 64 connections through one server and through two on the one database."""
    measured = [n for n in counts if (backend, n, "scale-out", "get_id", 1) in rows]
    if not measured:
        return []
    out = ["", f"Scale-out on {backend}: requests/s at 64 connections, through one server and "
           "through two servers on the one database (32 connections each, at the same time); "
           "no target, a measure of what a second server adds on this machine.", ""]
    out.append("| row | " + " | ".join(f"{count(n)}: one server | two servers (×)" for n in measured)
               + " |")
    out.append("| --- | " + " | ".join("---: | ---:" for _ in measured) + " |")
    for key, label in SCALE_OUT_ROWS:
        cells = []
        for n in measured:
            one = rows.get((backend, n, "scale-out", key, 1), [])
            two = rows.get((backend, n, "scale-out", key, 2), [])
            if not one or not two:
                cells += ["-", "-"]
                continue
            one_rps = sum(r["rps"] for r in one)
            two_rps = sum(r["rps"] for r in two)
            errors = sum(0 if clean(r) else 1 for r in one + two)
            note = " (errors)" if errors else ""
            cells += [f"{one_rps:,.0f}{note}", f"{two_rps:,.0f} ({two_rps / one_rps:.2f}×)"]
        out.append(f"| {label} | {' | '.join(cells)} |")
    return out


def render(rows, sizes):
    out, failures = [], 0
    for backend in dict.fromkeys(b for b, _ in sizes):
        table, failed = render_backend(backend, rows, sizes)
        out += table + [""]
        failures += failed
    out.append(f"{failures} target(s) failed." if failures else "Every target passed.")
    return "\n".join(out), failures


if __name__ == "__main__":
    sys.exit(run(sys.argv, __doc__, load, render))
