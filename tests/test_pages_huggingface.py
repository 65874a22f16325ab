"""The Hugging Face daily-papers parser on every recorded API response in ../shared."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reconcile.models import Source
from scrapers.pages import PageError, read_page

from .support import SHARED, needs_shared

MTIME = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
API_FILES = sorted((SHARED / "samples" / "hf-daily-papers-api").rglob("*.json")) if SHARED else []


def read(path, url=None):
    return read_page(url or path.resolve().as_uri(), path.read_bytes(), {}, mtime=MTIME)


@needs_shared
def test_samples_are_there():
    assert len(API_FILES) >= 70


@pytest.mark.parametrize("path", API_FILES, ids=[p.name for p in API_FILES])
def test_every_item_of_every_sample_is_read(path):
    items = json.loads(path.read_bytes())
    result = read(path)
    assert result.document.format == "huggingface-daily-papers"
    assert not result.problems
    assert len(result.observations) == len(items)
    for item, obs in zip(items, result.observations):
        assert obs.source == Source.HUGGINGFACE
        assert obs.arxiv_id == item["paper"]["id"]
        assert obs.upvotes == item["paper"]["upvotes"]
        assert obs.comments == item.get("numComments")
        assert obs.authors == [" ".join(a["name"].split()) for a in item["paper"]["authors"]]
        assert "\n" not in obs.title
        # paper.publishedAt, not the shifted top-level publishedAt
        assert obs.published == dt.date.fromisoformat(item["paper"]["publishedAt"][:10])
        assert obs.listed_on is not None


@needs_shared
def test_current_schema_facts():
    path = SHARED / "samples/hf-daily-papers-api/window-2025-11_2026-01/2026-01-29.json"
    first = read(path).observations[0]
    assert first.arxiv_id == "2601.20614"
    assert first.title.startswith("Harder Is Better")
    assert (first.upvotes, first.comments) == (85, 2)
    assert first.organization == "AMAP-ML"
    assert first.published == dt.date(2026, 1, 28)
    assert first.listed_on == dt.date(2026, 1, 29)
    assert first.extra["github_repo"] == "https://github.com/AMAP-ML/MathForge"
    assert first.extra["github_stars"] == 7
    assert first.extra["submitter"] == "YanqiDai"
    assert first.extra["ai_summary"] and first.extra["ai_keywords"]
    assert first.extra["position"] == 1


@needs_shared
def test_2024_schema_facts():
    path = SHARED / "samples/hf-daily-papers-api/raw-bytes-2024-old-schema/daily_papers_2024-03-12.json"
    result = read(path)
    assert len(result.observations) == 9
    first = result.observations[0]
    assert (first.arxiv_id, first.upvotes, first.comments) == ("2403.06634", 63, 3)
    assert first.title == "Stealing Part of a Production Language Model"
    assert first.authors[:2] == ["Nicholas Carlini", "Daniel Paleka"]
    assert first.published == dt.date(2024, 3, 11)
    assert first.listed_on == dt.date(2024, 3, 12)
    assert first.extra["schema"] == "2024"
    # Asked for by URL, the requested day is the listing day.
    by_url = read(path, "https://huggingface.co/api/daily_papers?date=2024-03-12").observations[0]
    assert by_url.extra["listed_on_from"] == "request"


def _item(pid, title="A made-up paper", upvotes=3):
    return {"paper": {"id": pid, "authors": [{"name": "A. Person", "hidden": False},
                                            {"name": "B. Hidden", "hidden": True}],
                      "publishedAt": "2026-02-04T10:00:00.000Z", "title": title,
                      "summary": "Made-up abstract.", "upvotes": upvotes,
                      "submittedOnDailyAt": "2026-02-05T01:00:00.000Z"},
            "numComments": 1, "title": title}


def _read_bytes(data: bytes):
    return read_page("https://huggingface.co/api/daily_papers?date=2026-02-05", data,
                     {"Content-Type": "application/json"}, source=Source.HUGGINGFACE, mtime=MTIME)


def test_items_without_paper_id_are_problems_and_the_rest_is_kept():
    body = json.dumps([_item("2602.00001"), {"paper": {"title": "no id"}}, {"title": "no paper"},
                       _item("not-an-id"), _item("2602.00002v3", upvotes=-1), _item("2602.00003")]).encode()
    result = _read_bytes(body)
    # The item whose count is refused is kept without it: it is on the day's list (a
    # complete list that lost it would make its paper "missing").
    assert [(o.arxiv_id, o.upvotes) for o in result.observations] == [
        ("2602.00001", 3), ("2602.00002", None), ("2602.00003", 3)]
    reasons = [p.reason for p in result.problems]
    assert reasons[0] == "item 2: missing paper.id" and reasons[1] == "item 3: missing paper.id"
    assert "is not an arXiv id" in reasons[2]
    assert "an item's upvotes (left empty; the item is kept)" in reasons[3] and "-1" in reasons[3]
    assert result.observations[0].extra["hidden_authors"] == ["B. Hidden"]


@pytest.mark.parametrize("body,message", [
    (b'[{"paper": {"id": "2602.00001"', "not valid JSON"),
    (b'{"error": "Invalid date"}', "Hugging Face API error: Invalid date"),
    (b'{"papers": []}', "expected a JSON list"),
    (b"<html>rate limited</html>", "an HTML page without a title"),
    (b'[{"paper": {"title": "no id"}}]', r"no papers in this document \(item 1: missing paper.id\)"),
])
def test_bad_bodies_raise_one_line_reasons(body, message):
    with pytest.raises(PageError, match=message) as info:
        _read_bytes(body)
    assert "\n" not in info.value.reason


def test_an_empty_day_is_a_document_without_observations():
    result = _read_bytes(b"[]")
    assert result.observations == [] and result.problems == []
    assert result.document.format == "huggingface-daily-papers"


def test_read_daily_item_is_the_one_reader_of_an_item():
    from scrapers.pages.base import Parsed
    from scrapers.pages.huggingface import read_daily_item

    parsed = Parsed()
    item = _item("2602.00004v2")
    del item["paper"]["submittedOnDailyAt"]
    obs = read_daily_item(parsed, item, 5, requested_day="2026-02-06", extra={"list_key": "papers"})
    assert parsed.observations == [obs] and parsed.problems == []
    assert (obs.arxiv_id, obs.arxiv_version, obs.comments) == ("2602.00004", 2, 1)
    assert obs.listed_on == dt.date(2026, 2, 6)
    assert obs.extra["listed_on_from"] == "request" and obs.extra["position"] == 5
    assert obs.extra["list_key"] == "papers" and obs.extra["hidden_authors"] == ["B. Hidden"]
    # A lone paper (a paper page) has no position; its problems say so.
    assert read_daily_item(parsed, {"paper": {"title": "no id"}}) is None
    assert read_daily_item(parsed, _item("2602.00005", upvotes=-2), 2).upvotes is None  # kept without it
    assert [p.reason.split(":")[0] for p in parsed.problems] == ["paper", "item 2"]
    assert "an item's upvotes (left empty; the item is kept)" in parsed.problems[1].reason
    assert len(parsed.observations) == 2
    lone = read_daily_item(parsed, _item("2602.00006"))
    assert "position" not in lone.extra
