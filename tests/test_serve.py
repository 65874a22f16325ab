"""``reconcile serve``: Datasette over the demo database, checked through its JSON API."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils

from reconcile.serve import build_metadata

from .support import clean_env, reconcile_exe, run_reconcile

TABLES = {"documents", "observations", "papers", "links", "discrepancies", "crawls", "rejects", "acknowledged",
          "pending_checks", "sightings"}
VIEWS = {"paper_overview", "upvote_history"}
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(base: str, path: str, **params) -> dict | list:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    with DIRECT.open(f"{base}{path}{query}", timeout=10) as response:
        return json.load(response)


def _start(db, port: int) -> tuple[subprocess.Popen, str]:
    """Start ``reconcile serve`` and wait until it answers (or fail with its stderr)."""
    proc = subprocess.Popen([reconcile_exe(), "serve", "--db", str(db), "--port", str(port)], env=clean_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"reconcile serve exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
        try:
            _get(base, "/-/versions.json")
            return proc, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    proc.kill()
    pytest.fail("reconcile serve did not answer within 30 s")


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


@pytest.fixture(scope="module")
def base(demo_db):
    """The address of a ``reconcile serve`` of the demo database, stopped after the module."""
    proc, url = _start(demo_db, _free_port())
    yield url
    _stop(proc)


def test_every_table_view_and_column_is_described(base, demo_db):
    metadata = _get(base, "/-/metadata.json")
    assert metadata["title"] == "paper-reconcile" and metadata["description"]
    database = metadata["databases"]["papers"]
    assert database["description"]
    listing = _get(base, "/papers.json")
    shown = {t["name"] for t in listing["tables"] if not t["hidden"]} | {v["name"] for v in listing["views"]}
    assert shown == TABLES | VIEWS  # anything new shown in Datasette needs metadata below
    db = sqlite_utils.Database(demo_db)
    for name in sorted(shown):
        described = database["tables"][name]
        assert described["title"] and described["description"], name
        real = set(db[name].columns_dict)
        assert set(described["columns"]) == real, name  # a column without a description fails here
        assert all(text.strip() for text in described["columns"].values()), name


def test_facets_by_kind_severity_source_and_method(base, demo_db):
    db = sqlite_utils.Database(demo_db)
    found = _get(base, "/papers/discrepancies.json", _size=0)["facet_results"]
    kinds = {r["value"]: r["count"] for r in found["kind"]["results"]}
    severities = {r["value"]: r["count"] for r in found["severity"]["results"]}
    assert kinds == {r["kind"]: r["n"] for r in db.query("select kind, count(*) n from discrepancies group by kind")}
    assert {"upvotes", "mojibake", "replacement_char"} <= set(kinds)
    assert severities["warning"] >= 1 and sum(severities.values()) == db["discrepancies"].count
    observed = _get(base, "/papers/observations.json", _size=0)["facet_results"]["source"]["results"]
    assert {r["value"]: r["count"] for r in observed} == {"huggingface": 10, "digest": 25, "arxivlens": 9,
                                                           "arxiv": 10}
    methods = _get(base, "/papers/links.json", _size=0)["facet_results"]["method"]["results"]
    assert sum(r["count"] for r in methods) == db["links"].count


def test_open_discrepancies_worst_first_with_optional_filters(base, demo_db):
    rank = {"error": 2, "warning": 1, "info": 0}
    every = _get(base, "/papers/open_discrepancies.json", _shape="array")
    assert len(every) == sqlite_utils.Database(demo_db)["discrepancies"].count
    ranks = [rank[r["severity"]] for r in every]
    # The demo has no error (its one fall is seen through a digest's numbers: a warning).
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 1 and ranks[-1] == 0
    assert _get(base, "/papers/open_discrepancies.json", _shape="array", severity="error") == []
    upvotes = _get(base, "/papers/open_discrepancies.json", _shape="array", severity="warning", kind="upvotes")
    assert {(r["paper_id"], r["kind"]) for r in upvotes} == {("arxiv:2602.02196", "upvotes")}  # TIDE's fall
    assert upvotes[0]["title"].startswith("TIDE") and json.loads(upvotes[0]["values"])
    infos = _get(base, "/papers/open_discrepancies.json", _shape="array", severity="info", kind="upvotes")
    assert {r["severity"] for r in infos} == {"warning", "info"}  # at least as severe as asked


def test_upvote_history_of_a_paper_by_either_id(base):
    by_id = _get(base, "/papers/upvote_history.json", _shape="array", paper="arxiv:2602.04705")
    assert by_id == _get(base, "/papers/upvote_history.json", _shape="array", paper="2602.04705")
    assert sorted(r["upvotes"] for r in by_id) == [160, 190, 190, 201]  # ERNIE 5.0, as test_demo states
    assert {r["paper_id"] for r in by_id} == {"arxiv:2602.04705"}
    assert [(r["source"], r["site"]) for r in by_id] == sorted((r["source"], r["site"]) for r in by_id)
    hf = next(r for r in by_id if r["source"] == "huggingface")
    assert (hf["observed_at"], hf["observed_at_basis"]) == ("2026-02-05T07:45:12Z", "response")
    assert _get(base, "/papers/upvote_history.json", _shape="array", paper="2602.99999") == []


def test_source_coverage_of_the_demo_day(base):
    rows = _get(base, "/papers/source_coverage.json", _shape="array", day="2026-02-05")
    assert len(rows) == 10
    assert all(r["huggingface"] >= 1 and r["digest"] >= 1 and r["arxiv"] == 1 for r in rows)
    assert {r["listed_by"] for r in rows} == {2}  # Hugging Face and the digests list; arXiv does not
    fasa = next(r for r in rows if r["paper_id"] == "arxiv:2602.03152")
    assert fasa["digest"] == 3 and fasa["digest_sites"].split(",") == ["lim4349", "lim4349-data", "daily-papers-ko"]
    assert any(r["digest"] == 2 for r in rows)  # daily-papers-ko lists only five of the ten
    assert _get(base, "/papers/source_coverage.json", _shape="array", day="2026-02-04") == []


def test_papers_search_box_uses_the_full_text_index(base):
    found = _get(base, "/papers/papers.json", _shape="array", _search="cloth")  # a word of SoMA's abstract
    assert [(r["id"], "cloth" in r["title"].lower()) for r in found] == [("arxiv:2602.02402", False)]
    assert _get(base, "/papers/papers.json", _shape="array", _search="ERNIE")[0]["id"] == "arxiv:2602.04705"


def test_the_views_return_rows(base, demo_db):
    db = sqlite_utils.Database(demo_db)
    overview = _get(base, "/papers/paper_overview.json", _shape="array")
    assert len(overview) == db["papers"].count == 10
    tide = next(r for r in overview if r["id"] == "arxiv:2602.02196")
    assert tide["worst_severity"] == "warning" and tide["discrepancies"] == tide["errors"] + tide["warnings"] + tide["infos"]
    # The view's own page is taken by the canned query of the same name; SQL still reaches it.
    history = _get(base, "/papers.json", _shape="array", sql="select * from upvote_history")
    assert len(history) == db.execute("select count(*) from observations where upvotes is not null").fetchone()[0]


def test_metadata_points_the_search_box_at_papers_fts():
    papers = build_metadata("x")["databases"]["x"]["tables"]["papers"]
    assert (papers["fts_table"], papers["fts_pk"]) == ("papers_fts", "rowid")


def test_ctrl_c_stops_the_server_cleanly(demo_db):
    proc, _ = _start(demo_db, _free_port())
    assert _stop(proc, signal.SIGINT) == 0
    assert "Traceback" not in proc.stderr.read()


def test_refuses_a_missing_database_or_a_busy_port(tmp_path, demo_db):
    result = run_reconcile("serve", "--db", str(tmp_path / "none.db"), "--port", str(_free_port()))
    assert result.returncode == 2 and not (tmp_path / "none.db").exists()
    assert result.stderr.count("\n") == 1 and "no database at" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_reconcile("serve", "--db", str(demo_db), "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2 and result.stderr.startswith("reconcile: error: cannot listen on")


def test_without_datasette_serve_says_how_to_install_it(demo_db):
    code = ("import sys\n"
            "import reconcile.cli, reconcile.serve\n"
            "assert 'datasette' not in sys.modules, 'imported at module level'\n"
            "sys.modules['datasette'] = None  # as if it were not installed\n"
            f"reconcile.cli.main(['serve', '--db', {str(demo_db)!r}])\n")
    proc = subprocess.run([sys.executable, "-c", code], env=clean_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    # The install line names this environment's pip and the folder the project was installed
    # from ('paper-reconcile' is not on PyPI): '.venv/bin/pip install -e '.[web]'' in a checkout.
    said = proc.stderr.removeprefix("reconcile: error: Datasette is not installed: ")
    assert said != proc.stderr and said.count("\n") == 1 and said.rstrip().endswith("[web]'"), proc.stderr
    pip = said.split()[0]
    assert pip.endswith("pip") and Path(pip).exists(), said


def test_the_html_pages_render(base):
    expected = {
        "/papers": "Which sources saw each paper of a day",  # the canned queries are listed
        "/papers/papers?_search=cloth": "SoMA: A Real-to-Sim",
        "/papers/paper_overview": "What we know about each paper",
        "/papers/discrepancies": "replacement_char",  # a facet value
        "/papers/open_discrepancies?severity=warning": "fell from 23",
        "/papers/upvote_history?paper=2602.04705": "ERNIE 5.0 Technical Report",
        "/papers/source_coverage?day=2026-02-05": "daily-papers-ko",
    }
    for path, text in expected.items():
        with DIRECT.open(base + path, timeout=10) as response:
            assert response.status == 200, path
            assert text in response.read().decode(), path
