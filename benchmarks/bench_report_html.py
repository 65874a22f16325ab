"""Benchmark of the HTML report at real size: page size and time to open in headless Chromium.

Usage::

    python benchmarks/bench_report_html.py                     # the samples, then 2,000 and 5,000 findings
    python benchmarks/bench_report_html.py --sizes 2000        # chosen sizes
    python benchmarks/bench_report_html.py --output table.md

What is measured. First the real samples (``--samples``, default ../shared/samples, digests-wild
included, its ``*.truth.json`` answer keys left out): ``reconcile ingest`` and ``resolve`` in a
fresh database, then ``reconcile report
--format html``. Then, for each size, the same database with its findings repeated until there
are that many (each copy a new id, filed under the papers in turn, so details and evidence
keep the samples' shape and length). For every page: its size in bytes, and the time headless
Chromium takes to load it, run its script (the filters mark the page ``data-filters=ready``)
and dump the DOM, minus the same for an empty page (Chromium's own start-up), best of
``--repeat`` runs; then the same with a filter in the link (``#sev=1&q=upvotes``), which hides
findings and papers in the page's script. The figures go to the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def reconcile(*args: str) -> None:
    exe = Path(sys.executable).with_name("reconcile")
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"reconcile {' '.join(args)} failed: {done.stderr.strip()[-500:]}")


def chromium_seconds(chromium: str, url: str, repeat: int) -> float:
    """Best wall time of Chromium loading ``url``, running its script and dumping the DOM."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--virtual-time-budget=1000", "--dump-dom", url],
                              capture_output=True, text=True, timeout=600)
        took = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"chromium failed on {url}: {done.stderr[-300:]}")
        if "<body" in done.stdout and "empty" not in url and 'data-filters="ready"' not in done.stdout[:2000]:
            raise SystemExit(f"{url}: the page's script did not finish")
        best = min(best, took)
    return best


def grow(db: Path, size: int) -> int:
    """Repeat the database's findings until there are ``size``; returns how many there are."""
    conn = sqlite3.connect(db)
    rows = conn.execute("select * from discrepancies").fetchall()
    cols = [c[1] for c in conn.execute("pragma table_info(discrepancies)")]
    papers = [r[0] for r in conn.execute("select id from papers order by id")]
    have, n = len(rows), 0
    while have < size:
        row = dict(zip(cols, rows[n % len(rows)]))
        row["id"] = f"{n:016x}"
        row["paper_id"] = papers[n % len(papers)]
        conn.execute(f"insert into discrepancies ({', '.join(f'[{c}]' for c in cols)}) "
                     f"values ({', '.join('?' * len(cols))})",
                     [row[c] for c in cols])
        have, n = have + 1, n + 1
    conn.commit()
    count = conn.execute("select count(*) from discrepancies").fetchone()[0]
    conn.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if not args.samples.is_dir():
        raise SystemExit(f"no samples at {args.samples} (--samples)")
    if not args.chromium:
        raise SystemExit("no chromium on PATH (--chromium)")
    work = Path(tempfile.mkdtemp(prefix="bench-html-"))
    base = work / "samples.db"
    files = sorted(str(p) for p in args.samples.rglob("*") if p.is_file() and not p.name.endswith(".truth.json"))
    reconcile("ingest", *files, "--db", str(base))
    reconcile("resolve", "--db", str(base))
    empty = work / "empty.html"
    empty.write_text("<!doctype html><html><body></body></html>")
    start_up = chromium_seconds(args.chromium, empty.as_uri(), args.repeat)
    lines = ["| page | findings | papers shown | size | open in Chromium | open filtered |", "|---|---|---|---|---|---|"]
    cases = [("the samples", base, None)] + [(f"{int(s):,} findings", work / f"n{s}.db", int(s))
                                             for s in args.sizes.split(",") if s]
    for name, db, size in cases:
        if size is not None:
            shutil.copy(base, db)
            grow(db, size)
        page = db.with_suffix(".html")
        reconcile("report", "--db", str(db), "--format", "html", "--output", str(page), "--include-acknowledged")
        conn = sqlite3.connect(db)
        found = conn.execute("select count(*) from discrepancies").fetchone()[0]
        papers = conn.execute("select count(distinct paper_id) from discrepancies").fetchone()[0]
        conn.close()
        plain = chromium_seconds(args.chromium, page.as_uri(), args.repeat) - start_up
        filtered = chromium_seconds(args.chromium, page.as_uri() + "#sev=1&q=upvotes", args.repeat) - start_up
        lines.append(f"| {name} | {found:,} | {papers:,} | {os.path.getsize(page) / 1e6:.2f} MB | "
                     f"{plain:.2f} s | {filtered:.2f} s |")
    version = subprocess.run([args.chromium, "--version"], capture_output=True, text=True).stdout.strip()
    table = "\n".join(lines) + (f"\n\nMachine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
                                f"{platform.python_version()}, {version}; Chromium start-up ({start_up:.2f} s, "
                                "an empty page) subtracted; best of " + f"{args.repeat} runs.\n")
    print(table)
    if args.output:
        args.output.write_text(table, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
