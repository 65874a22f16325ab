"""Mutation testing of ``reconcile/`` with mutmut, and the kill rate.

    python benchmarks/mutation.py --sample 400      # a seeded random sample of every mutant
    python benchmarks/mutation.py                   # every mutant not yet tested (hours)
    python benchmarks/mutation.py 'reconcile.checks.dates*'   # some mutants, run again
    python benchmarks/mutation.py --survivors       # every mutant not caught, run again
    python benchmarks/mutation.py --report [--sample 400]     # the table of the last run
    python benchmarks/mutation.py --list [--sample 400]       # the mutants not caught

mutmut's settings are ``[tool.mutmut]`` in ``pyproject.toml``: the modules it mutates, the
in-process tests it runs, the timeout. It works in a copy under ``mutants/`` and keeps each
mutant's result there, so a stopped run goes on where it stopped. The copy lies one folder
deeper than the repository, so ``$PAPER_RECONCILE_SHARED`` is set to the absolute
``../shared`` when that folder exists (the tests that read the samples skip without it).

Why a sample: ``reconcile/`` makes about 7,000 mutants, and a mutant no test kills costs
every test that reaches its function (up to the whole in-process suite, about 100 s of CPU
on this project's machine), so the full run takes hours on 2 CPUs. ``--sample N`` draws N
mutants uniformly from all of them with a fixed seed (``--seed``, default 14) and runs
those; the rate it prints is an estimate of the whole with its 95% Wilson interval.

The kill rate counts a mutant as caught when a test failed or timed out on it. A mutant no
in-process test reaches counts as not caught. A mutant that cannot change what the tool
does is equivalent and left out of the rate, shown in its own column: those listed in
``tests/cases/equivalent_mutants.json`` with their reason, and those this script proves
equivalent by rule (:func:`equivalent_by_rule`).
"""

from __future__ import annotations

import codecs
import json
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tests" / "cases" / "equivalent_mutants.json"
CAUGHT = {"killed", "timeout", "caught by type check"}
SEED = 14


def equivalent_mutants() -> dict[str, dict[str, str]]:
    """Mutant name → its row: ``change`` (text of the mutated line) and ``reason`` (why it
    cannot change what the tool does)."""
    if not EQUIVALENT.exists():
        return {}
    return {row["mutant"]: row for row in json.loads(EQUIVALENT.read_text("utf-8"))}


def statuses() -> dict[str, tuple[str, Path]]:
    """Mutant name → (mutmut's status, its source file), from the result files of the last run."""
    from mutmut.stats import status_by_exit_code

    out = {}
    for meta in sorted((ROOT / "mutants" / "reconcile").rglob("*.py.meta")):
        data = json.loads(meta.read_text("utf-8"))
        source = meta.relative_to(ROOT / "mutants").with_suffix("")
        for name, code in data["exit_code_by_key"].items():
            out[name] = (status_by_exit_code[code], source)
    return out


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SQL = re.compile(r"\b(select|insert|update|delete|drop|create|pragma|from|where|order by|group by)\b", re.I)
_QUOTED = re.compile(r"'[^']*'")


def _same_codec(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False


def equivalent_by_rule(diff: str) -> str | None:
    """Why the mutant in ``diff`` cannot change behaviour, when a rule proves it; else None.

    mutmut changes the letter case of string literals. Two such changes are provably inert:
    SQL text whose quoted literals (``'arxiv'``) keep their case (SQLite's keywords and
    identifiers ignore case), and a codec name (Python's codec lookup ignores case)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    if not removed or len(removed) != len(added):
        return None
    reasons = set()
    for old, new in zip(removed, added):
        if old == new:
            continue
        if old.lower() != new.lower():
            return None
        olds, news = _STRING.findall(old), _STRING.findall(new)
        if len(olds) != len(news):
            return None
        for a, b in zip(olds, news):
            if a == b:
                continue
            if _same_codec(a[1:-1], b[1:-1]):
                reasons.add("codec name in another case")
            elif _SQL.search(a) and _QUOTED.findall(a) == _QUOTED.findall(b):
                reasons.add("SQL keywords or identifiers in another case")
            else:
                return None
    return "; ".join(sorted(reasons)) or None


def module_of(mutant: str) -> str:
    return mutant.split(".x\u01c1")[0].split(".x_")[0]


def sample(names: list[str], size: int, seed: int) -> list[str]:
    return sorted(random.Random(seed).sample(sorted(names), min(size, len(names))))


def classify(results: dict[str, tuple[str, Path]]) -> dict[str, str]:
    """Mutant name → status, with ``equivalent`` for the listed ones and those a rule proves
    (only mutants not caught are looked at: a caught mutant was not equivalent)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    listed = equivalent_mutants()
    out = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for name, (status, source) in results.items():
            out[name] = status
            if status not in ("survived", "no tests"):
                continue
            diff = get_diff_for_mutant(name, path=source)
            added = "\n".join(line for line in diff.splitlines() if line.startswith("+"))
            if name in listed and listed[name]["change"] in added:
                out[name] = "equivalent"
            elif name in listed:
                # The code changed since the mutant was judged: its number now names another.
                print(f"stale entry in {EQUIVALENT.name}: {name} no longer makes "
                      f"{listed[name]['change']!r}", file=sys.stderr)
            elif equivalent_by_rule(diff):
                out[name] = "equivalent"
    finally:
        os.chdir(cwd)
    return out


def wilson(caught: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = caught / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _tested(counts: Counter) -> tuple[int, int]:
    caught = sum(counts[s] for s in CAUGHT)
    return caught, caught + sum(n for s, n in counts.items() if s not in CAUGHT | {"equivalent", "not checked"})


def table(status: dict[str, str]) -> tuple[str, Counter]:
    rows: dict[str, Counter] = {}
    for name, st in status.items():
        rows.setdefault(module_of(name), Counter())[st] += 1
    lines = ["| module | mutants | caught | survived | no test | equivalent | not run | kill rate |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    total: Counter = Counter()
    for module in sorted(rows):
        total.update(rows[module])
        lines.append(_row(module, rows[module]))
    lines.append(_row("**all**", total))
    return "\n".join(lines), total


def _row(module: str, counts: Counter) -> str:
    caught, tested = _tested(counts)
    rate = f"{caught / tested:.1%}" if tested else "-"
    return (f"| {module} | {sum(counts.values())} | {caught} | {counts['survived']} | {counts['no tests']} | "
            f"{counts['equivalent']} | {counts['not checked']} | {rate} |")


def _option(argv: list[str], flag: str) -> int | None:
    if flag in argv:
        at = argv.index(flag)
        value = int(argv[at + 1])
        del argv[at:at + 2]
        return value
    return None


def _run_mutmut(names: list[str]) -> None:
    env = dict(os.environ)
    shared = ROOT.parent / "shared"
    if shared.is_dir() and not env.get("PAPER_RECONCILE_SHARED"):
        env["PAPER_RECONCILE_SHARED"] = str(shared)
    mutmut = Path(sys.executable).with_name("mutmut")
    code = subprocess.run([str(mutmut), "run", *names], cwd=ROOT, env=env).returncode
    if code:
        print(f"mutmut run exited {code}", file=sys.stderr)


def main(argv: list[str]) -> int:
    argv = list(argv)
    size, seed = _option(argv, "--sample"), _option(argv, "--seed") or SEED
    mode = argv.pop(0)[2:] if argv[:1] and argv[0] in ("--report", "--list", "--survivors") else "run"
    results = statuses()
    if not results and mode == "run" and size is not None:
        # mutmut makes the mutants when it runs: run one cheap one to have the full list.
        _run_mutmut(["reconcile.ids.*__mutmut_1"])
        results = statuses()
    chosen = sample(list(results), size, seed) if size is not None else list(results)
    if mode == "run":
        _run_mutmut(argv or (chosen if size is not None else []))
    elif mode == "survivors":
        again = [n for n, st in classify({n: results[n] for n in chosen}).items()
                 if st not in CAUGHT | {"equivalent", "not checked"}]
        if again:
            _run_mutmut(again)
    results = statuses()
    if not results:
        print("no mutation results under mutants/: run without --report first", file=sys.stderr)
        return 2
    status = classify({n: results[n] for n in chosen if n in results})
    if mode == "list":
        for name, st in sorted(status.items()):
            if st not in CAUGHT | {"equivalent", "not checked"}:
                print(f"{st:>10}  {name}")
        return 0
    text, total = table(status)
    print(text)
    caught, tested = _tested(total)
    low, high = wilson(caught, tested)
    what = f"a sample of {len(chosen)} (seed {seed}) of {len(results)} mutants" if size else f"{len(results)} mutants"
    print(f"\nkill rate on reconcile/, {what}: {caught}/{tested} = "
          f"{caught / tested if tested else 0:.1%} (95% interval {low:.1%}-{high:.1%}); "
          f"{total['equivalent']} equivalent, {total['not checked']} not run")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
