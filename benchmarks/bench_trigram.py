"""What SQLite FTS5's trigram tokenizer would give as blocking for typo'd titles, measured
beside what ``resolve`` does (its one-edit second lookup), on a database that
``bench_resolve.py`` resolved.

    python benchmarks/bench_resolve.py --sizes 100000 --contenders resolve --keep --workdir W
    python benchmarks/bench_trigram.py W/bench-100000.db W/truth-100000.txt --sample 500

Issue 15 named FTS5 with a trigram tokenizer for the blocking index; ``resolve`` blocks a
typo'd title by exact keys, ends and rare words, and looks a word no paper carries up again
as its one-edit spellings (:meth:`reconcile.match.TitleIndex._near_candidate_ids`). This
script builds the trigram index that design would keep (an FTS5 table over every indexed
paper's title key, in a copy of the database) and, for a random sample of the generated
typo'd digest items whose paper a list holds, asks it for candidates two ways:

- ``title``: every trigram of the item's title key, OR'd, the best ``--limit`` by bm25 (a
  typo'd title shares most trigrams with the paper's; an AND of all of them would need
  every trigram, the misspelt ones too);
- ``word``: only the trigrams of the title's words that no paper carries (the misspelling,
  as the one-edit lookup sees it), OR'd, the best ``--limit`` by bm25; items with no such
  word are counted apart.

For each it prints the build time and the database's growth, the time per query (median,
95th percentile, mean), and recall at ``--limit``: how often the item's true paper is among
the candidates (a blocking step's ceiling: what scoring can link at most). Beside them,
what ``resolve`` did with the same items: the share it linked to the true paper. Nothing
here changes ``resolve``; it measures the road not taken. Timed on one CPU, in one process.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_resolve  # noqa: E402


def trigrams(text: str) -> list[str]:
    """The distinct trigrams of ``text`` in order, each quoted for an FTS5 query."""
    grams = dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2))
    return ['"' + g.replace('"', '""') + '"' for g in grams if len(g.strip()) == 3]


def build(conn: sqlite3.Connection) -> float:
    """The trigram table over every indexed title key (rowid = the index row's rowid)."""
    started = time.perf_counter()
    conn.execute("create virtual table tri using fts5(key, tokenize='trigram', content='')")
    conn.execute("insert into tri(rowid, key) select rowid, key from match_papers where key is not null")
    conn.commit()
    return time.perf_counter() - started


def query(conn: sqlite3.Connection, grams: list[str], limit: int) -> tuple[list[str], float]:
    started = time.perf_counter()
    rows = conn.execute("select m.paper_id from (select rowid from tri where tri match ? order by rank limit ?) t "
                        "join match_papers m on m.rowid = t.rowid", (" OR ".join(grams), limit)).fetchall()
    return [r[0] for r in rows], time.perf_counter() - started


def sample_items(conn: sqlite3.Connection, truth: dict[int, str], size: int, seed: int) -> list[tuple[int, str]]:
    """Typo'd digest items whose true paper a list holds: (observation id, title)."""
    listed = {r[0] for r in conn.execute("select distinct arxiv_id from observations where arxiv_id is not null")}
    rows = [(i, t) for i, t in conn.execute(
        "select id, title from observations where arxiv_id is null and json_extract(extra, '$.variant') = 'typo'")
        if truth.get(i) in listed]
    rows.sort()
    return random.Random(seed).sample(rows, min(size, len(rows)))


def figures(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"median {statistics.median(ms):.1f} ms, 95th percentile {p95:.1f} ms, mean {statistics.fmean(ms):.1f} ms"


def main(argv: list[str] | None = None) -> None:
    from reconcile.text import normalize_title

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="a database bench_resolve.py resolved (kept with --keep)")
    parser.add_argument("truth", help="its truth file (truth-SIZE.txt)")
    parser.add_argument("--sample", type=int, default=500, help="typo'd items to query")
    parser.add_argument("--limit", type=int, default=200, help="candidates per query (resolve's max_candidates)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    truth = bench_resolve.read_truth(args.truth)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "trigram.db"
        shutil.copy(args.db, db)
        conn = sqlite3.connect(db)
        pages = lambda: conn.execute("pragma page_count").fetchone()[0] * conn.execute("pragma page_size").fetchone()[0]
        before = pages()
        seconds = build(conn)
        papers = conn.execute("select count(*) from match_papers where key is not null").fetchone()[0]
        print(f"trigram index of {papers:,} title keys: built in {seconds:.1f} s, "
              f"database {before / 2**20:,.0f} -> {pages() / 2**20:,.0f} MiB")
        items = sample_items(conn, truth, args.sample, args.seed)
        carried = {r[0] for r in conn.execute("select value from match_blocks where kind = 'word'")}
        linked = dict(conn.execute("select observation_id, paper_id from links"))
        found = {"title": 0, "word": 0}
        times: dict[str, list[float]] = {"title": [], "word": []}
        no_unknown = right = 0
        for oid, title in items:
            key, paper = normalize_title(title), "arxiv:" + truth[oid]
            right += linked.get(oid) == paper
            got, took = query(conn, trigrams(key), args.limit)
            found["title"] += paper in got
            times["title"].append(took)
            unknown = [w for w in dict.fromkeys(key.split()) if w not in carried]
            grams = [g for w in unknown for g in trigrams(w)]
            if not grams:
                no_unknown += 1
                continue
            got, took = query(conn, grams, args.limit)
            found["word"] += paper in got
            times["word"].append(took)
        conn.close()
    n = len(items)
    print(f"{n:,} typo'd items whose paper a list holds (seed {args.seed}), {args.limit} candidates per query:")
    print(f"  resolve linked the true paper: {right:,} ({right / n:.4f})")
    print(f"  trigram, whole title: true paper among the candidates {found['title']:,} "
          f"({found['title'] / n:.4f}); {figures(times['title'])}")
    asked = n - no_unknown
    if asked:
        print(f"  trigram, unknown words only ({asked:,} items with a word no paper carries; "
              f"{no_unknown:,} without): true paper among the candidates {found['word']:,} "
              f"({found['word'] / asked:.4f}); {figures(times['word'])}")
    print(json.dumps({"items": n, "resolve_right": right, "found": found, "asked_word": asked,
                      "median_ms": {k: statistics.median(v) * 1000 for k, v in times.items() if v}}))


if __name__ == "__main__":
    main()
