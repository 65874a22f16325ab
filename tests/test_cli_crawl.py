"""``reconcile crawl`` on the command line: a loopback crawl, record, replay, bad usage."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlite_utils

from .loopback import LoopbackServer, daily_papers_body
from .support import run_reconcile


def test_crawl_record_and_replay_through_the_cli(tmp_path):
    server = LoopbackServer().start()
    try:
        server.add("/api/daily_papers?date=2026-02-04&limit=100", daily_papers_body("2026-02-04", [
            ("2602.20001", "A Made-up Sparse Router", 12)]))
        server.add("/api/daily_papers?date=2026-02-05&limit=100", daily_papers_body("2026-02-05", [
            ("2602.20002", "A Made-up Tiny Prover", 30), ("2602.20003", "A Made-up Duck Counter", 4)]))
        live = tmp_path / "live.db"
        result = run_reconcile("crawl", "huggingface", "--since", "2026-02-04", "--until", "2026-02-05",
                               "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--set", "DOWNLOAD_DELAY=0",
                               "--record", str(tmp_path / "rec"), "--db", str(live), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "crawl 1 huggingface: finished" in result.stderr
        assert server.count("/api/daily_papers") == 2
    finally:
        server.stop()
    db = sqlite_utils.Database(live)
    assert {(r["arxiv_id"], r["upvotes"]) for r in db["observations"].rows} == {
        ("2602.20001", 12), ("2602.20002", 30), ("2602.20003", 4)}
    [crawl] = list(db["crawls"].rows)
    assert json.loads(crawl["args"]) == {"since": "2026-02-04", "until": "2026-02-05"}
    assert json.loads(crawl["stats"])["huggingface/observations/stored"] == 3

    # The server is gone: the replay answers from the recording alone.
    replayed = tmp_path / "replayed.db"
    result = run_reconcile("crawl", "huggingface", "--since", "2026-02-04", "--until", "2026-02-06",
                           "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--replay", str(tmp_path / "rec"),
                           "--db", str(replayed), cwd=tmp_path)
    # A day missing from the recordings is a failed request: the crawl is partial (exit 3),
    # its line says why, and the two days that were recorded are kept.
    assert result.returncode == 3, result.stderr
    assert "crawl 1 huggingface: partial; 3 requests, 3 responses, 2 pages read, 1 reject (replay_miss 1)" \
        in result.stderr
    db2 = sqlite_utils.Database(replayed)
    assert db2["observations"].count == 3
    [reject] = list(db2["rejects"].rows)
    assert reject["reason"].startswith("not in replay") and "date=2026-02-06" in reject["url"]


def test_bad_crawl_usage_is_one_line_and_exit_2(tmp_path):
    cases = [
        (["crawl", "nosuch"], "unknown spider nosuch"),
        (["crawl", "huggingface", "--date", "2026-02-05", "--since", "2026-02-01"], "cannot be combined"),
        (["crawl", "huggingface", "--date", "05/02/2026"], "expected a date YYYY-MM-DD"),
        (["crawl", "huggingface", "--replay", str(tmp_path / "none")], "manifest.json missing"),
        (["crawl", "huggingface", "--set", "nonsense"], "expected NAME=VALUE"),
        (["crawl", "huggingface", "--ids", "2602.04705", "--date", "2026-02-05"], "either ids or date/since/until"),
    ]
    for args, message in cases:
        result = run_reconcile(*args, "--db", str(tmp_path / "x.db"), cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, (args, result.stderr)


def test_a_source_down_is_a_failed_crawl_in_one_line_per_request_and_exit_3(tmp_path):
    """Issue 12, point 1: every request refused -> ``failed``, exit 3, no traceback."""
    result = run_reconcile("--log-file", str(tmp_path / "crawl.log"),
                           "crawl", "huggingface", "--since", "2026-02-04", "--until", "2026-02-05",
                           "--set", "HUGGINGFACE_BASE_URL=http://127.0.0.1:9", "--set", "DOWNLOAD_DELAY=0",
                           "--set", "RETRY_TIMES=0", "--set", "ROBOTSTXT_OBEY=false",
                           "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "reconcile: error: 1 of 1 crawls did not finish cleanly: huggingface failed"
    assert lines[-2].startswith("crawl 1 huggingface: failed; 2 requests, 0 responses, 0 pages read, 2 rejects")
    assert len(lines) <= 2 + 2  # at most one line per failed request, then the crawl's line and the verdict
    [crawl] = sqlite_utils.Database(tmp_path / "x.db")["crawls"].rows
    assert crawl["status"] == "failed" and json.loads(crawl["stats"])["reconcile/requests/failed"] == 2
    # The log file keeps what the terminal leaves out: the info records too.
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert " INFO scrapy" in log and log.count("Connection was refused") >= 2


def test_one_day_down_is_partial_and_the_other_day_is_kept(tmp_path):
    server = LoopbackServer().start()
    try:
        server.add("/api/daily_papers?date=2026-02-04&limit=100", daily_papers_body("2026-02-04", [
            ("2602.20001", "A Made-up Sparse Router", 12)]))
        server.add("/api/daily_papers?date=2026-02-05&limit=100", "gone", 404, "text/plain")
        result = run_reconcile("crawl", "huggingface", "--since", "2026-02-04", "--until", "2026-02-05",
                               "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--set", "DOWNLOAD_DELAY=0",
                               "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    finally:
        server.stop()
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    assert "huggingface: partial;" in result.stderr and "http_404 1" in result.stderr
    db = sqlite_utils.Database(tmp_path / "x.db")
    assert [r["arxiv_id"] for r in db["observations"].rows] == ["2602.20001"]
    assert [r["status"] for r in db["crawls"].rows] == ["partial"]
    report = run_reconcile("report", "--db", str(tmp_path / "x.db"))
    assert "Latest crawls: huggingface **partial** (3 requests, 3 responses, 1 page read, 1 reject (http\\_404 1))" \
        in report.stdout


def test_ctrl_c_records_what_finished_and_exits_130(tmp_path):
    """Issue 12, point 2: Ctrl-C during a crawl: no request after it, no `running` row."""
    import signal
    import subprocess
    import time

    from .support import clean_env, reconcile_exe

    server = LoopbackServer().start()
    try:
        server.add("/api/daily_papers?date=2026-02-04&limit=100", daily_papers_body("2026-02-04", [
            ("2602.20001", "A Made-up Sparse Router", 12)]), delay=1.5)
        server.add("/api/daily_papers?date=2026-02-05&limit=100", daily_papers_body("2026-02-05", [
            ("2602.20002", "A Made-up Tiny Prover", 30)]))
        db = tmp_path / "x.db"
        proc = subprocess.Popen([reconcile_exe(), "crawl", "huggingface", "--since", "2026-02-04", "--until",
                                 "2026-02-05", "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--set",
                                 "DOWNLOAD_DELAY=1", "--set", "ROBOTSTXT_OBEY=false", "--db", str(db)],
                                cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 30
        while server.count("/api/daily_papers") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        handled = time.monotonic()
        _, stderr = proc.communicate(timeout=60)
        late = [t for t in server.arrival_times("/api/daily_papers") if t > handled + 0.5]
    finally:
        server.stop()
    assert proc.returncode == 130, stderr[-2000:]
    assert "Traceback" not in stderr and "crawl interrupted (shutdown)" in stderr
    statuses = [r["status"] for r in sqlite_utils.Database(db)["crawls"].rows]
    assert statuses == ["shutdown"] and late == []
    reasons = [r["reason"] for r in sqlite_utils.Database(db)["rejects"].rows]
    assert any(r.startswith("not sent: the crawl was stopped (shutdown)") and "2026-02-05" in r for r in reasons), reasons


def test_every_source_down_fails_each_crawl_without_a_traceback(tmp_path):
    """Issue 12, acceptance: all sources down -> a `failed` row each, exit 3, one line per
    failed request at most, no traceback."""
    sites = tmp_path / "sites.toml"
    sites.write_text('[[sites]]\nname = "heron"\nformat = "digest-top-list"\n'
                     'url_pattern = "http://127.0.0.1:9/{date}.md"\n')
    down = "http://127.0.0.1:9"
    result = run_reconcile("crawl", "huggingface", "arxivlens", "digests", "--date", "2026-02-05",
                           "--set", f"HUGGINGFACE_BASE_URL={down}", "--set", f"ARXIVLENS_BASE_URL={down}",
                           "--set", f"DIGEST_SITES_FILE={sites}", "--set", "DOWNLOAD_DELAY=0",
                           "--set", "RETRY_TIMES=0", "--db", str(tmp_path / "x.db"), cwd=tmp_path)
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr[-2000:]
    rows = list(sqlite_utils.Database(tmp_path / "x.db")["crawls"].rows)
    assert [(r["spider"], r["status"]) for r in rows] == [("huggingface", "failed"), ("arxivlens", "failed"),
                                                          ("digests", "failed")]
    requests = sum(json.loads(r["stats"]).get("downloader/request_count", 0) for r in rows)
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= requests + len(rows) + 1  # a line per failed request, per crawl, the verdict
    assert lines[-1].endswith("3 of 3 crawls did not finish cleanly: huggingface failed, arxivlens failed, "
                              "digests failed")


@pytest.mark.parametrize("after", [0.05, 0.5, 1.0, 2.0])
def test_ctrl_c_at_any_moment_exits_130_and_leaves_no_running_row(tmp_path, after):
    """While Python imports, while the crawl starts, while it fetches: always 130, one line,
    no traceback, and no `crawls` row left `running`."""
    import signal
    import subprocess
    import time

    from .support import clean_env, reconcile_exe

    server = LoopbackServer().start()
    try:
        for day in ("2026-02-03", "2026-02-04", "2026-02-05"):
            server.add(f"/api/daily_papers?date={day}&limit=100", daily_papers_body(day, [
                ("2602.20001", "A Made-up Sparse Router", 12)]), delay=1.0)
        db = tmp_path / "x.db"
        proc = subprocess.Popen([reconcile_exe(), "crawl", "huggingface", "--since", "2026-02-03", "--until",
                                 "2026-02-05", "--set", f"HUGGINGFACE_BASE_URL={server.base_url}",
                                 "--set", "DOWNLOAD_DELAY=0", "--db", str(db)],
                                cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(after)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        server.stop()
    # 0: the crawl had ended before the signal. Killed by it (-SIGINT): it came while the
    # interpreter was exiting, after the work and its output were done (Python resets its
    # handlers as it finalizes); a shell reports that as 130 too.
    exiting = proc.returncode == -signal.SIGINT and re.search(r"crawl \d+ huggingface: finished", stderr)
    if "Fatal Python error: init_import_site" in stderr:
        # On a loaded machine the signal can come before the interpreter has started (while
        # it reads its site packages, before any code of ours): Python itself stops with
        # exit 1 and its own message, and nothing of the crawl ran.
        assert proc.returncode == 1 and not db.exists(), stderr[-2000:]
        return
    assert proc.returncode in (130, 0) or exiting, stderr[-2000:]
    assert "Traceback" not in stderr
    if db.exists():
        assert "running" not in [r["status"] for r in sqlite_utils.Database(db)["crawls"].rows]



def test_a_crawl_leaves_another_processs_running_crawl_alone(tmp_path):
    """Issue 13: a crawl took every crawl row made since it started for its own, so one
    started beside it by another process was closed as ``shutdown``, reported as its own,
    and made it exit 130. Here a row of another process's crawl appears while ours runs."""
    import threading
    import time

    from reconcile.models import Crawl
    from reconcile.store import Store

    db = tmp_path / "p.db"
    Store(db).close()
    others: list[int] = []

    def another_process_starts_a_crawl():
        store = Store(db)
        deadline = time.monotonic() + 30
        while not store.db["crawls"].count and time.monotonic() < deadline:
            time.sleep(0.05)  # ours has opened its row: now the other one starts
        others.append(store.start_crawl(Crawl(spider="digests", status="running",
                                              started_at=dt.datetime.now(dt.timezone.utc))))
        store.close()

    server = LoopbackServer().start()
    try:
        server.add("/api/daily_papers?date=2026-02-05&limit=100",
                   daily_papers_body("2026-02-05", [("2602.20001", "A Made-up Sparse Router", 12)]), delay=1.5)
        thread = threading.Thread(target=another_process_starts_a_crawl)
        thread.start()
        done = run_reconcile("crawl", "huggingface", "--date", "2026-02-05",
                             "--set", f"HUGGINGFACE_BASE_URL={server.base_url}", "--set", "DOWNLOAD_DELAY=0",
                             "--db", str(db), cwd=tmp_path)
        thread.join(30)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    [other] = others
    rows = {r["id"]: r["status"] for r in sqlite_utils.Database(db)["crawls"].rows}
    assert rows == {1: "finished", other: "running"}
    assert f"crawl {other} " not in done.stderr
