"""``benchmarks/mutation.py`` decides which mutants leave the kill rate as equivalent and how
the sample is drawn; a wrong rule would make the README's figure a lie, so the rules have
tests of their own (mutmut itself is not needed for these)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from .support import ROOT

spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "benchmarks" / "mutation.py")
tool = importlib.util.module_from_spec(spec)
sys.modules.setdefault("mutation_tool", tool)
spec.loader.exec_module(tool)


def diff(old: str, new: str) -> str:
    return f"--- a\n+++ b\n@@ -1,1 +1,1 @@\n def f():\n-{old}\n+{new}"


@pytest.mark.parametrize("old, new, why", [
    ('    db.execute("select id from links where paper_id = ?")',
     '    db.execute("SELECT ID FROM LINKS WHERE PAPER_ID = ?")', "SQL keywords or identifiers in another case"),
    ('    body.decode("utf-8")', '    body.decode("UTF-8")', "codec name in another case"),
    ('    path.read_text(encoding="utf-8-sig")', '    path.read_text(encoding="UTF-8-SIG")', "codec name in another case"),
])
def test_a_case_change_that_sqlite_or_python_ignores_is_equivalent(old, new, why):
    assert tool.equivalent_by_rule(diff(old, new)) == why


@pytest.mark.parametrize("old, new", [
    # a quoted SQL literal keeps its case: 'arxiv' and 'ARXIV' are different sources
    ('    db.execute("select 1 from observations where source = \'arxiv\'")',
     '    db.execute("SELECT 1 FROM OBSERVATIONS WHERE SOURCE = \'ARXIV\'")'),
    ('    return f"{path} is locked"', '    return f"{PATH} IS LOCKED"'),  # a message, not SQL
    ('    label = "Hugging Face"', '    label = "HUGGING FACE"'),
    ('    db.execute("select id from links")', '    db.execute("XXselect id from linksXX")'),
    ('    if a > b:', '    if a >= b:'),
    ('    body.decode("utf-8")', '    body.decode("latin-1")'),
])
def test_any_other_change_is_not_equivalent_by_rule(old, new):
    assert tool.equivalent_by_rule(diff(old, new)) is None


def test_the_sample_depends_on_the_seed_only():
    names = [f"reconcile.m.x_f__mutmut_{n}" for n in range(1, 1001)]
    first = tool.sample(names, 50, 14)
    assert first == tool.sample(list(reversed(names)), 50, 14) and len(set(first)) == 50
    assert first != tool.sample(names, 50, 15)
    assert tool.sample(names[:10], 50, 14) == sorted(names[:10])


def test_the_wilson_interval_holds_the_rate_and_narrows_with_the_sample():
    low, high = tool.wilson(90, 100)
    assert low < 0.9 < high and round(low, 3) == 0.826 and round(high, 3) == 0.945
    low2, high2 = tool.wilson(900, 1000)
    assert low < low2 < 0.9 < high2 < high
    assert tool.wilson(0, 0) == (0.0, 0.0)


def test_every_listed_equivalent_mutant_says_what_it_changes_and_why():
    rows = json.loads(tool.EQUIVALENT.read_text(encoding="utf-8"))
    assert rows and len({r["mutant"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"mutant", "change", "reason"} and row["mutant"].startswith("reconcile.")
        assert row["change"].strip() and len(row["reason"]) > 20
