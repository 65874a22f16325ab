"""Issue 12, point 5: databases handled like a careful command line.

Every way a ``--db`` or ``--output`` path can be unusable ends in one line on stderr and
exit 2, never a traceback or an empty database made by a typo; ``report`` only reads.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest

from .support import run_reconcile


def _one_line_exit_2(done, *words):
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reconcile: error: "), done.stderr[-500:]
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("command", [["report"], ["resolve"], ["ack", "0123456789abcdef"]])
def test_no_database_there_is_refused_not_created(tmp_path, command):
    missing = tmp_path / "typo.db"
    _one_line_exit_2(run_reconcile(*command, "--db", str(missing)), "no database at", "typo.db")
    assert not missing.exists()


def test_every_command_that_needs_a_database_says_the_same_and_the_readme_quotes_it(tmp_path):
    """report, resolve, ack and serve give one message for a missing database, the one the
    README quotes (serve said to run demo or run, the others ingest or crawl; probe24 B6)."""
    from .test_docs import README

    missing = tmp_path / "typo.db"
    said = {run_reconcile(*command, "--db", str(missing)).stderr.strip()
            for command in (["report"], ["resolve"], ["ack", "0123456789abcdef"], ["serve"])}
    assert len(said) == 1, said
    quoted = said.pop().removeprefix("reconcile: error: ").replace(str(missing), "X")
    assert f'("{quoted}")' in " ".join(README.split()), quoted
    assert not missing.exists()


def test_serve_refuses_a_missing_database(tmp_path):
    done = run_reconcile("serve", "--db", str(tmp_path / "typo.db"))
    assert done.returncode == 2 and "no database at" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["report"], ["resolve"], ["ingest", "-"]])
def test_a_file_that_is_not_a_database(tmp_path, command):
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"these are notes, not an SQLite database\n" * 100)
    args = [str(tmp_path / "x.json") if a == "-" else a for a in command]
    (tmp_path / "x.json").write_text("[]")
    _one_line_exit_2(run_reconcile(*args, "--db", str(bogus)), "not an SQLite database")


def test_an_sqlite_database_of_something_else(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table recipes (name text)")
    _one_line_exit_2(run_reconcile("report", "--db", str(other)), "not one of paper-reconcile's")


def test_a_missing_folder_for_a_new_database(tmp_path):
    (tmp_path / "x.json").write_text("[]")
    _one_line_exit_2(run_reconcile("ingest", str(tmp_path / "x.json"), "--db", str(tmp_path / "no" / "x.db")),
                     "does not exist")


def test_a_locked_database(demo_db, tmp_path):
    locked = tmp_path / "locked.db"
    shutil.copy(demo_db, locked)
    conn = sqlite3.connect(locked, check_same_thread=False)
    conn.execute("begin exclusive")
    try:
        (tmp_path / "x.json").write_text("[]")
        _one_line_exit_2(run_reconcile("ingest", str(tmp_path / "x.json"), "--db", str(locked),
                                       env={"RECONCILE_BUSY_TIMEOUT": "1"}), "locked")
    finally:
        conn.rollback()
        conn.close()


def test_report_only_reads_and_works_on_an_old_database(demo_db, tmp_path):
    """A database made before the acknowledged table existed: report neither fails on it
    nor adds the table (it writes nothing: the file's bytes are unchanged)."""
    old = tmp_path / "old.db"
    shutil.copy(demo_db, old)
    with sqlite3.connect(old) as conn:
        conn.execute("drop table acknowledged")
    before = hashlib.sha256(old.read_bytes()).hexdigest()
    done = run_reconcile("report", "--db", str(old), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert '"discrepancies": 24' in done.stdout
    assert hashlib.sha256(old.read_bytes()).hexdigest() == before


def test_report_output_problems_are_one_line(demo_db, tmp_path):
    _one_line_exit_2(run_reconcile("report", "--db", str(demo_db), "--output", str(tmp_path / "no" / "r.md")),
                     "cannot write the report", "r.md")
    _one_line_exit_2(run_reconcile("report", "--db", str(demo_db), "--output", str(tmp_path)))


def test_report_output_through_a_link_or_into_a_pipe_writes_there(demo_db, tmp_path):
    """``--output`` names where the report goes: a symbolic link's file is written (the link
    kept), and a named pipe's reader gets the report. The report used to be written beside
    the path and renamed over it, which replaced the link, the pipe (or, as root, a device
    such as /dev/full) with a regular file."""
    import os
    import stat
    import threading

    real = tmp_path / "reports" / "latest.md"
    real.parent.mkdir()
    real.write_text("an older report\n")
    link = tmp_path / "report.md"
    link.symlink_to(real)
    done = run_reconcile("report", "--db", str(demo_db), "--output", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and "an older report" not in real.read_text() and "upvotes" in real.read_text()
    assert not list(real.parent.glob(".*.partial"))

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = run_reconcile("report", "--db", str(demo_db), "--output", str(pipe))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert got and b"upvotes" in got[0] and stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.parametrize("name", ["RECONCILE_PARSE_SECONDS", "RECONCILE_BUSY_TIMEOUT"])
@pytest.mark.parametrize("value", ["abc", "-1", "inf", "nan"])
def test_a_setting_of_seconds_that_is_no_number_of_seconds_is_one_line(tmp_path, name, value):
    """``RECONCILE_PARSE_SECONDS=abc`` ended the ingest in a traceback (read at import), and
    ``inf`` rejected every file ("timestamp out of range"); ``RECONCILE_BUSY_TIMEOUT=abc``
    fell back to 30 s without a word. Each is refused before anything runs."""
    from scrapers.pages import seconds_setting

    done = run_reconcile("ingest", str(tmp_path), "--db", str(tmp_path / "p.db"), env={name: value})
    _one_line_exit_2(done, name, repr(value))
    assert not (tmp_path / "p.db").exists()
    # The readers themselves, used as a library, keep their default for such a value.
    import os

    os.environ[name] = value
    try:
        assert seconds_setting(name, 30.0) == 30.0
    finally:
        del os.environ[name]
