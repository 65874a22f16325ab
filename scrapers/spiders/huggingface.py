"""Hugging Face daily papers: one API request per listing day.

Arguments (``-a`` on the command line, keyword arguments to :func:`scrapers.run.run_crawls`)
are validated by :class:`HuggingfaceArgs`: ``date``, or ``since`` and ``until`` (days
``YYYY-MM-DD``, both ends included); neither means today (UTC). The callback hands each
body to :func:`scrapers.pages.read_page`; whatever cannot be read becomes a
:class:`~scrapers.items.RejectItem`, so nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from reconcile.models import Source
from scrapers.items import PageItem, RejectItem
from scrapers.pages import PageError, read_page
from scrapers.pages.huggingface import daily_papers_url

log = logging.getLogger(__name__)

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class HuggingfaceArgs(BaseModel):
    """Which listing days to fetch: ``date``, or ``since`` + ``until``, or today (UTC)."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @field_validator("date", "since", "until", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        if not _DAY.fullmatch(text):
            raise ValueError(f"expected a day YYYY-MM-DD, got {text!r}")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a calendar day") from None

    @model_validator(mode="after")
    def _range(self) -> HuggingfaceArgs:
        if self.date is not None and (self.since or self.until):
            raise ValueError("give either date or since/until, not both")
        if (self.since is None) != (self.until is None):
            raise ValueError("since and until go together")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        if self.date is None and self.since is None:
            self.date = _utcnow().date()
        return self

    def days(self) -> list[dt.date]:
        """Every day asked for, oldest first."""
        first, last = (self.date, self.date) if self.date else (self.since, self.until)
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    @classmethod
    def parse(cls, kwargs: dict[str, Any]) -> HuggingfaceArgs:
        """Validate spider keyword arguments; a bad one raises ValueError with one line.

        Arguments starting with ``_`` are ignored: scrapyd passes ``_job`` to every spider.
        """
        given = {k: v for k, v in kwargs.items() if not k.startswith("_")}
        try:
            return cls.model_validate(given)
        except ValidationError as exc:
            raise ValueError(f"huggingface arguments: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"])
        if error["type"] == "extra_forbidden":
            known = ", ".join(HuggingfaceArgs.model_fields)
            parts.append(f"unknown argument {where!r} (known: {known})")
        else:
            message = error["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


class HuggingfaceSpider(scrapy.Spider):
    """Fetches ``/api/daily_papers?date=D`` for each day asked for."""

    name = "huggingface"
    args_model = HuggingfaceArgs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = HuggingfaceArgs.parse(kwargs)
        super().__init__(*args)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per day, oldest first."""
        base_url = self.settings.get("HUGGINGFACE_BASE_URL")
        for day in self.args.days():
            self.crawler.stats.inc_value("huggingface/requests/scheduled")
            yield scrapy.Request(daily_papers_url(base_url, day.isoformat()),
                                 callback=self.parse_day, errback=self.on_error)

    def parse_day(self, response: scrapy.http.Response) -> Any:
        """Read one day's list: a PageItem, plus a RejectItem per item that was skipped."""
        fetched_at = response.meta.get("fetched_at") or _utcnow()
        if isinstance(fetched_at, str):
            fetched_at = dt.datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        headers = dict(response.headers.to_unicode_dict())
        try:
            result = read_page(response.url, response.body, headers,
                               source=Source.HUGGINGFACE, fetched_at=fetched_at)
        except PageError as exc:
            yield RejectItem(response.url, Source.HUGGINGFACE, exc.reason, exc.excerpt)
            return
        except Exception as exc:  # a parser bug must not end the crawl: keep the evidence
            log.exception("parser failed on %s", response.url)
            yield RejectItem(response.url, Source.HUGGINGFACE,
                             f"parser error {type(exc).__name__}: {exc}",
                             response.body[:300].decode("utf-8", "replace"), "parser_error")
            return
        yield PageItem(response.url, result)
        for problem in result.problems:
            yield RejectItem(response.url, Source.HUGGINGFACE, problem.reason, problem.excerpt)

    def on_error(self, failure: Failure) -> Any:
        """Turn a non-2xx response or a failed download into a RejectItem."""
        url = failure.request.url
        exc = failure.value
        if failure.check(HttpError):
            response = exc.response
            yield RejectItem(url, Source.HUGGINGFACE, f"HTTP {response.status} for {url}",
                             response.body[:300].decode("utf-8", "replace") or None,
                             f"http_{response.status}")
            return
        message = " ".join(str(exc).split()) or type(exc).__name__
        if failure.check(IgnoreRequest):
            reason = message if url in message else f"{message}: {url}"
            key = "replay_miss" if message.startswith("not in replay") else None
        else:
            reason = f"{type(exc).__name__}: {message} for {url}"
            key = f"download_{type(exc).__name__.lower()}"
        yield RejectItem(url, Source.HUGGINGFACE, reason, None, key)
