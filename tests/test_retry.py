"""Polite retries (scrapers/retry.py): Retry-After parsing, backoff, and the middleware.

The parsing and backoff are pure functions, tested without a reactor. The middleware is
tested twice: directly, with a stand-in crawler and ``asyncio.run`` for its waits, and end
to end, crawling the huggingface spider against a loopback server whose answers are 429 or
503 first. Waits are checked from arrival times at the server, with lower bounds only.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from .loopback import Canned, LoopbackServer, daily_papers_body
from scrapers.retry import (
    PoliteRetryMiddleware,
    RetryAfterTooLong,
    backoff_seconds,
    retry_after_seconds,
)

NOW = dt.datetime(2026, 2, 5, 9, 0, 0, tzinfo=dt.timezone.utc)
API = "/api/daily_papers"


# -- Retry-After and backoff (no reactor) ------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("120", 120.0),
    (b"7", 7.0),
    (" 0 ", 0.0),
    ("Thu, 05 Feb 2026 09:01:30 GMT", 90.0),          # IMF-fixdate
    ("Thursday, 05-Feb-26 09:00:10 GMT", 10.0),        # obsolete RFC 850
    ("Thu Feb  5 09:00:05 2026", 5.0),                 # obsolete asctime, read as GMT
    ("Thu, 05 Feb 2026 08:00:00 GMT", 0.0),            # in the past: now
])
def test_retry_after_reads_seconds_and_http_dates(value, expected):
    assert retry_after_seconds(value, NOW) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "1e3", "Thu, 99 Foo 2026",
                                   "120 seconds", b"\xff\xfe"])
def test_retry_after_garbage_is_none(value):
    assert retry_after_seconds(value, NOW) is None


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert [backoff_seconds(n, 5.0, 60.0) for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 40, 60]
    assert backoff_seconds(3, 0.2, 60.0) == pytest.approx(0.8)
    assert backoff_seconds(0, 5.0, 60.0) == 0.0
    assert backoff_seconds(2, 0.0, 60.0) == 0.0


# -- the middleware, directly -------------------------------------------------------------------

def middleware(**settings: Any) -> PoliteRetryMiddleware:
    """The middleware over a stand-in crawler holding the project's settings."""
    values = Settings()
    values.setmodule("scrapers.settings", priority="project")
    values.setdict(settings, priority="cmdline")
    crawler = SimpleNamespace(settings=values, crawling=True)
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.spider = SimpleNamespace(crawler=crawler, name="test")
    return PoliteRetryMiddleware(crawler)


def respond(mw: PoliteRetryMiddleware, request: Request, status: int,
            headers: dict[str, str] | None = None) -> tuple[Any, float]:
    response = Response(request.url, status=status, headers=headers or {}, request=request)
    began = time.monotonic()
    result = asyncio.run(mw.process_response(request, response))
    return result, time.monotonic() - began


def test_a_503_with_retry_after_waits_that_long_and_returns_the_retry():
    mw = middleware()
    request = Request("https://example.org/x")
    retry, took = respond(mw, request, 503, {"Retry-After": "1"})
    assert isinstance(retry, Request) and retry.url == request.url
    assert retry.meta["retry_times"] == 1 and retry.dont_filter
    assert took >= 0.95
    stats = mw.stats.get_stats()
    assert stats["retry/after/503"] == 1 and stats["retry/backoff_seconds"] == 1
    assert stats["retry/count"] == 1 and stats["retry/reason_count/503 Service Unavailable"] == 1


def test_a_429_without_retry_after_backs_off_exponentially():
    mw = middleware(RETRY_BACKOFF_BASE=0.1, RETRY_TIMES=3)
    request = Request("https://example.org/x")
    waits = []
    for _ in range(2):
        request, took = respond(mw, request, 429)
        waits.append(took)
    assert request.meta["retry_times"] == 2
    assert waits[0] >= 0.09 and waits[1] >= 0.19, waits
    assert mw.stats.get_value("retry/backoff_seconds") == pytest.approx(0.3)
    assert mw.stats.get_value("retry/after/429") is None


def test_a_retry_after_beyond_the_maximum_gives_up_at_once():
    mw = middleware(RETRY_AFTER_MAX=30)
    began = time.monotonic()
    with pytest.raises(RetryAfterTooLong, match=r"Retry-After 3600 s, longer than RETRY_AFTER_MAX 30 s"):
        respond(mw, Request("https://example.org/x"), 503, {"Retry-After": "3600"})
    assert time.monotonic() - began < 5
    assert mw.stats.get_value("retry/gave_up/retry_after_too_long") == 1
    assert mw.stats.get_value("retry/count") is None


def test_no_wait_when_retries_are_used_up_or_not_wanted():
    mw = middleware()
    spent = Request("https://example.org/x", meta={"retry_times": 2})
    response, took = respond(mw, spent, 503, {"Retry-After": "5"})
    assert isinstance(response, Response) and response.status == 503 and took < 2
    assert mw.stats.get_value("retry/max_reached") == 1
    for request, status in [(Request("https://example.org/y", meta={"dont_retry": True}), 503),
                            (Request("https://example.org/z"), 404)]:
        response, _ = respond(mw, request, status, {"Retry-After": "5"})
        assert isinstance(response, Response) and response.status == status
    assert mw.stats.get_value("retry/backoff_seconds") is None


def test_a_replayed_503_is_retried_without_waiting():
    mw = middleware()
    request = Request("https://example.org/x", meta={"replayed": True})
    retry, took = respond(mw, request, 503, {"Retry-After": "5"})
    assert isinstance(retry, Request) and took < 2
    assert mw.stats.get_value("retry/backoff_seconds") is None


def test_other_retryable_statuses_and_download_errors_retry_at_once():
    mw = middleware()
    retry, took = respond(mw, Request("https://example.org/x"), 500, {"Retry-After": "5"})
    assert isinstance(retry, Request) and took < 2
    from twisted.internet.error import TimeoutError as DownloadTimeout

    assert isinstance(mw.process_exception(Request("https://example.org/t"), DownloadTimeout()), Request)
    assert mw.process_exception(Request("https://example.org/v"), ValueError("not a download error")) is None


def test_a_shutdown_ends_the_wait_and_hands_back_the_response():
    mw = middleware()

    async def stop_soon() -> Any:
        request = Request("https://example.org/x")
        response = Response(request.url, status=503, headers={"Retry-After": "60"}, request=request)
        task = asyncio.ensure_future(mw.process_response(request, response))
        await asyncio.sleep(0.3)
        mw.crawler.crawling = False
        return await task

    began = time.monotonic()
    result = asyncio.run(stop_soon())
    assert isinstance(result, Response) and result.status == 503
    assert time.monotonic() - began < 5


# -- end to end, with the huggingface spider -----------------------------------------------------

@pytest.fixture
def server():
    """A loopback server, stopped after the test."""
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def crawl_day(server: LoopbackServer, db: Path, cwd: Path, day: str, **settings: Any) -> float:
    """Crawl one Hugging Face day in a fresh interpreter; returns the seconds it took."""
    overrides = {"HUGGINGFACE_BASE_URL": server.base_url, "DOWNLOAD_DELAY": "0",
                 **{k: str(v) for k, v in settings.items()}}
    code = ("from scrapers.run import run_crawls\n"
            f"run_crawls([('huggingface', {{'date': {day!r}}})], db_path={str(db)!r}, "
            f"settings_overrides={overrides!r})\n")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SCRAPY_") and k != "RECONCILE_DB" and "proxy" not in k.lower()}
    began = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return time.monotonic() - began


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_crawl_backs_off_on_429_then_stores_the_data(server, tmp_path):
    path = f"{API}?date=2026-02-03&limit=100"
    body = daily_papers_body("2026-02-03", [("2602.10001", "Sparse Toy Routing", 42)])
    server.add_sequence(path, Canned.of("too many", 429, "text/plain"),
                        Canned.of("too many", 429, "text/plain"), Canned.of(body))
    db = tmp_path / "papers.db"
    crawl_day(server, db, tmp_path, "2026-02-03", RETRY_BACKOFF_BASE=0.2)

    times = server.arrival_times(API)
    assert len(times) == 3
    assert times[1] - times[0] >= 0.18 and times[2] - times[1] >= 0.38, times
    assert query(db, "select arxiv_id, upvotes from observations") == [("2602.10001", 42)]
    assert query(db, "select reason from rejects") == []


def test_crawl_gives_up_quickly_on_a_retry_after_beyond_the_maximum(server, tmp_path):
    server.add(f"{API}?date=2026-02-04&limit=100", "maintenance", 503, "text/plain",
               headers={"Retry-After": "3600"})
    db = tmp_path / "papers.db"
    took = crawl_day(server, db, tmp_path, "2026-02-04", RETRY_AFTER_MAX=10)

    assert server.count(API) == 1
    url = f"{server.base_url}{API}?date=2026-02-04&limit=100"
    assert query(db, "select reason, url from rejects") == [(
        f"HTTP 503 with Retry-After 3600 s, longer than RETRY_AFTER_MAX 10 s: gave up on {url}", url)]
    assert took < 60  # not an hour; the bound only has to tell "gave up" from "waited"
