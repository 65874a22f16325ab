"""What the tool stores and reports today, pinned: a change that alters any link, merged
paper, finding or report line is seen, even where no test of its own looks.

This is not a statement of truth (the answer keys, ``tests/cases/*.json`` and the truth files
of digests-wild say what is right); it says *nothing changed*. Issue 14 refactored the
reconciler under the rule "no behaviour changes", and mutation testing showed how many
single-line changes in ``reconcile/`` no test noticed. Three data sets are resolved
in-process and compared row by row with ``tests/cases/golden/<set>.json``:

- ``seeds``: the five seed documents;
- ``samples``: every file of ``../shared/samples`` (answer keys left out);
- ``generated``: the benchmark's generator, 3,000 observations with seed 1 (typos, cut
  titles, mentions, colliding titles, moved counts).

The pins hold a 12-hex-digit SHA-256 of each row (links, papers, discrepancies) and of each
rendered report (Markdown, JSON, CSV), never the text: the samples' prose stays out of the
repository. A failure names the rows that changed and shows them as they are now.

After a change that is meant to alter output, read what changed (the failure lists it), then
write the pins again with ``PAPER_RECONCILE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
say why in the commit. Skipped when ../shared is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from reconcile.report import build_report, render_csv, render_json, render_markdown
from reconcile.resolve import resolve
from reconcile.store import Store
from scrapers.ingest import ingest_paths

from .support import ROOT, SHARED

GOLDEN = Path(__file__).parent / "cases" / "golden"
UPDATE = os.environ.get("PAPER_RECONCILE_UPDATE_GOLDEN") == "1"
FIXED_NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
TABLES = {
    "links": ("observation_id", "select * from links order by observation_id"),
    "papers": ("id", "select * from papers order by id"),
    "discrepancies": ("id", "select * from discrepancies order by id"),
}


def _digest(value, root: Path) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    # The folder's path, also as the Markdown report escapes it.
    for form in (str(root), str(root).replace("_", "\\_")):
        text = text.replace(form, "<root>")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_resolve", ROOT / "benchmarks" / "bench_resolve.py")
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_resolve", bench)
    spec.loader.exec_module(bench)
    return bench


def _build(name: str, folder: Path) -> Store:
    db = folder / f"{name}.db"
    if name == "generated":
        _bench().phase_ingest(argparse.Namespace(samples=str(SHARED / "samples"), db=str(db), size=3_000,
                                                 seed=1, truth=str(folder / "truth.txt")))
        store = Store(db)
    else:
        store = Store(db)
        # A copy whose files all have one modification time: a document that states no time
        # of its own is dated by its file, and a clone of ../shared has its own file times.
        copy = folder / "files" / name
        shutil.copytree(SHARED / name, copy, ignore=shutil.ignore_patterns("*.truth.json"))
        files = sorted(p for p in copy.rglob("*") if p.is_file())
        for path in files:
            os.utime(path, (FIXED_NOW.timestamp(), FIXED_NOW.timestamp()))
        ingest_paths(store, [str(p) for p in files])
    resolve(store)
    return store


def _snapshot(store: Store, tmp: Path) -> dict:
    out: dict = {}
    for table, (key, sql) in TABLES.items():
        out[table] = {str(row[key]): _digest(row, tmp) for row in store.db.query(sql)}
    data = dataclasses.replace(build_report(store, with_history=True), generated_at=FIXED_NOW, database="db")
    out["report"] = {"markdown": _digest(render_markdown(data), tmp), "json": _digest(render_json(data), tmp),
                     "csv": _digest(render_csv(data), tmp)}
    return out


def _rows(store: Store, table: str, keys: list[str]) -> list[dict]:
    key, sql = TABLES[table]
    return [row for row in store.db.query(sql) if str(row[key]) in keys][:5]


@pytest.mark.parametrize("name", ["seeds", "samples", "generated"])
def test_output_is_what_it_was(name, tmp_path):
    if SHARED is None:
        pytest.skip("../shared is not here")
    store = _build(name, tmp_path)
    now = _snapshot(store, tmp_path)
    pin = GOLDEN / f"{name}.json"
    if UPDATE:
        pin.parent.mkdir(parents=True, exist_ok=True)
        pin.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"wrote {pin.name}")
    assert pin.exists(), f"{pin} is missing: write it with PAPER_RECONCILE_UPDATE_GOLDEN=1"
    was = json.loads(pin.read_text(encoding="utf-8"))
    problems = []
    for table in TABLES:
        gone = sorted(set(was[table]) - set(now[table]))
        new = sorted(set(now[table]) - set(was[table]))
        changed = sorted(k for k in set(was[table]) & set(now[table]) if was[table][k] != now[table][k])
        if gone or new or changed:
            problems.append(f"{table}: {len(gone)} gone {gone[:5]}, {len(new)} new, {len(changed)} changed; "
                            f"now: {_rows(store, table, new + changed)}")
    for fmt, digest in was["report"].items():
        if now["report"][fmt] != digest:
            problems.append(f"the {fmt} report changed")
    assert not problems, "\n".join(problems)
