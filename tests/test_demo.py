"""``reconcile demo``: offline, from any directory, over the bundled recordings."""

from __future__ import annotations

import json

import sqlite_utils

from .support import run_reconcile

#: Every finding of the demo: (paper, kind, severity, what its detail must say), with why
#: it is true to the recordings in scrapers/recordings/2026-02-05 (see their README).
DEMO_FINDINGS = sorted([
    # The blog post is served as UTF-8 read as Windows-1252: one document, ten papers.
    ("2602.02196", "mojibake", "warning", "decoded as Windows-1252, repaired exactly"),
    # The Korean digest carries one U+FFFD; one finding for its document of five papers.
    ("2602.03152", "replacement_char", "warning", "1 U+FFFD replacement character"),
    # TIDE: 23 in Hugging Face's answer (07:45:12Z), 20 in the blog crawler's JSON that states
    # its capture at 14:45:03Z: a fall, but seen through a digest's numbers, so a warning.
    ("2602.02196", "upvotes", "warning", "fell from 23 (huggingface/huggingface.co, 2026-02-05T07:45:12Z) "
                                         "to 20 (digest/lim4349-data"),
    # The blog post's counts are timed by its publication (00:15Z): they cannot be ordered
    # against Hugging Face's capture, so each difference only informs.
    *((paper, "upvotes", "info", f"{blog} (digest/lim4349, published 2026-02-05T00:15:00Z) and {hf} "
                                 "(huggingface/huggingface.co, response")
      for paper, blog, hf in (("2602.02402", 28, 22), ("2602.02958", 29, 25), ("2602.03152", 97, 85),
                              ("2602.03560", 32, 27), ("2602.04145", 61, 55), ("2602.04515", 29, 24),
                              ("2602.04634", 61, 52), ("2602.04705", 190, 160), ("2602.04804", 38, 31))),
    # The blog and its JSON copy the real crawler's page furniture as institutions.
    ("2602.02196", "garbage_field", "warning", "'·10 authors1' is page furniture: an author count (10)"),
    ("2602.04145", "garbage_field", "warning", "'·7 authors1' is page furniture: an author count (7)"),
    ("2602.04515", "garbage_field", "warning", "'·6 authors1' is page furniture: an author count (6)"),
    ("2602.04804", "garbage_field", "warning", "'·15 authors1' is page furniture: an author count (15)"),
    ("2602.04705", "garbage_field", "warning", "Hugging Face names the organization 'Baidu'"),
    ("2602.02958", "garbage_field", "warning", "probably 'University of California, Berkeley' (Hugging Face)"),
    ("2602.03560", "garbage_field", "warning", "probably 'Xiaomi MiMo' (Hugging Face)"),
    ("2602.04634", "garbage_field", "warning", "probably 'RLinf' (Hugging Face)"),
    # No other recording names these organizations: judged by shape alone, so info.
    ("2602.02402", "garbage_field", "info", "'shanghai ailab2' ends in digits that may be counters glued"),
    ("2602.03152", "garbage_field", "info", "'alibaba-inc3' ends in digits that may be counters glued"),
    # The blog copies one abstract with arXiv's placeholder where arXiv has the link.
    ("2602.04145", "abstract", "info", "has arXiv's 'this http URL' placeholder"),
    # Hugging Face's AI summary says 167x, ArxivLens's key findings 170×: a rounding.
    ("2602.04634", "numeric_claim", "info", "170× (arxivlens.com summary) vs 167x (huggingface.co summary)"),
])


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
    assert f"HTML:     {tmp_path / 'papers-report.html'}" in out
    assert (tmp_path / "papers-report.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert "reconcile serve --db papers.db" in out  # what to try next
    # The progress display: a line as each step starts, and what each crawl brought in.
    steps = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert [s.split()[1] for s in steps] == ["huggingface", "digests", "arxivlens", "arxiv", "resolve", "report"]
    assert steps[0].startswith("[1/6]") and steps[-1].startswith("[6/6]")
    assert "1 new document with 10 observations" in result.stderr  # Hugging Face's list of the day
    assert "54 observations placed, 10 papers re-checked" in result.stderr

    db = sqlite_utils.Database(tmp_path / "papers.db")
    crawls = {r["spider"]: r for r in db["crawls"].rows}
    assert list(crawls) == ["huggingface", "digests", "arxivlens", "arxiv"]
    assert all(c["status"] == "finished" for c in crawls.values())
    assert json.loads(crawls["huggingface"]["args"]) == {"date": "2026-02-05"}
    assert json.loads(crawls["digests"]["args"])["sites"] == ["lim4349", "lim4349-data", "daily-papers-ko"]
    # arXiv last, for exactly the ids the other sources carry, in one id_list request.
    assert json.loads(crawls["arxiv"]["args"]) == {"missing": True}
    assert json.loads(crawls["arxiv"]["stats"])["arxiv/requests/id_list"] == 1
    assert db["rejects"].count == 0
    sources = {r["source"]: r["n"] for r in db.query("select source, count(*) n from observations group by source")}
    assert sources == {"huggingface": 10, "digest": 25, "arxivlens": 9, "arxiv": 10}
    ernie_arxiv = next(db["observations"].rows_where("source = 'arxiv' and arxiv_id = '2602.04705'"))
    assert ernie_arxiv["title"] == "ERNIE 5.0 Technical Report" and ernie_arxiv["arxiv_version"] == 1
    hf = next(db["documents"].rows_where("source = 'huggingface'"))
    # A replayed response keeps the recorded response time; the blog crawler's JSON its crawled_at.
    assert (hf["observed_at"], hf["observed_at_basis"]) == ("2026-02-05T07:45:12Z", "response")
    data = next(db["documents"].rows_where("format = 'digest-daily-json'"))
    assert (data["observed_at"], data["observed_at_basis"]) == ("2026-02-05T14:45:03Z", "stated_capture")
    # Issue 7: every finding the demo shows, one by one, each true to its recordings.
    found = sorted((r["paper_id"].removeprefix("arxiv:"), r["kind"], r["severity"], r["detail"])
                   for r in db.query("select * from discrepancies"))
    assert [(p, k, sev) for p, k, sev, _ in found] == [(p, k, sev) for p, k, sev, _ in DEMO_FINDINGS]
    for (_, _, _, detail), (paper, kind, _, why) in zip(found, DEMO_FINDINGS):
        assert why in detail, (paper, kind, detail)
    kinds = {k for _, k, _, _ in found}
    assert len(kinds) >= 6  # issue 6 asks the demo's report for at least six kinds
    assert all(f"`{kind}`" in out for kind in kinds)
    claim = next(db.query("select * from discrepancies where kind = 'numeric_claim'"))
    assert sorted(v["source"] for v in json.loads(claim["values"])) == ["arxivlens", "huggingface"]
    ernie = next(db.query("select * from discrepancies where paper_id = 'arxiv:2602.04705' and kind = 'upvotes'"))
    assert sorted(v["value"] for v in json.loads(ernie["values"])) == [160, 190, 190, 201]
    paper = db["papers"].get("arxiv:2602.04705")
    assert (paper["upvotes"], json.loads(paper["provenance"])["upvotes"]["source"]) == (160, "huggingface")
    assert json.loads(paper["provenance"])["title"]["source"] == "arxiv"

    again = run_reconcile("demo", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "0 new documents with 0 observations, 1 already stored" in again.stderr
    assert db["observations"].count == 54 and db["documents"].count == 12


def test_run_crawls_every_spider_resolves_and_reports(tmp_path):
    from reconcile.cli import demo_dir

    result = run_reconcile("run", "--date", "2026-02-05", "--replay", str(demo_dir()), "--db",
                           str(tmp_path / "r.db"), cwd=tmp_path)
    # Every enabled digest site is asked for; the recordings hold three: a partial crawl, exit 3.
    assert result.returncode == 3, result.stderr
    assert "crawl 2 digests: partial;" in result.stderr and "replay_miss 4" in result.stderr
    assert result.stdout.startswith("# paper-reconcile report")
    db = sqlite_utils.Database(tmp_path / "r.db")
    assert [r["spider"] for r in db["crawls"].rows] == ["huggingface", "digests", "arxivlens", "arxiv"]
    assert db["papers"].count == 10 and db["links"].count == 54


def test_try_next_runs_as_printed_without_the_environment_on_path(tmp_path):
    """The quick start runs ``.venv/bin/reconcile demo`` without activating ``.venv``, so the
    lines the demo suggests must name this environment's commands (``reconcile`` and
    ``sqlite-utils`` were bare, and not on PATH there; probe24 B7)."""
    import os
    import shlex
    import subprocess
    import sys
    from pathlib import Path

    here = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != here)
    done = run_reconcile("demo", cwd=tmp_path, env={"PATH": path})
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.split("\nTry next:\n", 1)[1].splitlines()]
    commands = [shlex.split(line.split("    #")[0]) for line in lines]
    assert [c[1] for c in commands if "reconcile" in c[0]] == ["report", "serve"]
    for args in commands:
        assert Path(args[0]).is_absolute() and Path(args[0]).exists(), args
    for args in commands[:2]:  # the JSON report and the sqlite-utils summary
        ran = subprocess.run(args, cwd=tmp_path, env={**os.environ, "PATH": path}, capture_output=True,
                             text=True, timeout=120)
        assert ran.returncode == 0 and ran.stdout.strip(), (args, ran.stderr)


def test_try_next_says_how_to_install_datasette_when_it_is_missing(tmp_path, monkeypatch):
    """A plain ``pip install .`` leaves out the ``[web]`` extra that ``serve`` needs: the demo
    says how to install it into this environment, from the folder the project came from."""
    from pathlib import Path

    from reconcile.try_next import try_next

    monkeypatch.chdir(tmp_path)
    said = try_next(Path("papers.db"), web=False).splitlines()
    install = next(line for line in said if "install" in line)
    assert install.split()[0].endswith("pip") and "[web]'" in install
    assert said.index(install) < next(i for i, line in enumerate(said) if " serve " in line)
    assert not any("install" in line for line in try_next(Path("papers.db"), web=True).splitlines())
