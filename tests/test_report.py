"""``reconcile report``: Markdown and JSON from the same data, filters, and --fail-on."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.report import SCHEMA

from .support import run_reconcile


def report(db, *args):
    return CliRunner().invoke(cli, ["report", "--db", str(db), *args])


def test_json_report_schema(seeds_db):
    result = report(seeds_db, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["schema"] == SCHEMA
    assert doc["counts"]["papers"] == 11 and doc["counts"]["unlinked"] == 0
    assert doc["summary"]["by_kind"] == {"garbage_field": 10, "mojibake": 10, "numeric_claim": 1, "rank": 2,
                                         "replacement_char": 5, "upvotes": 5}
    assert doc["summary"]["discrepancies"] == sum(len(p["discrepancies"]) for p in doc["papers"])
    ernie = next(p for p in doc["papers"] if p["id"] == "arxiv:2602.04705")
    upvotes = next(d for d in ernie["discrepancies"] if d["kind"] == "upvotes")
    assert {v["value"] for v in upvotes["values"]} == {190, 194}
    assert set(upvotes["values"][0]) == {"source", "site", "value", "observed_at", "observed_at_basis",
                                         "observation_id"}
    # Most severe papers first; within a paper, most severe discrepancies first.
    levels = [max(["info", "warning", "error"].index(d["severity"]) for d in p["discrepancies"])
              for p in doc["papers"]]
    assert levels == sorted(levels, reverse=True)


def test_markdown_report_shows_each_paper_and_its_evidence(seeds_db, tmp_path):
    out = tmp_path / "r.md"
    result = report(seeds_db, "--output", str(out))
    assert result.exit_code == 0 and result.output == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# paper-reconcile report")
    assert "**33 discrepancies** on 10 papers" in text
    assert "## ERNIE 5.0 Technical Report" in text
    assert "| 194 | digest |" in text and "| 190 | digest | lim4349 |" in text
    assert "UTF-8 text decoded as Mac Roman" in text


def test_filters(seeds_db):
    doc = json.loads(report(seeds_db, "--format", "json", "--kind", "rank").output)
    assert doc["summary"]["by_kind"] == {"rank": 2}
    doc = json.loads(report(seeds_db, "--format", "json", "--min-severity", "warning").output)
    assert doc["summary"]["by_severity"]["info"] == 0 and doc["summary"]["discrepancies"] == 30
    doc = json.loads(report(seeds_db, "--format", "json", "--min-severity", "error").output)
    assert doc["papers"] == []
    assert "No discrepancies match the filters." in report(seeds_db, "--min-severity", "error").output


def test_fail_on_exit_codes(seeds_db):
    assert run_reconcile("report", "--db", str(seeds_db), "--fail-on", "warning").returncode == 1
    assert run_reconcile("report", "--db", str(seeds_db), "--fail-on", "error").returncode == 0
    bad = run_reconcile("report", "--db", str(seeds_db), "--format", "pdf")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("reconcile: error:")
