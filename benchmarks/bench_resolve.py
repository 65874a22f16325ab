"""Benchmark of ``reconcile resolve`` on synthetic observations shaped like the samples, beside a
naive all-pairs rapidfuzz baseline measured in the same run.

Usage::

    python benchmarks/bench_resolve.py                         # 10k, 100k and 1M observations
    python benchmarks/bench_resolve.py --sizes 10000,100000    # chosen sizes
    python benchmarks/bench_resolve.py --baseline-budget 60    # seconds the baseline may take

What is generated (``--seed`` makes it repeatable): day after day, a Hugging Face list of 15-30
papers with arXiv ids, titles and authors, and three digests of 10 items each without ids.
Digest items are mostly that day's papers, some from the three days before, and 10% papers
that no list ever holds. Their titles are variants of the real one: exact (35%), lower-cased
(20%), cut at the colon (15%), truncated with "..." or "…" (15%), with a letter dropped or
two swapped (15%); 5% of the items are mentions (a name in prose, no title). Titles are
written by a word-bigram model of the words of the Hugging Face sample titles, with names
recombined from the parts of the sample names before the colon ("OmniSIFT" -> "Omni",
"SIFT"), so similar titles and shared names occur; 5% are "<Name> Technical Report". The
vocabulary is read from ``--samples`` (../shared/samples by default).

How it is measured: for each size, one process generates the observations and ingests them
into a fresh SQLite store (``Store.add_documents``); a second, fresh process opens the store
and runs :func:`reconcile.resolve.resolve` once over all of them. Its wall time gives
observations per second; its peak memory is the peak resident set size of that process
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: interpreter and imports included, the
generator not). A third process runs the baseline: every digest title against every paper
title of the Hugging Face lists with ``rapidfuzz.process.extractOne(..., scorer=fuzz.ratio,
processor=None, score_cutoff=90)`` on titles pre-processed once with
``rapidfuzz.utils.default_process`` (lower-case, punctuation out), linking at 90 like
``MatchConfig.title_accept``. It runs in full when a timed sample says it fits in
``--baseline-budget`` seconds; otherwise it runs on a random sample of queries and the full
time is extrapolated (queries x papers grow together, so the cost is quadratic), and the
table says so. A last fresh process measures the scheduled case: it adds one more day (a
Hugging Face list of 15-30 papers and three digests of 10 items) to the resolved
database and times ``resolve`` again, which reads every paper into the matcher's index but
places, merges and checks only what that day touches.

Precision and recall are computed on the synthetic ground truth as in
``tests/test_match_quality.py``: precision = title/mention links to the right paper / all
such links (a paper that no list holds is right as a title-only paper holding only it);
recall = digest observations linked to their arXiv paper / digest observations whose paper
is on a list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = ROOT.parent / "shared" / "samples"
START = dt.date(2024, 1, 1)
VARIANTS = (("exact", 35), ("lower", 20), ("colon", 15), ("truncated", 15), ("typo", 15))
MENTION_SHARE = 0.05
OFF_LIST_SHARE = 0.10
DIGESTS_PER_DAY, DIGEST_ITEMS = 3, 10
_NAME_PART = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+")


# -- vocabulary --------------------------------------------------------------------------------

def vocabulary(samples: Path) -> dict:
    """Word bigrams, name parts, suffixes and author names of the Hugging Face sample titles."""
    titles, authors = [], []
    for path in sorted((samples / "hf-daily-papers-api").glob("*/*.json")):
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        for item in items if isinstance(items, list) else []:
            paper = item.get("paper") or {}
            if paper.get("title"):
                titles.append(" ".join(paper["title"].split()))
                authors += [a["name"] for a in paper.get("authors") or [] if a.get("name")]
    if not titles:
        raise SystemExit(f"no Hugging Face sample titles under {samples} (pass --samples)")
    bigrams: dict[str, Counter] = defaultdict(Counter)
    parts: Counter = Counter()
    suffixes: Counter = Counter()
    for title in titles:
        name, _, body = title.partition(":")
        if body and len(name.split()) == 1:
            pieces = re.split(r"[-_]", name)
            parts.update(p for p in _NAME_PART.findall(pieces[0]) if len(p) > 1)
            suffixes.update(f"-{p}" for p in pieces[1:] if p)
        else:
            body = title
        words = ["<s>", *body.split(), "</s>"]
        for a, b in zip(words, words[1:]):
            bigrams[a][b] += 1
    return {"bigrams": {w: (list(c), list(c.values())) for w, c in bigrams.items()},
            "parts": list(parts), "suffixes": list(suffixes), "authors": sorted(set(authors))}


class TitleMaker:
    """Made-up titles in the style of the samples (a bigram walk, names from name parts)."""

    def __init__(self, vocab: dict, rng: random.Random) -> None:
        self.v, self.rng = vocab, rng

    def body(self) -> str:
        words, word = [], "<s>"
        while len(words) < 16:
            nexts, weights = self.v["bigrams"][word]
            word = self.rng.choices(nexts, weights)[0]
            if word == "</s>":
                if len(words) >= 4:
                    break
                word = "<s>"
                continue
            words.append(word)
        return " ".join(words)

    def name(self) -> str:
        rng = self.rng
        name = "".join(rng.choice(self.v["parts"]) for _ in range(rng.choice((1, 2, 2, 3))))
        if rng.random() < 0.3:
            name += rng.choice(self.v["suffixes"])
        return name

    def title(self) -> tuple[str, str | None]:
        """A title and the name it starts with (None for a title without one)."""
        roll = self.rng.random()
        if roll < 0.05:
            name = self.name()
            return f"{name} Technical Report", name
        if roll < 0.60:
            name = self.name()
            return f"{name}: {self.body()}", name
        return self.body(), None


def variant(title: str, name: str | None, rng: random.Random) -> tuple[str, str]:
    """The title as a careless digest writes it, and which variant that is."""
    kind = rng.choices([k for k, _ in VARIANTS], [w for _, w in VARIANTS])[0]
    words = title.split()
    if kind == "colon" and name and ":" in title:
        return name, kind
    if kind == "truncated" and len(words) >= 8:
        return " ".join(words[: rng.randint(5, len(words) - 2)]) + rng.choice(("...", "…", " ...")), kind
    if kind == "typo":
        long = [i for i, w in enumerate(words) if len(w) >= 6]
        if long:
            i = rng.choice(long)
            w, j = words[i], rng.randint(1, len(words[i]) - 3)
            words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2:]
            return " ".join(words), kind
    if kind in ("lower", "truncated", "typo"):
        return title.lower(), "lower"
    return title, "exact"


# -- generation and ingest ---------------------------------------------------------------------

def generate(n_obs: int, vocab: dict, seed: int, start: dt.date = START, first_serial: int = 0):
    """Yield ``(document, observations, truth)`` per list or digest until ``n_obs`` observations;
    ``truth`` holds the true arXiv id of each digest observation (None for list items). Days
    run from ``start``; paper ids are numbered from ``first_serial`` (a later day of an
    existing database takes ids beyond its own)."""
    from reconcile.models import Document, Observation, Source, TimeBasis

    rng = random.Random(seed)
    maker = TitleMaker(vocab, rng)
    serial = first_serial
    recent: list[list[dict]] = []
    total = 0

    def new_paper(day: dt.date) -> dict:
        nonlocal serial
        serial += 1
        month, number = divmod(serial - 1, 99999)
        year, mon = divmod(month, 12)
        title, name = maker.title()
        return {"id": f"{24 + year:02d}{mon + 1:02d}.{number + 1:05d}", "title": title, "name": name,
                "authors": rng.sample(vocab["authors"], rng.randint(3, 8)), "day": day,
                "upvotes": int(rng.paretovariate(1.2) * 5)}

    def document(url: str, source, at: dt.datetime, basis) -> Document:
        return Document(url=url, source=source, site=url.split("/")[2], format=f"bench-{source.value}",
                        observed_at=at, observed_at_basis=basis, sha256=hashlib.sha256(url.encode()).hexdigest())

    day = start
    while total < n_obs:
        listed = [new_paper(day) for _ in range(rng.randint(15, 30))]
        at = dt.datetime.combine(day, dt.time(7, 45), dt.timezone.utc)
        doc = document(f"https://huggingface.co/api/daily_papers?date={day}", Source.HUGGINGFACE, at, TimeBasis.RESPONSE)
        obs = [Observation(source=Source.HUGGINGFACE, site="huggingface.co", arxiv_id=p["id"], title=p["title"],
                           authors=p["authors"], published=day - dt.timedelta(days=rng.randint(1, 3)),
                           listed_on=day, upvotes=p["upvotes"], url=f"https://huggingface.co/papers/{p['id']}")
               for p in listed]
        yield doc, obs, [None] * len(obs)
        total += len(obs)
        recent = [listed, *recent[:3]]
        for d in range(DIGESTS_PER_DAY):
            site = f"digest-{d}.example"
            doc = document(f"https://{site}/{day}", Source.DIGEST, at + dt.timedelta(hours=2 + d), TimeBasis.PUBLISHED)
            obs, truth = [], []
            for rank in range(1, DIGEST_ITEMS + 1):
                roll = rng.random()
                if roll < OFF_LIST_SHARE:
                    paper = new_paper(day)  # a paper no list will ever hold
                elif roll < OFF_LIST_SHARE + 0.1 and len(recent) > 1:
                    paper = rng.choice(rng.choice(recent[1:]))
                else:
                    paper = rng.choice(listed)
                fields = dict(source=Source.DIGEST, site=site, listed_on=day, rank=rank,
                              upvotes=max(0, paper["upvotes"] - rng.randint(0, 4)))
                if paper["name"] and rng.random() < MENTION_SHARE:
                    obs.append(Observation(**fields, extra={"mention": True, "mentioned_as": paper["name"]}))
                else:
                    title, kind = variant(paper["title"], paper["name"], rng)
                    obs.append(Observation(**fields, title=title, extra={"variant": kind}))
                truth.append(paper["id"])
            yield doc, obs, truth
            total += len(obs)
        day += dt.timedelta(days=1)


def phase_ingest(args) -> dict:
    """Generate ``--size`` observations into a fresh store; write the ground truth beside it."""
    from reconcile.store import Store

    vocab = vocabulary(Path(args.samples))
    store = Store(args.db)
    batch, truth_lines, count = [], [], 0
    started = time.perf_counter()
    with open(args.truth, "w", encoding="utf-8") as truth_file:
        for doc, obs, truth in generate(args.size, vocab, args.seed):
            batch.append((doc, obs))
            truth_lines += [t or "" for t in truth]
            count += len(obs)
            if len(batch) >= 400:
                store.add_documents(batch)
                truth_file.write("\n".join(truth_lines) + "\n")
                batch, truth_lines = [], []
        if batch:
            store.add_documents(batch)
            truth_file.write("\n".join(truth_lines) + "\n")
    seconds = time.perf_counter() - started
    assert store.db.execute("select max(id) from observations").fetchone()[0] == count
    store.close()
    return {"observations": count, "ingest_seconds": seconds}


def read_truth(path: str) -> dict[int, str]:
    """Observation id (1-based insertion order) -> true arXiv id, for digest observations."""
    with open(path, encoding="utf-8") as f:
        return {i: line.strip() for i, line in enumerate(f, 1) if line.strip()}


def score(links: dict[int, tuple[str, str]], truth: dict[int, str], listed: set[str]) -> dict:
    """Precision and recall of title/mention links (``links``: obs id -> (paper id, method))."""
    members: dict[str, set[str]] = defaultdict(set)
    for obs_id, true_id in truth.items():
        if obs_id in links:
            members[links[obs_id][0]].add(true_id)
    made = right = found = target = 0
    for obs_id, true_id in truth.items():
        paper, method = links.get(obs_id, (None, "none"))
        right_paper = paper == f"arxiv:{true_id}" or (
            paper is not None and paper.startswith("title:") and true_id not in listed and members[paper] == {true_id})
        if method in ("title", "mention"):
            made += 1
            right += right_paper
        if true_id in listed:
            target += 1
            found += paper == f"arxiv:{true_id}"
    return {"links_made": made, "links_right": right, "precision": right / made if made else None,
            "in_lists": target, "found": found, "recall": found / target if target else None}


def phase_resolve(args) -> dict:
    """Resolve everything once in this fresh process; time it, then score the links."""
    from reconcile.resolve import resolve
    from reconcile.store import Store

    store = Store(args.db)
    started = time.perf_counter()
    summary = resolve(store)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    truth = read_truth(args.truth)
    links = {r[0]: (r[1], r[2]) for r in store.db.execute("select observation_id, paper_id, method from links")}
    listed = {r[0] for r in store.db.execute("select distinct arxiv_id from observations where arxiv_id is not null")}
    papers = store.db.execute("select count(*) from papers").fetchone()[0]
    kinds = {r[0]: r[1] or "mention" for r in store.db.execute(
        "select id, json_extract(extra, '$.variant') from observations where arxiv_id is null")}
    by_variant = {}
    for kind in sorted(set(kinds.values())):
        part = {i: t for i, t in truth.items() if kinds[i] == kind}
        by_variant[kind] = score(links, part, listed)["recall"]
    return {"resolve_seconds": seconds, "peak_rss_mib": peak_kib / 1024, "papers": papers,
            "by_method": summary.by_method, "discrepancies": summary.discrepancies,
            "recall_by_variant": by_variant, **score(links, truth, listed)}


# Paper numbers of the day added by the incremental phase: far beyond any size's own.
NEXT_DAY_SERIAL = 50 * 99999


def phase_next_day(args) -> dict:
    """The scheduled case: one more day (a Hugging Face list and three digests) added to the
    resolved database, then ``resolve`` in this fresh process, timed. It reads every paper
    into the matcher's index but places, merges and checks only what the day touches."""
    from reconcile.resolve import resolve
    from reconcile.store import Store

    store = Store(args.db)
    last = store.db.execute("select max(listed_on) from observations").fetchone()[0]
    day = dt.date.fromisoformat(last) + dt.timedelta(days=1)
    batch = list(generate(1, vocabulary(Path(args.samples)), args.seed + 1, start=day,
                          first_serial=NEXT_DAY_SERIAL))
    store.add_documents([(doc, obs) for doc, obs, _ in batch])
    started = time.perf_counter()
    summary = resolve(store)
    seconds = time.perf_counter() - started
    return {"next_day_observations": summary.new_observations, "next_day_placed": summary.linked,
            "next_day_papers_touched": summary.papers_touched, "next_day_seconds": seconds,
            "next_day_peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def phase_baseline(args) -> dict:
    """Every digest title against every listed paper's title with rapidfuzz; maybe sampled."""
    import sqlite3

    from rapidfuzz import fuzz, process, utils

    conn = sqlite3.connect(args.db)
    papers = conn.execute("select arxiv_id, title from observations where arxiv_id is not null order by id").fetchall()
    queries = conn.execute("select id, title from observations where arxiv_id is null and title is not null "
                           "order by id").fetchall()
    conn.close()
    started = time.perf_counter()
    choices = [utils.default_process(t) for _, t in papers]
    ids = [i for i, _ in papers]
    prepare = time.perf_counter() - started

    def run(batch):
        found = {}
        for obs_id, title in batch:
            best = process.extractOne(utils.default_process(title), choices, scorer=fuzz.ratio,
                                      processor=None, score_cutoff=90)
            if best:
                found[obs_id] = (f"arxiv:{ids[best[2]]}", "title")
        return found

    rng = random.Random(args.seed)
    probe = rng.sample(queries, min(len(queries), 200))
    started = time.perf_counter()
    run(probe)
    per_query = (time.perf_counter() - started) / len(probe)
    estimate = prepare + per_query * len(queries)
    if estimate <= args.baseline_budget:
        started = time.perf_counter()
        links = run(queries)
        seconds = prepare + time.perf_counter() - started
        truth = read_truth(args.truth)
        listed = set(ids)
        quality = score(links, truth, listed)  # mentions have no title: the baseline misses them
        return {"baseline_mode": "full", "baseline_seconds": seconds, "queries": len(queries),
                "choices": len(choices), "baseline_peak_rss_mib":
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **{f"baseline_{k}": v for k, v in quality.items()}}
    sample = rng.sample(queries, max(200, min(len(queries), int(args.baseline_budget / max(per_query, 1e-9) / 2))))
    started = time.perf_counter()
    run(sample)
    per_query = (time.perf_counter() - started) / len(sample)
    return {"baseline_mode": "sampled", "baseline_sampled_queries": len(sample), "queries": len(queries),
            "choices": len(choices), "baseline_seconds": prepare + per_query * len(queries),
            "baseline_per_query_ms": per_query * 1000}


# -- driver --------------------------------------------------------------------------------------

def _child(phase: str, args, size: int, db: Path, truth: Path) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--size", str(size), "--db", str(db), "--truth", str(truth),
           "--seed", str(args.seed), "--samples", str(args.samples), "--baseline-budget", str(args.baseline_budget)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{phase} at {size} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt_seconds(s: float) -> str:
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    if s >= 120:
        return f"{s / 60:.1f} min"
    return f"{s:.1f} s"


def table(rows: list[dict]) -> str:
    """The Markdown table of a run."""
    out = ["| observations | papers | ingest | resolve | obs/s | peak RSS (resolve process) | precision | recall "
           "| one more day: resolve, peak RSS | all-pairs baseline | baseline precision / recall |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for r in rows:
        if r["baseline_mode"] == "full":
            base = f"{_fmt_seconds(r['baseline_seconds'])} measured ({r['queries']:,} x {r['choices']:,} titles)"
            bq = f"{r['baseline_precision']:.4f} / {r['baseline_recall']:.4f}"
        else:
            base = (f"**~{_fmt_seconds(r['baseline_seconds'])} extrapolated** from {r['baseline_sampled_queries']:,} "
                    f"of {r['queries']:,} queries x {r['choices']:,} titles ({r['baseline_per_query_ms']:.1f} ms each)")
            bq = "not run in full"
        day = (f"{r['next_day_observations']:,} obs: {_fmt_seconds(r['next_day_seconds'])}, "
               f"{r['next_day_peak_rss_mib']:,.0f} MiB")
        out.append(f"| {r['observations']:,} | {r['papers']:,} | {_fmt_seconds(r['ingest_seconds'])} "
                   f"| {_fmt_seconds(r['resolve_seconds'])} | {r['observations'] / r['resolve_seconds']:,.0f} "
                   f"| {r['peak_rss_mib']:,.0f} MiB | {r['precision']:.4f} | {r['recall']:.4f} | {day} | {base} "
                   f"| {bq} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="observation counts, comma separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", default=str(DEFAULT_SAMPLES), help="the shared samples folder (vocabulary)")
    parser.add_argument("--baseline-budget", type=float, default=300.0,
                        help="seconds the all-pairs baseline may run in full at one size; beyond, sample")
    parser.add_argument("--workdir", default=None, help="where the databases go (a temporary folder by default)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--output", default=None, help="also write the Markdown to this file")
    parser.add_argument("--phase", choices=("ingest", "resolve", "next-day", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--truth", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.phase:
        result = {"ingest": phase_ingest, "resolve": phase_resolve, "next-day": phase_next_day,
                  "baseline": phase_baseline}[args.phase](args)
        print(json.dumps(result))
        return
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-resolve-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        db, truth = workdir / f"bench-{size}.db", workdir / f"truth-{size}.txt"
        for path in (db, truth):
            path.unlink(missing_ok=True)
        row = {**_child("ingest", args, size, db, truth)}
        print(f"[{size:,}] ingested {row['observations']:,} observations in {_fmt_seconds(row['ingest_seconds'])}",
              file=sys.stderr, flush=True)
        row |= _child("baseline", args, size, db, truth)
        print(f"[{size:,}] baseline ({row['baseline_mode']}) {_fmt_seconds(row['baseline_seconds'])}",
              file=sys.stderr, flush=True)
        row |= _child("resolve", args, size, db, truth)
        print(f"[{size:,}] resolve {_fmt_seconds(row['resolve_seconds'])}, peak RSS {row['peak_rss_mib']:,.0f} MiB, "
              f"precision {row['precision']:.4f}, recall {row['recall']:.4f}, {row['by_method']}",
              file=sys.stderr, flush=True)
        row |= _child("next-day", args, size, db, truth)
        print(f"[{size:,}] one more day: {row['next_day_observations']:,} observations resolved in "
              f"{_fmt_seconds(row['next_day_seconds'])}, peak RSS {row['next_day_peak_rss_mib']:,.0f} MiB",
              file=sys.stderr, flush=True)
        rows.append(row)
        if not args.keep:
            for path in (db, truth):
                path.unlink(missing_ok=True)
    machine = (f"{os.cpu_count()} CPUs (`nproc`), Python {platform.python_version()}, {platform.machine()}, "
               f"seed {args.seed}")
    variants = sorted({k for r in rows for k in r["recall_by_variant"]})
    by_variant = ["| observations | " + " | ".join(variants) + " |", "|---:|" + "---:|" * len(variants)]
    by_variant += [f"| {r['observations']:,} | " + " | ".join(f"{r['recall_by_variant'].get(k, 0):.4f}" for k in variants)
                   + " |" for r in rows]
    text = (f"{table(rows)}\n\nRecall of resolve by digest title variant:\n\n" + "\n".join(by_variant)
            + f"\n\nMachine: {machine}.\n")
    print(text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
