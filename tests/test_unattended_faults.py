"""An unattended (cron) run says when it failed, loses nothing and gives the same answer
every time: four faults a probe found, each once a traceback, a silent exit 0 or a folder
skipped without a word.

- ``crawl`` / ``run`` on a database another process holds (or one that cannot be written):
  Scrapy's traceback (``CoreStats.spider_closed`` ... ``AssertionError``) came before the
  one-line error, because the crawl's row was written only as Scrapy opened the spider.
- A database written by another version (a column this one does not know, another schema
  fingerprint): ``ingest`` took it and stamped its own fingerprint over it, and ``resolve``
  died with pydantic's traceback.
- ``crawl --record DIR`` where nothing can be written: the crawl ended ``finished``, exit 0,
  with the recording it was asked for missing.
- A link to a folder inside an ingest folder was skipped without a word (``os.walk`` does not
  follow links) while a linked file was read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from .loopback import LoopbackServer, daily_papers_body
from .support import ROOT, crawl_rows, crawl_with_store_refusing, run_reconcile

RECORDINGS = ROOT / "scrapers" / "recordings" / "2026-02-05"


def _one_line_exit_2(done: subprocess.CompletedProcess, *words: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "AssertionError" not in done.stderr, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reconcile: error: "), done.stderr[-2000:]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _doc(body: bytes):
    from reconcile.models import Document

    return Document(url="https://example.org/a", source="digest", format="digest-top-list",
                    observed_at=dt.datetime(2026, 2, 5, 7, 45, tzinfo=dt.timezone.utc),
                    observed_at_basis="response", sha256=hashlib.sha256(body).hexdigest())


def _obs():
    from reconcile.models import Observation

    return Observation(source="digest", arxiv_id="2602.04705", title="A title", authors=["A", "B"], upvotes=3)


def _new_database(path: Path) -> Path:
    from reconcile.store import Store

    Store(path).close()
    return path


# -- a database that cannot be written --------------------------------------------------------
@pytest.mark.parametrize("command", [
    ["crawl", "huggingface", "--date", "2026-02-05", "--replay", str(RECORDINGS)],
    ["run", "--date", "2026-02-05", "--replay", str(RECORDINGS)],
])
def test_a_crawl_on_a_locked_database_is_one_line_and_exit_2(tmp_path, command):
    db = _new_database(tmp_path / "locked.db")
    holder = sqlite3.connect(db, check_same_thread=False)
    holder.execute("begin exclusive")  # another process writes, and goes on writing
    try:
        done = run_reconcile(*command, "--db", str(db), cwd=tmp_path, env={"RECONCILE_BUSY_TIMEOUT": "1"})
    finally:
        holder.rollback()
        holder.close()
    _one_line_exit_2(done, "locked.db is locked by another process")
    assert crawl_rows(db) == []  # no crawl was started, none left running


def test_a_crawl_whose_row_the_database_refuses_is_one_line_without_scrapys_traceback(tmp_path):
    """The database is taken by another process after the command asked for it, before the
    crawl's row is written: the crawl cannot start, and says so in one line."""
    db = _new_database(tmp_path / "p.db")
    done = crawl_with_store_refusing("start_crawl", db, tmp_path)
    _one_line_exit_2(done, "crawl failed: huggingface", "database is locked")


def test_a_database_that_cannot_be_written_is_found_before_a_crawl_starts(tmp_path):
    """``Store.check_writable`` asks for the write lock and makes a write that changes
    nothing: a read-only file is granted the lock by SQLite and refuses only a write."""
    from reconcile.store import Store, StoreError

    path = _new_database(tmp_path / "p.db")
    store = Store(path)
    store.check_writable()  # nothing held: fine, and nothing written
    assert store.db.conn.in_transaction is False
    store.close()
    read_only = Store(path)
    read_only.db.conn.close()
    import sqlite_utils

    read_only.db = sqlite_utils.Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
    with pytest.raises(StoreError, match="cannot write to .*p.db"):
        read_only.check_writable()


# -- a database of another version ------------------------------------------------------------
def _another_versions_database(path: Path) -> Path:
    """A database as a later version might leave it: a column this one does not know in
    ``documents`` (with a value), and that version's schema fingerprint."""
    from reconcile.store import Store

    store = Store(path)
    store.add_documents([(_doc(b"one"), [_obs()])])
    store.db.execute("alter table documents add column fetched_by text")
    store.db.execute("update documents set fetched_by = 'crawler-7'")
    store.db.execute("PRAGMA user_version = 99999")
    store.db.conn.commit()
    store.close()
    return path


@pytest.mark.parametrize("command", [
    ["ingest", "{tmp}/x.json"],
    ["resolve"],
    ["crawl", "huggingface", "--date", "2026-02-05", "--replay", str(RECORDINGS)],
])
def test_a_database_of_another_version_is_refused_in_one_line_and_left_as_it_was(tmp_path, command):
    db = _another_versions_database(tmp_path / "newer.db")
    (tmp_path / "x.json").write_text("[]")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = run_reconcile(*[a.replace("{tmp}", str(tmp_path)) for a in command], "--db", str(db), cwd=tmp_path)
    _one_line_exit_2(done, "newer.db was made by another version of reconcile", "unknown column documents.fetched_by")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99999
    assert conn.execute("select fetched_by from documents").fetchall() == [("crawler-7",)]


def test_readers_leave_out_columns_they_do_not_know(tmp_path):
    """``report`` only reads, so it reads another version's database, without its columns;
    a database of this version with a column added by hand is read and written as before."""
    from reconcile.store import Store, schema_version

    db = _another_versions_database(tmp_path / "newer.db")
    reader = Store(db, read_only=True)
    [document] = reader.documents().values()
    assert document.sha256 == hashlib.sha256(b"one").hexdigest()
    assert [o.title for o in reader.unlinked_observations()] == ["A title"]
    reader.close()

    done = run_reconcile("report", "--db", str(db), "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]

    ours = tmp_path / "ours.db"
    store = Store(ours)
    store.db.execute("alter table observations add column my_note text")  # a user's own column
    store.close()
    store = Store(ours)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    store.add_documents([(_doc(b"two"), [_obs()])])
    assert [o.title for o in store.unlinked_observations()] == ["A title"]


def test_a_column_an_earlier_version_made_is_no_sign_of_another_version(tmp_path):
    """The matcher's index once filed DOIs in ``match_papers.doi``: a database of that time is
    an older one, upgraded as any other."""
    from reconcile.store import Store, schema_version

    path = tmp_path / "old.db"
    store = Store(path)
    store.db.execute("alter table match_papers add column doi text")
    store.db.execute("PRAGMA user_version = 1")
    store.close()
    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == schema_version()


# -- a recording that cannot be written -------------------------------------------------------
def test_a_recording_that_cannot_be_written_makes_the_crawl_partial_and_exit_3(tmp_path):
    from scrapers.middlewares import recording_name

    server = LoopbackServer().start()
    try:
        server.add("/api/daily_papers?date=2026-02-05&limit=100", daily_papers_body("2026-02-05", [
            ("2602.20002", "A Made-up Tiny Prover", 30)]))
        record = tmp_path / "rec"
        record.mkdir()
        # Where the responses of this host go is taken by a file: every write fails, as on a
        # full disk or a read-only folder (which a test run as root cannot make).
        host = recording_name(f"{server.base_url}/x", None).split("/")[0]
        (record / host).write_text("in the way\n")
        db = tmp_path / "p.db"
        done = run_reconcile("crawl", "huggingface", "--date", "2026-02-05",
                             "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--set", "DOWNLOAD_DELAY=0",
                             "--record", str(record), "--db", str(db), cwd=tmp_path)
    finally:
        server.stop()
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    [crawl] = crawl_rows(db)
    assert crawl["status"] == "partial"
    record_stats = {k: v for k, v in crawl["stats"].items() if k.startswith("record/")}
    # robots.txt (the host's folder is a file) and the day's list (a folder inside that file)
    assert record_stats == {"record/error": 2, "record/error/file_exists": 1, "record/error/not_a_directory": 1}
    assert ("crawl 1 huggingface: partial; 2 requests, 2 responses, 1 page read, 0 rejects; "
            "2 responses not recorded (file_exists 1, not_a_directory 1)") in done.stderr
    assert done.stderr.strip().splitlines()[-1] == \
        "reconcile: error: 1 of 1 crawls did not finish cleanly: huggingface partial"
    # What was fetched is stored all the same: nothing is lost but the recording.
    conn = sqlite3.connect(db)
    assert conn.execute("select arxiv_id, upvotes from observations").fetchall() == [("2602.20002", 30)]


def test_crawl_status_counts_a_recording_failure():
    from scrapers.pipelines import crawl_status

    read = {"reconcile/pages/read": 3}
    assert crawl_status("finished", False, read) == "finished"
    assert crawl_status("finished", False, {**read, "record/error": 1}) == "partial"
    assert crawl_status("finished", False, {"reconcile/requests/failed": 2, "record/error": 1}) == "failed"
    assert crawl_status("finished", True, {**read, "record/error": 1}) == "store_error"
    assert crawl_status("shutdown", False, {**read, "record/error": 1}) == "shutdown"


# -- links to folders in an ingest folder -----------------------------------------------------
def _tree(box: Path) -> Path:
    """An inbox with links of every kind: to a folder elsewhere (twice), to a folder inside
    itself, to itself, to its parent, and a link leading into two folders that link to each
    other."""
    for rel in ("in/a.txt", "in/real/r.txt", "in/.hidden/h.txt", "other/b.txt", "other/sub/c.txt",
                "x/f.txt", "y/g.txt", "note.txt"):
        (box / rel).parent.mkdir(parents=True, exist_ok=True)
        (box / rel).write_text(rel)
    links = {"in/linked": "../other", "in/again": "../other", "in/inner": "real", "in/loop": ".",
             "in/up": "..", "in/tox": "../x", "x/xy": "../y", "y/yx": "../x", "other/back": "../in"}
    for link, target in links.items():
        os.symlink(target, box / link)
    return box / "in"


def test_links_to_folders_are_followed_and_every_real_folder_is_read_once(tmp_path):
    from scrapers.files import iter_input_files

    inbox = _tree(tmp_path / "box")
    found = [p.relative_to(inbox).as_posix() for p in iter_input_files([str(inbox)])]
    assert found == [
        "a.txt",
        "again/b.txt",  # other/, first reached by this link in sorted order: read once
        "again/sub/c.txt",  # other/back leads into the inbox: read there, not again
        "real/r.txt",  # inner -> real and loop -> . lie inside the inbox: read under their own names
        "tox/f.txt",
        "tox/xy/g.txt",  # x and y link to each other: each read once
        "up/note.txt",  # the parent is read once; the folders in it were read already
    ]
    assert [p.relative_to(inbox).as_posix() for p in iter_input_files([str(inbox)])] == found  # same every time
    # The hidden and --exclude rules see the path below the folder named, links included.
    assert [p.relative_to(inbox).as_posix() for p in iter_input_files([str(inbox)], ["sub", "up"])] == [
        "a.txt", "again/b.txt", "real/r.txt", "tox/f.txt", "tox/xy/g.txt"]


def test_ingest_reads_a_linked_folder_as_the_files_it_holds(tmp_path):
    from click.testing import CliRunner

    from reconcile.cli import cli

    post = "# Pond 2031-05-06\n\n1. [Reed Beds: Sparse Roots](https://arxiv.org/abs/3105.00101) \U0001F44D 9\n"
    (tmp_path / "in" / "real").mkdir(parents=True)
    (tmp_path / "in" / "real" / "pond.md").write_text(post)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "heron.md").write_text(post.replace("Pond", "Heron").replace("00101", "00102"))
    os.symlink("../elsewhere", tmp_path / "in" / "linked")
    db = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    urls = sorted(u for (u,) in conn.execute("select url from documents"))
    # A document's address is the file's own, not the link's.
    assert urls == [(tmp_path / "elsewhere" / "heron.md").resolve().as_uri(),
                    (tmp_path / "in" / "real" / "pond.md").resolve().as_uri()]
    assert sorted(a for (a,) in conn.execute("select arxiv_id from observations")) == ["3105.00101", "3105.00102"]
