"""Issue 13, crash consistency: a SIGKILL at any moment of `reconcile ingest`, `crawl`
(replayed) or `resolve` leaves a sound database, and running the same command again gives
exactly what a run that was never interrupted gives.

For each command, one uninterrupted run ("clean") is timed; then, for each of N moments
drawn uniformly in (0, its wall time), the same command is started on the same starting
database, its whole process group (``start_new_session``; ``os.killpg``) gets SIGKILL at
that moment, and then:

1. ``PRAGMA integrity_check`` says ``ok``, ``PRAGMA foreign_key_check`` finds nothing, and
   the full-text index agrees with the papers (FTS5 ``integrity-check`` with rank 1);
2. the same command, run again, ends with the clean run's exit code and no traceback;
3. every table equals the clean run's, row for row (:func:`tests.crash.snapshot`), with
   rows mapped by natural keys: documents by ``(url, sha256)``; observations by their
   document's key plus their whole content; links by observation key -> paper id, with
   method, score and detail; papers and discrepancies by their stable ids, every
   observation or document id inside them (``provenance``, ``values``, ``observation_id``,
   ``document_id``) replaced by that row's key; crawls by ``(spider, args)`` and status;
   rejects by ``(crawl, url, source, reason, excerpt)``; ``pending_checks``,
   ``acknowledged`` and any table added later as they are; the schema (``sqlite_master``,
   ``user_version``, journal mode) as it is.

What is ignored, and why (nothing else is):

- the generated ids of documents, observations, crawls and rejects: a killed run and its
  rerun may number rows differently; every reference to them is compared by key instead;
- the ``crawls`` rows that the killed process made: they honestly record the interrupted
  crawl (SIGKILL leaves its status ``running``, or what it reached); they must name a
  spider and arguments of the clean run, and the rerun's own crawls must equal the clean
  run's. The rejects logged under those crawls (a crawl's rejects are its own history of
  what it could not read) must be among the clean run's; the rerun may log no reject the
  clean run did not, nor one more often; and every reject of the clean run must be logged
  by the rerun or by the killed process: the rerun rightly does not repeat what the killed
  run settled (an id arXiv said it does not know is not asked again). Rejects outside a
  crawl (``ingest``) are compared as they are;
- ``crawls.started_at``, ``finished_at`` and ``stats``, and ``rejects.at``: wall-clock
  times, and counters of what that process did (a rerun finds ``duplicate`` what the
  clean run ``stored``, and asks arXiv only for what is still missing);
- the FTS5 shadow tables ``papers_fts_*``: the index's pages depend on the history of
  inserts and deletes. The rows of ``papers_fts`` (external content, read through
  ``papers`` by rowid) are compared by paper id, and the index itself is checked against
  the papers (point 1).

``observed_at`` is compared: a replay stamps documents with the recorded response time, an
ingest with the file's stated or modification time, both the same in every run.

The commands and their data (built in a temporary folder; nothing from ../shared is copied
into the repository):

- ``ingest``: four write batches of files (tests.crash.write_ingest_files: 600 Hugging
  Face lists, two identical empty lists at two paths, three unreadable files), plus, when
  ../shared is here, its seeds and a few sample folders read in place;
- ``crawl``: ``huggingface digests arxivlens`` over 41 days replayed from the bundled demo
  day plus synthetic Hugging Face lists (empty days, days missing from the recording, an
  item without id), writing every 4 documents (``RECONCILE_BATCH_SIZE=4``); its many
  replay misses are rejects;
- ``crawl-arxiv``: ``arxiv --missing`` after it, in ``id_list`` batches of 10 (one id
  arXiv does not know: a reject), writing every 2 documents;
- ``resolve``: that database plus the benchmark's synthetic observations
  (benchmarks/bench_resolve.py's generator, fed the demo day's titles), the older part
  resolved already, so the killed resolve places thousands of observations, adopts
  title-only papers and merges and checks more than one chunk of papers in the full run.

Kill moments come from a seed (printed; ``PAPER_RECONCILE_CRASH_SEED=N`` repeats them as
fractions of the measured wall time). CI kills each command 4 times;
``PAPER_RECONCILE_CRASH_FULL=1`` kills each 20 times, with a larger resolve. Only kills
that land while the command runs count; a moment after its end (the wall time varies with
the machine's load) is checked too, and the next moment is drawn, up to twice the count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reconcile.store import crawl_process_gone

from . import crash
from .support import SHARED

FIRST_DAY, LAST_SYNTHETIC_DAY, DEMO_DAY = dt.date(2025, 12, 27), dt.date(2026, 2, 4), dt.date(2026, 2, 5)
#: Synthetic observations for ``resolve`` (total, days resolved before the killed run):
#: CI keeps the killed resolve to about 3 s; the full run makes it touch more papers than
#: one chunk (``reconcile.resolve.PAPER_CHUNK``), so kills land between chunk commits too.
RESOLVE_SIZE = (7000, 20) if crash.full_run() else (4000, 30)


@dataclass
class Command:
    """A command under test: its arguments (``--db`` is added), the database every run
    starts from (None: no database yet), and where it runs."""

    name: str
    args: list[str]
    base: Path | None
    cwd: Path

    def argv(self, db: Path) -> list[str]:
        """The full arguments for a run on ``db``."""
        return [*self.args, "--db", str(db)]

    def prepare(self, db: Path) -> None:
        """Put the starting database at ``db`` (or none)."""
        crash.remove_db(db)
        if self.base is not None:
            crash.copy_db(self.base, db)

    def shell(self, db: str = "DB") -> str:
        """The command line, for a reproduction."""
        return "reconcile " + " ".join(self.argv(Path(db)))


@dataclass
class Clean:
    """An uninterrupted run: its outcome, its database and that database's snapshot."""

    command: Command
    outcome: crash.Outcome
    db: Path
    snap: crash.Snapshot


@dataclass
class Kill:
    """One kill and what followed it."""

    index: int
    fraction: float
    at: float
    killed: bool
    killed_code: int
    rerun_seconds: float
    left: str
    problems: list[str] = field(default_factory=list)


def run_clean(command: Command, db: Path) -> Clean:
    """Run ``command`` to completion on a fresh start; it must end without a traceback and
    leave a sound database."""
    command.prepare(db)
    outcome = crash.run_command(command.argv(db), command.cwd)
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert outcome.returncode in (0, 3), f"{command.shell()} exited {outcome.returncode}: {outcome.stderr}"
    assert crash.integrity_problems(db) == []
    return Clean(command, outcome, db, crash.snapshot(db))


# -- fixtures: the data and the uninterrupted runs ---------------------------------------------

@pytest.fixture(scope="module")
def seed() -> int:
    """The seed of every kill moment of this run, printed so that it can be repeated."""
    value = crash.crash_seed()
    print(f"\ncrash consistency: seed {value} ({crash.SEED_ENV}={value} repeats the kill moments), "
          f"{crash.kill_count()} kills per command")
    return value


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """The folder of every input, database and run of this module."""
    return tmp_path_factory.mktemp("crash")


@pytest.fixture(scope="module")
def vocab(work) -> dict:
    """The benchmark's title vocabulary, learnt from the demo day's titles."""
    return crash.demo_vocabulary(work / "vocabulary")


@pytest.fixture(scope="module")
def ingest_command(work, vocab) -> Command:
    """``ingest`` of the generated folder and, when here, parts of ../shared, into no database."""
    folder = work / "files"
    crash.write_ingest_files(folder, vocab, seed=2)
    paths = [str(folder), *map(str, crash.shared_ingest_paths(SHARED))]
    return Command("ingest", ["ingest", *paths], None, work)


@pytest.fixture(scope="module")
def list_replay(work, vocab) -> tuple[Path, dict]:
    """The replay directory of the list crawl, and the synthetic papers by id."""
    papers = crash.write_list_replay(work / "replay-lists", vocab, 1, FIRST_DAY, LAST_SYNTHETIC_DAY)
    return work / "replay-lists", papers


@pytest.fixture(scope="module")
def crawl_command(work, list_replay) -> Command:
    """The replayed crawl of three spiders over 41 days, into no database."""
    return Command("crawl", ["crawl", "huggingface", "digests", "arxivlens", "--since", str(FIRST_DAY),
                             "--until", str(DEMO_DAY), "--replay", str(list_replay[0]),
                             "--set", "RECONCILE_BATCH_SIZE=4"], None, work)


@pytest.fixture(scope="module")
def clean_crawl(work, crawl_command) -> Clean:
    """The list crawl, uninterrupted."""
    return run_clean(crawl_command, work / "clean-crawl.db")


@pytest.fixture(scope="module")
def arxiv_command(work, list_replay, clean_crawl) -> Command:
    """``arxiv --missing`` on the list crawl's database, answered by a replay of arXiv for
    exactly the ``id_list`` batches the spider asks (the ids the store says are missing);
    one id is left out of arXiv's answers (a reject that marks it asked)."""
    from reconcile.store import Store

    store = Store(clean_crawl.db, read_only=True)
    try:
        ids = store.arxiv_ids_to_fetch()
    finally:
        store.close()
    known = {aid: (p.title, p.authors) for aid, p in list_replay[1].items()}
    demo = json.loads((crash.demo_dir() / "huggingface.co" / "api" / "daily_papers_date=2026-02-05.json")
                      .read_text(encoding="utf-8"))
    known.update((i["paper"]["id"], (i["paper"]["title"], [a["name"] for a in i["paper"]["authors"]]))
                 for i in demo)
    assert len(ids) > 100 and set(ids) <= set(known), "the list crawl did not store the synthetic lists"
    known.pop(ids[len(ids) // 2])
    replay = work / "replay-arxiv"
    crash.write_arxiv_replay(list_replay[0], replay, ids, known, page_size=10)
    base = work / "base-arxiv.db"
    crash.copy_db(clean_crawl.db, base)
    return Command("crawl-arxiv", ["crawl", "arxiv", "--missing", "--replay", str(replay),
                                   "--set", "ARXIV_PAGE_SIZE=10", "--set", "RECONCILE_BATCH_SIZE=2"], base, work)


@pytest.fixture(scope="module")
def clean_arxiv(work, arxiv_command) -> Clean:
    """``arxiv --missing``, uninterrupted."""
    return run_clean(arxiv_command, work / "clean-arxiv.db")


@pytest.fixture(scope="module")
def resolve_command(work, vocab, clean_arxiv) -> Command:
    """``resolve`` on the crawled database plus the benchmark's observations: the first
    part resolved already (by the real command), the second part new."""
    base = work / "base-resolve.db"
    crash.copy_db(clean_arxiv.db, base)
    first, second = crash.bench_parts(vocab, seed=3, n_obs=RESOLVE_SIZE[0], split_day=RESOLVE_SIZE[1])
    crash.store_documents(base, first)
    done = crash.run_command(["resolve", "--db", str(base)], work)
    assert done.returncode == 0, done.stderr
    crash.store_documents(base, second)
    return Command("resolve", ["resolve"], base, work)


@pytest.fixture(scope="module")
def clean_ingest(work, ingest_command) -> Clean:
    """The ingest, uninterrupted."""
    return run_clean(ingest_command, work / "clean-ingest.db")


@pytest.fixture(scope="module")
def clean_resolve(work, resolve_command) -> Clean:
    """The resolve, uninterrupted."""
    return run_clean(resolve_command, work / "clean-resolve.db")


# -- the kills ---------------------------------------------------------------------------------

def kill_and_rerun(clean: Clean, seed: int, work: Path) -> list[Kill]:
    """Kill the command at its moments, check, rerun, compare (module docstring), until
    :func:`tests.crash.kill_count` kills have landed while it ran. A moment that comes after
    the command has ended (its wall time varies with the machine's load) is checked all the
    same but not counted; at most twice the count of moments are tried."""
    command = clean.command
    kills: list[Kill] = []
    wanted = crash.kill_count()
    for index, fraction in enumerate(crash.kill_fractions(seed, command.name)):
        if sum(k.killed for k in kills) >= wanted or index >= 2 * wanted:
            break
        at = fraction * clean.outcome.seconds
        db = work / f"{command.name}-kill-{index}.db"
        command.prepare(db)
        crawls_before = crash.max_id(db, "crawls")
        first = crash.run_command(command.argv(db), command.cwd, kill_at=at)
        problems = [f"after the kill: {p}" for p in crash.integrity_problems(db)]
        left = crash.progress(db)
        killed_crawls = range(crawls_before + 1, crash.max_id(db, "crawls") + 1)
        problems += [f"crawl {c} was left running and its process is gone, yet it is not told from a live one"
                     for c, stats in crash.running_crawls(db, killed_crawls) if not crawl_process_gone(stats)]
        again = crash.run_command(command.argv(db), command.cwd)
        if command.name.startswith("crawl"):  # the rerun's crawls close what the kill left running
            problems += [f"crawl {c} is still running after the rerun"
                         for c, _ in crash.running_crawls(db, killed_crawls)]
        if again.returncode != clean.outcome.returncode:
            problems.append(f"the rerun exited {again.returncode}, the clean run {clean.outcome.returncode}: "
                            f"{again.stderr[-1500:]}")
        if "Traceback" in again.stderr:
            problems.append(f"the rerun printed a traceback: {again.stderr[-1500:]}")
        problems += [f"after the rerun: {p}" for p in crash.integrity_problems(db)]
        if db.exists():
            problems += crash.compare(clean.snap, crash.snapshot(db, killed_crawls))
        else:
            problems.append("the rerun left no database")
        kills.append(Kill(index, fraction, at, first.killed, first.returncode, again.seconds, left, problems))
        if not problems:
            crash.remove_db(db)  # a failing one stays for a look (its path is in the message)
    return kills


def verdict(clean: Clean, kills: list[Kill], seed: int, started: float) -> None:
    """Print the figures of the command's kills; fail with a reproduction of each
    inconsistency."""
    landed = sum(k.killed for k in kills)
    print(f"crash {clean.command.name}: seed {seed}, {landed} kills during the run ({len(kills) - landed} more "
          f"moments came after it had ended), uninterrupted run {clean.outcome.seconds:.2f} s, "
          f"{time.monotonic() - started:.1f} s in all; "
          f"{sum(bool(k.problems) for k in kills)} inconsistent")
    print(f"  clean run leaves: {crash.progress(clean.db)}")
    for kill in kills:
        print(f"  kill {kill.index:2d} at {kill.at:6.3f} s ({'killed' if kill.killed else 'ended first'}) left: "
              f"{kill.left}; rerun {kill.rerun_seconds:.2f} s{'; INCONSISTENT' if kill.problems else ''}")
    bad = [k for k in kills if k.problems]
    report = []
    for kill in bad:
        report.append(f"kill {kill.index} at {kill.at:.3f} s (fraction {kill.fraction:.4f} of "
                      f"{clean.outcome.seconds:.2f} s; {'killed' if kill.killed else 'had ended'}, "
                      f"exit {kill.killed_code}, leaving {kill.left}) of `{clean.command.shell()}` "
                      f"({'from ' + str(clean.command.base) if clean.command.base else 'no database'}; "
                      f"kept as {clean.command.cwd / f'{clean.command.name}-kill-{kill.index}.db'}):")
        report += [f"  {p}" for p in kill.problems]
    assert not bad, (f"{len(bad)} of {len(kills)} kills of `{clean.command.name}` left the database "
                     f"different from an uninterrupted run; repeat with {crash.SEED_ENV}={seed}\n"
                     + "\n".join(report))
    # A kill that never lands proves nothing: most moments are inside the run.
    assert landed, f"no kill of `{clean.command.name}` came before it ended (seed {seed})"


def test_killed_ingest_then_rerun_equals_uninterrupted(clean_ingest, seed, work):
    """``reconcile ingest`` writes its files in batches of 200, each with its rejects in one
    transaction: a kill keeps the finished batches, the rerun adds the rest and no reject
    twice. (Without ../shared only the generated files are read; the test still runs.)"""
    started = time.monotonic()
    assert clean_ingest.snap.tables["documents"] and clean_ingest.snap.tables["rejects"]
    verdict(clean_ingest, kill_and_rerun(clean_ingest, seed, work), seed, started)


def test_killed_crawl_then_rerun_equals_uninterrupted(clean_crawl, seed, work):
    """A replayed crawl of three spiders writes a batch every 4 documents: a kill keeps the
    written batches, the rerun skips them as duplicates and stores the rest."""
    started = time.monotonic()
    assert clean_crawl.snap.tables["observations"] and clean_crawl.snap.tables["rejects"]
    verdict(clean_crawl, kill_and_rerun(clean_crawl, seed, work), seed, started)


def test_killed_arxiv_crawl_then_rerun_equals_uninterrupted(clean_arxiv, seed, work):
    """``arxiv --missing`` asks only for ids no arXiv answer covers: after a kill, the rerun
    must ask exactly the batches that were not stored, and end where a clean run ends."""
    started = time.monotonic()
    assert len(clean_arxiv.snap.tables["documents"]) > len(crash.snapshot(clean_arxiv.command.base).tables["documents"])
    verdict(clean_arxiv, kill_and_rerun(clean_arxiv, seed, work), seed, started)


def test_killed_resolve_then_rerun_equals_uninterrupted(clean_resolve, seed, work):
    """``resolve`` commits the links with the papers they touch (``pending_checks``), then
    each chunk of merged and checked papers: a kill at any moment is finished by the rerun,
    with the result of an uninterrupted run."""
    started = time.monotonic()
    assert clean_resolve.outcome.seconds > 1.0, "resolve is too quick for kills to land inside its work"
    assert not clean_resolve.snap.tables.get("pending_checks")
    verdict(clean_resolve, kill_and_rerun(clean_resolve, seed, work), seed, started)


# -- the checks can fail -----------------------------------------------------------------------

def _mutated(source: Path, target: Path, *statements: str) -> Path:
    """A copy of ``source`` at ``target`` with ``statements`` applied (foreign keys off)."""
    crash.copy_db(source, target)
    conn = sqlite3.connect(target)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return target


#: One change per table the comparison must notice, and the table it must name.
MUTATIONS = {
    "documents": ["update documents set site = 'elsewhere' where id = (select min(id) from documents)"],
    "observations": ["drop trigger observations_no_update",
                     "update observations set upvotes = coalesce(upvotes, 0) + 1 where id = 3",
                     "create trigger observations_no_update before update on observations "
                     "begin select raise(abort, 'observations are append-only'); end"],
    "links": ["update links set paper_id = (select max(id) from papers) where observation_id = "
              "(select min(observation_id) from links where paper_id != (select max(id) from papers))"],
    "papers": ["update papers set upvotes = coalesce(upvotes, 0) + 1 where id = (select min(id) from papers)"],
    "discrepancies": ["update discrepancies set severity = 'error' where id = "
                      "(select min(id) from discrepancies where severity != 'error')"],
    "crawls": ["update crawls set status = 'failed' where id = (select max(id) from crawls)"],
    "rejects": ["insert into rejects (url, source, reason, at) values ('file:///x', 'digest', 'made up', "
                "'2026-01-01T00:00:00Z')"],
    "pending_checks": ["insert into pending_checks (paper_id) values ('arxiv:2602.04705')"],
    "schema": ["drop index idx_observations_listed_on"],
}


@pytest.mark.parametrize("table", sorted(MUTATIONS))
def test_comparison_notices_a_changed_row(demo_db, tmp_path, table):
    """The comparison is not blind: one changed row in one table (on a copy of the demo's
    database, which fills every table but ``rejects``) is reported, under that table's
    name. (A changed observation also changes the keys that links, papers and discrepancies
    refer to it by, so more tables may be named; the one changed must be among them.)"""
    clean = crash.snapshot(demo_db)
    assert crash.compare(clean, crash.snapshot(_mutated(demo_db, tmp_path / "same.db"))) == []
    changed = crash.snapshot(_mutated(demo_db, tmp_path / "changed.db", *MUTATIONS[table]))
    found = crash.compare(clean, changed)
    assert any(line.startswith(f"table {table}:") for line in found), found


def test_comparison_ignores_only_ids(demo_db, tmp_path):
    """Renumbering documents, observations and crawls (every reference to them rewritten,
    JSON included) changes nothing the comparison sees: rows are matched by natural keys.
    Dropping a document's observations is still seen."""
    copy = tmp_path / "renumbered.db"
    crash.copy_db(demo_db, copy)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = OFF")
    trigger, = conn.execute("select sql from sqlite_master where name = 'observations_no_update'").fetchone()
    conn.execute("drop trigger observations_no_update")
    conn.execute("update crawls set id = id + 100")
    for table in ("documents", "observations", "rejects"):
        conn.execute(f"update [{table}] set crawl_id = crawl_id + 100 where crawl_id is not null")
    conn.execute("update documents set id = id + 1000")
    conn.execute("update observations set document_id = document_id + 1000, id = id + 5000")
    conn.execute("update links set observation_id = observation_id + 5000")
    conn.execute("update discrepancies set document_id = document_id + 1000 where document_id is not null")
    conn.execute("update discrepancies set observation_id = observation_id + 5000 where observation_id is not null")

    def shift(value):
        if isinstance(value, dict):
            return {k: (v + 5000 if k == "observation_id" and isinstance(v, int) else
                        v + 1000 if k == "document_id" and isinstance(v, int) else shift(v)) for k, v in value.items()}
        return [shift(v) for v in value] if isinstance(value, list) else value

    for pid, provenance in conn.execute("select id, provenance from papers").fetchall():
        conn.execute("update papers set provenance = ? where id = ?", (json.dumps(shift(json.loads(provenance))), pid))
    for did, values in conn.execute("select id, [values] from discrepancies").fetchall():
        conn.execute("update discrepancies set [values] = ? where id = ?", (json.dumps(shift(json.loads(values))), did))
    conn.execute(trigger)  # as it was, so the schema is the same too
    conn.commit()
    conn.close()
    clean = crash.snapshot(demo_db)
    renumbered = crash.snapshot(copy)
    assert renumbered.tables["documents"] and crash.compare(clean, renumbered) == []
    dropped = _mutated(copy, tmp_path / "dropped.db", "drop trigger observations_no_delete",
                       "delete from links", "delete from observations where document_id = (select min(id) from documents)")
    assert any(line.startswith("table observations:") for line in crash.compare(clean, crash.snapshot(dropped)))


def test_comparison_checks_what_the_killed_process_logged(demo_db):
    """The killed process's crawls and rejects are not compared row for row, but a crawl or
    a reject the clean run never made is reported; a reject of the clean run that only the
    killed process logged is accepted, one that nobody logged is reported, and so is one the
    rerun logged twice."""
    clean = crash.snapshot(demo_db)
    crashed = crash.snapshot(demo_db, killed_crawls=())
    crashed.killed_crawls[("nonesuch", (), "running")] += 1
    crashed.killed_rejects[(None, "file:///x", "digest", "made up", None)] += 1
    found = crash.compare(clean, crashed)
    assert any("crawls the clean run has not" in line for line in found), found
    assert any("rejects the clean run has not" in line for line in found), found

    reject = (("arxiv", (("missing", True),)), "https://arxiv.org/abs/2512.00001", "arxiv", "no entry", None)
    clean.tables["rejects"][reject] += 1
    crashed = crash.snapshot(demo_db)
    assert any(line.startswith("table rejects: 1 rows only in the uninterrupted run") for line in
               crash.compare(clean, crashed))
    crashed.killed_rejects[reject] += 1
    assert crash.compare(clean, crashed) == []
    crashed.tables["rejects"][reject] += 2
    assert any(line.startswith("table rejects: 0 rows only in the uninterrupted run, 1 only after") for line in
               crash.compare(clean, crashed))


def test_integrity_check_notices_damage(demo_db, tmp_path):
    """``integrity_problems`` finds an index that no longer matches its papers (a paper
    inserted behind the full-text trigger's back) and a damaged file, and nothing in a
    sound copy."""
    assert crash.integrity_problems(_mutated(demo_db, tmp_path / "sound.db")) == []
    stale = _mutated(demo_db, tmp_path / "stale.db", "drop trigger papers_ai",
                     "insert into papers (id, title) values ('x:1', 'not in the index')")
    assert any("papers_fts" in p for p in crash.integrity_problems(stale))
    damaged = _mutated(demo_db, tmp_path / "damaged.db")
    data = bytearray(damaged.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):  # scribble over every third page
        data[start + 100:start + 400] = b"\xff" * 300
    damaged.write_bytes(bytes(data))
    assert crash.integrity_problems(damaged)


def test_a_kill_leaves_no_process_and_lands_when_asked(clean_resolve, tmp_path):
    """``run_command`` kills the whole group at the moment asked: a resolve killed after
    0.3 s ends by SIGKILL, and the group is gone (``run_command`` asserts it)."""
    db = tmp_path / "r.db"
    clean_resolve.command.prepare(db)
    outcome = crash.run_command(clean_resolve.command.argv(db), tmp_path, kill_at=0.3)
    assert outcome.killed and outcome.returncode == -9 and 0.3 <= outcome.seconds < 5


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads process states from /proc (Linux)")
def test_a_living_member_of_the_group_counts_and_a_zombie_does_not():
    """``run_command``'s check that nothing of a killed command survives: a process of the
    group that still runs after the grace is reported (and killed); one that is dead but
    not yet reaped (a zombie, as a killed resolve's workers are until the init process
    reaps them) is not."""
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        assert crash._group_alive(sleeper.pid)  # alive: reported, and killed
        assert sleeper.wait(timeout=5) == -9
    finally:
        sleeper.kill()
    zombie = subprocess.Popen(["true"], start_new_session=True)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # dead and not reaped: /proc shows it in state Z
        with open(f"/proc/{zombie.pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
        time.sleep(0.01)
    try:
        assert not crash._group_alive(zombie.pid)
    finally:
        zombie.wait()
