"""The huggingface spider over date pages (``pages=true``) and paper pages (``ids=...``).

Crawls run in subprocesses (the Twisted reactor starts once per process) against a loopback
server serving made-up HTML pages.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse

import scrapers.spiders.huggingface as spider_module
from reconcile.models import Document, Source, TimeBasis
from scrapers.items import PageItem, RejectItem
from scrapers.pages import PageResult, Problem
from scrapers.spiders.huggingface import HuggingfaceArgs

from .loopback import LoopbackServer, daily_paper
from .support import clean_env, crawl_rows, rows, run_crawls_subprocess
from .test_pages_huggingface_html import date_page_html, page, paper_page_html, paper_props

REPO = Path(__file__).resolve().parents[1]
HTML = "text/html; charset=utf-8"



def run_crawls_in_subprocess(crawls: list[tuple[str, dict]], db: Path, cwd: Path,
                             base_url: str) -> None:
    """``run_crawls`` in a fresh interpreter."""
    overrides = {"HUGGINGFACE_BASE_URL": base_url, "DOWNLOAD_DELAY": "0"}
    run_crawls_subprocess(crawls, db, cwd, overrides)


def observed(db: Path) -> set[tuple]:
    return {(r["arxiv_id"], r["upvotes"], r["listed_on"], r["title"], r["format"]) for r in rows(
        db, "select o.arxiv_id, o.upvotes, o.listed_on, o.title, d.format "
            "from observations o join documents d on d.id = o.document_id")}


DAYS = {
    "2026-02-03": [("2602.30001", "Paper Boats on Still Water", 21), ("2602.30002", "Lantern Sums", 5)],
    "2026-02-04": [("2602.30003", "Counting Pebbles Slowly", 13)],
}


def serve_date_pages(server: LoopbackServer, days: dict[str, list[tuple]]) -> None:
    for day, papers in days.items():
        items = [daily_paper(aid, title, up, day) for aid, title, up in papers]
        server.add(f"/papers/date/{day}", date_page_html(items), content_type=HTML)


def expected(days: dict[str, list[tuple]]) -> set[tuple]:
    return {(aid, up, day, title, "huggingface-date-page")
            for day, papers in days.items() for aid, title, up in papers}


def test_pages_fetch_one_date_page_per_day_instead_of_the_api(server, tmp_path):
    serve_date_pages(server, DAYS)
    db = tmp_path / "papers.db"
    run_crawls_in_subprocess([("huggingface", {"since": "2026-02-03", "until": "2026-02-04",
                                               "pages": "true"})], db, tmp_path, server.base_url)

    assert sorted(p for p in server.requests if p != "/robots.txt") == [
        "/papers/date/2026-02-03", "/papers/date/2026-02-04"]
    assert server.count("/api/") == 0
    assert observed(db) == expected(DAYS)
    assert rows(db, "select id from rejects") == []
    [crawl] = crawl_rows(db)
    assert crawl["args"] == {"since": "2026-02-03", "until": "2026-02-04", "pages": True}
    assert crawl["stats"]["huggingface/documents/stored"] == 2
    assert crawl["stats"]["huggingface/observations/stored"] == 3
    assert crawl["stats"]["huggingface/requests/scheduled"] == 2


def test_ids_fetch_one_paper_page_each(server, tmp_path):
    server.add("/papers/2602.30011", paper_page_html(paper_props("2602.30011")), content_type=HTML)
    other = paper_props("2602.30012", numComments=9, dailyPaperRank=1)
    other["paper"] = {**other["paper"], "title": "Second Made-Up Crane Paper", "upvotes": 8}
    server.add("/papers/2602.30012", paper_page_html(other), content_type=HTML)
    db = tmp_path / "papers.db"
    run_crawls_in_subprocess([("huggingface", {"ids": "2602.30011v1,2602.30012"})], db, tmp_path,
                             server.base_url)

    assert sorted(p for p in server.requests if p != "/robots.txt") == [
        "/papers/2602.30011", "/papers/2602.30012"]
    found = rows(db, "select o.arxiv_id, o.upvotes, o.comments, o.title, o.extra, d.format, d.url "
                     "from observations o join documents d on d.id = o.document_id order by o.arxiv_id")
    assert [(r["arxiv_id"], r["upvotes"], r["comments"]) for r in found] == [
        ("2602.30011", 57, None), ("2602.30012", 8, 9)]  # 3 threads with replies: no count
    assert {r["format"] for r in found} == {"huggingface-paper-page"}
    assert [json.loads(r["extra"])["daily_paper_rank"] for r in found] == [3, 1]
    assert found[1]["url"] == f"{server.base_url}/papers/2602.30012"
    [crawl] = crawl_rows(db)
    assert crawl["args"] == {"ids": ["2602.30011", "2602.30012"]}


def test_pages_without_data_props_become_rejects_and_the_other_pages_are_kept(server, tmp_path):
    serve_date_pages(server, {"2026-02-03": DAYS["2026-02-03"]})
    server.add("/papers/date/2026-02-04", page("<h3>A card without data</h3><span>4</span>"),
               content_type=HTML)
    bad_item = [daily_paper("2602.30005", "Kept Beside A Broken Item", 6, "2026-02-05"),
                daily_paper(None, "An Item Without Id", 2, "2026-02-05")]
    server.add("/papers/date/2026-02-05", date_page_html(bad_item), content_type=HTML)
    server.add("/papers/2602.30011", paper_page_html(paper_props("2602.30011")), content_type=HTML)
    server.add("/papers/2602.30013", page("<h1>A paper page without its island</h1>"),
               content_type=HTML)
    db = tmp_path / "papers.db"
    run_crawls_in_subprocess([
        ("huggingface", {"since": "2026-02-03", "until": "2026-02-05", "pages": True}),
        ("huggingface", {"ids": "2602.30011,2602.30013"}),
    ], db, tmp_path, server.base_url)

    assert {o[0] for o in observed(db)} == {"2602.30001", "2602.30002", "2602.30005", "2602.30011"}
    base = server.base_url
    assert sorted((r["url"], r["reason"]) for r in rows(db, "select url, reason from rejects")) == [
        (f"{base}/papers/2602.30013", "Hugging Face page without data-props (paper page)"),
        (f"{base}/papers/date/2026-02-04", "Hugging Face page without data-props (DailyPapers)"),
        (f"{base}/papers/date/2026-02-05", "item 2: missing paper.id"),
    ]
    first, second = crawl_rows(db)
    assert first["status"] == second["status"] == "partial"  # a page without data-props in each
    assert first["stats"]["huggingface/rejects/hugging_face_page_without_data_props"] == 1
    assert first["stats"]["huggingface/rejects/missing_paper_id"] == 1
    assert first["stats"]["huggingface/documents/stored"] == 2
    assert second["stats"]["huggingface/documents/stored"] == 1


def test_scrapy_crawl_takes_pages_as_a_text_argument(server, tmp_path):
    serve_date_pages(server, {"2026-02-04": DAYS["2026-02-04"]})
    db = tmp_path / "papers.db"
    code = (
        "from scrapy.cmdline import execute\n"
        f"execute(['scrapy', 'crawl', 'huggingface', '-a', 'date=2026-02-04', '-a', 'pages=true',"
        f" '-s', 'RECONCILE_DB={db}', '-s', 'HUGGINGFACE_BASE_URL={server.base_url}',"
        " '-s', 'DOWNLOAD_DELAY=0', '-s', 'LOG_LEVEL=WARNING'])\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert server.count("/papers/date/2026-02-04") == 1 and server.count("/api/") == 0
    assert observed(db) == expected({"2026-02-04": DAYS["2026-02-04"]})


def test_page_arguments():
    args = HuggingfaceArgs.parse({"date": "2026-02-05", "pages": "true"})
    assert args.pages is True and [d.isoformat() for d in args.days()] == ["2026-02-05"]
    assert args.model_dump(mode="json", exclude_none=True) == {"date": "2026-02-05", "pages": True}
    plain = HuggingfaceArgs.parse({"date": "2026-02-05", "pages": "false"})
    assert plain.model_dump(mode="json", exclude_none=True) == {"date": "2026-02-05"}
    ids = HuggingfaceArgs.parse({"ids": " 2602.30011v2, arXiv:2602.30012,,2602.30011 "})
    assert ids.id_list() == ["2602.30011", "2602.30012"] and ids.days() == [] and ids.date is None
    for bad, message in [
        ({"ids": "2602.30011,banana"}, "ids: not arXiv ids: 'banana'"),
        ({"ids": " , "}, "ids: no ids given"),
        ({"ids": "2602.30011", "date": "2026-02-05"}, "either ids or date/since/until"),
        ({"pages": "sometimes"}, "pages: Input should be a valid boolean"),
        ({"page": "true"}, "unknown argument 'page'"),
    ]:
        with pytest.raises(ValueError, match=message):
            HuggingfaceArgs.parse(bad)


def test_problems_are_rejected_under_their_own_url_else_the_page_url(monkeypatch):
    url = "http://127.0.0.1:9/papers/date/2026-02-05"
    now = dt.datetime(2026, 2, 5, 12, tzinfo=dt.timezone.utc)
    document = Document(url=url, source=Source.HUGGINGFACE, format="huggingface-date-page",
                        observed_at=now,
                        observed_at_basis=TimeBasis.RESPONSE, sha256="0" * 64)
    problems = [Problem("item 1: missing paper.id"),
                Problem("asked for, not answered", url="https://huggingface.co/papers/2602.30099")]
    import scrapers.reading as reading_module

    monkeypatch.setattr(reading_module, "read_page", lambda *a, **k: PageResult(document, [], problems))
    spider = spider_module.HuggingfaceSpider(date="2026-02-05", pages="true")
    response = HtmlResponse(url, body=b"<html></html>", request=scrapy.Request(url),
                            headers={"Content-Type": "text/html"})
    items = list(spider.parse_page(response))
    assert isinstance(items[0], PageItem)
    assert [(i.url, i.reason) for i in items[1:] if isinstance(i, RejectItem)] == [
        (url, "item 1: missing paper.id"),
        ("https://huggingface.co/papers/2602.30099", "asked for, not answered")]
