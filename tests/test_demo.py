"""``reconcile demo``: offline, from any directory, over the bundled recordings."""

from __future__ import annotations

import json

import sqlite_utils

from .support import run_reconcile


def test_demo_runs_offline_from_any_directory(tmp_path):
    result = run_reconcile("demo", cwd=tmp_path, env={"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY":
                                                       "http://127.0.0.1:9"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert out.startswith("# paper-reconcile report")
    assert f"Database: {tmp_path / 'papers.db'}" in out
    assert f"Report:   {tmp_path / 'papers-report.md'}" in out
    assert (tmp_path / "papers-report.md").read_text(encoding="utf-8") in out

    db = sqlite_utils.Database(tmp_path / "papers.db")
    hf, arxiv = list(db["crawls"].rows)
    assert (hf["spider"], hf["status"], json.loads(hf["args"])) == ("huggingface", "finished",
                                                                   {"date": "2026-02-05"})
    # Then arXiv, for exactly the ids Hugging Face listed, in one id_list request.
    assert (arxiv["spider"], arxiv["status"], json.loads(arxiv["args"])) == ("arxiv", "finished",
                                                                            {"missing": True})
    assert json.loads(arxiv["stats"])["arxiv/requests/id_list"] == 1
    assert db["rejects"].count == 0
    ernie_arxiv = next(db["observations"].rows_where("source = 'arxiv' and arxiv_id = '2602.04705'"))
    assert ernie_arxiv["title"] == "ERNIE 5.0 Technical Report" and ernie_arxiv["arxiv_version"] == 1
    hf = next(db["documents"].rows_where("source = 'huggingface'"))
    # The replayed response keeps the recorded response time.
    assert (hf["observed_at"], hf["observed_at_basis"]) == ("2026-02-05T07:45:12Z", "response")
    kinds = {r["kind"] for r in db.query("select distinct kind from discrepancies")}
    assert kinds == {"upvotes", "rank", "mojibake", "replacement_char"}
    ernie = next(db.query("select * from discrepancies where paper_id = 'arxiv:2602.04705' and kind = 'upvotes'"))
    assert sorted(v["value"] for v in json.loads(ernie["values"])) == [160, 190, 194]
    paper = db["papers"].get("arxiv:2602.04705")
    assert (paper["upvotes"], json.loads(paper["provenance"])["upvotes"]["source"]) == (160, "huggingface")

    again = run_reconcile("demo", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert db["observations"].count == 35 and db["documents"].count == 4


def test_run_crawls_every_spider_resolves_and_reports(tmp_path):
    from reconcile.cli import demo_dir

    result = run_reconcile("run", "--date", "2026-02-05", "--replay", str(demo_dir()), "--db",
                           str(tmp_path / "r.db"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# paper-reconcile report")
    db = sqlite_utils.Database(tmp_path / "r.db")
    assert [r["spider"] for r in db["crawls"].rows] == ["huggingface", "arxiv"]
    assert db["papers"].count == 10 and db["links"].count == 20
