"""ArxivLens: a day's papers through its JSON API, then each paper's details and key findings.

Arguments (validated by :class:`ArxivlensArgs`): ``date``, or ``since`` and ``until``
(today, UTC, when neither is given), or ``ids=ID,ID`` (those papers, no list);
``details=false`` skips the paper answers, ``findings=false`` the key findings.

Per day: ``ARXIVLENS_BASE_URL`` + ``/api/v1/papers/by-date/D?page=P&limit=ARXIVLENS_PAGE_SIZE``,
paged until ``page * limit`` reaches the stated total; a page that comes back empty, or
holds only papers of earlier pages, before the total is reached ends the list with a reject
saying how far it got (the crawl is then ``partial``). Per
paper listed (or asked for with ``ids``): ``/papers/<identifier>``, then
``/papers/<identifier>/key-findings``; the identifier is the arXiv id, or what
:data:`scrapers.pages.arxivlens_api.API` says the API wants. Each answer is read by its own
format (``arxivlens-api-list``, ``-paper``, ``-findings``), so nothing depends on sniffing;
what cannot be read (a 404, findings still being generated, a body that is not the
expected JSON) is a ``rejects`` row and the crawl goes on.

Politeness: every request goes through one download slot, ``arxivlens``, with concurrency
1, no jitter and ``ARXIVLENS_DELAY`` seconds between requests, so the site sees one request
at a time whatever the number of papers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import scrapy
from pydantic import SerializerFunctionWrapHandler, field_validator, model_serializer, model_validator
from twisted.python.failure import Failure

from reconcile.models import Source
from scrapers.items import RejectItem
from scrapers.pages.arxivlens_api import (
    FINDINGS_FORMAT,
    LIST_FORMAT,
    PAPER_FORMAT,
    by_date_url,
    findings_url,
    paper_identifier,
    paper_url,
)

from .common import (SpiderArgs, add_download_slots, canonical_ids, page_cap, read_response, reject_for_failure,
                     utcnow)

log = logging.getLogger(__name__)

SLOT = "arxivlens"  # the download slot every ArxivLens request goes through


class ArxivlensArgs(SpiderArgs):
    """Days (``date``, or ``since`` + ``until``; today by default) or ``ids``; whether to
    fetch each paper's answer (``details``) and key findings (``findings``)."""

    spider: ClassVar[str] = "arxivlens"

    ids: list[str] | None = None
    details: bool = True
    findings: bool = True

    @field_validator("ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return canonical_ids(value)

    @model_validator(mode="after")
    def _range(self) -> ArxivlensArgs:
        days = self.check_days()
        if self.ids and days:
            raise ValueError("give either ids or date/since/until, not both")
        if self.ids and not (self.details or self.findings):
            raise ValueError("ids with details=false and findings=false fetch nothing")
        if not days and not self.ids:
            self.date = utcnow().date()
        return self

    @model_serializer(mode="wrap")
    def _as_asked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The arguments without the defaults ``details=true`` and ``findings=true``."""
        data = handler(self)
        for key in ("details", "findings"):
            if data.get(key) is True:
                data.pop(key)
        return data


class ArxivlensSpider(scrapy.Spider):
    """Fetches ArxivLens's by-date lists, then each paper's answer and key findings, one
    request at a time; see the module docstring."""

    name = "arxivlens"
    args_model = ArxivlensArgs

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = ArxivlensArgs.parse(kwargs)
        super().__init__(*args)
        self._listed: dict[str, set[str]] = {}  # per day, the papers its list pages held so far

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Add the ``arxivlens`` download slot: concurrency 1, no jitter, ``ARXIVLENS_DELAY``.
        An ``arxivlens`` entry given in ``DOWNLOAD_SLOTS`` keeps its own values."""
        super().update_settings(settings)
        add_download_slots(settings, {SLOT: {"concurrency": 1, "jitter": 0,
                                             "delay": settings.getfloat("ARXIVLENS_DELAY", 2.0)}})

    # -- requests ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The site's address (``ARXIVLENS_BASE_URL``)."""
        return self.settings.get("ARXIVLENS_BASE_URL")

    @property
    def page_size(self) -> int:
        """Papers per by-date page (``ARXIVLENS_PAGE_SIZE``)."""
        return max(1, self.settings.getint("ARXIVLENS_PAGE_SIZE", 50))

    def _request(self, url: str, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        self.crawler.stats.inc_value(f"arxivlens/requests/{kind}")
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"download_slot": SLOT, "arxivlens_request": kind, **meta})

    def _list_request(self, day: str, page: int) -> scrapy.Request:
        return self._request(by_date_url(self.base_url, day, page, self.page_size), "by_date",
                             self.parse_list, day=day, page=page)

    def _paper_requests(self, identifier: str, arxiv_id: str | None) -> list[scrapy.Request]:
        """The paper's answer when details are asked for (its callback asks for the
        findings), else its findings directly."""
        if self.args.details:
            return [self._request(paper_url(self.base_url, identifier), "paper", self.parse_paper,
                                  identifier=identifier, arxiv_id=arxiv_id)]
        return self._findings_requests(identifier, arxiv_id)

    def _findings_requests(self, identifier: str | None, arxiv_id: str | None) -> list[scrapy.Request]:
        if not self.args.findings or not identifier:
            return []
        return [self._request(findings_url(self.base_url, identifier, arxiv_id), "findings",
                              self.parse_findings)]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The first page of each day's list, or each asked paper."""
        for arxiv_id in self.args.ids or []:
            for request in self._paper_requests(arxiv_id, arxiv_id):
                yield request
        for day in self.args.days():
            yield self._list_request(day.isoformat(), 1)

    # -- callbacks --------------------------------------------------------------------
    def parse_list(self, response: scrapy.http.Response) -> Any:
        """One page of a day's list: its observations, each paper's next request, and the
        next page while the stated total is not reached."""
        result, items = read_response(response, Source.ARXIVLENS, format_name=LIST_FORMAT.name)
        if result is None:
            yield from items
            return
        stop, following = self._next_list_page(response, result)
        if stop is not None and result.observations:  # a repeat: its papers came with an earlier page
            yield from (item for item in items if isinstance(item, RejectItem))
            yield stop
            return
        yield from items
        self.crawler.stats.inc_value("arxivlens/papers/listed", len(result.observations))
        for obs in result.observations:
            identifier = paper_identifier(obs.model_dump())
            if identifier:
                yield from self._paper_requests(identifier, obs.arxiv_id)
            else:
                self.crawler.stats.inc_value("arxivlens/papers/no_identifier")
        yield from [stop] if stop is not None else following

    def _next_list_page(self, response: scrapy.http.Response, result: Any) -> tuple[RejectItem | None, list[Any]]:
        """``(stop, following)``: the next page of a day's list while the stated total is
        not reached, or a reject when the list stops short of it: a page that is empty, or
        that holds only papers of earlier pages (a server ignoring ``page`` answers page 1
        every time). Either way the papers after it are not read, and the crawl must not say
        ``finished``."""
        day, page = response.meta["day"], response.meta.get("page", 1)
        seen = self._listed.setdefault(day, set())
        ids = {o.arxiv_id or paper_identifier(o.model_dump()) or o.title or "" for o in result.observations}
        new = ids - seen
        seen |= ids
        paging = result.paging
        total, limit, returned = paging.get("total"), paging.get("limit") or self.page_size, paging.get("returned", 0)
        if total is None:
            return None, []
        if (not returned or ids and not new) and len(seen) < total:
            why = "an empty page" if not returned else "a page repeating earlier pages' papers"
            self.crawler.stats.inc_value("arxivlens/paging/stopped_short")
            reason = (f"the ArxivLens list of {day} stopped at page {page} ({why}): {len(seen)} of the {total} "
                      "papers it states were read")
            log.warning("%s", reason)
            return RejectItem(response.url, Source.ARXIVLENS, reason, None, "list_stopped_short",
                              failed_request=True), []
        if not returned or page * limit >= total:
            return None, []
        request = self._list_request(day, page + 1)
        capped = page_cap(self, Source.ARXIVLENS, f"the ArxivLens list of {day}", page + 1, request.url)
        return None, [capped if capped is not None else request]

    def parse_paper(self, response: scrapy.http.Response) -> Any:
        """One paper's answer, then its key findings."""
        result, items = read_response(response, Source.ARXIVLENS, format_name=PAPER_FORMAT.name)
        yield from items
        identifier, arxiv_id = response.meta.get("identifier"), response.meta.get("arxiv_id")
        if result is not None and result.observations:
            fields = result.observations[0].model_dump()
            identifier = paper_identifier(fields) or identifier
            arxiv_id = fields.get("arxiv_id") or arxiv_id
        yield from self._findings_requests(identifier, arxiv_id)

    def parse_findings(self, response: scrapy.http.Response) -> Any:
        """One paper's key findings. The request's ``#arxiv=`` fragment (never sent, so
        missing from ``response.url``) is kept in the document's URL: it names the paper
        when the path does not."""
        if "#" in response.request.url:
            response = response.replace(url=response.request.url)
        _, items = read_response(response, Source.ARXIVLENS, format_name=FINDINGS_FORMAT.name)
        yield from items

    def on_error(self, failure: Failure) -> Any:
        """A RejectItem for the failed request; a failed paper answer still asks for the
        paper's key findings."""
        yield reject_for_failure(failure, Source.ARXIVLENS)
        request = failure.request
        if request.meta.get("arxivlens_request") == "paper":
            yield from self._findings_requests(request.meta.get("identifier"),
                                               request.meta.get("arxiv_id"))
