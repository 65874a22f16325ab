"""``reconcile report``: Markdown and JSON from the same data, filters, and --fail-on."""

from __future__ import annotations

import csv
import io
import json
import re

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
    assert doc["summary"]["by_kind"] == {"garbage_field": 10, "mojibake": 1, "numeric_claim": 1, "rank": 2,
                                         "replacement_char": 1, "upvotes": 5}
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
    assert "**20 discrepancies** on 10 papers" in text
    assert "## ERNIE 5.0 Technical Report" in text
    assert "| 194 | digest |" in text and "| 190 | digest | lim4349 |" in text
    assert "UTF-8 text decoded as Mac Roman" in text


def test_filters(seeds_db):
    doc = json.loads(report(seeds_db, "--format", "json", "--kind", "rank").output)
    assert doc["summary"]["by_kind"] == {"rank": 2}
    doc = json.loads(report(seeds_db, "--format", "json", "--min-severity", "warning").output)
    # 1 mojibake post, 1 document with replacement characters, 5 garbage institutions that
    # another source or an author-count label proves (the other 5 are judged by their shape
    # alone, and the five upvote pairs rest on publication and file times: weak, so info).
    assert doc["summary"]["by_severity"]["info"] == 0 and doc["summary"]["discrepancies"] == 7
    doc = json.loads(report(seeds_db, "--format", "json", "--min-severity", "error").output)
    assert doc["papers"] == []
    assert "No discrepancies match the filters." in report(seeds_db, "--min-severity", "error").output


def test_fail_on_exit_codes(seeds_db):
    assert run_reconcile("report", "--db", str(seeds_db), "--fail-on", "warning").returncode == 1
    assert run_reconcile("report", "--db", str(seeds_db), "--fail-on", "error").returncode == 0
    bad = run_reconcile("report", "--db", str(seeds_db), "--format", "pdf")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("reconcile: error:")


def test_csv_one_discrepancy_a_row(demo_db):
    result = report(demo_db, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert list(table[0]) == ["paper_id", "arxiv_id", "title", "kind", "field", "severity", "values", "detail"]
    doc = json.loads(report(demo_db, "--format", "json").output)
    assert len(table) == doc["summary"]["discrepancies"]
    tide = next(r for r in table if r["arxiv_id"] == "2602.02196" and r["kind"] == "upvotes")
    assert tide["severity"] == "warning" and [v["value"] for v in json.loads(tide["values"])] == [28, 23, 20]
    assert {r["kind"] for r in table} == set(doc["summary"]["by_kind"])


def test_csv_cells_cannot_become_spreadsheet_formulas():
    from reconcile.report import _cell

    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("+1") == "'+1" and _cell("-x") == "'-x"
    assert _cell("ERNIE 5.0") == "ERNIE 5.0" and _cell(None) == ""


def test_since_keeps_findings_with_evidence_seen_since(demo_db):
    everything = json.loads(report(demo_db, "--format", "json").output)["summary"]["discrepancies"]
    # Hugging Face answered at 07:45; the blog crawler's capture is 14:45; the posts are stamped 00:15.
    late = json.loads(report(demo_db, "--format", "json", "--since", "2026-02-05T14:00:00Z").output)
    values = [v for p in late["papers"] for d in p["discrepancies"] for v in d["values"]]
    assert 0 < late["summary"]["discrepancies"] < everything
    assert all(any(v["observed_at"] >= "2026-02-05T14:00:00Z" for v in d["values"])
               for p in late["papers"] for d in p["discrepancies"]) and values
    assert late["filters"]["since"] == "2026-02-05T14:00:00Z"
    later = json.loads(report(demo_db, "--format", "json", "--since", "2026-02-06").output)
    assert later["papers"] == [] and later["filters"]["since"] == "2026-02-06T00:00:00Z"
    bad = run_reconcile("report", "--db", str(demo_db), "--since", "yesterday")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_source_keeps_findings_that_source_is_a_side_of(demo_db):
    doc = json.loads(report(demo_db, "--format", "json", "--source", "arxivlens").output)
    found = [d for p in doc["papers"] for d in p["discrepancies"]]
    assert found and all(any(v["source"] == "arxivlens" for v in d["values"]) for d in found)
    # WideSeek-R1's 170× against Hugging Face's 167x.
    assert {d["kind"] for d in found} == {"numeric_claim"}
    both = json.loads(report(demo_db, "--format", "json", "--source", "arxivlens", "--source", "huggingface").output)
    assert both["summary"]["discrepancies"] > doc["summary"]["discrepancies"]
    assert both["filters"]["sources"] == ["arxivlens", "huggingface"]


def test_markdown_report_keeps_scraped_markup_inert(tmp_path):
    """Issue 16, point 6: raw HTML and javascript: links in scraped text reach no renderer."""
    import json as _json

    from reconcile.cli import cli as _cli
    hostile = "<script>alert(1)</script> [click](javascript:alert(1)) *Pond*"
    hf = tmp_path / "hf.json"
    hf.write_text(_json.dumps([{"paper": {"id": "3105.00101", "title": hostile, "upvotes": 40},
                                "numComments": 1}]))
    digest = tmp_path / "digest" / "pond-2031-05-06.json"
    digest.parent.mkdir()
    digest.write_text(_json.dumps([{"arxiv_id": "3105.00101", "title": hostile, "upvotes": 12,
                                    "site": "<img src=x onerror=alert(1)>"}]))
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    # A past capture time: one after now is refused (no capture is made in the future).
    assert runner.invoke(_cli, ["ingest", str(hf), "--observed-at", "2026-05-06T08:00:00Z", "--db", db]).exit_code == 0
    assert runner.invoke(_cli, ["ingest", str(digest), "--db", db]).exit_code == 0
    assert runner.invoke(_cli, ["resolve", "--db", db]).exit_code == 0
    out = runner.invoke(_cli, ["report", "--db", db, "--format", "md"]).output
    assert "upvotes" in out and "3105.00101" in out
    assert "<script" not in out and "<img" not in out
    assert not re.search(r"(?<!\\)\]\(javascript:", out)  # a link needs an unescaped "]("
    assert "&lt;script&gt;" in out and "\\[click\\]" in out
