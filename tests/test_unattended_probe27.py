"""Unattended runs stopped or overlapped (probe27): SIGTERM stops every command as Ctrl-C
does, and two reports written to one path at once each write it whole. Made-up files."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

from reconcile import entry
from reconcile.cli import save_report

from .support import clean_env, reconcile_exe


def test_sigterm_is_an_interrupt():
    try:
        entry._terminated(signal.SIGTERM, None)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("SIGTERM did not interrupt")


def test_sigterm_stops_an_ingest_with_130_and_one_line(tmp_path):
    # ``ingest``, ``resolve`` and ``report`` died with 143 and no word (probe27 s6).
    folder = tmp_path / "inbox"
    folder.mkdir()
    for n in range(4000):
        day = f"2031-01-{n % 28 + 1:02d}"
        papers = [{"title": f"Made-up Paper {n} About Counting Herons", "likes": n % 50,
                   "url": f"https://huggingface.co/papers/3101.{n:05d}"}]
        (folder / f"daily-{n}.json").write_text(json.dumps({"date": day, "crawled_at": f"{day}T10:00:00",
                                                             "total_papers": 1, "papers": papers}), encoding="utf-8")
    db = tmp_path / "t.db"
    proc = subprocess.Popen([reconcile_exe(), "ingest", str(folder), "--db", str(db)],
                            cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not db.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # the database appears once the command has started: the files take seconds more
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr and stderr.strip().splitlines()[-1] == "reconcile: aborted"


def test_two_reports_written_to_one_path_at_once_are_each_written_whole(tmp_path):
    # Each writer wrote ``.NAME.partial`` and renamed it: one renamed the other's half-written
    # file over the target, and the other failed ("No such file or directory"; probe27 s3).
    target = tmp_path / "report.html"
    texts = ["a" * 2_000_000, "b" * 2_000_000]
    errors: list[BaseException] = []

    def write(text: str) -> None:
        try:
            for _ in range(15):
                save_report(target, text)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert target.read_text(encoding="utf-8") in texts
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no partial file left


def test_a_log_file_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    # ``--log-file`` on a full disk printed logging's traceback for every record (61 in one
    # ``run``), and ``resolve`` still exited 0 (probe27 s4).
    import os

    import pytest

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    db = tmp_path / "l.db"
    day = {"date": "2031-01-05", "crawled_at": "2031-01-05T10:00:00", "total_papers": 1,
           "papers": [{"title": "Made-up Paper About Counting Herons", "likes": 3,
                       "url": "https://huggingface.co/papers/3101.00001"}]}
    (tmp_path / "daily.json").write_text(json.dumps(day), encoding="utf-8")
    assert subprocess.run([reconcile_exe(), "ingest", str(tmp_path / "daily.json"), "--db", str(db)],
                          cwd=tmp_path, env=clean_env(), capture_output=True, timeout=120).returncode == 0
    done = subprocess.run([reconcile_exe(), "--log-file", "/dev/full", "resolve", "--db", str(db)],
                          cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("cannot write the log to /dev/full: No space left on device") == 1


def test_a_crawl_whose_end_the_database_refuses_is_exit_3_without_a_traceback(tmp_path):
    # Another process holds the database from mid-crawl until past its end: Scrapy printed
    # the traceback of the pipeline's spider_closed, the command exited 2 ("bad input") and
    # the row stayed running (probe27 s1). Now one line each, and exit 3: the crawl did not
    # finish cleanly.
    from reconcile.store import Store

    from .support import crawl_with_store_refusing

    db = tmp_path / "p.db"
    Store(db).close()
    done = crawl_with_store_refusing("finish_crawl", db, tmp_path, "--set", "RECONCILE_STORE_RETRIES=1")
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "could not record the end of crawl 1" in done.stderr
    assert "could not record how the crawl ended (database is locked)" in done.stderr


def test_a_running_crawls_pid_alive_again_as_another_process_is_gone():
    # In a container every run is pid 1: a SIGKILLed crawl's row named a pid the next crawl
    # had, so it was never marked interrupted (probe27 s2). The row says when its process
    # started; a live pid that started at another time is another process.
    import os

    import pytest

    from reconcile.store.crawls import crawl_process_gone, crawl_process_stats, process_start

    if process_start(os.getpid()) is None:
        pytest.skip("no /proc here")
    mine = crawl_process_stats()
    assert not crawl_process_gone(mine)  # this process's own running crawl
    assert crawl_process_gone({**mine, "reconcile/started": "another-boot:12345"})
    older = {k: v for k, v in mine.items() if k != "reconcile/started"}
    assert crawl_process_gone(older)  # a row of an earlier version naming this very pid
    assert not crawl_process_gone({**older, "reconcile/pid": os.getppid()})  # alive, not judged


def test_a_resolve_lock_whose_holder_note_cannot_be_written_still_locks(tmp_path, monkeypatch):
    # On a full disk the note of who holds the lock failed, and ``resolve`` said "cannot
    # write the output" though it has none (probe27 s7): the note is left out, the lock
    # held, and a failing database write then says what failed.
    import errno
    import os

    from reconcile.store import Store

    store = Store(tmp_path / "full.db")

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    with store.exclusive("resolve"):
        entered = True
    assert entered


def test_an_arxiv_crawl_of_missing_ids_on_a_damaged_database_is_one_line_and_leaves_it_alone(tmp_path):
    # A database whose pages are damaged (its header whole): the ids were read inside
    # Scrapy's start, two tracebacks, exit 3, and a crawl row written into the damaged file
    # (probe27 s5). Now read before any crawl: one line, exit 2, the file as it was.
    import datetime as dt
    import hashlib
    import random

    from reconcile.models import Document, Observation
    from reconcile.store import Store

    from .support import run_reconcile

    db = tmp_path / "d.db"
    store = Store(db)
    at = dt.datetime(2031, 1, 5, 9, tzinfo=dt.timezone.utc)
    for n in range(40):
        doc = Document(url=f"https://example.org/{n}", source="digest", site="blog", format="digest-test",
                       observed_at=at, observed_at_basis="response", sha256=hashlib.sha256(str(n).encode()).hexdigest())
        store.add_documents([(doc, [Observation(source="digest", site="blog", arxiv_id=f"3101.{n * 100 + i:05d}",
                                                title=f"Made-up paper {n} {i} about herons " + "x" * 200,
                                                listed_on=at.date()) for i in range(100)])])
    store.close()
    rng, size = random.Random(7), db.stat().st_size
    with open(db, "r+b") as f:
        for offset in range(size // 4, size * 3 // 4, max(4096, size // 40)):
            f.seek(offset)
            f.write(bytes(rng.getrandbits(8) for _ in range(512)))
    before = db.read_bytes()
    recordings = str(Path(__file__).resolve().parent.parent / "scrapers" / "recordings" / "2026-02-05")
    done = run_reconcile("crawl", "arxiv", "--missing", "--replay", recordings, "--db", str(db), cwd=tmp_path)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "is damaged (database disk image is malformed)" in done.stderr
    assert db.read_bytes() == before
