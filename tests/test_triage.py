"""Issue 11, point 6: a scheduled run alerts on new findings, not on known ones.

``report --baseline FILE`` leaves out the findings of an earlier JSON report (or a file of
ids); ``reconcile ack ID...`` acknowledges findings in the database. Either comes back when
the finding grows more severe. The database is a copy of the demo's (conftest).
"""

from __future__ import annotations

import json
import shutil

import pytest
import sqlite_utils

from reconcile.models import Discrepancy, Kind, Severity
from reconcile.report import is_known, read_baseline

from .support import run_reconcile


@pytest.fixture
def db(demo_db, tmp_path):
    copy = tmp_path / "d.db"
    shutil.copy(demo_db, copy)
    return copy


def _json(db, *args):
    done = run_reconcile("report", "--db", str(db), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_baseline_report_hides_what_it_holds_and_fail_on_sees_only_new(db, tmp_path):
    base = tmp_path / "base.json"
    base.write_text(json.dumps(_json(db)), encoding="utf-8")
    doc = _json(db, "--baseline", str(base))
    assert doc["summary"]["discrepancies"] == 0 and doc["filters"]["known_not_shown"] == 24
    assert run_reconcile("report", "--db", str(db), "--fail-on", "warning").returncode == 1
    assert run_reconcile("report", "--db", str(db), "--fail-on", "warning", "--baseline", str(base)).returncode == 0
    # A new finding (one of the baseline's, forgotten) is reported, and fails the run.
    doc_base = json.loads(base.read_text())
    dropped = doc_base["papers"][0]["discrepancies"].pop(0)
    base.write_text(json.dumps(doc_base), encoding="utf-8")
    new = _json(db, "--baseline", str(base))
    assert [d["id"] for p in new["papers"] for d in p["discrepancies"]] == [dropped["id"]]
    # A file of ids, one per line, is a baseline too.
    ids = tmp_path / "ids.txt"
    ids.write_text("# known\n" + "\n".join(d["id"] for p in doc_base["papers"] for d in p["discrepancies"]) + "\n")
    assert _json(db, "--baseline", str(ids))["summary"]["discrepancies"] == 1


def test_ack_hides_a_finding_until_it_grows_more_severe(db):
    rows = sqlite_utils.Database(db)
    fid = next(rows.query("select id from discrepancies where kind = 'mojibake'"))["id"]
    done = run_reconcile("ack", fid, "--note", "the blog serves Windows-1252", "--db", str(db))
    assert done.returncode == 0 and "acknowledged 1 finding\n" in done.stdout
    assert rows["acknowledged"].get(fid)["note"] == "the blog serves Windows-1252"
    doc = _json(db)
    assert fid not in {d["id"] for p in doc["papers"] for d in p["discrepancies"]}
    assert doc["filters"]["known_not_shown"] == 1
    assert fid in {d["id"] for p in _json(db, "--include-acknowledged")["papers"] for d in p["discrepancies"]}
    # Acknowledged as a warning; the same finding as an error is news again.
    rows.execute("update discrepancies set severity = 'error' where id = ?", [fid])
    rows.conn.commit()
    assert fid in {d["id"] for p in _json(db)["papers"] for d in p["discrepancies"]}
    assert run_reconcile("ack", fid, "--remove", "--db", str(db)).stdout.strip() == "forgot 1 acknowledgement"


def test_bad_ids_and_bad_baselines_are_one_line_errors(db, tmp_path):
    done = run_reconcile("ack", "0123456789abcdef", "--db", str(db))
    assert done.returncode == 2 and done.stderr.strip().endswith("no current finding has the id '0123456789abcdef'")
    assert sqlite_utils.Database(db)["acknowledged"].count == 0
    for text in ("not an id\n", "{\"papers\": 3}"):
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        done = run_reconcile("report", "--db", str(db), "--baseline", str(bad))
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_is_known_compares_severity():
    d = Discrepancy(id="0123456789abcdef", paper_id="arxiv:3105.00001", kind=Kind.UPVOTES,
                    severity=Severity.WARNING, detail="x")
    assert is_known(d, {d.id: None}) and is_known(d, {d.id: Severity.WARNING}) and is_known(d, {d.id: Severity.ERROR})
    assert not is_known(d, {d.id: Severity.INFO}) and not is_known(d, {})


def test_read_baseline_of_a_json_report(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"papers": [{"discrepancies": [{"id": "0123456789abcdef", "severity": "info"}]}]}))
    assert read_baseline(path) == {"0123456789abcdef": Severity.INFO}
