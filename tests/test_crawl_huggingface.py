"""The huggingface spider end to end: loopback server -> crawl -> SQLite, record and replay.

Crawls run in subprocesses (a Twisted reactor starts once per process), against a
threaded server on 127.0.0.1 whose bodies the tests write. Nothing here touches the
network beyond that server.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .loopback import LoopbackServer, daily_papers_body
from .support import clean_env, crawl_rows, rows
from scrapers.middlewares import Manifest, recording_name
from scrapers.pipelines import reason_key
from scrapers.run import parse_set_options, run_crawls
from scrapers.spiders.huggingface import HuggingfaceArgs

REPO = Path(__file__).resolve().parents[1]
API = "/api/daily_papers"

DAY1 = [("2602.10001", "Sparse Toy Routing", 42), ("2602.10002", "Tiny Lemma Search", 7)]
DAY2 = [("2602.10003", "Pocket Diffusion Sketches", 15)]
DAY3 = [("2602.10004", "Counting Ducks With Graphs", 3), (None, "An Item Without Id", 1)]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120)
    return proc


def run_python(crawls: list[tuple[str, dict]], db: Path, cwd: Path, *, base_url: str,
               replay_dir: Path | None = None, record_dir: Path | None = None, **settings: str) -> None:
    """``run_crawls`` in a fresh interpreter, from a directory without scrapy.cfg."""
    overrides = {"HUGGINGFACE_BASE_URL": base_url, "DOWNLOAD_DELAY": "0", **settings}
    code = (
        "from scrapers.run import run_crawls\n"
        f"run_crawls({crawls!r}, db_path={str(db)!r}, settings_overrides={overrides!r}, "
        f"replay_dir={str(replay_dir) if replay_dir else None!r}, "
        f"record_dir={str(record_dir) if record_dir else None!r})\n"
    )
    proc = _run([sys.executable, "-c", code], cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]


def observed(db: Path) -> set[tuple]:
    return {(r["arxiv_id"], r["upvotes"], r["listed_on"], r["title"]) for r in
            rows(db, "select arxiv_id, upvotes, listed_on, title from observations")}


def expected(day: str, papers: list[tuple]) -> set[tuple]:
    return {(aid, up, day, title) for aid, title, up in papers if aid}


def serve_days(server: LoopbackServer, days: dict[str, list[tuple]]) -> None:
    for day, papers in days.items():
        server.add(f"{API}?date={day}&limit=100", daily_papers_body(day, papers))


# -- the command line, from the repository root ------------------------------------------

def test_scrapy_list_in_repo_root_names_the_spider():
    proc = _run([sys.executable, "-m", "scrapy", "list"], REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "huggingface" in proc.stdout.split()


def test_scrapy_crawl_since_until_fetches_each_day_once(server, tmp_path):
    days = {"2026-02-03": DAY1, "2026-02-04": DAY2, "2026-02-05": DAY3}
    serve_days(server, days)
    db = tmp_path / "papers.db"
    proc = _run([sys.executable, "-m", "scrapy", "crawl", "huggingface",
                 "-a", "since=2026-02-03", "-a", "until=2026-02-05",
                 "-s", f"RECONCILE_DB={db}", "-s", f"HUGGINGFACE_BASE_URL={server.base_url}",
                 "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"], REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]

    assert server.count(API) == 3
    assert sorted(p for p in server.requests if p.startswith(API)) == [
        f"{API}?date={d}&limit=100" for d in days]
    assert observed(db) == set().union(*(expected(d, p) for d, p in days.items()))
    docs = rows(db, "select observed_at_basis from documents")
    assert [d["observed_at_basis"] for d in docs] == ["response"] * 3

    [crawl] = crawl_rows(db)
    assert crawl["spider"] == "huggingface" and crawl["status"] == "finished"
    assert crawl["args"] == {"since": "2026-02-03", "until": "2026-02-05"}
    assert crawl["finished_at"] >= crawl["started_at"]
    stats = crawl["stats"]
    assert stats["huggingface/observations/stored"] == 4
    assert stats["huggingface/documents/stored"] == 3
    assert stats["huggingface/rejects/missing_paper_id"] == 1
    assert stats["item_scraped_count"] == 4  # three pages and one reject
    assert stats["reconcile/crawl_id"] == crawl["id"]

    [reject] = rows(db, "select * from rejects")
    assert reject["reason"] == "item 2: missing paper.id"
    assert reject["crawl_id"] == crawl["id"] and reject["url"].endswith("date=2026-02-05&limit=100")


def test_scrapy_crawl_refuses_bad_dates(tmp_path):
    db = tmp_path / "papers.db"
    proc = _run([sys.executable, "-m", "scrapy", "crawl", "huggingface",
                 "-a", "since=2026-02-05", "-a", "until=2026-02-01",
                 "-s", f"RECONCILE_DB={db}"], REPO)
    assert proc.returncode != 0
    assert "since 2026-02-05 is after until 2026-02-01" in proc.stderr
    assert not db.exists()


# -- failures become rejects ------------------------------------------------------------

def test_failed_days_become_rejects_and_the_other_days_are_kept(server, tmp_path):
    serve_days(server, {"2026-02-03": DAY1})
    server.add(f"{API}?date=2026-02-04&limit=100", "Not Found", 404, "text/plain")
    server.add(f"{API}?date=2026-02-05&limit=100", "<html><body>maintenance</body></html>", 200, "text/html")
    server.add(f"{API}?date=2026-02-06&limit=100", "oops", 500, "text/plain")
    server.add(f"{API}?date=2026-02-07&limit=100", {"error": "Invalid date"})
    db = tmp_path / "papers.db"
    run_python([("huggingface", {"since": "2026-02-03", "until": "2026-02-07"})], db, tmp_path,
               base_url=server.base_url)

    assert observed(db) == expected("2026-02-03", DAY1)
    reasons = {r["url"].split("date=", 1)[1][:10]: r["reason"] for r in rows(db, "select * from rejects")}
    url = f"{server.base_url}{API}?date="
    assert reasons["2026-02-04"] == f"HTTP 404 for {url}2026-02-04&limit=100"
    assert reasons["2026-02-05"] == "an HTML page without a title, not the JSON list of daily papers"
    assert reasons["2026-02-06"] == f"HTTP 500 for {url}2026-02-06&limit=100"
    assert reasons["2026-02-07"] == "Hugging Face API error: Invalid date"
    assert len(reasons) == 4
    assert server.count(f"{API}?date=2026-02-06&limit=100") == 3  # 500 is retried twice
    [crawl] = crawl_rows(db)
    assert crawl["status"] == "partial"  # four of five days came to nothing
    assert crawl["stats"]["huggingface/rejects/http_404"] == 1
    assert crawl["stats"]["huggingface/rejects/html_page"] == 1


def test_robots_txt_is_obeyed_and_forbidden_days_are_rejects(server, tmp_path):
    serve_days(server, {"2026-02-03": DAY1})
    server.add("/robots.txt", "User-agent: *\nDisallow: /api/\n", 200, "text/plain")
    db = tmp_path / "papers.db"
    run_python([("huggingface", {"date": "2026-02-03"})], db, tmp_path, base_url=server.base_url)

    assert server.count("/robots.txt") == 1
    assert server.count(API) == 0
    [reject] = rows(db, "select reason from rejects")
    assert reject["reason"] == f"Forbidden by robots.txt: {server.base_url}{API}?date=2026-02-03&limit=100"


# -- several spiders in one process, and content hashes ---------------------------------

def test_run_crawls_runs_crawls_one_after_another_and_skips_known_documents(server, tmp_path):
    serve_days(server, {"2026-02-03": DAY1, "2026-02-04": DAY2})
    db = tmp_path / "papers.db"
    run_python([("huggingface", {"date": "2026-02-03"}), ("huggingface", {"date": "2026-02-04"}),
                ("huggingface", {"date": "2026-02-03"})], db, tmp_path, base_url=server.base_url)

    crawls = crawl_rows(db)
    assert [c["args"]["date"] for c in crawls] == ["2026-02-03", "2026-02-04", "2026-02-03"]
    assert [c["status"] for c in crawls] == ["finished"] * 3
    assert crawls[2]["stats"]["huggingface/documents/duplicate"] == 1
    assert crawls[2]["stats"]["huggingface/observations/duplicate"] == 2
    assert observed(db) == expected("2026-02-03", DAY1) | expected("2026-02-04", DAY2)
    assert len(rows(db, "select id from observations")) == 3
    assert server.count(API) == 3


def test_a_shutdown_stops_the_crawl_and_the_crawls_after_it(server, tmp_path):
    server.add(f"{API}?date=2026-02-03&limit=100", daily_papers_body("2026-02-03", DAY1), delay=1.5)
    serve_days(server, {"2026-02-04": DAY2})
    db = tmp_path / "papers.db"
    overrides = {"HUGGINGFACE_BASE_URL": server.base_url, "DOWNLOAD_DELAY": "0"}
    code = ("from scrapers.run import run_crawls\n"
            f"run_crawls([('huggingface', {{'date': '2026-02-03'}}), "
            f"('huggingface', {{'date': '2026-02-04'}})], db_path={str(db)!r}, "
            f"settings_overrides={overrides!r})\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while server.count(API) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)

    assert proc.returncode != 0
    assert "crawl interrupted (shutdown): huggingface, huggingface (not started)" in stderr
    assert [(c["args"], c["status"]) for c in crawl_rows(db)] == [
        ({"date": "2026-02-03"}, "shutdown")]
    assert server.count(f"{API}?date=2026-02-04&limit=100") == 0


# -- record and replay ------------------------------------------------------------------

def test_record_then_replay_offline(server, tmp_path):
    serve_days(server, {"2026-02-03": DAY1, "2026-02-04": DAY2})
    server.add(f"{API}?date=2026-02-05&limit=100", "gone", 404, "text/plain")
    recording = tmp_path / "recording"
    live_db = tmp_path / "live.db"
    run_python([("huggingface", {"since": "2026-02-03", "until": "2026-02-05"})], live_db,
               tmp_path, base_url=server.base_url, record_dir=recording)

    manifest = json.loads((recording / "manifest.json").read_text())
    by_url = {e["url"]: e for e in manifest["entries"]}
    day1 = f"{server.base_url}{API}?date=2026-02-03&limit=100"
    assert set(by_url[day1]) == {"url", "status", "content_type", "file", "fetched_at"}
    assert by_url[day1]["file"] == f"127.0.0.1_{server.port}/api/daily_papers_date=2026-02-03_limit=100.json"
    assert by_url[day1]["status"] == 200
    assert json.loads((recording / by_url[day1]["file"]).read_text())[0]["paper"]["id"] == "2602.10001"
    assert by_url[f"{server.base_url}{API}?date=2026-02-05&limit=100"]["status"] == 404

    # Replay one day more than was recorded, while the server still listens: nothing may
    # reach it, robots.txt included.
    requests_before = len(server.requests)
    replay_db = tmp_path / "replay.db"
    crawl = [("huggingface", {"since": "2026-02-03", "until": "2026-02-06"})]
    run_python(crawl, replay_db, tmp_path, base_url=server.base_url, replay_dir=recording)
    assert len(server.requests) == requests_before

    assert observed(replay_db) == observed(live_db)
    docs = rows(replay_db, "select url, observed_at, observed_at_basis from documents")
    assert docs and all(d["observed_at"] == by_url[d["url"]]["fetched_at"] for d in docs)
    assert {d["observed_at_basis"] for d in docs} == {"response"}
    observations = rows(replay_db, "select o.observed_at, d.url from observations o "
                                   "join documents d on d.id = o.document_id")
    assert all(o["observed_at"] == by_url[o["url"]]["fetched_at"] for o in observations)

    missing = f"{server.base_url}{API}?date=2026-02-06&limit=100"
    reasons = sorted(r["reason"] for r in rows(replay_db, "select reason from rejects"))
    assert reasons == [f"HTTP 404 for {server.base_url}{API}?date=2026-02-05&limit=100",
                       f"not in replay {recording}: {missing}"]
    [first] = crawl_rows(replay_db)
    assert first["stats"]["replay/miss"] == 1
    assert first["status"] == "partial"  # the 404 day and the replay miss came to nothing

    # The same replay again adds no observations: the documents' hashes are known.
    count = len(rows(replay_db, "select id from observations"))
    run_python(crawl, replay_db, tmp_path, base_url=server.base_url, replay_dir=recording)
    assert len(rows(replay_db, "select id from observations")) == count
    second = crawl_rows(replay_db)[1]
    assert second["stats"]["huggingface/documents/duplicate"] == 2
    assert "huggingface/observations/stored" not in second["stats"]

    # And with the server gone, the replay still reads everything.
    server.stop()
    offline_db = tmp_path / "offline.db"
    run_python(crawl, offline_db, tmp_path, base_url=server.base_url, replay_dir=recording)
    assert observed(offline_db) == observed(live_db)
    assert len(rows(offline_db, "select id from rejects")) == 2


# -- arguments, options and names (no crawl) --------------------------------------------

def test_spider_arguments():
    assert HuggingfaceArgs.parse({"date": "2026-02-05"}).days() == [dt.date(2026, 2, 5)]
    assert HuggingfaceArgs.parse({"since": "2026-02-28", "until": "2026-03-01"}).days() == [
        dt.date(2026, 2, 28), dt.date(2026, 3, 1)]
    assert HuggingfaceArgs.parse({}).days() == [dt.datetime.now(dt.timezone.utc).date()]
    assert HuggingfaceArgs.parse({"date": "2026-02-05", "_job": "abc"}).date == dt.date(2026, 2, 5)
    for bad, message in [
        ({"since": "2026-02-05", "until": "2026-02-04"}, "is after until"),
        ({"date": "2026-02-30"}, "not a calendar day"),
        ({"date": "05/02/2026"}, "expected a day YYYY-MM-DD"),
        ({"since": "2026-02-05"}, "since and until go together"),
        ({"date": "2026-02-05", "until": "2026-02-06"}, "either date or since/until"),
        ({"idz": "2602.10001"}, "unknown argument 'idz'"),
    ]:
        with pytest.raises(ValueError, match=message):
            HuggingfaceArgs.parse(bad)


def test_run_crawls_refuses_bad_input_before_crawling(tmp_path):
    db = tmp_path / "papers.db"
    with pytest.raises(ValueError, match="is after until"):
        run_crawls([("huggingface", {"since": "2026-02-05", "until": "2026-02-01"})], db_path=db)
    with pytest.raises(ValueError, match="unknown spider 'nope'"):
        run_crawls([("nope", {})], db_path=db)
    with pytest.raises(ValueError, match="no manifest.json"):
        run_crawls([("huggingface", {})], db_path=db, replay_dir=tmp_path)
    assert not db.exists()


def test_parse_set_options():
    assert parse_set_options(["DOWNLOAD_DELAY=0", "LOG_LEVEL=INFO", "X_Y="]) == {
        "DOWNLOAD_DELAY": "0", "LOG_LEVEL": "INFO", "X_Y": ""}
    assert parse_set_options(['ITEM_PIPELINES={"a.B": 1}']) == {"ITEM_PIPELINES": '{"a.B": 1}'}
    for bad in ["DOWNLOAD_DELAY", "download_delay=1", "=1", "A B=1"]:
        with pytest.raises(ValueError, match="--set"):
            parse_set_options([bad])


def test_recording_names_are_readable_and_lookups_ignore_query_order(tmp_path):
    assert recording_name("https://huggingface.co/api/daily_papers?date=2026-02-05",
                          "application/json") == "huggingface.co/api/daily_papers_date=2026-02-05.json"
    assert recording_name("https://example.org/blog/", "text/html; charset=utf-8") == \
        "example.org/blog/index.html"
    assert recording_name("https://example.org/feed.xml", "application/rss+xml") == \
        "example.org/feed.xml"
    manifest = Manifest(tmp_path)
    now = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.timezone.utc)
    manifest.record("https://h.test/q?b=2&a=1", 200, "application/json", b"[]", now)
    manifest.record("https://h.test/q?b=2&a=2", 200, "application/json", b"{}", now)
    loaded = Manifest.load(tmp_path, required=True)
    assert loaded.get("https://h.test/q?a=1&b=2")["fetched_at"] == "2026-02-05T09:00:00Z"
    files = [e["file"] for e in loaded.entries.values()]
    assert len(set(files)) == 2  # same readable name, told apart by a hash suffix
    assert all((tmp_path / f).is_file() for f in files)


def test_reason_keys():
    assert reason_key("item 3: missing paper.id") == "missing_paper_id"
    assert reason_key("HTTP 404 for http://127.0.0.1:9/api") == "http_404"
    assert reason_key("not valid JSON (Expecting value at line 1 column 1)") == "not_valid_json"
    assert reason_key("not in replay /tmp/r: http://x/y") == "replay_miss"


def test_replay_of_a_hand_made_recording_without_robots_txt(server, tmp_path):
    recording = tmp_path / "recording"
    (recording / "hf").mkdir(parents=True)
    (recording / "hf" / "day.json").write_text(json.dumps(daily_papers_body("2026-02-04", DAY2)))
    url = f"{server.base_url}{API}?date=2026-02-04&limit=100"
    entry = {"url": url, "status": 200, "content_type": "application/json",
             "file": "hf/day.json", "fetched_at": "2026-02-04T18:00:00Z"}
    (recording / "manifest.json").write_text(json.dumps({"entries": [entry]}))
    db = tmp_path / "papers.db"
    run_python([("huggingface", {"date": "2026-02-04"})], db, tmp_path,
               base_url=server.base_url, replay_dir=recording)

    assert server.requests == []
    assert observed(db) == expected("2026-02-04", DAY2)
    assert rows(db, "select observed_at from observations")[0]["observed_at"] == "2026-02-04T18:00:00Z"
    assert rows(db, "select id from rejects") == []
    [crawl] = crawl_rows(db)
    assert crawl["stats"]["replay/robots_txt_absent"] == 1
    assert "replay/miss" not in crawl["stats"]


def test_recording_never_writes_outside_its_folder(tmp_path):
    """Issue 16, point 3: a manifest already in the folder whose ``file`` leaves it."""
    folder = tmp_path / "rec"
    folder.mkdir()
    escape = "../../escaped.json"
    (folder / "manifest.json").write_text(json.dumps({"entries": [
        {"url": "https://h.test/q", "status": 200, "content_type": "application/json", "file": escape,
         "fetched_at": "2026-02-05T09:00:00Z"}]}))
    manifest = Manifest.load(folder, required=True)
    now = dt.datetime(2026, 2, 5, 9, 0, tzinfo=dt.timezone.utc)
    entry = manifest.record("https://h.test/q", 200, "application/json", b"[1]", now)
    assert not (folder / escape).resolve().exists() and not (tmp_path / "escaped.json").exists()
    assert (folder / entry["file"]).read_bytes() == b"[1]" and manifest.inside(entry["file"])
    assert not manifest.inside(escape) and not manifest.inside("/etc/passwd")


def test_a_full_page_is_followed_by_the_next_until_a_short_one(server, tmp_path):
    """Issue 11: the API answers 50 papers unless asked for more. The spider asks for
    HUGGINGFACE_PAGE_SIZE and pages on while a page is full; the pages of one crawl's day
    are one list, complete when the day had ended before the crawl."""
    day = "2026-02-03"
    page0 = [("2602.10011", "Heron Counting One", 9), ("2602.10012", "Heron Counting Two", 8)]
    page1 = [("2602.10013", "Heron Counting Three", 2)]
    server.add(f"{API}?date={day}&limit=2", daily_papers_body(day, page0))
    server.add(f"{API}?date={day}&limit=2&p=1", daily_papers_body(day, page1))
    db = tmp_path / "p.db"
    run_python([("huggingface", {"date": day})], db, tmp_path, base_url=server.base_url,
               HUGGINGFACE_PAGE_SIZE="2")
    assert server.count(API) == 2
    assert observed(db) == expected(day, page0 + page1)
    [crawl] = crawl_rows(db)
    assert crawl["stats"]["huggingface/list/complete"] == 1
    from reconcile.checks.missing import build_day_lists
    from reconcile.store import Store
    store = Store(db)
    docs, obs, paper_of = store.day_list_parts(("huggingface-daily-papers",), [day])
    by_obs = {o.id: f"arxiv:{o.arxiv_id}" for group in obs.values() for o in group}
    [whole] = build_day_lists(docs.values(), obs, by_obs)[dt.date.fromisoformat(day)]
    assert whole.complete and len(whole.document_ids) == 2


def test_a_refetch_asks_whether_the_list_changed_and_a_304_adds_nothing(server, tmp_path):
    """Issue 12, point 3: re-observing a day uses the stored ETag; an unchanged list is a 304."""
    server.add(f"{API}?date=2026-02-03&limit=100", daily_papers_body("2026-02-03", DAY1),
               headers={"ETag": '"day1-v1"'})
    db = tmp_path / "papers.db"
    for _ in range(2):
        run_python([("huggingface", {"date": "2026-02-03"})], db, tmp_path, base_url=server.base_url)
    asked = [h for p, h in server.request_headers if p.startswith(API)]
    assert "If-None-Match" not in asked[0] and asked[1]["If-None-Match"] == '"day1-v1"'
    first, second = crawl_rows(db)
    assert second["status"] == "finished" and second["stats"]["conditional/not_modified"] == 1
    assert len(rows(db, "select id from documents")) == 1 and rows(db, "select * from rejects") == []
    assert rows(db, "select etag from documents")[0]["etag"] == '"day1-v1"'
