"""Issue 13, point 2: ``resolve`` commits in steps that a crash cannot leave half-applied.

Links and the list of papers they touch (``pending_checks``) are one commit; each chunk of
merged and checked papers is another, with its papers unmarked. A run that dies between
chunks is finished by the next run, with the result an uninterrupted run gives, whatever
the chunk size.
"""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from reconcile import resolve as resolve_module
from reconcile.resolve import resolve
from reconcile.store import Store

DERIVED = ("papers", "links", "discrepancies", "match_papers", "match_blocks")


def _unresolved_copy(demo_db, tmp_path) -> Store:
    """The demo database as it was before its resolve: observations with no links."""
    path = tmp_path / "p.db"
    shutil.copy(demo_db, path)
    store = Store(path)
    with store.transaction():
        for table in (*DERIVED, "pending_checks"):
            store.db.execute(f"delete from [{table}]")
    return store


def _tables(store: Store) -> dict[str, list[tuple]]:
    order = {"papers": "id", "links": "observation_id", "discrepancies": "id", "match_papers": "paper_id",
             "match_blocks": "kind, value, paper_id"}
    return {t: [tuple(r) for r in store.db.execute(f"select * from [{t}] order by {order[t]}")] for t in DERIVED}


@pytest.mark.parametrize("reopened", [False, True], ids=["same-store", "new-process"])
def test_a_resolve_killed_between_chunks_is_finished_by_the_next(demo_db, tmp_path, monkeypatch, reopened):
    """Also the blocking index: the chunks' entries are written by the last one's commit, so
    the killed run leaves the index marked out of step (no fingerprint), and the next run
    rebuilds it, whether the staged entries died with the process or are still held by the
    same store (then they are dropped, not written twice)."""
    reference = _tables(Store(demo_db, read_only=True))
    assert reference["papers"] and reference["discrepancies"]
    store = _unresolved_copy(demo_db, tmp_path)
    monkeypatch.setattr(resolve_module, "PAPER_CHUNK", 3)
    real, calls = resolve_module._merge_and_check, []

    def dies_on_the_third_chunk(st, chunk, config):
        calls.append(len(chunk))
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real(st, chunk, config)

    monkeypatch.setattr(resolve_module, "_merge_and_check", dies_on_the_third_chunk)
    with pytest.raises(RuntimeError):
        resolve(store)
    pending = store.pending_papers()
    assert store.counts()["unlinked"] == 0  # the links were committed first
    assert len(pending) == len(reference["papers"]) - 6  # two chunks of 3 were committed
    assert store.db["papers"].count == 6
    assert store.index_state()[0] is None
    if reopened:
        store.close()
        store = Store(tmp_path / "p.db")

    monkeypatch.setattr(resolve_module, "_merge_and_check", real)
    again = resolve(store)
    assert again.new_observations == 0 and again.papers_touched == len(pending)
    assert store.pending_papers() == []
    assert _tables(store) == reference  # as if it had never stopped, in chunks of 3 or of 2,000
    assert resolve(store).papers_touched == 0  # and then nothing is left to do


def test_a_resolve_killed_before_its_links_were_saved_leaves_nothing(demo_db, tmp_path, monkeypatch):
    store = _unresolved_copy(demo_db, tmp_path)

    def dies(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "add_pending", dies)
    with pytest.raises(RuntimeError):
        resolve(store)
    assert store.db["links"].count == 0 and store.pending_papers() == []
    monkeypatch.undo()
    resolve(store)
    assert _tables(store) == _tables(Store(demo_db, read_only=True))



def test_chunks_checked_in_worker_processes_give_the_same_tables(demo_db, tmp_path, monkeypatch):
    """Issue 15, point 2 (both cores): a large run merges and checks its chunks in worker
    processes and writes them in order here; the tables are those of one process."""
    reference = _tables(Store(demo_db, read_only=True))
    store = _unresolved_copy(demo_db, tmp_path)
    monkeypatch.setattr(resolve_module, "PAPER_CHUNK", 3)
    monkeypatch.setattr(resolve_module, "PARALLEL_MIN", 1)  # the demo's 10 papers count as large
    monkeypatch.setattr(resolve_module, "workers", lambda: 2)
    pools = []
    real_pool = resolve_module.ProcessPoolExecutor

    def counted(*args, **kwargs):
        pools.append(args or kwargs)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(resolve_module, "ProcessPoolExecutor", counted)
    progress = []
    summary = resolve(store, progress=lambda done, total: progress.append((done, total)))
    assert len(pools) == 1  # the workers did the checking
    assert progress == [(3, 10), (6, 10), (9, 10), (10, 10)]
    assert summary.papers_touched == 10 and store.pending_papers() == []
    assert _tables(store) == reference


def test_a_chunk_that_fails_in_a_worker_stops_the_run_and_the_next_run_finishes(demo_db, tmp_path, monkeypatch):
    """An error in a worker reaches the caller; the chunks written before it stay written,
    the rest stay pending, and the next run gives the tables an uninterrupted run gives."""
    reference = _tables(Store(demo_db, read_only=True))
    store = _unresolved_copy(demo_db, tmp_path)
    monkeypatch.setattr(resolve_module, "PAPER_CHUNK", 3)
    real = resolve_module._merge_and_check
    doomed = sorted(r[0] for r in Store(demo_db, read_only=True).db.execute("select id from papers"))[6]

    def dies_on_the_third_chunk(st, chunk, config):  # forked workers inherit this
        if doomed in chunk:
            raise RuntimeError("killed in a worker")
        return real(st, chunk, config)

    monkeypatch.setattr(resolve_module, "_merge_and_check", dies_on_the_third_chunk)
    with pytest.raises(RuntimeError, match="killed in a worker"):
        resolve(store, processes=2)
    assert store.db["papers"].count == 6 and len(store.pending_papers()) == 4
    monkeypatch.setattr(resolve_module, "_merge_and_check", real)
    assert resolve(store, processes=2).papers_touched == 4
    assert _tables(store) == reference


def test_a_second_resolve_waits_for_the_first_then_finds_its_work_done(demo_db, tmp_path):
    """One ``resolve`` at a time on a database: while one holds it, ``reconcile resolve``
    says who holds it and waits; once the holder is done (here: gone, as a killed run would
    be) it runs, and finds what the first left. The lock is released by the holder's
    death, so a SIGKILLed run leaves nothing to clear."""
    import subprocess
    import time

    from .support import clean_env, reconcile_exe

    reference = _tables(Store(demo_db, read_only=True))
    store = _unresolved_copy(demo_db, tmp_path)
    holder = Store(store.path)
    lock = holder.exclusive("resolve")
    lock.__enter__()
    second = subprocess.Popen([reconcile_exe(), "resolve", "--db", str(store.path)], env=clean_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        assert second.poll() is None  # waiting
        assert store.db["links"].count == 0  # and placed nothing meanwhile
    finally:
        lock.__exit__(None, None, None)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err[-2000:]
    assert "another resolve runs on" in err and f"pid {os.getpid()}" in err
    assert _tables(store) == reference


WORKERS_AT_WORK = r"""
import os, sys, time
from reconcile import resolve as r
from reconcile.store import Store
r.PAPER_CHUNK, r.PARALLEL_MIN = 3, 1
r.workers = lambda: 2
def slow(store, chunk, config):  # the forked workers inherit this
    os.write(1, b"checking\n")  # one write: two workers print at once
    time.sleep(60)
r._merge_and_check = slow
r.resolve(Store(sys.argv[1]))
"""


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_killed_parent_and_leave_the_lock_free(demo_db, tmp_path):
    """A resolve killed by SIGKILL (or SIGTERM) while its workers check: the workers die
    with it (they would otherwise wait forever and hold the resolve lock, so the next
    scheduled resolve would wait forever too), and the next resolve runs."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    store = _unresolved_copy(demo_db, tmp_path)
    parent = subprocess.Popen([sys.executable, "-c", WORKERS_AT_WORK, str(store.path)], stdout=subprocess.PIPE,
                              text=True)
    workers: list[int] = []
    try:
        assert parent.stdout.readline().startswith("checking")

        def children() -> list[int]:
            found = []
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == parent.pid and fields[0] != "Z":
                    found.append(int(stat.parent.name))
            return found

        workers = children()
        assert len(workers) == 2
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while any(Path(f"/proc/{w}").exists() and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]
                  for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        alive = [w for w in workers if Path(f"/proc/{w}").exists()
                 and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1][:3]]
        assert alive == []
    finally:
        parent.kill()
        for worker in workers:  # when the test fails: leave no process behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
    summary = resolve(Store(store.path), processes=1)  # the lock is free: this would wait forever
    assert summary.papers_touched == 10
