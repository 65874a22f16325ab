"""Defects probe28 found with made-up data (rank, quirks, days, ids, counts), each with a test
that fails on the code before its fix. The inputs are written here."""

from __future__ import annotations

import datetime as dt
import json

from scrapers.pages import read_page


def _daily_json(likes: list[int], crawled_at: str = "2026-11-11T03:00:00") -> bytes:
    papers = [{"title": f"Made-up Paper Number {i}", "url": f"https://huggingface.co/papers/2611.0110{i}",
               "likes": n, "paper_link": f"https://arxiv.org/abs/2611.0110{i}"} for i, n in enumerate(likes)]
    return json.dumps({"date": "2026-11-10", "crawled_at": crawled_at, "total_papers": len(papers),
                       "papers": papers}).encode()


URL = "https://raw.githubusercontent.com/lim4349/lim4349.github.io/HEAD/_data/papers/daily-2026-11-10.json"


def test_a_list_whose_every_item_says_0_upvotes_states_no_counts():
    # A crawl that read 0 likes for every paper (the real lim4349 JSON of 2025-11-05 does):
    # kept, each was "fell from 44 to 0" against Hugging Face's count, and the merged count.
    result = read_page(URL, _daily_json([0, 0, 0, 0]))
    assert [o.upvotes for o in result.observations] == [None] * 4
    assert any("every one of its 4 items says 0 upvotes" in p.reason for p in result.problems)
    # Counts of which some are 0, and two items that say 0, are counts.
    assert [o.upvotes for o in read_page(URL, _daily_json([5, 0, 0])).observations] == [5, 0, 0]
    assert [o.upvotes for o in read_page(URL, _daily_json([0, 0])).observations] == [0, 0]


def test_a_capture_time_after_the_moment_of_reading_is_not_used():
    # A crawler whose clock ran a year ahead: its list outranked every real capture for good.
    ahead = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%S")
    saved = dt.datetime(2026, 11, 12, tzinfo=dt.timezone.utc)  # the saved file's time
    result = read_page(URL, _daily_json([9, 5, 3], crawled_at=ahead), mtime=saved)
    assert result.document.observed_at == saved and result.document.observed_at_basis.value == "file_mtime"
    assert result.document.observed_at <= dt.datetime.now(dt.timezone.utc)
    assert any("the capture time it states" in p.reason and "is after the moment it was read" in p.reason
               for p in result.problems)
    # A time of the past, and one a few minutes ahead (a clock's skew), are kept.
    kept = read_page(URL, _daily_json([9, 5, 3], crawled_at="2026-11-11T03:00:00"))
    assert kept.document.observed_at == dt.datetime(2026, 11, 11, 3, tzinfo=dt.timezone.utc)
    soon = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%S")
    assert read_page(URL, _daily_json([9, 5, 3], crawled_at=soon)).document.observed_at_basis.value == "stated_capture"


def test_a_capture_time_after_our_response_is_not_used():
    fetched = dt.datetime(2026, 11, 11, 2, 0, tzinfo=dt.timezone.utc)
    result = read_page(URL, _daily_json([9, 5, 3], crawled_at="2026-11-11T05:00:00"), fetched_at=fetched)
    assert result.document.observed_at == fetched
