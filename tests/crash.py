"""Helpers of the crash-consistency test (tests/test_crash_consistency.py).

Three parts:

- running a ``reconcile`` command in a process group of its own, to completion (timed) or
  until a SIGKILL of the whole group at a chosen moment;
- checking a database after a kill (``PRAGMA integrity_check``, foreign keys, the
  full-text index against its papers) and comparing two databases table by table through
  natural keys (:func:`snapshot`, :func:`compare`), ignoring only what must differ;
- making the inputs: a replay directory with many days of Hugging Face lists and the arXiv
  answers for their ids, a folder of files to ingest, and synthetic observations for a
  ``resolve`` that takes long enough to be killed in the middle of its work.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from .support import ROOT, clean_env, reconcile_exe

#: Environment variables: the seed of the kill moments, and the full count of kills.
SEED_ENV = "PAPER_RECONCILE_CRASH_SEED"
FULL_ENV = "PAPER_RECONCILE_CRASH_FULL"
#: Kills per command: in CI (the whole suite must stay within its budget), and in full.
CI_KILLS, FULL_KILLS = 4, 20


def full_run() -> bool:
    """Whether ``PAPER_RECONCILE_CRASH_FULL`` asks for the full count of kills."""
    return os.environ.get(FULL_ENV, "").strip().lower() not in ("", "0", "false", "no")


def kill_count() -> int:
    """Kills per command: :data:`FULL_KILLS` with ``PAPER_RECONCILE_CRASH_FULL=1``, else
    :data:`CI_KILLS`."""
    return FULL_KILLS if full_run() else CI_KILLS


def crash_seed() -> int:
    """``PAPER_RECONCILE_CRASH_SEED``, else a fresh random seed (printed by the test, so a
    failing run can be repeated)."""
    given = os.environ.get(SEED_ENV, "").strip()
    return int(given) if given else random.SystemRandom().randrange(1, 10**9)


def kill_fractions(seed: int, command: str) -> Iterator[float]:
    """Moments in (0, 1), as fractions of the command's uninterrupted wall time, without
    end: uniform, from a generator seeded by the seed and the command's name (a string seed
    is hashed with SHA-512 by :mod:`random`, so the same seed gives the same moments under
    any ``PYTHONHASHSEED``)."""
    rng = random.Random(f"{seed}:{command}")
    while True:
        yield rng.uniform(0.0, 1.0) or 1e-6


# -- running and killing -----------------------------------------------------------------------

@dataclass
class Outcome:
    """How one run of a command ended: its exit code (negative: the signal), wall seconds,
    whether our SIGKILL ended it, and the end of its stderr."""

    returncode: int
    seconds: float
    killed: bool
    stderr: str


def command_env() -> dict[str, str]:
    """The environment of every run: no Scrapy settings, database or proxy of the
    developer's shell (:func:`tests.support.clean_env`)."""
    return clean_env()


def run_command(args: list[str], cwd: Path, kill_at: float | None = None, timeout: float = 300) -> Outcome:
    """Run ``reconcile ARGS`` from ``cwd`` in a new session (its own process group).

    With ``kill_at`` (seconds after the start), the whole group gets SIGKILL at that moment
    unless the command has ended by then: ``os.killpg`` reaches any child the command may
    have started, so nothing of it survives to write after the kill. Afterwards the group
    must be empty: a member still alive is killed and reported as an AssertionError.
    """
    err_path = cwd / f".stderr-{os.getpid()}-{time.monotonic_ns()}"
    with open(err_path, "w+b") as err:
        started = time.monotonic()
        proc = subprocess.Popen([reconcile_exe(), *args], cwd=cwd, env=command_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        killed = False
        try:
            proc.wait(timeout=kill_at if kill_at is not None else timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended between the timeout and the kill
                pass
            killed = kill_at is not None
            proc.wait()
        seconds = time.monotonic() - started
        survivors = _group_alive(proc.pid)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")[-4000:]
    err_path.unlink()
    assert not survivors, f"processes of `reconcile {' '.join(args)}` outlived it (killed now)"
    if kill_at is None and proc.returncode == -signal.SIGKILL:
        raise AssertionError(f"`reconcile {' '.join(args)}` took more than {timeout} s")
    return Outcome(proc.returncode, seconds, killed, stderr)


def _group_alive(pgid: int, grace: float = 2.0) -> bool:
    """Whether a process of group ``pgid`` is still alive ``grace`` seconds after the kill;
    kills the group if so.

    A process that got SIGKILL may still be on its way out when its parent has been
    reaped, and then it is a zombie until the init process reaps it, which in some
    containers takes about a second (seen here: both workers of a killed ``resolve``
    stayed in state Z under PID 1 for 0.2 s and were gone at 1 s). Neither can write
    again. ``killpg(pgid, 0)`` counts both, so on Linux the group's members and states are
    read from ``/proc`` until none but zombies is left, for at most ``grace`` seconds: a
    member still running then escaped the kill (forked after it, say)."""
    deadline = time.monotonic() + grace
    while True:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        if not os.path.isdir("/proc/self"):
            break
        if not _living_members(pgid):
            return False
        if time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    os.killpg(pgid, signal.SIGKILL)
    return True


def _living_members(pgid: int) -> list[str]:
    """The process ids of group ``pgid`` that are not zombies (Linux, from ``/proc``)."""
    living = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                state, _, group = stat.read().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError, IndexError):
            continue  # not a process, or it ended while being read
        if int(group) == pgid and state != "Z":
            living.append(entry)
    return living


# -- checking one database ---------------------------------------------------------------------

def integrity_problems(db: Path) -> list[str]:
    """What is wrong with the database file itself: ``PRAGMA integrity_check`` (must say
    ``ok``), ``PRAGMA foreign_key_check`` (must find nothing) and FTS5's
    ``integrity-check`` of ``papers_fts`` with rank 1, which also compares the index with
    the papers it indexes (plain ``integrity-check`` does not look at an external content
    table). A database that does not exist yet (killed before it was made) has none."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    problems = []
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {'; '.join(result)[:500]}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            problems.append(f"PRAGMA foreign_key_check: {len(broken)} rows, first {broken[:3]}")
        has_fts = conn.execute("select 1 from sqlite_master where name = 'papers_fts'").fetchone()
        if has_fts:
            try:
                conn.execute("insert into papers_fts(papers_fts, rank) values ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"papers_fts integrity-check: {exc}")
    except sqlite3.DatabaseError as exc:
        problems.append(f"cannot check the database: {exc}")
    finally:
        conn.close()
    return problems


def progress(db: Path) -> str:
    """How far a run got, in rows (documents, observations, rejects, links, papers,
    pending_checks), to show where a kill landed; ``no database`` when it made none."""
    if not db.exists():
        return "no database"
    conn = sqlite3.connect(db)
    counts = []
    try:
        for table, short in (("documents", "docs"), ("observations", "obs"), ("rejects", "rejects"),
                             ("links", "links"), ("papers", "papers"), ("pending_checks", "pending")):
            try:
                counts.append(f"{short} {conn.execute(f'select count(*) from [{table}]').fetchone()[0]}")
            except sqlite3.DatabaseError:
                counts.append(f"{short} -")
    finally:
        conn.close()
    return ", ".join(counts)


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` (WAL included) through SQLite's backup API."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def remove_db(db: Path) -> None:
    """Delete a database with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def max_id(db: Path, table: str) -> int:
    """The largest ``id`` of ``table`` (0 for none, or no such table or database)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"select coalesce(max(id), 0) from [{table}]").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


# -- comparing two databases -------------------------------------------------------------------

@dataclass
class Snapshot:
    """Every table of one database as a multiset (``Counter``) of rows in canonical form:
    ids replaced by natural keys, JSON decoded. ``killed_crawls`` and ``killed_rejects``
    hold what the killed process logged (checked as subsets, not compared)."""

    tables: dict[str, Counter] = field(default_factory=dict)
    killed_crawls: Counter = field(default_factory=Counter)
    killed_rejects: Counter = field(default_factory=Counter)


def _freeze(value: Any) -> Any:
    """A hashable, order-stable form of decoded JSON."""
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _decode(text: Any) -> Any:
    if isinstance(text, str) and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def running_crawls(db: Path, ids: Collection[int]) -> list[tuple[int, dict]]:
    """The crawls among ``ids`` whose row still says ``running``, with their stats."""
    if not db.exists() or not ids:
        return []
    conn = sqlite3.connect(db)
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'crawls'").fetchone():
            return []
        return [(i, json.loads(stats or "{}")) for i, stats in conn.execute(
            "select id, stats from crawls where status = 'running' order by id") if i in set(ids)]
    finally:
        conn.close()


def snapshot(db: Path, killed_crawls: Collection[int] = ()) -> Snapshot:
    """The canonical content of every table of ``db``.

    Natural keys: a document is ``(url, sha256)``; an observation is its document's key
    plus every column but ``id``, ``document_id`` and ``crawl_id``; a crawl is ``(spider,
    args)``. References are rewritten to them: ``documents.crawl_id``,
    ``observations.crawl_id``, ``rejects.crawl_id`` -> the crawl's key;
    ``links.observation_id`` -> the observation's key; in ``papers.provenance`` and
    ``discrepancies`` (columns and each ``values`` item) ``observation_id`` and
    ``document_id`` -> the keys. Papers and discrepancies keep their stable ids.
    ``killed_crawls`` are the ids of the ``crawls`` rows the killed process made.
    """
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    snap = Snapshot()
    try:
        def rows(table: str) -> list[dict]:
            return [dict(r) for r in conn.execute(f"select * from [{table}] order by rowid")]

        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' "
                                            "and name not like 'sqlite_%' order by name")]
        snap.tables["schema"] = Counter(
            (r["type"], r["name"], r["tbl_name"], r["sql"])
            for r in conn.execute("select type, name, tbl_name, sql from sqlite_master"))
        snap.tables["schema"][("pragma", "user_version", "",
                               str(conn.execute("PRAGMA user_version").fetchone()[0]))] += 1
        snap.tables["schema"][("pragma", "journal_mode", "",
                               conn.execute("PRAGMA journal_mode").fetchone()[0])] += 1

        crawl_key: dict[int | None, Any] = {None: None}
        killed = set(killed_crawls)
        if "crawls" in names:
            kept, dead = Counter(), Counter()
            for row in rows("crawls"):
                key = (row["spider"], _freeze(_decode(row["args"])))
                crawl_key[row["id"]] = key
                (dead if row["id"] in killed else kept)[(*key, row["status"])] += 1
            snap.tables["crawls"], snap.killed_crawls = kept, dead

        doc_key: dict[int | None, Any] = {None: None}
        if "documents" in names:
            docs = Counter()
            for row in rows("documents"):
                doc_key[row["id"]] = (row["url"], row["sha256"])
                row["crawl_id"] = crawl_key.get(row["crawl_id"], ("?", row["crawl_id"]))
                docs[_freeze({k: v for k, v in row.items() if k != "id"})] += 1
            snap.tables["documents"] = docs

        obs_key: dict[int | None, Any] = {None: None}
        if "observations" in names:
            observations = Counter()
            for row in rows("observations"):
                content = _freeze({k: _decode(v) for k, v in row.items()
                                   if k not in ("id", "document_id", "crawl_id")})
                key = (doc_key.get(row["document_id"], ("?", row["document_id"])), content)
                obs_key[row["id"]] = key
                observations[(key, crawl_key.get(row["crawl_id"], ("?", row["crawl_id"])))] += 1
            snap.tables["observations"] = observations

        def rekey(value: Any) -> Any:
            if isinstance(value, dict):
                out = {}
                for k, v in value.items():
                    if k == "observation_id" and (v is None or isinstance(v, int)):
                        out[k] = obs_key.get(v, ("?", v))
                    elif k == "document_id" and (v is None or isinstance(v, int)):
                        out[k] = doc_key.get(v, ("?", v))
                    else:
                        out[k] = rekey(v)
                return out
            if isinstance(value, list):
                return [rekey(v) for v in value]
            return value

        if "links" in names:
            snap.tables["links"] = Counter(
                _freeze(rekey({k: _decode(v) for k, v in row.items()})) for row in rows("links"))
        for table in ("papers", "discrepancies"):
            if table in names:
                snap.tables[table] = Counter(
                    _freeze(rekey({k: _decode(v) for k, v in row.items()})) for row in rows(table))

        if "rejects" in names:
            kept, dead = Counter(), Counter()
            for row in rows("rejects"):
                key = (crawl_key.get(row["crawl_id"], ("?", row["crawl_id"])), row["url"], row["source"],
                       row["reason"], row["excerpt"])
                (dead if row["crawl_id"] in killed else kept)[key] += 1
            snap.tables["rejects"], snap.killed_rejects = kept, dead

        fts = [n for n in names if n.startswith("papers_fts")]
        if "papers_fts" in fts:
            # What the index holds for each paper, by the paper's id (rowids may differ).
            snap.tables["papers_fts"] = Counter(
                tuple(r) for r in conn.execute(
                    "select p.id, f.title, f.abstract from papers_fts f join papers p on p.rowid = f.rowid"))
        done = {"crawls", "documents", "observations", "links", "papers", "discrepancies", "rejects", *fts}
        for table in names:
            if table not in done:  # every other table (acknowledged, pending_checks, new ones): as is
                snap.tables[table] = Counter(_freeze(row) for row in rows(table))
    finally:
        conn.close()
    return snap


def _show(row: Any, limit: int = 400) -> str:
    text = repr(row)
    return text if len(text) <= limit else text[:limit] + " ..."


def compare(clean: Snapshot, crashed: Snapshot, examples: int = 3) -> list[str]:
    """Every difference between a clean run's snapshot and a killed-then-rerun one's, one
    line per table (with up to ``examples`` rows each way); empty when they agree.

    Every table must be equal as a multiset, but for ``rejects``, a log that the killed
    process wrote into too: the rerun may log no reject the clean run did not, nor one more
    often than it did; and every reject of the clean run must be logged by the rerun or by
    the killed process (a rerun rightly does not repeat what the killed run settled: an id
    arXiv answered it does not know is not asked again). The killed process's crawls must
    be ``(spider, args)`` of the clean run's."""
    problems = []
    for table in sorted(set(clean.tables) | set(crashed.tables)):
        a, b = clean.tables.get(table, Counter()), crashed.tables.get(table, Counter())
        if table == "rejects":
            missing, extra = (a - b) - crashed.killed_rejects, b - a
        else:
            missing, extra = a - b, b - a
        if not missing and not extra:
            continue
        line = (f"table {table}: {sum(missing.values())} rows only in the uninterrupted run, "
                f"{sum(extra.values())} only after kill+rerun")
        for row in list(missing)[:examples]:
            line += f"\n    - {_show(row)}"
        for row in list(extra)[:examples]:
            line += f"\n    + {_show(row)}"
        problems.append(line)
    known_crawls = {row[:2] for row in clean.tables.get("crawls", Counter())}
    stray = [row for row in crashed.killed_crawls if row[:2] not in known_crawls]
    if stray:
        problems.append(f"the killed process logged crawls the clean run has not: {_show(stray)}")
    known_rejects = set(clean.tables.get("rejects", Counter()))
    stray = [row for row in crashed.killed_rejects if row not in known_rejects]
    if stray:
        problems.append(f"the killed process logged rejects the clean run has not: {_show(stray)}")
    return problems


# -- inputs ------------------------------------------------------------------------------------

@functools.cache
def bench_module():
    """``benchmarks/bench_resolve.py``, imported once from its file (``benchmarks`` is no
    package)."""
    path = ROOT / "benchmarks" / "bench_resolve.py"
    spec = importlib.util.spec_from_file_location("bench_resolve", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def demo_dir() -> Path:
    """The bundled recordings of the demo day."""
    from reconcile.cli import demo_dir as bundled

    return bundled()


def demo_vocabulary(folder: Path) -> dict:
    """The benchmark's title vocabulary, learnt from the bundled demo day's Hugging Face list
    (always in the repository, unlike ../shared/samples): ``folder`` gets a copy laid out as
    the benchmark's ``--samples`` expects."""
    bench = bench_module()
    day = folder / "hf-daily-papers-api" / "demo"
    day.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_dir() / "huggingface.co" / "api" / "daily_papers_date=2026-02-05.json", day / "2026-02-05.json")
    return bench.vocabulary(folder)


@dataclass
class FakePaper:
    """A made-up paper of the synthetic Hugging Face lists."""

    arxiv_id: str
    title: str
    authors: list[str]
    day: dt.date
    upvotes: int


def hf_item(paper: FakePaper, rng: random.Random) -> dict:
    """One item of ``/api/daily_papers`` for ``paper``, in the API's shape."""
    published = dt.datetime.combine(paper.day - dt.timedelta(days=1), dt.time(16, rng.randrange(60)))
    summary = f"Synthetic abstract of {paper.arxiv_id}: {paper.title.lower()}."
    return {
        "paper": {
            "id": paper.arxiv_id,
            "authors": [{"_id": f"x{paper.arxiv_id}{n}", "name": name, "hidden": False}
                        for n, name in enumerate(paper.authors)],
            "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "submittedOnDailyAt": f"{paper.day}T01:02:03.000Z",
            "title": paper.title,
            "summary": summary,
            "upvotes": paper.upvotes,
            "discussionId": f"d-{paper.arxiv_id}",
        },
        "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "title": paper.title,
        "summary": summary,
        "numComments": rng.randrange(5),
    }


def fake_papers(vocab: dict, rng: random.Random, day: dt.date, count: int, serial: list[int]) -> list[FakePaper]:
    """``count`` papers listed on ``day`` with fresh ids (``serial`` is the running number),
    titles from the benchmark's title maker."""
    maker = bench_module().TitleMaker(vocab, rng)
    papers = []
    for _ in range(count):
        serial[0] += 1
        title, _ = maker.title()
        papers.append(FakePaper(f"2512.{serial[0]:05d}", title, rng.sample(vocab["authors"], rng.randint(2, 6)),
                                day, int(rng.paretovariate(1.2) * 5)))
    return papers


def _add_entry(manifest: dict, target: Path, url: str, name: str, body: bytes, content_type: str,
               fetched_at: str) -> None:
    path = target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    manifest["entries"].append({"url": url, "status": 200, "content_type": content_type, "file": name,
                                "fetched_at": fetched_at})


def write_list_replay(target: Path, vocab: dict, seed: int, first: dt.date, last: dt.date,
                      per_day: tuple[int, int] = (8, 16)) -> dict[str, FakePaper]:
    """A replay directory: the bundled demo day plus Hugging Face lists for every day from
    ``first`` to ``last`` (before the demo day), with what a real range holds: two empty
    days (``[]``: the same bytes at two addresses are two documents), two days missing
    from the recording (replay misses: ``rejects`` rows), and one item without a paper id
    (a reject of that item alone). Returns the papers by id."""
    shutil.copytree(demo_dir(), target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    serial = [0]
    papers: dict[str, FakePaper] = {}
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    empty, missing = set(days[3:5]), {days[7], days[-3]}
    broken = days[10] if len(days) > 10 else None
    for day in days:
        if day in missing:
            continue
        listed = [] if day in empty else fake_papers(vocab, rng, day, rng.randint(*per_day), serial)
        items = [hf_item(p, rng) for p in listed]
        if day == broken:
            del items[1]["paper"]["id"]
            listed.pop(1)
        papers.update((p.arxiv_id, p) for p in listed)
        body = json.dumps(items, ensure_ascii=False).encode("utf-8")
        _add_entry(manifest, target, f"https://huggingface.co/api/daily_papers?date={day}&limit=100",
                   f"huggingface.co/api/synthetic/daily_papers_date={day}.json", body,
                   "application/json; charset=utf-8", f"{day + dt.timedelta(days=1)}T00:30:00Z")
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return papers


def atom_feed(batch: list[str], papers: dict[str, tuple[str, list[str]]], updated: str) -> bytes:
    """arXiv's export API answer to an ``id_list`` request of ``batch``: an entry for each
    id ``papers`` knows (title, authors), none for the others (arXiv's "no such paper")."""
    entries = []
    for aid in batch:
        if aid not in papers:
            continue
        title, authors = papers[aid]
        stamp = f"20{aid[:2]}-{aid[2:4]}-0{1 + int(aid[-1]) % 9}T12:00:00Z"
        entries.append(
            f"  <entry>\n    <id>http://arxiv.org/abs/{aid}v1</id>\n    <title>{escape(title)}</title>\n"
            f"    <updated>{stamp}</updated>\n    <published>{stamp}</published>\n"
            f"    <summary>Synthetic abstract of {aid}: {escape(title.lower())}.</summary>\n"
            + "".join(f"    <author><name>{escape(a)}</name></author>\n" for a in authors)
            + '    <arxiv:primary_category term="cs.CL"/>\n  </entry>\n')
    ids = ",".join(batch)
    return (f"<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" "
            f"xmlns:arxiv=\"http://arxiv.org/schemas/atom\" xmlns=\"http://www.w3.org/2005/Atom\">\n"
            f"  <id>https://arxiv.org/api/crash-test</id>\n  <title>arXiv Query: id_list={ids}</title>\n"
            f"  <updated>{updated}</updated>\n"
            f"  <opensearch:itemsPerPage>{len(batch)}</opensearch:itemsPerPage>\n"
            f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
            f"  <opensearch:startIndex>0</opensearch:startIndex>\n{''.join(entries)}</feed>\n").encode("utf-8")


def write_arxiv_replay(source: Path, target: Path, ids: list[str], papers: dict[str, tuple[str, list[str]]],
                       page_size: int, api_url: str = "https://export.arxiv.org/api/query") -> int:
    """A copy of the replay directory ``source`` plus arXiv's answers to the ``id_list``
    requests of ``arxiv --missing`` over ``ids`` (sorted, as the store gives them) in
    batches of ``page_size``, as the spider builds them. Returns the number of batches."""
    shutil.copytree(source, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    batches = [ids[i:i + page_size] for i in range(0, len(ids), page_size)]
    for n, batch in enumerate(batches):
        url = f"{api_url}?{urlencode({'id_list': ','.join(batch), 'start': 0, 'max_results': len(batch)}, safe=',:/')}"
        fetched = f"2026-02-06T08:{n // 60:02d}:{n % 60:02d}Z"
        _add_entry(manifest, target, url, f"export.arxiv.org/api/synthetic/batch-{n:04d}.xml",
                   atom_feed(batch, papers, fetched), "application/atom+xml; charset=UTF-8", fetched)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return len(batches)


def write_ingest_files(folder: Path, vocab: dict, seed: int, lists: int = 600) -> int:
    """A folder of files for ``reconcile ingest``, more than one write batch of them
    (:data:`scrapers.ingest.BATCH_FILES`): Hugging Face daily lists saved as JSON (small,
    so that reading them is quick and many batches are written), in subfolders; two empty
    lists at two paths (two documents of the same bytes); and three files that are rejects
    (not a known format, truncated JSON, an empty file). Returns the number of files."""
    rng = random.Random(seed)
    serial = [50000]
    start = dt.date(2025, 6, 1)
    count = 0
    for n in range(lists):
        day = start + dt.timedelta(days=n)
        papers = fake_papers(vocab, rng, day, rng.randint(2, 6), serial)
        path = folder / f"{day:%Y-%m}" / f"daily_papers_{day}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([hf_item(p, rng) for p in papers], ensure_ascii=False), encoding="utf-8")
        count += 1
    for name, body in (("empty-a/day.json", b"[]"), ("empty-b/day.json", b"[]"),
                       ("odd/noise.bin", bytes(rng.randrange(256) for _ in range(2048))),
                       ("odd/truncated.json", b'[{"paper": {"id": "2512.99999", "title": "Cut sh'),
                       ("odd/empty.json", b"")):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        count += 1
    return count


def bench_parts(vocab: dict, seed: int, n_obs: int, split_day: int) -> tuple[list, list]:
    """The benchmark's synthetic observations (:func:`bench_resolve.generate`: Hugging Face
    lists with ids, digests whose titles are exact, lower-cased, cut, truncated or typo'd,
    mentions, papers no list holds) as ``(document, observations)`` pairs in two parts: the
    documents of the first ``split_day`` days plus the digests of the day after them, and
    the rest (that day's Hugging Face list first). Resolving the first part before the
    second is stored makes the second resolve adopt title-only papers when their list
    arrives, and move their links."""
    bench = bench_module()
    first, second = [], []
    days_seen = 0
    for doc, obs, _ in bench.generate(n_obs, vocab, seed, start=dt.date(2025, 1, 1), first_serial=10_000):
        if doc.source.value == "huggingface":
            days_seen += 1
        if days_seen <= split_day or (days_seen == split_day + 1 and doc.source.value != "huggingface"):
            first.append((doc, obs))
        else:
            second.append((doc, obs))
    return first, second


def store_documents(db: Path, batch: list) -> int:
    """Add ``(document, observations)`` pairs to ``db`` through the store, as the benchmark
    does; returns the number of observations."""
    from reconcile.store import Store

    store = Store(db)
    try:
        store.add_documents(batch)
    finally:
        store.close()
    return sum(len(o) for _, o in batch)


def shared_ingest_paths(shared: Path | None) -> list[Path]:
    """The ../shared folders ingested beside the generated files, read where they are (never
    copied into the repository): the seeds (a format each) and the small sample folders of
    arXiv (API answers, one of them an error and three with unknown ids; RSS), ArxivLens
    and Hugging Face pages. None without ../shared."""
    if shared is None:
        return []
    samples = shared / "samples"
    paths = [shared / "seeds", samples / "arxiv-api", samples / "arxiv-rss", samples / "arxivlens",
             samples / "hf-papers-html"]
    return [p for p in paths if p.is_dir()]
