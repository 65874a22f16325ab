"""``reconcile crawl`` on the command line: a loopback crawl, record, replay, bad usage."""

from __future__ import annotations

import json

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
    assert result.returncode == 0, result.stderr
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
