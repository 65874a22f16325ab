"""Unattended runs, what a second probe (round 17) found: files and databases in folders
whose names are not UTF-8, a report after a resolve that was cut short, and a run that
ignored SIGTERM once its crawls had ended. Made-up data only."""

from __future__ import annotations

import json
import os
import sys

import pytest

from .loopback import daily_papers_body
from .support import run_reconcile

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="names as raw bytes are a POSIX file system's")


def _latin1(base, name: str):
    """A path under ``base`` whose last part is ``name`` written in Latin-1 bytes."""
    raw = os.path.join(os.fsencode(base), name.encode("latin-1"))
    os.makedirs(raw, exist_ok=True)
    return os.fsdecode(raw)


def test_files_and_a_database_in_folders_whose_names_are_not_utf8_are_read_and_reported(tmp_path):
    good = _latin1(tmp_path, "café")
    body = json.dumps(daily_papers_body("2031-03-24", [("3103.24001", "A Made-up Reed Study", 7)]))
    with open(os.path.join(good, "daily-2031-03-24.json"), "w", encoding="utf-8") as handle:
        handle.write(body)
    db = os.path.join(_latin1(tmp_path, "base-dé"), "papers.db")
    done = run_reconcile("ingest", good, "--db", db)
    assert done.returncode == 0 and "ingested 1 document " in done.stdout and "0 rejected" in done.stdout, done.stderr
    assert run_reconcile("resolve", "--db", db).returncode == 0
    out = os.path.join(os.fsdecode(os.fsencode(str(tmp_path))), "r.md")
    done = run_reconcile("report", "--db", db, "--output", out)
    assert done.returncode == 0, done.stderr
    assert "base-d\\xe9" in open(out, encoding="utf-8").read()


def test_a_report_after_a_resolve_cut_short_says_it_is_incomplete_and_fail_on_fails(tmp_path):
    from reconcile.store import Store

    day = tmp_path / "daily-2031-03-24.json"
    day.write_text(json.dumps(daily_papers_body("2031-03-24", [("3103.24001", "A Made-up Reed Study", 7)])),
                   encoding="utf-8")
    db = tmp_path / "p.db"
    assert run_reconcile("ingest", str(day), "--db", str(db)).returncode == 0
    # Ingested, not resolved: the observation is not placed, and nothing was checked.
    done = run_reconcile("report", "--db", str(db), "--fail-on", "warning")
    assert done.returncode == 1 and "the report is incomplete: 1 observations are not placed" in done.stderr
    assert "**Incomplete:** 1 observations are not placed on a paper yet" in done.stdout
    assert run_reconcile("resolve", "--db", str(db)).returncode == 0
    assert run_reconcile("report", "--db", str(db), "--fail-on", "warning").returncode == 0
    # A resolve killed after placing and before checking leaves papers waiting.
    store = Store(db)
    try:
        store.add_pending(["arxiv:3103.24001"])
    finally:
        store.close()
    done = run_reconcile("report", "--db", str(db), "--fail-on", "warning", "--format", "html")
    assert done.returncode == 1 and "1 papers wait for their checks" in done.stderr
    assert "<strong>Incomplete:</strong> 1 papers wait for their checks" in done.stdout


def test_the_signal_handlers_are_the_runs_own_again_after_its_crawls(tmp_path):
    """Scrapy installs its SIGINT and SIGTERM handlers as the crawls start; after them, a
    run's resolve and report must stop on a Ctrl-C or a scheduler's stop as any command
    does, so the handlers the process had before are put back."""
    import subprocess

    from .support import ROOT, clean_env

    code = ("import signal\n"
            "from scrapers.run import run_crawls\n"
            "before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}\n"
            f"run_crawls([('huggingface', {{'date': '2026-02-05'}})], db_path={str(tmp_path / 'p.db')!r},\n"
            f"           replay_dir={str(ROOT / 'scrapers' / 'recordings' / '2026-02-05')!r})\n"
            "after = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}\n"
            "print(before == after)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=clean_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_findings_made_by_other_code_or_settings_are_made_again(tmp_path):
    """A database resolved by an earlier version (or with other settings) holds findings this
    code would word or grade otherwise: the next resolve checks every paper again, so the
    same data and settings give the same findings whatever ran before."""
    from reconcile.config import DEFAULTS
    from reconcile.resolve import checks_fingerprint, resolve
    from reconcile.store import Store

    day = tmp_path / "daily-2031-03-24.json"
    day.write_text(json.dumps(daily_papers_body("2031-03-24", [("3103.24001", "A Made-up Reed Study", 7),
                                                               ("3103.24002", "A Made-up Lantern", 3)])),
                   encoding="utf-8")
    db = tmp_path / "p.db"
    assert run_reconcile("ingest", str(day), "--db", str(db)).returncode == 0
    store = Store(db)
    try:
        assert resolve(store).papers_touched == 2
        assert store.checked_with() == checks_fingerprint(DEFAULTS)
        assert resolve(store).papers_touched == 0  # nothing new, same code: nothing to do
        with store.transaction():
            store.set_checked_with("made by another version")
        assert resolve(store).papers_touched == 2 and store.pending_count() == 0
        import dataclasses

        other = DEFAULTS.model_copy(update={"titles": dataclasses.replace(DEFAULTS.titles, typo_max_edits=1)})
        assert checks_fingerprint(other) != checks_fingerprint(DEFAULTS)
        assert resolve(store, other).papers_touched == 2
    finally:
        store.close()


def _hf_list(path, day: str, papers) -> str:
    path.write_text(json.dumps(daily_papers_body(day, papers)), encoding="utf-8")
    return str(path)


def test_a_list_saved_as_two_page_files_drops_nothing(tmp_path):
    """The same day's list captured twice, the second time as two page files (50 + 5) saved
    at one moment: the papers of the first page are not "dropped" by the second page."""
    import sqlite3

    papers = [(f"2512.{3000 + i:05d}", f"A Made-up Paper {i}", 100 - i) for i in range(55)]
    db = str(tmp_path / "p.db")
    whole = _hf_list(tmp_path / "whole.json", "2025-12-03", papers)
    assert run_reconcile("ingest", whole, "--observed-at", "2025-12-04T00:30:00Z", "--db", db).returncode == 0
    first = _hf_list(tmp_path / "page-1.json", "2025-12-03", papers[:50])
    second = _hf_list(tmp_path / "page-2.json", "2025-12-03", papers[50:])
    assert run_reconcile("ingest", first, second, "--observed-at", "2025-12-05T10:00:00Z", "--db", db).returncode == 0
    assert run_reconcile("resolve", "--db", db).returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from discrepancies where kind = 'missing' and severity != 'info'"
                           ).fetchone()[0] == 0


def test_a_paper_hugging_face_itself_dates_a_day_later_is_a_dating_difference(tmp_path):
    import sqlite3

    db = str(tmp_path / "p.db")
    hf = _hf_list(tmp_path / "hf.json", "2025-12-03", [("2512.04001", "A Made-up Reed", 9),
                                                       ("2512.04002", "A Made-up Lantern", 4)])
    assert run_reconcile("ingest", hf, "--observed-at", "2025-12-04T00:30:00Z", "--db", db).returncode == 0
    post = tmp_path / "2025-12-03-post.md"
    post.write_text("# Daily papers — 3 December 2025\n\n1. [A Made-up Fern](https://arxiv.org/abs/2512.04003) "
                    "— 👍 5\n", encoding="utf-8")
    page = tmp_path / "fern.md"
    page.write_text("---\ntitle: A Made-up Fern\nurl: https://huggingface.co/papers/2512.04003\n"
                    "date: 2025-12-04T10:00:00Z\n---\narxiv:2512.04003\n\n# A Made-up Fern\n\n"
                    "Submitted by\n\nsomeone\n\non Dec 4\n\nUpvote\n\n5](/login)\n\nAbstract\n\nWe count ferns.\n", encoding="utf-8")
    assert run_reconcile("ingest", str(post), str(page), "--observed-at", "2025-12-04T11:00:00Z",
                         "--db", db).returncode == 0
    assert run_reconcile("resolve", "--db", db).returncode == 0
    with sqlite3.connect(db) as con:
        [(severity, detail)] = con.execute("select severity, detail from discrepancies where kind = 'missing'")
    assert severity == "info" and "own record of the paper lists it on 2025-12-04" in detail
