"""``benchmarks/bench_trigram.py`` (FTS5 trigram blocking for typo'd titles, measured beside
``resolve``) runs on a small resolved database and reports figures that add up, read back
from what it prints."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys

from reconcile.resolve import resolve
from reconcile.store import Store

from .support import ROOT, SHARED, needs_shared

pytestmark = needs_shared


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_trigram_blocking_is_measured_beside_resolve(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        bench = _load("bench_resolve")
        trigram = _load("bench_trigram")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    db, truth = tmp_path / "bench.db", tmp_path / "truth.txt"
    bench.phase_ingest(argparse.Namespace(db=str(db), truth=str(truth), size=3000, seed=1,
                                          samples=str(SHARED / "samples")))
    resolve(Store(db), processes=1)
    trigram.main([str(db), str(truth), "--sample", "40"])
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])
    n = figures["items"]
    assert 0 < n <= 40
    assert 0 <= figures["resolve_right"] <= n and 0 <= figures["found"]["title"] <= n
    assert 0 <= figures["found"]["word"] <= figures["asked_word"] <= n
    assert "trigram index of" in out and f"{n:,} typo'd items" in out
    # The whole title's trigrams hold the paper's: a typo changes a few of them.
    assert figures["found"]["title"] >= 0.9 * n
