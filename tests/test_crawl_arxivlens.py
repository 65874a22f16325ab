"""The arxivlens spider end to end: a loopback ArxivLens API -> crawl -> SQLite.

The server answers with JSON these tests write (made-up papers, in the shapes of
test_pages_arxivlens_api.py). Crawls run in subprocesses, which register the ArxivLens API
formats first when ``scrapers.pages`` does not list them yet (a no-op once it does).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .loopback import Canned
from .support import clean_env, crawl_rows, rows
from .test_pages_arxivlens_api import FINDINGS, by_date, detail, item
from scrapers.spiders.arxivlens import SLOT, ArxivlensArgs, ArxivlensSpider

API = "/api/v1/papers"
DAY = "2026-02-05"



def run_lens(crawls: list[tuple[str, dict]], db: Path, cwd: Path, server, *, prelude: str = "",
             **settings: str) -> None:
    """``run_crawls`` in a fresh interpreter, pointed at the loopback server, after
    ``prelude`` (Python run first)."""
    overrides = {"ARXIVLENS_BASE_URL": server.base_url, "DOWNLOAD_DELAY": "0",
                 "ARXIVLENS_DELAY": "0", **settings}
    code = prelude + ("from scrapers.run import run_crawls\n"
                       f"run_crawls({crawls!r}, db_path={str(db)!r}, settings_overrides={overrides!r})\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]


def serve_day(server) -> None:
    """Three papers on two pages (limit 2); the second paper's answer is an HTML page and
    its findings are still processing; the third paper lacks most fields and its findings
    are a 404."""
    first = item("2602.30001", "Toy Duck Counting")
    second = item("2602.30002", "Tiny Graph Tricks")
    third = {"paperId": "2602.30003", "title": "A Sparse Paper"}
    server.add(f"{API}/by-date/{DAY}?page=1&limit=2", by_date([first, second], total=3, limit=2))
    server.add(f"{API}/by-date/{DAY}?page=2&limit=2", by_date([third], total=3, page=2, limit=2))
    server.add(f"{API}/2602.30001", detail("2602.30001", "Toy Duck Counting"))
    server.add(f"{API}/2602.30002", "<html><body>Just a moment...</body></html>", 200, "text/html")
    server.add(f"{API}/2602.30003", {"paper": third})
    server.add(f"{API}/2602.30001/key-findings", FINDINGS)
    server.add(f"{API}/2602.30002/key-findings",
               {"status": "processing", "message": "Generating", "retryCount": 0,
                "updatedAt": "2026-02-05T10:00:00Z"}, 202)


def test_a_day_pages_through_the_list_then_asks_each_paper_and_its_findings(server, tmp_path):
    serve_day(server)
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"date": DAY})], db, tmp_path, server, ARXIVLENS_PAGE_SIZE="2")

    assert server.count(f"{API}/by-date/") == 2
    assert server.count(f"{API}/by-date/{DAY}?page=2&limit=2") == 1
    for aid in ("2602.30001", "2602.30002", "2602.30003"):
        assert server.count(f"{API}/{aid}/key-findings") == 1
        assert sum(1 for p in server.requests if p == f"{API}/{aid}") == 1

    docs = rows(db, "select format, site, source from documents order by id")
    assert sorted(d["format"] for d in docs) == sorted(
        ["arxivlens-api-list"] * 2 + ["arxivlens-api-paper"] * 2 + ["arxivlens-api-findings"])
    assert {(d["site"], d["source"]) for d in docs} == {("arxivlens.com", "arxivlens")}

    obs = rows(db, "select o.*, d.format from observations o join documents d on d.id = o.document_id")
    assert len(obs) == 6
    paper = next(o for o in obs if o["format"] == "arxivlens-api-paper" and o["arxiv_id"] == "2602.30001")
    assert paper["abstract"] == "We made up an abstract about toy ducks."
    assert paper["summary"] == "A made-up two-line summary of Toy Duck Counting."
    assert json.loads(paper["authors"]) == ["Ada Example", "Zoë Müller"]
    assert paper["published"] == "2026-02-04"
    sparse = next(o for o in obs if o["format"] == "arxivlens-api-paper" and o["arxiv_id"] == "2602.30003")
    assert sparse["title"] == "A Sparse Paper" and sparse["abstract"] is None
    assert json.loads(sparse["authors"]) == [] and sparse["published"] is None
    [found] = [o for o in obs if o["format"] == "arxivlens-api-findings"]
    assert found["arxiv_id"] == "2602.30001"
    assert json.loads(found["extra"])["key_findings"]["keyResults"] == ["Ducks were counted.", "Graphs helped."]

    rejects = {r["url"].removeprefix(server.base_url): r["reason"] for r in rows(db, "select * from rejects")}
    assert rejects == {
        f"{API}/2602.30002": "ArxivLens API: an HTML page without a title, not the JSON answer",
        f"{API}/2602.30002/key-findings": "ArxivLens key findings not ready: processing (Generating; retry 0)",
        f"{API}/2602.30003/key-findings": f"HTTP 404 for {server.base_url}{API}/2602.30003/key-findings",
    }
    [crawl] = crawl_rows(db)
    # Three of nine requests came to nothing (a bad body, findings not ready, a 404): partial.
    assert crawl["status"] == "partial" and crawl["args"] == {"date": DAY}
    assert crawl["stats"]["reconcile/requests/failed"] == 3
    stats = crawl["stats"]
    assert stats["arxivlens/requests/by_date"] == 2
    assert stats["arxivlens/requests/paper"] == 3
    assert stats["arxivlens/requests/findings"] == 3
    assert stats["arxivlens/papers/listed"] == 3
    assert stats["arxivlens/rejects/http_404"] == 1


def test_ids_ask_only_those_papers_and_findings_can_be_left_out(server, tmp_path):
    serve_day(server)
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"ids": "2602.30001v2,arXiv:2602.30003", "findings": "false"})],
             db, tmp_path, server)
    assert server.count(f"{API}/by-date/") == 0
    assert server.count(f"{API}/2602.30001") == 1 and server.count(f"{API}/2602.30003") == 1
    assert server.count(f"{API}/2602.30002") == 0
    assert not any(p.endswith("/key-findings") for p in server.requests)
    assert {o["arxiv_id"] for o in rows(db, "select arxiv_id from observations")} == {
        "2602.30001", "2602.30003"}
    [crawl] = crawl_rows(db)
    assert crawl["args"] == {"ids": ["2602.30001", "2602.30003"], "findings": False}


def test_when_the_api_names_papers_by_slug_findings_keep_their_arxiv_id(server, tmp_path):
    """One constant switches the path identifier; the findings answer, which does not name
    its paper, is still tied to it (through the request's fragment)."""
    first = item("2602.30001", "Toy Duck Counting")
    slug = first["genSlug"]
    server.add(f"{API}/by-date/{DAY}?page=1&limit=50", by_date([first]))
    server.add(f"{API}/{slug}", detail("2602.30001", "Toy Duck Counting"))
    server.add(f"{API}/{slug}/key-findings", FINDINGS)
    prelude = ("import dataclasses\nfrom scrapers.pages import arxivlens_api\n"
               "arxivlens_api.API = dataclasses.replace(arxivlens_api.API, path_identifier='genSlug')\n")
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"date": DAY})], db, tmp_path, server, prelude=prelude)
    assert server.count(f"{API}/{slug}") == 2 and server.count(f"{API}/2602.30001") == 0
    [found] = rows(db, "select o.arxiv_id, d.url from observations o join documents d on d.id = o.document_id "
                       "where d.format = 'arxivlens-api-findings'")
    assert found["arxiv_id"] == "2602.30001"
    assert found["url"] == f"{server.base_url}{API}/{slug}/key-findings#arxiv=2602.30001"
    assert rows(db, "select count(*) as n from rejects")[0]["n"] == 0


def test_a_missing_list_is_a_reject_and_nothing_else_is_asked(server, tmp_path):
    server.add(f"{API}/by-date/{DAY}?page=1&limit=50", {"message": "Rate limit exceeded"})
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"date": DAY})], db, tmp_path, server)
    [reject] = rows(db, "select * from rejects")
    assert reject["reason"] == "ArxivLens API error: Rate limit exceeded"
    assert server.count(API) == 1
    assert rows(db, "select count(*) as n from observations")[0]["n"] == 0


def test_requests_are_one_at_a_time_and_arxivlens_delay_apart(server, tmp_path):
    server.add(f"{API}/by-date/{DAY}?page=1&limit=50",
               by_date([item("2602.30001", "Toy Duck Counting"), item("2602.30002", "Tiny Graph Tricks")]))
    server.route(f"{API}/", lambda path: Canned.of(
        FINDINGS if path.endswith("/key-findings") else detail(path.rsplit("/", 1)[1], "Toy"),
        delay=0.1))
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"date": DAY})], db, tmp_path, server, ARXIVLENS_DELAY="0.4")
    times = server.arrival_times(API)
    assert len(times) == 5
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.35, gaps


def test_arguments():
    assert ArxivlensArgs.parse({"date": DAY}).days()[0].isoformat() == DAY
    assert ArxivlensArgs.parse({}).date is not None  # today
    args = ArxivlensArgs.parse({"ids": "2602.30001v1, 2602.30001"})
    assert args.ids == ["2602.30001"] and args.date is None
    assert args.model_dump(mode="json", exclude_none=True) == {"ids": ["2602.30001"]}
    for bad, message in (({"ids": "2602.30001", "date": DAY}, "either ids or date"),
                         ({"ids": "nope"}, "not arXiv ids"),
                         ({"ids": "2602.30001", "details": "false", "findings": "false"}, "fetch nothing"),
                         ({"since": DAY}, "since and until go together"),
                         ({"pages": "true"}, "unknown argument 'pages'")):
        with pytest.raises(ValueError, match=message) as err:
            ArxivlensArgs.parse(bad)
        assert "\n" not in str(err.value)


def test_the_arxivlens_download_slot():
    from scrapy.settings import Settings

    settings = Settings({"ARXIVLENS_DELAY": 1.5})
    ArxivlensSpider.update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS")[SLOT] == {"concurrency": 1, "delay": 1.5, "jitter": 0}


def test_a_list_claiming_a_billion_papers_stops_at_max_pages(server, tmp_path):
    """Issue 16, point 4: a total of 10^9 with full pages made the crawl endless."""
    def page(path: str) -> Canned:
        number = int(path.split("page=")[1].split("&")[0])
        return Canned.of(by_date([{"paperId": f"2602.{30000 + number:05d}", "title": f"Toy {number}"}],
                                 total=10**9, page=number, limit=1))
    server.route(f"{API}/by-date/", page)
    db = tmp_path / "papers.db"
    run_lens([("arxivlens", {"date": DAY})], db, tmp_path, server, MAX_PAGES="3", ARXIVLENS_PAGE_SIZE="1")
    assert server.count(f"{API}/by-date/") == 3
    reasons = [r["reason"] for r in rows(db, "select reason from rejects")]
    assert f"stopped the ArxivLens list of {DAY} after 3 pages (MAX_PAGES): the server kept announcing more" in reasons
