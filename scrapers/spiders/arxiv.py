"""arXiv: the export API (by id or by category and day), the RSS feed, and OAI-PMH.

Arguments (``-a`` on the command line, keyword arguments to :func:`scrapers.run.run_crawls`)
are validated by :class:`ArxivArgs`; one mode per crawl:

- ``ids=ID,ID,...``: API ``id_list`` requests of at most ``ARXIV_PAGE_SIZE`` ids each, with
  ``max_results`` = the batch size (the API's default of 10 would cut a batch short).
- ``missing=true``: the ids other sources' observations carry and arXiv was not asked for
  yet (:meth:`reconcile.store.Store.arxiv_ids_to_fetch`), then as ``ids``. An id arXiv does
  not know becomes a ``rejects`` row with url ``https://arxiv.org/abs/<id>``, which is how
  the next ``missing`` crawl knows it was asked.
- ``date=D`` or ``since``/``until``, optional ``category=C`` (``via=api``, the default): the
  submissions of those days, ``search_query=cat:C AND submittedDate:[...]`` sorted by
  submission date, paged with ``start``/``max_results`` until ``start + returned >= total``
  or an empty page, asked for twice (a total that lies cannot make the crawl loop); an
  empty page before the total is a reject, and the crawl ``partial``.
- ``via=rss category=C``: today's announcements, ``ARXIV_RSS_URL`` + C.
- ``via=oai`` with ``date`` or ``since``/``until``, optional ``category`` as the OAI set
  (``cs``, ``physics:astro-ph``): ``ListRecords`` with metadataPrefix ``arXiv``, then
  resumption tokens until the token is empty (a token seen before is a reject: the listing
  loops, and was not read to its end). OAI days are datestamps (last change of a
  record), not submission days.

Politeness: arXiv asks for one request every 3 seconds on one connection. Every request
goes through one download slot, ``arxiv``, with concurrency 1, no jitter and a delay of
``ARXIV_DELAY`` seconds, whichever arXiv host it is for; and the requests are strictly
sequential: :meth:`ArxivSpider.start` yields the first, each callback (or errback) the next,
so one arXiv request at most is in flight and a 429/503 wait in
:mod:`scrapers.retry` holds the whole crawl, as arXiv wants.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import AsyncIterator
from typing import Any, ClassVar, Literal
from urllib.parse import urlencode

import scrapy
from pydantic import SerializerFunctionWrapHandler, field_validator, model_serializer, model_validator
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from reconcile.models import Source
from reconcile.store import Store, default_db_path
from scrapers.items import RejectItem
from scrapers.pages import PageResult
from scrapers.reading import read_document

from .common import (SpiderArgs, add_download_slots, canonical_ids, page_cap, read_response, reject_for_failure,
                     response_time)

log = logging.getLogger(__name__)

SLOT = "arxiv"  # the download slot every arXiv request goes through
# An arXiv category (cs.CL, hep-th, math.AG), an archive (cs), or an OAI set (physics:astro-ph).
_CATEGORY = re.compile(r"[a-z][a-z-]*(?:[.:][A-Za-z][A-Za-z-]*)*")
Mode = Literal["ids", "missing", "search", "rss", "oai"]


class ArxivArgs(SpiderArgs):
    """One crawl mode: ``ids``, ``missing``, days (+ ``category``) via api or oai, or rss."""

    spider: ClassVar[str] = "arxiv"

    ids: list[str] | None = None
    missing: bool = False
    category: str | None = None
    via: Literal["api", "rss", "oai"] = "api"

    @field_validator("ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return canonical_ids(value)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is None:
            return None
        text = value.strip()
        if not all(_CATEGORY.fullmatch(part) for part in text.split("+")):
            raise ValueError(f"not an arXiv category: {text!r}")
        return text

    @model_validator(mode="after")
    def _one_mode(self) -> ArxivArgs:
        days = self.check_days()
        chosen = [name for name, given in (("ids", self.ids is not None),
                                           ("missing=true", self.missing),
                                           ("date/since/until", days)) if given]
        if len(chosen) > 1:
            raise ValueError("give one of ids, missing=true or date/since/until, "
                             f"not {' and '.join(chosen)}")
        category = self.category or ""
        if self.via == "rss":
            if chosen:
                raise ValueError("via=rss reads today's feed of a category: give only category")
            if not self.category:
                raise ValueError("via=rss needs a category")
            if ":" in category:
                raise ValueError(f"{category!r} is an OAI set, not an RSS category")
        elif self.via == "oai":
            if not days:
                raise ValueError("via=oai needs date or since/until")
            if "+" in category:
                raise ValueError("via=oai takes one set as category")
        else:
            if not chosen:
                raise ValueError("give ids, missing=true, date or since/until "
                                 "(or via=rss with a category)")
            if self.category and not days:
                raise ValueError("category goes with date/since/until (or via=rss/oai)")
            if ":" in category or "+" in category:
                raise ValueError(f"the API searches one category, got {category!r}")
        return self

    @model_serializer(mode="wrap")
    def _as_asked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The arguments without the defaults ``missing=false`` and ``via=api``, so
        ``crawls.args`` reads as what was asked."""
        data = handler(self)
        if not data.get("missing"):
            data.pop("missing", None)
        if data.get("via") == "api":
            data.pop("via", None)
        return data

    @property
    def mode(self) -> Mode:
        """Which of the crawl modes these arguments ask for."""
        if self.via in ("rss", "oai"):
            return self.via
        if self.ids is not None:
            return "ids"
        return "missing" if self.missing else "search"


def batches(ids: list[str], size: int) -> list[list[str]]:
    """``ids`` in consecutive batches of at most ``size``."""
    size = max(1, size)
    return [ids[i:i + size] for i in range(0, len(ids), size)]


class ArxivSpider(scrapy.Spider):
    """Fetches arXiv records one request at a time; see the module docstring for modes."""

    name = "arxiv"
    args_model = ArxivArgs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = ArxivArgs.parse(kwargs)
        super().__init__(*args)
        self._batches: deque[list[str]] = deque()
        self._tokens: set[str] = set()
        self._oai_records = 0  # records the OAI-PMH pages held so far, for a reject's "how far"
        self._pages = 0  # follow-up pages asked for (search and OAI-PMH), for MAX_PAGES

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Add the ``arxiv`` download slot: concurrency 1, no jitter, ``ARXIV_DELAY``.

        An ``arxiv`` entry given in ``DOWNLOAD_SLOTS`` keeps its own values.
        """
        super().update_settings(settings)
        add_download_slots(settings, {SLOT: {"concurrency": 1, "jitter": 0,
                                             "delay": settings.getfloat("ARXIV_DELAY", 3.0)}})

    # -- requests ---------------------------------------------------------------------
    @property
    def page_size(self) -> int:
        """Results per API page and ids per ``id_list`` request (``ARXIV_PAGE_SIZE``)."""
        return max(1, self.settings.getint("ARXIV_PAGE_SIZE", 100))

    def _request(self, url: str, kind: str, **meta: Any) -> scrapy.Request:
        """A request to one of arXiv's machine interfaces (export API, OAI-PMH, RSS).

        These are fetched under arXiv's API terms (one request every ``ARXIV_DELAY`` seconds
        on one connection, a User-Agent with a contact), not gated by robots.txt: arXiv's
        robots.txt disallows ``/api`` and ``/oai2`` for every agent while its robots page
        sends programs to exactly these interfaces, so obeying it would fail every arXiv
        step of a live run. ``ARXIV_API_OBEY_ROBOTSTXT=true`` gates them again; every other
        request of every spider obeys robots.txt (``ROBOTSTXT_OBEY``)."""
        self.crawler.stats.inc_value(f"arxiv/requests/{kind}")
        exempt = not self.settings.getbool("ARXIV_API_OBEY_ROBOTSTXT", False)
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error,
                              meta={"download_slot": SLOT, "arxiv_request": kind, "dont_obey_robotstxt": exempt,
                                    **meta})

    def _ids_request(self) -> scrapy.Request | None:
        if not self._batches:
            return None
        batch = self._batches.popleft()
        query = urlencode({"id_list": ",".join(batch), "start": 0, "max_results": len(batch)},
                          safe=",:/")
        return self._request(f"{self.settings.get('ARXIV_API_URL')}?{query}", "id_list")

    def _search_request(self, start: int, total: int | None = None) -> scrapy.Request:
        first, last = self.args.first_day, self.args.last_day
        days = f"submittedDate:[{first:%Y%m%d}0000 TO {last:%Y%m%d}2359]"
        search = f"cat:{self.args.category} AND {days}" if self.args.category else days
        query = urlencode({"search_query": search, "sortBy": "submittedDate",
                           "sortOrder": "ascending", "start": start,
                           "max_results": self.page_size}, safe=":")
        return self._request(f"{self.settings.get('ARXIV_API_URL')}?{query}", "search",
                             start=start, total=total)

    def _oai_request(self, token: str | None = None) -> scrapy.Request:
        if token is None:
            params = {"verb": "ListRecords", "metadataPrefix": "arXiv",
                      "from": self.args.first_day.isoformat(),
                      "until": self.args.last_day.isoformat()}
            if self.args.category:
                params["set"] = self.args.category
        else:
            params = {"verb": "ListRecords", "resumptionToken": token}
        return self._request(f"{self.settings.get('ARXIV_OAI_URL')}?{urlencode(params, safe=':')}",
                             "oai")

    def _ids_to_fetch(self) -> list[str]:
        store = Store(self.settings.get("RECONCILE_DB") or default_db_path())
        try:
            return store.arxiv_ids_to_fetch()
        finally:
            store.close()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The first request only; each callback yields the next one."""
        mode = self.args.mode
        if mode in ("ids", "missing"):
            ids = self.args.ids if mode == "ids" else self._ids_to_fetch()
            self.crawler.stats.set_value("arxiv/ids/asked", len(ids))
            if not ids:
                log.info("arxiv: no ids to fetch (%s)", mode)
                return
            self._batches.extend(batches(ids, self.page_size))
            first = self._ids_request()
        elif mode == "search":
            first = self._search_request(0)
        elif mode == "rss":
            base = self.settings.get("ARXIV_RSS_URL")
            first = self._request(f"{base.rstrip('/')}/{self.args.category}", "rss")
        else:
            first = self._oai_request()
        yield first

    def _next(self, request: scrapy.Request, result: PageResult | None) -> scrapy.Request | RejectItem | None:
        """The request after ``request``, or a reject when the listing ends before its end;
        ``result`` is None when ``request`` failed.

        A failed id batch does not stop the next batch; a failed search page is skipped
        (``start`` moves on by a page) when the total is known; a failed OAI page ends the
        listing, since its resumption token is lost (the reject says which page). A
        resumption token seen before (a loop, or the same token on every page) ends it too,
        with a reject: asked again, it would loop, and the records after it are not read.
        """
        kind = request.meta.get("arxiv_request")
        if kind == "id_list":
            return self._ids_request()
        if kind == "search":
            return self._next_search(request, result)
        if kind == "oai" and result is None:
            log.warning("arxiv: OAI-PMH page %s failed; the rest of the listing is not fetched",
                        request.url)
            self.crawler.stats.inc_value("arxiv/paging/oai_stopped")
        elif kind == "oai":
            self._oai_records += len(result.observations) + len(result.problems)
            token = result.paging.get("resumption_token")
            if not token:
                return None
            if token in self._tokens:
                self.crawler.stats.inc_value("arxiv/paging/repeated_token")
                size = result.paging.get("complete_list_size")
                shown = token if len(token) <= 60 else token[:57] + "..."
                return RejectItem(request.url, Source.ARXIV,
                                  f"OAI-PMH repeated resumption token {shown!r}: listing not read to its end "
                                  f"({self._oai_records} records read" + (f" of {size})" if size else ")"),
                                  None, "repeated_token", failed_request=True)
            self._tokens.add(token)
            return self._oai_request(token)
        return None

    def _next_search(self, request: scrapy.Request, result: PageResult | None) -> scrapy.Request | RejectItem | None:
        """The next search page; an empty page before the stated total is asked for once
        more (arXiv's API answers one at times), and a reject if it is empty again: the
        listing then stops, since a total that lies must not make the crawl walk on."""
        start = request.meta.get("start", 0)
        total = request.meta.get("total")
        if result is None:
            step = self.page_size
        else:
            paging = result.paging
            total = paging.get("total", total)
            step = paging.get("returned", len(result.observations) + len(result.problems))
            if step == 0:
                if total is None or start >= total:
                    return None
                self.crawler.stats.inc_value("arxiv/paging/empty_page")
                if not request.meta.get("empty_retried"):
                    again = self._search_request(start, total)
                    return again.replace(dont_filter=True, meta={**again.meta, "empty_retried": True})
                return RejectItem(request.url, Source.ARXIV,
                                  f"arXiv search: the page at start={start} came back empty twice though the "
                                  f"total is {total}: listing not read to its end (stopped at {start} of {total})",
                                  None, "empty_page", failed_request=True)
        if total is None or start + step >= total:
            return None
        return self._search_request(start + step, total)

    # -- callbacks --------------------------------------------------------------------
    def parse_page(self, response: scrapy.http.Response) -> Any:
        """Read one arXiv answer (any of the three formats), then ask for the next."""
        result, items = read_response(response, Source.ARXIV)
        yield from items
        yield from self._following(response.request, result)

    def _following(self, request: scrapy.Request, result: PageResult | None) -> Any:
        """The next request, unless the listing already took ``MAX_PAGES`` pages (then a
        reject that says so)."""
        following = self._next(request, result)
        if following is None:
            return
        if isinstance(following, RejectItem):
            log.warning("arxiv: %s", following.reason)
            yield following
            return
        kind = following.meta.get("arxiv_request")
        if kind in ("search", "oai"):
            self._pages += 1
            capped = page_cap(self, Source.ARXIV, f"the arXiv {kind} listing", self._pages + 1, following.url)
            if capped is not None:
                yield capped
                return
        yield following

    def on_error(self, failure: Failure) -> Any:
        """A RejectItem for the failed request, then the next request all the same.

        arXiv's error feed (HTTP 400, one entry titled ``Error``) gives the reason in
        arXiv's words: ``arXiv API error: ...``.
        """
        yield self._api_error(failure) or reject_for_failure(failure, Source.ARXIV)
        yield from self._following(failure.request, None)

    @staticmethod
    def _api_error(failure: Failure) -> RejectItem | None:
        if not failure.check(HttpError):
            return None
        response = failure.value.response
        reading = read_document(response.url, response.body, dict(response.headers.to_unicode_dict()),
                                source=Source.ARXIV, fetched_at=response_time(response))
        refusal = reading.refusals[0] if reading.result is None else None
        if refusal is not None and refusal.reason.startswith("arXiv API error"):
            return RejectItem(response.url, Source.ARXIV, refusal.reason, refusal.excerpt, "api_error",
                              failed_request=True)
        return None
