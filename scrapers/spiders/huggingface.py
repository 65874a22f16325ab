"""Hugging Face daily papers: one request per listing day, or per paper page.

Arguments (``-a`` on the command line, keyword arguments to :func:`scrapers.run.run_crawls`)
are validated by :class:`HuggingfaceArgs`: ``date``, or ``since`` and ``until`` (days
``YYYY-MM-DD``, both ends included); neither means today (UTC). ``pages=true`` fetches each
day's list page (``/papers/date/D``) instead of the API; ``ids=ID,ID`` fetches those papers'
pages (``/papers/<id>``) and no days. The callback hands each body to
:func:`scrapers.pages.read_page`, which picks the format from the content; whatever cannot
be read becomes a :class:`~scrapers.items.RejectItem`, so nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import scrapy
from pydantic import SerializerFunctionWrapHandler, field_validator, model_serializer, model_validator
from twisted.python.failure import Failure

from reconcile.models import Source
from scrapers.items import RejectItem
from scrapers.pages.huggingface import daily_papers_url
from scrapers.pages.huggingface_html import date_page_url, paper_page_url

from .common import SpiderArgs, canonical_ids, page_cap, read_response, reject_for_failure, utcnow

log = logging.getLogger(__name__)


class HuggingfaceArgs(SpiderArgs):
    """What to fetch: the listing days ``date``, or ``since`` + ``until``, or today (UTC),
    from the API or, with ``pages``, from the date pages; or, with ``ids``, paper pages."""

    spider: ClassVar[str] = "huggingface"

    pages: bool = False
    ids: list[str] | None = None

    @field_validator("ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        """Canonical ids: a paper has one page, whatever version was asked for."""
        return canonical_ids(value)

    @model_validator(mode="after")
    def _range(self) -> HuggingfaceArgs:
        days = self.check_days()
        if self.ids and days:
            raise ValueError("give either ids or date/since/until, not both")
        if not days and not self.ids:
            self.date = utcnow().date()
        return self

    @model_serializer(mode="wrap")
    def _as_asked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The arguments without ``pages`` when it is off: the API is the default, and
        ``crawls.args`` of API crawls stay as they were before date pages existed."""
        data = handler(self)
        if not data.get("pages"):
            data.pop("pages", None)
        return data

    def id_list(self) -> list[str]:
        """The canonical arXiv ids asked for, in the order given."""
        return self.ids or []


class HuggingfaceSpider(scrapy.Spider):
    """Fetches ``/api/daily_papers?date=D`` (or ``/papers/date/D``) for each day asked
    for, or ``/papers/<id>`` for each id. The delay between requests is the
    ``DOWNLOAD_DELAY`` setting (or the site's ``DOWNLOAD_SLOTS`` entry)."""

    name = "huggingface"
    args_model = HuggingfaceArgs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = HuggingfaceArgs.parse(kwargs)
        super().__init__(*args)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per paper page asked for, else one per day, oldest first."""
        base_url = self.settings.get("HUGGINGFACE_BASE_URL")
        limit = self.settings.getint("HUGGINGFACE_PAGE_SIZE", 100)
        for url in [paper_page_url(base_url, aid) for aid in self.args.id_list()]:
            self.crawler.stats.inc_value("huggingface/requests/scheduled")
            yield scrapy.Request(url, callback=self.parse_page, errback=self.on_error)
        for day in self.args.days():
            self.crawler.stats.inc_value("huggingface/requests/scheduled")
            if self.args.pages:
                yield scrapy.Request(date_page_url(base_url, day.isoformat()), callback=self.parse_page,
                                     errback=self.on_error)
            else:
                yield scrapy.Request(daily_papers_url(base_url, day.isoformat(), limit), callback=self.parse_page,
                                     errback=self.on_error, meta={"day": day.isoformat(), "page": 0, "limit": limit})

    def parse_page(self, response: scrapy.http.Response) -> Any:
        """Read one API list, date page or paper page (``read_page`` tells them apart):
        a PageItem, plus a RejectItem per item that was skipped.

        An API page holding exactly the page size asked for may go on: the next page is
        asked for, until a shorter page (up to ``MAX_PAGES``). Whether the day was seen
        whole, and before or after it ended, is counted in the crawl's stats
        (``huggingface/list/...``); the ``missing`` check judges the stored pages by the
        same rules (:mod:`reconcile.checks.missing`)."""
        meta = response.meta
        moved = _redirected_day(response)
        if moved is not None:
            yield moved
            return
        result, items = read_response(response, Source.HUGGINGFACE)
        repeat = _repeated_page(response, result)
        if repeat is not None:  # its papers came with the page before: nothing new to store
            yield from (item for item in items if isinstance(item, RejectItem))
            yield repeat
            return
        yield from items
        if result is None or "limit" not in meta:
            return
        stats = self.crawler.stats
        raw = _items_in(response)
        if raw is not None and raw >= meta["limit"]:
            page = meta["page"] + 1
            capped = page_cap(self, Source.HUGGINGFACE, f"the Hugging Face list of {meta['day']}", page + 1,
                              response.url)
            if capped is not None:
                stats.inc_value("huggingface/list/cut")
                yield capped
                return
            base_url = self.settings.get("HUGGINGFACE_BASE_URL")
            stats.inc_value("huggingface/requests/scheduled")
            # Our own keys only: the response's meta holds Scrapy's (download_latency, ...),
            # which a new request must not carry (Scrapy warns of it, and they would lie).
            yield scrapy.Request(daily_papers_url(base_url, meta["day"], meta["limit"], page),
                                 callback=self.parse_page, errback=self.on_error,
                                 meta={"day": meta["day"], "limit": meta["limit"], "page": page,
                                       "previous_ids": sorted({o.arxiv_id for o in result.observations})})
            return
        day = dt.date.fromisoformat(meta["day"])
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
        if result.document.observed_at < end:
            stats.inc_value("huggingface/list/partial/before_day_end")
            log.info("the Hugging Face list of %s was seen before the day ended: partial", day)
        else:
            stats.inc_value("huggingface/list/complete")

    def on_error(self, failure: Failure) -> Any:
        """Turn a non-2xx response or a failed download into a RejectItem."""
        yield reject_for_failure(failure, Source.HUGGINGFACE)


def _redirected_day(response: scrapy.http.Response) -> RejectItem | None:
    """A reject when the list of one day was redirected to another day's (``date=`` differs):
    what came back is not the day asked, and is stored, if at all, by that day's own request.
    Why: such a redirect left the day asked with no document and no word."""
    day = response.meta.get("day")
    answered = parse_qs(urlsplit(response.url).query).get("date", [day])[0]
    if day is None or answered == day:
        return None
    asked = (response.meta.get("redirect_urls") or [response.request.url])[0]
    return RejectItem(asked, Source.HUGGINGFACE, f"the Hugging Face list of {day} was redirected to the list of "
                      f"{answered} ({response.url}): the day asked was not read", None, "redirected_to_another_day",
                      failed_request=True)


def _repeated_page(response: scrapy.http.Response, result: Any) -> RejectItem | None:
    """A reject when a follow-up page of a day's list holds only papers of the page before.

    Why: an API that ignores ``p`` answers the first page every time; each full page asked
    for the next, so a day cost ``MAX_PAGES`` requests (over three minutes at the default
    delay) and stored the same 100 papers 200 times. The papers after the first page are not
    read, so the crawl is ``partial``."""
    previous = response.meta.get("previous_ids")
    if result is None or previous is None:
        return None
    ids = {o.arxiv_id for o in result.observations}
    if not ids or not ids <= set(previous):
        return None
    page = response.meta.get("page", 0)
    return RejectItem(response.url, Source.HUGGINGFACE,
                      f"the Hugging Face list of {response.meta.get('day')}: page {page} repeats the papers of page "
                      f"{page - 1} (the API ignores p): listing not read to its end", None, "repeated_page",
                      failed_request=True)


def _items_in(response: scrapy.http.Response) -> int | None:
    """How many papers an API page holds as the server sent it (before any was skipped),
    or None when the body is not a JSON list."""
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return len(data) if isinstance(data, list) else None
