"""``benchmarks/bench_daily.py`` (one run against daily runs) runs and reports figures that
add up: a small size, read back from what it prints."""

from __future__ import annotations

import importlib.util
import re

from .support import ROOT, SHARED, needs_shared

pytestmark = needs_shared


def test_one_run_against_daily_runs_reports_what_differs(capsys):
    spec = importlib.util.spec_from_file_location("bench_daily", ROOT / "benchmarks" / "bench_daily.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.main(["--size", "1500", "--samples", str(SHARED / "samples")])
    out = capsys.readouterr().out
    head = re.search(r"([\d,]+) observations over (\d+) days", out)
    observations, days = int(head.group(1).replace(",", "")), int(head.group(2))
    assert observations >= 1500 and days > 10
    differ = int(re.search(r"differ between one run and daily runs: (\d+)", out).group(1))
    kinds = [int(n) for n in re.findall(r"^  one run \S+, daily runs \S+: (\d+)$", out, re.M)]
    assert sum(kinds) == differ
    one, daily = map(int, re.search(r"one run (\d+), daily runs (\d+);", out).group(1, 2))
    assert 0 < one <= observations and 0 < daily <= observations
