"""Issue 13, point 1: one way to read a document, under one rule.

``scrapers.reading.read_document`` / ``read_path`` serve ``reconcile ingest``, every crawl
callback and the tests: any error while reading one document is that document's refusal
with a one-line reason, and nothing else is lost.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reconcile.models import Source
from reconcile.store import Store
from scrapers.ingest import ingest_paths
from scrapers.reading import read_document, read_path

UTC = dt.timezone.utc
HF_DAY = json.dumps([{"paper": {"id": "2602.00001", "title": "Heron Counting at Dawn", "upvotes": 4,
                                "authors": [{"name": "A. Heron"}]},
                      "publishedAt": "2026-02-05T10:00:00.000Z"}]).encode()


def _broken(monkeypatch, exc: BaseException) -> None:
    """Make the Hugging Face API parser raise ``exc`` (a parser bug on odd input); every
    other format reads as before."""
    import dataclasses

    import scrapers.pages as pages

    choose = pages.choose_format

    def parse(text, url, **_):
        raise exc

    def choose_broken(*args, **kwargs):
        fmt = choose(*args, **kwargs)
        return dataclasses.replace(fmt, parse=parse) if fmt.name == "huggingface-daily-papers" else fmt

    monkeypatch.setattr(pages, "choose_format", choose_broken)


def test_a_good_document_is_read_with_no_refusal():
    reading = read_document("https://huggingface.co/api/daily_papers?date=2026-02-05", HF_DAY, {},
                            fetched_at=dt.datetime(2026, 2, 6, tzinfo=UTC))
    assert reading.result is not None and not reading.refusals
    assert [o.arxiv_id for o in reading.result.observations] == ["2602.00001"]
    assert reading.source is Source.HUGGINGFACE


@pytest.mark.parametrize("exc, words", [
    (AttributeError("'int' object has no attribute 'strip'"), "parser error AttributeError"),
    (ValueError("day is out of range for month"), "parser error ValueError"),
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "parser error UnicodeDecodeError"),
])
def test_any_error_while_reading_is_the_documents_one_line_refusal(monkeypatch, exc, words):
    _broken(monkeypatch, exc)
    reading = read_document("https://huggingface.co/api/daily_papers?date=2026-02-05", HF_DAY, {})
    assert reading.result is None
    [refusal] = reading.refusals
    assert refusal.whole and words in refusal.reason and "\n" not in refusal.reason
    assert refusal.excerpt  # the start of what could not be read, to look at


def test_a_person_stopping_the_run_is_not_a_bad_document(monkeypatch):
    _broken(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        read_document("https://huggingface.co/api/daily_papers?date=2026-02-05", HF_DAY, {})


def test_a_file_that_cannot_be_read_is_a_refusal(tmp_path):
    reading = read_path(tmp_path / "gone.json")
    assert reading.result is None and reading.refusals[0].whole
    assert "No such file" in reading.refusals[0].reason


def test_ingest_keeps_every_good_file_beside_a_reader_bug(monkeypatch, tmp_path):
    """The bug hits one format; the other files of the same run are stored, the bad one is a
    ``rejects`` row, and ingesting again adds nothing."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hf.json").write_bytes(HF_DAY)
    (tmp_path / "in" / "post.md").write_text(
        "# Daily papers 2026-02-05\n\n1. [Otter Tracking in Rivers](https://arxiv.org/abs/2602.00002)\n"
        "2. [Badger Burrows at Scale](https://arxiv.org/abs/2602.00003)\n", encoding="utf-8")
    _broken(monkeypatch, TypeError("unsupported operand"))
    store = Store(tmp_path / "p.db")
    summary = ingest_paths(store, [str(tmp_path / "in")])
    assert (summary.stored, summary.failed) == (1, 1)
    [reject] = store.rejects()
    assert reject.url.endswith("hf.json") and "parser error TypeError" in reject.reason
    again = ingest_paths(store, [str(tmp_path / "in")])
    assert (again.stored, again.duplicates) == (0, 1) and len(store.rejects()) == 1


def test_crawl_callbacks_read_through_the_same_reader(monkeypatch):
    """``read_response`` (every spider's callback) turns the same bug into one reject item."""
    from scrapy.http import HtmlResponse, Request

    from scrapers.items import RejectItem
    from scrapers.spiders.common import read_response

    _broken(monkeypatch, AttributeError("'int' object has no attribute 'strip'"))
    url = "https://huggingface.co/api/daily_papers?date=2026-02-05"
    response = HtmlResponse(url, body=HF_DAY, request=Request(url), headers={"Content-Type": "application/json"})
    result, [item] = read_response(response, Source.HUGGINGFACE)
    assert result is None and isinstance(item, RejectItem) and item.failed_request
    assert item.key == "parser_error" and "parser error AttributeError" in item.reason


def test_an_error_outside_any_parser_is_a_refusal_too(monkeypatch):
    """Decoding, repairing, stamping: whatever raises while reading is the document's."""
    import scrapers.pages as pages

    def decode(body, declared, stated=None):
        raise LookupError("unknown encoding: x-lying")

    monkeypatch.setattr(pages, "decode_body", decode)
    reading = read_document("https://huggingface.co/api/daily_papers?date=2026-02-05", HF_DAY, {})
    assert reading.result is None
    assert reading.refusals[0].reason == "reader error LookupError: unknown encoding: x-lying"
    assert reading.refusals[0].key == "parser_error"


def test_every_reader_builds_dates_through_one_guard():
    """Issue 13: an impossible date is left empty, never a crash of the whole read."""
    from scrapers.pages.base import calendar_day, parse_date

    assert calendar_day(2026, 2, 28) == dt.date(2026, 2, 28)
    assert calendar_day("2026", "2", "30") is None and calendar_day(2026, 13, 1) is None
    assert calendar_day(10**20, 1, 1) is None
    assert parse_date("Published: Feb 30, 2026") is None and parse_date("2026-02-30") is None
    assert parse_date("30 Feb 2026") is None and parse_date("Feb 28, 2026") == dt.date(2026, 2, 28)
