"""Seven processes on one database at once (issue 13): nothing lost, nothing crashes.

The README says crawls and ``resolve`` may write while someone browses, and scrapyd runs
crawls side by side. Before the store was shared (WAL, a busy timeout, read-only readers),
``report`` failed at once with "database is locked" while ``resolve`` wrote, and a crawl
dropped its buffered batch. This test runs, as real subprocesses on one database: two
``reconcile ingest`` of different folders, two replayed ``reconcile crawl`` (Hugging Face
with ArxivLens, and three digest sites, from the bundled recordings), a ``reconcile
resolve`` of a few thousand generated observations, ``reconcile report`` over and over,
and ``reconcile serve`` answering requests for tables the whole time.

Then: every exit code is 0 and no stderr holds a traceback; every document the ingests
and crawls stored is in the database with its observations, exactly as when the same
inputs go one after another into a fresh database; several reports ran from start to end
while ``resolve`` was writing, and so did Datasette's answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from reconcile.cli import demo_dir

from .support import clean_env, reconcile_exe, rows, run_reconcile

DAY = "2026-02-05"
DIGEST_SITES = "lim4349,lim4349-data,daily-papers-ko"
BASE_DAYS = 120  # generated days in the database before the run: about 4,800 observations
FILES_PER_FOLDER = 300  # per ingest: two batches (scrapers.ingest.BATCH_FILES), two commits
MIN_REPORTS_DURING_RESOLVE = 2
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy

# -- generated data -----------------------------------------------------------------------------

WORDS = ("adaptive sparse attention retrieval agents reasoning vision language diffusion tokens "
         "memory scaling graph policy reward alignment speech video robust efficient latent world "
         "models planning search distillation contrastive multimodal benchmark instruction tuning "
         "quantized experts routing long context streaming compression calibration uncertainty "
         "segmentation detection synthesis editing control feedback preference curriculum").split()
NAMES = ("Omni Sift Lumen Hydra Tide Ernie Vega Orca Pika Atlas Nova Quill Echo Flux Kite Mira").split()
AUTHORS = [f"{first} {last}" for first in ("Ana", "Bo", "Chen", "Dmitri", "Eun", "Femi", "Gita", "Hao")
           for last in ("Li", "Kim", "Okafor", "Silva", "Novak", "Tanaka")]


def make_title(rng: random.Random) -> str:
    """A made-up paper title, half of them with a name before a colon."""
    body = " ".join(rng.sample(WORDS, rng.randint(4, 8))).capitalize()
    if rng.random() < 0.5:
        return f"{rng.choice(NAMES)}{rng.choice(NAMES)}-{rng.randint(1, 9)}: {body}"
    return body


def variant(title: str, rng: random.Random) -> str:
    """A digest's copy of a title: exact, lower-cased, cut at the colon, truncated, or with
    a letter dropped, so that ``resolve`` has title matching to do, not only ids."""
    roll = rng.random()
    if roll < 0.3:
        return title
    if roll < 0.5:
        return title.lower()
    if roll < 0.65 and ":" in title:
        return title.split(":")[0]
    if roll < 0.85:
        return " ".join(title.split()[:4]) + " ..."
    i = rng.randrange(1, len(title) - 1)
    return title[:i] + title[i + 1:]


def fill_base(db: Path, seed: int = 13) -> int:
    """Generated Hugging Face lists and digests (titles without ids) for :data:`BASE_DAYS`
    days of 2024, written with the store's own API; returns how many observations."""
    from reconcile.models import Document, Observation, Source, TimeBasis
    from reconcile.store import Store

    rng = random.Random(seed)
    batch, count, serial = [], 0, 0
    for n in range(BASE_DAYS):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=n)
        at = dt.datetime.combine(day, dt.time(7, 45), dt.timezone.utc)
        papers = []
        for _ in range(rng.randint(15, 25)):
            serial += 1
            papers.append((f"24{1 + serial // 9000:02d}.{serial % 9000 + 1:05d}", make_title(rng),
                           rng.sample(AUTHORS, 3), rng.randint(0, 200)))
        url = f"https://hf.example/api/daily_papers?date={day}"
        doc = Document(url=url, source=Source.HUGGINGFACE, site="hf.example", format="generated",
                       observed_at=at, observed_at_basis=TimeBasis.RESPONSE,
                       sha256=hashlib.sha256(url.encode()).hexdigest())
        batch.append((doc, [Observation(source=Source.HUGGINGFACE, site="hf.example", arxiv_id=aid, title=title,
                                        authors=authors, upvotes=votes, listed_on=day, observed_at=at)
                            for aid, title, authors, votes in papers]))
        for d in range(2):
            url = f"https://digest-{d}.example/{day}"
            doc = Document(url=url, source=Source.DIGEST, site=f"digest-{d}.example", format="generated",
                           observed_at=at + dt.timedelta(hours=2), observed_at_basis=TimeBasis.PUBLISHED,
                           sha256=hashlib.sha256(url.encode()).hexdigest())
            picks = rng.sample(papers, 10)
            batch.append((doc, [Observation(source=Source.DIGEST, site=f"digest-{d}.example", rank=r,
                                            title=variant(title, rng), upvotes=max(0, votes - rng.randint(0, 3)),
                                            listed_on=day, observed_at=at + dt.timedelta(hours=2))
                                for r, (_, title, _, votes) in enumerate(picks, 1)]))
        count += len(papers) + 20
    store = Store(db)
    store.add_documents(batch)
    store.close()
    return count


def paper_id(day: dt.date, n: int, k: int) -> str:
    """The arXiv id of the ``k``-th paper of the ``n``-th day: the folders name the same
    papers, as a digest repeats Hugging Face's list."""
    return f"{day:%y%m}.{n * 10 + k + 1:05d}"


def write_hf_answers(folder: Path, rng: random.Random) -> None:
    """Saved answers of Hugging Face's daily-papers API, one a day of 2025, in its format."""
    folder.mkdir()
    for n in range(FILES_PER_FOLDER):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        items = []
        for k in range(rng.randint(3, 8)):
            aid, title = paper_id(day, n, k), make_title(rng)
            paper = {"id": aid, "title": title, "upvotes": rng.randint(0, 300),
                     "authors": [{"name": a} for a in rng.sample(AUTHORS, 3)],
                     "publishedAt": f"{day}T10:00:00.000Z", "submittedOnDailyAt": f"{day}T11:00:00.000Z"}
            items.append({"paper": paper, "title": title, "publishedAt": paper["publishedAt"],
                          "numComments": rng.randint(0, 9)})
        (folder / f"daily_papers_date={day}.json").write_text(json.dumps(items), encoding="utf-8")


def write_digest_posts(folder: Path, rng: random.Random) -> None:
    """Markdown digest posts, one a day of 2025, linking papers with counts."""
    folder.mkdir()
    for n in range(FILES_PER_FOLDER):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        lines = [f"# Papers of {day}", ""]
        for k in range(rng.randint(3, 8)):
            aid = paper_id(day, n, k)
            lines.append(f"{k + 1}. [{make_title(rng)}](https://arxiv.org/abs/{aid}) 👍 {rng.randint(0, 300)}")
        (folder / f"{day}-papers.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- what a database holds ------------------------------------------------------------------------

OBS_FIELDS = ("source", "site", "arxiv_id", "title", "authors", "upvotes", "comments", "rank", "listed_on",
              "observed_at")


def stored(db: Path, skip_hosts: tuple[str, ...] = ()) -> dict[tuple[str, str], list[tuple]]:
    """Each document, by (url, sha256), with its format and its observations' fields (in
    order), leaving out the documents at ``skip_hosts`` (the generated ones)."""
    found: dict[tuple[str, str], list[tuple]] = {}
    docs = rows(db, "select id, url, sha256, source, format from documents")
    observations: dict[int, list[tuple]] = {}
    for obs in rows(db, f"select document_id, {', '.join(OBS_FIELDS)} from observations order by id"):
        observations.setdefault(obs["document_id"], []).append(tuple(obs[f] for f in OBS_FIELDS))
    for doc in docs:
        if any(f"://{host}/" in doc["url"] for host in skip_hosts):
            continue
        found[(doc["url"], doc["sha256"])] = [(doc["source"], doc["format"]), *observations.get(doc["id"], [])]
    return found


# -- the commands ---------------------------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Command:
    """One ``reconcile`` subprocess, its output going to files (no pipe can fill up)."""

    name: str
    args: list[str]
    folder: Path
    proc: subprocess.Popen | None = None
    started: float = 0.0
    ended: float | None = None

    def start(self) -> Command:
        """Start it, and a thread that notes when it ends."""
        self.out = (self.folder / f"{self.name}.out").open("w")
        self.err = (self.folder / f"{self.name}.err").open("w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([reconcile_exe(), *self.args], stdout=self.out, stderr=self.err,
                                     env=clean_env(), cwd=self.folder)

        def note_the_end() -> None:
            self.proc.wait()
            self.ended = time.monotonic()

        threading.Thread(target=note_the_end, daemon=True).start()
        return self

    def running(self) -> bool:
        """Whether it still runs."""
        return self.proc.poll() is None or self.ended is None

    def wait(self, timeout: float) -> int:
        """Its exit code, after waiting for it at most ``timeout`` seconds."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"{self.name} did not end within {timeout:.0f} s")
        while self.ended is None:  # the watching thread is about to note it
            time.sleep(0.01)
        self.out.close()
        self.err.close()
        return code

    @property
    def stdout(self) -> str:
        """What it printed on stdout."""
        return (self.folder / f"{self.name}.out").read_text(encoding="utf-8")

    @property
    def stderr(self) -> str:
        """What it printed on stderr."""
        return (self.folder / f"{self.name}.err").read_text(encoding="utf-8")


@dataclass
class Browsing:
    """Requests to ``reconcile serve`` made in a thread until stopped: when each was made,
    and what went wrong."""

    base: str
    paths: list[str]
    answers: list[tuple[float, float, str]] = field(default_factory=list)  # (start, end, path)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Ask for each path in turn, again and again."""
        while not self.stop.is_set():
            for path in self.paths:
                start = time.monotonic()
                try:
                    with DIRECT.open(self.base + path, timeout=30) as response:
                        json.load(response)
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    self.errors.append(f"{path}: {exc}")
                else:
                    self.answers.append((start, time.monotonic(), path))


def wait_for_serve(serve: Command, base: str) -> None:
    """Until ``reconcile serve`` answers, or fail with its stderr."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not serve.running():
            pytest.fail(f"reconcile serve exited: {serve.stderr[-2000:]}")
        try:
            with DIRECT.open(f"{base}/-/versions.json", timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    serve.proc.kill()
    pytest.fail("reconcile serve did not answer within 30 s")


def during(start: float, end: float, command: Command) -> bool:
    """Whether ``start``-``end`` lies within the command's run."""
    return command.started <= start and command.ended is not None and end <= command.ended


# -- the test -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The two ingest folders, the base database (generated, unresolved), and the reference
    database: the same folders and crawls stored one after another into a fresh database."""
    from reconcile.store import Store
    from scrapers.ingest import ingest_paths

    tmp = tmp_path_factory.mktemp("concurrency")
    rng = random.Random(2026)
    write_hf_answers(tmp / "hf", rng)
    write_digest_posts(tmp / "posts", rng)
    base = tmp / "base.db"
    generated = fill_base(base)
    reference = tmp / "reference.db"
    store = Store(reference)
    for folder in ("hf", "posts"):
        ingest_paths(store, [str(tmp / folder)])
    store.close()
    for crawl in CRAWLS.values():
        result = run_reconcile(*crawl, "--db", str(reference), cwd=tmp)
        assert result.returncode == 0, result.stderr[-3000:]
    return tmp, base, generated, reference


CRAWLS = {
    "crawl-hf": ["crawl", "huggingface", "arxivlens", "--date", DAY, "--replay", str(demo_dir())],
    "crawl-digests": ["crawl", "digests", "--date", DAY, "--sites", DIGEST_SITES, "--replay", str(demo_dir())],
}


def test_ingests_crawls_resolve_report_and_serve_share_one_database(inputs):
    """All at once on one database: the ways sharing failed before (a read that takes a
    write lock, a writer that gives up at once, a batch dropped on a locked write, a report
    that exits 1 with a traceback) each show here as an exit code, a traceback or a
    document missing against the reference; and the run must really overlap, or it proves
    nothing: reports and Datasette's answers must fall inside resolve's run."""
    tmp, base, generated, reference = inputs
    db = tmp / "shared.db"
    db.write_bytes(base.read_bytes())
    port = free_port()
    serve = Command("serve", ["serve", "--db", str(db), "--port", str(port)], tmp).start()
    url = f"http://127.0.0.1:{port}"
    wait_for_serve(serve, url)
    browsing = Browsing(url, [f"/{db.stem}/documents.json?_size=5", f"/{db.stem}/observations.json?_size=5",
                              f"/{db.stem}/papers.json?_size=5", f"/{db.stem}.json"])
    browser = threading.Thread(target=browsing.run, daemon=True)

    resolve = Command("resolve", ["resolve", "--db", str(db)], tmp)
    writers = [Command("ingest-hf", ["ingest", str(tmp / "hf"), "--db", str(db)], tmp),
               Command("ingest-posts", ["ingest", str(tmp / "posts"), "--db", str(db)], tmp),
               *(Command(name, [*args, "--db", str(db)], tmp) for name, args in CRAWLS.items())]
    resolve.start()
    for command in writers:
        command.start()
    browser.start()
    reports: list[tuple[float, float, int, str]] = []  # (start, end, exit code, stderr)
    deadline = time.monotonic() + 120
    try:
        while (resolve.running() or any(c.running() for c in writers)
               or len(reports) < MIN_REPORTS_DURING_RESOLVE) and time.monotonic() < deadline:
            start = time.monotonic()
            report = subprocess.run([reconcile_exe(), "report", "--db", str(db), "--format", "json"],
                                    capture_output=True, text=True, env=clean_env(), timeout=60)
            reports.append((start, time.monotonic(), report.returncode, report.stderr))
            if report.returncode == 0:
                json.loads(report.stdout)  # a whole report, not a cut one
        codes = {c.name: c.wait(60) for c in (resolve, *writers)}
    finally:
        for command in (resolve, *writers):  # only when the loop itself failed
            if command.proc is not None and command.proc.poll() is None:
                command.proc.kill()
        browsing.stop.set()
        browser.join(timeout=60)
        still_serving = serve.running()
        serve.proc.send_signal(signal.SIGTERM)
        serve.wait(20)

    for command in (resolve, *writers):
        print(f"{command.name}: {command.started - resolve.started:+.1f} s to "
              f"{command.ended - resolve.started:+.1f} s, exit {codes[command.name]}")
    print(f"{len(reports)} reports, {len(browsing.answers)} Datasette answers")

    # Every problem is gathered before the test fails, so one run shows all that went wrong.
    problems: list[str] = []

    # Every command ended well, with no traceback anywhere.
    for command in (resolve, *writers):
        if codes[command.name] != 0:
            problems.append(f"{command.name} exited {codes[command.name]}: {command.stderr.strip()[-600:]}")
    for command in (resolve, *writers, serve):
        if "Traceback" in command.stderr:
            problems.append(f"{command.name} printed a traceback:\n{command.stderr[-2000:]}")
    if not still_serving:
        problems.append(f"reconcile serve died while the others ran: {serve.stderr[-600:]}")
    problems += [f"report exited {code}: {err.strip()[-600:]}" for _, _, code, err in reports
                 if code != 0 or "Traceback" in err]
    problems += [f"Datasette: {error}" for error in browsing.errors[:5]]

    # Reports and Datasette kept answering while resolve wrote.
    said = re.search(r"placed \d+ of (\d+) new observations", resolve.stdout)
    if codes["resolve"] == 0 and (not said or int(said[1]) < generated):
        problems.append(f"resolve did not place the {generated} generated observations: {resolve.stdout!r}")
    inside = [r for r in reports if during(r[0], r[1], resolve)]
    if len(inside) < MIN_REPORTS_DURING_RESOLVE:
        problems.append(f"only {len(inside)} reports ran within resolve's {resolve.ended - resolve.started:.1f} s: "
                        "the test no longer overlaps them")
    if not any(during(a[0], a[1], resolve) for a in browsing.answers):
        problems.append("no Datasette answer came while resolve ran")

    # No lost document: all that was stored one after another is here, the same.
    expected = stored(reference)
    got = stored(db, skip_hosts=("hf.example", "digest-0.example", "digest-1.example"))
    lost, extra = sorted(set(expected) - set(got)), sorted(set(got) - set(expected))
    changed = sorted(k for k in set(expected) & set(got) if got[k] != expected[k])
    for what, keys in (("lost", lost), ("not in the reference", extra), ("stored differently", changed)):
        if keys:
            problems.append(f"{len(keys)} documents {what}, e.g. {[url for url, _ in keys[:3]]}")
    # ... and each command's own count of what it stored is what the database holds of it.
    for name in ("ingest-hf", "ingest-posts"):
        command = next(c for c in writers if c.name == name)
        count = re.search(r"ingested (\d+) documents \((\d+) observations\)", command.stdout)
        prefix = (tmp / name.split("-")[1]).resolve().as_uri() + "/"
        mine = [v for (url, _), v in got.items() if url.startswith(prefix)]
        if not count or (int(count[1]), int(count[2])) != (len(mine), sum(len(v) - 1 for v in mine)):
            problems.append(f"{name} said {count and count.group(0)!r}; the database holds {len(mine)} "
                            f"documents of its folder")
        elif len(mine) != FILES_PER_FOLDER:
            problems.append(f"{name} stored {len(mine)} of {FILES_PER_FOLDER} files")
    crawled = rows(db, "select id, spider, status, stats from crawls order by id")
    if sorted(c["status"] for c in crawled) != ["finished"] * 3:
        problems.append(f"crawls: {[(c['spider'], c['status']) for c in crawled]}")
    said_stored = sum(v for c in crawled for k, v in json.loads(c["stats"] or "{}").items()
                      if k.endswith("/documents/stored"))
    from_crawls = rows(db, "select count(*) n from documents where crawl_id is not null")[0]["n"]
    wanted = sum(1 for url, _ in expected if url.startswith("https://"))
    if not said_stored == from_crawls == wanted:
        problems.append(f"the crawls said they stored {said_stored} documents; the database holds {from_crawls} "
                        f"of theirs; stored one after another: {wanted}")
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    assert not problems, "\n".join(problems)
