"""One run against daily runs: the same generated observations resolved in one run, and
resolved a day at a time as a scheduled crawl meets them; prints how many links differ and
how, and how many are right each way.

    python benchmarks/bench_daily.py --size 10000

The data are :mod:`bench_resolve`'s (same generator, same seed). A day is the documents of
one listing day: its Hugging Face list and its digests. Each day's run is
``resolve(store, processes=1)``: the parent alone, as worker processes change nothing of
the links. Needs the shared samples (the vocabulary), like ``bench_resolve.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_resolve  # noqa: E402


def run(path: Path, docs: list, daily: bool) -> dict[int, tuple[str, str]]:
    """Ingest ``docs`` into a new store at ``path`` and resolve, once or after each day."""
    from reconcile.resolve import resolve
    from reconcile.store import Store

    store = Store(path)
    batch, day = [], None
    for doc, obs, _ in docs:
        if daily and day is not None and obs[0].listed_on != day:
            store.add_documents(batch)
            resolve(store, processes=1)
            batch = []
        day = obs[0].listed_on
        batch.append((doc, obs))
    store.add_documents(batch)
    resolve(store, processes=1)
    links = {r[0]: (r[1], r[2]) for r in store.db.execute("select observation_id, paper_id, method from links")}
    store.close()
    return links


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="observations to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", default=str(bench_resolve.DEFAULT_SAMPLES))
    args = parser.parse_args(argv)
    docs = list(bench_resolve.generate(args.size, bench_resolve.vocabulary(Path(args.samples)), args.seed))
    truth = {i: t for i, t in enumerate((t for _, _, ts in docs for t in ts), 1) if t}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        one = run(Path(tmp) / "one.db", docs, daily=False)
        daily = run(Path(tmp) / "daily.db", docs, daily=True)
    days = len({obs[0].listed_on for _, obs, _ in docs})
    differ = sorted(i for i in one if one[i] != daily.get(i))
    how = Counter((one[i][1], daily.get(i, ("", "none"))[1]) for i in differ)

    def right(links: dict, ids) -> int:
        return sum(links.get(i, ("",))[0] == f"arxiv:{truth[i]}" for i in ids if i in truth)

    print(f"{len(one):,} observations over {days} days, seed {args.seed} "
          f"({time.perf_counter() - started:.1f} s for both)")
    print(f"links that differ between one run and daily runs: {len(differ)}")
    for (a, b), n in how.most_common():
        print(f"  one run {a}, daily runs {b}: {n}")
    print(f"right links of digest items: one run {right(one, truth)}, daily runs {right(daily, truth)}; "
          f"among those that differ: one run {right(one, differ)}, daily runs {right(daily, differ)}")


if __name__ == "__main__":
    main()
