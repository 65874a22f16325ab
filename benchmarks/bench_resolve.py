"""Benchmark of ``reconcile resolve`` on synthetic observations shaped like the samples, beside
two contenders measured in the same run on the same data: Splink and a blocked rapidfuzz
``cdist``.

Usage::

    python benchmarks/bench_resolve.py                         # 10k, 100k and 1M observations
    python benchmarks/bench_resolve.py --sizes 10000,100000    # chosen sizes
    python benchmarks/bench_resolve.py --contenders resolve,cdist,allpairs
    python benchmarks/bench_resolve.py --baseline-budget 60    # seconds the all-pairs run may take

The contenders need the ``bench`` extra (``pip install -e '.[bench]'``: splink 5 with DuckDB,
numpy); without splink its row says so and the rest runs.

What is generated (``--seed`` makes it repeatable): day after day, a Hugging Face list of 15-30
papers with arXiv ids, titles and authors, and three digests of 10 items each without ids.
Digest items are mostly that day's papers, some from the three days before, and 10% papers
that no list ever holds. Their titles are variants of the real one: exact (35%), lower-cased
(20%), cut at the colon (15%), truncated with "..." or "…" (15%), with a letter dropped or
two swapped (15%); 5% of the items are mentions (a name in prose, no title). Titles are
written by a word-bigram model of the words of the Hugging Face sample titles, with names
recombined from the parts of the sample names before the colon ("OmniSIFT" -> "Omni",
"SIFT"), so similar titles and shared names occur; 5% are "<Name> Technical Report". The
vocabulary is read from ``--samples`` (../shared/samples by default). Digest items carry no
authors and no publication date, only the day of the digest.

How it is measured: for each size, one process generates the observations and ingests them
into a fresh SQLite store (``Store.add_documents``); then each contender chosen with
``--contenders`` (default ``resolve,splink,cdist``) runs in a fresh process of its own on that
store, the store unchanged between them (``resolve`` runs last). Every row gives the wall time
of the contender's work, observations per second (all observations of the store / that time),
and peak memory: the peak resident set size of that process
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``: interpreter and imports included, the
generator not; for Splink, DuckDB runs in the same process and is included). Imports are not
timed. ``resolve`` merges and checks a large run in worker processes (as many as
:func:`reconcile.resolve.workers` gives: the CPUs it may use, at most 4); their peak RSS is
given beside the parent's (``RUSAGE_CHILDREN``: the largest worker; pages they share with
the parent count in both). ``--threads`` (by default the same number) sets DuckDB's threads
and cdist's workers.

- ``resolve``: :func:`reconcile.resolve.resolve` once over all observations: reading them,
  matching, merging, checking and writing. A further fresh process then measures the
  scheduled case: it adds one more day (a Hugging Face list of 15-30 papers and three
  digests of 10 items) to the resolved database and times ``resolve`` again, which looks up
  in the stored blocking index only what that day's observations need and places, merges
  and checks only what that day touches.
- ``splink``: Splink 5 with its DuckDB backend (in memory), a ``link_only`` job between two
  tables: the listed papers (one row per Hugging Face observation) and the digest
  observations that have a title (mentions are left out: they count as not linked). Each row
  has the title normalized (``rapidfuzz.utils.default_process``, whitespace collapsed), its
  first two words, its colon head (the part before the first colon, else the whole title),
  the day (``listed_on``) and the authors. Comparisons: Jaro-Winkler on the title (exact,
  >= 0.97, 0.92, 0.85, 0.7), exact colon head, absolute day difference (same day, <= 1,
  <= 3 days), and an array intersection of authors (>= 2, >= 1) only when both tables have
  authors (the generated digests never do). Blocking rules for prediction: same first two
  words, same colon head, same day. Training: the prior is 1 / papers (each item names at
  most one paper); ``estimate_u_using_random_sampling`` (1e6 pairs, seeded), then EM blocked
  on the day and EM blocked on the colon head. The model predicts once, keeping pairs at
  or above a low floor (0.01, below every threshold scored), and each digest item's best
  pair among them is kept. Its main row links each item whose best pair reaches
  ``--splink-threshold`` (0.9: a confident match, the analogue of resolve's title_accept of
  90). Timed from reading the store to those links, training and the one prediction
  included. Then, untimed and without running the model again, the same best pairs are
  scored at each threshold of 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 0.95 and 0.99
  (and ``--splink-threshold``) with the same :func:`score`; a table lists them, and a row,
  "Splink, best threshold (p >= X, chosen on the truth: an upper bound)", gives the threshold
  whose F1 is highest (ties: the lower threshold) with its precision, recall, F1 and recall
  per variant. That threshold is picked by looking at the answers, which a real run cannot
  do, so the row is an upper bound on Splink with this model, not a setting it would find
  by itself. Its wall time and peak RSS are those of the one Splink run (training, one
  prediction, best pairs), repeated: the threshold costs nothing to change.
- ``cdist``: blocked rapidfuzz. Digest titles and paper titles, normalized as for Splink, are
  blocked by their first word; a block's choices are its papers' titles and, for titles with
  a colon, their colon heads (so a digest that writes only the name meets its paper). Each
  block is scored with one ``rapidfuzz.process.cdist(queries, choices, scorer=fuzz.ratio,
  processor=None, score_cutoff=90, workers=--threads)`` call (queries split only if a block
  would exceed 5 million cells), and each query takes its best choice at or above 90. No
  merge, no checks; mentions (no title) count as not linked. Timed from reading the store to
  the links.
- ``allpairs`` (not in the default set; the earlier naive baseline, kept): every digest
  title against every listed paper's title with ``rapidfuzz.process.extractOne(...,
  scorer=fuzz.ratio, processor=None, score_cutoff=90)`` on titles pre-processed once with
  ``rapidfuzz.utils.default_process``. It runs in full when a timed sample says it fits in
  ``--baseline-budget`` seconds; otherwise it runs on a random sample of queries and the
  full time is extrapolated (queries x papers grow together, so the cost is quadratic), and
  the table says so.

Every contender's links are scored the same way, by :func:`score` on the synthetic ground
truth, as in ``tests/test_match_quality.py``: precision = title/mention links to the right
paper / all such links (a paper that no list holds is right as a title-only paper holding
only it); recall = digest observations linked to their arXiv paper / digest observations
whose paper is on a list; F1 their harmonic mean. A second table gives recall per title
variant (Splink's best-threshold row included).
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


def listed_ids(db: str) -> set[str]:
    """The arXiv ids the store's lists carry (what recall is measured against)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("select distinct arxiv_id from observations where arxiv_id is not null")}
    finally:
        conn.close()


def quality(links: dict[int, tuple[str, str]], db: str, truth_path: str) -> dict:
    """Every contender's links scored the same way: :func:`score` against the truth file,
    overall and per digest title variant (recall only)."""
    import sqlite3

    truth = read_truth(truth_path)
    listed = listed_ids(db)
    conn = sqlite3.connect(db)
    kinds = {r[0]: r[1] or "mention" for r in conn.execute(
        "select id, json_extract(extra, '$.variant') from observations where arxiv_id is null")}
    conn.close()
    by_variant = {}
    for kind in sorted(set(kinds.values())):
        part = {i: t for i, t in truth.items() if kinds[i] == kind}
        by_variant[kind] = score(links, part, listed)["recall"]
    quality = score(links, truth, listed)
    quality["f1"] = f1(quality["precision"], quality["recall"])
    return {**quality, "recall_by_variant": by_variant}


def f1(precision: float | None, recall: float | None) -> float | None:
    """The harmonic mean of precision and recall (None when either is None or 0)."""
    return 2 * precision * recall / (precision + recall) if precision and recall else None


def phase_resolve(args) -> dict:
    """Resolve everything once in this fresh process; time it, then score the links."""
    from reconcile.resolve import resolve
    from reconcile.store import Store

    store = Store(args.db)
    started = time.perf_counter()
    summary = resolve(store)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    links = {r[0]: (r[1], r[2]) for r in store.db.execute("select observation_id, paper_id, method from links")}
    papers = store.db.execute("select count(*) from papers").fetchone()[0]
    store.close()
    return {"seconds": seconds, "peak_rss_mib": peak_kib / 1024, "worker_peak_rss_mib": worker_kib / 1024,
            "papers": papers,
            "by_method": summary.by_method, "discrepancies": summary.discrepancies, "steps": summary.seconds,
            **quality(links, args.db, args.truth)}


# Paper numbers of the day added by the incremental phase: far beyond any size's own.
NEXT_DAY_SERIAL = 50 * 99999


def phase_next_day(args) -> dict:
    """The scheduled case: one more day (a Hugging Face list and three digests) added to the
    resolved database, then ``resolve`` in this fresh process, timed. It reads from the
    stored blocking index what the day's lookups need, and places, merges and checks only
    what the day touches."""
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
        # mentions have no title: the baseline misses them
        return {"mode": "full", "seconds": seconds, "queries": len(queries), "choices": len(choices),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                **quality(links, args.db, args.truth)}
    sample = rng.sample(queries, max(200, min(len(queries), int(args.baseline_budget / max(per_query, 1e-9) / 2))))
    started = time.perf_counter()
    run(sample)
    per_query = (time.perf_counter() - started) / len(sample)
    return {"mode": "sampled", "sampled_queries": len(sample), "queries": len(queries),
            "choices": len(choices), "seconds": prepare + per_query * len(queries),
            "per_query_ms": per_query * 1000}


# -- contenders: Splink and a blocked cdist ---------------------------------------------------

# Splink's match probability a digest item's best paper must reach to be linked (the default
# of --splink-threshold): a confident match, the probability analogue of resolve's
# title_accept of 90. The model's prior is 1 / papers (each item names at most one paper).
SPLINK_THRESHOLD = 0.9
# Splink predicts once, keeping pairs at or above SPLINK_FLOOR (below every threshold scored,
# so each item's best pair at any of them is among those pairs); its best-pair links are
# then scored at each of SPLINK_THRESHOLDS (and --splink-threshold) without running the
# model again. The grid reaches well below 0.5: at 10k observations (seed 1) F1 still rose
# from p >= 0.5 (0.9758) to p >= 0.05 (0.9815) and fell again at 0.02 (0.9809, precision down).
SPLINK_FLOOR = 0.01
SPLINK_THRESHOLDS = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 0.9, 0.95, 0.99)
# Pairs that estimate_u_using_random_sampling draws. Splink suggests 1e7 or more; at 10k
# observations 5e6 took four times as long (40 s against 10 s, one thread) for the same
# precision and recall to three places.
SPLINK_U_PAIRS = 1e6
CDIST_CUTOFF = 90  # fuzz.ratio a digest title must reach, like MatchConfig.title_accept
CDIST_CELLS = 5_000_000  # queries x choices per cdist call (float32: 20 MB), to bound memory


def _norm(title: str) -> str:
    """The contenders' title key: rapidfuzz's default_process (lower-case, every character
    that is not a letter or digit becomes a space), whitespace collapsed."""
    from rapidfuzz import utils

    return " ".join(utils.default_process(title).split())


def _contender_inputs(db: str) -> tuple[list[dict], list[dict]]:
    """The papers of the Hugging Face lists (observations with an arXiv id) and the digest
    observations with a title, each with its normalized title, first words, colon head
    (the part before the first colon; the whole title when there is none) and day."""
    import sqlite3

    conn = sqlite3.connect(db)
    papers, digests = [], []
    for obs_id, arxiv_id, title, authors, day in conn.execute(
            "select id, arxiv_id, title, authors, listed_on from observations where title is not null order by id"):
        norm = _norm(title)
        row = {"unique_id": obs_id, "title": norm, "first_words": " ".join(norm.split()[:2]),
               "first_word": norm.split(" ", 1)[0], "head": _norm(title.split(":", 1)[0]) if ":" in title else norm,
               "day": day, "authors": json.loads(authors) if authors and arxiv_id else None}
        if arxiv_id:
            papers.append({**row, "arxiv_id": arxiv_id})
        else:
            digests.append(row)
    conn.close()
    return papers, digests




def phase_splink(args) -> dict:
    """Splink 5 (DuckDB backend), a link_only job: digest items against the listed papers."""
    try:
        import duckdb
        import pyarrow as pa
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError as exc:
        return {"error": "splink not installed (pip install -e '.[bench]')", "detail": str(exc)}
    import splink

    started = time.perf_counter()
    papers, digests = _contender_inputs(args.db)
    schema = pa.schema([("unique_id", pa.int64()), ("title", pa.string()), ("first_words", pa.string()),
                        ("head", pa.string()), ("day", pa.string()), ("authors", pa.list_(pa.string()))])

    def table_of(rows):
        return pa.Table.from_pylist([{k: r[k] for k in schema.names} for r in rows], schema=schema)

    con = duckdb.connect()
    con.execute(f"SET threads TO {args.threads}")
    db_api = DuckDBAPI(con)
    left = db_api.register(table_of(papers), dataset_display_name="hf_papers")
    right = db_api.register(table_of(digests), dataset_display_name="digest_items")
    comparisons = [
        cl.JaroWinklerAtThresholds("title", [0.97, 0.92, 0.85, 0.7]),
        cl.ExactMatch("head"),  # the colon head: "OmniSIFT" meets "OmniSIFT: ..."
        cl.AbsoluteDateDifferenceAtThresholds("day", input_is_string=True, metrics=["day", "day"], thresholds=[1, 3]),
    ]
    # Authors only when both sides have some: the generated digests never do, and a comparison
    # that is always at its null level weighs nothing and leaves its m and u untrainable.
    with_authors = any(p["authors"] for p in papers) and any(d["authors"] for d in digests)
    if with_authors:
        comparisons.append(cl.ArrayIntersectAtSizes("authors", [2, 1]))
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on("first_words"), block_on("head"), block_on("day")],
        probability_two_random_records_match=1 / max(1, len(papers)),
        retain_matching_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=SPLINK_U_PAIRS, seed=args.seed)
    # Two EM sessions, so that every comparison is estimated in one of them: blocked on the
    # day (estimates title, head, authors), then on the colon head (estimates the day).
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("day"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("head"))
    trained = time.perf_counter() - started
    threshold = args.splink_threshold
    floor = min(SPLINK_FLOOR, threshold)
    # One prediction at the floor; each item's best pair among them (ties: the first seen).
    predictions = linker.inference.predict(threshold_match_probability=floor)
    result = predictions.as_pyarrow_table().select(["unique_id_l", "unique_id_r", "match_probability"]).to_pylist()
    paper_of = {p["unique_id"]: p["arxiv_id"] for p in papers}
    best: dict[int, tuple[float, str]] = {}
    for r in result:
        a, b, prob = r["unique_id_l"], r["unique_id_r"], r["match_probability"]
        paper, item = (a, b) if a in paper_of else (b, a)
        if item not in best or prob > best[item][0]:
            best[item] = (prob, paper_of[paper])

    def links_at(t: float) -> dict[int, tuple[str, str]]:
        """Each item linked to its best paper when that pair's probability is at least ``t``."""
        return {item: (f"arxiv:{arxiv_id}", "title") for item, (prob, arxiv_id) in best.items() if prob >= t}

    links = links_at(threshold)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Not timed: the same links scored at each threshold, the model not run again.
    truth, listed = read_truth(args.truth), listed_ids(args.db)
    by_threshold = {}
    for t in sorted({*SPLINK_THRESHOLDS, threshold}):
        s = score(links_at(t), truth, listed)
        by_threshold[t] = {"links_made": s["links_made"], "precision": s["precision"], "recall": s["recall"],
                           "f1": f1(s["precision"], s["recall"])}
    # The highest F1 (ties: the lower threshold, as the thresholds run upwards).
    top = max(by_threshold, key=lambda t: (by_threshold[t]["f1"] or -1, -t))
    return {"seconds": seconds, "peak_rss_mib": peak, "train_seconds": trained, "pairs_predicted": len(result),
            "predict_floor": floor, "threshold": threshold, "authors_compared": with_authors,
            "version": splink.__version__, "duckdb": duckdb.__version__,
            "by_threshold": [{"threshold": t, **q} for t, q in by_threshold.items()],
            "best": {"threshold": top, "seconds": seconds, "peak_rss_mib": peak,
                     **quality(links_at(top), args.db, args.truth)},
            **quality(links, args.db, args.truth)}


def phase_cdist(args) -> dict:
    """Blocked rapidfuzz: per first normalized word, one cdist of the block's digest titles
    against its papers' titles and colon heads; each query's best choice at 90 or more."""
    import numpy as np
    from rapidfuzz import fuzz, process

    started = time.perf_counter()
    papers, digests = _contender_inputs(args.db)
    choices: dict[str, list[tuple[str, str]]] = defaultdict(list)  # first word -> (string, arXiv id)
    for p in papers:
        choices[p["first_word"]].append((p["title"], p["arxiv_id"]))
    for p in papers:  # heads after titles: on a tie, the whole title wins
        if p["head"] != p["title"]:
            choices[p["first_word"]].append((p["head"], p["arxiv_id"]))
    queries: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for d in digests:
        queries[d["first_word"]].append((d["unique_id"], d["title"]))
    links, calls = {}, 0
    for key, block in queries.items():
        strings = [c[0] for c in choices.get(key, ())]
        if not strings:
            continue
        step = max(1, CDIST_CELLS // len(strings))
        for at in range(0, len(block), step):
            part = block[at:at + step]
            scores = process.cdist([q for _, q in part], strings, scorer=fuzz.ratio, processor=None,
                                   score_cutoff=CDIST_CUTOFF, dtype=np.float32, workers=args.threads)
            calls += 1
            best = scores.argmax(axis=1)
            for (obs_id, _), j, row in zip(part, best, scores):
                if row[j] >= CDIST_CUTOFF:
                    links[obs_id] = (f"arxiv:{choices[key][j][1]}", "title")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_rss_mib": peak, "blocks": len(queries), "cdist_calls": calls,
            **quality(links, args.db, args.truth)}


# -- driver --------------------------------------------------------------------------------------

CONTENDERS = ("resolve", "splink", "cdist", "allpairs")
LABELS = {"resolve": "`reconcile resolve`", "splink": "Splink {version} (DuckDB {duckdb}), p >= {threshold}",
          "cdist": "blocked cdist, fuzz.ratio >= 90", "allpairs": "all-pairs extractOne, fuzz.ratio >= 90"}


def _child(phase: str, args, size: int, db: Path, truth: Path, tolerate: bool = False) -> dict:
    """Run one phase in a fresh process and return its JSON line. A contender that fails
    (``tolerate``) gives a row that says so instead of ending the run."""
    cmd = [sys.executable, __file__, "--phase", phase, "--size", str(size), "--db", str(db), "--truth", str(truth),
           "--seed", str(args.seed), "--samples", str(args.samples), "--baseline-budget", str(args.baseline_budget),
           "--threads", str(args.threads), "--splink-threshold", str(args.splink_threshold)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        if tolerate:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"failed: {last[:200]}"}
        raise SystemExit(f"{phase} at {size} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt_seconds(s: float) -> str:
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    if s >= 120:
        return f"{s / 60:.1f} min"
    return f"{s:.1f} s"


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def _label(name: str, r: dict) -> str:
    if name == "splink" and "version" not in r:
        return "Splink"
    return LABELS[name].format(version=r.get("version", "?"), duckdb=r.get("duckdb", "?"),
                               threshold=r.get("threshold", "?"))


BEST_LABEL = "Splink, best threshold (p >= {threshold}, chosen on the truth: an upper bound)"


def _entries(row: dict):
    """``(label, result)`` per table row of one size: each contender, and after Splink's row
    the row of its best threshold (the same run, its links scored at that threshold)."""
    for name, r in row["contenders"].items():
        yield _label(name, r), r
        if name == "splink" and "best" in r:
            yield BEST_LABEL.format(threshold=r["best"]["threshold"]), r["best"]


def table(rows: list[dict]) -> str:
    """The Markdown tables of a run: one row per size and contender, then resolve's details."""
    out = ["| observations | contender | wall time | obs/s | peak RSS (its process) | links made | precision "
           "| recall | F1 |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        n = row["observations"]
        for label, r in _entries(row):
            head = f"| {n:,} | {label} "
            if "error" in r:
                out.append(head + f"| {r['error']} | | | | | | |")
            elif r.get("mode") == "sampled":
                out.append(head + f"| **~{_fmt_seconds(r['seconds'])} extrapolated** from {r['sampled_queries']:,} "
                           f"of {r['queries']:,} queries x {r['choices']:,} titles ({r['per_query_ms']:.1f} ms each) "
                           f"| ~{n / r['seconds']:,.0f} | | | not run in full | | |")
            else:
                workers = (f" (workers: {r['worker_peak_rss_mib']:,.0f} MiB each at most)"
                           if r.get("worker_peak_rss_mib") else "")
                out.append(head + f"| {_fmt_seconds(r['seconds'])} | {n / r['seconds']:,.0f} "
                           f"| {r['peak_rss_mib']:,.0f} MiB{workers} | {r['links_made']:,} | {_fmt(r['precision'])} "
                           f"| {_fmt(r['recall'])} | {_fmt(r['f1'])} |")
    resolved = [row for row in rows if "seconds" in row["contenders"].get("resolve", {})]
    if resolved:
        out += ["", "`reconcile resolve` in detail:", "",
                "| observations | papers | ingest | placing | merging, checking, writing | "
                "one more day: observations, resolve, peak RSS |",
                "|---:|---:|---:|---:|---:|---|"]
        for row in resolved:
            r = row["contenders"]["resolve"]
            day = (f"{r['next_day_observations']:,} obs: {_fmt_seconds(r['next_day_seconds'])}, "
                   f"{r['next_day_peak_rss_mib']:,.0f} MiB") if "next_day_seconds" in r else "not run"
            steps = r.get("steps") or {}
            split = " | ".join(_fmt_seconds(steps[k]) if k in steps else "n/a" for k in ("placing", "checking"))
            out.append(f"| {row['observations']:,} | {r['papers']:,} | {_fmt_seconds(row['ingest_seconds'])} "
                       f"| {split} | {day} |")
    swept = [(row["observations"], row["contenders"]["splink"]) for row in rows
             if "by_threshold" in row["contenders"].get("splink", {})]
    if swept:
        out += ["", "Splink's links at each threshold (one prediction at the floor, each digest item's best pair "
                "kept when it reaches the threshold; not timed):", "",
                "| observations | threshold | links made | precision | recall | F1 |",
                "|---:|---:|---:|---:|---:|---:|"]
        for n, r in swept:
            out += [f"| {n:,} | p >= {q['threshold']} | {q['links_made']:,} | {_fmt(q['precision'])} "
                    f"| {_fmt(q['recall'])} | {_fmt(q['f1'])} |" for q in r["by_threshold"]]
    return "\n".join(out)


def variant_table(rows: list[dict]) -> str:
    """Recall per digest title variant, per size and contender."""
    scored = [(row["observations"], label, r) for row in rows for label, r in _entries(row)
              if "recall_by_variant" in r]
    variants = sorted({k for _, _, r in scored for k in r["recall_by_variant"]})
    out = ["| observations | contender | " + " | ".join(variants) + " |", "|---:|---|" + "---:|" * len(variants)]
    out += [f"| {n:,} | {label} | " + " | ".join(_fmt(r["recall_by_variant"].get(k)) for k in variants)
            + " |" for n, label, r in scored]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="observation counts, comma separated")
    parser.add_argument("--contenders", default="resolve,splink,cdist",
                        help=f"which to run, comma separated, of {','.join(CONTENDERS)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", default=str(DEFAULT_SAMPLES), help="the shared samples folder (vocabulary)")
    parser.add_argument("--baseline-budget", type=float, default=300.0,
                        help="seconds the all-pairs baseline may run in full at one size; beyond, sample")
    parser.add_argument("--threads", type=int, default=None,
                        help="DuckDB threads (splink) and cdist workers; by default the processes resolve "
                        "uses to check a large run (reconcile.resolve.workers())")
    parser.add_argument("--splink-threshold", type=float, default=SPLINK_THRESHOLD,
                        help="match probability a digest item's best Splink pair must reach for the main "
                        "Splink row (0.9); the best of several thresholds is given in a row of its own")
    parser.add_argument("--workdir", default=None, help="where the databases go (a temporary folder by default)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--output", default=None, help="also write the Markdown to this file")
    parser.add_argument("--phase", choices=("ingest", "resolve", "next-day", "baseline", "splink", "cdist"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--truth", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads is None:
        from reconcile.resolve import workers

        args.threads = workers()
    logging.basicConfig(level=logging.WARNING)
    if args.phase:
        result = {"ingest": phase_ingest, "resolve": phase_resolve, "next-day": phase_next_day,
                  "baseline": phase_baseline, "splink": phase_splink, "cdist": phase_cdist}[args.phase](args)
        print(json.dumps(result))
        return
    chosen = [c.strip() for c in args.contenders.split(",") if c.strip()]
    unknown = sorted(set(chosen) - set(CONTENDERS))
    if unknown or not chosen:
        parser.error(f"--contenders: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(CONTENDERS)}")
    chosen = [c for c in CONTENDERS if c in chosen]  # resolve last: next-day changes the store
    chosen = [c for c in chosen if c != "resolve"] + (["resolve"] if "resolve" in chosen else [])
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-resolve-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        db, truth = workdir / f"bench-{size}.db", workdir / f"truth-{size}.txt"
        for path in (db, truth):
            path.unlink(missing_ok=True)
        row = {**_child("ingest", args, size, db, truth), "contenders": {}}
        print(f"[{size:,}] ingested {row['observations']:,} observations in {_fmt_seconds(row['ingest_seconds'])}",
              file=sys.stderr, flush=True)
        for name in chosen:
            if name == "resolve":
                r = _child("resolve", args, size, db, truth)
                print(f"[{size:,}] resolve {_fmt_seconds(r['seconds'])}, peak RSS {r['peak_rss_mib']:,.0f} MiB "
                      f"(workers {r['worker_peak_rss_mib']:,.0f} MiB), steps {r['steps']}, "
                      f"precision {r['precision']:.4f}, recall {r['recall']:.4f}, {r['by_method']}",
                      file=sys.stderr, flush=True)
                r |= _child("next-day", args, size, db, truth)
                print(f"[{size:,}] one more day: {r['next_day_observations']:,} observations resolved in "
                      f"{_fmt_seconds(r['next_day_seconds'])}, peak RSS {r['next_day_peak_rss_mib']:,.0f} MiB",
                      file=sys.stderr, flush=True)
            else:
                r = _child("baseline" if name == "allpairs" else name, args, size, db, truth, tolerate=True)
                done = r.get("error") or (f"{_fmt_seconds(r['seconds'])} ({r.get('mode', 'full')}), "
                                          f"precision {_fmt(r.get('precision'))}, recall {_fmt(r.get('recall'))}")
                print(f"[{size:,}] {name}: {done}", file=sys.stderr, flush=True)
                if "best" in r:
                    sweep = ", ".join(f"{q['threshold']}: F1 {_fmt(q['f1'])}" for q in r["by_threshold"])
                    edge = (" (the lowest scored: a lower threshold might do better)"
                            if r["best"]["threshold"] == r["by_threshold"][0]["threshold"] else "")
                    print(f"[{size:,}] {name} by threshold: {sweep}; best p >= {r['best']['threshold']}{edge}",
                          file=sys.stderr, flush=True)
            row["contenders"][name] = r
        row["contenders"] = {c: row["contenders"][c] for c in CONTENDERS if c in row["contenders"]}
        rows.append(row)
        if not args.keep:
            for path in (db, truth):
                path.unlink(missing_ok=True)
    machine = (f"{os.cpu_count()} CPUs (`nproc`), --threads {args.threads}, Python {platform.python_version()}, "
               f"{platform.machine()}, seed {args.seed}")
    text = (f"{table(rows)}\n\nRecall by digest title variant:\n\n{variant_table(rows)}"
            f"\n\nMachine: {machine}.\n")
    print(text)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
